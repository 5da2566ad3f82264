#pragma once
// The application services every scenario test starts from, built once here instead of in each
// fixture: a fresh journal in a temporary directory with the Rotterdam example register
// imported, ownership, assessment (the shipped country list), access (the shipped policy), the
// grant CA and the gateway service. Also the Borealis scenario several tests share: the vendor
// assessed at medium residual risk and an open software fault on scanner-05.

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>

#include "app/access_service.h"
#include "app/assessment_service.h"
#include "app/gateway_service.h"
#include "app/grant_ca.h"
#include "app/journal_service.h"
#include "app/ownership_service.h"
#include "app/register_service.h"
#include "core/clock.h"
#include "support/test_support.h"

namespace pw::app::testing {

// The clock a stack starts with: the system clock, or a fake one a few seconds behind the real
// time (so that a window starting "now" has surely started for `openssl verify` too).
template <class ClockT>
ClockT initial_clock() {
  if constexpr (std::is_same_v<ClockT, core::FakeClock>) {
    return core::FakeClock{core::Timestamp{core::SystemClock().now().micros - 5'000'000}};
  } else {
    return ClockT{};
  }
}

// A base for fixtures: the members are the services. The directory is declared first so it is
// removed last, after every service (and the journal's database) is closed.
template <class ClockT>
class ServiceStack {
 protected:
  // Builds every service over `clock_`; call from SetUp (it asserts, so check
  // HasFatalFailure() after it when more follows).
  void build_services() {
    paths_ = {(dir_ / "j.db").string(), (dir_ / "j.key").string()};
    ASSERT_TRUE(init_journal(paths_, "test.example/log", clock_));
    journal_ = std::move(*JournalService::open(paths_, clock_));
    reg_ = std::make_unique<RegisterService>(*journal_, clock_);
    const auto root = pw::testing::tests_dir().parent_path();
    ASSERT_TRUE(reg_->import((root / "examples" / "rotterdam").string(), "test"));
    own_ = std::make_unique<OwnershipService>(*journal_, clock_, (dir_ / "blobs").string());
    AssessmentConfig ac;
    ac.countries_path = (root / "data" / "countries.toml").string();
    assess_ = std::make_unique<AssessmentService>(*journal_, *own_, *reg_, clock_, ac);
    AccessConfig xc;
    xc.access_policy_path = (root / "data" / "access-policy.toml").string();
    access_ = std::make_unique<AccessService>(*journal_, *reg_, clock_, xc);
    ca_ = std::make_unique<GrantCa>(*journal_, *access_, *reg_, clock_, grant_ca_files(paths_.db));
    gateway_ = std::make_unique<GatewayService>(*journal_, *access_, *reg_, *ca_, clock_);
  }

  // Borealis (fictional, US) assessed and signed off by two analysts: medium residual risk, so
  // one operator's approval opens a remote session.
  void assess_borealis_medium() {
    ASSERT_TRUE(assess_->start("borealis", "analyst-1"));
    for (auto [c, answer] : {std::pair{domain::Criterion::k1, domain::Answer::kNo},
                             std::pair{domain::Criterion::k2, domain::Answer::kNo},
                             std::pair{domain::Criterion::k3a, domain::Answer::kYes},
                             std::pair{domain::Criterion::k3b, domain::Answer::kYes}}) {
      ASSERT_TRUE(assess_->judge("borealis", "analyst-1", c, answer, "reviewed"));
    }
    auto signed_off = assess_->sign_off("borealis", "analyst-2", "");
    ASSERT_TRUE(signed_off) << signed_off.error().to_string();
    ASSERT_EQ(signed_off->residual, domain::RiskLevel::kMedium);
  }

  // Imports an open software fault `fault` on scanner-05 (remote-capable, with a maintenance
  // endpoint) reported at `reported`; with a `contract` id also a Borealis maintenance contract
  // for scanner-06 whose first 8-hour window starts at `first_window`.
  void import_borealis_work(const std::string& fault, const std::string& reported,
                            const std::string& contract = "",
                            const std::string& first_window = "") {
    const auto extra = dir_ / "extra.toml";
    {
      std::ofstream out(extra);
      out << "[[fault]]\nid = \"" << fault << "\"\nasset = \"scanner-05\"\n"
          << "reported = \"" << reported << "\"\ncategory = \"software\"\n";
      if (!contract.empty()) {
        out << "[[maintenance_contract]]\nid = \"" << contract << "\"\nvendor = "
            << "\"borealis\"\nassets = [\"scanner-06\"]\nstart = 2026-01-01\n"
            << "end = 2030-12-31\nfirst_window = \"" << first_window
            << "\"\nevery_days = 91\nwindow_hours = 8\n"
            << "agreed_with = [\"douane\"]\n";
      }
    }
    auto imported = reg_->import(extra.string(), "test");
    ASSERT_TRUE(imported) << imported.error().to_string();
  }

  pw::testing::TempDir dir_;
  ClockT clock_ = initial_clock<ClockT>();
  JournalPaths paths_;
  std::unique_ptr<JournalService> journal_;
  std::unique_ptr<RegisterService> reg_;
  std::unique_ptr<OwnershipService> own_;
  std::unique_ptr<AssessmentService> assess_;
  std::unique_ptr<AccessService> access_;
  std::unique_ptr<GrantCa> ca_;
  std::unique_ptr<GatewayService> gateway_;
};

}  // namespace pw::app::testing

// The downtime cost of switching remote access off (Q10), on an exact example and on the
// Rotterdam fault history.

#include "access/downtime.h"

#include <gtest/gtest.h>

#include <iostream>

#include "fixtures.h"
#include "formats/inventory.h"
#include "support/test_support.h"

namespace pw::access::testing {
namespace {

domain::Fault fault(std::string id, std::string asset, const char* reported, const char* resolved,
                    domain::FaultCategory cat, bool remote) {
  domain::Fault f;
  f.id = std::move(id);
  f.asset = std::move(asset);
  f.reported = reported;
  f.resolved = resolved;
  f.category = cat;
  f.fixed_remotely = remote;
  return f;
}

TEST(DowntimeCost, ExactExample) {
  domain::Register reg = small_register();
  using domain::FaultCategory;
  reg.faults = {
      // In the 30 days before 2026-04-01: two remote fixes (60 and 120 min), one software fault
      // fixed on site (600 min), one hardware fault fixed on site (1200 min).
      fault("r1", "scanner-1", "2026-03-05T10:00:00Z", "2026-03-05T11:00:00Z",
            FaultCategory::kSoftware, true),
      fault("r2", "srv-a", "2026-03-10T10:00:00Z", "2026-03-10T12:00:00Z", FaultCategory::kSoftware,
            true),
      fault("s1", "scanner-1", "2026-03-12T00:00:00Z", "2026-03-12T10:00:00Z",
            FaultCategory::kSoftware, false),
      fault("h1", "scanner-1", "2026-03-20T00:00:00Z", "2026-03-20T20:00:00Z",
            FaultCategory::kHardware, false),
      // Open, resolved after as_of, outside the period, another vendor's: not counted.
      fault("open", "scanner-1", "2026-03-25T00:00:00Z", "", FaultCategory::kSoftware, false),
      fault("late", "scanner-1", "2026-03-31T23:00:00Z", "2026-04-01T01:00:00Z",
            FaultCategory::kSoftware, true),
      fault("old", "scanner-1", "2026-03-01T23:59:59Z", "2026-03-02T01:00:00Z",
            FaultCategory::kSoftware, true),
      fault("other", "scanner-2", "2026-03-05T10:00:00Z", "2026-03-05T11:00:00Z",
            FaultCategory::kSoftware, true),
  };
  auto c = downtime_cost(reg, "vendor-a", t("2026-04-01T00:00:00Z"), 30);
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->faults, 4);
  EXPECT_EQ(c->open_faults, 2);
  EXPECT_EQ(c->remote_faults, 2);
  EXPECT_EQ(c->remote_share_bp, 5000);
  EXPECT_EQ(c->mttr_remote_minutes, 90);
  EXPECT_EQ(c->mttr_onsite_minutes, 900);
  EXPECT_EQ(c->onsite_basis, "software faults fixed on site");
  EXPECT_EQ(c->mttr_onsite_basis_minutes, 600);
  EXPECT_TRUE(c->estimable);
  EXPECT_EQ(c->remote_faults_per_month_milli, 2000);
  // 2 remote fixes a month, each 600 - 90 = 510 minutes longer on site.
  EXPECT_EQ(c->extra_downtime_minutes_per_month, 1020);
  const nlohmann::json j = downtime_cost_to_json(*c);
  EXPECT_EQ(j["extra_downtime_minutes_per_month"], 1020);
  EXPECT_EQ(j["as_of"], "2026-04-01T00:00:00.000000Z");

  // Without a software fault fixed on site the estimate falls back to all on-site repairs.
  reg.faults.erase(reg.faults.begin() + 2);
  auto all = downtime_cost(reg, "vendor-a", t("2026-04-01T00:00:00Z"), 30);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->onsite_basis, "all faults fixed on site");
  EXPECT_EQ(all->extra_downtime_minutes_per_month, 2 * (1200 - 90));
}

TEST(DowntimeCost, NoEstimateWithoutBothKindsOfRepair) {
  domain::Register reg = small_register();
  reg.faults.clear();
  auto c = downtime_cost(reg, "vendor-a", t("2026-04-01T00:00:00Z"));
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->estimable);
  EXPECT_EQ(c->onsite_basis, "none");
  EXPECT_EQ(c->extra_downtime_minutes_per_month, 0);
  EXPECT_FALSE(downtime_cost(reg, "nobody", t("2026-04-01T00:00:00Z")));
  EXPECT_FALSE(downtime_cost(reg, "vendor-a", t("2026-04-01T00:00:00Z"), 0));
}

TEST(DowntimeCost, RotterdamHistoryGivesPlausibleFigures) {
  auto reg = formats::read_inventory(pw::testing::tests_dir() / ".." / "examples" / "rotterdam");
  ASSERT_TRUE(reg) << reg.error().to_string();
  const auto as_of = t("2026-12-01T00:00:00Z");
  std::int64_t faults = 0, remote = 0;
  for (const char* vendor : {"nuctech", "borealis", "kestrel"}) {
    auto c = downtime_cost(*reg, vendor, as_of);
    ASSERT_TRUE(c) << c.error().to_string();
    std::cout << "downtime " << downtime_cost_to_json(*c).dump() << "\n";
    faults += c->faults;
    remote += c->remote_faults;
    EXPECT_EQ(c->skipped_faults, 0);
    if (c->estimable) {
      EXPECT_LT(c->mttr_remote_minutes, c->mttr_onsite_basis_minutes) << vendor;
      EXPECT_GT(c->extra_downtime_minutes_per_month, 0) << vendor;
    }
  }
  // Q10: about a third of the faults are fixed remotely.
  ASSERT_GT(faults, 0);
  EXPECT_NEAR(static_cast<double>(remote) / static_cast<double>(faults), 1.0 / 3.0, 0.1);
}

}  // namespace
}  // namespace pw::access::testing

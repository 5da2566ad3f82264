#pragma once
// The procurement service over the shared service stack (real journal and SQLite store, the
// Rotterdam register) with a fake clock set to Monday 7 December 2026, 09:00 UTC. Every test
// ends by verifying the whole journal (tree, signatures and views against a replay).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "app/procurement_service.h"
#include "service_stack.h"

namespace pw::app::testing {

inline domain::Bid bid(std::string id, std::string bidder, std::int64_t euros) {
  domain::Bid b;
  b.id = std::move(id);
  b.bidder = std::move(bidder);
  b.amount = domain::Money{euros * 100, "EUR"};
  b.tenderers = {b.bidder};
  return b;
}

// One lot "" with an estimate, and the procedure's estimated value (EUR).
inline domain::Procedure procedure(std::string id, std::int64_t estimate_euros,
                                   std::vector<domain::Bid> bids, std::int64_t value_euros = 0) {
  domain::Procedure p;
  p.id = std::move(id);
  p.title = "Container scanners " + p.id;
  p.buyer = "douane";
  p.estimated_value = domain::Money{(value_euros ? value_euros : estimate_euros) * 100, "EUR"};
  domain::Lot lot;
  lot.estimate = domain::Money{estimate_euros * 100, "EUR"};
  lot.bids = std::move(bids);
  p.lots.push_back(std::move(lot));
  return p;
}

// P1: estimate EUR 1,000,000; bid "c" by borealis at EUR 600,000 is below 70 % of the estimate
// and more than 20 % below the mean of the other two: two flags, one request.
inline domain::Procedure p1(std::int64_t value_euros = 0) {
  return procedure(
      "ocds-p1", 1'000'000,
      {bid("a", "acme", 990'000), bid("b", "nuctech", 1'010'000), bid("c", "borealis", 600'000)},
      value_euros);
}

inline domain::Date day(const char* iso) {
  return *domain::parse_date(iso);
}

class ProcurementTest : public ServiceStack<core::FakeClock>, public ::testing::Test {
 protected:
  void SetUp() override {
    build_services();
    if (HasFatalFailure()) return;
    set_time("2026-12-07T09:00:00Z");  // a Monday
    svc_ = std::make_unique<ProcurementService>(*journal_, *own_, *reg_, clock_);
  }
  void TearDown() override {
    if (!journal_) return;
    auto v = journal_->verify({});
    ASSERT_TRUE(v) << v.error().to_string();
    for (const auto& p : v->problems) ADD_FAILURE() << p.where << ": " << p.what;
  }
  void set_time(const char* rfc3339) { clock_.set(*core::parse_rfc3339(rfc3339)); }
  std::uint64_t size() { return *journal_->size(); }

  void import(const domain::Procedure& p) {
    auto r = svc_->import_procedures("person:buyer-1", {p});
    ASSERT_TRUE(r) << r.error().to_string();
    ASSERT_EQ(r->refused, 0) << r->procedures.front().error;
  }
  // Imports P1 and analyses it: request "ocds-p1//c" is open.
  void flagged_p1(std::int64_t value_euros = 0) {
    import(p1(value_euros));
    if (HasFatalFailure()) return;
    auto a = svc_->analyse("person:buyer-1", "ocds-p1");
    ASSERT_TRUE(a) << a.error().to_string();
    ASSERT_EQ(a->opened_requests, std::vector<std::string>{"ocds-p1//c"});
  }
  DecisionInput reject(domain::RejectReason r, std::string text = "") {
    return DecisionInput{Decision::kReject, r, std::move(text)};
  }

  std::unique_ptr<ProcurementService> svc_;
};

}  // namespace pw::app::testing

// The procurement workflow over a real journal: import and re-import, settings, analysis that
// opens each explanation request once, and every path of the art. 2.116 explanation workflow.
#include <gtest/gtest.h>

#include "app/authz.h"
#include "procurement_fixture.h"

namespace pw::app::testing {
namespace {

using domain::ExplanationState;
using domain::RejectReason;

TEST_F(ProcurementTest, ImportStoresEachProcedureAndRefusesBadOnesWhole) {
  domain::Procedure bad = procedure("ocds-bad", 1'000'000, {bid("x", "acme", 900'000)});
  bad.lots[0].bids.push_back(bid("y", "nuctech", 950'000));
  bad.lots[0].bids[1].amount.reset();  // missing amount: refused, never guessed
  domain::Procedure mixed = procedure("ocds-mixed", 1'000'000, {bid("x", "acme", 900'000)});
  mixed.lots[0].bids[0].amount->currency = "USD";
  const auto before = size();
  auto r = svc_->import_procedures("person:buyer-1", {p1(), bad, mixed});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->stored, 1);
  EXPECT_EQ(r->refused, 2);
  EXPECT_EQ(r->procedures[0].version, 1);
  EXPECT_NE(r->procedures[1].error.find("y"), std::string::npos) << r->procedures[1].error;
  EXPECT_FALSE(r->procedures[2].error.empty());
  EXPECT_EQ(size(), before + 1);  // one tender.imported, nothing of the bad ones

  auto list = svc_->list();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().id, "ocds-p1");
  EXPECT_EQ(list->front().bids, 3);
  EXPECT_FALSE(svc_->show("ocds-bad"));

  // The same data again: unchanged, not journaled. Changed data: version 2.
  auto again = svc_->import_procedures("person:buyer-1", {p1()});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->procedures[0].unchanged);
  EXPECT_EQ(size(), before + 1);
  domain::Procedure changed = p1();
  changed.lots[0].bids[2].amount->minor = 650'000 * 100;
  auto v2 = svc_->import_procedures("person:buyer-1", {changed});
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->procedures[0].version, 2);
  auto shown = svc_->show("ocds-p1");
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->stored.version, 2);
  EXPECT_EQ(shown->stored.procedure.lots[0].bids[2].amount->minor, 650'000 * 100);
}

TEST_F(ProcurementTest, ConfigureChecksTheSettingsAndJournalsThem) {
  import(p1());
  SettingsChange bad;
  bad.estimate_ratio_bp = 0;
  EXPECT_EQ(svc_->configure("person:buyer-1", "ocds-p1", bad).error().code(),
            core::Code::kInvalidArgument);
  SettingsChange no_text;
  no_text.security_requirements = true;
  EXPECT_FALSE(svc_->configure("person:buyer-1", "ocds-p1", no_text));
  EXPECT_EQ(svc_->configure("person:buyer-1", "ocds-nope", {}).error().code(),
            core::Code::kNotFound);

  SettingsChange c;
  c.spain = true;
  c.estimate_ratio_bp = 8000;
  c.security_requirements = true;
  c.security_text = "Q5: no remote access from outside the EU";
  c.explanation_working_days = 15;
  c.bidder_vendors["acme"] = "borealis";
  const auto before = size();
  auto s = svc_->configure("person:buyer-1", "ocds-p1", c);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(size(), before + 1);
  auto shown = svc_->show("ocds-p1");
  ASSERT_TRUE(shown);
  EXPECT_TRUE(shown->stored.settings.screens.spain);
  EXPECT_EQ(shown->stored.settings.screens.estimate_ratio_bp, 8000);
  EXPECT_EQ(shown->stored.settings.explanation_working_days, 15);
  EXPECT_EQ(*svc_->vendor_of("ocds-p1", "acme"), std::optional<std::string>("borealis"));
  EXPECT_EQ(*svc_->vendor_of("ocds-p1", "nuctech"), std::optional<std::string>("nuctech"));
  EXPECT_EQ(*svc_->vendor_of("ocds-p1", "nobody"), std::nullopt);
}

TEST_F(ProcurementTest, AnalyseJournalsFlagsAndOpensOneRequestPerBidOnce) {
  import(p1());
  auto a = svc_->analyse("person:buyer-1", "ocds-p1");
  ASSERT_TRUE(a) << a.error().to_string();
  EXPECT_EQ(a->new_flags, 2);  // estimate ratio and below the mean of the others, both on "c"
  ASSERT_EQ(a->opened_requests.size(), 1u);
  auto q = svc_->request("person:buyer-1", "ocds-p1//c");
  ASSERT_TRUE(q) << q.error().to_string();
  EXPECT_EQ(q->state, ExplanationState::kOpen);
  EXPECT_EQ(q->bidder, "borealis");
  EXPECT_EQ(q->flags.size(), 2u);
  // Monday 7 December + 10 working days = Monday 21 December (two weekends skipped).
  EXPECT_EQ(q->deadline, day("2026-12-21"));

  const auto before = size();
  auto again = svc_->analyse("person:buyer-1", "");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->new_flags, 0);
  EXPECT_TRUE(again->opened_requests.empty());
  EXPECT_EQ(size(), before);
  auto reqs = svc_->requests("person:buyer-1", "ocds-p1");
  ASSERT_TRUE(reqs);
  EXPECT_EQ(reqs->size(), 1u);

  // An explicit method list runs a screen the settings leave off; an unknown one is refused.
  AnalyseOptions spain;
  spain.methods = {"spain"};
  auto s = svc_->analyse("person:buyer-1", "ocds-p1", spain);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->runs.size(), 1u);
  EXPECT_EQ(s->runs[0].method, "spain");
  AnalyseOptions wrong;
  wrong.methods = {"astrology"};
  EXPECT_EQ(svc_->analyse("person:buyer-1", "", wrong).error().code(),
            core::Code::kInvalidArgument);
  EXPECT_EQ(svc_->analyse("person:buyer-1", "ocds-nope").error().code(), core::Code::kNotFound);
}

TEST_F(ProcurementTest, TheDeadlineFollowsTheProcedureSettings) {
  import(p1());
  SettingsChange c;
  c.explanation_working_days = 3;
  ASSERT_TRUE(svc_->configure("person:buyer-1", "ocds-p1", c));
  set_time("2026-12-10T09:00:00Z");  // Thursday: +3 working days = Tuesday
  ASSERT_TRUE(svc_->analyse("person:buyer-1", "ocds-p1"));
  EXPECT_EQ(svc_->request("person:buyer-1", "ocds-p1//c")->deadline, day("2026-12-15"));
}

TEST_F(ProcurementTest, ExplanationThenAcceptance) {
  flagged_p1();
  EXPECT_EQ(svc_->receive_explanation("person:buyer-1", "ocds-p1//c", "", "").error().code(),
            core::Code::kInvalidArgument);
  auto r = svc_->receive_explanation("person:buyer-1", "ocds-p1//c",
                                     "own production line, no licence fees", "doc-17");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->state, ExplanationState::kReceived);
  EXPECT_EQ(r->evidence, "doc-17");
  EXPECT_EQ(svc_->receive_explanation("person:buyer-1", "ocds-p1//c", "more", "").error().code(),
            core::Code::kFailedPrecondition);
  auto d = svc_->decide("person:buyer-1", "ocds-p1//c", {Decision::kAccept, {}, "convincing"});
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(d->state, ExplanationState::kAccepted);
  EXPECT_EQ(d->decided_by, "person:buyer-1");
  // Decisions are final.
  auto twice = svc_->decide("person:buyer-1", "ocds-p1//c", reject(RejectReason::kOther, "x"));
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message().find("final"), std::string::npos);
  EXPECT_EQ(svc_->decide("person:buyer-1", "nope", {}).error().code(), core::Code::kNotFound);
}

TEST_F(ProcurementTest, ADecisionBeforeTheExplanationWaitsForTheDeadline) {
  flagged_p1();
  auto early = svc_->decide("person:buyer-1", "ocds-p1//c", reject(RejectReason::kOther, "cheap"));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code(), core::Code::kFailedPrecondition);
  EXPECT_NE(early.error().message().find("2026-12-21"), std::string::npos);
  // The last day still counts; the day after, the request expires (journaled once).
  set_time("2026-12-21T23:00:00Z");
  EXPECT_EQ(svc_->request("person:buyer-1", "ocds-p1//c")->state, ExplanationState::kOpen);
  set_time("2026-12-22T08:00:00Z");
  const auto before = size();
  EXPECT_EQ(svc_->request("person:buyer-1", "ocds-p1//c")->state, ExplanationState::kExpired);
  EXPECT_EQ(size(), before + 1);
  EXPECT_TRUE(svc_->requests("person:buyer-1", ""));
  EXPECT_EQ(size(), before + 1);
  auto late = svc_->receive_explanation("person:buyer-1", "ocds-p1//c", "sorry, late", "");
  ASSERT_FALSE(late);
  EXPECT_NE(late.error().message().find("expired"), std::string::npos);
  auto d = svc_->decide("person:buyer-1", "ocds-p1//c", reject(RejectReason::kOther, "no answer"));
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(d->state, ExplanationState::kRejected);
  EXPECT_EQ(d->reason, RejectReason::kOther);
}

TEST_F(ProcurementTest, ALabourLawBreachMakesRejectionMandatory) {
  flagged_p1();
  ASSERT_TRUE(svc_->receive_explanation("person:buyer-1", "ocds-p1//c", "wages below CAO", ""));
  ASSERT_TRUE(svc_->record_labour_law_finding("person:buyer-1", "ocds-p1//c",
                                              "pays below the collective agreement"));
  auto accept = svc_->decide("person:buyer-1", "ocds-p1//c", {Decision::kAccept, {}, ""});
  ASSERT_FALSE(accept);
  EXPECT_NE(accept.error().message().find("mandatory"), std::string::npos);
  EXPECT_FALSE(svc_->decide("person:buyer-1", "ocds-p1//c", reject(RejectReason::kOther, "x")));
  auto d = svc_->decide("person:buyer-1", "ocds-p1//c",
                        reject(RejectReason::kLabourLawBreach, "below CAO wages"));
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(d->reason, RejectReason::kLabourLawBreach);
  EXPECT_EQ(svc_->request("person:buyer-1", "ocds-p1//c")->state, ExplanationState::kRejected);
}

TEST_F(ProcurementTest, RejectionReasonsNeedWhatTheLawAsks) {
  flagged_p1();
  ASSERT_TRUE(svc_->receive_explanation("person:buyer-1", "ocds-p1//c", "State support", ""));
  EXPECT_EQ(
      svc_->decide("person:buyer-1", "ocds-p1//c", {Decision::kReject, {}, "x"}).error().code(),
      core::Code::kInvalidArgument);
  EXPECT_EQ(
      svc_->decide("person:buyer-1", "ocds-p1//c", reject(RejectReason::kOther)).error().code(),
      core::Code::kInvalidArgument);
  // State aid not proven compatible: only after the bidder's deadline to prove it (art. 69(4)).
  auto early =
      svc_->decide("person:buyer-1", "ocds-p1//c", reject(RejectReason::kStateAidNotProven));
  ASSERT_FALSE(early);
  EXPECT_NE(early.error().message().find("69(4)"), std::string::npos);
  set_time("2026-12-22T08:00:00Z");
  auto d = svc_->decide("person:buyer-1", "ocds-p1//c", reject(RejectReason::kStateAidNotProven));
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(d->reason, RejectReason::kStateAidNotProven);
  EXPECT_EQ(d->explanation, "State support");  // received in time: stays received, not expired
}

TEST_F(ProcurementTest, TheMarketScreenJudgesAllStoredProceduresAndFlagsTheAnalysedOnes) {
  // d = 0.05 .. 0.08 and 1.0: Q1 0.06, Q3 0.08, upper fence 0.11; "far" (d = 1.0) is flagged.
  std::vector<domain::Procedure> procs;
  for (auto [id, second] : {std::pair{"m1", 105}, std::pair{"m2", 106}, std::pair{"m3", 107},
                            std::pair{"m4", 108}, std::pair{"far", 200}}) {
    procs.push_back(procedure(id, 100, {bid("w", "acme", 100), bid("l", "nuctech", second)}));
  }
  auto imported = svc_->import_procedures("person:buyer-1", procs);
  ASSERT_TRUE(imported);
  ASSERT_EQ(imported->stored, 5);
  AnalyseOptions market;
  market.methods = {"market"};
  // Analysing one procedure that is not the outlier: the fences use all five, nothing flagged.
  auto one = svc_->analyse("person:buyer-1", "m1", market);
  ASSERT_TRUE(one) << one.error().to_string();
  ASSERT_EQ(one->runs.size(), 1u);
  EXPECT_TRUE(one->runs[0].applicable) << one->runs[0].note;
  EXPECT_EQ(one->new_flags, 0);
  auto all = svc_->analyse("person:buyer-1", "", market);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->new_flags, 1);
  EXPECT_EQ(all->opened_requests, std::vector<std::string>{"far//w"});
  auto q = svc_->request("person:buyer-1", "far//w");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->flags.at(0).method, "market");
  EXPECT_NE(q->flags.at(0).rule.find("high"), std::string::npos);
}

TEST_F(ProcurementTest, TheJournalRefusesTenderEventsThatDoNotCarryTheirRecord) {
  auto bad = journal_->append(EventDraft{"tender.decided", "x", {{"request", {{"id", "r"}}}}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), core::Code::kInvalidArgument);
  EXPECT_FALSE(journal_->append(EventDraft{"tender.imported", "x", {{"version", 1}}}));
  EXPECT_FALSE(journal_->append(
      EventDraft{"tender.configured",
                 "x",
                 {{"procedure", "p"}, {"settings", {{"explanation_working_days", 0}}}}}));
}

TEST_F(ProcurementTest, BuyersRunTheWorkflowAuditorsRead) {
  Principal buyer, auditor, analyst;
  buyer.roles = {Role::kBuyer};
  auditor.roles = {Role::kAuditor};
  analyst.roles = {Role::kAnalyst};
  EXPECT_TRUE(authorize(buyer, {}, Action::kWriteProcurement));
  EXPECT_TRUE(authorize(buyer, {}, Action::kReadProcurement));
  EXPECT_TRUE(authorize(auditor, {}, Action::kReadProcurement));
  EXPECT_FALSE(authorize(auditor, {}, Action::kWriteProcurement));
  EXPECT_FALSE(authorize(analyst, {}, Action::kWriteProcurement));
  EXPECT_FALSE(authorize(buyer, {}, Action::kWriteAssessment));
  EXPECT_EQ(*parse_role("buyer"), Role::kBuyer);
  EXPECT_EQ(svc_->import_procedures("", {p1()}).error().code(), core::Code::kInvalidArgument);
}

TEST(WorkingDays, SkipWeekendsAndCountFromTheNextDay) {
  EXPECT_EQ(domain::add_working_days(day("2026-12-11"), 1), day("2026-12-14"));  // Fri -> Mon
  EXPECT_EQ(domain::add_working_days(day("2026-12-12"), 1), day("2026-12-14"));  // Sat -> Mon
  EXPECT_EQ(domain::add_working_days(day("2026-12-07"), 0), day("2026-12-07"));
  EXPECT_EQ(domain::add_working_days(day("2026-12-07"), 5), day("2026-12-14"));
  EXPECT_FALSE(domain::is_working_day(day("2026-12-13")));  // Sunday
  EXPECT_TRUE(domain::is_working_day(day("2026-12-07")));   // Monday
}

}  // namespace
}  // namespace pw::app::testing

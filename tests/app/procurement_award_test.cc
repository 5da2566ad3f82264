// The FSR check over an ownership dataset (holding, subsidiary, contributions per third country
// at, over and under EUR 4 million), the Commission's review deadlines in working days, and the
// award: blocked for each reason, allowed when clear.
#include <gtest/gtest.h>

#include <fstream>

#include "procurement_fixture.h"

namespace pw::app::testing {
namespace {

using domain::RejectReason;

std::vector<std::string> codes(const std::vector<AwardBlock>& blocks) {
  std::vector<std::string> out;
  for (const auto& b : blocks) out.push_back(b.code);
  return out;
}

class ProcurementAwardTest : public ProcurementTest {
 protected:
  // The bidder "bods:bidco" (NL) is 70 % owned by HoldCo (HK), which also owns a sister company;
  // BidCo owns 60 % of SubCo; a US investor holds the other 30 % of BidCo.
  void import_ownership() {
    const auto path = dir_ / "group-bods.json";
    nlohmann::json stmts = nlohmann::json::array();
    int n = 0;
    auto pub = nlohmann::json{{"publicationDate", "2026-01-05"},
                              {"bodsVersion", "0.4"},
                              {"publisher", {{"name", "test"}}}};
    auto entity = [&](const char* id, const char* name, const char* cc) {
      stmts.push_back({{"statementId", "st-" + std::to_string(++n)},
                       {"statementDate", "2026-01-05"},
                       {"publicationDetails", pub},
                       {"recordId", id},
                       {"recordStatus", "new"},
                       {"recordType", "entity"},
                       {"recordDetails",
                        {{"isComponent", false},
                         {"entityType", {{"type", "registeredEntity"}}},
                         {"name", name},
                         {"jurisdiction", {{"name", cc}, {"code", cc}}}}}});
    };
    auto owns = [&](const char* owner, const char* owned, double percent) {
      stmts.push_back({{"statementId", "st-" + std::to_string(++n)},
                       {"statementDate", "2026-01-05"},
                       {"publicationDetails", pub},
                       {"recordId", std::string("rel-") + owner + "-" + owned},
                       {"recordStatus", "new"},
                       {"recordType", "relationship"},
                       {"recordDetails",
                        {{"isComponent", false},
                         {"subject", owned},
                         {"interestedParty", owner},
                         {"interests",
                          {{{"type", "shareholding"},
                            {"directOrIndirect", "direct"},
                            {"beneficialOwnershipOrControl", false},
                            {"share", {{"exact", percent}}}}}}}}});
    };
    entity("holdco", "HoldCo Ltd", "HK");
    entity("bidco", "BidCo B.V.", "NL");
    entity("subco", "SubCo B.V.", "NL");
    entity("sister", "Sister Ltd", "HK");
    entity("investor", "Investor Inc", "US");
    entity("supplier", "Main Supplier GmbH", "DE");
    owns("holdco", "bidco", 70);
    owns("investor", "bidco", 30);
    owns("bidco", "subco", 60);
    owns("holdco", "sister", 100);
    std::ofstream(path) << stmts.dump(2);
    auto r = own_->import(path.string(), "bods", true, "test", {});
    ASSERT_TRUE(r) << r.error().to_string();
  }
  void contribution(const char* entity, const char* country, std::int64_t cents,
                    const char* start = "2025-01-01", const char* end = "2025-12-31") {
    auto c = svc_->add_contribution("person:buyer-1",
                                    {entity, country, cents, start, end, "annual report 2025"});
    ASSERT_TRUE(c) << c.error().to_string();
  }
  // EUR 300 million: the FSR value test is met.
  static domain::Procedure big() {
    return procedure("ocds-big", 300'000'000,
                     {bid("x", "bods:bidco", 280'000'000), bid("y", "borealis", 290'000'000)});
  }
};

TEST_F(ProcurementAwardTest, TheGroupComesFromTheOwnershipEngineAndCountsPerThirdCountry) {
  import_ownership();
  import(big());
  contribution("bods:holdco", "CN", 300'000'000);    // EUR 3 million
  contribution("bods:sister", "CN", 1'000'000'000);  // not in the group
  contribution("bods:bidco", "US", 399'999'999);     // one cent under EUR 4 million
  contribution("bods:investor", "US", 500'000'000);  // a minority holder: not in the group
  contribution("bods:subco", "CN", 900'000'000, "2020-01-01", "2022-12-31");  // before the window
  EXPECT_EQ(
      svc_->add_contribution("person:buyer-1", {"bods:x", "DE", 1, "2025-01-01", "2025-12-31", "s"})
          .error()
          .code(),
      core::Code::kInvalidArgument);  // an EU member state is no third country

  auto c = svc_->fsr_check("person:buyer-1", "ocds-big", "bods:bidco");
  ASSERT_TRUE(c) << c.error().to_string();
  std::map<std::string, std::string> roles;
  for (const auto& m : c->group) roles[m.entity] = m.role;
  EXPECT_EQ(roles, (std::map<std::string, std::string>{{"bods:bidco", "bidder"},
                                                       {"bods:holdco", "holding"},
                                                       {"bods:subco", "subsidiary"}}));
  EXPECT_FALSE(c->notify) << c->result.dump();  // CN 3 million, US 3,999,999.99: under
  EXPECT_EQ(c->result["third_countries"].size(), 2u);

  contribution("bods:subco", "CN", 100'000'000);  // CN now exactly EUR 4 million: at the limit
  c = svc_->fsr_check("person:buyer-1", "ocds-big", "bods:bidco");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->notify);
  EXPECT_EQ(c->result["countries_over"], nlohmann::json::array({"CN"}));

  // A named main supplier's contribution counts too: US goes over by one cent.
  contribution("bods:supplier", "US", 1);
  FsrCheckInput in;
  in.subcontractors = {"Main Supplier GmbH"};
  c = svc_->fsr_check("person:buyer-1", "ocds-big", "bods:bidco", in);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->result["countries_over"], nlohmann::json::array({"CN", "US"}));
  EXPECT_EQ(c->group.back().role, "subcontractor");

  EXPECT_EQ(svc_->fsr_check("person:buyer-1", "ocds-big", "nobody").error().code(),
            core::Code::kNotFound);
}

TEST_F(ProcurementAwardTest, NuctechsGroupIsFoundThroughTheRegister) {
  // The Rotterdam demo: Tongfang holds 76 % of Nuctech (a holding company); CNNC's 21 % of
  // Tongfang and its 15.96 % look-through interest are no control.
  const auto root = pw::testing::tests_dir().parent_path();
  auto r = own_->import(
      (root / "examples" / "rotterdam" / "ownership" / "nuctech-bods-0.4.json").string(), "bods",
      true, "test", {});
  ASSERT_TRUE(r) << r.error().to_string();
  import(procedure("ocds-q8", 300'000'000, {bid("n", "nuctech", 250'000'000)}));
  contribution("bods:tongfang", "CN", 400'000'000);
  auto c = svc_->fsr_check("person:buyer-1", "ocds-q8", "nuctech");
  ASSERT_TRUE(c) << c.error().to_string();
  std::map<std::string, std::string> roles;
  for (const auto& m : c->group) roles[m.entity] = m.role;
  EXPECT_EQ(roles["bods:nuctech"], "bidder");
  EXPECT_EQ(roles["bods:tongfang"], "holding");
  EXPECT_EQ(roles.count("bods:cnnc"), 0u);
  EXPECT_TRUE(c->notify) << c->result.dump();
}

TEST_F(ProcurementAwardTest, UnderTheValueThresholdThereIsNoDutyWhateverTheContributions) {
  import_ownership();
  import(procedure("ocds-small", 249'999'999, {bid("x", "bods:bidco", 200'000'000)}));
  contribution("bods:holdco", "CN", 900'000'000);
  auto c = svc_->fsr_check("person:buyer-1", "ocds-small", "bods:bidco");
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_FALSE(c->notify);
  EXPECT_FALSE(c->result["value_test_met"].get<bool>());
  EXPECT_TRUE(svc_->award("person:buyer-1", "ocds-small", "", "x")->awarded);
}

TEST_F(ProcurementAwardTest, ReviewDeadlinesRunInWorkingDaysAndBlockTheAward) {
  import_ownership();
  import(big());
  contribution("bods:holdco", "CN", 500'000'000);
  auto blocked = svc_->award("person:buyer-1", "ocds-big", "", "x");
  ASSERT_TRUE(blocked);
  EXPECT_EQ(codes(blocked->blocks), std::vector<std::string>{"fsr_not_checked"});
  ASSERT_TRUE(svc_->fsr_check("person:buyer-1", "ocds-big", "bods:bidco")->notify);
  EXPECT_EQ(codes(svc_->award("person:buyer-1", "ocds-big", "", "x")->blocks),
            std::vector<std::string>{"fsr_not_notified"});

  set_time("2026-12-11T10:00:00Z");  // a Friday
  auto n = svc_->fsr_notified("person:buyer-1", "ocds-big", "bods:bidco", "");
  ASSERT_TRUE(n) << n.error().to_string();
  // 20 working days from Friday 11 December: the weekends and the holidays are not skipped
  // (no holiday calendar): Friday 8 January 2027.
  EXPECT_EQ(n->preliminary_deadline, day("2027-01-08"));
  EXPECT_FALSE(svc_->fsr_notified("person:buyer-1", "ocds-big", "bods:bidco", ""));
  const auto before = size();
  auto pending = svc_->award("person:buyer-1", "ocds-big", "", "x");
  EXPECT_EQ(codes(pending->blocks), std::vector<std::string>{"fsr_review_pending"});
  EXPECT_EQ(size(), before);  // a blocked award journals nothing

  auto ext = svc_->fsr_review("person:buyer-1", "ocds-big", "bods:bidco",
                              {ReviewStep::kExtendPreliminary, "", {}, ""});
  ASSERT_TRUE(ext) << ext.error().to_string();
  EXPECT_EQ(ext->preliminary_deadline, day("2027-01-22"));
  EXPECT_FALSE(svc_->fsr_review("person:buyer-1", "ocds-big", "bods:bidco",
                                {ReviewStep::kExtendPreliminary, "", {}, ""}));
  EXPECT_FALSE(svc_->fsr_review("person:buyer-1", "ocds-big", "bods:bidco",
                                {ReviewStep::kOpenInDepth, "2027-01-25", {}, ""}));  // too late
  auto deep = svc_->fsr_review("person:buyer-1", "ocds-big", "bods:bidco",
                               {ReviewStep::kOpenInDepth, "2027-01-08", {}, ""});
  ASSERT_TRUE(deep) << deep.error().to_string();
  EXPECT_EQ(deep->in_depth_deadline, day("2027-06-11"));  // 110 working days = 22 weeks
  auto ext2 = svc_->fsr_review("person:buyer-1", "ocds-big", "bods:bidco",
                               {ReviewStep::kExtendInDepth, "", {}, ""});
  ASSERT_TRUE(ext2);
  EXPECT_EQ(ext2->in_depth_deadline, day("2027-07-09"));
  EXPECT_EQ(codes(svc_->award("person:buyer-1", "ocds-big", "", "x")->blocks),
            std::vector<std::string>{"fsr_review_pending"});

  auto done = svc_->fsr_review(
      "person:buyer-1", "ocds-big", "bods:bidco",
      {ReviewStep::kOutcome, "2027-03-01", domain::FsrOutcome::kCommitments, "divest the subsidy"});
  ASSERT_TRUE(done) << done.error().to_string();
  auto ok = svc_->award("person:buyer-1", "ocds-big", "", "x");
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->awarded) << ok->to_json().dump();
  EXPECT_EQ(codes(svc_->award("person:buyer-1", "ocds-big", "", "y")->blocks),
            (std::vector<std::string>{"lot_awarded", "fsr_not_checked"}));
}

TEST_F(ProcurementAwardTest, AProhibitionBarsTheAwardAndALapsedReviewDoesNot) {
  import_ownership();
  import(big());
  contribution("bods:holdco", "CN", 500'000'000);
  ASSERT_TRUE(svc_->fsr_check("person:buyer-1", "ocds-big", "bods:bidco"));
  ASSERT_TRUE(svc_->fsr_notified("person:buyer-1", "ocds-big", "bods:bidco", "2026-12-07"));
  // A prohibition closes an in-depth investigation only.
  EXPECT_FALSE(svc_->fsr_review("person:buyer-1", "ocds-big", "bods:bidco",
                                {ReviewStep::kOutcome, "", domain::FsrOutcome::kProhibition, ""}));
  // The preliminary review lapses without a decision (deadline Monday 4 January 2027).
  set_time("2027-01-05T08:00:00Z");
  EXPECT_TRUE(svc_->award_blocks("ocds-big", "", "x")->empty());
  set_time("2027-01-04T08:00:00Z");
  EXPECT_EQ(codes(*svc_->award_blocks("ocds-big", "", "x")),
            std::vector<std::string>{"fsr_review_pending"});
  ASSERT_TRUE(svc_->fsr_review("person:buyer-1", "ocds-big", "bods:bidco",
                               {ReviewStep::kOpenInDepth, "", {}, ""}));
  ASSERT_TRUE(svc_->fsr_review("person:buyer-1", "ocds-big", "bods:bidco",
                               {ReviewStep::kOutcome, "", domain::FsrOutcome::kProhibition, ""}));
  auto r = svc_->award("person:buyer-1", "ocds-big", "", "x");
  EXPECT_EQ(codes(r->blocks), std::vector<std::string>{"fsr_prohibited"});
  EXPECT_FALSE(r->awarded);
}

TEST_F(ProcurementAwardTest, AnExplanationRequestBlocksUntilAccepted) {
  flagged_p1();
  auto award = [&] { return codes(svc_->award("person:buyer-1", "ocds-p1", "", "c")->blocks); };
  EXPECT_EQ(award(), std::vector<std::string>{"explanation_open"});
  ASSERT_TRUE(svc_->receive_explanation("person:buyer-1", "ocds-p1//c", "efficient", ""));
  EXPECT_EQ(award(), std::vector<std::string>{"explanation_undecided"});
  ASSERT_TRUE(svc_->decide("person:buyer-1", "ocds-p1//c", reject(RejectReason::kOther, "no")));
  EXPECT_EQ(award(), std::vector<std::string>{"bid_rejected"});
  EXPECT_TRUE(svc_->award_blocks("ocds-p1", "", "a")->empty());
  EXPECT_EQ(svc_->award("person:buyer-1", "ocds-p1", "", "zz").error().code(),
            core::Code::kNotFound);
}

TEST_F(ProcurementAwardTest, AnExpiredRequestAwaitsTheBuyersDecision) {
  flagged_p1();
  set_time("2026-12-22T08:00:00Z");
  EXPECT_EQ(codes(svc_->award("person:buyer-1", "ocds-p1", "", "c")->blocks),
            std::vector<std::string>{"explanation_undecided"});
}

TEST_F(ProcurementAwardTest, SecurityRequirementsNeedASignedOffAssessment) {
  flagged_p1();
  SettingsChange s;
  s.security_requirements = true;
  s.security_text = "Q14: the supplier is assessed for national-security risk";
  ASSERT_TRUE(svc_->configure("person:buyer-1", "ocds-p1", s));
  ASSERT_TRUE(svc_->receive_explanation("person:buyer-1", "ocds-p1//c", "efficient", ""));
  ASSERT_TRUE(svc_->decide("person:buyer-1", "ocds-p1//c", {Decision::kAccept, {}, "ok"}));
  EXPECT_EQ(codes(*svc_->award_blocks("ocds-p1", "", "a")),
            std::vector<std::string>{"security_no_vendor"});  // acme is not in the register
  auto blocked = svc_->award("person:buyer-1", "ocds-p1", "", "c");
  EXPECT_EQ(codes(blocked->blocks), std::vector<std::string>{"security_no_signed_assessment"});
  EXPECT_NE(blocked->blocks[0].message.find("none"), std::string::npos);
  // A draft is not enough; a signed-off assessment is.
  ASSERT_TRUE(assess_->start("borealis", "analyst-1"));
  EXPECT_NE(svc_->award_blocks("ocds-p1", "", "c")->at(0).message.find("draft"), std::string::npos);
  for (auto [c, answer] : {std::pair{domain::Criterion::k1, domain::Answer::kNo},
                           std::pair{domain::Criterion::k2, domain::Answer::kNo},
                           std::pair{domain::Criterion::k3a, domain::Answer::kYes},
                           std::pair{domain::Criterion::k3b, domain::Answer::kYes}}) {
    ASSERT_TRUE(assess_->judge("borealis", "analyst-1", c, answer, "reviewed"));
  }
  ASSERT_TRUE(assess_->sign_off("borealis", "analyst-2", ""));
  auto ok = svc_->award("person:buyer-1", "ocds-p1", "", "c");
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_TRUE(ok->awarded) << ok->to_json().dump();
  EXPECT_EQ(ok->award->vendor, "borealis");
  auto shown = svc_->show("ocds-p1");
  ASSERT_EQ(shown->awards.size(), 1u);
  EXPECT_EQ(shown->awards[0].bid, "c");
}

}  // namespace
}  // namespace pw::app::testing

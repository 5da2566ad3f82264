// Four eyes, the draft -> signed_off -> stale life, staleness by fingerprint, and the JSON form.
#include "assessment/workflow.h"

#include <gtest/gtest.h>

#include "assessment/fingerprint.h"
#include "assessment/fixtures.h"
#include "core/canonical_json.h"

namespace pw::assessment {
namespace {

using domain::Answer;
using domain::AssessmentStatus;
using domain::Criterion;
using domain::MitigationStatus;
using namespace testing;

class Workflow : public ::testing::Test {
 protected:
  Inputs inputs(std::vector<domain::MitigationState> m = {}) {
    return inputs_for(reg_, "nuctech", &built_, std::move(m));
  }
  domain::Assessment start(const std::string& author = "ana") {
    const Inputs in = inputs();
    auto a = start_assessment(reg_, {"as-1", author, "2021-04-20T09:00:00Z"}, in, evaluate(in, p_),
                              fingerprint(in, p_));
    EXPECT_TRUE(a) << a.error().to_string();
    return a.value_or(domain::Assessment{});
  }
  void judge_all(domain::Assessment& a, const std::string& who) {
    for (Criterion c : domain::kCriteria) {
      ASSERT_TRUE(judge(a, reg_, who, c, a.result(c)->suggested, "agree with the evidence",
                        "2021-04-21T10:00:00Z"));
    }
  }
  domain::CountryProfiles p_ = profiles();
  domain::Register reg_ = site();
  Built built_ = build(seed_dataset(), p_);
};

TEST_F(Workflow, OnlyAnalystsAssessAndNotTheSuppliersOwn) {
  EXPECT_TRUE(may_author(reg_, "ana", "nuctech"));
  EXPECT_EQ(may_author(reg_, "tom", "nuctech").error().code(), core::Code::kPermissionDenied);
  EXPECT_NE(may_author(reg_, "tom", "nuctech").error().message().find("only analysts"),
            std::string::npos);
  EXPECT_EQ(may_author(reg_, "ola", "nuctech").error().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(may_author(reg_, "nia", "nuctech").error().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(may_author(reg_, "nobody", "nuctech").error().code(), core::Code::kPermissionDenied);
  const Inputs in = inputs();
  EXPECT_FALSE(start_assessment(reg_, {"as-1", "tom", "t"}, in, evaluate(in, p_), "f"));
  domain::Assessment a = start();
  EXPECT_EQ(judge(a, reg_, "tom", Criterion::k1, Answer::kYes, "x", "t").error().code(),
            core::Code::kPermissionDenied);
}

TEST_F(Workflow, TheAuthorCannotSignOffAndASecondAnalystCan) {
  domain::Assessment a = start();
  EXPECT_EQ(a.status, AssessmentStatus::kDraft);
  const std::string fp = a.inputs_fingerprint;
  // Not judged yet.
  EXPECT_EQ(sign_off(a, reg_, "bob", fp, "t").error().code(), core::Code::kFailedPrecondition);
  judge_all(a, "ana");
  EXPECT_EQ(sign_off(a, reg_, "ana", fp, "t").error().code(), core::Code::kPermissionDenied);
  EXPECT_NE(sign_off(a, reg_, "ana", fp, "t").error().message().find("author cannot sign"),
            std::string::npos);
  EXPECT_EQ(sign_off(a, reg_, "tom", fp, "t").error().code(), core::Code::kPermissionDenied);
  ASSERT_TRUE(sign_off(a, reg_, "bob", fp, "2021-04-22T12:00:00Z", "reviewed"));
  EXPECT_EQ(a.status, AssessmentStatus::kSignedOff);
  ASSERT_EQ(a.sign_offs.size(), 1u);
  EXPECT_EQ(a.sign_offs[0].person, "bob");
  EXPECT_EQ(a.sign_offs[0].at, "2021-04-22T12:00:00Z");
}

TEST_F(Workflow, AnAnalystWhoJudgedACriterionCannotSign) {
  domain::Assessment a = start();
  judge_all(a, "ana");
  ASSERT_TRUE(judge(a, reg_, "cas", Criterion::k3b, Answer::kPartly, "audit pending", "t"));
  EXPECT_EQ(sign_off(a, reg_, "cas", a.inputs_fingerprint, "t").error().code(),
            core::Code::kPermissionDenied);
  EXPECT_TRUE(sign_off(a, reg_, "bob", a.inputs_fingerprint, "t"));
}

TEST_F(Workflow, NoJudgementChangesAfterSignOffOnlyARevision) {
  domain::Assessment a = start();
  judge_all(a, "ana");
  ASSERT_TRUE(sign_off(a, reg_, "bob", a.inputs_fingerprint, "t"));
  auto edit = judge(a, reg_, "ana", Criterion::k2, Answer::kNo, "changed my mind", "t");
  ASSERT_FALSE(edit);
  EXPECT_EQ(edit.error().code(), core::Code::kFailedPrecondition);
  EXPECT_EQ(a.result(Criterion::k2)->analyst_answer, Answer::kYes);

  const Inputs in = inputs();
  auto r = revise(a, reg_, {"as-2", "cas", "t2"}, in, evaluate(in, p_), fingerprint(in, p_));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->revision, 2);
  EXPECT_EQ(r->supersedes, "as-1");
  EXPECT_EQ(r->status, AssessmentStatus::kDraft);
  EXPECT_TRUE(r->sign_offs.empty());
  EXPECT_EQ(r->result(Criterion::k2)->judgement, "agree with the evidence");
  EXPECT_TRUE(judge(*r, reg_, "cas", Criterion::k2, Answer::kYes, "still named in DBSA", "t3"));
  EXPECT_FALSE(revise(*r, reg_, {"as-3", "cas", "t"}, in, evaluate(in, p_), "f"));  // a draft
}

TEST_F(Workflow, ImplementedMeasuresLowerTheAssessedResidualRisk) {
  using S = MitigationStatus;
  std::vector<domain::MitigationState> m{mitigation("remote-supervised-recorded", S::kImplemented),
                                         mitigation("server-room-escort", S::kImplemented),
                                         mitigation("onsite-coordination", S::kImplemented),
                                         mitigation("update-validation", S::kImplemented),
                                         mitigation("technician-screening", S::kImplemented)};
  const Inputs in = inputs(m);
  auto a = start_assessment(reg_, {"as-1", "ana", "t"}, in, evaluate(in, p_), fingerprint(in, p_));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->inherent, domain::RiskLevel::kVeryHigh);
  EXPECT_EQ(a->residual, domain::RiskLevel::kHigh);
  EXPECT_EQ(a->mitigations.size(), 5u);
}

// Staleness: a change of ownership, of access, of mitigations changes the fingerprint.
TEST_F(Workflow, StaleOnAChangeOfOwnershipAccessOrMitigations) {
  const std::string base = fingerprint(inputs(), p_);
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(base, fingerprint(inputs(), p_));  // deterministic

  domain::OwnershipDataset ds = seed_dataset();
  ds.edges[1].share = domain::Share::exact(0.25);  // CNNC now 25% of Tongfang
  const Built changed = build(ds, p_);
  const std::string ownership_fp = fingerprint(inputs_for(reg_, "nuctech", &changed), p_);
  EXPECT_NE(ownership_fp, base);

  domain::Register reg = reg_;
  reg.remote_access_policies[0].supervised = false;
  EXPECT_NE(fingerprint(inputs_for(reg, "nuctech", &built_), p_), base);
  reg = reg_;
  reg.assets[4].room.clear();  // the server leaves the server room
  EXPECT_NE(fingerprint(inputs_for(reg, "nuctech", &built_), p_), base);

  const std::string planned =
      fingerprint(inputs({mitigation("server-separation", MitigationStatus::kPlanned)}), p_);
  EXPECT_NE(planned, base);
  EXPECT_NE(fingerprint(inputs({mitigation("server-separation", MitigationStatus::kVerified)}), p_),
            planned);
  // A note or who changed a status does not count.
  auto noted = mitigation("server-separation", MitigationStatus::kPlanned);
  noted.note = "rack ordered";
  noted.updated_by = "ola";
  EXPECT_EQ(fingerprint(inputs({noted}), p_), planned);

  domain::Assessment a = start();
  judge_all(a, "ana");
  ASSERT_TRUE(sign_off(a, reg_, "bob", base, "t"));
  EXPECT_FALSE(is_stale(a, base));
  EXPECT_FALSE(mark_stale_if_changed(a, base));
  EXPECT_TRUE(mark_stale_if_changed(a, ownership_fp));
  EXPECT_EQ(a.status, AssessmentStatus::kStale);
  const Inputs in = inputs();
  EXPECT_FALSE(refresh_draft(a, in, evaluate(in, p_), base));  // signed off: revise instead
}

TEST_F(Workflow, AStaleDraftIsRefreshedAndCannotBeSignedBeforehand) {
  domain::Assessment a = start();
  judge_all(a, "ana");
  const Inputs now = inputs({mitigation("external-audit", MitigationStatus::kPlanned)});
  const std::string current = fingerprint(now, p_);
  EXPECT_EQ(sign_off(a, reg_, "bob", current, "t").error().code(), core::Code::kFailedPrecondition);
  ASSERT_TRUE(mark_stale_if_changed(a, current));
  ASSERT_TRUE(refresh_draft(a, now, evaluate(now, p_), current));
  EXPECT_EQ(a.status, AssessmentStatus::kDraft);
  EXPECT_EQ(a.result(Criterion::k1)->judgement, "agree with the evidence");  // kept
  EXPECT_TRUE(sign_off(a, reg_, "bob", current, "t"));
}

TEST_F(Workflow, JsonRoundTripIsExactAndCanonical) {
  domain::Assessment a = start();
  judge_all(a, "ana");
  ASSERT_TRUE(sign_off(a, reg_, "bob", a.inputs_fingerprint, "2021-04-22T12:00:00Z"));
  a.mitigations.push_back(mitigation("external-audit", MitigationStatus::kPlanned));
  const nlohmann::json j = domain::assessment_to_json(a);
  auto text = core::canonical_dump(j);  // no floats anywhere
  ASSERT_TRUE(text) << text.error().to_string();
  EXPECT_NE(text->find("\"min\":1596"), std::string::npos);
  auto parsed = core::parse_json_strict(*text);
  ASSERT_TRUE(parsed);
  auto back = domain::assessment_from_json(*parsed);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, a);
}

TEST_F(Workflow, BadJsonIsRejectedWithThePath) {
  const nlohmann::json good = domain::assessment_to_json(start());
  auto error_of = [](nlohmann::json j) {
    auto r = domain::assessment_from_json(j);
    return r ? std::string("accepted") : r.error().message();
  };
  nlohmann::json j = good;
  j["extra"] = 1;
  EXPECT_EQ(error_of(j), "assessment.extra: unknown key");
  j = good;
  j["criteria"][0]["evidence"][0]["figures"] = {{{"label", "x"}, {"min", 1.5}}};
  EXPECT_EQ(error_of(j), "assessment.criteria[0].evidence[0].figures[0].min: expected an integer");
  j = good;
  j["criteria"][2]["suggested"] = "maybe";
  EXPECT_NE(error_of(j).find("assessment.criteria[2].suggested"), std::string::npos);
  j = good;
  j["criteria"].erase(3);
  EXPECT_NE(error_of(j).find("one result per criterion"), std::string::npos);
  j = good;
  j["mitigations"] = {{{"id", "magic"}, {"status", "verified"}}};
  EXPECT_NE(error_of(j).find("not in the mitigation catalogue"), std::string::npos);
  j = good;
  j["inputs_fingerprint"] = "abc";
  EXPECT_NE(error_of(j).find("inputs_fingerprint"), std::string::npos);
  EXPECT_EQ(error_of(nlohmann::json::array()), "assessment: expected an object");
}

TEST(CriterionWording, TheCabinetsQuestionsInEnglishAndDutch) {
  EXPECT_NE(domain::criterion_wording(Criterion::k1).dutch.find("staatsbedrijf"),
            std::string_view::npos);
  EXPECT_NE(domain::criterion_wording(Criterion::k2).dutch.find("actief offensief"),
            std::string_view::npos);
  EXPECT_NE(domain::criterion_wording(Criterion::k3a).english.find("extensive access"),
            std::string_view::npos);
  EXPECT_NE(domain::criterion_wording(Criterion::k3b).dutch.find("mogelijk en realiseerbaar"),
            std::string_view::npos);
  EXPECT_EQ(*domain::parse_criterion("3a"), Criterion::k3a);
  EXPECT_FALSE(domain::parse_criterion("4"));
}

}  // namespace
}  // namespace pw::assessment

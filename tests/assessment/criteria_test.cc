// Each criterion's rules (assessment/evaluate.h), with the evidence they rest on.
#include <gtest/gtest.h>

#include "assessment/evaluate.h"
#include "assessment/fixtures.h"

namespace pw::assessment {
namespace {

using domain::Answer;
using domain::Criterion;
using domain::MitigationStatus;
using namespace testing;

const domain::CriterionResult& result(const Evaluation& ev, Criterion c) {
  return ev.criteria[static_cast<std::size_t>(c)];
}

class Criteria : public ::testing::Test {
 protected:
  Evaluation nuctech(std::vector<domain::MitigationState> m = {}) {
    const Built b = build(seed_dataset(), p_);
    return evaluate(inputs_for(reg_, "nuctech", &b, std::move(m)), p_);
  }
  domain::CountryProfiles p_ = profiles();
  domain::Register reg_ = site();
};

TEST_F(Criteria, NuctechAnswersYesOnOneTwoAndThreeA) {
  const Evaluation ev = nuctech();
  ASSERT_EQ(ev.criteria.size(), 4u);
  const auto& c1 = result(ev, Criterion::k1);
  EXPECT_EQ(c1.suggested, Answer::kYes);
  EXPECT_EQ(c1.rule, "1.origin-law");
  EXPECT_TRUE(mentions(c1, "CN state: 15.96% (exact) of Nuctech Company Limited"));
  EXPECT_TRUE(mentions(c1,
                       "China National Nuclear Corporation -21%-> Tongfang Co., Ltd. -76%-> "
                       "Nuctech Company Limited = 15.96%"));
  EXPECT_TRUE(mentions(c1, "weakest link 21%, no majority chain (>50%)"));
  EXPECT_TRUE(mentions(c1, "National Intelligence Law"));
  EXPECT_TRUE(mentions(c1, "taken as a body of the CN state"));
  EXPECT_EQ(result(ev, Criterion::k2).suggested, Answer::kYes);
  EXPECT_EQ(result(ev, Criterion::k2).rule, "2.named");
  EXPECT_EQ(result(ev, Criterion::k3a).suggested, Answer::kYes);
  EXPECT_EQ(result(ev, Criterion::k3a).rule, "3a.extensive");
  EXPECT_TRUE(mentions(result(ev, Criterion::k3a), "4 of them on the closed scan network"));
  EXPECT_TRUE(mentions(result(ev, Criterion::k3a), "shared with other vendors' servers: srv"));
  EXPECT_EQ(result(ev, Criterion::k3b).suggested, Answer::kUnknown);
  EXPECT_EQ(result(ev, Criterion::k3b).rule, "3b.none-committed");
  EXPECT_EQ(ev.risk.inherent, domain::RiskLevel::kVeryHigh);
  EXPECT_EQ(ev.risk.residual, domain::RiskLevel::kVeryHigh);
  // Every piece of evidence carries a dated source.
  for (const auto& r : ev.criteria) {
    for (const auto& e : r.evidence) {
      if (e.kind != domain::EvidenceKind::kNote) {
        EXPECT_FALSE(e.sources.empty()) << e.text;
      }
    }
  }
}

TEST_F(Criteria, OneIsYesForAStateCompanyAndForControlFromALawCountry) {
  // A Dutch company wholly owned by CNNC: a state company of China.
  domain::OwnershipDataset ds = seed_dataset();
  domain::Entity nl{"nlsub", domain::EntityKind::kCompany, "NL Sub BV", "NL", {}, ""};
  ds.entities.push_back(nl);
  ds.edges.push_back({"cnnc",
                      "nlsub",
                      domain::Interest::kShareholding,
                      domain::Share::exact(1.0),
                      true,
                      {},
                      {},
                      ""});
  reg_.organisations.push_back(
      {"nlsub", "NL Sub BV", domain::OrgKind::kVendor, "NL", "nlsub", {}, "fictional"});
  const Built b = build(ds, p_);
  const Evaluation ev = evaluate(inputs_for(reg_, "nlsub", &b), p_);
  EXPECT_EQ(result(ev, Criterion::k1).suggested, Answer::kYes);
  EXPECT_EQ(result(ev, Criterion::k1).rule, "1.state-company");

  // 60% through Tongfang instead: controlled by a company from a general-law country.
  ds.edges.back() = {
      "tongfang", "nlsub", domain::Interest::kShareholding, domain::Share::exact(0.6), true, {},
      {},         ""};
  const Built b2 = build(ds, p_);
  const Evaluation ev2 = evaluate(inputs_for(reg_, "nlsub", &b2), p_);
  EXPECT_EQ(result(ev2, Criterion::k1).suggested, Answer::kYes);
  EXPECT_EQ(result(ev2, Criterion::k1).rule, "1.control-law");
  // Criterion 2 speaks of origin: NL, but tied to CN by control.
  EXPECT_EQ(result(ev2, Criterion::k2).suggested, Answer::kPartly);
  EXPECT_EQ(result(ev2, Criterion::k2).rule, "2.controller");
}

TEST_F(Criteria, OneIsPartlyForAMinorityThatIsAMajorityAtALowerThreshold) {
  domain::OwnershipDataset ds = seed_dataset();
  ds.entities.push_back({"nlsub", domain::EntityKind::kCompany, "NL Sub BV", "NL", {}, ""});
  ds.edges.push_back({"tongfang",
                      "nlsub",
                      domain::Interest::kShareholding,
                      domain::Share::exact(0.3),
                      true,
                      {},
                      {},
                      ""});
  reg_.organisations.push_back(
      {"nlsub", "NL Sub BV", domain::OrgKind::kVendor, "NL", "nlsub", {}, "fictional"});
  const Built b = build(ds, p_);
  const Evaluation ev = evaluate(inputs_for(reg_, "nlsub", &b), p_);
  EXPECT_EQ(result(ev, Criterion::k1).suggested, Answer::kPartly);
  EXPECT_EQ(result(ev, Criterion::k1).rule, "1.possible-control");
}

TEST_F(Criteria, OneIsNoForAnAlliedSupplierWithoutForeignOwnersAndUnknownWithoutData) {
  domain::OwnershipDataset ds = seed_dataset();
  ds.entities.push_back({"acme", domain::EntityKind::kCompany, "Acme Scan Inc.", "US", {}, ""});
  reg_.organisations[2].ownership_entity = "acme";
  const Built b = build(ds, p_);
  const Evaluation ev = evaluate(inputs_for(reg_, "acme", &b), p_);
  EXPECT_EQ(result(ev, Criterion::k1).suggested, Answer::kNo);
  EXPECT_EQ(result(ev, Criterion::k1).rule, "1.none");
  EXPECT_TRUE(mentions(result(ev, Criterion::k1), "cooperation law sectoral"));
  EXPECT_EQ(result(ev, Criterion::k2).suggested, Answer::kNo);

  const Evaluation no_data = evaluate(inputs_for(reg_, "acme", nullptr), p_);
  EXPECT_EQ(result(no_data, Criterion::k1).suggested, Answer::kUnknown);
  EXPECT_EQ(result(no_data, Criterion::k1).rule, "1.no-ownership");

  reg_.organisations[2].country = "ZZ";  // no profile
  const Evaluation no_profile = evaluate(inputs_for(reg_, "acme", nullptr), p_);
  EXPECT_EQ(result(no_profile, Criterion::k1).rule, "1.no-origin");
  EXPECT_EQ(result(no_profile, Criterion::k2).suggested, Answer::kUnknown);
  EXPECT_EQ(result(no_profile, Criterion::k2).rule, "2.no-origin");
}

TEST_F(Criteria, TwoFollowsTheProfile) {
  reg_.organisations[2].ownership_entity.clear();
  p_.countries[2].relations.value = domain::Relations::kTense;
  EXPECT_EQ(result(evaluate(inputs_for(reg_, "acme", nullptr), p_), Criterion::k2).rule, "2.tense");
  p_.countries[2].relations.value = domain::Relations::kUnknown;
  EXPECT_EQ(result(evaluate(inputs_for(reg_, "acme", nullptr), p_), Criterion::k2).suggested,
            Answer::kUnknown);
  p_.countries[2].offensive_programme.finding = domain::ThreatFinding::kNamed;
  p_.countries[2].offensive_programme.basis.confidence = domain::Confidence::kLow;
  const auto r = result(evaluate(inputs_for(reg_, "acme", nullptr), p_), Criterion::k2);
  EXPECT_EQ(r.suggested, Answer::kPartly);
  EXPECT_EQ(r.rule, "2.weakly-named");
}

TEST_F(Criteria, ThreeAGradesTheAccess) {
  // Acme: one medium server in the server room: limited.
  const auto acme = result(evaluate(inputs_for(reg_, "acme", nullptr), p_), Criterion::k3a);
  EXPECT_EQ(acme.suggested, Answer::kPartly);
  EXPECT_EQ(acme.rule, "3a.limited");
  // Low-criticality on-site assets only: no.
  reg_.assets[5].criticality = domain::Criticality::kLow;
  reg_.assets[5].room.clear();
  EXPECT_EQ(result(evaluate(inputs_for(reg_, "acme", nullptr), p_), Criterion::k3a).suggested,
            Answer::kNo);
  // Not in the register: unknown, and so is 3b.
  reg_.organisations.pop_back();
  reg_.organisations.push_back({"ghost", "Ghost", domain::OrgKind::kVendor, "US", "", {}, ""});
  Inputs in = inputs_for(reg_, "ghost", nullptr);
  in.access.in_register = false;
  const Evaluation ev = evaluate(in, p_);
  EXPECT_EQ(result(ev, Criterion::k3a).suggested, Answer::kUnknown);
  EXPECT_EQ(result(ev, Criterion::k3b).suggested, Answer::kUnknown);
}

TEST_F(Criteria, ThreeBFollowsTheMitigationStatuses) {
  using S = MitigationStatus;
  // Some channels covered by planned measures: partly.
  auto ev = nuctech({mitigation("remote-supervised-recorded", S::kPlanned),
                     mitigation("server-separation", S::kImplemented)});
  EXPECT_EQ(result(ev, Criterion::k3b).suggested, Answer::kPartly);
  EXPECT_TRUE(mentions(result(ev, Criterion::k3b), "not covered: on_site, software, personnel"));
  // Every channel covered (planned is enough for 3b).
  ev = nuctech({mitigation("remote-supervised-recorded", S::kPlanned),
                mitigation("server-room-escort", S::kPlanned),
                mitigation("camera-coverage", S::kImplemented),
                mitigation("update-validation", S::kPlanned),
                mitigation("technician-screening", S::kVerified)});
  EXPECT_EQ(result(ev, Criterion::k3b).suggested, Answer::kYes);
  EXPECT_EQ(result(ev, Criterion::k3b).rule, "3b.covered");
  // Every remote measure judged infeasible: no.
  std::vector<domain::MitigationState> infeasible;
  for (const auto& d : domain::mitigation_catalogue()) {
    if (d.channel != domain::AccessChannel::kRemote) continue;
    auto m = mitigation(std::string(d.id), S::kProposed);
    m.feasible = false;
    infeasible.push_back(m);
  }
  ev = nuctech(infeasible);
  EXPECT_EQ(result(ev, Criterion::k3b).suggested, Answer::kNo);
  EXPECT_EQ(result(ev, Criterion::k3b).rule, "3b.infeasible");
  // No access at all: nothing to mitigate.
  reg_.assets.erase(std::remove_if(reg_.assets.begin(), reg_.assets.end(),
                                   [](const auto& a) { return a.vendor == "acme"; }),
                    reg_.assets.end());
  const auto none = evaluate(inputs_for(reg_, "acme", nullptr), p_);
  EXPECT_EQ(result(none, Criterion::k3a).suggested, Answer::kNo);
  EXPECT_EQ(result(none, Criterion::k3b).suggested, Answer::kYes);
  EXPECT_EQ(result(none, Criterion::k3b).rule, "3b.no-access");
}

TEST_F(Criteria, GatherRejectsUnknownSuppliersAndBrokenLinks) {
  const Built b = build(seed_dataset(), p_);
  EXPECT_EQ(gather_inputs(reg_, "nobody", &b.graph, {}, {}, kAsOf).error().code(),
            core::Code::kNotFound);
  reg_.organisations[1].ownership_entity = "missing";
  auto in = gather_inputs(reg_, "nuctech", &b.graph, {}, {}, kAsOf);
  ASSERT_FALSE(in);
  EXPECT_NE(in.error().message().find("organisation nuctech ownership_entity"), std::string::npos)
      << in.error().message();
  reg_.organisations[1].ownership_entity = "nuctech";
  EXPECT_FALSE(gather_inputs(reg_, "nuctech", &b.graph, {},
                             {mitigation("no-such-measure", MitigationStatus::kPlanned)}, kAsOf));
}

}  // namespace
}  // namespace pw::assessment

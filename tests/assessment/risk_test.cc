// The risk table of assessment/evaluate.h: inherent from 1, 2, 3a; residual lowered only by
// implemented or verified measures.
#include <gtest/gtest.h>

#include "assessment/evaluate.h"
#include "assessment/fixtures.h"

namespace pw::assessment {
namespace {

using domain::AccessChannel;
using domain::Answer;
using domain::MitigationStatus;
using domain::RiskLevel;
using testing::mitigation;

RiskLevel inherent(Answer a1, Answer a2, Answer a3a) {
  return derive_risk(a1, a2, a3a, {}, {}).inherent;
}

TEST(Risk, InherentFollowsTheTable) {
  const Answer Y = Answer::kYes, N = Answer::kNo, P = Answer::kPartly, U = Answer::kUnknown;
  EXPECT_EQ(inherent(N, N, N), RiskLevel::kLow);
  EXPECT_EQ(inherent(N, N, P), RiskLevel::kLow);
  EXPECT_EQ(inherent(N, N, Y), RiskLevel::kMedium);
  EXPECT_EQ(inherent(Y, N, N), RiskLevel::kLow);
  EXPECT_EQ(inherent(Y, N, P), RiskLevel::kMedium);
  EXPECT_EQ(inherent(Y, N, Y), RiskLevel::kHigh);
  EXPECT_EQ(inherent(Y, P, N), RiskLevel::kMedium);
  EXPECT_EQ(inherent(Y, P, P), RiskLevel::kHigh);
  EXPECT_EQ(inherent(Y, Y, Y), RiskLevel::kVeryHigh);
  // Unknown is never read as no: it counts as partly.
  EXPECT_EQ(inherent(U, U, U), RiskLevel::kMedium);
  EXPECT_EQ(inherent(Y, U, Y), RiskLevel::kVeryHigh);
  EXPECT_EQ(inherent(Y, Y, U), RiskLevel::kHigh);
}

TEST(Risk, OnlyImplementedOrVerifiedMeasuresLowerTheResidual) {
  using S = MitigationStatus;
  const std::vector<AccessChannel> channels{AccessChannel::kRemote, AccessChannel::kServerRoom};
  auto residual = [&](std::vector<domain::MitigationState> m) {
    return derive_risk(Answer::kYes, Answer::kYes, Answer::kYes, channels, m).residual;
  };
  EXPECT_EQ(residual({}), RiskLevel::kVeryHigh);
  // Planned: no effect.
  EXPECT_EQ(residual({mitigation("remote-time-boxed", S::kPlanned),
                      mitigation("server-room-escort", S::kPlanned)}),
            RiskLevel::kVeryHigh);
  // One channel implemented, the other not: no effect.
  EXPECT_EQ(residual({mitigation("remote-time-boxed", S::kImplemented),
                      mitigation("server-room-escort", S::kPlanned)}),
            RiskLevel::kVeryHigh);
  // Both implemented: one step.
  EXPECT_EQ(residual({mitigation("remote-time-boxed", S::kImplemented),
                      mitigation("server-room-escort", S::kImplemented)}),
            RiskLevel::kHigh);
  // Both verified but the audit not: still one step.
  EXPECT_EQ(residual({mitigation("remote-time-boxed", S::kVerified),
                      mitigation("server-room-escort", S::kVerified)}),
            RiskLevel::kHigh);
  // Verified and audited: two steps, and a strong threat never goes below medium.
  const std::vector<domain::MitigationState> all{mitigation("remote-time-boxed", S::kVerified),
                                                 mitigation("server-room-escort", S::kVerified),
                                                 mitigation("external-audit", S::kVerified)};
  EXPECT_EQ(residual(all), RiskLevel::kMedium);
  // An infeasible measure never counts.
  auto infeasible = all;
  infeasible[1].feasible = false;
  EXPECT_EQ(residual(infeasible), RiskLevel::kVeryHigh);
  // A moderate threat with everything verified ends low.
  EXPECT_EQ(derive_risk(Answer::kYes, Answer::kNo, Answer::kYes, channels, all).residual,
            RiskLevel::kLow);
  const RiskDerivation d = derive_risk(Answer::kYes, Answer::kYes, Answer::kYes, channels, all);
  EXPECT_EQ(d.reasons.front(), "threat strong: criterion 1 yes, criterion 2 yes (score 4 of 4)");
  EXPECT_EQ(d.reasons.back(), "residual medium");
}

TEST(Risk, TheAnalystsAnswersDriveTheAssessmentsRisk) {
  domain::Assessment a;
  for (domain::Criterion c : domain::kCriteria) {
    domain::CriterionResult r;
    r.criterion = c;
    a.criteria.push_back(r);
  }
  a.criteria[0].suggested = Answer::kYes;
  a.criteria[1].suggested = Answer::kYes;
  a.criteria[2].suggested = Answer::kYes;
  EXPECT_EQ(derive_risk(a).inherent, RiskLevel::kVeryHigh);
  a.criteria[2].analyst_answer = Answer::kNo;
  EXPECT_EQ(derive_risk(a).inherent, RiskLevel::kMedium);
}

}  // namespace
}  // namespace pw::assessment

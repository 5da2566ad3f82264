// The shipped data/countries.toml and data/access-policy.toml parse; bad files are rejected with
// the file, the key (and so the country or level) and the line named.
#include "formats/countries.h"

#include <gtest/gtest.h>

#include <string>

#include "formats/access_policy.h"
#include "support/test_support.h"

namespace pw::formats {
namespace {

std::string data_file(const char* name) {
  return (pw::testing::tests_dir().parent_path() / "data" / name).string();
}

TEST(CountryProfiles, TheShippedFileParsesWithSourcesForEveryStatement) {
  auto p = read_country_profiles(data_file("countries.toml"));
  ASSERT_TRUE(p) << p.error().to_string();
  for (const char* code : {"CN", "RU", "IR", "KP", "NL", "US", "DE", "FR", "GB"}) {
    const domain::CountryProfile* c = p->find(code);
    ASSERT_NE(c, nullptr) << code;
    EXPECT_FALSE(c->cooperation_law.basis.sources.empty()) << code;
    EXPECT_FALSE(c->offensive_programme.basis.sources.empty()) << code;
    EXPECT_FALSE(c->relations.basis.sources.empty()) << code;
  }
  const domain::CountryProfile& cn = *p->find("CN");
  EXPECT_EQ(cn.cooperation_law.scope, domain::CooperationLaw::kGeneral);
  EXPECT_EQ(cn.cooperation_law.article, "art. 7");
  EXPECT_NE(cn.cooperation_law.law.find("National Intelligence Law"), std::string::npos);
  EXPECT_EQ(domain::format_date(cn.cooperation_law.basis.sources[0].as_of), "2017-06-28");
  EXPECT_EQ(cn.offensive_programme.finding, domain::ThreatFinding::kNamed);
  bool cnnc = false;
  for (const auto& b : cn.state_bodies) {
    for (const auto& n : b.names) cnnc = cnnc || n == "China National Nuclear Corporation";
  }
  EXPECT_TRUE(cnnc);
  EXPECT_EQ(p->find("RU")->relations.value, domain::Relations::kTense);
  EXPECT_EQ(p->find("NL")->cooperation_law.scope, domain::CooperationLaw::kSectoral);
  EXPECT_EQ(p->find("KP")->cooperation_law.scope, domain::CooperationLaw::kUnknown);
}

constexpr const char* kMinimal = R"(version = 1
[countries.XX]
name = "Testland"
[countries.XX.cooperation_law]
scope = "general"
law = "Test Law"
confidence = "high"
sources = [{ title = "Test", as_of = 2020-01-01 }]
[countries.XX.offensive_programme]
finding = "named"
confidence = "high"
sources = [{ title = "Test", as_of = "2020-01-01" }]
[countries.XX.relations]
value = "normal"
confidence = "low"
sources = [{ title = "Test", as_of = 2020-01-01 }]
)";

std::string error_of(const std::string& text) {
  auto p = parse_country_profiles(text, "countries.toml");
  return p ? "accepted" : p.error().message();
}

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}

TEST(CountryProfiles, BadFilesNameFileCountryKeyAndLine) {
  EXPECT_EQ(error_of(kMinimal), "accepted");
  EXPECT_EQ(error_of(replaced(kMinimal, "scope = \"general\"", "scope = \"genral\"")),
            "countries.toml: countries.XX.cooperation_law.scope (line 5): unknown value 'genral' "
            "(want general, sectoral, none, unknown)");
  EXPECT_EQ(error_of(replaced(kMinimal, "name = \"Testland\"", "name = \"T\"\ncapital = \"x\"")),
            "countries.toml: countries.XX.capital (line 4): unknown key (allowed: name, "
            "cooperation_law, offensive_programme, relations, state_bodies)");
  EXPECT_EQ(error_of(replaced(kMinimal, "sources = [{ title = \"Test\", as_of = \"2020-01-01\" }]",
                              "sources = []")),
            "countries.toml: countries.XX.offensive_programme.sources (line 12): at least one "
            "source is required");
  EXPECT_EQ(error_of(replaced(kMinimal, "as_of = 2020-01-01 }]\n[countries.XX.off",
                              "as_of = 2020 }]\n[countries.XX.off")),
            "countries.toml: countries.XX.cooperation_law.sources[0].as_of (line 8): expected a "
            "date (YYYY-MM-DD), found an integer");
  EXPECT_EQ(error_of(replaced(kMinimal, "law = \"Test Law\"\n", "")),
            "countries.toml: countries.XX.cooperation_law.law: is required when scope is general "
            "or sectoral (name the law)");
  std::string lower(kMinimal);
  for (std::size_t at; (at = lower.find("XX")) != std::string::npos;) lower.replace(at, 2, "Xy");
  EXPECT_EQ(error_of(lower),
            "countries.toml: countries.Xy: not an ISO 3166-1 alpha-2 code in capitals");
  EXPECT_NE(error_of("version = 1\n[countries\n").find("countries.toml:2:"), std::string::npos)
      << error_of("version = 1\n[countries\n");
  EXPECT_NE(error_of("version = 2\n[countries]\n").find("unsupported version"), std::string::npos);
  const std::string body = std::string(kMinimal) +
                           "[[countries.XX.state_bodies]]\nname = \"Ministry\"\nconfidence = "
                           "\"high\"\nsources = [{ title = \"T\", as_of = 2020-01-01 }]\n";
  EXPECT_NE(error_of(body).find("countries.XX.state_bodies[0].names: a state body needs names or "
                                "identifiers"),
            std::string::npos)
      << error_of(body);
  auto missing = read_country_profiles("/nonexistent/countries.toml");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("/nonexistent/countries.toml"), std::string::npos);
}

TEST(AccessPolicy, TheShippedFileParsesAndTightensWithTheLevel) {
  auto p = read_access_policy(data_file("access-policy.toml"));
  ASSERT_TRUE(p) << p.error().to_string();
  const auto& high = p->for_level(domain::RiskLevel::kHigh);
  EXPECT_EQ(high.level, domain::RiskLevel::kHigh);
  EXPECT_EQ(high.remote, domain::RemoteMode::kSupervised);
  EXPECT_TRUE(high.recorded);
  EXPECT_EQ(high.max_session_minutes, 240);
  EXPECT_EQ(high.server_room, domain::RoomEntry::kEscorted);
  EXPECT_EQ(high.approvals, (std::vector<domain::Role>{domain::Role::kCustomsOperator,
                                                       domain::Role::kSecurityOfficer}));
  EXPECT_EQ(p->for_level(domain::RiskLevel::kVeryHigh).remote, domain::RemoteMode::kSuspended);
  EXPECT_EQ(p->for_level(domain::RiskLevel::kLow).remote, domain::RemoteMode::kAllowed);
}

TEST(AccessPolicy, BadFilesAreRejectedWithTheKeyNamed) {
  const std::string good = pw::testing::read_file(data_file("access-policy.toml"));
  auto error_of_policy = [](const std::string& text) {
    auto p = parse_access_policy(text, "access-policy.toml");
    return p ? std::string("accepted") : p.error().message();
  };
  EXPECT_EQ(error_of_policy(good), "accepted");
  // A higher level more permissive than a lower one.
  EXPECT_EQ(
      error_of_policy(replaced(good, "max_session_minutes = 240", "max_session_minutes = 600")),
      "access-policy.toml: levels.medium: max_session_minutes: longer sessions at medium than at "
      "low");
  EXPECT_EQ(
      error_of_policy(replaced(good, "remote = \"supervised\"\nrecorded = true",
                               "remote = \"supervised\"\nrecorded = false")),
      "access-policy.toml: levels.high: recorded: unrecorded sessions at high than at medium");
  EXPECT_NE(error_of_policy(replaced(good, "max_session_minutes = 0", "max_session_minutes = 30"))
                .find("levels.very_high.max_session_minutes"),
            std::string::npos);
  EXPECT_NE(
      error_of_policy(replaced(good, "approvals = [\"customs_operator\", \"security_officer\"]",
                               "approvals = [\"customs_operator\", \"janitor\"]"))
          .find("levels.high.approvals"),
      std::string::npos);
  EXPECT_NE(error_of_policy(replaced(good, "[levels.medium]", "[levels.medium]\ncolour = 1"))
                .find("levels.medium.colour"),
            std::string::npos);
  EXPECT_NE(error_of_policy(replaced(good, "recorded = true", "recorded = \"yes\""))
                .find("levels.low.recorded"),
            std::string::npos);
  EXPECT_NE(error_of_policy("version = 1\n[levels.low]\n").find("levels.low"), std::string::npos);
}

}  // namespace
}  // namespace pw::formats

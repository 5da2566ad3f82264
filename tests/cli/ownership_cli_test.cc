// Ownership commands through the real binary: import a register file, explain the seed's chain
// (Q7: CNNC 21% of Tongfang, Tongfang 76% of Nuctech = 15.96%), exposure, diagram, bad files.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli_test_util.h"

namespace pw::testing {
namespace {

std::string fixture(const std::string& name) {
  return (tests_dir() / "formats" / "fixtures" / name).string();
}

class OwnershipCli : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = j_.run({"ownership", "import", fixture("nuctech-bods-0.4.json"), "--format", "bods"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  JournalDir j_;
};

TEST_F(OwnershipCli, ExplainPrintsTheSeedChainFromABodsFile) {
  auto r = j_.run({"ownership", "explain", "Nuctech Company Limited", "--owner",
                   "China National Nuclear Corporation"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("China National Nuclear Corporation -> Tongfang Co., Ltd. 21% -> "
                       "Nuctech Company Limited 76% = 15.96%"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("weakest link 21%"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no majority chain"), std::string::npos) << r.out;
}

TEST_F(OwnershipCli, ExplainJsonCarriesTheExactFigure) {
  auto r = j_.run(
      {"--json", "ownership", "explain", "bods:nuctech", "--owner", "lei:FIXTURE0000000CNNC01"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["integrated"]["min"].get<double>(), 0.1596, 1e-12);
  EXPECT_NEAR(j["integrated"]["max"].get<double>(), 0.1596, 1e-12);
  EXPECT_EQ(j["paths"].size(), 1u);
}

TEST_F(OwnershipCli, TheImportIsOneJournalEventAndRepeatingItChangesNothing) {
  auto before = j_.run({"--json", "journal", "checkpoint"});
  auto r = j_.run({"ownership", "import", fixture("nuctech-bods-0.4.json"), "--format", "bods"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("already imported"), std::string::npos) << r.out;
  auto after = j_.run({"--json", "journal", "checkpoint"});
  EXPECT_EQ(nlohmann::json::parse(before.out)["size"], nlohmann::json::parse(after.out)["size"]);
  EXPECT_EQ(nlohmann::json::parse(after.out)["size"], 2);  // init + one import
  EXPECT_EQ(j_.run({"journal", "verify"}).exit_code, 0);
}

TEST_F(OwnershipCli, ShowListsOwnersAndHoldings) {
  auto r = j_.run({"ownership", "show", "Tongfang Co., Ltd."});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("China National Nuclear Corporation  21%  shareholding"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Nuctech Company Limited  76%  shareholding"), std::string::npos) << r.out;
}

TEST_F(OwnershipCli, ExposurePrintsOneJsonObjectPerLine) {
  auto r = j_.run({"--json", "ownership", "exposure", "--state", "CN"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::size_t lines = 0;
  for (std::size_t pos = 0; pos < r.out.size();) {
    std::size_t nl = r.out.find('\n', pos);
    auto j = nlohmann::json::parse(r.out.substr(pos, nl - pos));
    for (const char* k : {"entity", "name", "state", "min", "max"}) EXPECT_TRUE(j.contains(k)) << k;
    EXPECT_EQ(j["state"], "CN");
    ++lines;
    pos = nl + 1;
  }
  EXPECT_GE(lines, 1u);
}

TEST_F(OwnershipCli, GraphWritesAnSvgWithTheChain) {
  auto svg = j_.dir() / "nuctech.svg";
  auto r = j_.run({"ownership", "graph", "Nuctech Company Limited", "--svg", svg.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string text = read_file(svg);
  EXPECT_NE(text.find("<svg"), std::string::npos);
  EXPECT_NE(text.find("Tongfang Co., Ltd."), std::string::npos);
  EXPECT_NE(text.find("21%"), std::string::npos);
}

TEST_F(OwnershipCli, UnknownEntityIsNamed) {
  auto r = j_.run({"ownership", "explain", "No Such Company"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("No Such Company"), std::string::npos) << r.err;
}

TEST(OwnershipCliBadInput, StrictImportOfABadFileWritesNothing) {
  JournalDir j;
  auto bad = j.dir() / "bad.jsonl";
  write_file(
      bad,
      R"({"recordId":"a","recordType":"entity","recordDetails":{"entityType":{"type":"registeredEntity"},"name":"A"}})"
      "\n{\"recordId\": \"b\", truncated\n");
  auto r = j.run({"ownership", "import", bad.string(), "--format", "bods", "--strict"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("record 2"), std::string::npos) << r.err;
  auto cp = j.run({"--json", "journal", "checkpoint"});
  EXPECT_EQ(nlohmann::json::parse(cp.out)["size"], 1);
  EXPECT_FALSE(std::filesystem::exists(j.dir() / "j.blobs" / "sha256" / ".incoming"));
}

TEST(OwnershipCliBadInput, QueriesBeforeAnyImportSayWhatToDo) {
  JournalDir j;
  auto r = j.run({"ownership", "exposure"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("ownership import"), std::string::npos) << r.err;
}

TEST(OwnershipCliBadInput, ChangedBlobIsRefused) {
  JournalDir j;
  ASSERT_EQ(j.run({"ownership", "import", fixture("nuctech-bods-0.4.json"), "--format", "bods"})
                .exit_code,
            0);
  for (const auto& f : std::filesystem::directory_iterator(j.dir() / "j.blobs" / "sha256")) {
    std::string text = read_file(f.path());
    text[text.find("\"exact\": 21") + 10] = '9';
    write_file(f.path(), text);
  }
  auto r = j.run({"ownership", "explain", "Nuctech Company Limited"});
  EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
  EXPECT_NE(r.err.find("does not match the SHA-256"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace pw::testing

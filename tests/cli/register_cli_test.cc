// The site register through the real binary: the Rotterdam scenario imports, re-imports as a
// no-op, yields its findings; bad inventories are refused with file and key named and nothing
// journaled; decisions on findings are journaled.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_test_util.h"

namespace pw::testing {
namespace {

namespace fs = std::filesystem;

std::string rotterdam() {
  return (tests_dir().parent_path() / "examples" / "rotterdam").string();
}

std::uint64_t journal_size(const JournalDir& j) {
  auto r = j.run({"--json", "journal", "checkpoint"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out).at("size").get<std::uint64_t>();
}

nlohmann::json findings(const JournalDir& j, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--json", "findings", "--today", "2026-12-01"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = j.run(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

bool has_finding(const nlohmann::json& list, const std::string& id) {
  for (const auto& f : list) {
    if (f.at("id") == id) return true;
  }
  return false;
}

TEST(RegisterCli, RotterdamScenarioImportsOnceAndYieldsTheServerRoomFinding) {
  JournalDir j;
  auto r = j.run({"--json", "inventory", "import", rotterdam()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto report = nlohmann::json::parse(r.out);
  EXPECT_GT(report.at("added").get<int>(), 100);
  EXPECT_EQ(report.at("tables").at("asset").at("added"), 23);
  const std::uint64_t size = journal_size(j);

  // The same inventory again: nothing changes, nothing is journaled.
  r = j.run({"--json", "inventory", "import", rotterdam()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).at("added"), 0);
  EXPECT_EQ(nlohmann::json::parse(r.out).at("changed"), 0);
  EXPECT_EQ(journal_size(j), size);

  auto list = findings(j);
  EXPECT_TRUE(has_finding(list, "mixed-vendors-room:server-room-maasvlakte")) << list.dump(2);
  EXPECT_TRUE(has_finding(list, "unmediated-path:internet>closed-scan"));
  EXPECT_TRUE(has_finding(list, "no-remote-policy:scanner-07"));
  for (const auto& f : list) {
    if (f.at("id") == "mixed-vendors-room:server-room-maasvlakte") {
      EXPECT_EQ(f.at("severity"), "high");
      EXPECT_EQ(f.at("seed"), "Q11");
      EXPECT_EQ(f.at("state"), "open");
    }
  }
  // The journal still verifies, views included.
  EXPECT_EQ(j.run({"journal", "verify"}).exit_code, 0);
}

TEST(RegisterCli, ChangedRecordIsOneEventAndExportReimportsUnchanged) {
  JournalDir j;
  ASSERT_EQ(j.run({"inventory", "import", rotterdam()}).exit_code, 0);
  const std::uint64_t size = journal_size(j);
  // One file that changes one record and refers to records imported earlier.
  const auto file = j.dir() / "change.toml";
  write_file(file, R"T([[zone]]
id = "office"
name = "Customs office network (renamed)"
kind = "office"
provenance = "fictional"
)T");
  auto r = j.run({"--json", "inventory", "import", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).at("changed"), 1);
  EXPECT_EQ(journal_size(j), size + 1);

  const auto out = j.dir() / "export";
  ASSERT_EQ(j.run({"inventory", "export", out.string()}).exit_code, 0);
  EXPECT_TRUE(fs::exists(out / "assets.toml"));
  r = j.run({"--json", "inventory", "import", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).at("added"), 0);
  EXPECT_EQ(nlohmann::json::parse(r.out).at("changed"), 0);
}

struct BadCase {
  const char* name;
  const char* toml;
  const char* expect;  // in the error message, besides the file name
};

TEST(RegisterCli, MalformedInventoryIsRefusedNamingFileAndKeyAndNothingIsImported) {
  const BadCase cases[] = {
      {"unknown key", "[[zone]]\nid = \"z1\"\nname = \"Z\"\nkind = \"office\"\ncolour = 1\n",
       "unknown key 'colour'"},
      {"wrong type",
       "[[zone]]\nid = \"z1\"\nname = \"Z\"\nkind = \"office\"\nvendor_reachable = 3\n",
       "vendor_reachable"},
      {"dangling reference",
       "[[room]]\nid = \"r1\"\nname = \"R\"\nsite = \"nowhere\"\nkind = \"server_room\"\n",
       "nowhere"},
      {"duplicate id",
       "[[zone]]\nid = \"z1\"\nname = \"A\"\nkind = \"office\"\n[[zone]]\nid = \"z1\"\nname = "
       "\"B\"\n"
       "kind = \"office\"\n",
       "z1"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    JournalDir j;
    const std::uint64_t size = journal_size(j);
    // A valid record in the same file must not be imported either.
    const auto file = j.dir() / "bad.toml";
    write_file(file, std::string("[[organisation]]\nid = \"ok-org\"\nname = \"Fine\"\nkind = "
                                 "\"other\"\n") +
                         c.toml);
    auto r = j.run({"inventory", "import", file.string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("bad.toml"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
    EXPECT_EQ(journal_size(j), size);
  }
}

TEST(RegisterCli, DecisionsOnFindingsAreJournaledAndUnknownIdsRefused) {
  JournalDir j;
  ASSERT_EQ(j.run({"inventory", "import", rotterdam()}).exit_code, 0);
  const std::string id = "mixed-vendors-room:server-room-maasvlakte";
  auto r = j.run({"findings", "accept", id, "--today", "2026-12-01"});
  EXPECT_EQ(r.exit_code, 2) << "a reason is required";
  r = j.run({"--actor", "security-officer-1", "findings", "accept", id, "--reason",
             "separate racks ordered", "--today", "2026-12-01"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(has_finding(findings(j), id)) << "accepted findings are listed with --all only";
  auto all = findings(j, {"--all"});
  bool seen = false;
  for (const auto& f : all) {
    if (f.at("id") != id) continue;
    seen = true;
    EXPECT_EQ(f.at("state"), "accepted");
    EXPECT_EQ(f.at("decision").at("reason"), "separate racks ordered");
    EXPECT_EQ(f.at("decision").at("by"), "security-officer-1");
  }
  EXPECT_TRUE(seen);
  r = j.run({"findings", "reopen", id, "--reason", "racks not delivered", "--today", "2026-12-01"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has_finding(findings(j), id));
  r = j.run({"findings", "resolve", "no-such-finding:x", "--reason", "r"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(j.run({"journal", "verify"}).exit_code, 0);
}

}  // namespace
}  // namespace pw::testing

// RegisterService::put (PUT /v1/register/{table}/{id}): one record validated as an import is,
// journaled as register.put, with versions that another service on the same journal honours.
#include <gtest/gtest.h>

#include "app/register_service.h"
#include "support/test_support.h"

namespace pw::app {
namespace {

using pw::testing::TempDir;

class RegisterPutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    paths_ = {(dir_ / "j.db").string(), (dir_ / "j.key").string()};
    ASSERT_TRUE(init_journal(paths_, "test.example/log", clock_));
    journal_ = std::move(*JournalService::open(paths_, clock_));
    reg_ = std::make_unique<RegisterService>(*journal_, clock_);
    const auto rotterdam = pw::testing::tests_dir().parent_path() / "examples" / "rotterdam";
    ASSERT_TRUE(reg_->import(rotterdam.string(), "test"));
  }
  nlohmann::json asset(const std::string& id) {
    auto r = reg_->load();
    return domain::record_to_json(*r->asset(id));
  }
  std::uint64_t version(RegisterService& svc, const std::string& id) {
    auto v = svc.versions(domain::Table::kAsset);
    EXPECT_TRUE(v);
    auto it = v->find(id);
    return it == v->end() ? 0 : it->second;
  }

  TempDir dir_;
  core::FakeClock clock_{core::Timestamp{1'764'000'000'000'000}};
  JournalPaths paths_;
  std::unique_ptr<JournalService> journal_;
  std::unique_ptr<RegisterService> reg_;
};

TEST_F(RegisterPutTest, AStaleVersionFromAnotherWriterIsRefusedAndChangesNothing) {
  // A second service on the same journal stands for another server on the same database.
  RegisterService other(*journal_, clock_);
  const std::uint64_t v1 = version(*reg_, "scanner-01");
  ASSERT_GT(v1, 0u);
  nlohmann::json a = asset("scanner-01");
  a["name"] = "changed by the other server";
  auto theirs = other.put(domain::Table::kAsset, "scanner-01", a, v1, "other");
  ASSERT_TRUE(theirs) << theirs.error().to_string();
  EXPECT_TRUE(theirs->changed);
  EXPECT_GT(theirs->version, v1);
  const auto size = *journal_->size();
  a["name"] = "a lost update";
  auto ours = reg_->put(domain::Table::kAsset, "scanner-01", a, v1, "ours");
  ASSERT_FALSE(ours);
  EXPECT_EQ(ours.error().code(), core::Code::kFailedPrecondition);
  EXPECT_NE(ours.error().message().find("stale version"), std::string::npos);
  EXPECT_EQ(*journal_->size(), size);
  EXPECT_EQ(reg_->load()->asset("scanner-01")->name, "changed by the other server");
  EXPECT_EQ(version(*reg_, "scanner-01"), theirs->version);
  // Without a precondition the last writer wins; the same record again journals nothing.
  auto again = reg_->put(domain::Table::kAsset, "scanner-01", a, std::nullopt, "ours");
  ASSERT_TRUE(again);
  auto same = reg_->put(domain::Table::kAsset, "scanner-01", a, again->version, "ours");
  ASSERT_TRUE(same);
  EXPECT_FALSE(same->changed);
  EXPECT_EQ(same->version, again->version);
  EXPECT_EQ(*journal_->size(), size + 1);
}

TEST_F(RegisterPutTest, VersionsAreJournalPositionsAndSurviveAReopen) {
  nlohmann::json a = asset("scanner-01");
  a["name"] = "renamed";
  auto r = reg_->put(domain::Table::kAsset, "scanner-01", a, std::nullopt, "t");
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->event);
  EXPECT_EQ(r->version, r->event->seq);
  RegisterService fresh(*journal_, clock_);
  EXPECT_EQ(version(fresh, "scanner-01"), r->version);
  EXPECT_EQ(version(fresh, "no-such-asset"), 0u);
}

TEST_F(RegisterPutTest, RecordsAreCheckedAsAnImportChecksThem) {
  const auto size = *journal_->size();
  nlohmann::json a = asset("scanner-01");
  auto with = [&](const char* key, nlohmann::json v) {
    nlohmann::json j = a;
    j[key] = std::move(v);
    return j;
  };
  for (const auto& [record, what] :
       std::vector<std::pair<nlohmann::json, std::string>>{{with("colour", "red"), "colour"},
                                                           {with("site", 3), "site"},
                                                           {with("kind", "toaster"), "kind"},
                                                           {with("site", "nowhere"), "nowhere"},
                                                           {with("id", "scanner-02"), "id"},
                                                           {nlohmann::json::array(), "object"}}) {
    auto r = reg_->put(domain::Table::kAsset, "scanner-01", record, std::nullopt, "t");
    ASSERT_FALSE(r) << record.dump();
    EXPECT_EQ(r.error().code(), core::Code::kInvalidArgument);
    EXPECT_NE(r.error().message().find(what), std::string::npos) << r.error().message();
  }
  // A new record: absent fields take their defaults; version 0 means "must not exist".
  nlohmann::json fresh = {{"name", "spare"}, {"kind", "scanner"}, {"site", a["site"]}};
  auto created = reg_->put(domain::Table::kAsset, "scanner-spare", fresh, 0, "t");
  ASSERT_TRUE(created) << created.error().to_string();
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->record["id"], "scanner-spare");
  auto twice = reg_->put(domain::Table::kAsset, "scanner-spare", fresh, 0, "t");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code(), core::Code::kFailedPrecondition);
  EXPECT_EQ(*journal_->size(), size + 1);
}

}  // namespace
}  // namespace pw::app

// Register writes over the API (PUT /v1/register/{table}/{id}: validated as an inventory import
// is, journaled as register.put, with versions) and the auditor's journal export as a tar that
// verifies offline.
#include <filesystem>

#include "app/audit.h"
#include "http/api/api_fixture.h"

namespace pw::http::api {
namespace {

using ApiRegisterTest = ApiTest;

TEST_F(ApiRegisterTest, PutCreatesAndReplacesRecordsWithVersions) {
  login("adm");
  login("op");
  login("tech");
  auto got = call("GET", "/v1/register/asset/scanner-01", "adm");
  ASSERT_EQ(got.status, 200) << got.raw;
  const auto v1 = got.body["version"].get<std::uint64_t>();
  EXPECT_GT(v1, 0u);
  EXPECT_EQ(got.header("etag"), "\"" + std::to_string(v1) + "\"");
  auto asset = call("GET", "/v1/assets/scanner-01", "op");
  EXPECT_EQ(asset.body["version"], v1);
  EXPECT_EQ(asset.header("etag"), got.header("etag"));
  // Lists carry versions too.
  auto list = call("GET", "/v1/register/asset?id=scanner-01", "op");
  ASSERT_EQ(list.status, 200) << list.raw;
  EXPECT_EQ(list.body["records"][0]["version"], v1);
  const auto size0 = *journal_->size();
  // The record as GET gave it, version included: unchanged, nothing journaled.
  auto same = call("PUT", "/v1/register/asset/scanner-01", "adm", got.body.dump());
  ASSERT_EQ(same.status, 200) << same.raw;
  EXPECT_FALSE(same.body["changed"].get<bool>());
  EXPECT_EQ(*journal_->size(), size0);
  // A change based on the current version: one register.put, a new version.
  nlohmann::json changed = got.body;
  changed["name"] = "Scanner 01 (renamed through the API)";
  auto put = call("PUT", "/v1/register/asset/scanner-01", "adm", changed.dump());
  ASSERT_EQ(put.status, 200) << put.raw;
  EXPECT_TRUE(put.body["changed"].get<bool>());
  const auto v2 = put.body["version"].get<std::uint64_t>();
  EXPECT_GT(v2, v1);
  EXPECT_EQ(put.header("etag"), "\"" + std::to_string(v2) + "\"");
  EXPECT_EQ(*journal_->size(), size0 + 1);
  auto last = journal_->inclusion_proof(size0, std::nullopt);
  ASSERT_TRUE(last);
  EXPECT_NE(last->entry.find("register.put"), std::string::npos);
  EXPECT_NE(last->entry.find("account:adm"), std::string::npos) << "the actor is the account";
  EXPECT_EQ(reg_->load()->asset("scanner-01")->name, "Scanner 01 (renamed through the API)");
  // The same change again, still based on v1: stale, 409 with the current version.
  changed["name"] = "lost update";
  auto stale = call("PUT", "/v1/register/asset/scanner-01", "adm", changed.dump());
  ASSERT_EQ(stale.status, 409) << stale.raw;
  EXPECT_EQ(stale.body["current_version"], v2);
  changed.erase("version");
  stale = call("PUT", "/v1/register/asset/scanner-01", "adm", changed.dump(),
               {"-H", "If-Match: \"" + std::to_string(v1) + "\""});
  EXPECT_EQ(stale.status, 409) << stale.raw;
  // Version 0: create only.
  nlohmann::json fresh = got.body;
  fresh.erase("id");
  fresh["version"] = 0;
  fresh["name"] = "A spare scanner";
  auto created = call("PUT", "/v1/register/asset/scanner-spare", "adm", fresh.dump());
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_TRUE(created.body["created"].get<bool>());
  EXPECT_EQ(call("PUT", "/v1/register/asset/scanner-spare", "adm", fresh.dump()).status, 409);
  EXPECT_EQ(*journal_->size(), size0 + 2);
  // A technician reads their employer's records only; only admins write.
  EXPECT_EQ(call("GET", "/v1/register/asset/scanner-01", "tech").status, 200);
  EXPECT_EQ(call("GET", "/v1/register/asset/scanner-05", "tech").status, 403);
  EXPECT_EQ(call("GET", "/v1/register/asset/no-such", "op").status, 404);
  EXPECT_EQ(call("PUT", "/v1/register/asset/scanner-01", "op", changed.dump()).status, 403);
  EXPECT_EQ(call("PUT", "/v1/register/asset/scanner-01", "tech", changed.dump()).status, 403);
}

TEST_F(ApiRegisterTest, BadRecordsAreRefusedNamingTheFieldAndChangeNothing) {
  login("adm");
  auto got = call("GET", "/v1/register/asset/scanner-01", "adm");
  ASSERT_EQ(got.status, 200) << got.raw;
  const auto size0 = *journal_->size();
  auto with = [&](const char* key, nlohmann::json value) {
    nlohmann::json j = got.body;
    j.erase("version");
    j[key] = std::move(value);
    return j.dump();
  };
  for (const auto& [path, body, what] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"/v1/register/asset/scanner-01", with("colour", "red"), "colour"},
           {"/v1/register/asset/scanner-01", with("site", 7), "site"},
           {"/v1/register/asset/scanner-01", with("kind", "toaster"), "kind"},
           {"/v1/register/asset/scanner-01", with("site", "nowhere"), "nowhere"},
           {"/v1/register/asset/scanner-01", with("id", "scanner-02"), "id"},
           {"/v1/register/asset/scanner-01", with("version", "1"), "version"},
           {"/v1/register/asset/scanner-01", "[]", "object"},
           {"/v1/register/asset/scanner-01", "{not json", ""},
           {"/v1/register/toaster/x", with("name", "x"), "toaster"},
       }) {
    auto r = call("PUT", path, "adm", body);
    EXPECT_EQ(r.status, 400) << body << ": " << r.raw;
    EXPECT_NE(r.raw.find(what), std::string::npos) << body << ": " << r.raw;
  }
  EXPECT_EQ(call("PUT", "/v1/register/asset/scanner-01", "adm", with("name", "x"),
                 {"-H", "If-Match: seventeen"})
                .status,
            400);
  // Path traversal in the id: refused by the server before any handler, or no such record.
  for (const char* path : {"/v1/register/asset/..%2F..%2Fetc%2Fpasswd", "/v1/register/../asset/x",
                           "/v1/register/asset/%2e%2e", "/v1/register/asset/a%0Ab"}) {
    auto r = call("PUT", path, "adm", with("name", "x"));
    EXPECT_TRUE(r.status == 400 || r.status == 404) << path << ": " << r.status << " " << r.raw;
  }
  EXPECT_EQ(*journal_->size(), size0);
}

TEST_F(ApiRegisterTest, AuditorsDownloadTheJournalAsATarThatVerifiesOffline) {
  login("aud");
  login("op");
  const auto out = dir_ / "bundle.tar";
  auto r =
      pw::testing::run_process({"/usr/bin/curl", "-s", "-o", out.string(), "-w", "%{http_code}",
                                "-D", (dir_ / "export-headers.txt").string(), "-b",
                                (dir_ / "aud.cookies").string(), url("/v1/journal/export")});
  ASSERT_EQ(r.out, "200");
  std::ifstream headers(dir_ / "export-headers.txt");
  std::string all((std::istreambuf_iterator<char>(headers)), std::istreambuf_iterator<char>());
  EXPECT_NE(all.find("application/x-tar"), std::string::npos) << all;
  const auto x = dir_ / "x";
  std::filesystem::create_directories(x);
  auto untar = pw::testing::run_process({"/usr/bin/tar", "-xf", out.string(), "-C", x.string()});
  ASSERT_EQ(untar.exit_code, 0) << untar.err;
  auto verdict = app::check_bundle((x / "portwarden-journal").string());
  ASSERT_TRUE(verdict) << verdict.error().to_string();
  EXPECT_TRUE(verdict->verdict.valid) << verdict->verdict.reason;
  EXPECT_GT(verdict->entries, 10u);
  EXPECT_NE(all.find("X-Journal-Size: " + std::to_string(verdict->entries)), std::string::npos)
      << all;
  // The bundle's own script checks it too (Python and the openssl command).
  auto py = pw::testing::run_process({"/usr/bin/python3",
                                      (x / "portwarden-journal" / "verify_bundle.py").string(),
                                      (x / "portwarden-journal").string()});
  EXPECT_EQ(py.exit_code, 0) << py.out << py.err;
  // A flipped byte in the entries is caught.
  {
    std::fstream f(x / "portwarden-journal" / "entries.jsonl",
                   std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(20);
    f.put('#');
  }
  auto bad = app::check_bundle((x / "portwarden-journal").string());
  EXPECT_TRUE(!bad || !bad->verdict.valid);
  // Operators cannot take the journal away.
  EXPECT_EQ(call("GET", "/v1/journal/export", "op").status, 403);
}

}  // namespace
}  // namespace pw::http::api

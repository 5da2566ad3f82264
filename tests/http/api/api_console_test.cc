// The console's API routes (api_console.cc) through the real server: suppliers with their risk
// levels, Nuctech's ownership chain and diagram (Q7: 15.96% through CNNC), the journal event
// search and its bad input; and the console's files: strict CSP, content types, nothing outside
// web/ and no directory listing.
#include <fstream>
#include <string>

#include "http/api/api_fixture.h"

namespace pw::http::api {
namespace {

class ApiConsoleTest : public ApiTest {
 protected:
  void import_nuctech() {
    const auto file = pw::testing::tests_dir().parent_path() / "examples" / "rotterdam" /
                      "ownership" / "nuctech-bods-0.4.json";
    ASSERT_TRUE(own_->import(file.string(), "bods", false, "test", {}));
  }
};

TEST_F(ApiConsoleTest, SuppliersListEveryVendorWithItsLevelsAndUnassessedAsVeryHigh) {
  ASSERT_TRUE(assess_->start("borealis", "analyst-1"));
  for (auto c : {domain::Criterion::k1, domain::Criterion::k2}) {
    ASSERT_TRUE(assess_->judge("borealis", "analyst-1", c, domain::Answer::kNo, "reviewed"));
  }
  for (auto c : {domain::Criterion::k3a, domain::Criterion::k3b}) {
    ASSERT_TRUE(assess_->judge("borealis", "analyst-1", c, domain::Answer::kYes, "reviewed"));
  }
  login("ana");
  auto r = call("GET", "/v1/suppliers", "ana");
  ASSERT_EQ(r.status, 200) << r.raw;
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& s : r.body["suppliers"]) by_id[s["id"].get<std::string>()] = s;
  ASSERT_EQ(by_id.size(), 3u) << r.raw;  // nuctech, borealis, kestrel: vendors only
  EXPECT_EQ(by_id["borealis"]["assessed"], true);
  EXPECT_EQ(by_id["borealis"]["status"], "draft");
  EXPECT_EQ(by_id["borealis"]["residual"], "medium");
  EXPECT_EQ(by_id["kestrel"]["assessed"], false);
  EXPECT_EQ(by_id["kestrel"]["residual"], "very_high") << "fail closed, as the access engine";
  login("tech");
  EXPECT_EQ(call("GET", "/v1/suppliers", "tech").status, 403);
}

TEST_F(ApiConsoleTest, NuctechsOwnershipChainAndDiagramShowCnncThroughTongfang) {
  import_nuctech();
  login("ana");
  auto r = call("GET", "/v1/suppliers/nuctech/ownership", "ana");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["entity"], "bods:nuctech");
  const auto& paths = r.body["explain"]["paths"];
  ASSERT_EQ(paths.size(), 1u) << r.raw;
  EXPECT_DOUBLE_EQ(paths[0]["product"]["min"].get<double>(), 0.1596);
  EXPECT_NE(paths[0]["text"].get<std::string>().find("= 15.96%"), std::string::npos);

  auto d = call("GET", "/v1/suppliers/nuctech/diagram", "ana");
  ASSERT_EQ(d.status, 200);
  EXPECT_EQ(d.header("content-type"), "image/svg+xml");
  EXPECT_NE(d.header("content-security-policy").find("default-src 'none'"), std::string::npos);
  EXPECT_NE(d.raw.find("<svg"), std::string::npos);
  EXPECT_NE(d.raw.find("China National Nuclear Corporation"), std::string::npos);
  EXPECT_NE(d.raw.find(">21%<"), std::string::npos);
  EXPECT_NE(d.raw.find(">76%<"), std::string::npos);

  auto missing = call("GET", "/v1/suppliers/nobody/diagram", "ana");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.raw.find("no supplier 'nobody'"), std::string::npos);
}

TEST_F(ApiConsoleTest, EventSearchFiltersByTypeAndTextAndPages) {
  login("aud");
  auto r = call("GET", "/v1/journal/events?type=register.&q=Large%20cargo%20scanner%2005", "aud");
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_GE(r.body["events"].size(), 1u);
  for (const auto& e : r.body["events"]) {
    EXPECT_EQ(e["type"].get<std::string>().rfind("register.", 0), 0u);
    EXPECT_NE(e["payload"].dump().find("Large cargo scanner 05"), std::string::npos);
  }
  auto page = call("GET", "/v1/journal/events?limit=2", "aud");
  ASSERT_EQ(page.status, 200);
  ASSERT_EQ(page.body["events"].size(), 2u);
  EXPECT_TRUE(page.body["more"].get<bool>());
  const auto next = page.body["next"].get<std::uint64_t>();
  EXPECT_EQ(next, page.body["events"][1]["seq"].get<std::uint64_t>() + 1);
  auto second = call("GET", "/v1/journal/events?limit=2&from=" + std::to_string(next), "aud");
  EXPECT_EQ(second.body["events"][0]["seq"].get<std::uint64_t>(), next);
  auto none = call("GET", "/v1/journal/events?q=no-such-text-anywhere", "aud");
  EXPECT_EQ(none.body["events"].size(), 0u);
  EXPECT_FALSE(none.body["more"].get<bool>());

  for (const std::string bad : {"limit=0", "limit=501", "limit=x", "from=-1", "from=1x"}) {
    auto b = call("GET", "/v1/journal/events?" + bad, "aud");
    EXPECT_EQ(b.status, 400) << bad << ": " << b.raw;
    EXPECT_NE(b.raw.find("query: " + bad.substr(0, bad.find('='))), std::string::npos) << b.raw;
  }
  login("tech");
  EXPECT_EQ(call("GET", "/v1/journal/events", "tech").status, 403);
}

TEST_F(ApiConsoleTest, AnalystsJudgeADraftAndAnotherAnalystSignsItOff) {
  ASSERT_TRUE(
      auth_->create_account("ana2", kPassword, "analyst-2", {app::Role::kAnalyst}, "admin"));
  ASSERT_TRUE(assess_->start("borealis", "analyst-1"));
  login("ana");
  login("ana2");
  for (const std::string c : {"1", "2"}) {
    auto r =
        call("POST", "/v1/assessments/borealis/judge", "ana",
             nlohmann::json{{"criterion", c}, {"answer", "no"}, {"judgement", "reviewed"}}.dump());
    ASSERT_EQ(r.status, 200) << r.raw;
  }
  for (const std::string c : {"3a", "3b"}) {
    auto r =
        call("POST", "/v1/assessments/borealis/judge", "ana",
             nlohmann::json{{"criterion", c}, {"answer", "yes"}, {"judgement", "reviewed"}}.dump());
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["assessment"]["status"], "draft");
  }
  auto bad = call("POST", "/v1/assessments/borealis/judge", "ana",
                  R"({"criterion":"9","answer":"no","judgement":"x"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.raw.find("$.criterion"), std::string::npos) << bad.raw;
  auto no_note = call("POST", "/v1/assessments/borealis/sign", "ana2", "{}");
  EXPECT_EQ(no_note.status, 400) << "an empty body signs nothing: " << no_note.raw;
  auto own = call("POST", "/v1/assessments/borealis/sign", "ana", R"({"note":"mine"})");
  EXPECT_NE(own.status, 200) << own.raw;
  EXPECT_NE(own.raw.find("four eyes"), std::string::npos) << own.raw;
  auto signed_off = call("POST", "/v1/assessments/borealis/sign", "ana2", R"({"note":"agreed"})");
  ASSERT_EQ(signed_off.status, 200) << signed_off.raw;
  EXPECT_EQ(signed_off.body["assessment"]["status"], "signed_off");
  EXPECT_EQ(signed_off.body["assessment"]["residual"], "medium");
  login("op");
  EXPECT_EQ(call("POST", "/v1/assessments/borealis/sign", "op", R"({"note":"x"})").status, 403);
}

TEST_F(ApiConsoleTest, ConsoleFilesHaveAStrictCspTheirTypesAndNothingElseIsServed) {
  const auto web = dir_ / "web";
  std::filesystem::create_directories(web / "sub");
  std::ofstream(web / "index.html") << "<!doctype html><title>console</title>";
  std::ofstream(web / "app.js") << "export const x = 1;";
  std::ofstream(web / "style.css") << "body{}";
  std::ofstream(web / "notes.txt") << "not a console file";
  std::ofstream(web / "sub" / "inner.js") << "x";
  std::ofstream(dir_ / "secret.js") << "outside";
  Router router;
  ASSERT_TRUE(add_console_files(router, web));
  ServerOptions o;
  o.threads = 1;
  HttpServer files(o, std::move(router));
  ASSERT_TRUE(files.start());
  const std::string base = "http://127.0.0.1:" + std::to_string(files.port());
  auto get = [&](const std::string& path) {
    auto r = pw::testing::run_process(
        {"/usr/bin/curl", "-s", "--path-as-is", "-D", "-", "-w", "%{http_code}", base + path});
    return r.out;
  };
  const std::string root = get("/");
  EXPECT_NE(root.find("200"), std::string::npos);
  EXPECT_NE(root.find("Content-Type: text/html; charset=utf-8"), std::string::npos) << root;
  EXPECT_NE(root.find("default-src 'self'; script-src 'self'"), std::string::npos) << root;
  EXPECT_EQ(root.find("unsafe-inline"), std::string::npos) << "no inline script or style";
  EXPECT_NE(root.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_NE(get("/app.js").find("Content-Type: text/javascript; charset=utf-8"), std::string::npos);
  EXPECT_NE(get("/style.css").find("Content-Type: text/css; charset=utf-8"), std::string::npos);
  for (const std::string path :
       {"/notes.txt", "/sub", "/sub/inner.js", "/missing.js", "/..%2Fsecret.js", "/../secret.js",
        "/%2e%2e/secret.js", "/.hidden.js", "/App.js"}) {
    const std::string out = get(path);
    EXPECT_TRUE(out.ends_with("404") || out.ends_with("400")) << path << ": " << out;
    EXPECT_EQ(out.find("outside"), std::string::npos) << path;
  }
  files.stop();
}

}  // namespace
}  // namespace pw::http::api

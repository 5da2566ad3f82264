#include <gtest/gtest.h>

#include "http/internal/message_check.h"
#include "http/internal/target.h"
#include "http/server.h"

namespace pw::http {
namespace {

Handler named(std::string name) {
  return [name](const Request&, const PathParams&) { return Response::text(200, name); };
}

std::string call(const Router& router, Method method, std::string_view path) {
  Router::Match m = router.match(method, path);
  if (m.kind != Router::Match::Kind::kFound) return "-";
  return (*m.handler)(Request{}, m.params).body;
}

TEST(Router, CapturesPathParameters) {
  Router r;
  ASSERT_TRUE(r.add(Method::kGet, "/v1/assets/{id}/faults/{fault}", named("fault")));
  Router::Match m = r.match(Method::kGet, "/v1/assets/scanner 7/faults/42");
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(m.pattern, "/v1/assets/{id}/faults/{fault}");
  EXPECT_EQ(m.params.get("id"), "scanner 7");
  EXPECT_EQ(m.params.get("fault"), "42");
  EXPECT_FALSE(m.params.get("other"));
}

TEST(Router, AsyncRoutesMatchLikeOthersAndShareTheirShapeRules) {
  Router r;
  ASSERT_TRUE(r.add_async(Method::kGet, "/v1/feed/{id}",
                          [](const Request&, const PathParams&, Responder) {}));
  ASSERT_TRUE(r.add(Method::kPost, "/v1/feed/{id}", named("post")));
  Router::Match m = r.match(Method::kGet, "/v1/feed/7");
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(m.handler, nullptr);
  ASSERT_NE(m.async_handler, nullptr);
  EXPECT_EQ(m.params.get("id"), "7");
  EXPECT_NE(r.match(Method::kHead, "/v1/feed/7").async_handler, nullptr) << "HEAD as GET";
  EXPECT_EQ(call(r, Method::kPost, "/v1/feed/7"), "post");
  // One handler per (shape, method), whatever its kind; an empty one is refused.
  auto again = r.add(Method::kGet, "/v1/feed/{id}", named("sync"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), core::Code::kAlreadyExists);
  EXPECT_FALSE(r.add_async(Method::kPost, "/v1/feed/{id}",
                           [](const Request&, const PathParams&, Responder) {}));
  auto empty = r.add_async(Method::kPut, "/v1/feed/{id}", AsyncHandler());
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message().find("handler is empty"), std::string::npos);
  EXPECT_FALSE(
      r.add_async(Method::kGet, "no-slash", [](const Request&, const PathParams&, Responder) {}));
}

TEST(Router, LiteralSegmentBeatsParameter) {
  Router r;
  ASSERT_TRUE(r.add(Method::kGet, "/v1/assets/{id}", named("by id")));
  ASSERT_TRUE(r.add(Method::kGet, "/v1/assets/search", named("search")));
  ASSERT_TRUE(r.add(Method::kGet, "/v1/{kind}/search", named("kind search")));
  EXPECT_EQ(call(r, Method::kGet, "/v1/assets/search"), "search");
  EXPECT_EQ(call(r, Method::kGet, "/v1/assets/x1"), "by id");
  EXPECT_EQ(call(r, Method::kGet, "/v1/people/search"), "kind search");
}

TEST(Router, FallsBackToLessSpecificPatternThatHasTheMethod) {
  Router r;
  ASSERT_TRUE(r.add(Method::kGet, "/v1/assets/search", named("search")));
  ASSERT_TRUE(r.add(Method::kDelete, "/v1/assets/{id}", named("delete")));
  EXPECT_EQ(call(r, Method::kDelete, "/v1/assets/search"), "delete");
}

TEST(Router, UnknownPathIsNotFoundAndWrongMethodListsAllowed) {
  Router r;
  ASSERT_TRUE(r.add(Method::kGet, "/v1/assets", named("list")));
  ASSERT_TRUE(r.add(Method::kPost, "/v1/assets", named("create")));
  EXPECT_EQ(r.match(Method::kGet, "/v1/nothing").kind, Router::Match::Kind::kNotFound);
  EXPECT_EQ(r.match(Method::kGet, "/v1/assets/").kind, Router::Match::Kind::kNotFound);
  Router::Match m = r.match(Method::kDelete, "/v1/assets");
  ASSERT_EQ(m.kind, Router::Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, (std::vector<Method>{Method::kGet, Method::kHead, Method::kPost}));
}

TEST(Router, HeadFallsBackToGet) {
  Router r;
  ASSERT_TRUE(r.add(Method::kGet, "/x", named("get")));
  EXPECT_EQ(call(r, Method::kHead, "/x"), "get");
}

TEST(Router, ParameterNeverMatchesAnEmptySegment) {
  Router r;
  ASSERT_TRUE(r.add(Method::kGet, "/v1/assets/{id}", named("by id")));
  EXPECT_EQ(r.match(Method::kGet, "/v1/assets/").kind, Router::Match::Kind::kNotFound);
}

TEST(Router, RootPattern) {
  Router r;
  ASSERT_TRUE(r.add(Method::kGet, "/", named("root")));
  EXPECT_EQ(call(r, Method::kGet, "/"), "root");
}

TEST(Router, RefusesMalformedAndDuplicatePatterns) {
  Router r;
  EXPECT_EQ(r.add(Method::kGet, "v1/x", named("")).error().code(), core::Code::kInvalidArgument);
  EXPECT_FALSE(r.add(Method::kGet, "/v1//x", named("")));
  EXPECT_FALSE(r.add(Method::kGet, "/v1/{}", named("")));
  EXPECT_FALSE(r.add(Method::kGet, "/v1/{a-b}", named("")));
  EXPECT_FALSE(r.add(Method::kGet, "/v1/x{id}", named("")));
  EXPECT_FALSE(r.add(Method::kGet, "/v1/{id}/{id}", named("")));
  EXPECT_FALSE(r.add(Method::kGet, "/v1/x", Handler{}));
  ASSERT_TRUE(r.add(Method::kGet, "/v1/assets/{id}", named("")));
  auto dup = r.add(Method::kGet, "/v1/assets/{id}", named(""));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), core::Code::kAlreadyExists);
  auto renamed = r.add(Method::kPost, "/v1/assets/{asset}", named(""));
  ASSERT_FALSE(renamed);
  EXPECT_NE(renamed.error().message().find("parameter names"), std::string::npos);
  EXPECT_TRUE(r.add(Method::kPost, "/v1/assets/{id}", named("")));
  EXPECT_EQ(r.size(), 2u);
}

TEST(Headers, NamesAreCaseInsensitive) {
  Headers h;
  h.add("Content-Type", "a");
  h.add("set-cookie", "1");
  h.add("Set-Cookie", "2");
  EXPECT_EQ(h.get("content-type"), "a");
  EXPECT_EQ(h.get("CONTENT-TYPE"), "a");
  h.set("SET-COOKIE", "3");
  EXPECT_EQ(h.fields().size(), 2u);
  EXPECT_EQ(h.get("set-cookie"), "3");
  h.remove("content-TYPE");
  EXPECT_FALSE(h.contains("Content-Type"));
}

TEST(Target, DecodesPathAndQuery) {
  auto t = internal::parse_target("/v1/assets/a%20b?limit=10&q=x+y%26z&flag&limit=20");
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_EQ(t->path, "/v1/assets/a b");
  EXPECT_EQ(t->query.get("limit"), "10");
  EXPECT_EQ(t->query.all("limit").size(), 2u);
  EXPECT_EQ(t->query.get("q"), "x y&z");
  EXPECT_EQ(t->query.get("flag"), "");
  EXPECT_EQ(internal::parse_target("/a+b")->path, "/a+b");  // '+' is literal in a path
}

TEST(Target, RefusesTraversalAndControlCharacters) {
  for (const char* bad : {"/../etc/passwd",
                          "/a/../b",
                          "/a/./b",
                          "/a/..",
                          "/%2e%2e/x",
                          "/a/%2E%2e/b",
                          "/a/.%2e",
                          "/a%00b",
                          "/a/%2Fetc",
                          "/a/%2f",
                          "/a\\b",
                          "/a/%5c..",
                          "/a%0d%0aSet-Cookie:x",
                          "/a%",
                          "/a%zz",
                          "/a%4",
                          "a/b",
                          "http://host/a",
                          "*",
                          "/a#frag",
                          "/a?x=%00",
                          "/a?x=%0a",
                          "/a?x=%g1"}) {
    EXPECT_FALSE(internal::parse_target(bad)) << bad;
  }
  // Dots inside a segment are fine.
  EXPECT_TRUE(internal::parse_target("/v1/files/a..b"));
  EXPECT_TRUE(internal::parse_target("/v1/files/.hidden"));
}

TEST(CheckResponse, RefusesHeaderInjectionAndServerOwnedFields) {
  Response ok;
  ok.headers.set("X-Thing", "a value\twith tab");
  EXPECT_FALSE(internal::check_response(ok));

  for (const char* value : {"a\r\nSet-Cookie: x=1", "a\nb", "a\rb", "a\x7f"}) {
    Response r;
    r.headers.set("X-Thing", value);
    EXPECT_TRUE(internal::check_response(r)) << value;
  }
  Response nul;
  nul.headers.set("X-Thing", std::string("a\0b", 3));
  EXPECT_TRUE(internal::check_response(nul));
  Response bad_name;
  bad_name.headers.set("X Thing", "v");
  EXPECT_TRUE(internal::check_response(bad_name));
  Response bad_type;
  bad_type.content_type = "text/html\r\nX-Evil: 1";
  EXPECT_TRUE(internal::check_response(bad_type));
  for (const char* owned :
       {"Content-Length", "transfer-encoding", "Connection", "X-Request-Id", "Content-Type"}) {
    Response r;
    r.headers.set(owned, "1");
    EXPECT_TRUE(internal::check_response(r)) << owned;
  }
  Response no_content;
  no_content.status = 204;
  no_content.body = "x";
  EXPECT_TRUE(internal::check_response(no_content));
  Response informational;
  informational.status = 101;
  EXPECT_TRUE(internal::check_response(informational));
}

}  // namespace
}  // namespace pw::http

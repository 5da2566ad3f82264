// HTTPS with a self-signed certificate made by the openssl binary, called by curl.

#include <gtest/gtest.h>

#include "http/http_test_util.h"
#include "http/server.h"

namespace pw::http {
namespace {

using testing::curl;
using testing::kOpenssl;
using testing::start_server;

class HttpTls : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = pw::testing::run_process(
        {kOpenssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", (dir_ / "key.pem").string(), "-out", (dir_ / "cert.pem").string(),
         "-days", "1", "-subj", "/CN=localhost", "-addext",
         "subjectAltName=DNS:localhost,IP:127.0.0.1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  ServerOptions tls_options() const {
    ServerOptions o;
    o.tls = TlsOptions{dir_ / "cert.pem", dir_ / "key.pem"};
    return o;
  }

  Router router() const {
    Router r;
    EXPECT_TRUE(r.add(Method::kGet, "/v1/who", [](const Request& req, const PathParams&) {
      return Response::text(200, req.tls ? "tls" : "plain");
    }));
    return r;
  }

  std::string https(const HttpServer& s, std::string_view path) const {
    return "https://127.0.0.1:" + std::to_string(s.port()) + std::string(path);
  }

  pw::testing::TempDir dir_;
};

TEST_F(HttpTls, ServesHttpsWithTls13AndKeepAlive) {
  auto server = start_server(router(), tls_options());
  auto r =
      curl({"-v", "--cacert", (dir_ / "cert.pem").string(), "-w", " %{http_code} %{num_connects}\n",
            https(*server, "/v1/who"), https(*server, "/healthz")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "tls 200 1\nok 200 0\n");
  EXPECT_NE(r.err.find("SSL connection using TLSv1.3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Strict-Transport-Security: max-age=31536000"), std::string::npos);
}

TEST_F(HttpTls, AcceptsTls12AndRefusesOlder) {
  auto server = start_server(router(), tls_options());
  auto v12 = curl({"-v", "--cacert", (dir_ / "cert.pem").string(), "--tlsv1.2", "--tls-max", "1.2",
                   https(*server, "/v1/who")});
  ASSERT_EQ(v12.exit_code, 0) << v12.err;
  EXPECT_EQ(v12.out, "tls");
  EXPECT_NE(v12.err.find("SSL connection using TLSv1.2 / ECDHE"), std::string::npos) << v12.err;
  // A client that really offers TLS 1.1 (security level 0 lets OpenSSL 3 do so) is refused
  // by the server with a protocol_version alert, not by its own configuration.
  auto v11 = pw::testing::run_process(
      {kOpenssl, "s_client", "-connect", "127.0.0.1:" + std::to_string(server->port()), "-tls1_1",
       "-cipher", "DEFAULT:@SECLEVEL=0"},
      "\n");
  EXPECT_NE(v11.exit_code, 0);
  EXPECT_NE((v11.out + v11.err).find("alert protocol version"), std::string::npos)
      << v11.out << v11.err;
}

TEST_F(HttpTls, PlainHttpToTheTlsPortGetsNoResponse) {
  auto server = start_server(router(), tls_options());
  auto r = curl({"-w", "%{http_code}", testing::url(*server, "/v1/who")});
  EXPECT_NE(r.exit_code, 0);
  // And the server still serves TLS afterwards.
  auto ok = curl({"--cacert", (dir_ / "cert.pem").string(), https(*server, "/healthz")});
  EXPECT_EQ(ok.out, "ok");
}

TEST_F(HttpTls, UnreadableOrMismatchedFilesAreNamed) {
  ServerOptions missing = tls_options();
  missing.tls->certificate_chain_file = dir_ / "nope.pem";
  HttpServer a(missing, Router{});
  auto e = a.start();
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code(), core::Code::kInvalidArgument);
  EXPECT_NE(e.error().message().find("nope.pem"), std::string::npos);

  auto other = pw::testing::run_process({kOpenssl, "genpkey", "-algorithm", "ec", "-pkeyopt",
                                         "ec_paramgen_curve:prime256v1", "-out",
                                         (dir_ / "other.pem").string()});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  ServerOptions mismatched = tls_options();
  mismatched.tls->private_key_file = dir_ / "other.pem";
  HttpServer b(mismatched, Router{});
  auto e2 = b.start();
  ASSERT_FALSE(e2);
  EXPECT_NE(e2.error().message().find("other.pem"), std::string::npos);
}

}  // namespace
}  // namespace pw::http

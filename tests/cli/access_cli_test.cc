// Maintenance access through the real binary on the Rotterdam scenario: every decision lists
// its rules; an unassessed or very-high-risk vendor gets no remote session (fail closed); the
// server-room lifecycle with the quorum, check-in and the access check; the kill switch shows
// its downtime cost, needs confirmation and cuts access at once.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_test_util.h"
#include "core/clock.h"

namespace pw::testing {
namespace {

namespace fs = std::filesystem;

std::string at_offset_hours(int hours) {
  core::SystemClock clock;
  return core::format_rfc3339({clock.now().micros + std::int64_t{hours} * 3'600'000'000});
}

class AccessCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path rotterdam = tests_dir().parent_path() / "examples" / "rotterdam";
    ASSERT_EQ(j_.run({"inventory", "import", rotterdam.string()}).exit_code, 0);
  }
  RunResult json(std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    return j_.run(args);
  }
  JournalDir j_;
};

bool has_failed_rule(const RunResult& r, const std::string& rule) {
  auto j = nlohmann::json::parse(r.out);
  for (const auto& c : j.at("decision").at("checks")) {
    if (c.at("rule") == rule && !c.at("pass").get<bool>()) return true;
  }
  return false;
}

TEST_F(AccessCli, RemoteSessionOfAnUnassessedVendorIsRefusedWithEveryRule) {
  auto r = json({"request", "remote", "--as", "tech-nuctech-1", "--asset", "scanner-01", "--fault",
                 "fault-20251213-scanner-04", "--from", at_offset_hours(0), "--to",
                 at_offset_hours(2), "--id", "req-remote-1"});
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
  EXPECT_TRUE(has_failed_rule(r, "remote.allowed")) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j.at("allowed").get<bool>());
  EXPECT_GT(j.at("decision").at("checks").size(), 10u) << "every rule is listed, not the first";
  EXPECT_TRUE(j.at("events").empty());
}

TEST_F(AccessCli, ServerRoomEntryNeedsTheQuorumThenCheckInThenTheCheckAllows) {
  auto r =
      json({"request", "server_room", "--as", "tech-nuctech-1", "--room", "server-room-maasvlakte",
            "--from", at_offset_hours(-1), "--to", at_offset_hours(6), "--id", "req-sr-1"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // The requester cannot approve their own request.
  r = json({"approve", "req-sr-1", "--as", "tech-nuctech-1"});
  EXPECT_EQ(r.exit_code, 4) << r.out;
  ASSERT_EQ(json({"approve", "req-sr-1", "--as", "operator-1"}).exit_code, 0);
  // Very high risk (no signed-off assessment): an operator AND a security officer approve.
  r = json({"checkin", "req-sr-1", "--person", "tech-nuctech-1", "--as", "operator-1"});
  EXPECT_EQ(r.exit_code, 4) << r.out;
  ASSERT_EQ(json({"approve", "req-sr-1", "--as", "security-officer-1"}).exit_code, 0);
  r = json({"checkin", "req-sr-1", "--person", "tech-nuctech-1", "--as", "operator-1"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = json({"access", "check", "--person", "tech-nuctech-1", "--target", "server-room-maasvlakte",
            "--mode", "server_room"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto c = nlohmann::json::parse(r.out);
  EXPECT_TRUE(c.at("allow").get<bool>());
  EXPECT_TRUE(c.at("escorted").get<bool>()) << "very high risk: escorted";
  // Another technician, or another room, is denied by default.
  EXPECT_EQ(json({"access", "check", "--person", "tech-borealis-1", "--target",
                  "server-room-maasvlakte", "--mode", "server_room"})
                .exit_code,
            4);
  EXPECT_EQ(j_.run({"journal", "verify"}).exit_code, 0);
}

TEST_F(AccessCli, KillSwitchShowsItsCostNeedsConfirmationAndCutsAccessAtOnce) {
  ASSERT_EQ(
      json({"request", "server_room", "--as", "tech-nuctech-1", "--room", "server-room-maasvlakte",
            "--from", at_offset_hours(-1), "--to", at_offset_hours(6), "--id", "req-sr-2"})
          .exit_code,
      0);
  ASSERT_EQ(json({"approve", "req-sr-2", "--as", "operator-1"}).exit_code, 0);
  ASSERT_EQ(json({"approve", "req-sr-2", "--as", "security-officer-1"}).exit_code, 0);
  ASSERT_EQ(
      json({"checkin", "req-sr-2", "--person", "tech-nuctech-1", "--as", "operator-1"}).exit_code,
      0);
  // Not on a terminal and no --yes: nothing is suspended.
  auto r = j_.run({"suspend", "nuctech", "--as", "security-officer-1", "--reason", "test"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("Downtime cost of suspending nuctech"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("faults fixed remotely"), std::string::npos);
  EXPECT_EQ(json({"access", "check", "--person", "tech-nuctech-1", "--target",
                  "server-room-maasvlakte", "--mode", "server_room"})
                .exit_code,
            0);
  r = j_.run({"suspend", "nuctech", "--as", "security-officer-1", "--reason", "test", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = json({"access", "check", "--person", "tech-nuctech-1", "--target", "server-room-maasvlakte",
            "--mode", "server_room"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.out.find("suspended"), std::string::npos) << r.out;
  // New grants are blocked too.
  r = json({"request", "server_room", "--as", "tech-nuctech-2", "--room", "server-room-maasvlakte",
            "--from", at_offset_hours(0), "--to", at_offset_hours(2)});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_TRUE(has_failed_rule(r, "vendor.not_suspended")) << r.out;
  EXPECT_EQ(j_.run({"journal", "verify"}).exit_code, 0);
}

}  // namespace
}  // namespace pw::testing

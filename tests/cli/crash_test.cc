// Crash safety: SIGKILL a process that appends in a loop, at random moments, 20 times. After each
// kill `journal verify` passes and every append acknowledged before the kill is in the journal.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "cli/cli_test_util.h"

namespace pw::testing {
namespace {

struct Child {
  pid_t pid = -1;
  int in = -1;   // its stdin
  int out = -1;  // its stdout
};

Child spawn(const std::vector<std::string>& argv) {
  int in_pipe[2], out_pipe[2];
  EXPECT_EQ(pipe(in_pipe), 0);
  EXPECT_EQ(pipe(out_pipe), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], devnull}) close(fd);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
  fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
  return {pid, in_pipe[1], out_pipe[0]};
}

TEST(CrashSafety, KilledAppenderLosesNoAcknowledgedEntryAndLeavesAValidJournal) {
  JournalDir j;
  std::mt19937 rng(20261129);  // fixed seed: the same kill moments every run
  std::uint64_t total_acked = 0;
  std::int64_t highest_acked = 0;
  for (int round = 0; round < 20; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    Child c = spawn({portwarden_binary(), "--db", j.db(), "journal", "append", "--jsonl", "-",
                     "--concurrency", std::to_string(1 + round % 4)});
    ASSERT_GT(c.pid, 0);
    const auto kill_after = std::chrono::milliseconds(20 + rng() % 250);
    const auto start = std::chrono::steady_clock::now();
    std::string acked_text, pending;
    std::uint64_t line_no = 0;
    // Feed lines as fast as the child takes them and collect acknowledgements until the kill.
    while (std::chrono::steady_clock::now() - start < kill_after) {
      if (pending.empty()) {
        for (int k = 0; k < 64; ++k) {
          pending += R"({"type":"operator.note","payload":{"text":"round )" +
                     std::to_string(round) + " line " + std::to_string(line_no++) + "\"}}\n";
        }
      }
      ssize_t w = write(c.in, pending.data(), pending.size());
      if (w > 0) pending.erase(0, static_cast<std::size_t>(w));
      char buf[4096];
      ssize_t r;
      while ((r = read(c.out, buf, sizeof buf)) > 0)
        acked_text.append(buf, static_cast<std::size_t>(r));
      pollfd p{c.out, POLLIN, 0};
      poll(&p, 1, 1);
    }
    kill(c.pid, SIGKILL);
    int status = 0;
    waitpid(c.pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the appender exited before it was killed";
    // Whatever the child printed before dying was acknowledged (durable) by then.
    char buf[4096];
    ssize_t r;
    while ((r = read(c.out, buf, sizeof buf)) > 0)
      acked_text.append(buf, static_cast<std::size_t>(r));
    close(c.in);
    close(c.out);

    std::istringstream lines(acked_text);
    std::string line;
    std::vector<std::int64_t> acked;
    while (std::getline(lines, line)) {
      if (lines.eof()) break;  // a partial last line was cut by the kill: not counted
      acked.push_back(std::stoll(line));
    }
    total_acked += acked.size();

    auto v = j.run({"journal", "verify"});
    ASSERT_EQ(v.exit_code, 0) << "after kill: " << v.out << v.err;
    auto size_out = j.run({"--json", "journal", "checkpoint"});
    ASSERT_EQ(size_out.exit_code, 0) << size_out.err;
    const auto size = nlohmann::json::parse(size_out.out)["size"].get<std::int64_t>();
    for (std::int64_t seq : acked) {
      ASSERT_LT(seq, size) << "acknowledged entry " << seq << " is lost";
      highest_acked = std::max(highest_acked, seq);
    }
    // And each acknowledged entry is the one this round appended.
    if (!acked.empty()) {
      auto p = j.run({"--json", "journal", "proof", "--index", std::to_string(acked.back())});
      ASSERT_EQ(p.exit_code, 0);
      EXPECT_NE(nlohmann::json::parse(p.out)["entry"].get<std::string>().find(
                    "round " + std::to_string(round) + " line"),
                std::string::npos);
    }
  }
  // The test must have exercised real appends, not only kills at start-up.
  EXPECT_GT(total_acked, 100u);
  EXPECT_GT(highest_acked, 100);
}

}  // namespace
}  // namespace pw::testing

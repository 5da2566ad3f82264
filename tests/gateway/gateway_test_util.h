#pragma once
// Helpers for the gateway's end-to-end tests: background processes (portwarden serve, portwarden
// gateway, sshd, an HTTP server, ssh/curl clients) whose output goes to files, free loopback
// ports, and waiting for a condition with a generous deadline (never a timed assertion: the
// deadline only stops a hung test).

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "support/test_support.h"

namespace pw::testing {

// Waits until `done()` or `deadline` passes; returns done()'s last value.
inline bool eventually(const std::function<bool()>& done,
                       std::chrono::milliseconds deadline = std::chrono::seconds(30)) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

// A loopback port that was free a moment ago (for programs that cannot report port 0).
inline std::uint16_t free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    close(fd);
    return 0;
  }
  close(fd);
  return ntohs(a.sin_port);
}

// A child process with stdin from /dev/null (or a pipe kept open, see keep_stdin_open) and
// stdout/stderr to files. Killed (SIGTERM, then SIGKILL) when the object dies.
class Child {
 public:
  Child() = default;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() { stop(); }

  // argv[0] is an executable path. With keep_stdin_open, the child's stdin is a pipe that stays
  // open until stop() (a client that keeps its session open).
  void start(const std::vector<std::string>& argv, const std::filesystem::path& out,
             const std::filesystem::path& err, bool keep_stdin_open = false) {
    out_ = out;
    err_ = err;
    int in_pipe[2] = {-1, -1};
    if (keep_stdin_open && pipe(in_pipe) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      setpgid(0, 0);
      if (file_size_limit_ > 0) {
        // Every file the child writes stops growing here (its writes fail with EFBIG once it
        // ignores SIGXFSZ): how a test makes a recording's disk "fill" without root.
        rlimit lim{static_cast<rlim_t>(file_size_limit_), static_cast<rlim_t>(file_size_limit_)};
        if (setrlimit(RLIMIT_FSIZE, &lim) != 0) _exit(126);
      }
      const int in = keep_stdin_open ? in_pipe[0] : open("/dev/null", O_RDONLY);
      const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(in, 0);
      dup2(o, 1);
      dup2(e, 2);
      if (keep_stdin_open) close(in_pipe[1]);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    if (keep_stdin_open) {
      close(in_pipe[0]);
      stdin_ = in_pipe[1];
    }
  }

  // RLIMIT_FSIZE for the next start() (0: none).
  void limit_file_size(std::uint64_t bytes) { file_size_limit_ = bytes; }

  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      pid_ = -1;
      return false;
    }
    return r == 0;
  }
  int exit_code() const { return exit_code_; }
  int pid() const { return pid_; }

  std::string out() const { return read_or_empty(out_); }
  std::string err() const { return read_or_empty(err_); }
  static std::string read_or_empty(const std::filesystem::path& p) {
    return std::filesystem::exists(p) ? read_file(p) : std::string();
  }

  // SIGTERM, up to 10 s to exit, then SIGKILL (the process group: the child's own children too).
  void stop() {
    if (stdin_ >= 0) {
      close(stdin_);
      stdin_ = -1;
    }
    if (!running()) return;
    kill(-pid_, SIGTERM);
    kill(pid_, SIGTERM);
    if (!eventually([&] { return !running(); }, std::chrono::seconds(10))) {
      kill(-pid_, SIGKILL);
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
  }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int exit_code_ = -1;
  std::uint64_t file_size_limit_ = 0;
  std::filesystem::path out_, err_;
};

}  // namespace pw::testing

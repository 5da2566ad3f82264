// HTTP throughput of the server framework (issue 5 item 3 sets >= 10,000 access checks/s on 2
// cores over keep-alive HTTP; this measures the framework alone, with a trivial JSON handler,
// so the later access-check figure can be read against it).
//
// Starts HttpServer on 127.0.0.1 (port 0, `--server-threads`, default 2) with
// POST /v1/access/check answering a small JSON document, runs wrk against it
// (wrk -t<wrk-threads> -c<connections> -d<seconds>s --latency, keep-alive), and prints wrk's
// report, the requests/s, and the load average before and after. Not a Google Benchmark:
// the load generator is an external process. Usage:
//
//   build/release/bench/http_bench [--seconds 10] [--connections 64] [--wrk-threads 1]
//                                  [--server-threads 2] [--wrk /usr/bin/wrk]
//
// wrk runs on the same machine and competes with the server for the same cores: on a 2-core
// host the figure is a lower bound of what the server does with the cores to itself.

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/json.h"
#include "http/server.h"

extern char** environ;

namespace {

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

// Runs argv, returns its stdout (stderr passes through), or exits on failure to start.
std::string run(const std::vector<std::string>& argv) {
  int out[2];
  if (pipe(out) != 0) std::exit(2);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) {
    std::cerr << "http_bench: cannot run " << argv[0] << " (apt-get install wrk)\n";
    std::exit(2);
  }
  close(out[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) text.append(buf, n);
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  posix_spawn_file_actions_destroy(&actions);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 10, connections = 64, wrk_threads = 1, server_threads = 2;
  std::string wrk = "/usr/bin/wrk";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--seconds")
      seconds = std::stoi(value);
    else if (flag == "--connections")
      connections = std::stoi(value);
    else if (flag == "--wrk-threads")
      wrk_threads = std::stoi(value);
    else if (flag == "--server-threads")
      server_threads = std::stoi(value);
    else if (flag == "--wrk")
      wrk = value;
    else {
      std::cerr << "http_bench: unknown flag " << flag << "\n";
      return 2;
    }
  }

  using namespace pw::http;
  Router router;
  auto added =
      router.add(Method::kPost, "/v1/access/check", [](const Request& req, const PathParams&) {
        return json_response(200, {{"decision", "allow"},
                                   {"grant", "018f3c1e-7b2a-7cde-8f00-0123456789ab"},
                                   {"request_bytes", req.body.size()}});
      });
  if (!added) return 1;
  ServerOptions options;
  options.threads = server_threads;
  HttpServer server(options, std::move(router));
  if (auto started = server.start(); !started) {
    std::cerr << "http_bench: " << started.error().to_string() << "\n";
    return 1;
  }

  // wrk sends this body on every request (a Lua script sets method, headers and body).
  char script_path[] = "/tmp/pw-http-bench-XXXXXX.lua";
  int fd = mkstemps(script_path, 4);
  if (fd < 0) return 1;
  const std::string script =
      "wrk.method = \"POST\"\n"
      "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
      "wrk.body = '{\"subject\":\"tech-17\",\"asset\":\"scanner-3\",\"mode\":\"remote\","
      "\"time\":\"2026-03-01T10:00:00Z\"}'\n";
  if (write(fd, script.data(), script.size()) != static_cast<ssize_t>(script.size())) return 1;
  close(fd);

  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/v1/access/check";
  std::vector<std::string> cmd{wrk,
                               "-t" + std::to_string(wrk_threads),
                               "-c" + std::to_string(connections),
                               "-d" + std::to_string(seconds) + "s",
                               "--latency",
                               "-s",
                               script_path,
                               url};
  std::string command;
  for (const auto& c : cmd) command += (command.empty() ? "" : " ") + c;
  const std::string load_before = load_average();
  const std::string report = run(cmd);
  const std::string load_after = load_average();
  server.stop();
  unlink(script_path);

  std::cout << "command: " << command << "\n"
            << "server threads: " << server_threads
            << ", cores online: " << sysconf(_SC_NPROCESSORS_ONLN) << "\n"
            << report << "load average before: " << load_before << "\n"
            << "load average after:  " << load_after << "\n";
  const std::size_t at = report.find("Requests/sec:");
  if (at == std::string::npos) return 1;
  std::cout << "requests/s: " << std::stod(report.substr(at + 13)) << "\n";
  return 0;
}

#include "cli/common.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

namespace pw::cli {

int exit_code_for(core::Code code) {
  switch (code) {
    case core::Code::kOk:
      return kExitOk;
    case core::Code::kInvalidArgument:
      return kExitUsage;
    case core::Code::kNotFound:
    case core::Code::kAlreadyExists:
    case core::Code::kFailedPrecondition:
      return kExitState;
    case core::Code::kPermissionDenied:
    case core::Code::kUnauthenticated:
      return kExitPermission;
    default:
      return kExitSystem;
  }
}

int report_error(const Globals& g, const core::Error& e) {
  if (g.json) {
    std::cout << nlohmann::json{{"error",
                                 {{"code", std::string(core::code_name(e.code()))},
                                  {"message", e.message()}}}}
                     .dump()
              << "\n";
  }
  std::cerr << "portwarden: " << e.message() << "\n";
  return exit_code_for(e.code());
}

app::JournalPaths paths(const Globals& g) {
  return {g.db, g.key.empty() ? app::default_key_path(g.db) : g.key};
}

app::Progress terminal_progress() {
  if (!::isatty(2)) return {};
  return [](std::string_view phase, std::uint64_t done, std::uint64_t total) {
    if (total > 0) {
      std::fprintf(stderr, "\r%.*s: %llu/%llu (%llu%%)   ", static_cast<int>(phase.size()),
                   phase.data(), static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total),
                   static_cast<unsigned long long>(done * 100 / total));
    }
    if (done >= total) std::fprintf(stderr, "\n");
  };
}

core::Result<std::unique_ptr<app::JournalService>> open_service(const Globals& g,
                                                                const core::Clock& clock) {
  return app::JournalService::open(paths(g), clock);
}

core::Result<AccessServices> open_access(const Globals& g, const std::string& policy,
                                         const core::Clock& clock) {
  AccessServices out;
  PW_ASSIGN_OR_RETURN(out.journal, open_service(g, clock));
  out.reg = std::make_unique<app::RegisterService>(*out.journal, clock);
  app::AccessConfig config;
  config.access_policy_path = policy;
  out.access = std::make_unique<app::AccessService>(*out.journal, *out.reg, clock, config);
  return out;
}

}  // namespace pw::cli

#pragma once
// What the CLI's command files share: global options, exit codes (docs/CLI.md), error reporting
// and progress. Adapter code only: it calls app/ and nothing below it.

#include <cstdint>
#include <memory>
#include <string>

#include "app/access_service.h"
#include "app/journal_service.h"
#include "app/register_service.h"
#include "core/clock.h"
#include "core/result.h"

namespace pw::cli {

// Exit codes (docs/CLI.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;     // a verification found the object invalid
inline constexpr int kExitUsage = 2;       // bad arguments or input
inline constexpr int kExitState = 3;       // not found, already exists, failed precondition
inline constexpr int kExitPermission = 4;  // permission denied, unauthenticated
inline constexpr int kExitSystem = 5;      // unavailable, data loss, internal

int exit_code_for(core::Code code);

struct Globals {
  std::string db = "./var/portwarden.db";
  std::string key;
  std::string actor;
  bool json = false;
};

// Prints the error (and, with --json, an {"error": ...} document) and returns its exit code.
int report_error(const Globals& g, const core::Error& e);

app::JournalPaths paths(const Globals& g);

// Progress on stderr when it is a terminal; silent otherwise (logs stay clean).
app::Progress terminal_progress();

core::Result<std::unique_ptr<app::JournalService>> open_service(const Globals& g,
                                                                const core::Clock& clock);

// The journal, register and access services a command on access records needs, the access
// conditions read from `policy`.
struct AccessServices {
  std::unique_ptr<app::JournalService> journal;
  std::unique_ptr<app::RegisterService> reg;
  std::unique_ptr<app::AccessService> access;
};
core::Result<AccessServices> open_access(const Globals& g, const std::string& policy,
                                         const core::Clock& clock);

}  // namespace pw::cli

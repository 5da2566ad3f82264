#pragma once
// Subcommand groups defined outside main.cc. Each adds its subcommands to `app`; their
// callbacks set `rc` to the exit code. `g`, `clock` and `rc` must outlive app.parse().

#include <CLI/CLI.hpp>

#include "cli/common.h"

namespace pw::cli {

// inventory import/export, findings (list, accept, resolve, reopen).
void add_register_commands(CLI::App& app, Globals& g, const core::Clock& clock, int& rc);

// assess SUPPLIER (report), assess start/judge/sign/refresh/mitigation.
void add_assess_commands(CLI::App& app, Globals& g, const core::Clock& clock, int& rc);

// request, approve, deny, permit, checkin, checkout, suspend, resume, access check/status.
void add_access_commands(CLI::App& app, Globals& g, const core::Clock& clock, int& rc);

// account create/disable/token: local accounts for the API and console.
void add_account_commands(CLI::App& app, Globals& g, const core::Clock& clock, int& rc);

// recording verify/export: session recordings of the gateway (docs/RECORDING.md).
void add_recording_commands(CLI::App& app, Globals& g, const core::Clock& clock, int& rc);

// grant cert, session list/kill, ca export: remote-maintenance sessions (issue 6).
void add_session_commands(CLI::App& app, Globals& g, const core::Clock& clock, int& rc);

// serve: the REST API.
void add_serve_command(CLI::App& app, Globals& g, const core::Clock& clock, int& rc);

// gateway --config FILE: the remote-maintenance gateway.
void add_gateway_command(CLI::App& app, Globals& g, int& rc);

// tender scan FILE: the market-wide screen over an OCDS file, nothing stored (issue 8).
// `tender` is the `tender` command group.
void add_tender_scan_command(CLI::App& tender, Globals& g, int& rc);

// tender import/list/show/configure/analyse/explanation/fsr/award: the buyer's workflow,
// journaled (app/procurement_service.h, docs/PROCUREMENT.md "Workflow").
void add_tender_commands(CLI::App& tender, Globals& g, const core::Clock& clock, int& rc);

// After a change to an assessment's inputs (register, ownership data, mitigations): journals
// every assessment whose inputs changed as stale and says so on stderr. A failure here does not
// undo the change that succeeded; it is reported as a warning.
void note_stale_assessments(const Globals& g, app::JournalService& journal,
                            const core::Clock& clock);

}  // namespace pw::cli

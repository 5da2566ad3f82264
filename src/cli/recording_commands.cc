// `portwarden recording verify|export`: the auditor's side of the gateway's session recordings
// (docs/RECORDING.md). Verification exits 0 (valid) or 1 (invalid), like the other verifiers.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/recording_audit.h"
#include "cli/commands.h"
#include "core/bytes.h"

namespace pw::cli {
namespace {

namespace rec = formats::recording;

struct RecordingArgs {
  std::string file, public_key, out, format = "raw";
  bool allow_unsigned = false;
};

nlohmann::json report_json(const rec::RecordingReport& r) {
  return nlohmann::json{
      {"session", r.info.session},
      {"grant", r.info.grant},
      {"person", r.info.person},
      {"vendor", r.info.vendor},
      {"asset", r.info.asset},
      {"gateway", r.info.gateway},
      {"started", core::format_rfc3339(r.info.started)},
      {"ended", core::format_rfc3339(r.ended)},
      {"reason", r.reason},
      {"chunks", r.chunks.size()},
      {"frames", r.frames},
      {"bytes_up", r.bytes_up},
      {"bytes_down", r.bytes_down},
      {"chain_head", core::to_hex(r.chain_head)},
      {"manifest_sha256", core::to_hex(r.manifest_sha256)},
      {"signed", r.seal == rec::SealState::kSigned},
      {"key_name", r.key_name},
      {"key_id", r.key_id},
      {"unsigned_reason", r.unsigned_reason},
  };
}

void print_report_text(const rec::RecordingReport& r) {
  std::cout << "  session " << r.info.session << ": " << r.info.person << " (" << r.info.vendor
            << ") on " << r.info.asset << " via " << r.info.gateway << ", grant " << r.info.grant
            << "\n  " << core::format_rfc3339(r.info.started) << " to "
            << core::format_rfc3339(r.ended) << ", ended: " << r.reason << "\n  " << r.chunks.size()
            << " chunks, " << r.frames << " frames, " << r.bytes_up << " bytes up, " << r.bytes_down
            << " bytes down\n  manifest sha256 " << core::to_hex(r.manifest_sha256) << "\n";
}

int cmd_verify(const Globals& g, const RecordingArgs& a, const core::Clock& clock) {
  app::RecordingVerifyRequest req;
  req.file = a.file;
  req.public_key_file = a.public_key;
  req.allow_unsigned = a.allow_unsigned;
  req.journal = paths(g);
  auto v = app::verify_recording_file(req, clock);
  if (!v) return report_error(g, v.error());
  if (g.json) {
    nlohmann::json j{{"valid", v->valid},
                     {"journal", std::string(app::journal_check_name(v->journal))}};
    if (!v->valid) j["reason"] = v->problem;
    if (v->report) j["recording"] = report_json(*v->report);
    if (v->report) j["signature_checked"] = v->report->signature_checked;
    if (!v->key_source.empty()) j["key_source"] = v->key_source;
    if (v->journal == app::JournalCheck::kJournaled) j["journal_entry"] = v->journal_seq;
    std::cout << j.dump() << "\n";
    return v->valid ? kExitOk : kExitInvalid;
  }
  if (!v->valid) {
    std::cout << "INVALID: " << v->problem << "\n";
    return kExitInvalid;
  }
  const auto& r = *v->report;
  if (r.seal == rec::SealState::kSigned) {
    std::cout << "VALID: recording signed by " << r.key_name << " (" << r.key_id
              << "), checked with " << v->key_source << "\n";
  } else {
    std::cout << "VALID (UNSIGNED, accepted with --allow-unsigned): " << r.unsigned_reason << "\n";
  }
  print_report_text(r);
  switch (v->journal) {
    case app::JournalCheck::kJournaled:
      std::cout << "  journal: manifest digest journaled in entry " << v->journal_seq << " ("
                << app::kSessionClosedEvent << ")\n";
      break;
    case app::JournalCheck::kNotJournaled:
      std::cout << "  journal: NOT journaled: no " << app::kSessionClosedEvent
                << " event for this session in " << g.db << "\n";
      break;
    case app::JournalCheck::kNoJournal:
      std::cout << "  journal: not checked (no database at " << g.db << ")\n";
      break;
    case app::JournalCheck::kMismatch:
      break;  // reported as invalid above
  }
  return kExitOk;
}

int cmd_export(const Globals& g, const RecordingArgs& a) {
  auto format = rec::parse_export_format(a.format);
  if (!format) return report_error(g, format.error());
  auto r = app::export_recording_file(a.file, a.out, *format);
  if (!r) return report_error(g, r.error());
  if (g.json) {
    std::cout << nlohmann::json{{"files", r->files}, {"recording", report_json(r->report)}}.dump()
              << "\n";
  } else {
    std::cout << "exported " << r->report.frames << " frames of session " << r->report.info.session
              << " (signature not checked: run 'portwarden recording verify')\n";
    for (const auto& f : r->files) std::cout << "  " << f << "\n";
  }
  return kExitOk;
}

}  // namespace

void add_recording_commands(CLI::App& app, Globals& g, const core::Clock& clock, int& rc) {
  auto a = std::make_shared<RecordingArgs>();
  auto* recording = app.add_subcommand("recording", "Session recordings of the gateway");
  recording->require_subcommand(1);

  auto* verify = recording->add_subcommand(
      "verify",
      "Check a recording: chunks, hash chain, manifest, signature, and (with a journal) that "
      "its manifest digest was journaled when the session closed");
  verify->add_option("FILE", a->file, "The recording")->required();
  verify->add_option("--public-key", a->public_key,
                     "Verifier key file (name+id+key; default: the journal's key, from --db)");
  verify->add_flag("--allow-unsigned", a->allow_unsigned,
                   "Accept a recording sealed without a signature");
  verify->callback([&g, &clock, &rc, a] { rc = cmd_verify(g, *a, clock); });

  auto* exp = recording->add_subcommand(
      "export", "Write a recording's content as files (raw streams, JSON lines or asciicast)");
  exp->add_option("FILE", a->file, "The recording")->required();
  exp->add_option("--out", a->out, "Directory to write into (created; must be empty)")->required();
  exp->add_option("--format", a->format, "raw, jsonl or asciicast")->capture_default_str();
  exp->callback([&g, &rc, a] { rc = cmd_export(g, *a); });
}

}  // namespace pw::cli

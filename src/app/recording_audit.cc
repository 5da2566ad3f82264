#include "app/recording_audit.h"

#include <cstdio>
#include <filesystem>

#include "app/keys.h"
#include "journal/note.h"

namespace pw::app {

namespace rec = formats::recording;

std::string_view journal_check_name(JournalCheck c) {
  switch (c) {
    case JournalCheck::kNoJournal:
      return "no_journal";
    case JournalCheck::kJournaled:
      return "journaled";
    case JournalCheck::kNotJournaled:
      return "not_journaled";
    case JournalCheck::kMismatch:
      return "mismatch";
  }
  return "?";
}

core::Result<std::vector<JournaledDigest>> find_session_closed(JournalService& journal,
                                                               std::string_view session) {
  std::vector<JournaledDigest> out;
  PW_TRY(journal.scan_events(0, kSessionClosedEvent, [&](const journal::Envelope& e) {
    if (e.type != kSessionClosedEvent || !e.payload.is_object()) return core::ok();
    auto s = e.payload.find("session");
    auto d = e.payload.find("manifest_sha256");
    if (s == e.payload.end() || !s->is_string() || *s != session) return core::ok();
    out.push_back({e.seq, d != e.payload.end() && d->is_string() ? d->get<std::string>() : ""});
    return core::ok();
  }));
  return out;
}

core::Result<RecordingSignature> sign_recording_manifest(const journal::NoteSigner& signer,
                                                         std::string_view session,
                                                         const core::Hash& manifest_sha256) {
  // The message is a valid signed-note text (printable, newline-terminated) as long as the
  // session id is; a signed note's signature is Ed25519 over exactly its text, so the signature
  // is taken from the note's signature line: base64(key ID (4 bytes) || signature (64)).
  if (session.empty() || session.find('\n') != std::string_view::npos) {
    return core::invalid_argument("session id is empty or holds a newline");
  }
  const std::string message = rec::signed_message(session, manifest_sha256);
  PW_ASSIGN_OR_RETURN(std::string note, signer.sign(message));
  const std::size_t last_space = note.rfind(' ');
  if (note.size() < message.size() + 2 || last_space == std::string::npos) {
    return core::internal_error("signed note has no signature line");
  }
  std::string line = note.substr(last_space + 1);
  while (!line.empty() && line.back() == '\n') line.pop_back();
  PW_ASSIGN_OR_RETURN(core::Bytes raw, core::from_base64(line));
  if (raw.size() != 4 + core::kEd25519SignatureSize) {
    return core::internal_error("signed note's signature has " + std::to_string(raw.size()) +
                                " bytes");
  }
  char id[9];
  std::snprintf(id, sizeof id, "%08x", signer.key_id());
  return RecordingSignature{signer.name(), id,
                            core::to_base64(core::ByteView(raw.data() + 4, raw.size() - 4))};
}

namespace {

rec::RecordingKey to_recording_key(const journal::NoteVerifier& v) {
  return rec::RecordingKey{v.name, v.key_id, v.key};
}

bool is_verdict(core::Code c) {
  return c == core::Code::kDataLoss || c == core::Code::kUnauthenticated ||
         c == core::Code::kFailedPrecondition;
}

}  // namespace

core::Result<RecordingVerdict> verify_recording_file(const RecordingVerifyRequest& request,
                                                     const core::Clock& clock) {
  RecordingVerdict v;
  std::unique_ptr<JournalService> journal;
  std::error_code ec;
  if (!request.journal.db.empty() && std::filesystem::exists(request.journal.db, ec)) {
    PW_ASSIGN_OR_RETURN(journal, JournalService::open(request.journal, clock));
  }

  rec::VerifyOptions options;
  options.allow_unsigned = request.allow_unsigned;
  if (!request.public_key_file.empty()) {
    PW_ASSIGN_OR_RETURN(journal::NoteVerifier key, load_verifier_key_file(request.public_key_file));
    options.key = to_recording_key(key);
    v.key_source = "--public-key " + request.public_key_file;
  } else if (journal) {
    auto key = journal::parse_verifier_key(journal->verifier_key());
    if (!key) return std::unexpected(key.error().with_context("the journal's verifier key"));
    options.key = to_recording_key(*key);
    v.key_source = "journal " + request.journal.db;
  } else {
    options.check_signature = false;  // decided below, once we know it is signed
  }

  PW_ASSIGN_OR_RETURN(std::unique_ptr<formats::FileByteSource> src,
                      formats::FileByteSource::open(request.file));
  auto report = rec::verify_recording(*src, options);
  if (!report) {
    if (!is_verdict(report.error().code())) return std::unexpected(report.error());
    v.problem = report.error().message();
    v.problem_code = report.error().code();
    return v;
  }
  if (!options.check_signature && report->seal == rec::SealState::kSigned) {
    return core::failed_precondition(
        "the recording is signed by key '" + report->key_name +
        "' but there is no public key to check it: give --public-key FILE, or --db for the "
        "journal (no database at " +
        request.journal.db + ")");
  }
  v.report = std::move(*report);
  v.valid = true;

  if (journal) {
    PW_ASSIGN_OR_RETURN(std::vector<JournaledDigest> found,
                        find_session_closed(*journal, v.report->info.session));
    const std::string digest = core::to_hex(v.report->manifest_sha256);
    v.journal = found.empty() ? JournalCheck::kNotJournaled : JournalCheck::kMismatch;
    for (const auto& f : found) {
      if (f.manifest_sha256 == digest) {
        v.journal = JournalCheck::kJournaled;
        v.journal_seq = f.seq;
      }
    }
    if (v.journal == JournalCheck::kMismatch) {
      // The journal says this session closed with another manifest: whatever the signature
      // says, this is not the recording the control plane accepted.
      v.valid = false;
      v.problem_code = core::Code::kDataLoss;
      v.problem = "the journal's gateway.session.closed event (entry " +
                  std::to_string(found.back().seq) + ") for session " + v.report->info.session +
                  " has manifest_sha256 " + found.back().manifest_sha256 +
                  ", not this recording's " + digest;
    }
  }
  return v;
}

core::Result<formats::recording::ExportResult> export_recording_file(
    const std::string& file, const std::string& out_dir, formats::recording::ExportFormat format) {
  PW_ASSIGN_OR_RETURN(std::unique_ptr<formats::FileByteSource> src,
                      formats::FileByteSource::open(file));
  return rec::export_recording(*src, out_dir, format);
}

}  // namespace pw::app

#pragma once
// The auditor's use cases for session recordings (docs/RECORDING.md): verify a recording file
// against the journal's key (or a given verifier key), check that its manifest digest is the
// one journaled when the session closed, and export its content.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/journal_service.h"
#include "core/clock.h"
#include "core/result.h"
#include "formats/recording/export.h"
#include "formats/recording/recording.h"
#include "journal/note.h"

namespace pw::app {

inline constexpr std::string_view kSessionClosedEvent = "gateway.session.closed";

// The manifest digests journaled for `session` in gateway.session.closed events (payload
// fields session and manifest_sha256), with their sequence numbers, in journal order.
struct JournaledDigest {
  std::uint64_t seq = 0;
  std::string manifest_sha256;
};
core::Result<std::vector<JournaledDigest>> find_session_closed(JournalService& journal,
                                                               std::string_view session);

// The control plane's answer to a session close (docs/GATEWAY.md): the journal key's Ed25519
// signature over formats::recording::signed_message(session, manifest_sha256), its key name and
// key ID (8 lower-case hex digits, the signed-note key ID), ready for RecordingWriter::seal().
struct RecordingSignature {
  std::string key_name;
  std::string key_id;
  std::string signature;  // base64
};
core::Result<RecordingSignature> sign_recording_manifest(const journal::NoteSigner& signer,
                                                         std::string_view session,
                                                         const core::Hash& manifest_sha256);

struct RecordingVerifyRequest {
  std::string file;
  std::string public_key_file;  // a verifier key file ("name+id+base64"); empty: the journal's
  bool allow_unsigned = false;
  JournalPaths journal;  // the data directory; used when its database exists
};

enum class JournalCheck {
  kNoJournal,     // no database at the given path: not checked
  kJournaled,     // a gateway.session.closed event carries this manifest digest
  kNotJournaled,  // the journal has no gateway.session.closed event for this session
  kMismatch,      // it has, with another digest: the recording is not the one closed
};
std::string_view journal_check_name(JournalCheck c);

struct RecordingVerdict {
  bool valid = false;
  std::string problem;  // why not valid
  core::Code problem_code = core::Code::kOk;
  std::optional<formats::recording::RecordingReport> report;  // when the file read through
  std::string key_source;  // where the public key came from ("" if none was needed)
  JournalCheck journal = JournalCheck::kNoJournal;
  std::uint64_t journal_seq = 0;  // when journaled
};

// Errors are for what kept the check from running (file missing or unreadable, bad key file,
// no key at all for a signed recording); a recording that fails its checks is a verdict with
// valid == false.
core::Result<RecordingVerdict> verify_recording_file(const RecordingVerifyRequest& request,
                                                     const core::Clock& clock);

core::Result<formats::recording::ExportResult> export_recording_file(
    const std::string& file, const std::string& out_dir, formats::recording::ExportFormat format);

}  // namespace pw::app

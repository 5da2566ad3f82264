#pragma once
// Exports a recording's frames for an auditor (docs/RECORDING.md, "Export"):
//   raw        client-to-server.bin and server-to-client.bin: the two byte streams
//   jsonl      frames.jsonl: {"data":"<base64>","direction":"up|down","time":"<RFC 3339>"}
//   asciicast  session.cast: asciicast v2, server-to-client as "o", client-to-server as "i"
//              (for terminal sessions; bytes that are not UTF-8 become U+FFFD)
// Every format also writes manifest.json (the recording's canonical manifest).

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "formats/byte_source.h"
#include "formats/recording/recording.h"

namespace pw::formats::recording {

enum class ExportFormat { kRaw, kJsonl, kAsciicast };

core::Result<ExportFormat> parse_export_format(std::string_view name);

struct ExportResult {
  RecordingReport report;
  std::vector<std::string> files;  // paths written
};

// Reads and checks the recording (everything verify_recording checks except the signature;
// an unsigned seal is accepted) while writing the export into `dir`, which is created if
// missing and must otherwise be empty. On any failure the files written are removed (and the
// directory, if this call created it).
core::Result<ExportResult> export_recording(ByteSource& in, const std::string& dir,
                                            ExportFormat format);

}  // namespace pw::formats::recording

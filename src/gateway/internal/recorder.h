#pragma once
// One session's recording, as the gateway sees it: the thin seam between the data path and
// formats/recording's Writer (docs/GATEWAY.md, "Recordings"). Everything the gateway needs from
// a recording goes through here, so the data path does not depend on the format's details.
//
// Threading: a Recorder is used by one thread at a time (the session's I/O thread while the
// session runs; the control thread for seal()).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "core/clock.h"
#include "core/result.h"

namespace pw::gateway::internal {

enum class Direction { kUp, kDown };  // up: client -> asset; down: asset -> client

struct RecordingInfo {
  std::string session;
  std::string gateway;
  std::string grant;
  std::string person;
  std::string vendor;
  std::string asset;
  core::Timestamp started;
};

class Recorder {
 public:
  // Creates `dir`/<session>.pwrec (refusing to overwrite one). Errors name the file.
  static core::Result<std::unique_ptr<Recorder>> create(const std::filesystem::path& dir,
                                                        const RecordingInfo& info);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Appends bytes of one direction. An error means the recording is broken: the caller closes
  // the session (fail closed).
  core::Status write(Direction direction, core::Timestamp time, std::span<const char> bytes);
  // Closes the open chunk if it is old (about a second), so an idle session's last bytes reach
  // the file; called on every heartbeat.
  core::Status tick(core::Timestamp now);
  // Ends the streams and writes the manifest; returns its SHA-256, lower-case hex.
  core::Result<std::string> finish(core::Timestamp time, const std::string& reason);
  // Stores the control plane's signature over the manifest.
  core::Status seal(const std::string& key_name, const std::string& key_id,
                    const std::string& signature_base64);
  // Marks the recording as not signed, saying why (the control plane could not sign).
  core::Status seal_unsigned(const std::string& why);

  const std::filesystem::path& path() const { return path_; }

  struct State;

 private:
  Recorder(std::filesystem::path path, std::unique_ptr<State> state);
  std::filesystem::path path_;
  std::unique_ptr<State> state_;  // the formats/recording writer
};

}  // namespace pw::gateway::internal

#pragma once
// One session's recording, as the gateway sees it: the thin seam between the data path and
// formats/recording's Writer (docs/GATEWAY.md, "Recordings"). Everything the gateway needs from
// a recording goes through here, so the data path does not depend on the format's details.
//
// The data path records without copying: the session reads into buffers it gets from here,
// hands each filled one to the I/O thread's RecordingThread (which frames, hashes and writes it
// with the formats/recording writer) and meanwhile sends the same bytes on. Each direction has a
// fixed ring of buffers; when all are in flight (the writer fell behind) acquire() waits:
// backpressure, never unbounded memory and never a dropped byte.
//
// Threading:
//   - the session's I/O thread: acquire, submit, tick, cancel, finish (and destruction when
//     finish was never started, only with that thread's io_context no longer running);
//   - the RecordingThread: on_writer_thread, and nothing else touches the file meanwhile;
//   - after finish() completed: seal/seal_unsigned and destruction on any one thread.
// A writer-thread failure is handed to the I/O thread by a post: on_failure runs there.

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "gateway/internal/recording_thread.h"

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

struct RecorderOptions {
  // Read buffers per direction and their size. Client -> asset reads are one TLS record (at
  // most 16 KiB); asset -> client reads take what the socket has, up to 256 KiB per read(2).
  std::size_t up_buffers = 8, up_bytes = 16 << 10;
  std::size_t down_buffers = 4, down_bytes = 256 << 10;
  // The recording's chunk size (closed at that size or after a second).
  std::size_t chunk_bytes = 64 << 10;
  // O_DIRECT chunk writes (formats/recording WriterOptions::direct_io): no page-cache copy.
  bool direct_io = true;
};

class Recorder {
 public:
  // Creates `dir`/<session>.pwrec (refusing to overwrite one). Errors name the file. `thread`
  // and `ioc` belong to the session's I/O thread and must outlive the recorder.
  static core::Result<std::unique_ptr<Recorder>> create(const std::filesystem::path& dir,
                                                        const RecordingInfo& info,
                                                        RecordingThread& thread,
                                                        boost::asio::io_context& ioc,
                                                        RecorderOptions options = {});
  // Same on an open, writable file descriptor, which the recorder owns from now on (tests use
  // a pipe to make writes fail). `name` is used in error messages.
  static core::Result<std::unique_ptr<Recorder>> adopt_fd(int fd, std::string name,
                                                          const RecordingInfo& info,
                                                          RecordingThread& thread,
                                                          boost::asio::io_context& ioc,
                                                          RecorderOptions options = {});
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // ---- the session's I/O thread
  // Called (on the I/O thread) once, with the error, when the writer thread fails to record:
  // the session closes (fail closed). Set before the first submit().
  void on_failure(std::function<void(const std::string&)> f) { on_failure_ = std::move(f); }
  // The next free read buffer of direction `d`, waiting while every one is in flight. Empty
  // when the recording failed or cancel() was called: the session must stop.
  boost::asio::awaitable<std::span<char>> acquire(Direction d);
  // Hands the first `n` bytes of the buffer acquire(d) returned to the writer thread, stamped
  // `time`. The buffer must not be written again until a later acquire() returns it. An error
  // means the recording is broken: the caller closes the session.
  core::Status submit(Direction d, core::Timestamp time, std::size_t n);
  // Queues a check that closes the open chunk if it is old (about a second), so an idle
  // session's last bytes reach the file; called on every heartbeat. Errors as for submit().
  core::Status tick(core::Timestamp now);
  // Why acquire() returned empty: "recording failed: <error>" or "recording stopped".
  std::string stop_reason() const;
  // Wakes every acquire() (which then returns empty); for the session's cut.
  void cancel();
  // Waits until everything submitted is written, then ends the streams and writes the
  // manifest; returns its SHA-256, lower-case hex. Call once, after the last submit().
  boost::asio::awaitable<core::Result<std::string>> finish(core::Timestamp time,
                                                           std::string reason);

  // ---- after finish() completed
  // Stores the control plane's signature over the manifest.
  core::Status seal(const std::string& key_name, const std::string& key_id,
                    const std::string& signature_base64);
  // Marks the recording as not signed, saying why (the control plane could not sign).
  core::Status seal_unsigned(const std::string& why);

  const std::filesystem::path& path() const { return path_; }

  // ---- the RecordingThread: handles one of this recorder's slots.
  void on_writer_thread(Slot* slot);

  struct State;

 private:
  enum class Kind { kData, kTick, kFinish };
  struct Work : Slot {
    Kind kind = Kind::kData;
    Direction direction = Direction::kUp;
    core::Timestamp time;
    std::size_t size = 0;          // filled bytes (kData)
    std::unique_ptr<char[]> data;  // allocated on first use
    std::string reason;            // kFinish
  };
  struct Ring {
    std::vector<Work> slots;
    std::size_t bytes = 0;
    std::uint64_t produced = 0;              // I/O thread only
    std::atomic<std::uint64_t> consumed{0};  // bumped by the writer thread
  };

  Recorder(std::filesystem::path path, std::unique_ptr<State> state, RecordingThread& thread,
           boost::asio::io_context& ioc, const RecorderOptions& options);
  Ring& ring(Direction d) { return d == Direction::kUp ? up_ : down_; }
  void fail_on_writer_thread(const std::string& message);
  void wake_on_writer_thread();
  bool stopped() const;

  std::filesystem::path path_;
  std::unique_ptr<State> state_;  // the formats/recording writer (the writer thread's)
  RecordingThread& thread_;
  boost::asio::io_context& ioc_;
  std::optional<boost::asio::steady_timer> wake_;  // never expires; cancelled to wake waiters
  std::function<void(const std::string&)> on_failure_;
  Ring up_, down_;
  Work tick_, finish_;
  std::atomic<bool> tick_queued_{false};
  std::atomic<bool> waiting_{false};  // the I/O thread waits for a buffer
  std::atomic<bool> failed_{false};   // set (release) after failure_ is written
  std::string failure_;               // written once by the writer thread
  bool cancelled_ = false;            // I/O thread
  bool finished_ = false;             // I/O thread: finish_ has been handled
  core::Result<std::string> finish_result_;
  std::atomic<std::uint32_t> outstanding_{0};  // slots in the queue
};

}  // namespace pw::gateway::internal

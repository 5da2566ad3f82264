#include "gateway/internal/recorder.h"

#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>

#include "core/bytes.h"
#include "formats/recording/recording.h"

namespace pw::gateway::internal {
namespace asio = boost::asio;
namespace rec = formats::recording;

struct Recorder::State {
  std::unique_ptr<rec::RecordingWriter> writer;
};

namespace {

rec::SessionInfo session_info(const RecordingInfo& info) {
  rec::SessionInfo s;
  s.session = info.session;
  s.grant = info.grant;
  s.person = info.person;
  s.vendor = info.vendor;
  s.asset = info.asset;
  s.gateway = info.gateway;
  s.started = info.started;
  return s;
}

rec::WriterOptions writer_options(const RecorderOptions& options) {
  rec::WriterOptions w;
  w.chunk_bytes = options.chunk_bytes;
  w.direct_io = options.direct_io;
  return w;
}

}  // namespace

Recorder::Recorder(std::filesystem::path path, std::unique_ptr<State> state,
                   RecordingThread& thread, asio::io_context& ioc, const RecorderOptions& options)
    : path_(std::move(path)), state_(std::move(state)), thread_(thread), ioc_(ioc) {
  wake_.emplace(ioc_, asio::steady_timer::time_point::max());
  up_.slots = std::vector<Work>(std::max<std::size_t>(1, options.up_buffers));
  up_.bytes = std::max<std::size_t>(1, options.up_bytes);
  down_.slots = std::vector<Work>(std::max<std::size_t>(1, options.down_buffers));
  down_.bytes = std::max<std::size_t>(1, options.down_bytes);
  for (Ring* r : {&up_, &down_}) {
    for (Work& w : r->slots) w.owner = this;
  }
  tick_.owner = this;
  tick_.kind = Kind::kTick;
  finish_.owner = this;
  finish_.kind = Kind::kFinish;
}

Recorder::~Recorder() {
  // After finish() the writer thread may still be leaving on_writer_thread (a few
  // instructions); without finish() it may hold slots. It never waits for anyone, so this ends.
  // A spin, not a futex: the writer must not touch the counter after it reached zero.
  while (outstanding_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
}

core::Result<std::unique_ptr<Recorder>> Recorder::create(const std::filesystem::path& dir,
                                                         const RecordingInfo& info,
                                                         RecordingThread& thread,
                                                         asio::io_context& ioc,
                                                         RecorderOptions options) {
  std::filesystem::path path = dir / (info.session + ".pwrec");
  PW_ASSIGN_OR_RETURN(auto writer, rec::RecordingWriter::create(path.string(), session_info(info),
                                                                writer_options(options)));
  auto state = std::make_unique<State>();
  state->writer = std::move(writer);
  return std::unique_ptr<Recorder>(
      new Recorder(std::move(path), std::move(state), thread, ioc, options));
}

core::Result<std::unique_ptr<Recorder>> Recorder::adopt_fd(int fd, std::string name,
                                                           const RecordingInfo& info,
                                                           RecordingThread& thread,
                                                           asio::io_context& ioc,
                                                           RecorderOptions options) {
  PW_ASSIGN_OR_RETURN(auto writer, rec::RecordingWriter::adopt_fd(fd, name, session_info(info),
                                                                  writer_options(options)));
  auto state = std::make_unique<State>();
  state->writer = std::move(writer);
  return std::unique_ptr<Recorder>(
      new Recorder(std::filesystem::path(name), std::move(state), thread, ioc, options));
}

bool Recorder::stopped() const {
  return cancelled_ || failed_.load(std::memory_order_acquire);
}

asio::awaitable<std::span<char>> Recorder::acquire(Direction d) {
  Ring& r = ring(d);
  const std::uint64_t k = r.slots.size();
  for (;;) {
    if (stopped()) co_return std::span<char>();
    if (r.produced - r.consumed.load(std::memory_order_acquire) < k) break;
    // Every buffer is in flight. Announce the wait, then look again: either this sees the
    // writer's progress or the writer sees the flag and posts a wake-up (both seq_cst).
    waiting_.store(true, std::memory_order_seq_cst);
    if (r.produced - r.consumed.load(std::memory_order_seq_cst) < k) continue;
    co_await wake_->async_wait(asio::as_tuple(asio::use_awaitable));
  }
  Work& w = r.slots[r.produced % k];
  if (!w.data) w.data = std::make_unique_for_overwrite<char[]>(r.bytes);
  co_return std::span<char>(w.data.get(), r.bytes);
}

core::Status Recorder::submit(Direction d, core::Timestamp time, std::size_t n) {
  if (failed_.load(std::memory_order_acquire)) return core::unavailable(failure_);
  if (finished_ || cancelled_) return core::failed_precondition("recording is closed");
  Ring& r = ring(d);
  Work& w = r.slots[r.produced % r.slots.size()];
  if (!w.data || n > r.bytes) return core::invalid_argument("recording: submit without acquire");
  w.kind = Kind::kData;
  w.direction = d;
  w.time = time;
  w.size = n;
  ++r.produced;
  outstanding_.fetch_add(1, std::memory_order_relaxed);
  thread_.push(&w);
  return core::ok();
}

core::Status Recorder::tick(core::Timestamp now) {
  if (failed_.load(std::memory_order_acquire)) return core::unavailable(failure_);
  if (finished_ || tick_queued_.exchange(true, std::memory_order_acq_rel)) return core::ok();
  tick_.time = now;
  outstanding_.fetch_add(1, std::memory_order_relaxed);
  thread_.push(&tick_);
  return core::ok();
}

std::string Recorder::stop_reason() const {
  if (failed_.load(std::memory_order_acquire)) return "recording failed: " + failure_;
  return "recording stopped";
}

void Recorder::cancel() {
  cancelled_ = true;
  if (wake_) wake_->cancel();
}

asio::awaitable<core::Result<std::string>> Recorder::finish(core::Timestamp time,
                                                            std::string reason) {
  finish_.time = time;
  finish_.reason = std::move(reason);
  outstanding_.fetch_add(1, std::memory_order_relaxed);
  thread_.push(&finish_);
  // The writer handles slots in order, so this waits for every buffer submitted before.
  while (!finished_) co_await wake_->async_wait(asio::as_tuple(asio::use_awaitable));
  wake_.reset();  // the timer belongs to the I/O thread; later owners may be elsewhere
  co_return std::move(finish_result_);
}

core::Status Recorder::seal(const std::string& key_name, const std::string& key_id,
                            const std::string& signature_base64) {
  return state_->writer->seal(key_name, key_id, signature_base64);
}

core::Status Recorder::seal_unsigned(const std::string& why) {
  return state_->writer->seal_unsigned(why);
}

// ---- the writer thread

void Recorder::fail_on_writer_thread(const std::string& message) {
  if (failed_.load(std::memory_order_relaxed)) return;
  failure_ = message;
  failed_.store(true, std::memory_order_release);
  asio::post(ioc_, [this] {
    if (wake_) wake_->cancel();
    if (on_failure_) on_failure_(failure_);
  });
}

void Recorder::wake_on_writer_thread() {
  if (waiting_.exchange(false, std::memory_order_seq_cst)) {
    asio::post(ioc_, [this] {
      if (wake_) wake_->cancel();
    });
  }
}

void Recorder::on_writer_thread(Slot* slot) {
  auto* w = static_cast<Work*>(slot);
  rec::RecordingWriter& writer = *state_->writer;
  const bool failed = failed_.load(std::memory_order_relaxed);
  switch (w->kind) {
    case Kind::kData: {
      if (!failed) {
        const auto d = w->direction == Direction::kUp ? rec::Direction::kUp : rec::Direction::kDown;
        auto st = writer.write(
            d, w->time,
            core::ByteView(reinterpret_cast<const std::uint8_t*>(w->data.get()), w->size));
        if (!st) fail_on_writer_thread(st.error().message());
      }
      ring(w->direction).consumed.fetch_add(1, std::memory_order_seq_cst);
      wake_on_writer_thread();
      break;
    }
    case Kind::kTick: {
      if (!failed) {
        if (auto st = writer.tick(w->time); !st) fail_on_writer_thread(st.error().message());
      }
      tick_queued_.store(false, std::memory_order_release);
      break;
    }
    case Kind::kFinish: {
      core::Result<std::string> r = core::unavailable(failure_);
      if (!failed) {
        auto digest = writer.finish(w->time, w->reason);
        if (digest) {
          r = core::to_hex(*digest);
        } else {
          r = std::unexpected(digest.error());
        }
      }
      // Posted before `outstanding_` drops, so the recorder is alive when it runs.
      asio::post(ioc_, [this, r = std::move(r)]() mutable {
        finish_result_ = std::move(r);
        finished_ = true;
        if (wake_) wake_->cancel();
      });
      break;
    }
  }
  // The last touch of this recorder by the writer thread for this slot.
  outstanding_.fetch_sub(1, std::memory_order_release);
}

}  // namespace pw::gateway::internal

// The gateway's recorder with its writer thread: what goes through it verifies byte for byte,
// a writer that falls behind makes the session wait (backpressure, nothing dropped), and a
// write error reaches the session (fail closed).
#include "gateway/internal/recorder.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstring>
#include <string>

#include "formats/recording/recording.h"
#include "support/test_support.h"

namespace pw::gateway::internal {
namespace {
namespace asio = boost::asio;
namespace rec = formats::recording;

constexpr std::int64_t kStart = 1'796'000'000'000'000;  // 2026-11-30

RecordingInfo info() {
  return RecordingInfo{
      "ses-1", "gw-1", "g-7", "tech-1", "nuctech", "scanner-1", core::Timestamp{kStart}};
}

// Fills `buf` with a pattern that differs per call, so a lost or reordered buffer shows.
std::string fill(std::span<char> buf, std::size_t n, int seed) {
  for (std::size_t i = 0; i < n; ++i) buf[i] = static_cast<char>((i * 131 + seed * 7) & 0xff);
  return std::string(buf.data(), n);
}

// Runs `coro` on `ioc` until it is done; fails the test if it threw.
template <typename F>
void run(asio::io_context& ioc, F coro) {
  bool done = false;
  asio::co_spawn(ioc, coro(), [&](std::exception_ptr e) {
    EXPECT_FALSE(e) << "the coroutine threw";
    done = true;
  });
  ioc.run();
  ioc.restart();
  EXPECT_TRUE(done);
}

struct Verified {
  std::string up, down;
  rec::RecordingReport report;
};

Verified verify(const std::filesystem::path& path) {
  Verified v;
  auto src = formats::FileByteSource::open(path.string());
  EXPECT_TRUE(src.has_value());
  rec::VerifyOptions o;
  o.allow_unsigned = true;
  o.check_signature = false;
  o.on_frame = [&](rec::Direction d, core::Timestamp, core::ByteView b) -> core::Status {
    (d == rec::Direction::kUp ? v.up : v.down)
        .append(reinterpret_cast<const char*>(b.data()), b.size());
    return core::ok();
  };
  auto r = rec::verify_recording(**src, o);
  EXPECT_TRUE(r.has_value()) << r.error().to_string();
  if (r) v.report = *r;
  return v;
}

TEST(Recorder, WhatGoesThroughTheWriterThreadVerifiesByteForByte) {
  pw::testing::TempDir dir;
  asio::io_context ioc;
  RecordingThread thread;
  thread.start();
  RecorderOptions options;
  options.up_buffers = 2;
  options.down_buffers = 3;
  options.down_bytes = 100 << 10;
  auto r = Recorder::create(dir.path(), info(), thread, ioc, options);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  Recorder& recorder = **r;
  std::string up, down, digest;
  run(ioc, [&]() -> asio::awaitable<void> {
    for (int i = 0; i < 200; ++i) {
      const Direction d = i % 3 == 0 ? Direction::kUp : Direction::kDown;
      std::span<char> buf = co_await recorder.acquire(d);
      EXPECT_FALSE(buf.empty());
      const std::size_t n = 1 + (static_cast<std::size_t>(i) * 7919) % buf.size();
      (d == Direction::kUp ? up : down) += fill(buf, n, i);
      EXPECT_TRUE(recorder.submit(d, core::Timestamp{kStart + i}, n).has_value());
      if (i % 50 == 0) {
        EXPECT_TRUE(recorder.tick(core::Timestamp{kStart + i}).has_value());
      }
    }
    auto d = co_await recorder.finish(core::Timestamp{kStart + 1000}, "closed");
    EXPECT_TRUE(d.has_value());
    if (d) digest = *d;
  });
  ASSERT_TRUE(recorder.seal_unsigned("test").has_value());
  const Verified v = verify(recorder.path());
  EXPECT_EQ(v.up.size(), up.size());
  EXPECT_TRUE(v.up == up);
  EXPECT_EQ(v.down.size(), down.size());
  EXPECT_TRUE(v.down == down);
  EXPECT_EQ(core::to_hex(v.report.manifest_sha256), digest);
}

TEST(Recorder, AWriterThatFallsBehindMakesTheSessionWaitAndLosesNothing) {
  pw::testing::TempDir dir;
  asio::io_context ioc;
  RecordingThread thread;  // not started yet: the writer "falls behind" by as much as we like
  RecorderOptions options;
  options.down_buffers = 2;
  options.down_bytes = 4096;
  auto r = Recorder::create(dir.path(), info(), thread, ioc, options);
  ASSERT_TRUE(r.has_value());
  Recorder& recorder = **r;
  std::string sent;
  int acquired = 0;
  bool finished = false;
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 5; ++i) {
          std::span<char> buf = co_await recorder.acquire(Direction::kDown);
          EXPECT_FALSE(buf.empty());
          ++acquired;
          sent += fill(buf, buf.size(), i);
          EXPECT_TRUE(recorder.submit(Direction::kDown, core::Timestamp{kStart}, buf.size()));
        }
        auto d = co_await recorder.finish(core::Timestamp{kStart + 1}, "closed");
        EXPECT_TRUE(d.has_value());
        finished = true;
      },
      [](std::exception_ptr e) { EXPECT_FALSE(e); });
  while (ioc.poll() > 0) {
  }
  // Both buffers are in flight and nobody writes them: the third acquire waits.
  EXPECT_EQ(acquired, 2);
  EXPECT_FALSE(finished);
  thread.start();
  ioc.run();
  EXPECT_EQ(acquired, 5);
  ASSERT_TRUE(finished);
  ASSERT_TRUE(recorder.seal_unsigned("test").has_value());
  const Verified v = verify(recorder.path());
  EXPECT_EQ(v.down.size(), 5u * 4096u);
  EXPECT_TRUE(v.down == sent);
}

TEST(Recorder, AWriteErrorOnTheWriterThreadReachesTheSessionAndFailsItsFinish) {
  ::signal(SIGPIPE, SIG_IGN);  // the write fails with EPIPE instead
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  asio::io_context ioc;
  RecordingThread thread;
  thread.start();
  RecorderOptions options;
  options.chunk_bytes = 1024;  // every buffer closes a chunk, which is written at once
  auto r = Recorder::adopt_fd(fds[1], "pipe", info(), thread, ioc, options);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  ::close(fds[0]);  // the header went into the pipe; from now on every write fails
  Recorder& recorder = **r;
  std::string failure;
  recorder.on_failure([&](const std::string& why) { failure = why; });
  bool stopped = false;
  core::Status last_submit = core::ok();
  core::Result<std::string> finish = std::string();
  run(ioc, [&]() -> asio::awaitable<void> {
    // Keep recording like a session would until the recorder says stop.
    for (int i = 0; i < 1000 && !stopped; ++i) {
      std::span<char> buf = co_await recorder.acquire(Direction::kDown);
      if (buf.empty()) {
        stopped = true;
        break;
      }
      fill(buf, 2048, i);
      last_submit = recorder.submit(Direction::kDown, core::Timestamp{kStart}, 2048);
      if (!last_submit) stopped = true;
    }
    finish = co_await recorder.finish(core::Timestamp{kStart + 1}, "closed");
  });
  EXPECT_TRUE(stopped);
  EXPECT_NE(failure.find("cannot write recording pipe"), std::string::npos) << failure;
  EXPECT_EQ(recorder.stop_reason().rfind("recording failed: cannot write recording pipe", 0), 0u)
      << recorder.stop_reason();
  EXPECT_FALSE(finish.has_value());
  EXPECT_FALSE(recorder.tick(core::Timestamp{kStart + 2}).has_value());
}

TEST(Recorder, CancelWakesASessionWaitingForABuffer) {
  pw::testing::TempDir dir;
  asio::io_context ioc;
  RecordingThread thread;  // not started: every buffer stays in flight
  RecorderOptions options;
  options.up_buffers = 1;
  auto r = Recorder::create(dir.path(), info(), thread, ioc, options);
  ASSERT_TRUE(r.has_value());
  Recorder& recorder = **r;
  int acquired = 0;
  bool empty = false;
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        std::span<char> buf = co_await recorder.acquire(Direction::kUp);
        ++acquired;
        EXPECT_TRUE(recorder.submit(Direction::kUp, core::Timestamp{kStart}, 1));
        buf = co_await recorder.acquire(Direction::kUp);
        empty = buf.empty();
      },
      [](std::exception_ptr e) { EXPECT_FALSE(e); });
  while (ioc.poll() > 0) {
  }
  EXPECT_EQ(acquired, 1);
  EXPECT_FALSE(empty);
  recorder.cancel();
  ioc.run();
  EXPECT_TRUE(empty);
  EXPECT_EQ(recorder.stop_reason(), "recording stopped");
  thread.start();  // drains the submitted buffer before the recorder goes
}

}  // namespace
}  // namespace pw::gateway::internal

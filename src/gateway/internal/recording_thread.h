#pragma once
// The recording writer thread of one I/O thread (docs/PERFORMANCE.md, "Remote-maintenance
// gateway"): it takes the SHA-256 chain and the write(2) of every session's recording off the
// I/O thread, so one core receives, decrypts and sends while the other hashes and writes.
//
// Hand-off: the I/O thread (the only producer) pushes Slots -- filled read buffers, ticks, the
// finish -- onto an intrusive lock-free queue; this thread (the only consumer) pops them in
// order and gives each to its Recorder. The queue needs no capacity: every Slot belongs to a
// Recorder, which has a fixed number of them, so memory is bounded by the sessions' buffers in
// flight. When the queue is empty the thread sleeps on a futex (std::atomic::wait), woken by
// the producer; no mutex anywhere on this path.

#include <atomic>
#include <cstdint>
#include <thread>

namespace pw::gateway::internal {

class Recorder;

// One unit of work for the writer thread. Owned by a Recorder; in the queue from push() until
// the writer thread has handled it.
struct Slot {
  std::atomic<Slot*> next{nullptr};
  Recorder* owner = nullptr;
};

class RecordingThread {
 public:
  RecordingThread();
  ~RecordingThread();  // stop()s
  RecordingThread(const RecordingThread&) = delete;
  RecordingThread& operator=(const RecordingThread&) = delete;

  void start();
  // Ends the thread once every Slot pushed so far has been handled. Call after the producer
  // stopped pushing.
  void stop();

  // Producer side (one thread at a time; the owning I/O thread): queue `slot`.
  void push(Slot* slot);

 private:
  Slot* pop();  // consumer side; nullptr when empty (or a push is half done)
  void run();

  // Vyukov's intrusive queue: producers exchange head_, the consumer follows next from tail_.
  Slot stub_;
  std::atomic<Slot*> head_;
  Slot* tail_;
  // Bumped after every push; the consumer sleeps on it while the queue is empty.
  std::atomic<std::uint32_t> pushed_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace pw::gateway::internal

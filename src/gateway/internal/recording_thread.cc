#include "gateway/internal/recording_thread.h"

#include "gateway/internal/recorder.h"

namespace pw::gateway::internal {

RecordingThread::RecordingThread() : head_(&stub_), tail_(&stub_) {}

RecordingThread::~RecordingThread() {
  stop();
}

void RecordingThread::start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
}

void RecordingThread::stop() {
  if (!thread_.joinable()) return;
  stopping_.store(true, std::memory_order_seq_cst);
  pushed_.fetch_add(1, std::memory_order_seq_cst);
  pushed_.notify_one();
  thread_.join();
}

void RecordingThread::push(Slot* slot) {
  slot->next.store(nullptr, std::memory_order_relaxed);
  Slot* prev = head_.exchange(slot, std::memory_order_acq_rel);
  prev->next.store(slot, std::memory_order_release);
  // After the link: a consumer that saw the old count will see the slot once it wakes.
  pushed_.fetch_add(1, std::memory_order_release);
  pushed_.notify_one();  // no system call unless the consumer is asleep
}

Slot* RecordingThread::pop() {
  Slot* tail = tail_;
  Slot* next = tail->next.load(std::memory_order_acquire);
  if (tail == &stub_) {
    if (next == nullptr) return nullptr;
    tail_ = next;
    tail = next;
    next = next->next.load(std::memory_order_acquire);
  }
  if (next != nullptr) {
    tail_ = next;
    return tail;
  }
  if (tail != head_.load(std::memory_order_acquire)) return nullptr;  // a push is half done
  push(&stub_);  // so the last real slot gets a successor and can be handed out
  next = tail->next.load(std::memory_order_acquire);
  if (next != nullptr) {
    tail_ = next;
    return tail;
  }
  return nullptr;
}

void RecordingThread::run() {
  for (;;) {
    const std::uint32_t seen = pushed_.load(std::memory_order_acquire);
    bool any = false;
    while (Slot* s = pop()) {
      any = true;
      s->owner->on_writer_thread(s);  // may free nothing: the slot belongs to its Recorder
    }
    if (any) continue;
    // Every slot pushed before `seen` was bumped is linked, so the queue was empty then; stop
    // only with nothing left to write.
    if (stopping_.load(std::memory_order_acquire)) return;
    pushed_.wait(seen, std::memory_order_acquire);
  }
}

}  // namespace pw::gateway::internal

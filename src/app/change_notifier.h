#pragma once
// Tells adapters, without polling, that a service has just changed something: a service calls
// notify() after its change is journaled, and an adapter (the access feed's long-poll) wakes
// its waiters. Only changes made through this process's services are seen this way; other
// processes on the same database (the CLI) are only seen by reading the journal again.
//
// Threads: subscribe(), notify() and Subscription::reset() may be called from any thread.
// Listeners run on the thread that calls notify(), under the notifier's lock: they must be
// quick, must not block (notify a condition variable, post a task) and must not subscribe or
// unsubscribe. Once reset() (or the Subscription's destructor) returns, its listener is not
// running and is never called again.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace pw::app {

class ChangeNotifier {
  struct Shared;

 public:
  using Listener = std::function<void()>;

  // Keeps a listener subscribed while it lives. Move-only. May outlive the notifier.
  class Subscription {
   public:
    Subscription() = default;
    Subscription(Subscription&& other) noexcept;
    Subscription& operator=(Subscription&& other) noexcept;
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;
    ~Subscription() { reset(); }
    void reset();

   private:
    friend class ChangeNotifier;
    Subscription(std::weak_ptr<Shared> shared, std::uint64_t id)
        : shared_(std::move(shared)), id_(id) {}
    std::weak_ptr<Shared> shared_;
    std::uint64_t id_ = 0;
  };

  [[nodiscard]] Subscription subscribe(Listener listener);
  // Calls every listener. Never throws: a listener that throws is skipped.
  void notify() noexcept;
  // How many times notify() was called.
  std::uint64_t generation() const { return generation_.load(); }

 private:
  struct Shared {
    std::mutex mu;
    std::map<std::uint64_t, Listener> listeners;
    std::uint64_t next_id = 1;
  };
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace pw::app

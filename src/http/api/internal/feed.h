#pragma once
// The access feed gateways follow (GET /v1/access/feed): every event that ends or blocks access
// from a journal position on, and the long-poll that waits for the next one. Private to
// http/api.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "app/change_notifier.h"
#include "app/journal_service.h"
#include "http/server.h"

namespace pw::http::api::internal {

// The page after journal position `from`: the blocking events (at most a thousand), the
// position to ask from next time, and whether any access event at all lies after `from` (a new
// grant is not in the page, but it moves `next` and ends a long-poll).
struct FeedPage {
  nlohmann::json events = nlohmann::json::array();
  std::uint64_t next = 0;
  bool any_access_event = false;
  std::uint64_t journal_size = 0;  // the size the journal had when it was read
};
core::Result<FeedPage> read_feed(app::JournalService& journal, std::uint64_t from);
Response feed_response(const FeedPage& page);

// The long-polls waiting for the feed to move. One thread serves all of them, started with the
// first waiter: it re-reads the journal when `changes` fires (a change made through this
// server), about every 500 ms (changes other processes made on the same database), and at each
// waiter's deadline. A waiter whose connection went away (stop() answered it) is dropped at the
// next pass.
//
// Borrowed: `journal` and `changes` must outlive this object (they are services; see
// api::Services).
class FeedWaiters {
 public:
  static constexpr std::chrono::milliseconds kRecheck{500};

  FeedWaiters(app::JournalService& journal, app::ChangeNotifier& changes);
  ~FeedWaiters();  // stops the thread; waiters still pending are dropped (500)
  FeedWaiters(const FeedWaiters&) = delete;
  FeedWaiters& operator=(const FeedWaiters&) = delete;

  // Answers `responder` with the page after `from` once an access event lies after it, or at
  // `deadline` with the (empty) page there is then. `checked_size`: the journal size at which
  // the caller last found nothing. If the waiting thread cannot be started, `responder` is
  // answered 503 at once.
  void wait(std::uint64_t from, std::uint64_t checked_size,
            std::chrono::steady_clock::time_point deadline, std::string request_id,
            Responder responder);

 private:
  struct Waiter {
    std::uint64_t from = 0;
    std::uint64_t checked_size = 0;
    std::chrono::steady_clock::time_point deadline;
    std::string request_id;
    Responder responder;
  };
  void run();
  // Answers the waiters that are done; returns the others.
  std::vector<Waiter> pass(std::vector<Waiter> waiters);

  app::JournalService& journal_;
  app::ChangeNotifier::Subscription subscription_;

  std::mutex mu_;  // guards everything below
  std::condition_variable cv_;
  std::vector<Waiter> waiters_;
  bool changed_ = false;  // a change was notified (or a waiter added) since the last pass
  bool stop_ = false;
  std::thread thread_;  // started by the first wait()
};

}  // namespace pw::http::api::internal

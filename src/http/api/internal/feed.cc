#include "http/api/internal/feed.h"

#include <algorithm>
#include <map>
#include <set>
#include <system_error>

#include "http/json.h"

namespace pw::http::api::internal {

core::Result<FeedPage> read_feed(app::JournalService& journal, std::uint64_t from) {
  // Events that end or block access (suspensions, revocations, closed and expired grants,
  // check-outs, suspended permits, frozen assets) and those that lift a block.
  static const std::set<std::string, std::less<>> kBlocking = {
      "access.suspended",        "access.grant.revoked",     "access.grant.closed",
      "access.grant.expired",    "access.grant.handed_over", "access.checked_out",
      "access.permit.suspended", "access.permit.closed",     "access.asset.frozen",
      "access.resumed",          "access.asset.unfrozen",    "access.permit.resumed"};
  constexpr std::size_t kMaxEvents = 1000;
  FeedPage page;
  page.next = from;
  PW_ASSIGN_OR_RETURN(
      page.journal_size,
      journal.scan_events(from, "access.", [&](const journal::Envelope& e) -> core::Status {
        if (page.events.size() >= kMaxEvents) return core::ok();
        page.any_access_event = true;
        page.next = e.seq + 1;
        if (kBlocking.count(e.type)) {
          page.events.push_back({{"seq", e.seq}, {"type", e.type}, {"payload", e.payload}});
        }
        return core::ok();
      }));
  if (page.events.size() < kMaxEvents) page.next = page.journal_size;
  return page;
}

Response feed_response(const FeedPage& page) {
  return json_response(200, {{"events", page.events}, {"next", page.next}});
}

FeedWaiters::FeedWaiters(app::JournalService& journal, app::ChangeNotifier& changes)
    : journal_(journal) {
  subscription_ = changes.subscribe([this] {
    {
      std::lock_guard lock(mu_);
      changed_ = true;
    }
    cv_.notify_one();
  });
}

FeedWaiters::~FeedWaiters() {
  subscription_.reset();  // from here on, no notification reaches this object
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void FeedWaiters::wait(std::uint64_t from, std::uint64_t checked_size,
                       std::chrono::steady_clock::time_point deadline, std::string request_id,
                       Responder responder) {
  {
    std::lock_guard lock(mu_);
    if (!thread_.joinable()) {
      try {
        thread_ = std::thread([this] { run(); });
      } catch (const std::system_error& e) {
        responder.respond(error_response(
            core::Error(core::Code::kUnavailable, "cannot wait for the feed now: try wait=0"),
            request_id));
        return;
      }
    }
    waiters_.push_back(
        Waiter{from, checked_size, deadline, std::move(request_id), std::move(responder)});
    // A change may have landed between the caller's read and now: look again at once (a pass
    // reads the journal size and re-reads the feed only if it grew).
    changed_ = true;
  }
  cv_.notify_one();
}

void FeedWaiters::run() {
  std::unique_lock lock(mu_);
  auto last_pass = std::chrono::steady_clock::now();
  while (!stop_) {
    if (waiters_.empty()) {
      cv_.wait(lock, [this] { return stop_ || !waiters_.empty(); });
      continue;
    }
    auto until = last_pass + kRecheck;
    for (const Waiter& w : waiters_) until = std::min(until, w.deadline);
    cv_.wait_until(lock, until, [this] { return stop_ || changed_; });
    if (stop_) break;
    changed_ = false;
    std::vector<Waiter> batch = std::move(waiters_);
    waiters_.clear();
    lock.unlock();
    std::vector<Waiter> kept = pass(std::move(batch));
    last_pass = std::chrono::steady_clock::now();
    lock.lock();
    for (Waiter& w : kept) waiters_.push_back(std::move(w));
  }
}

std::vector<FeedWaiters::Waiter> FeedWaiters::pass(std::vector<Waiter> waiters) {
  const auto now = std::chrono::steady_clock::now();
  auto size = journal_.size();
  // Waiters mostly share their `from` (gateways follow the same journal): read once per value.
  std::map<std::uint64_t, core::Result<FeedPage>> pages;
  auto page_for = [&](std::uint64_t from) -> const core::Result<FeedPage>& {
    auto it = pages.find(from);
    if (it == pages.end()) it = pages.emplace(from, read_feed(journal_, from)).first;
    return it->second;
  };
  std::vector<Waiter> kept;
  for (Waiter& w : waiters) {
    if (!w.responder.pending()) continue;  // answered by stop(), or the connection is gone
    const bool due = now >= w.deadline;
    const bool grew = !size || *size != w.checked_size;
    if (!due && !grew) {
      kept.push_back(std::move(w));
      continue;
    }
    const core::Result<FeedPage>& page = page_for(w.from);
    if (!page) {
      w.responder.respond(error_response(page.error(), w.request_id));
    } else if (page->any_access_event || due) {
      w.responder.respond(feed_response(*page));
    } else {
      w.checked_size = page->journal_size;
      kept.push_back(std::move(w));
    }
  }
  return kept;
}

}  // namespace pw::http::api::internal

#include "app/change_notifier.h"

#include <utility>

namespace pw::app {

ChangeNotifier::Subscription::Subscription(Subscription&& other) noexcept
    : shared_(std::move(other.shared_)), id_(std::exchange(other.id_, 0)) {}

ChangeNotifier::Subscription& ChangeNotifier::Subscription::operator=(
    Subscription&& other) noexcept {
  if (this != &other) {
    reset();
    shared_ = std::move(other.shared_);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

void ChangeNotifier::Subscription::reset() {
  if (auto shared = shared_.lock()) {
    std::lock_guard lock(shared->mu);
    shared->listeners.erase(id_);
  }
  shared_.reset();
  id_ = 0;
}

ChangeNotifier::Subscription ChangeNotifier::subscribe(Listener listener) {
  std::lock_guard lock(shared_->mu);
  const std::uint64_t id = shared_->next_id++;
  shared_->listeners.emplace(id, std::move(listener));
  return Subscription(shared_, id);
}

void ChangeNotifier::notify() noexcept {
  generation_.fetch_add(1);
  std::lock_guard lock(shared_->mu);
  for (auto& [id, listener] : shared_->listeners) {
    try {
      listener();
    } catch (...) {
      // A listener's failure is its own; the change it reports has happened regardless.
    }
  }
}

}  // namespace pw::app

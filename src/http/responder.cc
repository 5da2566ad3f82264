#include <exception>

#include "http/internal/responder_state.h"
#include "http/json.h"

namespace pw::http {
namespace {

void drop(const std::shared_ptr<Responder::State>& state) noexcept {
  if (!state) return;
  try {
    state->complete(error_response(core::Error(core::Code::kInternal,
                                               "the handler dropped its Responder without "
                                               "answering"),
                                   state->request_id),
                    /*drop=*/true);
  } catch (...) {
    // std::bad_alloc: the connection is then answered when the server stops.
  }
}

}  // namespace

Responder& Responder::operator=(Responder&& other) noexcept {
  if (this != &other) {
    drop(state_);
    state_ = std::move(other.state_);
  }
  return *this;
}

Responder::~Responder() {
  drop(state_);
}

bool Responder::respond(Response response) {
  if (!state_) return false;
  return state_->complete(std::move(response), /*drop=*/false);
}

bool Responder::pending() const {
  if (!state_) return false;
  std::lock_guard lock(state_->mu);
  return !state_->answered && !state_->abandoned;
}

}  // namespace pw::http

#pragma once
// The state a Responder shares with the connection that waits for its answer. Private to
// http/.
//
// Threads: any thread may complete the state (the handler's, the one that drops the
// Responder, the I/O thread when stop() answers 503); the connection attaches and detaches on
// its own I/O thread. Everything is guarded by `mu`.
//
// Lifetime of `wake`: the connection sets it while it waits and clears it (under mu) before it
// stops waiting, and its I/O context outlives the wait. `wake` is only ever called under mu, so
// whoever calls it knows the connection -- and the io_context it posts to -- is still there.

#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "http/server.h"

namespace pw::http {

struct Responder::State {
  explicit State(std::string id) : request_id(std::move(id)) {}

  // Sets the answer unless one is set already or the connection stopped waiting, and wakes
  // the connection. True iff this answer was taken. `drop`: the 500 of a dropped Responder.
  bool complete(Response response, bool drop) {
    std::lock_guard lock(mu);
    if (answered || abandoned) return false;
    answered = true;
    dropped = drop;
    answer = std::move(response);
    if (wake) {
      auto w = std::move(wake);
      wake = nullptr;
      w();
    }
    return true;
  }

  // A handler threw: its answer is `response` unless it had answered before throwing (a drop
  // during the unwinding does not count as an answer). Called on the I/O thread before the
  // connection attaches, so no one waits yet.
  void fail(Response response) {
    std::lock_guard lock(mu);
    if (answered && !dropped) return;
    answered = true;
    dropped = false;
    answer = std::move(response);
  }

  const std::string request_id;
  std::mutex mu;
  bool answered = false;   // `answer` is set (or was taken by the connection)
  bool dropped = false;    // the answer is the 500 of a Responder destroyed without answering
  bool abandoned = false;  // the connection stopped waiting without an answer
  std::optional<Response> answer;
  std::function<void()> wake;  // set while the connection waits; must not block
};

}  // namespace pw::http

#include "ownership/internal/scc.h"

#include <algorithm>

namespace pw::ownership::internal {

Condensation condense(std::span<const std::int32_t> begin, std::span<const std::int32_t> targets) {
  const auto n = static_cast<std::int32_t>(begin.size()) - 1;
  constexpr std::int32_t kUnvisited = -1;
  std::vector<std::int32_t> index(n, kUnvisited);
  std::vector<std::int32_t> low(n, 0);
  std::vector<std::uint8_t> on_stack(n, 0);
  std::vector<std::int32_t> stack;
  struct Frame {
    std::int32_t node;
    std::int32_t next;  // next out-edge to look at
  };
  std::vector<Frame> frames;

  // Tarjan emits a component only after every component reachable from it, i.e. in reverse
  // topological order; the components are collected that way and reversed at the end.
  std::vector<std::int32_t> emitted;
  std::vector<std::int32_t> emitted_begin{0};
  emitted.reserve(n);
  std::int32_t counter = 0;

  auto enter = [&](std::int32_t v) {
    index[v] = low[v] = counter++;
    stack.push_back(v);
    on_stack[v] = 1;
    frames.push_back({v, begin[v]});
  };

  for (std::int32_t root = 0; root < n; ++root) {
    if (index[root] != kUnvisited) continue;
    enter(root);
    while (!frames.empty()) {
      const std::int32_t v = frames.back().node;
      if (frames.back().next < begin[v + 1]) {
        const std::int32_t w = targets[frames.back().next++];
        if (index[w] == kUnvisited) {
          enter(w);  // invalidates references into `frames`
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      frames.pop_back();
      if (!frames.empty()) {
        const std::int32_t parent = frames.back().node;
        low[parent] = std::min(low[parent], low[v]);
      }
      if (low[v] == index[v]) {
        std::int32_t w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = 0;
          emitted.push_back(w);
        } while (w != v);
        emitted_begin.push_back(static_cast<std::int32_t>(emitted.size()));
      }
    }
  }

  Condensation out;
  out.order.reserve(n);
  const auto comps = static_cast<std::int32_t>(emitted_begin.size()) - 1;
  out.begin.reserve(comps + 1);
  for (std::int32_t c = comps - 1; c >= 0; --c) {
    out.begin.push_back(static_cast<std::int32_t>(out.order.size()));
    out.order.insert(out.order.end(), emitted.begin() + emitted_begin[c],
                     emitted.begin() + emitted_begin[c + 1]);
  }
  out.begin.push_back(static_cast<std::int32_t>(out.order.size()));
  return out;
}

}  // namespace pw::ownership::internal

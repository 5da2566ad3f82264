#pragma once
// Enum <-> name tables for the domain's value types (private to domain/). A table is a constexpr
// std::array of {enumerator, name} pairs, names as the files, events and API spell them.

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace pw::domain::internal {

template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

// The name of `e`; "unknown" for a value outside the table (never for a valid enumerator).
template <typename E, std::size_t N>
std::string_view name_of(const NameTable<E, N>& table, E e) {
  for (const auto& [k, n] : table) {
    if (k == e) return n;
  }
  return "unknown";
}

// The enumerator named `s`; invalid_argument naming `what`, the bad value and the valid names.
template <typename E, std::size_t N>
core::Result<E> parse_of(const NameTable<E, N>& table, std::string_view s,
                         std::string_view what = "value") {
  std::string want;
  for (const auto& [k, n] : table) {
    if (n == s) return k;
    if (!want.empty()) want += ", ";
    want += n;
  }
  return core::invalid_argument("unknown " + std::string(what) + " '" + std::string(s) +
                                "' (want " + want + ")");
}

}  // namespace pw::domain::internal

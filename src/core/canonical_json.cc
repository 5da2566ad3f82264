// Serializer: canonical_dump and canonicalize (core/canonical_json.h). The strict parser is in
// json_parse.cc, the canonical-form checker in json_check.cc, and the pieces they share in
// internal/json_text.h.

#include "core/canonical_json.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/internal/json_text.h"

namespace pw::core {
namespace {

using json = nlohmann::json;
using internal::append_canonical_string;
using internal::compare_utf16;
using internal::FrameStack;
using internal::kFloatsNotAllowed;
using internal::kIntegerOutOfRange;
using internal::PathFrame;
using internal::render_path;

// ---------------------------------------------------------------------------------------------
// Serializer

class Dumper {
 public:
  Dumper() : max_depth_(JsonLimits{}.max_depth), frames_(max_depth_, SIZE_MAX) {}

  Result<std::string> run(const json& v) {
    if (!dump(v, 0)) return invalid_argument(std::move(error_));
    return std::move(out_);
  }

 private:
  bool fail(std::string_view reason) {
    error_ = render_path(frames_.data(), path_len_);
    error_ += ": ";
    error_ += reason;
    return false;
  }

  bool dump(const json& v, int depth) {
    switch (v.type()) {
      case json::value_t::null:
        out_ += "null";
        return true;
      case json::value_t::boolean:
        out_ += v.get_ref<const json::boolean_t&>() ? "true" : "false";
        return true;
      case json::value_t::number_integer: {
        const std::int64_t n = v.get_ref<const json::number_integer_t&>();
        if (n > kMaxSafeInteger || n < -kMaxSafeInteger) return fail(kIntegerOutOfRange);
        append_integer(n);
        return true;
      }
      case json::value_t::number_unsigned: {
        const std::uint64_t n = v.get_ref<const json::number_unsigned_t&>();
        if (n > static_cast<std::uint64_t>(kMaxSafeInteger)) return fail(kIntegerOutOfRange);
        append_integer(static_cast<std::int64_t>(n));
        return true;
      }
      case json::value_t::number_float:
        return fail(kFloatsNotAllowed);
      case json::value_t::string: {
        std::size_t bad = 0;
        if (!append_canonical_string(out_, v.get_ref<const json::string_t&>(), &bad)) {
          return fail("invalid UTF-8 in string at byte " + std::to_string(bad) + " of the string");
        }
        return true;
      }
      case json::value_t::array: {
        if (depth >= max_depth_) return fail("nesting deeper than " + std::to_string(max_depth_));
        out_ += '[';
        std::size_t index = 0;
        for (const json& e : v.get_ref<const json::array_t&>()) {
          if (index != 0) out_ += ',';
          frames_.data()[path_len_++] = PathFrame{{}, index, true, false};
          if (!dump(e, depth + 1)) return false;
          --path_len_;
          ++index;
        }
        out_ += ']';
        return true;
      }
      case json::value_t::object:
        return object(v.get_ref<const json::object_t&>(), depth);
      case json::value_t::binary:
        return fail("binary values are not allowed");
      case json::value_t::discarded:
        return fail("discarded values are not allowed");
    }
    return fail("unknown value type");
  }

  bool object(const json::object_t& members, int depth) {
    if (depth >= max_depth_) return fail("nesting deeper than " + std::to_string(max_depth_));
    // nlohmann keeps members in UTF-8 byte order; that is UTF-16 order unless some key holds a
    // byte >= 0xEE (U+E000..U+FFFF or a supplementary character). Sort only in that case.
    bool needs_sort = false;
    for (const auto& [key, _] : members) {
      if (std::any_of(key.begin(), key.end(),
                      [](char c) { return static_cast<unsigned char>(c) >= 0xEE; })) {
        needs_sort = true;
        break;
      }
    }
    std::vector<const json::object_t::value_type*> order;
    order.reserve(members.size());
    for (const auto& m : members) order.push_back(&m);
    if (needs_sort) {
      std::sort(order.begin(), order.end(),
                [](const auto* a, const auto* b) { return compare_utf16(a->first, b->first) < 0; });
    }
    out_ += '{';
    bool first = true;
    for (const auto* m : order) {
      if (!first) out_ += ',';
      first = false;
      std::size_t bad = 0;
      if (!append_canonical_string(out_, m->first, &bad)) {
        return fail("object key is not valid UTF-8 (bad byte at " + std::to_string(bad) +
                    " of the key)");
      }
      out_ += ':';
      frames_.data()[path_len_++] = PathFrame{m->first, 0, false, false};
      if (!dump(m->second, depth + 1)) return false;
      --path_len_;
    }
    out_ += '}';
    return true;
  }

  void append_integer(std::int64_t n) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, n);
    out_.append(buf, r.ptr);
  }

  int max_depth_;
  FrameStack frames_;
  std::size_t path_len_ = 0;
  std::string out_;
  std::string error_;
};

}  // namespace

Result<std::string> canonical_dump(const nlohmann::json& value) {
  return Dumper().run(value);
}

Result<std::string> canonicalize(std::string_view text, const JsonLimits& limits) {
  PW_ASSIGN_OR_RETURN(nlohmann::json value, parse_json_strict(text, limits));
  return canonical_dump(value);
}

Status append_canonical_string(std::string& out, std::string_view s) {
  std::size_t bad = 0;
  if (!internal::append_canonical_string(out, s, &bad)) {
    return invalid_argument("invalid UTF-8 at byte " + std::to_string(bad) + " of a string");
  }
  return ok();
}

}  // namespace pw::core

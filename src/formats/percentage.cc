#include "formats/percentage.h"

#include <array>
#include <charconv>
#include <optional>
#include <string>

#include "formats/internal/normalize.h"

namespace pw::formats {
namespace {

using internal::format_number;

struct Bound {
  double value = 0;
  bool exclusive = false;
};

enum class OpKind { kNone, kLower, kUpper, kExact };

struct Op {
  OpKind kind = OpKind::kNone;
  bool exclusive = false;
};

// Spellings of comparison operators, longest first where one is a prefix of another.
struct OpSpelling {
  std::string_view text;
  Op op;
};
constexpr std::array<OpSpelling, 25> kOps{{
    {">=", {OpKind::kLower, false}},
    {"\xE2\x89\xA5", {OpKind::kLower, false}},  // ≥
    {"=>", {OpKind::kLower, false}},
    {">", {OpKind::kLower, true}},
    {"<=", {OpKind::kUpper, false}},
    {"\xE2\x89\xA4", {OpKind::kUpper, false}},  // ≤
    {"=<", {OpKind::kUpper, false}},
    {"<", {OpKind::kUpper, true}},
    {"=", {OpKind::kExact, false}},
    {"not more than", {OpKind::kUpper, false}},
    {"no more than", {OpKind::kUpper, false}},
    {"not exceeding", {OpKind::kUpper, false}},
    {"not less than", {OpKind::kLower, false}},
    {"no less than", {OpKind::kLower, false}},
    {"more than", {OpKind::kLower, true}},
    {"greater than", {OpKind::kLower, true}},
    {"over", {OpKind::kLower, true}},
    {"above", {OpKind::kLower, true}},
    {"exceeding", {OpKind::kLower, true}},
    {"at least", {OpKind::kLower, false}},
    {"less than", {OpKind::kUpper, true}},
    {"under", {OpKind::kUpper, true}},
    {"below", {OpKind::kUpper, true}},
    {"up to", {OpKind::kUpper, false}},
    {"at most", {OpKind::kUpper, false}},
}};

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  core::Result<domain::Share> parse();

 private:
  void skip_space() {
    while (true) {
      if (!s_.empty() && (s_.front() == ' ' || s_.front() == '\t')) {
        s_.remove_prefix(1);
      } else if (s_.starts_with("\xC2\xA0")) {  // no-break space
        s_.remove_prefix(2);
      } else {
        return;
      }
    }
  }
  bool eat(std::string_view word) {
    skip_space();
    if (!s_.starts_with(word)) return false;
    s_.remove_prefix(word.size());
    return true;
  }
  Op op() {
    skip_space();
    for (const auto& spelling : kOps) {
      if (s_.starts_with(spelling.text)) {
        s_.remove_prefix(spelling.text.size());
        return spelling.op;
      }
    }
    return {};
  }
  // A number with an optional sign (only where `signed_ok`), decimal point or comma, and an
  // optional "%" / "percent" after it.
  std::optional<double> number(bool signed_ok) {
    skip_space();
    std::string digits;
    std::size_t i = 0;
    if (signed_ok && i < s_.size() && (s_[i] == '-' || s_[i] == '+')) digits += s_[i++];
    bool any = false, point = false;
    for (; i < s_.size(); ++i) {
      const char c = s_[i];
      if (c >= '0' && c <= '9') {
        digits += c;
        any = true;
      } else if ((c == '.' || c == ',') && !point && i + 1 < s_.size() && s_[i + 1] >= '0' &&
                 s_[i + 1] <= '9') {
        digits += '.';
        point = true;
      } else {
        break;
      }
    }
    if (!any) return std::nullopt;
    double v = 0;
    const char* first = digits.data() + (digits[0] == '+' ? 1 : 0);
    auto [ptr, ec] = std::from_chars(first, digits.data() + digits.size(), v);
    if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
    s_.remove_prefix(i);
    if (!eat("%")) eat("percent");
    return v;
  }
  bool range_separator() {
    return eat("-") || eat("\xE2\x80\x93") || eat("\xE2\x80\x94") || eat("\xE2\x88\x92") ||
           eat("to") || eat("..");
  }
  bool conjunction() { return eat("but") || eat("and") || eat(",") || eat(";"); }

  core::Status apply(Op o, double v);
  core::Result<domain::Share> finish();

  std::string_view s_;
  std::optional<Bound> lo_, hi_;
  std::optional<double> exact_;
};

core::Status Parser::apply(Op o, double v) {
  switch (o.kind) {
    case OpKind::kLower:
      if (lo_) return core::invalid_argument("two lower bounds");
      lo_ = Bound{v, o.exclusive};
      break;
    case OpKind::kUpper:
      if (hi_) return core::invalid_argument("two upper bounds");
      hi_ = Bound{v, o.exclusive};
      break;
    case OpKind::kNone:
    case OpKind::kExact:
      if (exact_) return core::invalid_argument("two values");
      exact_ = v;
      break;
  }
  return core::ok();
}

core::Result<domain::Share> Parser::parse() {
  if (eat("between")) {
    auto a = number(true);
    if (!a || !eat("and")) return core::invalid_argument("expected 'between <a> and <b>'");
    auto b = number(true);
    if (!b) return core::invalid_argument("expected 'between <a> and <b>'");
    lo_ = Bound{*a, false};
    hi_ = Bound{*b, false};
    return finish();
  }
  Op first = op();
  auto a = number(true);
  if (!a) return core::invalid_argument("no number found");
  if (first.kind == OpKind::kNone && eat("+")) first = {OpKind::kLower, false};  // "50%+"
  if (first.kind == OpKind::kNone && range_separator()) {
    auto b = number(false);
    if (!b) return core::invalid_argument("expected a number after the range separator");
    lo_ = Bound{*a, false};
    hi_ = Bound{*b, false};
    return finish();
  }
  PW_TRY(apply(first, *a));
  if (conjunction()) {
    const Op second = op();
    if (second.kind == OpKind::kNone || second.kind == OpKind::kExact) {
      return core::invalid_argument("expected a bound such as '<= 50%' after the conjunction");
    }
    auto b = number(true);
    if (!b) return core::invalid_argument("expected a number after '" + std::string(s_) + "'");
    PW_TRY(apply(second, *b));
  }
  return finish();
}

core::Result<domain::Share> Parser::finish() {
  skip_space();
  if (!s_.empty()) return core::invalid_argument("unexpected text '" + std::string(s_) + "'");
  auto check = [](double v) -> core::Status {
    if (!(v >= 0.0 && v <= 100.0)) {
      return core::invalid_argument(format_number(v) + "% is outside 0-100%");
    }
    return core::ok();
  };
  if (exact_) {
    if (lo_ || hi_) return core::invalid_argument("both a value and a bound");
    PW_TRY(check(*exact_));
    return domain::Share::exact(*exact_ / 100.0);
  }
  const Bound lo = lo_.value_or(Bound{0, false});
  const Bound hi = hi_.value_or(Bound{100, false});
  PW_TRY(check(lo.value));
  PW_TRY(check(hi.value));
  if (lo.value > hi.value) {
    return core::invalid_argument("the lower bound " + format_number(lo.value) +
                                  "% is above the upper bound " + format_number(hi.value) + "%");
  }
  auto share = domain::Share::range(lo.value / 100.0, hi.value / 100.0, lo.exclusive, hi.exclusive);
  if (auto ok = domain::validate_share(share); !ok) return std::unexpected(ok.error());
  return share;
}

}  // namespace

core::Result<domain::Share> parse_percentage_text(std::string_view text) {
  const std::string lower = internal::lowercase(internal::trim(text));
  if (lower.empty()) return core::invalid_argument("percentage is empty");
  Parser parser(lower);
  auto share = parser.parse();
  if (!share) {
    return core::invalid_argument("cannot read percentage '" + std::string(internal::trim(text)) +
                                  "': " + share.error().message());
  }
  return share;
}

}  // namespace pw::formats

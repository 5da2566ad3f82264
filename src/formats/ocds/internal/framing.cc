#include "formats/ocds/internal/framing.h"

#include <algorithm>
#include <cstring>

namespace pw::formats::ocds::internal {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

core::Result<std::size_t> ReleaseSource::read(char* out, std::size_t size) {
  while (true) {
    if (out_pos_ < out_.size()) {
      const std::size_t n = std::min(size, out_.size() - out_pos_);
      std::memcpy(out, out_.data() + out_pos_, n);
      out_pos_ += n;
      if (out_pos_ == out_.size()) {
        out_.clear();
        out_pos_ = 0;
      }
      return n;
    }
    if (eof_) return std::size_t{0};
    if (mode_ == Mode::kPass) return inner_.read(out, size);  // no copy once decided
    in_.resize(chunk_);
    PW_ASSIGN_OR_RETURN(const std::size_t n, inner_.read(in_.data(), in_.size()));
    if (n == 0) {
      eof_ = true;
      PW_TRY(finish());
      continue;
    }
    PW_TRY(feed(in_.data(), n));
  }
}

void ReleaseSource::replay() {
  mode_ = Mode::kPass;
  out_.append(pending_);
  pending_.clear();
  pending_.shrink_to_fit();
}

core::Status ReleaseSource::finish() {
  switch (mode_) {
    case Mode::kDetect:  // empty or blank: the record reader names it
    case Mode::kPass:
    case Mode::kDone:
      return core::ok();
    case Mode::kPrefix:
      if (!prefix_newline_) {
        // One record, never closed: a package or a single JSON line cut short.
        return std::unexpected(issues_.fatal(
            core::Code::kDataLoss, consumed_,
            "unexpected end of input inside the first record: the file is truncated"));
      }
      // Several lines and no "releases": JSON lines with a broken first line (or a package cut
      // before its releases); the record reader reports each line.
      replay();
      return core::ok();
    case Mode::kReleases:
    case Mode::kSuffix:
      break;
  }
  return std::unexpected(issues_.fatal(
      core::Code::kDataLoss, consumed_,
      mode_ == Mode::kReleases
          ? "unexpected end of input inside the package's \"releases\" array: the file is "
            "truncated"
          : "unexpected end of input inside the release package: the file is truncated"));
}

core::Status ReleaseSource::feed(const char* p, std::size_t n) {
  std::size_t i = 0;
  if (mode_ == Mode::kDetect) {
    // Leading spaces and a UTF-8 byte order mark pass on (the record reader skips them).
    static constexpr char kBom[] = "\xEF\xBB\xBF";
    while (i < n && (is_space(p[i]) || (consumed_ + i < 3 && p[i] == kBom[consumed_ + i]))) ++i;
    out_.append(p, i);
    if (i == n) {
      consumed_ += n;
      return core::ok();
    }
    mode_ = p[i] == '{' ? Mode::kPrefix : Mode::kPass;
    if (mode_ == Mode::kPass) {
      out_.append(p + i, n - i);
      consumed_ += n;
      return core::ok();
    }
  }
  const std::uint64_t base = consumed_;
  consumed_ += n;
  std::size_t pass_from = i;  // start of this chunk's bytes not yet kept or passed on
  for (; i < n; ++i) {
    const char c = p[i];
    if (in_string_) {
      if (escape_) {
        escape_ = false;
      } else if (c == '\\') {
        escape_ = true;
      } else if (c == '"') {
        in_string_ = false;
        if (depth_ == 1) after_string_ = true;
      } else if (c == '\n' && mode_ == Mode::kPrefix) {
        // A raw newline in a string is never valid JSON: this is a broken JSON line.
        pending_.append(p + pass_from, i + 1 - pass_from);
        replay();
        out_.append(p + i + 1, n - i - 1);
        return core::ok();
      } else if (depth_ == 1 && string_.size() < 9) {
        string_ += c;
      }
      continue;
    }
    if (is_space(c)) {
      if (c == '\n' && mode_ == Mode::kPrefix) prefix_newline_ = true;
      continue;
    }
    if (mode_ == Mode::kDone) {
      return std::unexpected(
          issues_.fatal(core::Code::kInvalidArgument, base + i,
                        "unexpected content after the release package (one package per file)"));
    }
    if (awaiting_value_) {
      awaiting_value_ = false;
      if (c != '[') {
        return std::unexpected(issues_.fatal(core::Code::kInvalidArgument, base + i,
                                             "the release package's \"releases\" is not an "
                                             "array"));
      }
      if (mode_ == Mode::kPrefix) {
        package_ = true;
        skipped_ = pending_.size() + (i - pass_from);
        pending_.clear();
        pending_.shrink_to_fit();
        mode_ = Mode::kReleases;
        pass_from = i;
      }
      ++depth_;
      continue;
    }
    const bool was_after_string = after_string_;
    after_string_ = false;
    switch (c) {
      case '"':
        in_string_ = true;
        if (depth_ == 1) string_.clear();
        break;
      case ':':
        if (was_after_string && depth_ == 1 && string_ == "releases") awaiting_value_ = true;
        break;
      case '{':
      case '[':
        ++depth_;
        break;
      case '}':
      case ']':
        if (depth_ > 0) --depth_;
        if (mode_ == Mode::kReleases && depth_ == 1) {
          out_.append(p + pass_from, i + 1 - pass_from);
          mode_ = Mode::kSuffix;
        } else if (depth_ == 0) {
          if (mode_ == Mode::kPrefix) {
            // The first object closed without "releases": JSON lines.
            pending_.append(p + pass_from, i + 1 - pass_from);
            replay();
            out_.append(p + i + 1, n - i - 1);
            return core::ok();
          }
          mode_ = Mode::kDone;
        }
        break;
      default:
        break;
    }
  }
  if (mode_ == Mode::kPrefix) {
    pending_.append(p + pass_from, n - pass_from);
    if (pending_.size() > max_prefix_) {
      return std::unexpected(issues_.fatal(
          core::Code::kInvalidArgument, consumed_,
          "the first " + std::to_string(pending_.size()) +
              " bytes hold neither a complete JSON line nor a release package's \"releases\" "
              "array (limit " +
              std::to_string(max_prefix_) + " bytes)"));
    }
  } else if (mode_ == Mode::kReleases) {
    out_.append(p + pass_from, n - pass_from);
  }
  return core::ok();
}

}  // namespace pw::formats::ocds::internal

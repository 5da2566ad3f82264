#include "journal/checkpoint.h"

#include <algorithm>

#include "journal/note.h"

namespace pw::journal {
namespace {

std::unexpected<core::Error> line_error(std::size_t number, std::string_view what,
                                        std::string_view reason) {
  return core::invalid_argument("checkpoint line " + std::to_string(number) + " (" +
                                std::string(what) + "): " + std::string(reason));
}

// ASCII decimal without sign or leading zeros ("0" alone is the empty tree), fitting uint64.
core::Result<std::uint64_t> parse_size(std::string_view s) {
  auto bad = [&](std::string_view reason) {
    return line_error(2, "tree size", "'" + std::string(s) + "' " + std::string(reason));
  };
  if (s.empty()) return bad("is empty");
  if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return bad("is not a decimal number");
  }
  if (s.size() > 1 && s[0] == '0') return bad("has leading zeros");
  std::uint64_t v = 0;
  for (char c : s) {
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return bad("does not fit in 64 bits");
    v = v * 10 + d;
  }
  return v;
}

}  // namespace

std::string format_checkpoint(const Checkpoint& cp) {
  std::string out = cp.origin;
  out += '\n';
  out += std::to_string(cp.size);
  out += '\n';
  out += core::to_base64(cp.root);
  out += '\n';
  for (const std::string& ext : cp.extensions) {
    out += ext;
    out += '\n';
  }
  return out;
}

core::Result<Checkpoint> parse_checkpoint(std::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return core::invalid_argument("checkpoint: must end in a newline");
  }
  PW_TRY(check_note_chars(text, "checkpoint"));
  std::vector<std::string_view> lines;
  for (std::string_view rest = text; !rest.empty();) {
    const std::size_t nl = rest.find('\n');  // found: text ends in a newline
    lines.push_back(rest.substr(0, nl));
    rest.remove_prefix(nl + 1);
  }
  if (lines.size() < 3) {
    return core::invalid_argument("checkpoint: has " + std::to_string(lines.size()) +
                                  " line(s), want at least 3 (origin, tree size, root hash)");
  }
  Checkpoint cp;
  if (lines[0].empty()) return line_error(1, "origin", "is empty");
  cp.origin = std::string(lines[0]);
  PW_ASSIGN_OR_RETURN(cp.size, parse_size(lines[1]));
  auto root = core::from_base64(lines[2]);
  if (!root) {
    return line_error(3, "root hash", root.error().message());
  }
  if (root->size() != cp.root.size()) {
    return line_error(3, "root hash", "is " + std::to_string(root->size()) + " bytes, want 32");
  }
  std::copy(root->begin(), root->end(), cp.root.begin());
  for (std::size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      return line_error(i + 1, "extension", "is empty");
    }
    cp.extensions.emplace_back(lines[i]);
  }
  return cp;
}

}  // namespace pw::journal

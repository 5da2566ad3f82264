#pragma once
// C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint) bodies:
//   <origin>\n<tree size, decimal>\n<root hash, standard base64>\n[extension lines\n]

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace pw::journal {

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  core::Hash root{};
  std::vector<std::string> extensions;  // each without its newline
};

std::string format_checkpoint(const Checkpoint& cp);
// Strict: decimal size without leading zeros, 32-byte base64 root, non-empty lines.
core::Result<Checkpoint> parse_checkpoint(std::string_view text);

}  // namespace pw::journal

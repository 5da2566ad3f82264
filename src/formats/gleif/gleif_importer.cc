#include "formats/gleif/gleif_importer.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "formats/gleif/record_tree.h"

namespace pw::formats::gleif {
namespace {

// Replays bytes already read (to sniff the encoding) before the rest of the source.
class PrefixedSource final : public ByteSource {
 public:
  PrefixedSource(std::string prefix, ByteSource& rest) : prefix_(std::move(prefix)), rest_(rest) {}
  core::Result<std::size_t> read(char* out, std::size_t size) override {
    if (pos_ < prefix_.size()) {
      const std::size_t n = std::min(size, prefix_.size() - pos_);
      std::memcpy(out, prefix_.data() + pos_, n);
      pos_ += n;
      return n;
    }
    return rest_.read(out, size);
  }
  std::uint64_t size_hint() const override { return rest_.size_hint(); }

 private:
  std::string prefix_;
  std::size_t pos_ = 0;
  ByteSource& rest_;
};

}  // namespace

core::Result<domain::OwnershipDataset> import(ByteSource& source,
                                              internal::IssueCollector& issues) {
  // Read until the first byte that is not whitespace or a UTF-8 BOM: '<' means XML.
  std::string prefix;
  char buf[4096];
  bool xml = false;
  bool decided = false;
  while (!decided && prefix.size() < (std::size_t{1} << 20)) {
    PW_ASSIGN_OR_RETURN(std::size_t n, source.read(buf, sizeof buf));
    if (n == 0) break;
    const std::size_t from = prefix.size();
    prefix.append(buf, n);
    for (std::size_t i = from; i < prefix.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(prefix[i]);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF || c == 0xBB || c == 0xBF) {
        continue;
      }
      xml = c == '<';
      decided = true;
      break;
    }
  }
  PrefixedSource replay(std::move(prefix), source);
  Converter converter(issues);
  // A record takes 500 bytes or more and names up to two LEIs; the hint sizes hash tables.
  converter.reserve(static_cast<std::size_t>(
      std::min<std::uint64_t>(source.size_hint() / 250, std::uint64_t{1} << 26)));
  if (xml) {
    PW_TRY(read_xml(replay, issues, converter));
  } else {
    PW_TRY(read_json(replay, issues, converter));
  }
  return converter.finish();
}

}  // namespace pw::formats::gleif

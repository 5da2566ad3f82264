#include "app/audit.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/keys.h"
#include "journal/checkpoint.h"
#include "journal/envelope.h"
#include "journal/merkle.h"
#include "journal/note.h"

namespace pw::app {
namespace {

core::Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::not_found("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

core::Hash entry_leaf_hash(std::string_view entry) {
  return journal::leaf_hash(core::as_bytes(entry));
}

Verdict check_inclusion(std::uint64_t index, std::uint64_t size, const core::Hash& leaf_hash,
                        const core::Hash& root, const std::vector<core::Hash>& proof) {
  auto st = journal::verify_inclusion(index, size, leaf_hash, proof, root);
  if (!st) return {false, st.error().message()};
  return {true, "leaf " + std::to_string(index) + " is in the tree of size " +
                    std::to_string(size) + " with root " + core::to_hex(root)};
}

Verdict check_consistency(std::uint64_t size1, std::uint64_t size2, const core::Hash& root1,
                          const core::Hash& root2, const std::vector<core::Hash>& proof) {
  auto st = journal::verify_consistency(size1, size2, proof, root1, root2);
  if (!st) return {false, st.error().message()};
  return {true, "the tree of size " + std::to_string(size2) + " extends the tree of size " +
                    std::to_string(size1)};
}

core::Result<Verdict> check_note_file(const std::string& note_path, const std::string& vkey_path) {
  PW_ASSIGN_OR_RETURN(journal::NoteVerifier verifier, load_verifier_key_file(vkey_path));
  PW_ASSIGN_OR_RETURN(std::string note, read_file(note_path));
  auto opened = journal::open_note(note, {&verifier, 1});
  if (!opened) return Verdict{false, opened.error().message()};
  auto cp = journal::parse_checkpoint(opened->text);
  if (!cp) return Verdict{true, "signature by " + verifier.name + " verifies"};
  return Verdict{true, "checkpoint of " + cp->origin + " signed by " + verifier.name + ": size " +
                           std::to_string(cp->size) + ", root " + core::to_base64(cp->root)};
}

core::Result<BundleVerdict> check_bundle(const std::string& dir) {
  namespace fs = std::filesystem;
  BundleVerdict out;
  auto invalid = [&](std::string why) {
    out.verdict = {false, std::move(why)};
    return out;
  };
  const std::string vkey_path = (fs::path(dir) / "key.vkey").string();
  const std::string cp_path = (fs::path(dir) / "checkpoint").string();
  const std::string entries_path = (fs::path(dir) / "entries.jsonl").string();
  PW_ASSIGN_OR_RETURN(journal::NoteVerifier verifier, load_verifier_key_file(vkey_path));
  PW_ASSIGN_OR_RETURN(std::string note, read_file(cp_path));
  auto opened = journal::open_note(note, {&verifier, 1});
  if (!opened) return invalid("checkpoint: " + opened.error().message());
  auto cp = journal::parse_checkpoint(opened->text);
  if (!cp) return invalid("checkpoint: " + cp.error().message());
  if (cp->origin != verifier.name) {
    return invalid("checkpoint origin '" + cp->origin + "' is not the key's name '" +
                   verifier.name + "'");
  }
  out.origin = cp->origin;

  std::ifstream in(entries_path, std::ios::binary);
  if (!in) return core::not_found("cannot read " + entries_path);
  journal::CompactRange range;
  std::vector<std::pair<journal::NodeId, core::Hash>> completed;
  std::string line;
  std::uint64_t seq = 0;
  while (std::getline(in, line)) {
    if (in.eof())
      return invalid("entries.jsonl: line " + std::to_string(seq + 1) +
                     " does not end in a newline");
    auto env = journal::decode_envelope_header(line);
    if (!env) {
      return invalid("entries.jsonl: entry " + std::to_string(seq) + ": " + env.error().message());
    }
    if (env->seq != seq) {
      return invalid("entries.jsonl: line " + std::to_string(seq + 1) + " holds seq " +
                     std::to_string(env->seq) + ", want " + std::to_string(seq));
    }
    completed.clear();
    range.append(journal::leaf_hash(core::as_bytes(line)), completed);
    ++seq;
  }
  if (in.bad()) return core::unavailable("error reading " + entries_path);
  out.entries = seq;
  out.root = range.root();
  if (seq != cp->size) {
    return invalid("entries.jsonl has " + std::to_string(seq) + " entries; the checkpoint covers " +
                   std::to_string(cp->size));
  }
  if (range.root() != cp->root) {
    return invalid("the Merkle root of entries.jsonl does not match the signed checkpoint");
  }
  out.verdict = {true, std::to_string(seq) + " entries of " + cp->origin +
                           " match the checkpoint signed by " + verifier.name};
  return out;
}

}  // namespace pw::app

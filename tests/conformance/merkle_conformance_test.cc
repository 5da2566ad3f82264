// Public RFC 6962/9162 conformance data (../shared/testdata, see its SOURCES.md):
//   merkle/inclusion/**, merkle/consistency/**: transparency-dev/merkle testdata/, commit 417fb0c
//   tlog-argon2020/: a real CT log's STHs and proofs, from golang/mod sumdb/tlog (ct_test.go)
// Skipped when the folder is absent; when present, a test that checks nothing fails.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/bytes.h"
#include "journal/merkle.h"
#include "support/test_support.h"

namespace pw::journal {
namespace {

namespace fs = std::filesystem;
using core::Hash;
using nlohmann::json;

constexpr const char* kSkipReason =
    "no ../shared/testdata: public conformance suites not present (PW_TESTDATA_DIR)";

// At least this many vector files exist in each suite at commit 417fb0c (98 each); fewer means
// the suite was not found or not walked, which must fail rather than pass vacuously.
constexpr int kMinInclusionFiles = 98;
constexpr int kMinConsistencyFiles = 98;

// transparency-dev compares the two roots as opaque byte strings when size1 == size2, so this
// vector passes 12-byte "roots". portwarden's roots are 32-byte hashes by type and cannot carry
// it; the test checks that this is still the reason and checks the case's meaning (equal sizes,
// equal roots, empty proof) with 32-byte stand-ins instead.
const std::set<std::string> kOpaqueRootVectors = {
    "consistency/additional/sizes-are-equal-one-and-proof-is-empty.json",
};

std::optional<Hash> decode_hash(const json& value) {
  if (!value.is_string()) return std::nullopt;
  auto bytes = core::from_base64(value.get<std::string>());
  if (!bytes || bytes->size() != Hash{}.size()) return std::nullopt;
  Hash h;
  std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

// "proof": null is an empty proof. nullopt if any element is not a 32-byte base64 hash.
std::optional<std::vector<Hash>> decode_proof(const json& value) {
  std::vector<Hash> out;
  if (value.is_null()) return out;
  if (!value.is_array()) return std::nullopt;
  for (const json& element : value) {
    auto h = decode_hash(element);
    if (!h) return std::nullopt;
    out.push_back(*h);
  }
  return out;
}

std::vector<fs::path> json_files_under(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".json") out.push_back(it->path());
  }
  EXPECT_FALSE(ec) << dir << ": " << ec.message();
  std::sort(out.begin(), out.end());
  return out;
}

// What a verifier made of one vector: rejected at decoding (a hash that is not 32 bytes of
// base64) or the verification status.
struct Outcome {
  bool rejected = false;
  std::string reason;
};

Outcome from_status(const core::Status& s) {
  if (s) return {false, "verified"};
  return {true, s.error().to_string()};
}

Outcome undecodable(const char* what) {
  return {true, std::string("undecodable ") + what};
}

Outcome run_inclusion(const json& v) {
  const auto index = v.at("leafIdx").get<std::uint64_t>();
  const auto size = v.at("treeSize").get<std::uint64_t>();
  auto root = decode_hash(v.at("root"));
  auto leaf = decode_hash(v.at("leafHash"));
  auto proof = decode_proof(v.at("proof"));
  if (!root) return undecodable("root");
  if (!leaf) return undecodable("leafHash");
  if (!proof) return undecodable("proof");
  return from_status(verify_inclusion(index, size, *leaf, *proof, *root));
}

Outcome run_consistency(const json& v) {
  const auto size1 = v.at("size1").get<std::uint64_t>();
  const auto size2 = v.at("size2").get<std::uint64_t>();
  auto root1 = decode_hash(v.at("root1"));
  auto root2 = decode_hash(v.at("root2"));
  auto proof = decode_proof(v.at("proof"));
  if (!root1) return undecodable("root1");
  if (!root2) return undecodable("root2");
  if (!proof) return undecodable("proof");
  return from_status(verify_consistency(size1, size2, *proof, *root1, *root2));
}

// Checks the opaque-root vector (see kOpaqueRootVectors) by its meaning.
Outcome run_opaque_root_consistency(const json& v, const std::string& name) {
  const auto size1 = v.at("size1").get<std::uint64_t>();
  const auto size2 = v.at("size2").get<std::uint64_t>();
  auto raw1 = core::from_base64(v.at("root1").get<std::string>());
  auto raw2 = core::from_base64(v.at("root2").get<std::string>());
  auto proof = decode_proof(v.at("proof"));
  EXPECT_TRUE(raw1 && raw2 && proof) << name;
  if (!raw1 || !raw2 || !proof) return undecodable("opaque root vector");
  EXPECT_NE(raw1->size(), Hash{}.size()) << name << ": roots are 32 bytes now; drop the exception";
  EXPECT_FALSE(decode_hash(v.at("root1")).has_value()) << name;
  EXPECT_EQ(size1, size2) << name;
  // Equal byte strings get equal stand-ins, different ones different stand-ins.
  const Hash stand_in1 = leaf_hash(*raw1);
  const Hash stand_in2 = leaf_hash(*raw2);
  return from_status(verify_consistency(size1, size2, *proof, stand_in1, stand_in2));
}

std::string vector_name(const fs::path& p, const fs::path& base) {
  return p.lexically_relative(base).generic_string();
}

struct SuiteCount {
  int files = 0;
  int accepted = 0;
  int rejected = 0;
};

// Runs every vector file of one suite; each mismatch is reported with its path.
SuiteCount run_suite(const fs::path& merkle_dir, const std::string& suite, bool consistency) {
  SuiteCount count;
  for (const fs::path& file : json_files_under(merkle_dir / suite)) {
    const std::string name = vector_name(file, merkle_dir);
    json v;
    bool want_err = false;
    Outcome got;
    try {
      v = json::parse(pw::testing::read_file(file));
      want_err = v.at("wantErr").get<bool>();
      if (kOpaqueRootVectors.contains(name)) {
        got = run_opaque_root_consistency(v, name);
      } else {
        got = consistency ? run_consistency(v) : run_inclusion(v);
      }
    } catch (const json::exception& e) {
      ADD_FAILURE() << name << ": malformed vector file: " << e.what();
      continue;
    }
    ++count.files;
    (got.rejected ? count.rejected : count.accepted)++;
    if (got.rejected != want_err) {
      ADD_FAILURE() << name << " (" << v.value("desc", "") << "): want "
                    << (want_err ? "rejection" : "verification") << ", got " << got.reason;
    }
  }
  std::cout << "[ checked  ] " << suite << ": " << count.files << " files, " << count.accepted
            << " verified, " << count.rejected << " rejected\n";
  return count;
}

TEST(MerkleConformance, InclusionVectorsVerifyOrAreRejectedAsMarked) {
  const fs::path root = pw::testing::testdata_dir();
  if (root.empty()) GTEST_SKIP() << kSkipReason;
  const SuiteCount count = run_suite(root / "merkle", "inclusion", /*consistency=*/false);
  EXPECT_GE(count.files, kMinInclusionFiles);
  EXPECT_GT(count.accepted, 0);
  EXPECT_GT(count.rejected, 0);
}

TEST(MerkleConformance, ConsistencyVectorsVerifyOrAreRejectedAsMarked) {
  const fs::path root = pw::testing::testdata_dir();
  if (root.empty()) GTEST_SKIP() << kSkipReason;
  const SuiteCount count = run_suite(root / "merkle", "consistency", /*consistency=*/true);
  EXPECT_GE(count.files, kMinConsistencyFiles);
  EXPECT_GT(count.accepted, 0);
  EXPECT_GT(count.rejected, 0);
}

// ---------------------------------------------------------------------------------------------
// The happy-path vectors are proofs over the RFC 6962 reference tree (the eight leaves of
// transparency-dev/merkle testonly/constants.go). Generating the same proofs from stored nodes
// checks the prover against the public data, not only the verifier.

class ReferenceTree : public NodeSource {
 public:
  ReferenceTree() {
    const std::vector<core::Bytes> inputs = {
        {},
        {0x00},
        {0x10},
        {0x20, 0x21},
        {0x30, 0x31},
        {0x40, 0x41, 0x42, 0x43},
        {0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57},
        {0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e,
         0x6f},
    };
    CompactRange range;
    std::vector<std::pair<NodeId, Hash>> completed;
    for (const auto& input : inputs) range.append(leaf_hash(input), completed);
    for (const auto& [id, hash] : completed) nodes_[{id.level, id.index}] = hash;
  }

  core::Status read_nodes(std::span<const NodeId> ids, std::span<Hash> out) override {
    for (std::size_t i = 0; i < ids.size(); ++i) {
      auto it = nodes_.find({ids[i].level, ids[i].index});
      if (it == nodes_.end()) return core::not_found("node not in reference tree");
      out[i] = it->second;
    }
    return core::ok();
  }

 private:
  std::map<std::pair<int, std::uint64_t>, Hash> nodes_;
};

TEST(MerkleConformance, GeneratedProofsEqualTheHappyPathVectors) {
  const fs::path root = pw::testing::testdata_dir();
  if (root.empty()) GTEST_SKIP() << kSkipReason;
  const fs::path merkle = root / "merkle";
  ReferenceTree tree;
  int checked = 0;
  for (const fs::path& file : json_files_under(merkle)) {
    if (file.filename() != "happy-path.json") continue;
    const std::string name = vector_name(file, merkle);
    try {
      const json v = json::parse(pw::testing::read_file(file));
      auto want = decode_proof(v.at("proof"));
      ASSERT_TRUE(want.has_value()) << name;
      core::Result<std::vector<Hash>> got = std::vector<Hash>{};
      if (v.contains("leafIdx")) {
        got = inclusion_proof(tree, v.at("leafIdx").get<std::uint64_t>(),
                              v.at("treeSize").get<std::uint64_t>());
      } else {
        got = consistency_proof(tree, v.at("size1").get<std::uint64_t>(),
                                v.at("size2").get<std::uint64_t>());
      }
      ASSERT_TRUE(got.has_value()) << name << ": " << got.error().to_string();
      EXPECT_EQ(*got, *want) << name;
      ++checked;
    } catch (const json::exception& e) {
      ADD_FAILURE() << name << ": malformed vector file: " << e.what();
    }
  }
  EXPECT_GE(checked, 10);
}

// ---------------------------------------------------------------------------------------------
// tlog-argon2020: Google's Argon 2020 CT log, tree size 961,984,013. The STHs are CT JSON
// ({"tree_size", "sha256_root_hash"}); proof.json is a get-proof-by-hash answer
// ({"leaf_index", "audit_path"}); consistency.json a get-sth-consistency answer
// ({"consistency"}); leaf_input.b64 is the raw MerkleTreeLeaf, base64 with a trailing newline.

struct Sth {
  std::uint64_t size = 0;
  Hash root{};
};

std::optional<Sth> read_sth(const fs::path& file) {
  const json v = json::parse(pw::testing::read_file(file));
  auto root = decode_hash(v.at("sha256_root_hash"));
  if (!root) return std::nullopt;
  return Sth{v.at("tree_size").get<std::uint64_t>(), *root};
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

TEST(MerkleConformance, Argon2020InclusionOfLeaf10000) {
  const fs::path data = pw::testing::testdata_dir();
  if (data.empty()) GTEST_SKIP() << kSkipReason;
  const fs::path dir = data / "tlog-argon2020";
  try {
    auto sth = read_sth(dir / "sth.json");
    ASSERT_TRUE(sth.has_value());
    EXPECT_EQ(sth->size, 961984013u);
    auto raw_leaf = core::from_base64(trim(pw::testing::read_file(dir / "leaf_input.b64")));
    ASSERT_TRUE(raw_leaf.has_value()) << raw_leaf.error().to_string();
    const Hash leaf = leaf_hash(*raw_leaf);
    const json p = json::parse(pw::testing::read_file(dir / "proof.json"));
    const auto index = p.at("leaf_index").get<std::uint64_t>();
    EXPECT_EQ(index, 10000u);
    auto proof = decode_proof(p.at("audit_path"));
    ASSERT_TRUE(proof.has_value());
    ASSERT_FALSE(proof->empty());

    auto ok = verify_inclusion(index, sth->size, leaf, *proof, sth->root);
    EXPECT_TRUE(ok.has_value()) << ok.error().to_string();

    // Corrupted variants.
    std::vector<Hash> flipped = *proof;
    flipped[proof->size() / 2][7] ^= 0x10;
    EXPECT_FALSE(verify_inclusion(index, sth->size, leaf, flipped, sth->root).has_value());
    EXPECT_FALSE(verify_inclusion(index + 1, sth->size, leaf, *proof, sth->root).has_value());
    Hash wrong_leaf = leaf;
    wrong_leaf[0] ^= 0x01;
    EXPECT_FALSE(verify_inclusion(index, sth->size, wrong_leaf, *proof, sth->root).has_value());
    std::vector<Hash> truncated(proof->begin(), proof->end() - 1);
    EXPECT_FALSE(verify_inclusion(index, sth->size, leaf, truncated, sth->root).has_value());
  } catch (const json::exception& e) {
    FAIL() << dir << ": malformed file: " << e.what();
  }
}

TEST(MerkleConformance, Argon2020ConsistencyFromOldSth) {
  const fs::path data = pw::testing::testdata_dir();
  if (data.empty()) GTEST_SKIP() << kSkipReason;
  const fs::path dir = data / "tlog-argon2020";
  try {
    auto old_sth = read_sth(dir / "old_sth.json");
    auto sth = read_sth(dir / "sth.json");
    ASSERT_TRUE(old_sth.has_value() && sth.has_value());
    EXPECT_EQ(old_sth->size, 3654490u);
    const json c = json::parse(pw::testing::read_file(dir / "consistency.json"));
    auto proof = decode_proof(c.at("consistency"));
    ASSERT_TRUE(proof.has_value());
    ASSERT_FALSE(proof->empty());

    auto ok = verify_consistency(old_sth->size, sth->size, *proof, old_sth->root, sth->root);
    EXPECT_TRUE(ok.has_value()) << ok.error().to_string();

    // Corrupted variants.
    std::vector<Hash> flipped = *proof;
    flipped[proof->size() / 2][31] ^= 0x80;
    EXPECT_FALSE(verify_consistency(old_sth->size, sth->size, flipped, old_sth->root, sth->root));
    EXPECT_FALSE(verify_consistency(old_sth->size, sth->size, *proof, sth->root, old_sth->root));
    EXPECT_FALSE(
        verify_consistency(old_sth->size + 1, sth->size, *proof, old_sth->root, sth->root));
    std::vector<Hash> truncated(proof->begin(), proof->end() - 1);
    EXPECT_FALSE(verify_consistency(old_sth->size, sth->size, truncated, old_sth->root, sth->root));
  } catch (const json::exception& e) {
    FAIL() << dir << ": malformed file: " << e.what();
  }
}

}  // namespace
}  // namespace pw::journal

#pragma once
// Helpers shared by the importer tests: fixture files, lookups in a dataset, option presets.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "domain/ownership.h"
#include "formats/import.h"
#include "support/test_support.h"

namespace pw::formats::testing {

inline std::filesystem::path fixture_path(const std::string& name) {
  // From the configured source directory, not __FILE__: with ccache's base_dir __FILE__ is
  // relative to the build directory, which is not the tests' working directory.
  return pw::testing::tests_dir() / "formats" / "fixtures" / name;
}

inline std::string fixture(const std::string& name) {
  return pw::testing::read_file(fixture_path(name));
}

inline ImportOptions lenient() {
  return ImportOptions{};
}
inline ImportOptions strict() {
  ImportOptions o;
  o.strict = true;
  return o;
}

inline const domain::Entity* find_entity(const domain::OwnershipDataset& d, std::string_view id) {
  for (const auto& e : d.entities) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

inline std::vector<const domain::Edge*> find_edges(const domain::OwnershipDataset& d,
                                                   std::string_view owner, std::string_view owned) {
  std::vector<const domain::Edge*> out;
  for (const auto& e : d.edges) {
    if (e.owner == owner && e.owned == owned) out.push_back(&e);
  }
  return out;
}

// The single edge owner -> owned; fails the test if there is not exactly one.
inline const domain::Edge* edge(const domain::OwnershipDataset& d, std::string_view owner,
                                std::string_view owned) {
  auto edges = find_edges(d, owner, owned);
  EXPECT_EQ(edges.size(), 1u) << std::string(owner) << " -> " << std::string(owned);
  return edges.size() == 1 ? edges[0] : nullptr;
}

inline std::string issues_text(const ImportResult& r) {
  std::string out;
  for (const auto& i : r.issues) out += i.to_string() + "\n";
  return out;
}

// Whether some issue's text contains `needle`.
inline bool has_issue(const ImportResult& r, std::string_view needle) {
  for (const auto& i : r.issues) {
    if (i.to_string().find(needle) != std::string::npos) return true;
  }
  return false;
}

inline domain::Date date(std::string_view iso) {
  return domain::parse_date(iso).value();
}

}  // namespace pw::formats::testing

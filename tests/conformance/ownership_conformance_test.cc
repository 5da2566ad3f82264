// The ownership engine on the public BODS examples (../shared/testdata/bods, see its
// SOURCES.md): figures known from the examples themselves.
#include <gtest/gtest.h>

#include "formats/import.h"
#include "ownership/exposure.h"
#include "ownership/graph.h"
#include "ownership/integrated.h"
#include "support/test_support.h"

namespace pw {
namespace {

core::Result<ownership::Graph> load_graph(const std::string& name,
                                          std::optional<domain::Date> as_of = std::nullopt) {
  formats::ImportOptions options;
  PW_ASSIGN_OR_RETURN(formats::ImportResult r,
                      formats::import_file((testing::testdata_dir() / "bods" / name).string(),
                                           formats::Format::kBods, options));
  return ownership::Graph::build(std::move(r.dataset), as_of);
}

// SOURCES.md: "the Finnish state's exposure to the state-owned company is 100% (76.5% through a
// company the ministry owns 100%, 23.5% directly), once the state and its ministry are grouped
// as one state."
TEST(OwnershipConformance, FinnishStateHoldsAllOfItsStateOwnedCompany) {
  if (testing::testdata_dir().empty()) GTEST_SKIP() << "no ../shared/testdata: conformance skipped";
  auto g = load_graph("bods-package-fi-soe.json");
  ASSERT_TRUE(g.has_value()) << g.error().to_string();
  auto company = g->find_by_name("Gasgrid Finland Oy");
  ASSERT_TRUE(company.has_value()) << company.error().to_string();
  auto fi = g->find_state("FI");
  ASSERT_TRUE(fi.has_value()) << fi.error().to_string();
  auto exposure = ownership::state_exposure_of(*g, *company, *fi);
  ASSERT_TRUE(exposure.has_value()) << exposure.error().to_string();
  EXPECT_NEAR(exposure->min, 1.0, 1e-12);
  EXPECT_NEAR(exposure->max, 1.0, 1e-12);
  EXPECT_TRUE(exposure->known);
}

// Examples with history (fermcat, tecido: shares that changed over time) are consistent on
// any one date, not summed over all dates: build each as of a fixed date after the examples.
TEST(OwnershipConformance, EveryBodsExampleBuildsAGraphAsOfADate) {
  if (testing::testdata_dir().empty()) GTEST_SKIP() << "no ../shared/testdata: conformance skipped";
  const domain::Date as_of = *domain::parse_date("2026-01-01");
  int built = 0;
  for (const auto& f : std::filesystem::directory_iterator(testing::testdata_dir() / "bods")) {
    auto g = load_graph(f.path().filename().string(), as_of);
    EXPECT_TRUE(g.has_value()) << f.path() << ": " << g.error().to_string();
    built += g.has_value();
  }
  EXPECT_GE(built, 15);
}

}  // namespace
}  // namespace pw

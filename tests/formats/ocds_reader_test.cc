// The OCDS 1.1 reader (formats/ocds/ocds_reader.h): framings, mapping, amounts, bad records.
// Every expected value below is worked out by hand from the JSON in the test.
#include "formats/ocds/ocds_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pw::formats::ocds {
namespace {

struct Read {
  core::Result<ReadResult> result;
  std::vector<domain::Procedure> procedures;
};

Read read(std::string_view text, bool strict = false, std::size_t chunk = 4096) {
  ReadOptions o;
  o.import.strict = strict;
  o.import.chunk_bytes = chunk;
  Read r{core::invalid_argument("unset"), {}};
  r.result = read_string(text, "in.json", o, [&](domain::Procedure&& p, const ReleaseRef&) {
    r.procedures.push_back(std::move(p));
    return core::ok();
  });
  return r;
}

// A release with one lot-less procedure and bids given as (tenderer, amount JSON, currency).
std::string release(const std::string& ocid, const std::string& bids_json) {
  return R"({"ocid":")" + ocid + R"(","bids":{"details":[)" + bids_json + "]}}";
}
std::string bid(const std::string& tenderer, const std::string& amount,
                const std::string& currency = "EUR", const std::string& status = "valid") {
  return R"({"status":")" + status + R"(","tenderers":[{"id":")" + tenderer +
         R"("}],"value":{"amount":)" + amount + R"(,"currency":")" + currency + R"("}})";
}

// The one issue of a lenient read that skipped one release; "" if there is not exactly one.
std::string only_issue(const Read& r) {
  if (!r.result || r.result->issues.size() != 1) return "";
  return r.result->issues[0].to_string();
}

TEST(OcdsReader, ReadsAPrettyPrintedReleasePackageWithMetadataAroundTheReleases) {
  const std::string text = R"({
  "uri": "https://example.org/package.json",
  "publisher": {"name": "releases [not these] {}"},
  "releases": [
    {"ocid": "ocds-1", "tender": {"title": "Scanners", "value": {"amount": 1000000, "currency": "EUR"},
      "procurementMethodDetails": "open", "status": "complete"},
     "buyer": {"id": "NL-DOUANE", "name": "Douane"},
     "bids": {"details": [{"id": "b1", "status": "valid", "tenderers": [{"id": "A"}, {"id": "B"}],
                           "value": {"amount": 900000.5, "currency": "EUR"}}]},
     "awards": [{"id": "a1", "status": "active", "suppliers": [{"id": "A"}],
                 "value": {"amount": 900000.5, "currency": "EUR"}}]},
    {"ocid": "ocds-2"}
  ],
  "version": "1.1"
}
)";
  auto r = read(text, false, 64);  // small chunks: every boundary inside the package is crossed
  ASSERT_TRUE(r.result) << r.result.error().to_string();
  EXPECT_TRUE(r.result->summary.package);
  EXPECT_TRUE(r.result->issues.empty());
  ASSERT_EQ(r.procedures.size(), 2u);
  const auto& p = r.procedures[0];
  EXPECT_EQ(p.id, "ocds-1");
  EXPECT_EQ(p.title, "Scanners");
  EXPECT_EQ(p.buyer, "NL-DOUANE");
  EXPECT_EQ(p.method_details, "open");
  EXPECT_EQ(p.tender_status, "complete");
  ASSERT_TRUE(p.estimated_value);
  EXPECT_EQ(p.estimated_value->minor, 100000000);
  ASSERT_EQ(p.lots.size(), 1u);
  EXPECT_EQ(p.lots[0].id, "");
  ASSERT_TRUE(p.lots[0].estimate);  // no tender.lots: the single lot's estimate is tender.value
  EXPECT_EQ(p.lots[0].estimate->minor, 100000000);
  ASSERT_EQ(p.lots[0].bids.size(), 1u);
  const auto& b = p.lots[0].bids[0];
  EXPECT_EQ(b.id, "b1");
  EXPECT_EQ(b.bidder, "A");
  EXPECT_EQ(b.tenderers, (std::vector<std::string>{"A", "B"}));
  EXPECT_TRUE(b.valid);
  ASSERT_TRUE(b.amount);
  EXPECT_EQ(b.amount->minor, 90000050);
  EXPECT_EQ(b.amount->currency, "EUR");
  ASSERT_EQ(p.lots[0].awards.size(), 1u);
  EXPECT_EQ(p.lots[0].awards[0].suppliers, std::vector<std::string>{"A"});
  EXPECT_EQ(p.lots[0].awards[0].value->minor, 90000050);
  EXPECT_EQ(r.procedures[1].id, "ocds-2");
  EXPECT_EQ(r.result->summary.procedures, 2u);
  EXPECT_EQ(r.result->summary.bids, 1u);
  EXPECT_EQ(r.result->summary.awards, 1u);
}

TEST(OcdsReader, IssuesInAPackageGiveTheOffsetInTheFile) {
  const std::string good = R"({"ocid":"x"})";
  const std::string bad = R"({"ocid":"y","bids":{"details":[{"status":"bogus"}]}})";
  const std::string text = R"({"uri":"u","releases":[)" + good + "," + bad + "]}";
  auto r = read(text);
  ASSERT_TRUE(r.result);
  ASSERT_EQ(r.result->issues.size(), 1u);
  EXPECT_EQ(r.result->issues[0].record, 2u);
  EXPECT_EQ(r.result->issues[0].offset, text.find(R"({"ocid":"y")"));
  EXPECT_EQ(r.result->issues[0].field, "bids.details[0].status");
}

TEST(OcdsReader, ReadsJsonLinesAndSkipsBlankLines) {
  const std::string text =
      release("1", bid("A", "100")) + "\n\n   \n" + release("2", bid("B", "200")) + "\n\n";
  auto r = read(text);
  ASSERT_TRUE(r.result) << r.result.error().to_string();
  EXPECT_FALSE(r.result->summary.package);
  ASSERT_EQ(r.procedures.size(), 2u);
  EXPECT_EQ(r.procedures[1].lots[0].bids[0].amount->minor, 20000);
  EXPECT_TRUE(r.result->issues.empty());
}

TEST(OcdsReader, ReadsAJsonArrayOfReleases) {
  auto r = read("[" + release("1", bid("A", "1")) + ",\n" + release("2", "") + "]");
  ASSERT_TRUE(r.result);
  ASSERT_EQ(r.procedures.size(), 2u);
  EXPECT_EQ(r.procedures[0].lots[0].bids[0].amount->minor, 100);
  EXPECT_TRUE(r.procedures[1].lots[0].bids.empty());
}

TEST(OcdsReader, ABadJsonLineIsAnIssueInLenientModeAndStopsStrictMode) {
  const std::string text =
      release("1", bid("A", "1")) + "\n{\"ocid\": \"2\", \"bids\": [}\n" + release("3", "") + "\n";
  auto lenient = read(text);
  ASSERT_TRUE(lenient.result);
  ASSERT_EQ(lenient.procedures.size(), 2u);
  EXPECT_EQ(lenient.procedures[1].id, "3");
  ASSERT_EQ(lenient.result->issues.size(), 1u);
  EXPECT_EQ(lenient.result->issues[0].record, 2u);
  EXPECT_EQ(lenient.result->summary.releases_skipped, 1u);

  auto strict = read(text, true);
  ASSERT_FALSE(strict.result);
  EXPECT_NE(strict.result.error().message().find("in.json record 2"), std::string::npos)
      << strict.result.error().to_string();
}

TEST(OcdsReader, FirstLineBrokenInsideAStringIsStillJsonLines) {
  // An unclosed string on line 1 must not make the reader take the file for a package.
  auto r = read("{\"ocid\": \"1\n" + release("2", "") + "\n");
  ASSERT_TRUE(r.result) << r.result.error().to_string();
  ASSERT_EQ(r.procedures.size(), 1u);
  EXPECT_EQ(r.procedures[0].id, "2");
  EXPECT_EQ(r.result->issues.size(), 1u);
}

struct BadCase {
  const char* name;
  std::string text;
  const char* field;
  const char* message;  // a substring of the issue's message
};

TEST(OcdsReader, EachBadRecordKindIsNamedAndTheReleaseSkipped) {
  const std::string lots = R"("tender":{"lots":[{"id":"L1"},{"id":"L2"}]})";
  const std::vector<BadCase> cases = {
      {"negative amount", release("n", bid("A", "-5")), "bids.details[0].value.amount",
       "-5 is negative"},
      {"non-numeric amount", release("s", bid("A", "\"100\"")), "bids.details[0].value.amount",
       "expected a number, found string"},
      {"too many decimals", release("d", bid("A", "1.005")), "bids.details[0].value.amount",
       "1.005 has 3 decimals; EUR has 2"},
      {"no currency", release("c", R"({"status":"valid","value":{"amount":5}})"),
       "bids.details[0].value.currency", "missing"},
      {"unknown currency", release("u", bid("A", "5", "EUX")), "bids.details[0].value.currency",
       "'EUX' is not an ISO 4217 code"},
      {"mixed currencies", release("m", bid("A", "5") + "," + bid("B", "6", "USD")),
       "bids.details[1].value.currency", "USD differs from EUR"},
      {"bid status", release("t", bid("A", "5", "EUR", "accepted")), "bids.details[0].status",
       "'accepted' is not in the OCDS bidStatus codelist"},
      {"no ocid", R"({"tender":{"title":"x"}})", "ocid", "missing"},
      {"unknown lot",
       R"({"ocid":"l",)" + lots +
           R"(,"bids":{"details":[{"status":"valid","relatedLots":["L9"]}]}})",
       "bids.details[0].relatedLots", "'L9' is not a lot"},
      {"bid without lot in a divided procedure",
       R"({"ocid":"w",)" + lots + R"(,"bids":{"details":[{"status":"valid"}]}})",
       "bids.details[0].relatedLots", "the procedure has 2 lots"},
      {"bid for two lots",
       R"({"ocid":"v",)" + lots +
           R"(,"bids":{"details":[{"status":"valid","relatedLots":["L1","L2"]}]}})",
       "bids.details[0].relatedLots", "cannot be split"},
      {"wrong type", R"({"ocid":"x","awards":{}})", "awards", "expected an array, found object"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    // The bad release sits between two good ones, which are both read.
    const std::string text = release("g1", "") + "\n" + c.text + "\n" + release("g2", "") + "\n";
    auto r = read(text);
    ASSERT_TRUE(r.result) << r.result.error().to_string();
    ASSERT_EQ(r.procedures.size(), 2u);
    ASSERT_EQ(r.result->issues.size(), 1u) << only_issue(r);
    const auto& issue = r.result->issues[0];
    EXPECT_EQ(issue.severity, Severity::kError);
    EXPECT_EQ(issue.record, 2u);
    EXPECT_EQ(issue.field, c.field);
    EXPECT_NE(issue.message.find(c.message), std::string::npos) << issue.message;
    EXPECT_EQ(r.result->summary.releases_skipped, 1u);
    auto strict = read(text, true);
    EXPECT_FALSE(strict.result);
  }
}

TEST(OcdsReader, ADuplicateOcidIsSkipped) {
  auto r = read(release("1", bid("A", "1")) + "\n" + release("1", bid("B", "2")) + "\n");
  ASSERT_TRUE(r.result);
  ASSERT_EQ(r.procedures.size(), 1u);
  EXPECT_EQ(r.procedures[0].lots[0].bids[0].bidder, "A");
  ASSERT_EQ(r.result->issues.size(), 1u);
  EXPECT_EQ(r.result->issues[0].field, "ocid");
  EXPECT_NE(r.result->issues[0].message.find("duplicate ocid '1'"), std::string::npos);
}

TEST(OcdsReader, AmountsUseTheCurrencysDecimalsExactly) {
  struct Case {
    std::string amount, currency;
    std::int64_t minor;
  };
  const std::vector<Case> ok = {
      {"1234.5", "EUR", 123450}, {"12.50", "EUR", 1250},
      {"0.1", "EUR", 10},        {"1e3", "EUR", 100000},
      {"2.5E-1", "USD", 25},     {"1500", "JPY", 1500},
      {"1.234", "KWD", 1234},    {"0", "EUR", 0},
      {"1.0000", "JPY", 1},      {"92233720368547758.07", "EUR", 9223372036854775807LL}};
  for (const auto& c : ok) {
    SCOPED_TRACE(c.amount + " " + c.currency);
    auto r = read(release("1", bid("A", c.amount, c.currency)));
    ASSERT_TRUE(r.result);
    ASSERT_EQ(r.procedures.size(), 1u) << only_issue(r);
    EXPECT_EQ(r.procedures[0].lots[0].bids[0].amount->minor, c.minor);
  }
  const std::vector<std::pair<std::string, std::string>> refused = {{"1500.5", "JPY"},
                                                                    {"1.2345", "KWD"},
                                                                    {"0.001", "EUR"},
                                                                    {"92233720368547758.08", "EUR"},
                                                                    {"1e400", "EUR"}};
  for (const auto& [amount, currency] : refused) {
    SCOPED_TRACE(amount + " " + currency);
    auto r = read(release("1", bid("A", amount, currency)));
    ASSERT_TRUE(r.result);
    EXPECT_TRUE(r.procedures.empty());
    ASSERT_EQ(r.result->issues.size(), 1u);
    EXPECT_EQ(r.result->issues[0].field, "bids.details[0].value.amount");
  }
}

TEST(OcdsReader, BidsAndAwardsGoToTheirLots) {
  const std::string text = R"({"ocid":"p","tender":{"value":{"amount":500,"currency":"EUR"},
    "lots":[{"id":"L1","title":"North","value":{"amount":100,"currency":"EUR"}},{"id":"L2"}]},
    "bids":{"details":[
      {"id":"x","status":"valid","tenderers":[{"id":"A"}],"value":{"amount":90,"currency":"EUR"},"relatedLots":["L2"]},
      {"id":"y","status":"disqualified","tenderers":[{"id":"B"}],"value":{"amount":80,"currency":"USD"},"relatedLots":["L1"]}]},
    "awards":[{"id":"w","status":"active","suppliers":[{"id":"A"}],"relatedLots":["L1","L2"]}]})";
  std::string one_line;
  for (char c : text)
    if (c != '\n') one_line += c;
  auto r = read(one_line);
  ASSERT_TRUE(r.result);
  ASSERT_EQ(r.procedures.size(), 1u) << only_issue(r);
  const auto& p = r.procedures[0];
  ASSERT_EQ(p.lots.size(), 2u);
  EXPECT_EQ(p.lots[0].id, "L1");
  EXPECT_EQ(p.lots[0].title, "North");
  EXPECT_EQ(p.lots[0].estimate->minor, 10000);
  EXPECT_FALSE(p.lots[1].estimate);  // tender.value is the whole procedure's, not a lot's
  EXPECT_EQ(p.estimated_value->minor, 50000);
  ASSERT_EQ(p.lots[0].bids.size(), 1u);
  EXPECT_EQ(p.lots[0].bids[0].id, "y");
  EXPECT_FALSE(p.lots[0].bids[0].valid);
  ASSERT_EQ(p.lots[1].bids.size(), 1u);
  EXPECT_EQ(p.lots[1].bids[0].id, "x");
  ASSERT_EQ(p.lots[0].awards.size(), 1u);  // an award may cover several lots
  ASSERT_EQ(p.lots[1].awards.size(), 1u);
  EXPECT_EQ(p.lots[1].awards[0].id, "w");
}

TEST(OcdsReader, ABidWithoutStatusIsNotValidAndWarned) {
  auto r =
      read(release("1", R"({"tenderers":[{"id":"A"}],"value":{"amount":1,"currency":"EUR"}})"));
  ASSERT_TRUE(r.result);
  ASSERT_EQ(r.procedures.size(), 1u);
  const auto& b = r.procedures[0].lots[0].bids[0];
  EXPECT_FALSE(b.valid);
  EXPECT_EQ(b.status, "");
  EXPECT_EQ(b.id, "#1");
  ASSERT_EQ(r.result->issues.size(), 1u);
  EXPECT_EQ(r.result->issues[0].severity, Severity::kWarning);
  EXPECT_EQ(r.result->issues[0].field, "bids.details[0].status");
}

TEST(OcdsReader, AValueWithoutAmountIsKeptWithoutOne) {
  auto r = read(release("1", R"({"status":"valid","value":{"currency":"EUR"}})"));
  ASSERT_TRUE(r.result);
  ASSERT_EQ(r.procedures.size(), 1u);
  EXPECT_FALSE(r.procedures[0].lots[0].bids[0].amount);
  EXPECT_TRUE(r.result->issues.empty());
}

TEST(OcdsReader, TruncatedInputs) {
  // A package or array cut short is a file-level error (kDataLoss); a JSON-lines file cut inside
  // its last line loses that line only.
  auto package = read(R"({"releases":[{"ocid":"1"},{"ocid":)");
  ASSERT_FALSE(package.result);
  EXPECT_EQ(package.result.error().code(), core::Code::kDataLoss);
  EXPECT_NE(package.result.error().message().find("truncated"), std::string::npos);
  auto after = read(R"({"releases":[{"ocid":"1"}],"version":)");
  ASSERT_FALSE(after.result);
  EXPECT_EQ(after.result.error().code(), core::Code::kDataLoss);
  auto array = read(R"([{"ocid":"1"},{"ocid":"2")");
  ASSERT_FALSE(array.result);
  EXPECT_EQ(array.result.error().code(), core::Code::kDataLoss);
  auto one = read(R"({"ocid":"1","bids":{)");  // the only record, cut: nothing to read
  ASSERT_FALSE(one.result);
  EXPECT_EQ(one.result.error().code(), core::Code::kDataLoss);
  // A broken first line (unbalanced brackets) followed by good lines: JSON lines, one issue.
  auto broken_first = read("{\"ocid\": \"2\", \"bids\": [}\n" + release("3", "") + "\n");
  ASSERT_TRUE(broken_first.result) << broken_first.result.error().to_string();
  ASSERT_EQ(broken_first.procedures.size(), 1u);
  EXPECT_EQ(broken_first.procedures[0].id, "3");
  EXPECT_EQ(broken_first.result->issues.size(), 1u);
  auto lines = read(release("1", "") + "\n" + R"({"ocid":"2","bids":{)");
  ASSERT_TRUE(lines.result);
  EXPECT_EQ(lines.procedures.size(), 1u);
  ASSERT_EQ(lines.result->issues.size(), 1u);
  EXPECT_NE(lines.result->issues[0].message.find("truncated"), std::string::npos);
}

TEST(OcdsReader, EveryTruncationOfAPackageIsAnErrorOrAPrefixOfItsReleases) {
  // Cut a package after every byte, read each cut with small chunks: the reader must never take
  // a cut package for a whole one (an ok read has all three releases, i.e. only the cuts after
  // the closing brace) and must never yield a release the full package does not have.
  const std::string text = R"({"uri":"u","releases":[)" + release("a", bid("A", "1")) + ",\n" +
                           release("b", bid("B", "2.5")) + "," + release("c", "") +
                           R"(],"version":"1.1"})";
  const std::vector<std::string> all = {"a", "b", "c"};
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    SCOPED_TRACE(cut);
    auto r = read(std::string_view(text).substr(0, cut), false, 7);
    ASSERT_LE(r.procedures.size(), all.size());
    for (std::size_t i = 0; i < r.procedures.size(); ++i) EXPECT_EQ(r.procedures[i].id, all[i]);
    if (r.result) {
      EXPECT_EQ(cut, text.size());
      EXPECT_EQ(r.procedures.size(), 3u);
    } else {
      EXPECT_LT(cut, text.size());
    }
  }
}

TEST(OcdsReader, EmptyAndMalformedFramingAreFileLevelErrors) {
  for (std::string_view text : {"", "   \n\n"}) {
    auto r = read(text);
    ASSERT_FALSE(r.result);
    EXPECT_NE(r.result.error().message().find("empty"), std::string::npos);
  }
  auto not_array = read(R"({"releases":{"ocid":"1"}})");
  ASSERT_FALSE(not_array.result);
  EXPECT_NE(not_array.result.error().message().find("\"releases\" is not an array"),
            std::string::npos);
  auto two_packages = read(R"({"releases":[]})"
                           "\n"
                           R"({"releases":[]})");
  ASSERT_FALSE(two_packages.result);
  EXPECT_NE(two_packages.result.error().message().find("one package per file"), std::string::npos);
  auto text = read("ocid,amount\n1,2\n");
  EXPECT_FALSE(text.result);
}

TEST(OcdsReader, TheLocatedSinkIsToldRecordAndOffset) {
  const std::string first = release("1", "");
  const std::string bad = R"({"ocid":"2","awards":7})";
  const std::string text = first + "\n" + bad + "\n\n" + release("3", "") + "\n";
  std::vector<std::pair<std::uint64_t, std::uint64_t>> refs;
  auto r = read_string(text, "in.json", ReadOptions{},
                       [&](domain::Procedure&&, const ReleaseRef& ref) -> core::Status {
                         refs.emplace_back(ref.record, ref.offset);
                         return core::ok();
                       });
  ASSERT_TRUE(r);
  const std::uint64_t third = first.size() + 1 + bad.size() + 2;
  EXPECT_EQ(refs, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{1, 0}, {3, third}}));
}

TEST(OcdsReader, ASinkErrorStopsTheRead) {
  ReadOptions o;
  int calls = 0;
  auto r = read_string(release("1", "") + "\n" + release("2", "") + "\n", "in.json", o,
                       [&](domain::Procedure&&) -> core::Status {  // the one-argument sink
                         ++calls;
                         return core::invalid_argument("stop here");
                       });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "stop here");
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace pw::formats::ocds

// Framing and hostile-input behaviour of the JSON record reader, driven through the importers.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/import.h"
#include "formats_test_util.h"

namespace pw::formats {
namespace {

using testing::fixture;
using testing::has_issue;
using testing::issues_text;
using testing::lenient;
using testing::strict;

std::string company(int i, std::string_view name = "") {
  return R"({"id":"c)" + std::to_string(i) + R"(","schema":"Company","properties":{"name":[")" +
         (name.empty() ? "Company " + std::to_string(i) : std::string(name)) + R"("]}})";
}

core::Result<ImportResult> ftm(std::string_view text, const ImportOptions& o = lenient()) {
  return import_string(text, "input.json", Format::kFtm, o);
}

TEST(JsonRecords, EmptyInputIsAnError) {
  for (std::string_view text : {"", "  \n\t\r\n", "\xEF\xBB\xBF"}) {
    auto r = ftm(text);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), core::Code::kInvalidArgument);
    EXPECT_NE(r.error().message().find("the input is empty"), std::string::npos)
        << r.error().message();
  }
}

TEST(JsonRecords, AnEmptyArrayIsAnEmptyDataset) {
  auto r = ftm(" [ ] \n", strict());
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->summary.records_read, 0u);
}

TEST(JsonRecords, NotJsonIsAnError) {
  auto r = ftm("<xml/>");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(),
            "input.json: byte 0: expected a JSON array ('[') or JSON lines ('{'), found '<'");
}

TEST(JsonRecords, TruncatedArrayNamesTheByteOffset) {
  const std::string full = "[" + company(1) + "," + company(2) + "]";
  const std::string cut = full.substr(0, full.size() - 10);
  for (const ImportOptions& o : {lenient(), strict()}) {
    auto r = ftm(cut, o);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), core::Code::kDataLoss);
    EXPECT_EQ(r.error().message(),
              "input.json: byte " + std::to_string(cut.size()) +
                  ": unexpected end of input inside record 2 (which starts at byte " +
                  std::to_string(company(1).size() + 2) + "): the file is truncated");
  }
  auto unclosed = ftm("[" + company(1));
  ASSERT_FALSE(unclosed.has_value());
  EXPECT_NE(unclosed.error().message().find("the top-level JSON array is not closed"),
            std::string::npos);
}

TEST(JsonRecords, TruncatedLastLineIsABadRecord) {
  const std::string text = company(1) + "\n" + company(2).substr(0, 33);
  auto r = ftm(text);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->dataset.entities.size(), 1u);
  EXPECT_TRUE(has_issue(*r, "input.json record 2: truncated JSON: the record ends (at byte " +
                                std::to_string(text.size()) + ") inside a string"))
      << issues_text(*r);
  EXPECT_FALSE(ftm(text, strict()).has_value());
}

TEST(JsonRecords, ABrokenLineDoesNotAffectTheNextOnes) {
  const std::string text =
      company(1) + "\n" + R"({"id":"c2","schema":"Comp)" + "\n" + company(3) + "\n";
  auto r = ftm(text);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->dataset.entities.size(), 2u);
  EXPECT_EQ(r->summary.records_read, 3u);
  EXPECT_EQ(r->summary.records_skipped, 1u);
}

TEST(JsonRecords, ALineEndingInABackslashDoesNotSwallowTheNext) {
  const std::string text = R"({"id":"c1","schema":"Company","properties":{"name":["x\)"
                           "\n" +
                           company(2) + "\n";
  auto r = ftm(text);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->dataset.entities.size(), 1u);
  EXPECT_TRUE(has_issue(*r, "record 1: truncated JSON")) << issues_text(*r);
}

TEST(JsonRecords, InvalidUtf8IsReported) {
  const std::string text = company(1, "Bad \xC3\x28 name") + "\n" + company(2) + "\n";
  auto r = ftm(text);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->dataset.entities.size(), 1u);
  EXPECT_TRUE(has_issue(*r, "input.json record 1: malformed JSON: invalid UTF-8"))
      << issues_text(*r);
}

TEST(JsonRecords, DeepNestingIsLimited) {
  std::string deep = R"({"id":"x","schema":"Company","properties":{"name":["deep"]},"junk":)";
  for (int i = 0; i < 100000; ++i) deep += '[';
  for (int i = 0; i < 100000; ++i) deep += ']';
  deep += "}";
  const std::string text = deep + "\n" + company(2) + "\n";
  auto r = ftm(text);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->dataset.entities.size(), 1u);
  EXPECT_TRUE(has_issue(*r, "record 1: JSON nesting is deeper than 64 levels")) << issues_text(*r);

  // The same inside an array package, where the nesting bomb never closes: a file-level error.
  std::string bomb = "[" + company(1) + ",";
  for (int i = 0; i < 200000; ++i) bomb += '[';
  auto b = ftm(bomb);
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().code(), core::Code::kDataLoss);
}

TEST(JsonRecords, HugeRecordsAreSkippedWithoutBufferingThem) {
  ImportOptions o;
  o.max_record_bytes = 10000;
  o.chunk_bytes = 4096;
  const std::string big = company(1, std::string(50000, 'x'));
  auto lines = ftm(big + "\n" + company(2) + "\n", o);
  ASSERT_TRUE(lines.has_value());
  EXPECT_EQ(lines->dataset.entities.size(), 1u);
  EXPECT_TRUE(has_issue(*lines, "record 1: record is larger than 10000 bytes; skipped"))
      << issues_text(*lines);
  auto array = ftm("[" + big + "," + company(2) + "]", o);
  ASSERT_TRUE(array.has_value());
  EXPECT_EQ(array->dataset.entities.size(), 1u);
}

TEST(JsonRecords, ContentAfterARecordOrTheArrayIsRejected) {
  auto r = ftm(company(1) + " trailing\n" + company(2) + "\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(has_issue(*r, "record 1: malformed JSON: unexpected content after the record"))
      << issues_text(*r);
  auto after = ftm("[" + company(1) + "] {}");
  ASSERT_FALSE(after.has_value());
  EXPECT_NE(after.error().message().find("after the end of the top-level JSON array"),
            std::string::npos);
}

TEST(JsonRecords, ArrayElementsMustBeObjects) {
  auto r = ftm("[" + company(1) + ", 42, \"text\", null, [1,2], , " + company(2) + ",]");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->dataset.entities.size(), 2u);
  EXPECT_TRUE(has_issue(*r, "record 2: record is not a JSON object")) << issues_text(*r);
  EXPECT_TRUE(has_issue(*r, "empty array element"));
  EXPECT_TRUE(has_issue(*r, "trailing comma before ']'"));
}

TEST(JsonRecords, UnbalancedBracketsInALineAreReported) {
  auto r = ftm(company(1) + "}\n" + company(2) + "\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->dataset.entities.size(), 1u);
  EXPECT_EQ(r->summary.errors, 1u);
}

TEST(JsonRecords, ByteOrderMarkAndCrLfAreAccepted) {
  auto r = ftm("\xEF\xBB\xBF" + company(1) + "\r\n" + company(2) + "\r\n", strict());
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->dataset.entities.size(), 2u);
}

// Records, strings and escapes straddling chunk boundaries read the same as in one chunk.
TEST(JsonRecords, ChunkBoundariesDoNotChangeTheResult) {
  std::string lines, array = "[";
  for (int i = 0; i < 3000; ++i) {
    const std::string name = "Name \\\"quoted\\\" \\\\ " +
                             std::string(static_cast<std::size_t>(i % 37), 'y') + " {[,]} \\u00e9";
    lines += company(i, name) + "\n";
    array += (i ? ",\n" : "") + company(i, name);
  }
  array += "]";
  ImportOptions small;
  small.chunk_bytes = 4096;
  small.strict = true;
  for (const std::string* text : {&lines, &array}) {
    auto a = ftm(*text, small);
    auto b = ftm(*text, strict());
    ASSERT_TRUE(a.has_value()) << a.error().to_string();
    ASSERT_TRUE(b.has_value()) << b.error().to_string();
    ASSERT_EQ(a->dataset.entities.size(), 3000u);
    for (std::size_t i = 0; i < 3000; ++i) {
      ASSERT_EQ(a->dataset.entities[i].name, b->dataset.entities[i].name) << i;
    }
    EXPECT_EQ(a->dataset.entities[5].name, "Name \"quoted\" \\ yyyyy {[,]} \xC3\xA9");
  }
}

TEST(JsonRecords, ProgressReportsBytesUpToTheTotal) {
  const std::string text = fixture("nuctech-bods-0.4.json");
  StringByteSource source(text);
  std::vector<Progress> seen;
  ImportOptions o;
  o.chunk_bytes = 4096;
  auto r = import_source(source, "p.json", Format::kBods, o,
                         [&](const Progress& p) { seen.push_back(p); });
  ASSERT_TRUE(r.has_value());
  ASSERT_GE(seen.size(), 2u);
  for (std::size_t i = 1; i < seen.size(); ++i)
    EXPECT_GE(seen[i].bytes_read, seen[i - 1].bytes_read);
  EXPECT_EQ(seen.back().bytes_read, text.size());
  EXPECT_EQ(seen.back().total_bytes, text.size());
  EXPECT_EQ(seen.back().records, 8u);
  EXPECT_EQ(r->summary.bytes_read, text.size());
}

TEST(ImportFile, MissingFileIsNotFound) {
  auto r = import_file("/nonexistent/dir/file.json", Format::kBods, lenient());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), core::Code::kNotFound);
}

TEST(ImportFile, IssuesNameTheFileWithoutItsDirectory) {
  pw::testing::TempDir dir;
  pw::testing::write_file(dir / "bad.jsonl", R"({"id":"x"})"
                                             "\n");
  auto r = import_file((dir / "bad.jsonl").string(), Format::kFtm, lenient());
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->issues.size(), 1u);
  EXPECT_EQ(r->issues[0].to_string(), "bad.jsonl record 1: schema: missing");
}

TEST(ImportFormat, NamesRoundTrip) {
  for (Format f : {Format::kBods, Format::kGleif, Format::kFtm}) {
    EXPECT_EQ(parse_format(format_name(f)).value(), f);
  }
  EXPECT_FALSE(parse_format("csv").has_value());
}

}  // namespace
}  // namespace pw::formats

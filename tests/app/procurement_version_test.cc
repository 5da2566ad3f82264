// Record versions that are journal positions, checked inside the write transaction, and the
// OCDS import through the service (strict: all or nothing; lenient: per-record report).
#include <gtest/gtest.h>

#include <string>

#include "procurement_fixture.h"

namespace pw::app::testing {
namespace {

constexpr const char* kBuyer = "person:buyer-1";

std::uint64_t version_of(ProcurementService& s, const std::string& id) {
  auto d = s.show(id);
  EXPECT_TRUE(d) << d.error().to_string();
  return d ? d->version : 0;
}

bool is_stale(const core::Error& e) {
  return e.code() == core::Code::kFailedPrecondition && e.message().rfind("stale version", 0) == 0;
}

TEST_F(ProcurementTest, VersionIsTheSeqOfTheLastEventThatChangedTheProcedure) {
  import(p1());
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_EQ(version_of(*svc_, "ocds-p1"), size() - 1) << "the import's seq";
  import(procedure("ocds-other", 1'000'000, {bid("a", "acme", 990'000)}));
  EXPECT_EQ(version_of(*svc_, "ocds-p1"), size() - 2) << "another procedure changes nothing";

  SettingsChange ch;
  ch.spain = true;
  ASSERT_TRUE(svc_->configure(kBuyer, "ocds-p1", ch));
  EXPECT_EQ(version_of(*svc_, "ocds-p1"), size() - 1);

  auto a = svc_->analyse(kBuyer, "ocds-p1");
  ASSERT_TRUE(a);
  ASSERT_FALSE(a->opened_requests.empty());
  EXPECT_EQ(version_of(*svc_, "ocds-p1"), size() - 1) << "flags and requests change it";
  const auto after_analysis = version_of(*svc_, "ocds-p1");
  ASSERT_TRUE(svc_->analyse(kBuyer, "ocds-p1"));  // nothing new: nothing journaled
  EXPECT_EQ(version_of(*svc_, "ocds-p1"), after_analysis);

  // A contribution belongs to an entity; an expiry is the calendar's (shown as "overdue").
  ASSERT_TRUE(svc_->add_contribution(
      kBuyer, {"borealis", "CN", 100, "2026-01-01", "2026-06-30", "annual report"}));
  set_time("2027-02-01T09:00:00Z");
  const auto before_expiry = size();
  ASSERT_TRUE(svc_->requests(kBuyer, "ocds-p1"));
  EXPECT_GT(size(), before_expiry) << "the expiry was journaled";
  EXPECT_EQ(version_of(*svc_, "ocds-p1"), after_analysis);

  auto d =
      svc_->decide(kBuyer, "ocds-p1//c", {Decision::kAccept, std::nullopt, "fine"}, after_analysis);
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(version_of(*svc_, "ocds-p1"), size() - 1);
  auto list = svc_->list();
  ASSERT_TRUE(list);
  for (const auto& row : *list) {
    if (row.id == "ocds-p1") {
      EXPECT_EQ(row.record_version, size() - 1);
    }
  }
}

TEST_F(ProcurementTest, AStaleVersionIsRefusedInsideTheTransactionAndChangesNothing) {
  flagged_p1();
  ASSERT_FALSE(HasFatalFailure());
  const auto v = version_of(*svc_, "ocds-p1");
  // Someone else changes the procedure (another process, the CLI): v is stale now.
  SettingsChange ch;
  ch.italy = true;
  ASSERT_TRUE(svc_->configure("cli:alice", "ocds-p1", ch));
  const auto current = version_of(*svc_, "ocds-p1");
  ASSERT_NE(current, v);
  const auto before = size();

  auto c = svc_->configure(kBuyer, "ocds-p1", ch, v);
  ASSERT_FALSE(c);
  EXPECT_TRUE(is_stale(c.error())) << c.error().to_string();
  EXPECT_NE(c.error().message().find("is at version " + std::to_string(current) + ", not " +
                                     std::to_string(v)),
            std::string::npos)
      << c.error().message();
  auto r = svc_->receive_explanation(kBuyer, "ocds-p1//c", "own plant", "", v);
  ASSERT_FALSE(r);
  EXPECT_TRUE(is_stale(r.error())) << r.error().to_string();
  auto f = svc_->record_labour_law_finding(kBuyer, "ocds-p1//c", "breach", v);
  ASSERT_FALSE(f);
  EXPECT_TRUE(is_stale(f.error()));
  auto an = svc_->analyse(kBuyer, "ocds-p1", {{"spain"}}, v);
  ASSERT_FALSE(an);
  EXPECT_TRUE(is_stale(an.error())) << an.error().to_string();
  auto k = svc_->fsr_check(kBuyer, "ocds-p1", "borealis", {}, v);
  ASSERT_FALSE(k);
  EXPECT_TRUE(is_stale(k.error())) << k.error().to_string();
  auto w = svc_->award(kBuyer, "ocds-p1", "", "a", v);
  ASSERT_FALSE(w);
  EXPECT_TRUE(is_stale(w.error())) << w.error().to_string();
  EXPECT_EQ(size(), before) << "no stale change journaled anything";
  EXPECT_FALSE(svc_->analyse(kBuyer, "", {}, current)) << "a version names one procedure";

  // With the current version it goes through.
  auto ok = svc_->receive_explanation(kBuyer, "ocds-p1//c", "own plant", "", current);
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_EQ(version_of(*svc_, "ocds-p1"), size() - 1);
}

std::string bid_json(const char* id, const char* who, const char* amount) {
  return std::string(R"({"id":")") + id + R"(","status":"valid","tenderers":[{"id":")" + who +
         R"("}],"value":{"amount":)" + amount + R"(,"currency":"EUR"}})";
}
std::string release(const char* ocid, const char* amount) {
  return std::string(R"({"ocid":")") + ocid +
         R"(","tender":{"title":"Scanners","value":{"amount":1000000,"currency":"EUR"}},)"
         R"("bids":{"details":[)" +
         bid_json("a", "acme", "990000") + "," + bid_json("b", "nuctech", amount) + "]}}";
}

TEST_F(ProcurementTest, ImportOcdsStrictStoresNothingOnABadRelease) {
  const std::string lines = release("ocds-a", "1010000") + "\n" + release("ocds-b", "-3") + "\n";
  const auto before = size();
  auto r = svc_->import_ocds(kBuyer, lines, "upload.jsonl", true);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::Code::kInvalidArgument) << r.error().to_string();
  const std::string m = r.error().message();
  EXPECT_NE(m.find("upload.jsonl"), std::string::npos) << m;
  EXPECT_NE(m.find("record 2"), std::string::npos) << m;
  EXPECT_NE(m.find("bids.details[1].value.amount"), std::string::npos) << m;
  EXPECT_EQ(size(), before) << "strict: the good release is not stored either";
  EXPECT_FALSE(svc_->show("ocds-a"));
  const std::string twice =
      release("ocds-a", "1010000") + "\n" + release("ocds-a", "1020000") + "\n";
  auto dup = svc_->import_ocds(kBuyer, twice, "twice.jsonl", true);
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().message().find("record 2"), std::string::npos) << dup.error().message();
  EXPECT_EQ(size(), before) << "an ocid given twice: nothing stored";
  EXPECT_FALSE(svc_->import_ocds(kBuyer, "", "empty.jsonl", true)) << "no release at all";
  EXPECT_FALSE(svc_->import_ocds("", lines, "upload.jsonl", false)) << "no actor";
}

TEST_F(ProcurementTest, ImportOcdsLenientReportsPerRecordAndStoresTheGoodOnes) {
  const std::string package = R"({"uri":"x","releases":[)" + release("ocds-a", "1010000") + "," +
                              release("ocds-b", "-3") + "]}";
  auto r = svc_->import_ocds(kBuyer, package, "package.json", false);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r->summary.package);
  EXPECT_EQ(r->import.stored, 1);
  EXPECT_EQ(r->summary.releases_skipped, 1u);
  ASSERT_EQ(r->issues.size(), 1u);
  EXPECT_EQ(r->issues[0].record, 2u);
  EXPECT_NE(r->issues[0].field.find("amount"), std::string::npos) << r->issues[0].to_string();
  EXPECT_FALSE(r->complete());
  EXPECT_TRUE(svc_->show("ocds-a"));
  EXPECT_FALSE(svc_->show("ocds-b"));
  auto j = r->to_json();
  EXPECT_EQ(j["stored"], 1);
  EXPECT_EQ(j["issues"][0]["record"], 2);

  // The same input again: unchanged, nothing journaled; complete once the bad one is fixed.
  const auto before = size();
  auto again = svc_->import_ocds(kBuyer, release("ocds-a", "1010000"), "again.json", true);
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_EQ(again->import.unchanged, 1);
  EXPECT_TRUE(again->complete());
  EXPECT_EQ(size(), before);
}

}  // namespace
}  // namespace pw::app::testing

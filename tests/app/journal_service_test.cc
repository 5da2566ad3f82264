#include "app/journal_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "app/audit.h"
#include "support/test_support.h"

namespace pw::app {
namespace {

using pw::testing::TempDir;

constexpr core::Timestamp kStart{1'764'000'000'000'000};  // 2025-11-24, fixed for the test

class JournalServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    paths_ = {(dir_ / "j.db").string(), (dir_ / "j.key").string()};
    auto init = init_journal(paths_, "test.example/log", clock_);
    ASSERT_TRUE(init.has_value()) << init.error().to_string();
    auto s = JournalService::open(paths_, clock_);
    ASSERT_TRUE(s.has_value()) << s.error().to_string();
    svc_ = std::move(*s);
  }

  TempDir dir_;
  core::FakeClock clock_{kStart};
  JournalPaths paths_;
  std::unique_ptr<JournalService> svc_;
};

TEST_F(JournalServiceTest, FirstEntryRecordsTheOriginAndKey) {
  auto p = svc_->inclusion_proof(0, std::nullopt);
  ASSERT_TRUE(p.has_value());
  EXPECT_NE(p->entry.find("\"type\":\"journal.initialized\""), std::string::npos);
  EXPECT_NE(p->entry.find("test.example/log+"), std::string::npos);
}

TEST_F(JournalServiceTest, ConcurrentAppendsGetDistinctContiguousSequenceNumbers) {
  constexpr int kThreads = 16, kEach = 40;
  std::vector<std::thread> threads;
  std::vector<std::vector<std::uint64_t>> seqs(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto a = svc_->append({"ops.test_event", "t" + std::to_string(t), {{"i", i}}});
        ASSERT_TRUE(a.has_value()) << a.error().to_string();
        seqs[t].push_back(a->seq);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::vector<bool> seen(kThreads * kEach + 1, false);
  for (const auto& v : seqs) {
    for (std::size_t i = 1; i < v.size(); ++i) EXPECT_LT(v[i - 1], v[i]);  // per-thread order
    for (auto s : v) {
      ASSERT_LT(s, seen.size());
      EXPECT_FALSE(seen[s]);
      seen[s] = true;
    }
  }
  EXPECT_EQ(*svc_->size(), static_cast<std::uint64_t>(kThreads * kEach + 1));
  auto report = svc_->verify({});
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->ok()) << report->problems.front().where << report->problems.front().what;
}

TEST_F(JournalServiceTest, AFailingCommandLeavesNoTraceAndOthersInTheBatchCommit) {
  std::atomic<int> ok_count{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto r =
          svc_->execute([t](store::ViewAccess& views) -> core::Result<std::vector<EventDraft>> {
            // Writes a view, then fails for odd t: the view write must be rolled back too.
            PW_TRY(views.put_view("scratch", std::to_string(t), "{}"));
            if (t % 2 == 1) return core::failed_precondition("odd commands fail");
            return std::vector<EventDraft>{{"ops.test_event", "t", {{"t", t}}},
                                           {"ops.test_event", "t", {{"t", t}, {"second", true}}}};
          });
      if (r.has_value()) {
        EXPECT_EQ(r->size(), 2u);
        EXPECT_EQ((*r)[1].seq, (*r)[0].seq + 1);  // a command's events are contiguous
        ++ok_count;
      } else {
        EXPECT_EQ(r.error().code(), core::Code::kFailedPrecondition);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok_count, 4);
  EXPECT_EQ(*svc_->size(), 9u);
  for (int t = 0; t < 8; ++t) {
    EXPECT_EQ(svc_->get_view("scratch", std::to_string(t))->has_value(), t % 2 == 0) << t;
  }
}

TEST_F(JournalServiceTest, InvalidEventInACommandRejectsTheWholeCommand) {
  auto r = svc_->execute([](store::ViewAccess&) -> core::Result<std::vector<EventDraft>> {
    return std::vector<EventDraft>{{"ops.good", "a", {}}, {"Bad Type", "a", {}}};
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(*svc_->size(), 1u);
  auto next = svc_->append({"ops.good", "a", {}});
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->seq, 1u);  // the failed command's seq was not consumed
}

TEST_F(JournalServiceTest, EntryTimesNeverGoBackwardsEvenIfTheClockDoes) {
  clock_.advance_micros(5'000'000);
  auto a = svc_->append({"ops.test_event", "a", {}});
  clock_.advance_micros(-60'000'000);
  auto b = svc_->append({"ops.test_event", "a", {}});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->time, b->time);
  EXPECT_EQ(a->time, core::format_rfc3339({kStart.micros + 5'000'000}));
}

TEST_F(JournalServiceTest, CheckpointIsSignedOnlyWhenTheTreeGrew) {
  auto c1 = svc_->checkpoint();
  ASSERT_TRUE(c1.has_value());
  EXPECT_TRUE(c1->created);
  auto c2 = svc_->checkpoint();
  ASSERT_TRUE(c2.has_value());
  EXPECT_FALSE(c2->created);
  EXPECT_EQ(c1->note, c2->note);
  ASSERT_TRUE(svc_->append({"ops.test_event", "a", {}}));
  auto c3 = svc_->checkpoint();
  EXPECT_TRUE(c3->created);
  EXPECT_EQ(c3->size, 2u);
}

TEST_F(JournalServiceTest, ProofsMatchTheCheckpointRoot) {
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(svc_->append({"ops.test_event", "a", {{"i", i}}}));
  auto cp = svc_->checkpoint();
  ASSERT_TRUE(cp.has_value());
  for (std::uint64_t index : {0u, 1u, 15u, 30u}) {
    auto p = svc_->inclusion_proof(index, cp->size);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->root, cp->root);
    EXPECT_EQ(p->leaf_hash, entry_leaf_hash(p->entry));
    EXPECT_TRUE(check_inclusion(index, cp->size, p->leaf_hash, p->root, p->proof).valid);
  }
  auto c = svc_->consistency_proof(7, cp->size);
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(check_consistency(7, cp->size, c->root1, c->root2, c->proof).valid);
}

TEST_F(JournalServiceTest, TwoServicesOnOneDatabaseStayConsistent) {
  // As two CLI processes would: each appends; the tip is reloaded when the other moved it.
  auto other = JournalService::open(paths_, clock_);
  ASSERT_TRUE(other.has_value());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(svc_->append({"ops.a", "a", {}}));
    ASSERT_TRUE((*other)->append({"ops.b", "b", {}}));
  }
  auto report = svc_->verify({});
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->entries, 11u);
}

TEST_F(JournalServiceTest, VerifySeesOneSnapshotWhileAnotherProcessAppends) {
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(svc_->append({"ops.a", "a", {}}));
  auto writer = JournalService::open(paths_, clock_);
  ASSERT_TRUE(writer.has_value());
  std::atomic<bool> stop{false};
  std::thread t([&] {
    while (!stop) {
      auto a = (*writer)->append({"operator.note", "w", {{"text", "concurrent"}}});
      ASSERT_TRUE(a.has_value()) << a.error().to_string();
    }
  });
  for (int round = 0; round < 10; ++round) {
    auto report = svc_->verify({});
    ASSERT_TRUE(report.has_value()) << report.error().to_string();
    EXPECT_TRUE(report->ok()) << report->problems.front().where << " "
                              << report->problems.front().what;
  }
  stop = true;
  t.join();
}

TEST_F(JournalServiceTest, ReplayRebuildsIdenticalViews) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(svc_->append({"operator.note", "op", {{"text", "n" + std::to_string(i)}}}));
  }
  auto before = svc_->get_view("note", "3");
  ASSERT_TRUE(before.has_value() && before->has_value());
  EXPECT_NE((*before)->find("\"text\":\"n2\""), std::string::npos) << **before;
  ASSERT_TRUE(svc_->replay({}));
  EXPECT_EQ(*svc_->get_view("note", "3"), *before);
  EXPECT_TRUE(svc_->verify({})->ok());
}

}  // namespace
}  // namespace pw::app

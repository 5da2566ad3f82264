#include "app/change_notifier.h"

#include <gtest/gtest.h>

#include <memory>

namespace pw::app {
namespace {

TEST(ChangeNotifier, CallsEveryLiveSubscriberAndNoneAfterReset) {
  ChangeNotifier n;
  int a = 0, b = 0;
  auto sa = n.subscribe([&] { ++a; });
  auto sb = n.subscribe([&] { ++b; });
  n.notify();
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 1);
  sa.reset();
  n.notify();
  EXPECT_EQ(a, 1) << "reset() unsubscribes";
  EXPECT_EQ(b, 2);
  {
    ChangeNotifier::Subscription moved = std::move(sb);
    n.notify();
    EXPECT_EQ(b, 3) << "a moved subscription stays subscribed";
  }
  n.notify();
  EXPECT_EQ(b, 3) << "its destructor unsubscribes";
  EXPECT_EQ(n.generation(), 4u);
}

TEST(ChangeNotifier, AThrowingListenerDoesNotStopTheOthers) {
  ChangeNotifier n;
  int calls = 0;
  auto s1 = n.subscribe([] { throw std::runtime_error("listener failed"); });
  auto s2 = n.subscribe([&] { ++calls; });
  n.notify();
  EXPECT_EQ(calls, 1);
}

TEST(ChangeNotifier, SubscriptionMayOutliveTheNotifier) {
  auto n = std::make_unique<ChangeNotifier>();
  int calls = 0;
  auto s = n->subscribe([&] { ++calls; });
  n->notify();
  n.reset();
  s.reset();  // must not touch the destroyed notifier
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace pw::app

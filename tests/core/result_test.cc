#include "core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace pw::core {
namespace {

Status fails_with(Code code) {
  return fail(code, "boom");
}
Status succeeds() {
  return ok();
}
Result<int> number(bool good) {
  if (!good) return invalid_argument("no number");
  return 7;
}
Result<std::unique_ptr<int>> boxed(bool good) {
  if (!good) return not_found("no box");
  return std::make_unique<int>(11);
}

TEST(Result, CodeNamesAreTheCanonicalOnes) {
  EXPECT_EQ(code_name(Code::kOk), "ok");
  EXPECT_EQ(code_name(Code::kInvalidArgument), "invalid_argument");
  EXPECT_EQ(code_name(Code::kNotFound), "not_found");
  EXPECT_EQ(code_name(Code::kAlreadyExists), "already_exists");
  EXPECT_EQ(code_name(Code::kFailedPrecondition), "failed_precondition");
  EXPECT_EQ(code_name(Code::kPermissionDenied), "permission_denied");
  EXPECT_EQ(code_name(Code::kUnauthenticated), "unauthenticated");
  EXPECT_EQ(code_name(Code::kUnavailable), "unavailable");
  EXPECT_EQ(code_name(Code::kDataLoss), "data_loss");
  EXPECT_EQ(code_name(Code::kInternal), "internal");
}

TEST(Result, HelpersSetTheirCode) {
  EXPECT_EQ(Status(invalid_argument("m")).error().code(), Code::kInvalidArgument);
  EXPECT_EQ(Status(not_found("m")).error().code(), Code::kNotFound);
  EXPECT_EQ(Status(already_exists("m")).error().code(), Code::kAlreadyExists);
  EXPECT_EQ(Status(failed_precondition("m")).error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(Status(permission_denied("m")).error().code(), Code::kPermissionDenied);
  EXPECT_EQ(Status(unavailable("m")).error().code(), Code::kUnavailable);
  EXPECT_EQ(Status(data_loss("m")).error().code(), Code::kDataLoss);
  EXPECT_EQ(Status(internal_error("m")).error().code(), Code::kInternal);
  EXPECT_TRUE(ok().has_value());
}

TEST(Result, ErrorToStringAndContext) {
  const Error e(Code::kInvalidArgument, "payload.amount: floats are not allowed");
  EXPECT_EQ(e.to_string(), "invalid_argument: payload.amount: floats are not allowed");
  const Error c = e.with_context("event 12");
  EXPECT_EQ(c.code(), Code::kInvalidArgument);
  EXPECT_EQ(c.message(), "event 12: payload.amount: floats are not allowed");
  EXPECT_EQ(e.message(), "payload.amount: floats are not allowed");  // original unchanged
}

Status try_twice(bool first_ok, bool second_ok, int* reached) {
  PW_TRY(first_ok ? succeeds() : fails_with(Code::kUnavailable));
  *reached = 1;
  PW_TRY(second_ok ? succeeds() : fails_with(Code::kDataLoss));
  *reached = 2;
  return ok();
}

TEST(Result, PwTryPropagatesTheFirstError) {
  int reached = 0;
  EXPECT_TRUE(try_twice(true, true, &reached).has_value());
  EXPECT_EQ(reached, 2);

  reached = 0;
  Status s = try_twice(false, true, &reached);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), Code::kUnavailable);
  EXPECT_EQ(s.error().message(), "boom");
  EXPECT_EQ(reached, 0);

  reached = 0;
  s = try_twice(true, false, &reached);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), Code::kDataLoss);
  EXPECT_EQ(reached, 1);
}

// A PW_TRY inside a lambda inside a PW_TRY: the temporaries must not shadow each other
// (-Wshadow is an error here), and the inner error must come out of the outer one.
Status nested_try(bool good) {
  PW_TRY([&]() -> Status {
    PW_TRY(good ? succeeds() : fails_with(Code::kInternal));
    return ok();
  }());
  return ok();
}

TEST(Result, NestedPwTryPropagates) {
  EXPECT_TRUE(nested_try(true).has_value());
  Status s = nested_try(false);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), Code::kInternal);
}

Result<std::string> try_result_in_result(bool good) {
  PW_TRY(number(good));  // a Result<int> inside a function returning Result<std::string>
  Status lvalue = good ? succeeds() : fails_with(Code::kInternal);
  PW_TRY(lvalue);
  return std::string("fine");
}

TEST(Result, PwTryWorksAcrossResultTypes) {
  auto good = try_result_in_result(true);
  ASSERT_TRUE(good.has_value());
  EXPECT_EQ(*good, "fine");
  auto bad = try_result_in_result(false);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(bad.error().message(), "no number");
}

Result<int> sum(bool a_ok, bool b_ok) {
  PW_ASSIGN_OR_RETURN(int a, number(a_ok));
  PW_ASSIGN_OR_RETURN(std::unique_ptr<int> b, boxed(b_ok));  // move-only value
  int c = 0;
  PW_ASSIGN_OR_RETURN(c, number(true));  // assigns to an existing variable
  return a + *b + c;
}

TEST(Result, AssignOrReturnAssignsOrPropagates) {
  auto both = sum(true, true);
  ASSERT_TRUE(both.has_value());
  EXPECT_EQ(*both, 7 + 11 + 7);

  auto first_bad = sum(false, true);
  ASSERT_FALSE(first_bad.has_value());
  EXPECT_EQ(first_bad.error().code(), Code::kInvalidArgument);

  auto second_bad = sum(true, false);
  ASSERT_FALSE(second_bad.has_value());
  EXPECT_EQ(second_bad.error().code(), Code::kNotFound);
  EXPECT_EQ(second_bad.error().message(), "no box");
}

Status assign_in_status_function(bool good, int* out) {
  PW_ASSIGN_OR_RETURN(*out, number(good));
  return ok();
}

TEST(Result, AssignOrReturnWorksInStatusFunctions) {
  int out = 0;
  EXPECT_TRUE(assign_in_status_function(true, &out).has_value());
  EXPECT_EQ(out, 7);
  out = 0;
  Status s = assign_in_status_function(false, &out);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message(), "no number");
  EXPECT_EQ(out, 0);
}

}  // namespace
}  // namespace pw::core

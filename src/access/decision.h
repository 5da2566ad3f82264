#pragma once
// A decision of the access engine and every rule it checked (issue 5: "every decision returns
// every rule checked, with pass or fail and the reason, so a deny is always explained"). The
// engine never stops at the first failure: it evaluates every rule that can be evaluated and
// lists them in the order checked. A rule that depends on a record that does not exist (the
// screening of a person not in the register) is reported as failed with that reason rather than
// left out.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace pw::access {

struct Check {
  std::string rule;     // stable name, e.g. "screening.valid", "approver.not_vendor"
  std::string subject;  // what it was checked for (a person, asset, request id); may be empty
  bool pass = false;
  std::string reason;  // one sentence, for pass and fail alike
  friend bool operator==(const Check&, const Check&) = default;
};

struct Decision {
  std::string command;  // "request_visit", "approve", ...
  std::vector<Check> checks;

  // Allowed when at least one rule was checked and none failed (an empty decision denies:
  // fail closed).
  bool allowed() const;
  // Records a check; returns `ok` so callers can branch on it.
  bool check(bool ok, std::string rule, std::string subject, std::string reason);
  bool pass(std::string rule, std::string subject, std::string reason) {
    return check(true, std::move(rule), std::move(subject), std::move(reason));
  }
  bool fail(std::string rule, std::string subject, std::string reason) {
    return check(false, std::move(rule), std::move(subject), std::move(reason));
  }
  std::vector<Check> failures() const;
  // The first check of `rule` (and `subject` when given), or nullptr.
  const Check* find(std::string_view rule, std::string_view subject = {}) const;
  // "denied: rule (subject): reason; ..." over the failures, or "allowed".
  std::string summary() const;
};

// {"command", "allowed", "checks": [{"rule", "subject", "pass", "reason"}]}
nlohmann::json decision_to_json(const Decision& d);

}  // namespace pw::access

#include "access/decision.h"

#include <utility>

namespace pw::access {

bool Decision::allowed() const {
  if (checks.empty()) return false;
  for (const Check& c : checks) {
    if (!c.pass) return false;
  }
  return true;
}

bool Decision::check(bool ok, std::string rule, std::string subject, std::string reason) {
  checks.push_back(Check{std::move(rule), std::move(subject), ok, std::move(reason)});
  return ok;
}

std::vector<Check> Decision::failures() const {
  std::vector<Check> out;
  for (const Check& c : checks) {
    if (!c.pass) out.push_back(c);
  }
  return out;
}

const Check* Decision::find(std::string_view rule, std::string_view subject) const {
  for (const Check& c : checks) {
    if (c.rule == rule && (subject.empty() || c.subject == subject)) return &c;
  }
  return nullptr;
}

std::string Decision::summary() const {
  if (allowed()) return "allowed";
  std::string out = "denied";
  bool first = true;
  for (const Check& c : checks) {
    if (c.pass) continue;
    out += first ? ": " : "; ";
    first = false;
    out += c.rule;
    if (!c.subject.empty()) out += " (" + c.subject + ")";
    out += ": " + c.reason;
  }
  if (checks.empty()) out += ": no rule was checked";
  return out;
}

nlohmann::json decision_to_json(const Decision& d) {
  nlohmann::json checks = nlohmann::json::array();
  for (const Check& c : d.checks) {
    checks.push_back(
        {{"rule", c.rule}, {"subject", c.subject}, {"pass", c.pass}, {"reason", c.reason}});
  }
  return {{"command", d.command}, {"allowed", d.allowed()}, {"checks", std::move(checks)}};
}

}  // namespace pw::access

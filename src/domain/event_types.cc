#include "domain/event_types.h"

#include <algorithm>

#include "domain/access.h"
#include "domain/assessment.h"
#include "domain/procurement_workflow.h"
#include "domain/register.h"

namespace pw::domain {
namespace {

core::Status require_string(const nlohmann::json& payload, const char* field, bool required,
                            std::size_t max_len) {
  auto it = payload.find(field);
  if (it == payload.end()) {
    if (!required) return core::ok();
    return core::invalid_argument(std::string("payload.") + field + " is required");
  }
  if (!it->is_string()) {
    return core::invalid_argument(std::string("payload.") + field + " must be a string");
  }
  const auto& s = it->get_ref<const std::string&>();
  if (required && s.empty()) {
    return core::invalid_argument(std::string("payload.") + field + " must not be empty");
  }
  if (s.size() > max_len) {
    return core::invalid_argument(std::string("payload.") + field + " is longer than " +
                                  std::to_string(max_len) + " bytes");
  }
  return core::ok();
}

// Lower-case hex of min..max digits.
core::Status require_hex(const nlohmann::json& payload, const char* field, std::size_t min,
                         std::size_t max) {
  PW_TRY(require_string(payload, field, true, max));
  const auto& s = payload[field].get_ref<const std::string&>();
  const bool hex = std::all_of(
      s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
  if (!hex || s.size() < min) {
    return core::invalid_argument(std::string("payload.") + field + " must be " +
                                  std::to_string(min) + " to " + std::to_string(max) +
                                  " lower-case hex digits");
  }
  return core::ok();
}

core::Status require_time(const nlohmann::json& payload, const char* field) {
  PW_TRY(require_string(payload, field, true, 40));
  if (auto t = core::parse_rfc3339(payload[field].get_ref<const std::string&>()); !t) {
    return std::unexpected(t.error().with_context(std::string("payload.") + field));
  }
  return core::ok();
}

// An access.* payload carries the records the change produced (access/state.h apply_event):
// each one present must read as its record.
core::Status validate_access_payload(const nlohmann::json& payload) {
  auto check = [&](const char* key, auto parse) -> core::Status {
    auto it = payload.find(key);
    if (it == payload.end()) return core::ok();
    auto r = parse(*it);
    if (!r) return std::unexpected(r.error().with_context(std::string("payload.") + key));
    return core::ok();
  };
  PW_TRY(check("permit", permit_from_json));
  PW_TRY(check("request", request_from_json));
  PW_TRY(check("grant", grant_from_json));
  PW_TRY(check("from", grant_from_json));
  PW_TRY(check("to", grant_from_json));
  PW_TRY(check("suspension", suspension_from_json));
  PW_TRY(check("freeze", asset_freeze_from_json));
  if (auto g = payload.find("grants"); g != payload.end()) {
    if (!g->is_array()) return core::invalid_argument("payload.grants must be an array");
    for (const auto& x : *g) {
      auto r = grant_from_json(x);
      if (!r) return std::unexpected(r.error().with_context("payload.grants"));
    }
  }
  return core::ok();
}

// A tender.* payload carries the record its view is built from; each must read back.
core::Status validate_tender_payload(std::string_view type, const nlohmann::json& payload) {
  auto need = [&](const char* key, auto parse) -> core::Status {
    auto it = payload.find(key);
    if (it == payload.end()) {
      return core::invalid_argument(std::string("payload.") + key + " is required");
    }
    auto r = parse(*it);
    if (!r) return std::unexpected(r.error().with_context(std::string("payload.") + key));
    return core::ok();
  };
  if (type == kTenderImported) return need("procedure", procedure_from_json);
  if (type == kTenderConfigured) {
    PW_TRY(require_string(payload, "procedure", true, 512));
    return need("settings", settings_from_json);
  }
  if (type == kTenderFlagged) return need("flag", flag_from_json);
  if (type == kTenderExplanationRequested || type == kTenderExplanationReceived ||
      type == kTenderExplanationExpired || type == kTenderFindingRecorded ||
      type == kTenderDecided) {
    return need("request", explanation_request_from_json);
  }
  if (type == kTenderFsrContribution) return need("contribution", contribution_from_json);
  if (type == kTenderFsrChecked || type == kTenderFsrNotified || type == kTenderFsrReview) {
    return need("case", fsr_case_from_json);
  }
  if (type == kTenderAwarded) {
    auto a = payload.find("award");
    if (a == payload.end() || !a->is_object()) {
      return core::invalid_argument("payload.award must be an object");
    }
    for (const char* f : {"procedure", "bid"}) PW_TRY(require_string(*a, f, true, 512));
    return core::ok();
  }
  return core::ok();  // other tender.* types are generic events
}

}  // namespace

bool is_assessment_event(std::string_view type) {
  return type == kAssessmentCreated || type == kAssessmentJudged || type == kAssessmentSignedOff ||
         type == kAssessmentStale || type == kAssessmentRefreshed || type == kAssessmentRevised;
}

bool is_tender_event(std::string_view type) {
  return type.starts_with("tender.");
}

core::Status validate_payload(std::string_view type, const nlohmann::json& payload) {
  if (!payload.is_object()) return core::invalid_argument("payload must be a JSON object");
  if (is_tender_event(type)) {
    PW_TRY(validate_tender_payload(type, payload));
  } else if (type == kOperatorNote) {
    PW_TRY(require_string(payload, "text", true, 16 * 1024));
    PW_TRY(require_string(payload, "subject", false, 256));
  } else if (type == kOwnershipImported) {
    PW_TRY(require_string(payload, "file", true, 4096));
    PW_TRY(require_string(payload, "format", true, 16));
    PW_TRY(require_string(payload, "sha256", true, 64));
    if (payload["sha256"].get_ref<const std::string&>().size() != 64) {
      return core::invalid_argument("payload.sha256 must be 64 hex digits");
    }
  } else if (type == kRegisterPut) {
    PW_TRY(require_string(payload, "table", true, 64));
    PW_TRY(require_string(payload, "id", true, 256));
    PW_ASSIGN_OR_RETURN(Table table, parse_table(payload["table"].get_ref<const std::string&>()));
    auto record = payload.find("record");
    if (record == payload.end() || !record->is_object()) {
      return core::invalid_argument("payload.record must be an object");
    }
    Register scratch;
    if (auto st = put_record_json(scratch, table, *record); !st) {
      return std::unexpected(st.error().with_context("payload.record"));
    }
    auto rid = record->find("id");
    if (rid == record->end() || *rid != payload["id"]) {
      return core::invalid_argument("payload.record.id must equal payload.id");
    }
  } else if (type == kFindingAccepted || type == kFindingResolved || type == kFindingReopened) {
    PW_TRY(require_string(payload, "finding", true, 512));
    PW_TRY(require_string(payload, "reason", true, 4096));
  } else if (is_assessment_event(type)) {
    auto a = payload.find("assessment");
    if (a == payload.end()) return core::invalid_argument("payload.assessment is required");
    auto parsed = assessment_from_json(*a);
    if (!parsed) return std::unexpected(parsed.error().with_context("payload.assessment"));
  } else if (type == kMitigationStatus) {
    PW_TRY(require_string(payload, "supplier", true, 256));
    auto m = payload.find("mitigation");
    if (m == payload.end()) return core::invalid_argument("payload.mitigation is required");
    auto parsed = mitigation_state_from_json(*m);
    if (!parsed) return std::unexpected(parsed.error().with_context("payload.mitigation"));
  } else if (type == kAccountCreated) {
    PW_TRY(require_string(payload, "username", true, 64));
    PW_TRY(require_string(payload, "person", false, 256));
    auto roles = payload.find("roles");
    if (roles == payload.end() || !roles->is_array() || roles->empty()) {
      return core::invalid_argument("payload.roles must be a non-empty array");
    }
    for (const auto& r : *roles) {
      if (!r.is_string()) return core::invalid_argument("payload.roles must hold strings");
    }
  } else if (type == kAccountPasswordSet || type == kAccountDisabled) {
    PW_TRY(require_string(payload, "username", true, 64));
  } else if (type == kAuthLogin || type == kAuthLoginFailed) {
    PW_TRY(require_string(payload, "username", false, 64));
    PW_TRY(require_string(payload, "remote", false, 64));
  } else if (type == kTokenIssued) {
    PW_TRY(require_string(payload, "id", true, 16));
    PW_TRY(require_string(payload, "username", true, 64));
    PW_TRY(require_string(payload, "expires", true, 40));
  } else if (type == kTokenRevoked) {
    PW_TRY(require_string(payload, "id", true, 16));
  } else if (type == kAccessGrantCertificateIssued) {
    PW_TRY(require_string(payload, "grant", true, 256));
    PW_TRY(require_hex(payload, "serial", 2, 64));
    PW_TRY(require_hex(payload, "sha256", 64, 64));
    PW_TRY(require_time(payload, "not_before"));
    PW_TRY(require_time(payload, "not_after"));
    PW_TRY(require_string(payload, "key_source", true, 16));
    const auto& k = payload["key_source"].get_ref<const std::string&>();
    if (k != "csr" && k != "generated") {
      return core::invalid_argument("payload.key_source must be 'csr' or 'generated'");
    }
  } else if (type == kGatewaySessionOpened) {
    for (const char* f : {"session", "gateway", "grant", "person", "vendor", "asset", "upstream"}) {
      PW_TRY(require_string(payload, f, true, 256));
    }
    PW_TRY(require_string(payload, "remote", false, 256));
    PW_TRY(require_string(payload, "serial", false, 64));
    PW_TRY(require_time(payload, "grant_end"));
  } else if (type == kGatewaySessionRefused) {
    PW_TRY(require_string(payload, "gateway", true, 256));
    PW_TRY(require_string(payload, "asset", false, 256));
    PW_TRY(require_string(payload, "remote", false, 256));
    auto r = payload.find("reasons");
    if (r == payload.end() || !r->is_array() || r->empty()) {
      return core::invalid_argument("payload.reasons must be a non-empty array");
    }
    for (const auto& x : *r) {
      if (!x.is_string()) return core::invalid_argument("payload.reasons must hold strings");
    }
  } else if (type == kGatewaySessionWarned) {
    PW_TRY(require_string(payload, "session", true, 256));
    PW_TRY(require_string(payload, "message", true, 4096));
  } else if (type == kGatewaySessionKillRequested) {
    PW_TRY(require_string(payload, "session", true, 256));
    PW_TRY(require_string(payload, "reason", true, 4096));
  } else if (type == kGatewaySessionKillOrdered) {
    for (const char* f : {"session", "gateway", "cause", "reason"}) {
      PW_TRY(require_string(payload, f, true, f == std::string_view("reason") ? 4096 : 256));
    }
    for (const char* f : {"grant", "person", "vendor", "asset"}) {
      PW_TRY(require_string(payload, f, false, 256));
    }
  } else if (type == kGatewaySessionClosed) {
    PW_TRY(require_string(payload, "session", true, 256));
    PW_TRY(require_string(payload, "reason", true, 4096));
    for (const char* f : {"bytes_up", "bytes_down"}) {
      auto it = payload.find(f);
      if (it == payload.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0) {
        return core::invalid_argument(std::string("payload.") + f +
                                      " must be a non-negative integer");
      }
    }
    PW_TRY(require_string(payload, "manifest_sha256", false, 64));
    const auto& m = payload.value("manifest_sha256", std::string());
    if (!m.empty()) PW_TRY(require_hex(payload, "manifest_sha256", 64, 64));
    if (payload.contains("recording_error")) {
      PW_TRY(require_string(payload, "recording_error", true, 4096));
    }
  } else if (type.substr(0, 7) == "access.") {
    PW_TRY(validate_access_payload(payload));
  } else if (type == kJournalInitialized) {
    PW_TRY(require_string(payload, "origin", true, 256));
    PW_TRY(require_string(payload, "verifier_key", true, 512));
  }
  return core::ok();
}

}  // namespace pw::domain

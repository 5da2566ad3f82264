#pragma once
// The ownership-and-control model (DESIGN.md: Ownership and control, seed Q7): entities and the
// ownership-or-control edges between them, as importers produce them (formats/) and the
// ownership engine (ownership/) computes over them. Values only; no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace pw::domain {

enum class EntityKind {
  kCompany,
  kPerson,
  kState,      // a sovereign state itself (e.g. "the People's Republic of China")
  kStateBody,  // a body of a state: ministry, SASAC, sovereign fund, state agency
  kUnknown,    // undisclosed owners, free float, unknown persons
};

std::string_view entity_kind_name(EntityKind kind);  // "company", "person", ...
core::Result<EntityKind> parse_entity_kind(std::string_view name);

// An identifier from a register: scheme (lowercase, e.g. "lei", "gb-coh", "cn-uscc") and value.
struct Identifier {
  std::string scheme;
  std::string value;
  friend bool operator==(const Identifier&, const Identifier&) = default;
};

// A calendar date (proleptic Gregorian), comparable; days since 1970-01-01.
struct Date {
  std::int32_t days = 0;
  friend auto operator<=>(const Date&, const Date&) = default;
};
core::Result<Date> parse_date(std::string_view iso);  // "YYYY-MM-DD" (a longer RFC 3339 is cut)
std::string format_date(Date d);

struct Entity {
  std::string id;  // unique in the dataset; importers prefix it with the source, e.g. "bods:..."
  EntityKind kind = EntityKind::kCompany;
  std::string name;
  // ISO 3166-1 alpha-2 (uppercase) of the jurisdiction; for a state or state body, the state
  // it belongs to. Empty when unknown.
  std::string country;
  std::vector<Identifier> identifiers;
  std::string source;  // file and record, e.g. "bods-package.json#12"
};

// A share as a fraction of 1. Exact when min == max and neither bound is exclusive. An unknown
// share is [0, 1] with `known` false: it is never turned into a made-up point value.
struct Share {
  double min = 0.0;
  double max = 1.0;
  bool min_exclusive = false;
  bool max_exclusive = false;
  bool known = false;

  static Share exact(double v) { return {v, v, false, false, true}; }
  static Share range(double lo, double hi, bool lo_excl = false, bool hi_excl = false) {
    return {lo, hi, lo_excl, hi_excl, true};
  }
  static Share unknown() { return {}; }
  bool is_exact() const { return known && min == max && !min_exclusive && !max_exclusive; }
};

enum class Interest {
  kShareholding,        // economic: counts in integrated ownership
  kVotingRights,        // control
  kBoardAppointment,    // control (right to appoint or remove board members)
  kOtherInfluence,      // other influence or control
  kDeclaredController,  // a declared controlling party (e.g. BODS, a register's "PSC")
  kConsolidation,       // accounting consolidation (GLEIF IS_DIRECTLY_CONSOLIDATED_BY): no share
  kUltimateParent,      // a shortcut to the ultimate parent (GLEIF): never summed with paths
};

std::string_view interest_name(Interest interest);
core::Result<Interest> parse_interest(std::string_view name);

struct Edge {
  std::string owner;  // Entity::id
  std::string owned;  // Entity::id
  Interest interest = Interest::kShareholding;
  Share share;
  // A statement of indirect ownership (BODS directOrIndirect = "indirect") summarises paths the
  // graph may already hold; it is kept for explanation but not summed into the direct matrix.
  bool direct = true;
  std::optional<Date> start;  // valid from (inclusive)
  std::optional<Date> end;    // valid until (exclusive)
  std::string source;

  bool valid_on(Date d) const { return (!start || *start <= d) && (!end || d < *end); }
};

struct OwnershipDataset {
  std::vector<Entity> entities;
  std::vector<Edge> edges;
};

// Checks a share: 0 <= min <= max <= 1, finite, bounds consistent. Errors name the problem.
core::Status validate_share(const Share& s);

}  // namespace pw::domain

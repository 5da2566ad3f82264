#pragma once
// Country profiles (issue 4 item 3; seed Q6 criteria 1 and 2, Q3's Dreigingsbeeld Statelijke
// Actoren): what the assessment needs to know about a country, each statement with its sources
// and the date it speaks of, and how sure the file's author was. Shipped as data/countries.toml
// (formats/countries.h reads it) and editable by the user. Values only; no I/O.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/ownership.h"  // Date, Identifier

namespace pw::domain {

enum class Confidence { kHigh, kMedium, kLow };
std::string_view confidence_name(Confidence c);  // "high", "medium", "low"
core::Result<Confidence> parse_confidence(std::string_view s);

struct ProfileSource {
  std::string title;  // "Dreigingsbeeld Statelijke Actoren 2021 (NCTV, AIVD, MIVD)"
  std::string url;    // may be empty
  Date as_of;         // the date the source speaks of (publication or entry into force)
  friend bool operator==(const ProfileSource&, const ProfileSource&) = default;
};

// What every statement carries besides its value: a summary in one or two sentences, how sure
// it is, and at least one source.
struct StatementBasis {
  std::string summary;
  Confidence confidence = Confidence::kLow;
  std::vector<ProfileSource> sources;  // at least one
  friend bool operator==(const StatementBasis&, const StatementBasis&) = default;
};

// Whether a law obliges companies or citizens to cooperate with the state's intelligence or
// military bodies (criterion 1).
//  - general:  any organisation or citizen (China's National Intelligence Law 2017, art. 7);
//  - sectoral: only a class of companies, typically communication service providers that must
//              give effect to lawful interception warrants under independent oversight;
//  - none:     no such obligation is known to the file's author;
//  - unknown:  not established.
enum class CooperationLaw { kGeneral, kSectoral, kNone, kUnknown };
std::string_view cooperation_law_name(CooperationLaw c);
core::Result<CooperationLaw> parse_cooperation_law(std::string_view s);

struct CooperationLawFact {
  CooperationLaw scope = CooperationLaw::kUnknown;
  std::string law;      // "National Intelligence Law of the People's Republic of China (2017)"
  std::string article;  // "art. 7"; empty when not established
  StatementBasis basis;
  friend bool operator==(const CooperationLawFact&, const CooperationLawFact&) = default;
};

// Whether public Dutch threat assessments (AIVD and MIVD annual reports, the Dreigingsbeeld
// Statelijke Actoren) name the country as running an offensive intelligence or cyber programme
// against the Netherlands (criterion 2).
enum class ThreatFinding { kNamed, kNotNamed, kUnknown };
std::string_view threat_finding_name(ThreatFinding t);  // "named", "not_named", "unknown"
core::Result<ThreatFinding> parse_threat_finding(std::string_view s);

struct OffensiveProgrammeFact {
  ThreatFinding finding = ThreatFinding::kUnknown;
  StatementBasis basis;
  friend bool operator==(const OffensiveProgrammeFact&, const OffensiveProgrammeFact&) = default;
};

// The state of relations with the Netherlands (criterion 2's second half: "so tense that
// actions harming Dutch interests are conceivable").
enum class Relations { kAllied, kNormal, kTense, kUnknown };
std::string_view relations_name(Relations r);  // "allied", "normal", "tense", "unknown"
core::Result<Relations> parse_relations(std::string_view s);

struct RelationsFact {
  Relations value = Relations::kUnknown;
  StatementBasis basis;
  friend bool operator==(const RelationsFact&, const RelationsFact&) = default;
};

// How to recognise a body of the state in ownership data that does not mark it as one (a BODS
// file calling a state-owned enterprise a registeredEntity): by exact name (compared without
// case) or by identifier. The assessment groups matching entities with their state
// (assessment/state_bodies.h) before the ownership engine computes state exposure.
struct StateBodyPattern {
  std::string name;                     // display name
  std::vector<std::string> names;       // names to match (case-insensitive, exact)
  std::vector<Identifier> identifiers;  // scheme (lowercase) and value
  StatementBasis basis;                 // why it is a state body
  friend bool operator==(const StateBodyPattern&, const StateBodyPattern&) = default;
};

struct CountryProfile {
  std::string code;  // ISO 3166-1 alpha-2, uppercase
  std::string name;
  CooperationLawFact cooperation_law;
  OffensiveProgrammeFact offensive_programme;
  RelationsFact relations;
  std::vector<StateBodyPattern> state_bodies;
  friend bool operator==(const CountryProfile&, const CountryProfile&) = default;
};

struct CountryProfiles {
  std::vector<CountryProfile> countries;  // codes unique
  // nullptr when absent; the pointer lives as long as `countries` is not modified.
  const CountryProfile* find(std::string_view code) const;
};

}  // namespace pw::domain

#pragma once
// Grouping state-owned enterprises with their state before the ownership engine computes state
// exposure. Ownership files often call a state-owned enterprise an ordinary company (the seed's
// BODS file lists China National Nuclear Corporation as a registeredEntity, with the People's
// Republic only an "other influence"), so its holdings would not count as the state's. The
// country profiles (domain/country.h) name such bodies; entities matching one become state bodies
// of that country, and the match is evidence the assessment shows. Pure: the dataset is edited
// in place, nothing else.

#include <string>
#include <vector>

#include "domain/country.h"
#include "domain/ownership.h"

namespace pw::assessment {

struct StateBodyMatch {
  std::string entity;   // Entity::id
  std::string name;     // the entity's name
  std::string country;  // the profile's country code
  std::string pattern;  // the profile's StateBodyPattern::name
  std::string matched;  // "name 'China National Nuclear Corporation'" or "identifier lei:..."
  domain::StatementBasis basis;
};

// Marks every entity of kind company or unknown that matches a profile's state body (an exact
// name, compared without ASCII case, or an identifier) as EntityKind::kStateBody of that country.
// An entity whose country is set and differs from the profile's is not matched. Persons, states
// and entities already marked as state bodies are left alone. Returns the matches in dataset
// order.
std::vector<StateBodyMatch> group_state_bodies(domain::OwnershipDataset& dataset,
                                               const domain::CountryProfiles& profiles);

}  // namespace pw::assessment

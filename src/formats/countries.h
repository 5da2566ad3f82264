#pragma once
// Country profiles from TOML (data/countries.toml; domain/country.h). The file:
//
//   version = 1
//   [countries.CN]
//   name = "People's Republic of China"
//   [countries.CN.cooperation_law]        # required
//   scope = "general"                     # general | sectoral | none | unknown
//   law = "National Intelligence Law of the People's Republic of China (2017)"
//   article = "art. 7"                    # optional
//   summary = "..."                       # optional
//   confidence = "high"                   # high | medium | low (required)
//   sources = [{ title = "...", url = "...", as_of = 2017-06-28 }]   # at least one
//   [countries.CN.offensive_programme]    # required; finding = named | not_named | unknown
//   [countries.CN.relations]              # required; value = allied | normal | tense | unknown
//   [[countries.CN.state_bodies]]         # optional, any number
//   name = "..."; names = ["..."]; identifiers = [{ scheme = "lei", value = "..." }]
//   summary, confidence, sources as above
//
// Country codes are ISO 3166-1 alpha-2, uppercase. Unknown keys, wrong types, bad values and a
// statement without a source or date are rejected; the error names the file, the key path (which
// holds the country) and the line: "countries.toml: countries.CN.cooperation_law.scope (line 9):
// 'genral' is not one of general, sectoral, none, unknown". Nothing throws.

#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/country.h"

namespace pw::formats {

core::Result<domain::CountryProfiles> parse_country_profiles(std::string_view text,
                                                             std::string_view source_name);
core::Result<domain::CountryProfiles> read_country_profiles(const std::string& path);

}  // namespace pw::formats

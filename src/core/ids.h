#pragma once
// Identifiers: UUID version 7 (RFC 9562), time-ordered, from an injected clock and randomness.

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"

namespace pw::core {

// "018f3c1e-7b2a-7cde-8f00-0123456789ab" (lowercase, hyphenated).
std::string new_uuid_v7(Timestamp now, Random& random);
// True for a lowercase hyphenated UUID of any version.
bool is_uuid(std::string_view text);

}  // namespace pw::core

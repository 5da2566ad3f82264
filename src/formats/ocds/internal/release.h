#pragma once
// One OCDS 1.1 release (with the bids extension) -> domain::Procedure. The mapping and the
// bad-data rules are documented in formats/ocds/ocds_reader.h.

#include <simdjson.h>

#include <vector>

#include "domain/procurement.h"
#include "formats/internal/json_fields.h"

namespace pw::formats::ocds::internal {

using formats::internal::FieldError;
using formats::internal::FieldResult;

// Parses a release. An error names the field (e.g. "bids.details[2].value.amount") and means
// the release is skipped whole; warnings name what was kept with a caveat.
FieldResult<domain::Procedure> parse_release(simdjson::ondemand::object& release,
                                             std::vector<FieldError>& warnings);

}  // namespace pw::formats::ocds::internal

#pragma once
// The steps of Graph::build, in order. Each fills part of GraphData and returns the first problem
// found in the input as invalid_argument, naming the entity or statement.

#include "core/result.h"
#include "ownership/internal/graph_data.h"

namespace pw::ownership::internal {

// Ids (unique, non-empty), lookup maps, state groups.
core::Status index_entities(GraphData& g);

// Checks every statement (ids, self-ownership, share, what may be owned), drops those not valid
// on g.as_of, and builds W (in/out CSR, minimum sums, tightened maximums, binding flags), the
// control links and the list of indirect statements.
core::Status compile_statements(GraphData& g);

// Condensation order of W and the check that no cycle is owned wholly inside itself.
core::Status condense_and_check(GraphData& g);

}  // namespace pw::ownership::internal

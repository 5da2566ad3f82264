#pragma once
// The combined ownership graph a query runs on (private to app/).

#include <cstdint>

#include "app/ownership_service.h"
#include "ownership/graph.h"

namespace pw::app {

struct OwnershipService::Loaded {
  ownership::Graph graph;
  std::int32_t statements = 0;  // number of dataset edges (Graph::statement indexes)
};

}  // namespace pw::app

#pragma once
// The views of the procurement workflow's tender.* events (app/procurement_service.h lists
// them). Called by the projector for every tender.* event; total like the projector: a payload
// that does not carry its record changes nothing.

#include "core/result.h"
#include "journal/envelope.h"
#include "store/store.h"

namespace pw::app::internal {

core::Status project_procurement(const journal::Envelope& e, store::ViewAccess& views);

}  // namespace pw::app::internal

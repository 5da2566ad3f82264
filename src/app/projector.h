#pragma once
// Builds the view documents from journal events. The same code runs when an event is
// committed, on `journal replay`, and inside `journal verify` (against an in-memory view set),
// so the views are by construction a function of the journal.
//
// Projection must be total: an event already in the journal never makes it fail, since the
// journal is the truth. Payload validation happens before an event is appended.

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "core/result.h"
#include "journal/envelope.h"
#include "store/store.h"

namespace pw::app {

// Applies one event to the views.
core::Status project(const journal::Envelope& event, store::ViewAccess& views);

// Whether project() reads the payload of events of `type`; when it does not, replay and verify
// skip parsing it.
bool projection_reads_payload(std::string_view type);

// Decodes a stored entry for projection: the header always, the payload only if needed.
core::Result<journal::Envelope> decode_for_projection(std::string_view entry);

// View documents held in memory, ordered as the store scans them (kind, id).
class MemoryViews final : public store::ViewAccess {
 public:
  core::Result<std::optional<std::string>> get_view(std::string_view kind,
                                                    std::string_view id) override;
  core::Status put_view(std::string_view kind, std::string_view id, std::string_view doc) override;
  core::Status erase_view(std::string_view kind, std::string_view id) override;

  const std::map<std::pair<std::string, std::string>, std::string>& docs() const { return docs_; }

 private:
  std::map<std::pair<std::string, std::string>, std::string> docs_;
};

}  // namespace pw::app

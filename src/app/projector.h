#pragma once
// Builds the view documents from journal events. The same code runs when an event is
// committed, on `journal replay`, and inside `journal verify` (against an in-memory view set),
// so the views are by construction a function of the journal.
//
// Projection must be total: an event already in the journal never makes it fail, since the
// journal is the truth. Payload validation happens before an event is appended.

#include <map>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
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

// The view kind holding the records of one register table: "register.<table>".
std::string register_view_kind(std::string_view table);

// Decodes a stored entry for projection: the header always, the payload only if needed.
core::Result<journal::Envelope> decode_for_projection(std::string_view entry);

// View documents held in memory, ordered as the store scans them (kind, id). Built once by a
// replay (`journal verify`) and dropped whole: every string and map node comes from one arena,
// so inserting a million documents costs no per-document malloc and dropping them no free.
class MemoryViews final : public store::ViewAccess {
 public:
  using Key = std::pair<std::pmr::string, std::pmr::string>;  // (kind, id)
  // Orders keys as the store does (kind, then id, bytewise) and finds by string views.
  struct KeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      const std::string_view ak(a.first), bk(b.first);
      if (ak != bk) return ak < bk;
      return std::string_view(a.second) < std::string_view(b.second);
    }
  };
  using Docs = std::pmr::map<Key, std::pmr::string, KeyLess>;

  core::Result<std::optional<std::string>> get_view(std::string_view kind,
                                                    std::string_view id) override;
  core::Status put_view(std::string_view kind, std::string_view id, std::string_view doc) override;
  core::Status erase_view(std::string_view kind, std::string_view id) override;
  core::Status scan_kind(std::string_view kind_or_empty, const store::ViewVisitor& visit) override;

  MemoryViews() : docs_(*new (arena_.allocate(sizeof(Docs), alignof(Docs))) Docs(&arena_)) {}
  MemoryViews(const MemoryViews&) = delete;
  MemoryViews& operator=(const MemoryViews&) = delete;

  const Docs& docs() const { return docs_; }

 private:
  std::pmr::monotonic_buffer_resource arena_{std::size_t{1} << 20};
  // Lives in arena_ and is never destroyed: its destructor would only walk every node to hand
  // memory back to an arena that releases it all at once, and everything it holds allocates
  // from that arena alone (the strings' allocator is the map's).
  Docs& docs_;
};

}  // namespace pw::app

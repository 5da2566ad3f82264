// ProcurementService::import_ocds (app/procurement_service.h): the OCDS reader feeding the
// store, so the adapters (CLI, API) never call formats/ themselves (DESIGN.md, layer rules).
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/internal/procurement_state.h"
#include "app/procurement_service.h"

namespace pw::app {

nlohmann::json OcdsImportReport::to_json() const {
  nlohmann::json rows = nlohmann::json::array(), issue_rows = nlohmann::json::array();
  for (const auto& p : import.procedures) {
    rows.push_back({{"id", p.id},
                    {"import_version", p.version},
                    {"unchanged", p.unchanged},
                    {"error", p.error}});
  }
  for (const auto& i : issues) {
    issue_rows.push_back(
        {{"severity", i.severity == formats::Severity::kError ? "error" : "warning"},
         {"record", i.record},
         {"offset", i.offset},
         {"field", i.field},
         {"message", i.to_string()}});
  }
  return {{"procedures", rows},
          {"stored", import.stored},
          {"unchanged", import.unchanged},
          {"refused", import.refused},
          {"releases_read", summary.releases_read},
          {"releases_skipped", summary.releases_skipped},
          {"issues", issue_rows}};
}

core::Result<OcdsImportReport> ProcurementService::import_ocds(const std::string& actor,
                                                               formats::ByteSource& source,
                                                               std::string_view display_name,
                                                               bool strict) {
  if (actor.empty()) return core::invalid_argument("the actor (who acts) is required");
  formats::ocds::ReadOptions ro;
  ro.import.strict = strict;
  std::vector<domain::Procedure> procs;
  std::vector<formats::ocds::ReleaseRef> refs;
  PW_ASSIGN_OR_RETURN(
      formats::ocds::ReadResult read,
      formats::ocds::read_releases(
          source, display_name, ro,
          formats::ocds::LocatedProcedureSink(
              [&](domain::Procedure&& p, const formats::ocds::ReleaseRef& ref) -> core::Status {
                // Strict: the store's own check refuses the whole input at the first procedure
                // it would refuse, named by its record, before anything is written.
                if (strict) {
                  if (auto st = internal::check_procedure(p); !st) {
                    return core::invalid_argument(std::string(display_name) + " record " +
                                                  std::to_string(ref.record) + " (ocid '" + p.id +
                                                  "'): " + st.error().message());
                  }
                }
                procs.push_back(std::move(p));
                refs.push_back(ref);
                return core::ok();
              })));
  OcdsImportReport out;
  out.summary = read.summary;
  out.issues = std::move(read.issues);
  if (procs.empty()) {
    if (strict || out.summary.errors == 0) {
      return core::invalid_argument(std::string(display_name) + ": no OCDS release in the input");
    }
    return out;  // lenient, every release bad: the issues say why
  }
  if (strict) {
    // import_procedures refuses only what check_procedure refuses (checked above) and an ocid
    // given twice; the reader reports duplicates too, but strict must never store part of an
    // input, so they are refused here, before anything is written.
    std::set<std::string> seen;
    for (std::size_t i = 0; i < procs.size(); ++i) {
      if (!seen.insert(procs[i].id).second) {
        return core::invalid_argument(std::string(display_name) + " record " +
                                      std::to_string(refs[i].record) + ": ocid '" + procs[i].id +
                                      "' appears twice");
      }
    }
  }
  PW_ASSIGN_OR_RETURN(out.import, import_procedures(actor, procs));
  return out;
}

core::Result<OcdsImportReport> ProcurementService::import_ocds(const std::string& actor,
                                                               std::string_view bytes,
                                                               std::string_view display_name,
                                                               bool strict) {
  formats::StringByteSource source(bytes);
  return import_ocds(actor, source, display_name, strict);
}

core::Result<OcdsImportReport> ProcurementService::import_file(const std::string& actor,
                                                               const std::string& path,
                                                               bool strict) {
  PW_ASSIGN_OR_RETURN(auto source, formats::FileByteSource::open(path));
  const auto slash = path.find_last_of('/');
  return import_ocds(actor, *source, slash == std::string::npos ? path : path.substr(slash + 1),
                     strict);
}

}  // namespace pw::app

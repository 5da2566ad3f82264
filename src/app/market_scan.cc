#include "app/market_scan.h"

#include <filesystem>
#include <utility>

namespace pw::app {

core::Result<MarketScanReport> scan_market_file(const MarketScanRequest& request,
                                                const Progress& progress) {
  MarketScanReport report;
  procurement::MarketAccumulator acc(request.market);
  std::vector<formats::RecordIssue> refusals;
  const bool strict = request.read.import.strict;
  auto sink = [&](domain::Procedure&& p, const formats::ocds::ReleaseRef& ref) -> core::Status {
    auto added = acc.add(p);
    if (added) return core::ok();
    if (strict) return added;
    ++report.refused;
    if (refusals.size() < request.read.import.max_issues) {
      formats::RecordIssue issue;
      issue.file = std::filesystem::path(request.file).filename().string();
      issue.record = ref.record;
      issue.offset = ref.offset;
      issue.message = "the market screen refused the procedure: " + added.error().message();
      refusals.push_back(std::move(issue));
    }
    return core::ok();
  };
  formats::ProgressFn on_progress;
  if (progress) {
    on_progress = [&](const formats::Progress& pr) {
      progress("scan", pr.bytes_read, pr.total_bytes);
    };
  }
  PW_ASSIGN_OR_RETURN(report.read,
                      formats::ocds::read_file(request.file, request.read, sink, on_progress));
  report.read.summary.errors += report.refused;
  for (auto& r : refusals) {
    if (report.read.issues.size() >= request.read.import.max_issues) break;
    report.read.issues.push_back(std::move(r));
  }
  report.market = acc.finish();
  return report;
}

}  // namespace pw::app

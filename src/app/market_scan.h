#pragma once
// The market-wide screen over an OCDS file, streamed (issue 8): reader -> MarketAccumulator ->
// result, nothing stored and nothing journaled (a scan is an analysis of public data, not a
// decision). Memory: one release at a time plus the packed points of the screen.

#include <cstdint>
#include <string>
#include <vector>

#include "app/journal_service.h"
#include "core/result.h"
#include "formats/import.h"
#include "formats/ocds/ocds_reader.h"
#include "procurement/market.h"

namespace pw::app {

struct MarketScanRequest {
  std::string file;
  formats::ocds::ReadOptions read;  // strict: the first bad release (or, for the lowest-bid
                                    // method, the first lot the screen refuses) stops the scan
  procurement::MarketOptions market;
};

struct MarketScanReport {
  formats::ocds::ReadResult read;
  procurement::MarketResult market;
  // Lowest-bid method, lenient: procedures the screen refused for bad data (a valid bid without
  // an amount, ...), as issues naming the record; counted in read.summary.errors too.
  std::uint64_t refused = 0;
};

// File-level problems are errors (not found, not OCDS, truncated); in strict mode so is the
// first bad release.
core::Result<MarketScanReport> scan_market_file(const MarketScanRequest& request,
                                                const Progress& progress = {});

}  // namespace pw::app

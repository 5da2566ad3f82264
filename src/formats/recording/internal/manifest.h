#pragma once
// The header and manifest documents, built one way for the writer and for the reader (which
// rebuilds the manifest from the chunks it checked and compares it byte for byte).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "formats/recording/recording.h"

namespace pw::formats::recording::internal {

// {"asset","format","gateway","grant","person","session","started","vendor"}
nlohmann::json session_json(const SessionInfo& info);

nlohmann::json manifest_json(const SessionInfo& info, core::Timestamp ended,
                             std::string_view reason, const core::Hash& header_sha256,
                             const std::vector<ChunkSummary>& chunks, std::uint64_t frames,
                             std::uint64_t bytes_up, std::uint64_t bytes_down,
                             const core::Hash& chain_head);

// The path of the first value where `actual` differs from `expected` ("chunks[3].sha256",
// "totals", "(extra member) x"), or "" if they are equal.
std::string first_difference(const nlohmann::json& expected, const nlohmann::json& actual);

}  // namespace pw::formats::recording::internal

#include "formats/recording/internal/manifest.h"

#include "formats/recording/internal/layout.h"

namespace pw::formats::recording::internal {

nlohmann::json session_json(const SessionInfo& info) {
  return nlohmann::json{{"format", kFormatName},   {"session", info.session},
                        {"grant", info.grant},     {"person", info.person},
                        {"vendor", info.vendor},   {"asset", info.asset},
                        {"gateway", info.gateway}, {"started", core::format_rfc3339(info.started)}};
}

nlohmann::json manifest_json(const SessionInfo& info, core::Timestamp ended,
                             std::string_view reason, const core::Hash& header_sha256,
                             const std::vector<ChunkSummary>& chunks, std::uint64_t frames,
                             std::uint64_t bytes_up, std::uint64_t bytes_down,
                             const core::Hash& chain_head) {
  nlohmann::json m = session_json(info);
  m["ended"] = core::format_rfc3339(ended);
  m["reason"] = std::string(reason);
  m["header_sha256"] = core::to_hex(header_sha256);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : chunks) {
    list.push_back({{"index", c.index},
                    {"offset", c.offset},
                    {"length", c.length},
                    {"sha256", core::to_hex(c.sha256)},
                    {"frames", c.frames},
                    {"bytes_up", c.bytes_up},
                    {"bytes_down", c.bytes_down},
                    {"first", core::format_rfc3339(c.first)},
                    {"last", core::format_rfc3339(c.last)}});
  }
  m["chunks"] = std::move(list);
  m["totals"] = {{"chunks", chunks.size()},
                 {"frames", frames},
                 {"bytes_up", bytes_up},
                 {"bytes_down", bytes_down}};
  m["chain_head"] = core::to_hex(chain_head);
  return m;
}

namespace {

std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

}  // namespace

std::string first_difference(const nlohmann::json& expected, const nlohmann::json& actual) {
  struct Walker {
    std::string walk(const nlohmann::json& e, const nlohmann::json& a, const std::string& path) {
      if (e.is_number() && a.is_number()) return e == a ? "" : path;
      if (e.type() != a.type()) return path.empty() ? "(document)" : path;
      if (e.is_object()) {
        for (const auto& [k, v] : e.items()) {
          auto it = a.find(k);
          if (it == a.end()) return join(path, k) + " (missing)";
          std::string d = walk(v, *it, join(path, k));
          if (!d.empty()) return d;
        }
        for (const auto& [k, v] : a.items()) {
          if (!e.contains(k)) return join(path, k) + " (unexpected member)";
        }
        return "";
      }
      if (e.is_array()) {
        for (std::size_t i = 0; i < e.size() && i < a.size(); ++i) {
          std::string d = walk(e[i], a[i], path + "[" + std::to_string(i) + "]");
          if (!d.empty()) return d;
        }
        if (e.size() != a.size()) {
          return path + " (lists " + std::to_string(a.size()) + ", the file holds " +
                 std::to_string(e.size()) + ")";
        }
        return "";
      }
      return e == a ? "" : (path.empty() ? "(document)" : path);
    }
  };
  return Walker{}.walk(expected, actual, "");
}

}  // namespace pw::formats::recording::internal

// Recording export: raw streams, JSON lines, asciicast v2.
#include "formats/recording/export.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

namespace pw::formats::recording {
namespace {

namespace fs = std::filesystem;

// One output file, created exclusively, written through stdio's buffer.
class OutFile {
 public:
  static core::Result<std::unique_ptr<OutFile>> create(const fs::path& path) {
    std::FILE* f = std::fopen(path.c_str(), "wbx");
    if (f == nullptr) {
      return core::unavailable("cannot create " + path.string() + ": " + std::strerror(errno));
    }
    return std::unique_ptr<OutFile>(new OutFile(f, path.string()));
  }
  ~OutFile() {
    if (f_ != nullptr) std::fclose(f_);
  }
  core::Status write(std::string_view s) {
    if (std::fwrite(s.data(), 1, s.size(), f_) != s.size()) {
      return core::unavailable("cannot write " + path_ + ": " + std::strerror(errno));
    }
    return core::ok();
  }
  core::Status write(core::ByteView b) {
    return write(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
  }
  core::Status close() {
    std::FILE* f = f_;
    f_ = nullptr;
    if (std::fclose(f) != 0) {
      return core::unavailable("cannot write " + path_ + ": " + std::strerror(errno));
    }
    return core::ok();
  }
  const std::string& path() const { return path_; }

 private:
  OutFile(std::FILE* f, std::string path) : f_(f), path_(std::move(path)) {}
  std::FILE* f_;
  std::string path_;
};

// The length of an incomplete UTF-8 sequence at the end of `b` (0 if it ends on a boundary),
// so that a character split across two frames is emitted whole.
std::size_t incomplete_utf8_tail(std::string_view b) {
  for (std::size_t back = 1; back <= 3 && back <= b.size(); ++back) {
    const auto c = static_cast<unsigned char>(b[b.size() - back]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte: keep looking for the lead
    std::size_t need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

std::string seconds_since(core::Timestamp start, core::Timestamp t) {
  const std::int64_t d = t.micros - start.micros;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%" PRId64 ".%06" PRId64, d / 1'000'000, d % 1'000'000);
  return buf;
}

class Exporter {
 public:
  Exporter(fs::path dir, ExportFormat format) : dir_(std::move(dir)), format_(format) {}

  core::Status open(const SessionInfo& info) {
    started_ = info.started;
    switch (format_) {
      case ExportFormat::kRaw: {
        PW_ASSIGN_OR_RETURN(up_, add("client-to-server.bin"));
        PW_ASSIGN_OR_RETURN(down_, add("server-to-client.bin"));
        return core::ok();
      }
      case ExportFormat::kJsonl: {
        PW_ASSIGN_OR_RETURN(up_, add("frames.jsonl"));
        return core::ok();
      }
      case ExportFormat::kAsciicast: {
        PW_ASSIGN_OR_RETURN(up_, add("session.cast"));
        nlohmann::json h{{"version", 2},
                         {"width", 80},
                         {"height", 24},
                         {"timestamp", info.started.micros / 1'000'000},
                         {"title", "portwarden session " + info.session + " (" + info.person +
                                       " on " + info.asset + ")"}};
        return up_->write(h.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
      }
    }
    return core::ok();
  }

  core::Status frame(Direction d, core::Timestamp at, core::ByteView bytes) {
    switch (format_) {
      case ExportFormat::kRaw:
        return (d == Direction::kUp ? up_ : down_)->write(bytes);
      case ExportFormat::kJsonl: {
        line_.assign("{\"data\":\"");
        line_ += core::to_base64(bytes);
        line_ += "\",\"direction\":\"";
        line_ += direction_name(d);
        line_ += "\",\"time\":\"";
        line_ += core::format_rfc3339(at);
        line_ += "\"}\n";
        return up_->write(line_);
      }
      case ExportFormat::kAsciicast: {
        std::string& pending = d == Direction::kUp ? pending_up_ : pending_down_;
        pending.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        const std::size_t keep = incomplete_utf8_tail(pending);
        if (keep == pending.size()) return core::ok();
        std::string text = pending.substr(0, pending.size() - keep);
        pending.erase(0, pending.size() - keep);
        return event(d, at, text);
      }
    }
    return core::ok();
  }

  core::Status finish(const std::string& manifest_json, core::Timestamp ended) {
    if (format_ == ExportFormat::kAsciicast) {
      // Bytes left of a character cut off at the end become U+FFFD.
      if (!pending_up_.empty()) PW_TRY(event(Direction::kUp, ended, pending_up_));
      if (!pending_down_.empty()) PW_TRY(event(Direction::kDown, ended, pending_down_));
    }
    PW_ASSIGN_OR_RETURN(OutFile * m, add("manifest.json"));
    PW_TRY(m->write(manifest_json + "\n"));
    for (auto& f : files_) PW_TRY(f->close());
    return core::ok();
  }

  // Closes what is open; returns every path this exporter created, to be removed.
  std::vector<fs::path> abort() {
    files_.clear();
    return created_;
  }

  std::vector<std::string> paths() const {
    std::vector<std::string> out;
    for (const auto& f : files_) out.push_back(f->path());
    return out;
  }

 private:
  core::Result<OutFile*> add(const char* name) {
    PW_ASSIGN_OR_RETURN(std::unique_ptr<OutFile> f, OutFile::create(dir_ / name));
    created_.push_back(dir_ / name);
    files_.push_back(std::move(f));
    return files_.back().get();
  }

  core::Status event(Direction d, core::Timestamp at, const std::string& text) {
    line_.assign("[");
    line_ += seconds_since(started_, at);
    line_ += d == Direction::kDown ? ", \"o\", " : ", \"i\", ";
    line_ += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    line_ += "]\n";
    return up_->write(line_);
  }

  fs::path dir_;
  ExportFormat format_;
  core::Timestamp started_;
  std::vector<fs::path> created_;
  std::vector<std::unique_ptr<OutFile>> files_;
  OutFile* up_ = nullptr;    // raw: client-to-server; jsonl and asciicast: the one stream file
  OutFile* down_ = nullptr;  // raw only
  std::string line_;
  std::string pending_up_, pending_down_;
};

}  // namespace

core::Result<ExportFormat> parse_export_format(std::string_view name) {
  if (name == "raw") return ExportFormat::kRaw;
  if (name == "jsonl") return ExportFormat::kJsonl;
  if (name == "asciicast") return ExportFormat::kAsciicast;
  return core::invalid_argument("--format must be raw, jsonl or asciicast, not '" +
                                std::string(name) + "'");
}

core::Result<ExportResult> export_recording(ByteSource& in, const std::string& dir,
                                            ExportFormat format) {
  std::error_code ec;
  const fs::path out(dir);
  bool created_dir = false;
  if (fs::exists(out, ec)) {
    if (!fs::is_directory(out, ec)) return core::invalid_argument(dir + " is not a directory");
    if (!fs::is_empty(out, ec)) {
      return core::already_exists("export directory " + dir + " is not empty");
    }
  } else {
    if (!fs::create_directories(out, ec) || ec) {
      return core::unavailable("cannot create " + dir + ": " + ec.message());
    }
    created_dir = true;
  }

  Exporter ex(out, format);
  VerifyOptions v;
  v.check_signature = false;  // export shows content; `recording verify` judges the signature
  v.allow_unsigned = true;
  v.on_header = [&](const SessionInfo& info) { return ex.open(info); };
  v.on_frame = [&](Direction d, core::Timestamp at, core::ByteView b) {
    return ex.frame(d, at, b);
  };
  auto report = verify_recording(in, v);
  core::Status st = report ? ex.finish(report->manifest_json, report->ended)
                           : core::Status(std::unexpected(report.error()));
  if (!st) {
    for (const auto& p : ex.abort()) fs::remove(p, ec);
    if (created_dir) fs::remove(out, ec);
    return std::unexpected(st.error());
  }
  return ExportResult{std::move(*report), ex.paths()};
}

}  // namespace pw::formats::recording

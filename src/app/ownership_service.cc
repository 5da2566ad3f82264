#include "app/ownership_service.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "app/internal/ownership_loaded.h"
#include "core/bytes.h"
#include "core/crypto.h"
#include "domain/event_types.h"
#include "formats/import.h"
#include "formats/merge.h"
#include "ownership/control.h"
#include "ownership/explain.h"
#include "ownership/exposure.h"
#include "ownership/graph.h"
#include "ownership/integrated.h"

namespace pw::app {
namespace {

namespace fs = std::filesystem;

// Hashes the bytes a ByteSource yields, and optionally copies them to a file.
class HashingSource final : public formats::ByteSource {
 public:
  HashingSource(formats::ByteSource& inner, int copy_fd) : inner_(inner), copy_fd_(copy_fd) {}
  core::Result<std::size_t> read(char* out, std::size_t size) override {
    PW_ASSIGN_OR_RETURN(std::size_t n, inner_.read(out, size));
    hasher_.update(core::ByteView(reinterpret_cast<const std::uint8_t*>(out), n));
    for (std::size_t done = 0; copy_fd_ >= 0 && done < n;) {
      ssize_t w = ::write(copy_fd_, out + done, n - done);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return core::unavailable("cannot write the blob copy");
      done += static_cast<std::size_t>(w);
    }
    bytes_ += n;
    return n;
  }
  std::uint64_t size_hint() const override { return inner_.size_hint(); }
  core::Hash digest() { return hasher_.finish(); }
  std::uint64_t bytes() const { return bytes_; }

 private:
  formats::ByteSource& inner_;
  int copy_fd_;
  core::Sha256 hasher_;
  std::uint64_t bytes_ = 0;
};

nlohmann::json summary_json(const formats::ImportSummary& s) {
  return {{"bytes_read", s.bytes_read},
          {"records_read", s.records_read},
          {"records_skipped", s.records_skipped},
          {"records_ignored", s.records_ignored},
          {"records_superseded", s.records_superseded},
          {"entities", s.entities},
          {"edges", s.edges},
          {"placeholders", s.placeholders},
          {"errors", s.errors},
          {"warnings", s.warnings}};
}

formats::ProgressFn bytes_progress(const Progress& progress) {
  if (!progress) return {};
  return
      [progress](const formats::Progress& p) { progress("import", p.bytes_read, p.total_bytes); };
}

}  // namespace

OwnershipService::OwnershipService(JournalService& journal, const core::Clock& clock,
                                   std::string blob_dir)
    : journal_(journal), clock_(clock), blob_dir_(std::move(blob_dir)) {}

std::string OwnershipService::blob_dir_for(const std::string& db_path) {
  fs::path p(db_path);
  return (p.parent_path() / (p.stem().string() + ".blobs")).string();
}

core::Result<OwnershipImportReport> OwnershipService::import(const std::string& path,
                                                             const std::string& format_text,
                                                             bool strict, const std::string& actor,
                                                             const Progress& progress) {
  PW_ASSIGN_OR_RETURN(formats::Format format, formats::parse_format(format_text));
  std::error_code ec;
  const fs::path dir = fs::path(blob_dir_) / "sha256";
  fs::create_directories(dir, ec);
  if (ec) return core::unavailable("cannot create " + dir.string() + ": " + ec.message());

  // Copy while hashing, then import from the copy: what is imported is exactly what is kept.
  const fs::path tmp = dir / (".incoming-" + std::to_string(::getpid()));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return core::unavailable("cannot create " + tmp.string());
  auto drop_tmp = [&] { fs::remove(tmp, ec); };
  {
    PW_ASSIGN_OR_RETURN(std::unique_ptr<formats::FileByteSource> file,
                        formats::FileByteSource::open(path));
    HashingSource hashing(*file, fd);
    char buf[1 << 16];
    while (true) {
      auto n = hashing.read(buf, sizeof buf);
      if (!n) {
        ::close(fd);
        drop_tmp();
        return std::unexpected(n.error());
      }
      if (*n == 0) break;
    }
    bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) {
      drop_tmp();
      return core::unavailable("cannot sync " + tmp.string());
    }
    OwnershipImportReport report;
    report.sha256 = core::to_hex(hashing.digest());
    report.bytes = hashing.bytes();

    // The same bytes in the same format change nothing.
    PW_ASSIGN_OR_RETURN(auto imports, journal_.list_views("ownership_import"));
    for (const auto& [id, doc] : imports) {
      auto j = nlohmann::json::parse(doc, nullptr, false);
      if (j.is_object() && j.value("sha256", "") == report.sha256 &&
          j.value("format", "") == format_text) {
        drop_tmp();
        report.already_imported = true;
        report.seq = j.value("seq", std::uint64_t{0});
        report.summary = j.value("summary", nlohmann::json::object());
        return report;
      }
    }

    formats::ImportOptions options;
    options.strict = strict;
    auto result = formats::import_file(tmp.string(), format, options, bytes_progress(progress));
    if (!result) {
      drop_tmp();
      core::Error e = result.error();
      return std::unexpected(core::Error(e.code(), e.message()));
    }
    for (const auto& issue : result->issues) {
      if (report.issues.size() >= 50) break;
      std::string text = issue.to_string();
      // Name the user's file, not the blob copy.
      if (auto at = text.find(tmp.filename().string()); at != std::string::npos) {
        text.replace(at, tmp.filename().string().size(), fs::path(path).filename().string());
      }
      report.issues.push_back(std::move(text));
    }
    report.summary = summary_json(result->summary);
    const fs::path blob = dir / report.sha256;
    if (fs::exists(blob, ec)) {
      drop_tmp();
    } else {
      fs::rename(tmp, blob, ec);
      if (ec) {
        drop_tmp();
        return core::unavailable("cannot store blob " + blob.string() + ": " + ec.message());
      }
    }
    nlohmann::json payload = {{"file", fs::path(path).filename().string()},
                              {"format", format_text},
                              {"sha256", report.sha256},
                              {"bytes", report.bytes},
                              {"strict", strict},
                              {"summary", report.summary}};
    PW_ASSIGN_OR_RETURN(Appended a, journal_.append({std::string(domain::kOwnershipImported), actor,
                                                     std::move(payload)}));
    report.seq = a.seq;
    return report;
  }
}

core::Result<domain::Date> OwnershipService::as_of_date(const OwnershipQuery& q) const {
  if (q.as_of) return domain::parse_date(*q.as_of);
  return domain::Date{static_cast<std::int32_t>(clock_.now().micros / 86'400'000'000LL)};
}

core::Result<std::unique_ptr<OwnershipService::Loaded>> OwnershipService::load(
    const OwnershipQuery& q) {
  PW_ASSIGN_OR_RETURN(domain::Date as_of, as_of_date(q));
  PW_ASSIGN_OR_RETURN(domain::OwnershipDataset data, dataset());
  const auto statements = static_cast<std::int32_t>(data.edges.size());
  PW_ASSIGN_OR_RETURN(ownership::Graph graph, ownership::Graph::build(std::move(data), as_of));
  return std::make_unique<Loaded>(Loaded{std::move(graph), statements});
}

core::Result<domain::OwnershipDataset> OwnershipService::dataset() {
  PW_ASSIGN_OR_RETURN(auto imports, journal_.list_views("ownership_import"));
  if (imports.empty()) {
    return core::failed_precondition(
        "no ownership data: import a register file first (portwarden ownership import FILE "
        "--format bods|gleif|ftm)");
  }
  std::vector<domain::OwnershipDataset> datasets;
  for (const auto& [id, doc] : imports) {
    auto j = nlohmann::json::parse(doc, nullptr, false);
    const std::string sha = j.is_object() ? j.value("sha256", "") : "";
    PW_ASSIGN_OR_RETURN(formats::Format format, formats::parse_format(j.value("format", "")));
    const std::string blob = (fs::path(blob_dir_) / "sha256" / sha).string();
    // The blob must still be what the journal recorded (fail closed on a changed file).
    PW_ASSIGN_OR_RETURN(std::unique_ptr<formats::FileByteSource> file,
                        formats::FileByteSource::open(blob));
    HashingSource hashing(*file, -1);
    formats::ImportOptions options;
    options.strict = j.value("strict", false);
    PW_ASSIGN_OR_RETURN(formats::ImportResult r,
                        formats::import_source(hashing, j.value("file", sha), format, options));
    if (core::to_hex(hashing.digest()) != sha) {
      return core::data_loss("ownership blob " + blob +
                             " does not match the SHA-256 the journal "
                             "recorded (entry " +
                             std::to_string(j.value("seq", 0)) + ")");
    }
    datasets.push_back(std::move(r.dataset));
  }
  formats::MergeResult merged = formats::merge(datasets);
  return std::move(merged.dataset);
}

}  // namespace pw::app

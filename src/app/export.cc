// JournalService::export_bundle: the auditor's bundle.
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/bundle_docs.h"
#include "app/internal/tar.h"
#include "app/journal_service.h"

namespace pw::app {
namespace {

namespace fs = std::filesystem;

core::Status write_file_synced(const fs::path& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return core::unavailable("cannot create " + path.string());
  std::size_t done = 0;
  bool ok = true;
  while (ok && done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      ok = false;
    else
      done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return core::unavailable("cannot write " + path.string());
  return core::ok();
}

}  // namespace

core::Result<CheckpointInfo> JournalService::export_bundle(const std::string& dir,
                                                           const Progress& progress) {
  std::error_code ec;
  const fs::path target(dir);
  if (fs::exists(target, ec)) {
    return core::already_exists(dir + " already exists; give a new directory for the bundle");
  }
  PW_ASSIGN_OR_RETURN(CheckpointInfo cp, checkpoint());
  fs::path tmp = target;
  tmp += ".tmp-" + std::to_string(::getpid());
  fs::remove_all(tmp, ec);
  if (!fs::create_directories(tmp, ec)) {
    return core::unavailable("cannot create " + tmp.string() + ": " + ec.message());
  }
  auto cleanup = [&](core::Error e) -> core::Result<CheckpointInfo> {
    fs::remove_all(tmp, ec);
    return std::unexpected(std::move(e));
  };
  {
    std::lock_guard lock(store_mu_);
    const fs::path entries_path = tmp / "entries.jsonl";
    std::ofstream out(entries_path, std::ios::binary);
    if (!out)
      return cleanup(
          core::Error(core::Code::kUnavailable, "cannot create " + entries_path.string()));
    std::uint64_t expected = 0;
    auto st = store_->scan_entries(
        0, cp.size, [&](std::uint64_t seq, std::string_view data) -> core::Result<bool> {
          if (seq != expected) {
            return core::data_loss("journal entry " + std::to_string(expected) + " is missing");
          }
          out.write(data.data(), static_cast<std::streamsize>(data.size()));
          out.put('\n');
          ++expected;
          if (progress && expected % 65536 == 0) progress("export", expected, cp.size);
          return true;
        });
    if (!st) return cleanup(st.error());
    if (expected != cp.size) {
      return cleanup(
          core::Error(core::Code::kDataLoss, "journal has fewer entries than its checkpoint"));
    }
    out.flush();
    if (!out)
      return cleanup(
          core::Error(core::Code::kUnavailable, "cannot write " + entries_path.string()));
    out.close();
    if (progress) progress("export", expected, cp.size);
  }
  for (const auto& [name, content] : std::initializer_list<std::pair<const char*, std::string>>{
           {"checkpoint", cp.note},
           {"key.vkey", verifier_key_ + "\n"},
           {"VERIFY.md", bundle_verify_md()},
           {"verify_bundle.py", bundle_verify_py()}}) {
    if (auto st = write_file_synced(tmp / name, content); !st) return cleanup(st.error());
  }
  // entries.jsonl was written through a stream: sync it before the rename makes it visible.
  if (int fd = ::open((tmp / "entries.jsonl").c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) return cleanup(core::Error(core::Code::kUnavailable, "cannot sync entries.jsonl"));
  }
  fs::rename(tmp, target, ec);
  if (ec)
    return cleanup(core::Error(core::Code::kUnavailable,
                               "cannot rename bundle into " + dir + ": " + ec.message()));
  return cp;
}

core::Result<JournalService::BundleArchive> JournalService::export_bundle_tar(
    const std::string& root) {
  PW_ASSIGN_OR_RETURN(CheckpointInfo cp, checkpoint());
  internal::TarWriter tar;
  tar.set_mtime(clock_.now().micros / 1'000'000);
  PW_TRY(tar.begin(root + "/entries.jsonl"));
  {
    std::lock_guard lock(store_mu_);
    std::uint64_t expected = 0;
    PW_TRY(store_->scan_entries(
        0, cp.size, [&](std::uint64_t seq, std::string_view data) -> core::Result<bool> {
          if (seq != expected) {
            return core::data_loss("journal entry " + std::to_string(expected) + " is missing");
          }
          tar.out().append(data);
          tar.out().push_back('\n');
          ++expected;
          return true;
        }));
    if (expected != cp.size) {
      return core::data_loss("journal has fewer entries than its checkpoint");
    }
  }
  PW_TRY(tar.end());
  PW_TRY(tar.add(root + "/checkpoint", cp.note));
  PW_TRY(tar.add(root + "/key.vkey", verifier_key_ + "\n"));
  PW_TRY(tar.add(root + "/VERIFY.md", bundle_verify_md()));
  PW_TRY(tar.add(root + "/verify_bundle.py", bundle_verify_py()));
  return BundleArchive{cp, std::move(tar).finish()};
}

}  // namespace pw::app

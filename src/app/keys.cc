#include "app/keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "app/internal/new_file.h"

namespace pw::app {
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

core::Result<std::string> read_small_file(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return core::not_found("file " + path + " does not exist");
    return core::unavailable("cannot read " + path + ": " + errno_text());
  }
  std::string text(limit + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > limit) return core::invalid_argument(path + " is too large for a key file");
  return text;
}

std::string strip_newline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

core::Result<journal::NoteSigner> create_key_file(const std::string& path,
                                                  const std::string& origin) {
  PW_ASSIGN_OR_RETURN(core::Ed25519PrivateKey key, core::Ed25519PrivateKey::generate());
  PW_ASSIGN_OR_RETURN(journal::NoteSigner signer,
                      journal::NoteSigner::create(origin, std::move(key)));
  PW_ASSIGN_OR_RETURN(std::string encoded, signer.encode_private());
  encoded += '\n';
  PW_TRY(internal::write_new_file(path, encoded, 0600, "key file"));
  return signer;
}

core::Result<journal::NoteSigner> load_key_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return core::not_found("key file " + path +
                             " does not exist (run 'portwarden init', or "
                             "pass --key)");
    }
    return core::unavailable("cannot stat key file " + path + ": " + errno_text());
  }
  if (!S_ISREG(st.st_mode)) return core::invalid_argument("key file " + path + " is not a file");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return core::permission_denied("key file " + path + " has mode " + mode +
                                   "; it must not be accessible by group or others (chmod 600 " +
                                   path + ")");
  }
  if (st.st_uid != ::geteuid()) {
    return core::permission_denied("key file " + path + " is not owned by the current user");
  }
  PW_ASSIGN_OR_RETURN(std::string text, read_small_file(path, 4096));
  auto signer = journal::NoteSigner::parse(strip_newline(std::move(text)));
  if (!signer) return std::unexpected(signer.error().with_context("key file " + path));
  return signer;
}

core::Result<journal::NoteVerifier> load_verifier_key_file(const std::string& path) {
  PW_ASSIGN_OR_RETURN(std::string text, read_small_file(path, 4096));
  auto v = journal::parse_verifier_key(strip_newline(std::move(text)));
  if (!v) return std::unexpected(v.error().with_context("verifier key " + path));
  return v;
}

}  // namespace pw::app

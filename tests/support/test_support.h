#pragma once
// Shared test helpers: temporary directories, running the real binary, reading files.

#include <filesystem>
#include <string>
#include <vector>

namespace pw::testing {

// A fresh directory under $TMPDIR, removed (recursively) when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct RunResult {
  int exit_code = -1;  // -1 if killed by a signal
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is an executable path) with optional stdin text; captures output.
RunResult run_process(const std::vector<std::string>& argv, const std::string& stdin_text = "");

// Path of the portwarden binary under test.
std::string portwarden_binary();

// Runs the portwarden binary under test with the given arguments.
RunResult run_portwarden(const std::vector<std::string>& args, const std::string& stdin_text = "");

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& content);

// The tests/ folder of the source tree (for fixtures).
std::filesystem::path tests_dir();

// The folder of the public conformance data, or empty if it is not there.
std::filesystem::path testdata_dir();

}  // namespace pw::testing

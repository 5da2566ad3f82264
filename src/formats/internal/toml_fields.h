#pragma once
// Typed access to toml++ tables with errors that name the key by its dotted path and line
// ("countries.CN.cooperation_law.scope (line 12): 'genral' is not one of general, ..."), and
// that reject unknown keys. Private to formats/. toml++ is used with exceptions enabled; parsing
// happens in parse_toml, which catches them, and nothing here throws.

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/ownership.h"  // Date

namespace pw::formats::internal {

// Parses TOML text. Errors: "<source>:<line>:<column>: <what toml++ says>".
core::Result<toml::table> parse_toml(std::string_view text, std::string_view source);

// Reads a whole (small) file as text; at most `max_bytes`. Errors name the path.
core::Result<std::string> read_text_file(const std::string& path, std::size_t max_bytes);

// A view of one TOML table at `path`. Borrows the table: it must outlive the view.
class TomlTable {
 public:
  TomlTable(const toml::table& t, std::string path) : t_(&t), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  const toml::table& table() const { return *t_; }
  // "path.key (line N)"
  std::string where(std::string_view key) const;
  std::unexpected<core::Error> fail(std::string_view key, std::string_view message) const;

  // invalid_argument naming the first key not in `keys`.
  core::Status only(std::initializer_list<std::string_view> keys) const;

  // Each leaves `out` unchanged when the key is absent and not required.
  core::Status string(std::string_view key, std::string& out, bool required = false) const;
  core::Status integer(std::string_view key, std::int64_t& out, bool required = false) const;
  core::Status boolean(std::string_view key, bool& out, bool required = false) const;
  // A TOML local date (2021-02-03) or a string "YYYY-MM-DD".
  core::Status date(std::string_view key, domain::Date& out, bool required = false) const;
  core::Status strings(std::string_view key, std::vector<std::string>& out,
                       bool required = false) const;
  // nullptr when absent and not required.
  core::Result<const toml::table*> subtable(std::string_view key, bool required = false) const;
  core::Result<const toml::array*> array(std::string_view key, bool required = false) const;

 private:
  const toml::node* find(std::string_view key) const;
  const toml::table* t_;  // borrowed, see the class comment
  std::string path_;
};

// "path[i]" for array elements, with the line of the element.
std::string element_path(std::string_view array_path, std::size_t index);

// "a string", "an integer", "a date-time", ... for messages; "nothing" for none.
std::string_view toml_type_name(const toml::node& n);

}  // namespace pw::formats::internal

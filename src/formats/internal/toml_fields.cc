#include "formats/internal/toml_fields.h"

#include <exception>
#include <memory>
#include <sstream>

#include "formats/byte_source.h"

namespace pw::formats::internal {
namespace {

std::string line_of(const toml::node& n) {
  const auto& s = n.source();
  if (s.begin.line == 0) return "";
  return " (line " + std::to_string(s.begin.line) + ")";
}

std::string_view toml_type_name_impl(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

}  // namespace

core::Result<toml::table> parse_toml(std::string_view text, std::string_view source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::string m(source);
    m +=
        ":" + std::to_string(e.source().begin.line) + ":" + std::to_string(e.source().begin.column);
    m += ": ";
    m += e.description();
    return core::invalid_argument(std::move(m));
  } catch (const std::exception& e) {
    return core::invalid_argument(std::string(source) + ": " + e.what());
  }
}

core::Result<std::string> read_text_file(const std::string& path, std::size_t max_bytes) {
  PW_ASSIGN_OR_RETURN(std::unique_ptr<FileByteSource> file, FileByteSource::open(path));
  std::string text;
  char buf[8192];
  for (;;) {
    PW_ASSIGN_OR_RETURN(const std::size_t n, file->read(buf, sizeof buf));
    if (n == 0) break;
    text.append(buf, n);
    if (text.size() > max_bytes) {
      return core::invalid_argument(path + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  return text;
}

const toml::node* TomlTable::find(std::string_view key) const {
  return t_->get(key);
}

std::string TomlTable::where(std::string_view key) const {
  std::string w = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  if (const toml::node* n = find(key)) w += line_of(*n);
  return w;
}

std::unexpected<core::Error> TomlTable::fail(std::string_view key, std::string_view message) const {
  return core::invalid_argument(where(key) + ": " + std::string(message));
}

core::Status TomlTable::only(std::initializer_list<std::string_view> keys) const {
  for (const auto& [k, v] : *t_) {
    bool known = false;
    for (std::string_view want : keys) known = known || want == k.str();
    if (!known) {
      std::string allowed;
      for (std::string_view want : keys) {
        if (!allowed.empty()) allowed += ", ";
        allowed += want;
      }
      return fail(k.str(), "unknown key (allowed: " + allowed + ")");
    }
  }
  return core::ok();
}

core::Status TomlTable::string(std::string_view key, std::string& out, bool required) const {
  const toml::node* n = find(key);
  if (!n) {
    if (required) return fail(key, "is required");
    return core::ok();
  }
  const auto* s = n->as_string();
  if (!s) return fail(key, "expected a string, found " + std::string(toml_type_name_impl(*n)));
  if (required && s->get().empty()) return fail(key, "must not be empty");
  out = s->get();
  return core::ok();
}

core::Status TomlTable::integer(std::string_view key, std::int64_t& out, bool required) const {
  const toml::node* n = find(key);
  if (!n) {
    if (required) return fail(key, "is required");
    return core::ok();
  }
  const auto* i = n->as_integer();
  if (!i) return fail(key, "expected an integer, found " + std::string(toml_type_name_impl(*n)));
  out = i->get();
  return core::ok();
}

core::Status TomlTable::boolean(std::string_view key, bool& out, bool required) const {
  const toml::node* n = find(key);
  if (!n) {
    if (required) return fail(key, "is required");
    return core::ok();
  }
  const auto* b = n->as_boolean();
  if (!b) return fail(key, "expected true or false, found " + std::string(toml_type_name_impl(*n)));
  out = b->get();
  return core::ok();
}

core::Status TomlTable::date(std::string_view key, domain::Date& out, bool required) const {
  const toml::node* n = find(key);
  if (!n) {
    if (required) return fail(key, "is required");
    return core::ok();
  }
  std::string text;
  if (const auto* d = n->as_date()) {
    std::ostringstream s;
    s << d->get();
    text = s.str();
  } else if (const auto* str = n->as_string()) {
    text = str->get();
  } else {
    return fail(key, "expected a date (YYYY-MM-DD), found " + std::string(toml_type_name_impl(*n)));
  }
  auto parsed = domain::parse_date(text);
  if (!parsed || text.size() != 10) return fail(key, "'" + text + "' is not a date YYYY-MM-DD");
  out = *parsed;
  return core::ok();
}

core::Status TomlTable::strings(std::string_view key, std::vector<std::string>& out,
                                bool required) const {
  PW_ASSIGN_OR_RETURN(const toml::array* a, array(key, required));
  if (!a) return core::ok();
  out.clear();
  for (std::size_t i = 0; i < a->size(); ++i) {
    const auto* s = a->get(i)->as_string();
    if (!s) {
      return core::invalid_argument(where(key) + "[" + std::to_string(i) +
                                    "]: expected a string, found " +
                                    std::string(toml_type_name_impl(*a->get(i))));
    }
    out.push_back(s->get());
  }
  return core::ok();
}

core::Result<const toml::table*> TomlTable::subtable(std::string_view key, bool required) const {
  const toml::node* n = find(key);
  if (!n) {
    if (required) return fail(key, "is required");
    return nullptr;
  }
  const auto* t = n->as_table();
  if (!t) {
    return fail(key, "expected a table, found " + std::string(toml_type_name_impl(*n)));
  }
  return t;
}

core::Result<const toml::array*> TomlTable::array(std::string_view key, bool required) const {
  const toml::node* n = find(key);
  if (!n) {
    if (required) return fail(key, "is required");
    return nullptr;
  }
  const auto* a = n->as_array();
  if (!a) {
    return fail(key, "expected an array, found " + std::string(toml_type_name_impl(*n)));
  }
  return a;
}

std::string element_path(std::string_view array_path, std::size_t index) {
  return std::string(array_path) + "[" + std::to_string(index) + "]";
}

std::string_view toml_type_name(const toml::node& n) {
  return toml_type_name_impl(n);
}

}  // namespace pw::formats::internal

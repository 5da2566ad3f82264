// read_inventory: TOML files -> domain::Register. Each record table is converted to the JSON
// that domain::put_record_json reads (so the register has one definition of a record's fields),
// after checking its keys and TOML types here, where the source positions are known. Problems
// are collected over all files and reported together; validation runs once all records are in.
//
// toml++ is built with exceptions (the Debian library is): parse errors arrive as
// toml::parse_error and are caught here, with anything else, so that nothing escapes.

#include <toml++/toml.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "formats/internal/toml_fields.h"
#include "formats/inventory.h"

namespace pw::formats {
namespace {

namespace fs = std::filesystem;
using domain::FieldType;
using domain::Table;
using nlohmann::json;

constexpr std::size_t kMaxFileBytes = std::size_t{64} << 20;
constexpr std::size_t kMaxProblems = 100;

std::string position(const std::string& file, const toml::source_region& where) {
  if (where.begin.line == 0) return file;
  return file + ":" + std::to_string(where.begin.line) + ":" + std::to_string(where.begin.column);
}

std::string toml_type(const toml::node& n) {
  return std::string(internal::toml_type_name(n));
}

std::string two(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02u", v % 100);
  return buf;
}

std::string format_date(const toml::date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04u-%02u-%02u", static_cast<unsigned>(d.year),
                static_cast<unsigned>(d.month), static_cast<unsigned>(d.day));
  return buf;
}

// RFC 3339 text of an offset date-time, fraction without trailing zeros; nullopt for a local
// date-time (RFC 3339 needs an offset).
std::optional<std::string> format_date_time(const toml::date_time& dt) {
  if (!dt.offset) return std::nullopt;
  std::string s = format_date(dt.date) + "T" + two(dt.time.hour) + ":" + two(dt.time.minute) + ":" +
                  two(dt.time.second);
  if (dt.time.nanosecond != 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%09u", static_cast<unsigned>(dt.time.nanosecond));
    std::string frac = buf;
    frac.erase(frac.find_last_not_of('0') + 1);
    s += "." + frac;
  }
  const int minutes = dt.offset->minutes;
  if (minutes == 0) return s + "Z";
  const unsigned a = static_cast<unsigned>(minutes < 0 ? -minutes : minutes);
  return s + (minutes < 0 ? "-" : "+") + two(a / 60) + ":" + two(a % 60);
}

// A problem at a node: the text after "<table> '<key>': ".
struct NodeProblem {
  const toml::node* node;
  std::string message;
};
template <typename T>
using Converted = std::expected<T, NodeProblem>;

std::unexpected<NodeProblem> problem(const toml::node& n, std::string message) {
  return std::unexpected(NodeProblem{&n, std::move(message)});
}

// Any TOML value as JSON, for values put_record_json checks itself (identifiers). Dates and
// date-times become their text; a float stays a float (put_record_json refuses it by name).
Converted<json> generic(const toml::node& n) {
  if (auto v = n.as_string()) return json(v->get());
  if (auto v = n.as_integer()) return json(v->get());
  if (auto v = n.as_floating_point()) return json(v->get());
  if (auto v = n.as_boolean()) return json(v->get());
  if (auto v = n.as_date()) return json(format_date(v->get()));
  if (auto v = n.as_date_time()) {
    if (auto text = format_date_time(v->get())) return json(*text);
    return problem(n, "a date-time needs an offset (Z for UTC)");
  }
  if (auto a = n.as_array()) {
    json out = json::array();
    for (const auto& e : *a) {
      auto c = generic(e);
      if (!c) return c;
      out.push_back(std::move(*c));
    }
    return out;
  }
  if (auto t = n.as_table()) {
    json out = json::object();
    for (const auto& [k, v] : *t) {
      auto c = generic(v);
      if (!c) return c;
      out[std::string(k.str())] = std::move(*c);
    }
    return out;
  }
  return problem(n, "unsupported value " + toml_type(n));
}

// A field's TOML value as the JSON put_record_json expects, with TOML's types checked here.
Converted<json> convert(const toml::node& n, FieldType type, std::string_view key) {
  auto wrong = [&](std::string_view expected) {
    return problem(
        n, std::string(key) + ": expected " + std::string(expected) + ", found " + toml_type(n));
  };
  switch (type) {
    case FieldType::kString:
      if (auto v = n.as_string()) return json(v->get());
      return wrong("a string");
    case FieldType::kBool:
      if (auto v = n.as_boolean()) return json(v->get());
      return wrong("a boolean");
    case FieldType::kInteger:
      if (auto v = n.as_integer()) return json(v->get());
      return wrong("an integer");
    case FieldType::kDate:
      if (auto v = n.as_date()) return json(format_date(v->get()));
      if (auto v = n.as_string()) return json(v->get());
      return wrong("a date (2026-12-01 or \"2026-12-01\")");
    case FieldType::kTimestamp:
      if (auto v = n.as_date_time()) {
        if (auto text = format_date_time(v->get())) return json(*text);
        return problem(n, std::string(key) + ": a date-time needs an offset (Z for UTC)");
      }
      if (auto v = n.as_string()) return json(v->get());
      return wrong("an RFC 3339 date-time (2026-12-01T08:00:00Z)");
    case FieldType::kStringList: {
      auto a = n.as_array();
      if (!a) return wrong("an array of strings");
      json out = json::array();
      for (std::size_t i = 0; i < a->size(); ++i) {
        const toml::node& e = *a->get(i);
        auto s = e.as_string();
        if (!s) {
          return problem(e, std::string(key) + "[" + std::to_string(i) +
                                "]: expected a string, found " + toml_type(e));
        }
        out.push_back(s->get());
      }
      return out;
    }
    case FieldType::kIdentifierList:
      if (!n.is_array()) return wrong("an array of {scheme, value} tables");
      return generic(n);
  }
  return wrong("a known type");
}

struct RecordKey {
  Table table;
  std::string id;
  friend auto operator<=>(const RecordKey&, const RecordKey&) = default;
};

// Where a record came from. `table` points into a document Reader keeps alive.
struct RecordSource {
  std::string file;
  const toml::table* table = nullptr;
  std::string where;  // "file:line:col" of the record
};

class Reader {
 public:
  void add_file(const fs::path& path, const std::string& display) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) return add(display + ": cannot read: " + ec.message());
    if (size > kMaxFileBytes) {
      return add(display + ": file is larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB");
    }
    std::ifstream in(path, std::ios::binary);
    std::string text(static_cast<std::size_t>(size), '\0');
    if (!in || !in.read(text.data(), static_cast<std::streamsize>(text.size()))) {
      return add(display + ": cannot read the file");
    }
    add_text(text, display);
  }

  void add_text(std::string_view text, const std::string& display) {
    try {
      docs_.push_back(toml::parse(text, std::string_view(display)));
    } catch (const toml::parse_error& e) {
      return add(position(display, e.source()) + ": " + std::string(e.description()));
    }
    const toml::table& doc = docs_.back();
    for (const auto& [key, node] : doc) {
      auto table = domain::parse_table(key.str());
      if (!table) {
        add(position(display, key.source()) + ": unknown table [[" + std::string(key.str()) +
            "]]: " + table.error().message());
        continue;
      }
      const toml::array* records = node.as_array();
      if (!records) {
        add(position(display, node.source()) + ": " + std::string(key.str()) +
            " must be an array of tables ([[" + std::string(key.str()) + "]]), found " +
            toml_type(node));
        continue;
      }
      for (std::size_t i = 0; i < records->size(); ++i) {
        add_record(display, *table, *records->get(i), i);
      }
    }
  }

  // With a base register (the records imported earlier), the inventory is checked as it will
  // stand after the import: the base with the files' records added or replacing theirs.
  void set_base(const domain::Register* base) { base_ = base; }

  core::Result<domain::Register> finish() && {
    if (problems_.empty()) validate();
    if (!problems_.empty()) {
      std::string message;
      const std::size_t shown = std::min(problems_.size(), kMaxProblems);
      for (std::size_t i = 0; i < shown; ++i) message += (i ? "\n" : "") + problems_[i];
      if (problems_.size() > shown) {
        message += "\n... and " + std::to_string(problems_.size() - shown) + " more problems";
      }
      return core::invalid_argument(message);
    }
    sort_by_id(reg_.organisations);
    sort_by_id(reg_.sites);
    sort_by_id(reg_.rooms);
    sort_by_id(reg_.zones);
    sort_by_id(reg_.assets);
    sort_by_id(reg_.zone_links);
    sort_by_id(reg_.people);
    sort_by_id(reg_.screenings);
    sort_by_id(reg_.remote_access_policies);
    sort_by_id(reg_.maintenance_contracts);
    sort_by_id(reg_.faults);
    return std::move(reg_);
  }

  void add(std::string problem) { problems_.push_back(std::move(problem)); }

 private:
  template <typename T>
  static void sort_by_id(std::vector<T>& records) {
    std::sort(records.begin(), records.end(), [](const T& a, const T& b) { return a.id < b.id; });
  }

  void add_record(const std::string& file, Table table, const toml::node& node, std::size_t i) {
    const std::string tag = "[[" + std::string(domain::table_name(table)) + "]] ";
    const toml::table* record = node.as_table();
    std::string name = "#" + std::to_string(i + 1);
    if (!record) {
      return add(position(file, node.source()) + ": " + tag + name + ": expected a table, found " +
                 toml_type(node));
    }
    const std::string where = position(file, record->source());
    auto report = [&](const NodeProblem& p) {
      add(position(file, p.node->source()) + ": " + tag + name + ": " + p.message);
    };

    const toml::node* id_node = record->get("id");
    if (id_node && id_node->as_string() && !id_node->as_string()->get().empty()) {
      name = "'" + id_node->as_string()->get() + "'";
    }

    json object = json::object();
    bool ok = true;
    const auto fields = domain::record_fields(table);
    for (const auto& [key, value] : *record) {
      auto field = std::find_if(fields.begin(), fields.end(),
                                [&](const domain::FieldInfo& f) { return f.name == key.str(); });
      if (field == fields.end()) {
        add(position(file, key.source()) + ": " + tag + name + ": unknown key '" +
            std::string(key.str()) + "'");
        ok = false;
        continue;
      }
      auto converted = convert(value, field->type, key.str());
      if (!converted) {
        report(converted.error());
        ok = false;
        continue;
      }
      object[std::string(key.str())] = std::move(*converted);
    }
    if (!ok) return;
    if (!id_node) return add(where + ": " + tag + name + ": missing key 'id'");

    const std::string id = object["id"].get<std::string>();
    if (!id.empty()) {
      auto [it, inserted] = sources_.try_emplace(RecordKey{table, id}, RecordSource{});
      if (!inserted) {
        return add(where + ": " + tag + name + ": duplicate id (first at " + it->second.where +
                   ")");
      }
      it->second = RecordSource{file, record, where};
    }
    if (auto put = domain::put_record_json_detailed(reg_, table, object); !put) {
      const auto& e = put.error();
      const toml::node* at = e.field.empty() ? nullptr : toml::at_path(*record, e.field).node();
      add((at ? position(file, at->source()) : where) + ": " + tag + name + ": " +
          (e.field.empty() ? "" : e.field + ": ") + e.message);
      if (!id.empty()) sources_.erase(RecordKey{table, id});
    }
  }

  // Maps every validate_register problem to the record's file and the field's line.

  template <typename T>
  static void overlay(std::vector<T>& into, const std::vector<T>& records) {
    for (const T& r : records) {
      auto it = std::find_if(into.begin(), into.end(), [&](const T& x) { return x.id == r.id; });
      if (it != into.end()) {
        *it = r;
      } else {
        into.push_back(r);
      }
    }
  }

  domain::Register merged_with_base() const {
    domain::Register m = *base_;
    overlay(m.organisations, reg_.organisations);
    overlay(m.sites, reg_.sites);
    overlay(m.rooms, reg_.rooms);
    overlay(m.zones, reg_.zones);
    overlay(m.assets, reg_.assets);
    overlay(m.zone_links, reg_.zone_links);
    overlay(m.people, reg_.people);
    overlay(m.screenings, reg_.screenings);
    overlay(m.remote_access_policies, reg_.remote_access_policies);
    overlay(m.maintenance_contracts, reg_.maintenance_contracts);
    overlay(m.faults, reg_.faults);
    return m;
  }

  void validate() {
    const domain::Register checked = base_ ? merged_with_base() : domain::Register{};
    for (const auto& p : domain::validate_register(base_ ? checked : reg_)) {
      const std::string tag = "[[" + std::string(domain::table_name(p.table)) + "]] '" + p.id + "'";
      auto it = sources_.find(RecordKey{p.table, p.id});
      // A problem at a record the files do not hold is one of the register's records that the
      // import would break (e.g. a camera watching an asset the files turn into a server).
      std::string where = base_ ? "(already in the register)" : "(inventory)";
      if (it != sources_.end()) {
        where = it->second.where;
        if (!p.field.empty()) {
          if (const toml::node* at = toml::at_path(*it->second.table, p.field).node()) {
            where = position(it->second.file, at->source());
          }
        }
      }
      add(where + ": " + tag + ": " + (p.field.empty() ? "" : p.field + ": ") + p.message);
    }
  }

  domain::Register reg_;
  const domain::Register* base_ = nullptr;  // borrowed for the reader's life; may be null
  // The parsed documents: records point into them until validation is done. A deque, so that
  // adding a document moves none.
  std::deque<toml::table> docs_;
  std::map<RecordKey, RecordSource> sources_;
  std::vector<std::string> problems_;
};

// Runs fn(reader) and finishes, turning any exception into an internal error.
template <typename Fn>
core::Result<domain::Register> guarded(Fn&& fn) {
  try {
    Reader reader;
    if (auto s = fn(reader); !s) return std::unexpected(std::move(s).error());
    return std::move(reader).finish();
  } catch (const std::exception& e) {
    return core::internal_error(std::string("reading the inventory: ") + e.what());
  } catch (...) {
    return core::internal_error("reading the inventory: unknown exception");
  }
}

}  // namespace

core::Result<domain::Register> read_inventory_string(std::string_view toml, std::string_view name) {
  return guarded([&](Reader& r) -> core::Status {
    r.add_text(toml, std::string(name));
    return core::ok();
  });
}

core::Result<domain::Register> read_inventory(const std::filesystem::path& file_or_dir) {
  return read_inventory(file_or_dir, nullptr);
}

core::Result<domain::Register> read_inventory(const std::filesystem::path& file_or_dir,
                                              const domain::Register& base) {
  return read_inventory(file_or_dir, &base);
}

core::Result<domain::Register> read_inventory(const std::filesystem::path& file_or_dir,
                                              const domain::Register* base) {
  return guarded([&](Reader& r) -> core::Status {
    r.set_base(base);
    std::error_code ec;
    const auto status = fs::status(file_or_dir, ec);
    if (ec || !fs::exists(status)) {
      return core::not_found(file_or_dir.string() + ": no such file or directory");
    }
    if (!fs::is_directory(status)) {
      r.add_file(file_or_dir, file_or_dir.string());
      return core::ok();
    }
    std::vector<std::string> names;
    for (fs::directory_iterator it(file_or_dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      std::error_code type_ec;
      if (name.empty() || name[0] == '.' || it->path().extension() != ".toml" ||
          !it->is_regular_file(type_ec)) {
        continue;
      }
      names.push_back(name);
    }
    if (ec) return core::unavailable(file_or_dir.string() + ": cannot list: " + ec.message());
    if (names.empty()) {
      return core::invalid_argument(file_or_dir.string() + ": no *.toml files in the directory");
    }
    std::sort(names.begin(), names.end());
    for (const auto& name : names) r.add_file(file_or_dir / name, (file_or_dir / name).string());
    return core::ok();
  });
}

}  // namespace pw::formats

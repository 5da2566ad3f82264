// write_inventory: domain::Register -> TOML files. The text is emitted here rather than by
// toml++'s formatter, which orders keys alphabetically: this keeps `id` first and the fields in
// the order of domain::record_fields, and makes the bytes a function of the register alone.
// Timestamps are written as strings, not TOML date-times, so that their text (offset, fraction
// digits) comes back exactly.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "formats/inventory.h"

namespace pw::formats {
namespace {

namespace fs = std::filesystem;
using domain::FieldType;
using domain::Table;
using nlohmann::json;

constexpr std::string_view kFileNames[] = {"organisations.toml",
                                           "sites.toml",
                                           "rooms.toml",
                                           "zones.toml",
                                           "assets.toml",
                                           "zone_links.toml",
                                           "people.toml",
                                           "screenings.toml",
                                           "remote_access_policies.toml",
                                           "maintenance_contracts.toml",
                                           "faults.toml"};
static_assert(std::size(kFileNames) == domain::kTableCount);

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // No overlong forms, no surrogates, nothing beyond U+10FFFF.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

// A TOML basic string.
std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

class Emitter {
 public:
  explicit Emitter(std::string context) : context_(std::move(context)) {}

  core::Status string(std::string_view field, const json& v) {
    if (!v.is_string()) return bad(field, "is not a string");
    const auto& s = v.get_ref<const std::string&>();
    if (!valid_utf8(s)) return bad(field, "is not valid UTF-8");
    out_ += quote(s);
    return core::ok();
  }

  core::Status value(std::string_view field, FieldType type, const json& v) {
    switch (type) {
      case FieldType::kString:
      case FieldType::kTimestamp:
        return string(field, v);
      case FieldType::kBool:
        if (!v.is_boolean()) return bad(field, "is not a boolean");
        out_ += v.get<bool>() ? "true" : "false";
        return core::ok();
      case FieldType::kInteger:
        if (!v.is_number_integer()) return bad(field, "is not an integer");
        out_ += v.dump();
        return core::ok();
      case FieldType::kDate: {
        // A bare TOML date; only four-digit years can be written as one.
        if (!v.is_string()) return bad(field, "is not a date");
        const auto& s = v.get_ref<const std::string&>();
        if (s.size() != 10 || !domain::parse_date(s)) {
          return bad(field, "'" + s + "' cannot be written as a TOML date");
        }
        out_ += s;
        return core::ok();
      }
      case FieldType::kStringList: {
        if (!v.is_array()) return bad(field, "is not an array");
        out_ += "[";
        for (std::size_t i = 0; i < v.size(); ++i) {
          if (i) out_ += ", ";
          PW_TRY(string(field, v[i]));
        }
        out_ += "]";
        return core::ok();
      }
      case FieldType::kIdentifierList: {
        if (!v.is_array()) return bad(field, "is not an array");
        out_ += "[";
        for (std::size_t i = 0; i < v.size(); ++i) {
          if (i) out_ += ", ";
          if (!v[i].is_object()) return bad(field, "element is not an object");
          out_ += "{ scheme = ";
          PW_TRY(string(field, v[i].value("scheme", json())));
          out_ += ", value = ";
          PW_TRY(string(field, v[i].value("value", json())));
          out_ += " }";
        }
        out_ += "]";
        return core::ok();
      }
    }
    return bad(field, "has an unknown type");
  }

  void raw(std::string_view s) { out_ += s; }
  std::string take() { return std::move(out_); }

 private:
  core::Status bad(std::string_view field, const std::string& what) {
    return core::invalid_argument(context_ + ": " + std::string(field) + " " + what);
  }

  std::string context_;
  std::string out_;
};

template <typename T>
core::Result<std::string> format_records(Table table, const std::vector<T>& records) {
  if (records.empty()) return std::string();
  std::vector<const T*> sorted;
  for (const auto& r : records) sorted.push_back(&r);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const T* a, const T* b) { return a->id < b->id; });

  const std::string name(domain::table_name(table));
  std::string out = "# Exported by portwarden: the register's " + name +
                    " records, sorted by id.\n"
                    "# The format is described in src/formats/inventory.h; edit and import "
                    "again with `portwarden inventory import`.\n";
  const auto fields = domain::record_fields(table);
  for (const T* r : sorted) {
    const json object = domain::record_to_json(*r);
    Emitter e(name + " '" + r->id + "'");
    e.raw("\n[[" + name + "]]\n");
    for (const auto& f : fields) {
      auto it = object.find(f.name);
      if (it == object.end()) continue;
      e.raw(std::string(f.name) + " = ");
      PW_TRY(e.value(f.name, f.type, *it));
      e.raw("\n");
    }
    out += e.take();
  }
  return out;
}

core::Status errno_status(const std::string& what) {
  return core::unavailable(what + ": " + std::strerror(errno));
}

// Writes `content` to dir/name through a temporary file in the same directory, so that a reader
// sees the old file or the new one, never a part.
core::Status write_atomically(const fs::path& dir, const std::string& name,
                              const std::string& content) {
  const fs::path target = dir / name;
  const fs::path temp = dir / ("." + name + "." + std::to_string(::getpid()) + ".tmp");
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno_status("cannot create " + temp.string());
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      auto status = errno_status("cannot write " + temp.string());
      ::close(fd);
      ::unlink(temp.c_str());
      return status;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    auto status = errno_status("cannot sync " + temp.string());
    ::close(fd);
    ::unlink(temp.c_str());
    return status;
  }
  if (::close(fd) != 0) {
    auto status = errno_status("cannot close " + temp.string());
    ::unlink(temp.c_str());
    return status;
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    auto status = errno_status("cannot rename " + temp.string() + " to " + target.string());
    ::unlink(temp.c_str());
    return status;
  }
  return core::ok();
}

// Makes the renames and removals in `dir` durable.
core::Status sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_status("cannot open " + dir.string());
  const int rc = ::fsync(fd);
  auto status = rc == 0 ? core::ok() : errno_status("cannot sync " + dir.string());
  ::close(fd);
  return status;
}

core::Status write_all(const domain::Register& reg, const fs::path& dir) {
  // Everything is formatted before anything is written: a record that cannot be written fails
  // the export with the directory untouched.
  std::vector<std::string> texts;
  for (int i = 0; i < domain::kTableCount; ++i) {
    PW_ASSIGN_OR_RETURN(auto text, format_inventory_table(reg, static_cast<Table>(i)));
    texts.push_back(std::move(text));
  }

  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return core::unavailable("cannot create " + dir.string() + ": " + ec.message());
  const std::set<std::string_view> ours(std::begin(kFileNames), std::end(kFileNames));
  std::vector<std::string> foreign;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.empty() && name[0] != '.' && it->path().extension() == ".toml" &&
        !ours.contains(name)) {
      foreign.push_back(name);
    }
  }
  if (ec) return core::unavailable("cannot list " + dir.string() + ": " + ec.message());
  if (!foreign.empty()) {
    std::sort(foreign.begin(), foreign.end());
    std::string list;
    for (const auto& f : foreign) list += (list.empty() ? "" : ", ") + f;
    return core::failed_precondition(dir.string() + " holds other TOML files (" + list +
                                     ") that an import of the directory would also read; "
                                     "export into an empty directory");
  }

  for (int i = 0; i < domain::kTableCount; ++i) {
    const std::string name(kFileNames[i]);
    if (texts[static_cast<std::size_t>(i)].empty()) {
      if (::unlink((dir / name).c_str()) != 0 && errno != ENOENT) {
        return errno_status("cannot remove " + (dir / name).string());
      }
      continue;
    }
    PW_TRY(write_atomically(dir, name, texts[static_cast<std::size_t>(i)]));
  }
  return sync_directory(dir);
}

}  // namespace

std::string_view inventory_file_name(Table table) {
  const auto i = static_cast<std::size_t>(table);
  return i < std::size(kFileNames) ? kFileNames[i] : "unknown.toml";
}

core::Result<std::string> format_inventory_table(const domain::Register& reg, Table table) {
  switch (table) {
    case Table::kOrganisation:
      return format_records(table, reg.organisations);
    case Table::kSite:
      return format_records(table, reg.sites);
    case Table::kRoom:
      return format_records(table, reg.rooms);
    case Table::kZone:
      return format_records(table, reg.zones);
    case Table::kAsset:
      return format_records(table, reg.assets);
    case Table::kZoneLink:
      return format_records(table, reg.zone_links);
    case Table::kPerson:
      return format_records(table, reg.people);
    case Table::kScreening:
      return format_records(table, reg.screenings);
    case Table::kRemoteAccessPolicy:
      return format_records(table, reg.remote_access_policies);
    case Table::kMaintenanceContract:
      return format_records(table, reg.maintenance_contracts);
    case Table::kFault:
      break;
  }
  return format_records(table, reg.faults);
}

core::Status write_inventory(const domain::Register& reg, const std::filesystem::path& dir) {
  try {
    return write_all(reg, dir);
  } catch (const std::exception& e) {
    return core::internal_error(std::string("writing the inventory: ") + e.what());
  }
}

}  // namespace pw::formats

#pragma once
// The inventory: the site register (domain/register.h) as TOML files that people edit and
// portwarden imports and exports (issue 4; DESIGN.md: Fleet and site register).
//
// Format: top-level arrays of tables named by domain::table_name, one table per record:
//
//   [[asset]]
//   id = "scanner-1"
//   kind = "scanner"
//   vendor = "nuctech"
//   ...
//
// The keys are the fields of domain::record_to_json; an absent key takes the field's default.
// Dates (screening issued/expires, contract start/end) are TOML local dates or "YYYY-MM-DD"
// strings; timestamps (first_window, reported, resolved) are TOML offset date-times or RFC 3339
// strings; identifiers are an array of inline tables {scheme = "...", value = "..."}. The
// tables may be spread over any number of files in any order: references are resolved over the
// whole inventory.
//
// Reading is all-or-nothing: any problem returns an error (invalid_argument; not_found for a
// missing path) and no Register. The error's message has one line per problem (at most 100),
// each naming the file, the line and column when known, the table, the record (its id, or
// "#N" for the N-th record of that table in the file when it has none) and the field:
//
//   examples/x/assets.toml:12:1: [[asset]] 'scanner-1': unknown key 'vendr'
//
// Problems found: TOML syntax errors, unknown top-level tables, unknown keys, wrong types, bad
// enum values, a missing or duplicate id (also across files: both places are named), and every
// domain::validate_register problem (dangling references, wrong kinds, date order, ...),
// reported at the record's field. No exception escapes these functions.

#include <filesystem>
#include <string_view>

#include "core/result.h"
#include "domain/register.h"

namespace pw::formats {

// Reads one TOML file, or every *.toml file directly in a directory (sorted by name, not
// recursive; names starting with '.' are skipped). Each table of the returned Register is
// sorted by id, whatever the order in the files, so the same inventory always reads the same.
core::Result<domain::Register> read_inventory(const std::filesystem::path& file_or_dir);

// The same, for an import into an existing register: the files may refer to records of `base`
// (imported earlier), and are checked as the register will stand after the import (base with
// the files' records added or replacing theirs). Problems at base records the files would break
// are reported as "(already in the register)". Returns only the files' records.
core::Result<domain::Register> read_inventory(const std::filesystem::path& file_or_dir,
                                              const domain::Register& base);
core::Result<domain::Register> read_inventory(const std::filesystem::path& file_or_dir,
                                              const domain::Register* base);  // base may be null

// Reads TOML text; `name` stands for the file in error messages.
core::Result<domain::Register> read_inventory_string(std::string_view toml, std::string_view name);

// The file write_inventory writes a table to: "organisations.toml", "sites.toml", "rooms.toml",
// "zones.toml", "assets.toml", "zone_links.toml", "people.toml", "screenings.toml",
// "remote_access_policies.toml", "maintenance_contracts.toml", "faults.toml".
std::string_view inventory_file_name(domain::Table table);

// Writes one file per non-empty table into `dir` (created if missing), records sorted by id,
// every field written, with a header comment saying portwarden exported it. The bytes depend
// only on the register. Each file is replaced atomically (temporary file, fsync, rename); the
// file of a table that is now empty is removed. Fails with failed_precondition, writing nothing,
// if `dir` holds other *.toml files (read_inventory would read them back with the export).
// For a register that validate_register accepts and whose tables are sorted by id (as
// read_inventory returns them), read_inventory(dir) gives back an equal register.
core::Status write_inventory(const domain::Register& reg, const std::filesystem::path& dir);

// The text write_inventory writes for one table (empty when the table is empty).
core::Result<std::string> format_inventory_table(const domain::Register& reg, domain::Table table);

}  // namespace pw::formats

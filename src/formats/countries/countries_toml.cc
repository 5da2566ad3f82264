#include <algorithm>
#include <cctype>

#include "formats/countries.h"
#include "formats/internal/toml_fields.h"

namespace pw::formats {
namespace {

using internal::TomlTable;

constexpr std::size_t kMaxFileBytes = 4 << 20;

template <typename T, typename Parse>
core::Status enum_field(const TomlTable& t, std::string_view key, T& out, Parse parse) {
  std::string s;
  PW_TRY(t.string(key, s, true));
  auto v = parse(s);
  if (!v) return t.fail(key, v.error().message());
  out = *v;
  return core::ok();
}

core::Status read_sources(const TomlTable& t, std::vector<domain::ProfileSource>& out) {
  PW_ASSIGN_OR_RETURN(const toml::array* a, t.array("sources", true));
  if (a->empty()) return t.fail("sources", "at least one source is required");
  for (std::size_t i = 0; i < a->size(); ++i) {
    const std::string at = t.path() + ".sources[" + std::to_string(i) + "]";
    const toml::table* st = a->get(i)->as_table();
    if (!st) return core::invalid_argument(at + ": expected a table { title, url, as_of }");
    TomlTable s(*st, at);
    PW_TRY(s.only({"title", "url", "as_of"}));
    domain::ProfileSource src;
    PW_TRY(s.string("title", src.title, true));
    PW_TRY(s.string("url", src.url));
    PW_TRY(s.date("as_of", src.as_of, true));
    out.push_back(std::move(src));
  }
  return core::ok();
}

core::Status read_basis(const TomlTable& t, domain::StatementBasis& b) {
  PW_TRY(t.string("summary", b.summary));
  PW_TRY(enum_field(t, "confidence", b.confidence, domain::parse_confidence));
  return read_sources(t, b.sources);
}

core::Result<TomlTable> sub(const TomlTable& parent, std::string_view key) {
  PW_ASSIGN_OR_RETURN(const toml::table* t, parent.subtable(key, true));
  return TomlTable(*t, parent.path() + "." + std::string(key));
}

core::Status read_country(const TomlTable& t, domain::CountryProfile& c) {
  PW_TRY(t.only({"name", "cooperation_law", "offensive_programme", "relations", "state_bodies"}));
  PW_TRY(t.string("name", c.name, true));
  {
    PW_ASSIGN_OR_RETURN(const TomlTable law, sub(t, "cooperation_law"));
    PW_TRY(law.only({"scope", "law", "article", "summary", "confidence", "sources"}));
    PW_TRY(enum_field(law, "scope", c.cooperation_law.scope, domain::parse_cooperation_law));
    PW_TRY(law.string("law", c.cooperation_law.law));
    PW_TRY(law.string("article", c.cooperation_law.article));
    if (c.cooperation_law.scope != domain::CooperationLaw::kUnknown &&
        c.cooperation_law.scope != domain::CooperationLaw::kNone && c.cooperation_law.law.empty()) {
      return law.fail("law", "is required when scope is general or sectoral (name the law)");
    }
    PW_TRY(read_basis(law, c.cooperation_law.basis));
  }
  {
    PW_ASSIGN_OR_RETURN(const TomlTable p, sub(t, "offensive_programme"));
    PW_TRY(p.only({"finding", "summary", "confidence", "sources"}));
    PW_TRY(enum_field(p, "finding", c.offensive_programme.finding, domain::parse_threat_finding));
    PW_TRY(read_basis(p, c.offensive_programme.basis));
  }
  {
    PW_ASSIGN_OR_RETURN(const TomlTable r, sub(t, "relations"));
    PW_TRY(r.only({"value", "summary", "confidence", "sources"}));
    PW_TRY(enum_field(r, "value", c.relations.value, domain::parse_relations));
    PW_TRY(read_basis(r, c.relations.basis));
  }
  PW_ASSIGN_OR_RETURN(const toml::array* bodies, t.array("state_bodies"));
  if (bodies) {
    for (std::size_t i = 0; i < bodies->size(); ++i) {
      const std::string at = t.path() + ".state_bodies[" + std::to_string(i) + "]";
      const toml::table* bt = bodies->get(i)->as_table();
      if (!bt) return core::invalid_argument(at + ": expected a table");
      TomlTable b(*bt, at);
      PW_TRY(b.only({"name", "names", "identifiers", "summary", "confidence", "sources"}));
      domain::StateBodyPattern p;
      PW_TRY(b.string("name", p.name, true));
      PW_TRY(b.strings("names", p.names));
      PW_ASSIGN_OR_RETURN(const toml::array* ids, b.array("identifiers"));
      if (ids) {
        for (std::size_t j = 0; j < ids->size(); ++j) {
          const std::string id_at = at + ".identifiers[" + std::to_string(j) + "]";
          const toml::table* it = ids->get(j)->as_table();
          if (!it) return core::invalid_argument(id_at + ": expected a table { scheme, value }");
          TomlTable idt(*it, id_at);
          PW_TRY(idt.only({"scheme", "value"}));
          domain::Identifier id;
          PW_TRY(idt.string("scheme", id.scheme, true));
          PW_TRY(idt.string("value", id.value, true));
          std::transform(id.scheme.begin(), id.scheme.end(), id.scheme.begin(),
                         [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
          p.identifiers.push_back(std::move(id));
        }
      }
      if (p.names.empty() && p.identifiers.empty()) {
        return b.fail("names", "a state body needs names or identifiers to match");
      }
      PW_TRY(read_basis(b, p.basis));
      c.state_bodies.push_back(std::move(p));
    }
  }
  return core::ok();
}

bool is_country_code(std::string_view s) {
  return s.size() == 2 &&
         std::all_of(s.begin(), s.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
}

}  // namespace

core::Result<domain::CountryProfiles> parse_country_profiles(std::string_view text,
                                                             std::string_view source_name) {
  auto parsed = [&]() -> core::Result<domain::CountryProfiles> {
    PW_ASSIGN_OR_RETURN(const toml::table doc, internal::parse_toml(text, source_name));
    const TomlTable root(doc, "");
    PW_TRY(root.only({"version", "countries"}));
    std::int64_t version = 0;
    PW_TRY(root.integer("version", version, true));
    if (version != 1) return root.fail("version", "unsupported version (want 1)");
    PW_ASSIGN_OR_RETURN(const toml::table* countries, root.subtable("countries", true));
    domain::CountryProfiles out;
    for (const auto& [key, node] : *countries) {
      const std::string code(key.str());
      const std::string at = "countries." + code;
      if (!is_country_code(code)) {
        return core::invalid_argument(at + ": not an ISO 3166-1 alpha-2 code in capitals");
      }
      const toml::table* t = node.as_table();
      if (!t) return core::invalid_argument(at + ": expected a table");
      domain::CountryProfile c;
      c.code = code;
      PW_TRY(read_country(TomlTable(*t, at), c));
      out.countries.push_back(std::move(c));
    }
    return out;
  }();
  if (!parsed) {
    // parse_toml already names the source.
    const std::string& m = parsed.error().message();
    if (m.starts_with(std::string(source_name) + ":")) return parsed;
    return std::unexpected(parsed.error().with_context(source_name));
  }
  return parsed;
}

core::Result<domain::CountryProfiles> read_country_profiles(const std::string& path) {
  PW_ASSIGN_OR_RETURN(const std::string text, internal::read_text_file(path, kMaxFileBytes));
  return parse_country_profiles(text, path);
}

}  // namespace pw::formats

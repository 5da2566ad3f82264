// GLEIF golden-copy JSON -> record trees. Members become child nodes; an array member becomes
// one node per element (as repeated XML elements would); {"$": text, "@attr": ...} objects
// (the XML-to-JSON convention of the full golden-copy files) become a node whose text is "$".

#include <string>

#include "formats/gleif/record_tree.h"
#include "formats/internal/json_fields.h"
#include "formats/internal/json_records.h"

namespace pw::formats::gleif {
namespace {

using internal::field_error;
using internal::FieldStatus;
using internal::under;
using simdjson::ondemand::json_type;
using simdjson::ondemand::value;

// Recursion is bounded: read_json_records rejects records nested deeper than max_depth before
// they reach here.
FieldStatus build(value& v, Node& node) {
  json_type type;
  if (v.type().get(type)) return field_error("", "malformed JSON");
  switch (type) {
    case json_type::object: {
      auto o = internal::get_object(v);
      if (!o) return std::unexpected(o.error());
      return internal::for_each_field(*o, [&](std::string_view key, value& member) -> FieldStatus {
        if (key == "$") {
          auto s = internal::get_string(member);
          if (!s) return std::unexpected(under(key, s.error()));
          node.text = std::string(*s);
          return {};
        }
        if (!key.empty() && key.front() == '@') return {};  // XML attributes: not used
        json_type member_type;
        if (member.type().get(member_type)) return field_error(std::string(key), "malformed JSON");
        if (member_type == json_type::array) {
          auto a = internal::get_array(member);
          if (!a) return std::unexpected(under(key, a.error()));
          return internal::for_each_element(*a, [&](std::size_t i, value& item) -> FieldStatus {
            node.children.push_back(Node{std::string(key), {}, {}});
            if (auto r = build(item, node.children.back()); !r) {
              return std::unexpected(under(key, i, r.error()));
            }
            return {};
          });
        }
        node.children.push_back(Node{std::string(key), {}, {}});
        if (auto r = build(member, node.children.back()); !r) {
          return std::unexpected(under(key, r.error()));
        }
        return {};
      });
    }
    case json_type::array: {
      auto a = internal::get_array(v);
      if (!a) return std::unexpected(a.error());
      return internal::for_each_element(*a, [&](std::size_t i, value& item) -> FieldStatus {
        node.children.push_back(Node{});
        if (auto r = build(item, node.children.back()); !r) {
          return std::unexpected(under("", i, r.error()));
        }
        return {};
      });
    }
    case json_type::string: {
      auto s = internal::get_string(v);
      if (!s) return std::unexpected(s.error());
      node.text = std::string(*s);
      return {};
    }
    case json_type::number:
    case json_type::boolean:
      node.text = std::string(internal::raw_token(v));
      return {};
    case json_type::null:
      return {};
  }
  return {};
}

}  // namespace

core::Status read_json(ByteSource& source, internal::IssueCollector& issues, Converter& converter) {
  return internal::read_json_records(
      source, issues,
      [&](simdjson::ondemand::object& record, const internal::RecordRef& ref) -> core::Status {
        Node root;
        auto r =
            internal::for_each_field(record, [&](std::string_view key, value& v) -> FieldStatus {
              root.children.push_back(Node{std::string(key), {}, {}});
              if (auto b = build(v, root.children.back()); !b)
                return std::unexpected(under(key, b.error()));
              return {};
            });
        if (!r) {
          ++issues.summary().records_skipped;
          return issues.error(ref, std::move(r.error().field), std::move(r.error().message));
        }
        if (root.child("LEI") != nullptr && root.child("Entity") != nullptr) {
          return converter.add(root, RecordKind::kLei, ref);
        }
        if (root.child("Relationship") != nullptr) {
          return converter.add(root, RecordKind::kRelationship, ref);
        }
        if (root.child("ExceptionCategory") != nullptr) {
          return converter.add(root, RecordKind::kException, ref);
        }
        ++issues.summary().records_skipped;
        if (root.child("data") != nullptr || root.child("attributes") != nullptr) {
          return issues.error(ref, "",
                              "GLEIF API JSON ({\"data\": ...}) is not supported; use "
                              "the golden-copy files (XML or JSON)");
        }
        return issues.error(ref, "", "not a GLEIF LEI, relationship or reporting-exception record");
      });
}

}  // namespace pw::formats::gleif

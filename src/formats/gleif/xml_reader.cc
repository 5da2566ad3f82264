// GLEIF XML -> record trees, streamed through Expat in chunks. Only the record being read is
// held in memory. DTDs are refused outright: a DOCTYPE ends the import before any declaration
// in it is processed, so no entity (internal or external) is ever expanded.

#include <expat.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/gleif/record_tree.h"

namespace pw::formats::gleif {
namespace {

using internal::IssueCollector;
using internal::RecordRef;

constexpr char kNamespaceSeparator = '\x1f';

std::string_view local_name(const XML_Char* name) {
  std::string_view n(name);
  if (auto pos = n.rfind(kNamespaceSeparator); pos != std::string_view::npos)
    n.remove_prefix(pos + 1);
  return n;
}

std::optional<RecordKind> record_kind(std::string_view name) {
  if (name == "LEIRecord") return RecordKind::kLei;
  if (name == "RelationshipRecord") return RecordKind::kRelationship;
  if (name == "Exception") return RecordKind::kException;
  return std::nullopt;
}

bool known_root(std::string_view name) {
  return name == "LEIData" || name == "RelationshipData" || name == "ReportingExceptionData" ||
         record_kind(name).has_value();
}

struct ParserDeleter {
  void operator()(XML_Parser p) const { XML_ParserFree(p); }
};

class XmlReader {
 public:
  XmlReader(ByteSource& source, IssueCollector& issues, Converter& converter)
      : source_(source), issues_(issues), converter_(converter), opts_(issues.options()) {}

  core::Status run();

 private:
  static void XMLCALL on_start(void* self, const XML_Char* name, const XML_Char** attrs);
  static void XMLCALL on_end(void* self, const XML_Char* name);
  static void XMLCALL on_text(void* self, const XML_Char* s, int len);
  static void XMLCALL on_doctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*,
                                 int);
  static void XMLCALL on_entity_decl(void* self, const XML_Char*, int, const XML_Char*, int,
                                     const XML_Char*, const XML_Char*, const XML_Char*,
                                     const XML_Char*);

  void start(std::string_view name);
  void end();
  void text(std::string_view s);
  // Stops parsing with a file-level error at the current position.
  void fail(core::Code code, const std::string& message);
  std::uint64_t offset() const {
    return static_cast<std::uint64_t>(XML_GetCurrentByteIndex(parser_));
  }

  ByteSource& source_;
  IssueCollector& issues_;
  Converter& converter_;
  const ImportOptions& opts_;
  XML_Parser parser_ = nullptr;

  std::optional<core::Error> error_;  // why the parser was stopped
  std::size_t depth_ = 0;
  bool root_seen_ = false;
  // The record being read: its tree, the open elements inside it, its size so far.
  std::optional<RecordKind> kind_;
  Node record_;
  std::vector<Node*> open_;
  std::size_t record_depth_ = 0;  // depth_ of the record's own element
  std::size_t record_bytes_ = 0;
  bool record_too_big_ = false;
  RecordRef ref_;
  std::uint64_t records_ = 0;
};

void XmlReader::fail(core::Code code, const std::string& message) {
  if (!error_) error_ = issues_.fatal(code, offset(), message);
  XML_StopParser(parser_, XML_FALSE);
}

void XMLCALL XmlReader::on_start(void* self, const XML_Char* name, const XML_Char**) {
  static_cast<XmlReader*>(self)->start(local_name(name));
}
void XMLCALL XmlReader::on_end(void* self, const XML_Char*) {
  static_cast<XmlReader*>(self)->end();
}
void XMLCALL XmlReader::on_text(void* self, const XML_Char* s, int len) {
  static_cast<XmlReader*>(self)->text(std::string_view(s, static_cast<std::size_t>(len)));
}
void XMLCALL XmlReader::on_doctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*,
                                   int) {
  static_cast<XmlReader*>(self)->fail(
      core::Code::kInvalidArgument,
      "XML DOCTYPE declarations are not accepted (no DTDs, no entity expansion)");
}
void XMLCALL XmlReader::on_entity_decl(void* self, const XML_Char*, int, const XML_Char*, int,
                                       const XML_Char*, const XML_Char*, const XML_Char*,
                                       const XML_Char*) {
  static_cast<XmlReader*>(self)->fail(core::Code::kInvalidArgument,
                                      "XML entity declarations are not accepted");
}

void XmlReader::start(std::string_view name) {
  if (error_) return;
  if (++depth_ > opts_.max_depth) {
    fail(core::Code::kInvalidArgument,
         "XML nesting is deeper than " + std::to_string(opts_.max_depth) + " levels");
    return;
  }
  if (!root_seen_) {
    root_seen_ = true;
    if (!known_root(name)) {
      fail(core::Code::kInvalidArgument,
           "root element <" + std::string(name) +
               "> is not GLEIF LEIData, RelationshipData or ReportingExceptionData");
      return;
    }
  }
  if (!kind_) {
    kind_ = record_kind(name);
    if (!kind_) return;  // a header or wrapper element outside any record
    ++issues_.summary().records_read;
    ref_ = RecordRef{++records_, offset()};
    record_depth_ = depth_;
    record_ = Node{std::string(name), {}, {}};
    open_.assign(1, &record_);
    record_bytes_ = 0;
    record_too_big_ = false;
    return;
  }
  if (record_too_big_) return;
  Node* parent = open_.back();
  parent->children.push_back(Node{std::string(name), {}, {}});
  open_.push_back(&parent->children.back());
  record_bytes_ += name.size() + 16;
}

void XmlReader::text(std::string_view s) {
  if (error_ || !kind_ || record_too_big_ || open_.empty()) return;
  record_bytes_ += s.size();
  if (record_bytes_ > opts_.max_record_bytes) {
    record_too_big_ = true;
    ++issues_.summary().records_skipped;
    if (auto st = issues_.error(
            ref_, "",
            "record is larger than " + std::to_string(opts_.max_record_bytes) + " bytes; skipped");
        !st) {
      error_ = st.error();
      XML_StopParser(parser_, XML_FALSE);
    }
    return;
  }
  open_.back()->text.append(s);
}

void XmlReader::end() {
  if (error_) return;
  const std::size_t closing = depth_--;
  if (!kind_) return;
  if (closing != record_depth_) {
    if (!record_too_big_) open_.pop_back();
    return;
  }
  const RecordKind kind = *kind_;
  kind_.reset();
  open_.clear();
  if (record_too_big_) return;
  if (auto st = converter_.add(record_, kind, ref_); !st) {
    error_ = st.error();
    XML_StopParser(parser_, XML_FALSE);
  }
}

core::Status XmlReader::run() {
  std::unique_ptr<XML_ParserStruct, ParserDeleter> parser(
      XML_ParserCreateNS(nullptr, kNamespaceSeparator));
  if (!parser) return core::internal_error("cannot create an XML parser");
  parser_ = parser.get();
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, &XmlReader::on_start, &XmlReader::on_end);
  XML_SetCharacterDataHandler(parser_, &XmlReader::on_text);
  XML_SetStartDoctypeDeclHandler(parser_, &XmlReader::on_doctype);
  XML_SetEntityDeclHandler(parser_, &XmlReader::on_entity_decl);
  XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);

  const std::size_t chunk = std::max<std::size_t>(opts_.chunk_bytes, 4096);
  const int chunk_int = static_cast<int>(std::min<std::size_t>(chunk, 1 << 30));
  std::uint64_t total = 0;
  while (true) {
    void* buf = XML_GetBuffer(parser_, chunk_int);
    if (buf == nullptr) return core::internal_error("out of memory for the XML buffer");
    PW_ASSIGN_OR_RETURN(std::size_t n,
                        source_.read(static_cast<char*>(buf), static_cast<std::size_t>(chunk_int)));
    total += n;
    const bool final = n == 0;
    if (XML_ParseBuffer(parser_, static_cast<int>(n), final ? XML_TRUE : XML_FALSE) !=
        XML_STATUS_OK) {
      if (error_) return std::unexpected(*error_);
      const XML_Error code = XML_GetErrorCode(parser_);
      if (!root_seen_ && code == XML_ERROR_NO_ELEMENTS) {
        return std::unexpected(issues_.fatal(core::Code::kInvalidArgument, total,
                                             "the input is empty (no XML element)"));
      }
      const std::string where =
          "line " + std::to_string(XML_GetCurrentLineNumber(parser_)) + ", column " +
          std::to_string(XML_GetCurrentColumnNumber(parser_) + 1);  // Expat counts from 0
      if (final && (code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN ||
                    code == XML_ERROR_PARTIAL_CHAR)) {
        return std::unexpected(issues_.fatal(
            core::Code::kDataLoss, offset(),
            "unexpected end of input (" + where + "): the XML document is truncated"));
      }
      return std::unexpected(
          issues_.fatal(core::Code::kInvalidArgument, offset(),
                        "XML is not well-formed at " + where + ": " + XML_ErrorString(code)));
    }
    if (final) return core::ok();
  }
}

}  // namespace

core::Status read_xml(ByteSource& source, IssueCollector& issues, Converter& converter) {
  XmlReader reader(source, issues, converter);
  return reader.run();
}

}  // namespace pw::formats::gleif

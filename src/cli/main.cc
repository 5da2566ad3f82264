// portwarden: the command-line adapter. Parses arguments, calls app/, prints results, and maps
// errors to the documented exit codes (docs/CLI.md). Nothing here knows the store or journal.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "app/audit.h"
#include "app/journal_service.h"
#include "app/ownership_service.h"
#include "app/tls_cert.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "core/bytes.h"
#include "core/clock.h"

namespace {

using pw::core::Code;
using pw::core::Error;
using namespace pw::cli;

std::string hex(const pw::core::Hash& h) {
  return pw::core::to_hex(h);
}

nlohmann::json hashes_json(const std::vector<pw::core::Hash>& hs) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& h : hs) a.push_back(hex(h));
  return a;
}

std::string join_hex(const std::vector<pw::core::Hash>& hs) {
  std::string out;
  for (const auto& h : hs) out += (out.empty() ? "" : ",") + hex(h);
  return out;
}

pw::core::Result<std::vector<pw::core::Hash>> parse_proof(const std::string& text) {
  std::vector<pw::core::Hash> out;
  if (text.empty()) return out;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = text.find(',', start);
    std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    auto h = pw::core::parse_hash(item);
    if (!h)
      return std::unexpected(
          h.error().with_context("--proof item " + std::to_string(out.size() + 1)));
    out.push_back(*h);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// ---- commands ----------------------------------------------------------------------------

int cmd_init(const Globals& g, const std::string& origin, bool tls, const pw::core::Clock& clock) {
  auto r = pw::app::init_journal(paths(g), origin, clock);
  if (!r) return report_error(g, r.error());
  const pw::app::TlsFiles tls_files = pw::app::default_tls_files(g.db);
  if (tls) {
    // For a demo or a first start on localhost; production uses a certificate of its own CA.
    if (auto st = pw::app::create_self_signed_tls(tls_files, clock.now(), 90); !st) {
      return report_error(g, st.error());
    }
  }
  if (g.json) {
    nlohmann::json j{{"db", g.db},
                     {"key", paths(g).key},
                     {"origin", r->origin},
                     {"verifier_key", r->verifier_key}};
    if (tls) j["tls"] = {{"certificate", tls_files.certificate}, {"key", tls_files.key}};
    std::cout << j.dump() << "\n";
  } else {
    std::cout << "initialised " << g.db << "\nsigning key " << paths(g).key
              << " (mode 0600)\nverifier key " << r->verifier_key << "\n";
    if (tls) {
      std::cout << "self-signed TLS certificate for localhost (90 days) " << tls_files.certificate
                << ", key " << tls_files.key << " (mode 0600)\n";
    }
  }
  return kExitOk;
}

void print_appended(const Globals& g, const pw::app::Appended& a) {
  if (g.json) {
    std::cout
        << nlohmann::json{{"seq", a.seq}, {"leaf_hash", hex(a.leaf_hash)}, {"time", a.time}}.dump()
        << "\n";
  } else {
    std::cout << a.seq << "\n";
  }
}

int cmd_append(const Globals& g, const std::string& type, const std::string& payload,
               const std::string& jsonl, int concurrency, const pw::core::Clock& clock) {
  if (jsonl.empty() == type.empty()) {
    return report_error(
        g, Error(Code::kInvalidArgument, "give either --type (with --payload) or --jsonl"));
  }
  auto svc = open_service(g, clock);
  if (!svc) return report_error(g, svc.error());
  if (!type.empty()) {
    auto a = (*svc)->append_json(type, g.actor, payload.empty() ? "{}" : payload);
    if (!a) return report_error(g, a.error());
    print_appended(g, *a);
    return kExitOk;
  }
  // Lines are read and appended by `concurrency` workers; each acknowledged append is printed
  // (and flushed) as soon as it is durable, so a caller can trust every line it has read.
  FILE* in = jsonl == "-" ? stdin : std::fopen(jsonl.c_str(), "r");
  if (in == nullptr) return report_error(g, Error(Code::kNotFound, "cannot read " + jsonl));
  std::mutex in_mu, out_mu;
  std::uint64_t line_no = 0;
  std::atomic<bool> stop{false};
  std::optional<Error> first_error;
  auto worker = [&] {
    std::string line;
    while (!stop) {
      std::uint64_t my_line;
      {
        std::lock_guard lock(in_mu);
        line.clear();
        int c;
        bool got = false;
        while ((c = std::fgetc(in)) != EOF) {
          got = true;
          if (c == '\n') break;
          line.push_back(static_cast<char>(c));
        }
        if (!got) return;
        my_line = ++line_no;
      }
      if (line.empty()) continue;
      auto draft = pw::app::parse_event_line(line, g.actor);
      pw::core::Result<pw::app::Appended> a =
          draft ? (*svc)->append(std::move(*draft)) : std::unexpected(draft.error());
      std::lock_guard lock(out_mu);
      if (!a) {
        if (!first_error) first_error = a.error().with_context("line " + std::to_string(my_line));
        stop = true;
        return;
      }
      print_appended(g, *a);
      std::cout.flush();
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < std::max(1, concurrency); ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  if (in != stdin) std::fclose(in);
  if (first_error) return report_error(g, *first_error);
  return kExitOk;
}

int cmd_checkpoint(const Globals& g, const pw::core::Clock& clock) {
  auto svc = open_service(g, clock);
  if (!svc) return report_error(g, svc.error());
  auto cp = (*svc)->checkpoint();
  if (!cp) return report_error(g, cp.error());
  if (g.json) {
    std::cout << nlohmann::json{{"size", cp->size},
                                {"root", hex(cp->root)},
                                {"note", cp->note},
                                {"created", cp->created}}
                     .dump()
              << "\n";
  } else {
    std::cout << cp->note;
  }
  return kExitOk;
}

int cmd_proof(const Globals& g, std::uint64_t index, std::optional<std::uint64_t> size,
              const pw::core::Clock& clock) {
  auto svc = open_service(g, clock);
  if (!svc) return report_error(g, svc.error());
  auto p = (*svc)->inclusion_proof(index, size);
  if (!p) return report_error(g, p.error());
  if (g.json) {
    std::cout << nlohmann::json{{"index", p->index},
                                {"size", p->size},
                                {"leaf_hash", hex(p->leaf_hash)},
                                {"root", hex(p->root)},
                                {"proof", hashes_json(p->proof)},
                                {"entry", p->entry}}
                     .dump()
              << "\n";
  } else {
    std::cout << "index " << p->index << "\nsize " << p->size << "\nleaf-hash " << hex(p->leaf_hash)
              << "\nroot " << hex(p->root) << "\nproof " << join_hex(p->proof) << "\nentry "
              << p->entry << "\n";
  }
  return kExitOk;
}

int cmd_consistency(const Globals& g, std::uint64_t from, std::optional<std::uint64_t> to,
                    const pw::core::Clock& clock) {
  auto svc = open_service(g, clock);
  if (!svc) return report_error(g, svc.error());
  auto p = (*svc)->consistency_proof(from, to);
  if (!p) return report_error(g, p.error());
  if (g.json) {
    std::cout << nlohmann::json{{"size1", p->size1},
                                {"size2", p->size2},
                                {"root1", hex(p->root1)},
                                {"root2", hex(p->root2)},
                                {"proof", hashes_json(p->proof)}}
                     .dump()
              << "\n";
  } else {
    std::cout << "size1 " << p->size1 << "\nsize2 " << p->size2 << "\nroot1 " << hex(p->root1)
              << "\nroot2 " << hex(p->root2) << "\nproof " << join_hex(p->proof) << "\n";
  }
  return kExitOk;
}

int cmd_verify_journal(const Globals& g, std::size_t max_problems, const pw::core::Clock& clock) {
  auto svc = open_service(g, clock);
  if (!svc) return report_error(g, svc.error());
  auto r = (*svc)->verify(terminal_progress(), max_problems);
  if (!r) return report_error(g, r.error());
  if (g.json) {
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : r->problems) problems.push_back({{"where", p.where}, {"what", p.what}});
    std::cout << nlohmann::json{{"ok", r->ok()},       {"entries", r->entries},
                                {"nodes", r->nodes},   {"checkpoints", r->checkpoints},
                                {"views", r->views},   {"root", hex(r->root)},
                                {"problems", problems}}
                     .dump()
              << "\n";
  } else if (r->ok()) {
    std::cout << "journal OK: " << r->entries << " entries, " << r->nodes << " Merkle nodes, "
              << r->checkpoints << " checkpoints, " << r->views << " view documents checked; root "
              << hex(r->root) << "\n";
  } else {
    std::cout << "journal INVALID: first problem: " << r->problems.front().where << " "
              << r->problems.front().what << "\n";
    for (std::size_t i = 1; i < r->problems.size(); ++i) {
      std::cout << "  also: " << r->problems[i].where << " " << r->problems[i].what << "\n";
    }
  }
  return r->ok() ? kExitOk : kExitInvalid;
}

int cmd_replay(const Globals& g, const pw::core::Clock& clock) {
  auto svc = open_service(g, clock);
  if (!svc) return report_error(g, svc.error());
  auto n = (*svc)->replay(terminal_progress());
  if (!n) return report_error(g, n.error());
  if (g.json) {
    std::cout << nlohmann::json{{"replayed", *n}}.dump() << "\n";
  } else {
    std::cout << "views rebuilt from " << *n << " entries\n";
  }
  return kExitOk;
}

int cmd_export(const Globals& g, const std::string& dir, const pw::core::Clock& clock) {
  auto svc = open_service(g, clock);
  if (!svc) return report_error(g, svc.error());
  auto cp = (*svc)->export_bundle(dir, terminal_progress());
  if (!cp) return report_error(g, cp.error());
  if (g.json) {
    std::cout << nlohmann::json{{"dir", dir}, {"size", cp->size}, {"root", hex(cp->root)}}.dump()
              << "\n";
  } else {
    std::cout << "exported " << cp->size << " entries to " << dir << " (see " << dir
              << "/VERIFY.md)\n";
  }
  return kExitOk;
}

int print_verdict(const Globals& g, const pw::app::Verdict& v) {
  if (g.json) {
    std::cout << nlohmann::json{{"valid", v.valid}, {"reason", v.reason}}.dump() << "\n";
  } else {
    std::cout << (v.valid ? "VALID: " : "INVALID: ") << v.reason << "\n";
  }
  return v.valid ? kExitOk : kExitInvalid;
}

// ---- ownership ---------------------------------------------------------------------------

struct OwnershipArgs {
  std::string file, format, entity, owner, state, svg, as_of;
  bool strict = false;
  int top = 5;
  double min_pct = 0.0;
};

template <typename Fn>
int with_ownership(const Globals& g, const pw::core::Clock& clock, Fn fn) {
  auto svc = open_service(g, clock);
  if (!svc) return report_error(g, svc.error());
  pw::app::OwnershipService own(**svc, clock, pw::app::OwnershipService::blob_dir_for(g.db));
  return fn(own);
}

int print_query(const Globals& g, const pw::core::Result<pw::app::QueryOutput>& r) {
  if (!r) return report_error(g, r.error());
  if (g.json) {
    for (const auto& doc : r->json) std::cout << doc.dump() << "\n";
  } else {
    std::cout << r->text;
  }
  return kExitOk;
}

int cmd_ownership_import(const Globals& g, const OwnershipArgs& a, const pw::core::Clock& clock) {
  auto svc = open_service(g, clock);
  if (!svc) return report_error(g, svc.error());
  pw::app::OwnershipService own(**svc, clock, pw::app::OwnershipService::blob_dir_for(g.db));
  return [&] {
    auto r = own.import(a.file, a.format, a.strict, g.actor, terminal_progress());
    if (!r) return report_error(g, r.error());
    if (!r->already_imported) note_stale_assessments(g, **svc, clock);
    if (g.json) {
      std::cout << nlohmann::json{{"seq", r->seq},       {"sha256", r->sha256},
                                  {"bytes", r->bytes},   {"summary", r->summary},
                                  {"issues", r->issues}, {"already_imported", r->already_imported}}
                       .dump()
                << "\n";
    } else if (r->already_imported) {
      std::cout << "already imported (journal entry " << r->seq << ", sha256 " << r->sha256
                << "): nothing changed\n";
    } else {
      for (const auto& issue : r->issues) std::cerr << "  " << issue << "\n";
      const auto& s = r->summary;
      std::cout << "imported " << a.file << " (" << r->bytes << " bytes, sha256 " << r->sha256
                << ") as journal entry " << r->seq << ": " << s.value("records_read", 0)
                << " records, " << s.value("entities", 0) << " entities, " << s.value("edges", 0)
                << " statements, " << s.value("records_skipped", 0) << " skipped, "
                << s.value("errors", 0) << " errors, " << s.value("warnings", 0) << " warnings\n";
    }
    return kExitOk;
  }();
}

}  // namespace

int main(int argc, char** argv) {
  pw::core::SystemClock clock;
  Globals g;
  if (const char* user = std::getenv("USER"); user && *user) {
    g.actor = std::string("cli:") + user;
  } else {
    g.actor = "cli:uid" + std::to_string(::getuid());
  }

  CLI::App app{
      "portwarden: supplier risk and maintenance-access control for critical scanning "
      "infrastructure.\nExit codes: 0 ok, 1 invalid (verification failed), 2 bad usage "
      "or input, 3 not found or wrong state, 4 permission denied, 5 system error."};
  app.set_version_flag("--version", "portwarden 0.1.0");
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand: `portwarden init --db X`
  app.option_defaults()->always_capture_default();
  app.add_option("--db", g.db, "Database file")->capture_default_str();
  app.add_option("--key", g.key, "Signing key file (default: <db dir>/<db stem>.key)");
  app.add_option("--actor", g.actor, "Who is acting, recorded in the journal")
      ->capture_default_str();
  app.add_flag("--json", g.json, "Machine-readable output (one JSON document)");

  int rc = kExitOk;

  // init
  std::string origin = pw::app::kDefaultOrigin;
  auto* init = app.add_subcommand("init", "Create the database and the journal's signing key");
  init->add_option("--origin", origin, "The log's origin line and key name (e.g. example.org/log)")
      ->capture_default_str();
  bool init_tls = false;
  init->add_flag("--tls", init_tls,
                 "Also make a self-signed TLS certificate for localhost "
                 "(<db stem>-tls.crt and -tls.key) for `serve`");
  init->callback([&] { rc = cmd_init(g, origin, init_tls, clock); });

  // journal
  auto* journal = app.add_subcommand("journal", "The tamper-evident journal");
  journal->require_subcommand(1);

  std::string type, payload, jsonl;
  int concurrency = 1;
  auto* append =
      journal->add_subcommand("append", "Append a generic event (e.g. an operator's note)");
  append->add_option("--type", type, "Event type, e.g. operator.note");
  append->add_option("--payload", payload, "Payload: a JSON object (at most 65536 bytes)");
  append
      ->add_option("--jsonl", jsonl,
                   "Append events from a file of JSON lines ('-' for stdin): "
                   "{\"type\":...,\"payload\":{...}} per line; prints each seq once durable")
      ->excludes("--type");
  append->add_option("--concurrency", concurrency, "Parallel appenders for --jsonl")
      ->check(CLI::Range(1, 256));
  append->callback([&] { rc = cmd_append(g, type, payload, jsonl, concurrency, clock); });

  journal
      ->add_subcommand("checkpoint",
                       "Print the latest signed checkpoint (signing one if the "
                       "tree grew)")
      ->callback([&] { rc = cmd_checkpoint(g, clock); });

  std::uint64_t index = 0;
  std::optional<std::uint64_t> size;
  auto* proof = journal->add_subcommand("proof", "Inclusion proof of an entry");
  proof->add_option("--index", index, "Entry index (seq)")->required();
  proof->add_option("--size", size, "Tree size (default: the current size)");
  proof->callback([&] { rc = cmd_proof(g, index, size, clock); });

  std::uint64_t from = 0;
  std::optional<std::uint64_t> to;
  auto* cons = journal->add_subcommand("consistency", "Consistency proof between two tree sizes");
  cons->add_option("--from", from, "Older tree size")->required();
  cons->add_option("--to", to, "Newer tree size (default: the current size)");
  cons->callback([&] { rc = cmd_consistency(g, from, to, clock); });

  std::size_t max_problems = 20;
  auto* jverify = journal->add_subcommand(
      "verify",
      "Recompute the tree from every entry; check every stored node, checkpoint "
      "signature and view. Exit 1 naming the first bad entry if anything is off");
  jverify->add_option("--max-problems", max_problems, "Stop listing after this many problems")
      ->capture_default_str();
  jverify->callback([&] { rc = cmd_verify_journal(g, max_problems, clock); });

  journal->add_subcommand("replay", "Rebuild the view tables from the journal")->callback([&] {
    rc = cmd_replay(g, clock);
  });

  std::string export_dir;
  auto* jexport = journal->add_subcommand("export",
                                          "Write an auditor bundle (entries.jsonl, "
                                          "checkpoint, key.vkey, VERIFY.md)");
  jexport->add_option("DIR", export_dir, "New directory for the bundle")->required();
  jexport->callback([&] { rc = cmd_export(g, export_dir, clock); });

  // verify (offline, no database)
  auto* verify = app.add_subcommand("verify",
                                    "Offline checks for auditors (no database needed). "
                                    "Exit 0 valid, 1 invalid, 2 bad usage");
  verify->require_subcommand(1);
  std::uint64_t v_index = 0, v_size = 0, v_size1 = 0, v_size2 = 0;
  std::string v_leaf, v_root, v_root1, v_root2, v_proof, v_file, v_key, v_dir;
  auto* vinc = verify->add_subcommand("inclusion", "Check an RFC 9162 inclusion proof");
  vinc->add_option("--index", v_index, "Leaf index")->required();
  vinc->add_option("--size", v_size, "Tree size")->required();
  vinc->add_option("--leaf-hash", v_leaf, "Leaf hash (hex or base64)")->required();
  vinc->add_option("--root", v_root, "Root hash (hex or base64)")->required();
  vinc->add_option("--proof", v_proof, "Comma-separated hashes ('' for none)")->required();
  vinc->callback([&] {
    auto leaf = pw::core::parse_hash(v_leaf);
    auto root = pw::core::parse_hash(v_root);
    auto pr = parse_proof(v_proof);
    if (!leaf) {
      rc = report_error(g, leaf.error().with_context("--leaf-hash"));
      return;
    }
    if (!root) {
      rc = report_error(g, root.error().with_context("--root"));
      return;
    }
    if (!pr) {
      rc = report_error(g, pr.error());
      return;
    }
    rc = print_verdict(g, pw::app::check_inclusion(v_index, v_size, *leaf, *root, *pr));
  });
  auto* vcons = verify->add_subcommand("consistency", "Check an RFC 9162 consistency proof");
  vcons->add_option("--size1", v_size1, "Older tree size")->required();
  vcons->add_option("--size2", v_size2, "Newer tree size")->required();
  vcons->add_option("--root1", v_root1, "Older root (hex or base64)")->required();
  vcons->add_option("--root2", v_root2, "Newer root (hex or base64)")->required();
  vcons->add_option("--proof", v_proof, "Comma-separated hashes ('' for none)")->required();
  vcons->callback([&] {
    auto r1 = pw::core::parse_hash(v_root1);
    auto r2 = pw::core::parse_hash(v_root2);
    auto pr = parse_proof(v_proof);
    if (!r1) {
      rc = report_error(g, r1.error().with_context("--root1"));
      return;
    }
    if (!r2) {
      rc = report_error(g, r2.error().with_context("--root2"));
      return;
    }
    if (!pr) {
      rc = report_error(g, pr.error());
      return;
    }
    rc = print_verdict(g, pw::app::check_consistency(v_size1, v_size2, *r1, *r2, *pr));
  });
  auto* vnote = verify->add_subcommand("note", "Check a signed note (e.g. a checkpoint)");
  vnote->add_option("FILE", v_file, "The signed note")->required()->check(CLI::ExistingFile);
  vnote->add_option("--key", v_key, "Verifier key file (name+id+key)")
      ->required()
      ->check(CLI::ExistingFile);
  vnote->callback([&] {
    auto v = pw::app::check_note_file(v_file, v_key);
    rc = v ? print_verdict(g, *v) : report_error(g, v.error());
  });
  auto* vbundle = verify->add_subcommand("bundle", "Check an exported auditor bundle");
  vbundle->add_option("DIR", v_dir, "Bundle directory")->required()->check(CLI::ExistingDirectory);
  vbundle->callback([&] {
    auto v = pw::app::check_bundle(v_dir);
    rc = v ? print_verdict(g, v->verdict) : report_error(g, v.error());
  });

  // ownership
  OwnershipArgs oa;
  auto as_of_option = [&](CLI::App* c) {
    c->add_option("--as-of", oa.as_of,
                  "Use the statements valid on this date (YYYY-MM-DD; default today)");
  };
  auto query = [&]() {
    pw::app::OwnershipQuery q;
    if (!oa.as_of.empty()) q.as_of = oa.as_of;
    return q;
  };
  auto* own = app.add_subcommand("ownership",
                                 "Ownership and control from registers (BODS, GLEIF, "
                                 "OpenSanctions FtM)");
  own->require_subcommand(1);
  auto* oimport = own->add_subcommand("import", "Import a register file (one journal event)");
  oimport->add_option("FILE", oa.file, "The file (JSON, JSON lines or XML)")
      ->required()
      ->check(CLI::ExistingFile);
  oimport->add_option("--format", oa.format, "bods, gleif or ftm")
      ->required()
      ->check(CLI::IsMember({"bods", "gleif", "ftm"}));
  oimport->add_flag("--strict", oa.strict, "Stop at the first bad record (default: skip, report)");
  oimport->callback([&] { rc = cmd_ownership_import(g, oa, clock); });

  auto* oshow = own->add_subcommand("show", "An entity with its owners (upward) and holdings");
  oshow->add_option("ENTITY", oa.entity, "Id, identifier (scheme:value) or exact name")->required();
  as_of_option(oshow);
  oshow->callback([&] {
    rc = with_ownership(g, clock, [&](pw::app::OwnershipService& s) {
      return print_query(g, s.show(oa.entity, query()));
    });
  });

  auto* oexplain = own->add_subcommand("explain",
                                       "The chains that make up an entity's owners' "
                                       "stakes, with their products and the gaps");
  oexplain->add_option("ENTITY", oa.entity, "Id, identifier (scheme:value) or exact name")
      ->required();
  oexplain->add_option("--owner", oa.owner,
                       "Only chains from this owner (adds integrated "
                       "ownership and control)");
  oexplain->add_option("--top", oa.top, "How many chains")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  as_of_option(oexplain);
  oexplain->callback([&] {
    rc = with_ownership(g, clock, [&](pw::app::OwnershipService& s) {
      std::optional<std::string> owner;
      if (!oa.owner.empty()) owner = oa.owner;
      return print_query(g, s.explain(oa.entity, owner, oa.top, query()));
    });
  });

  auto* oexposure = own->add_subcommand("exposure",
                                        "Every entity's exposure to every state (a "
                                        "state and its bodies as one owner)");
  oexposure->add_option("--state", oa.state, "Only this state (ISO country code)");
  oexposure
      ->add_option("--min", oa.min_pct,
                   "Only exposures whose upper bound reaches this "
                   "percentage")
      ->check(CLI::Range(0.0, 100.0));
  as_of_option(oexposure);
  oexposure->callback([&] {
    rc = with_ownership(g, clock, [&](pw::app::OwnershipService& s) {
      std::optional<std::string> state;
      if (!oa.state.empty()) state = oa.state;
      return print_query(g, s.exposure(state, oa.min_pct / 100.0, query()));
    });
  });

  auto* ograph = own->add_subcommand("graph",
                                     "The ownership chains above an entity as an SVG "
                                     "diagram (Graphviz)");
  ograph->add_option("ENTITY", oa.entity, "Id, identifier (scheme:value) or exact name")
      ->required();
  ograph->add_option("--svg", oa.svg, "Output file")->required();
  as_of_option(ograph);
  ograph->callback([&] {
    rc = with_ownership(g, clock, [&](pw::app::OwnershipService& s) {
      auto svg = s.graph_svg(oa.entity, query());
      if (!svg) return report_error(g, svg.error());
      std::ofstream out(oa.svg, std::ios::binary | std::ios::trunc);
      out << *svg;
      if (!out.flush()) {
        return report_error(g, Error(Code::kUnavailable, "cannot write " + oa.svg));
      }
      std::cout << "wrote " << oa.svg << "\n";
      return kExitOk;
    });
  });

  add_register_commands(app, g, clock, rc);
  add_assess_commands(app, g, clock, rc);
  add_access_commands(app, g, clock, rc);
  add_account_commands(app, g, clock, rc);
  add_session_commands(app, g, clock, rc);
  add_serve_command(app, g, clock, rc);
  add_recording_commands(app, g, clock, rc);
  add_gateway_command(app, g, rc);
  auto* tender = app.add_subcommand("tender", "Procurement: screens for abnormally low tenders");
  tender->require_subcommand(1);
  add_tender_scan_command(*tender, g, rc);
  add_tender_commands(*tender, g, clock, rc);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 reports a missing subcommand before it names the word it did not understand.
    if (auto rest = app.remaining(true); !rest.empty() && e.get_exit_code() != 0) {
      std::cerr << "portwarden: unknown command or argument '" << rest.front() << "'\n";
    }
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  } catch (const std::exception& e) {
    // No exception may escape: report it as an internal error.
    std::cerr << "portwarden: internal error: " << e.what() << "\n";
    return kExitSystem;
  }
  return rc;
}

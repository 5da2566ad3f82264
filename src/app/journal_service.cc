#include "app/journal_service.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "app/keys.h"
#include "app/projector.h"
#include "core/canonical_json.h"
#include "domain/event_types.h"
#include "journal/checkpoint.h"
#include "journal/envelope.h"
#include "store/sqlite/sqlite_store.h"

namespace pw::app {

namespace fs = std::filesystem;

struct JournalService::Pending {
  Command command;
  core::Result<std::vector<Appended>> result = core::internal_error("not committed");
  bool done = false;
  // Each waiter has its own condition variable, so a commit wakes exactly the appenders it
  // answered and the next leader, not every waiting thread.
  std::condition_variable cv;
};

std::string default_key_path(const std::string& db_path) {
  fs::path p(db_path);
  return (p.parent_path() / (p.stem().string() + ".key")).string();
}

core::Result<InitResult> init_journal(const JournalPaths& paths, const std::string& origin,
                                      const core::Clock& clock) {
  PW_TRY(journal::check_key_name(origin));
  std::error_code ec;
  if (fs::exists(paths.db, ec)) {
    return core::already_exists("database " + paths.db + " already exists; refusing to overwrite");
  }
  for (const std::string& path : {paths.db, paths.key}) {
    fs::path parent = fs::path(path).parent_path();
    if (!parent.empty() && !fs::exists(parent, ec)) {
      fs::create_directories(parent, ec);
      if (ec)
        return core::unavailable("cannot create directory " + parent.string() + ": " +
                                 ec.message());
    }
  }
  PW_ASSIGN_OR_RETURN(journal::NoteSigner signer, create_key_file(paths.key, origin));
  // From here on, undo what was created if anything fails.
  auto undo = [&](core::Error e) -> core::Result<InitResult> {
    fs::remove(paths.key, ec);
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(paths.db + suffix, ec);
    return std::unexpected(std::move(e));
  };
  store::sqlite::OpenOptions opts;
  opts.create = true;
  auto store = store::sqlite::open_store(paths.db, opts);
  if (!store) return undo(store.error());
  // The journal holds security decisions: readable by its owner only.
  fs::permissions(paths.db, fs::perms::owner_read | fs::perms::owner_write, ec);
  if (ec)
    return undo(
        core::Error(core::Code::kUnavailable, "cannot restrict " + paths.db + ": " + ec.message()));
  {
    auto txn = (*store)->begin_write();
    if (!txn) return undo(txn.error());
    auto st = (*txn)->set_meta("origin", origin);
    if (st) st = (*txn)->set_meta("verifier_key", signer.verifier_key());
    if (st) st = (*txn)->commit();
    if (!st) return undo(st.error());
  }
  store->reset();
  auto service = JournalService::open(paths, clock);
  if (!service) return undo(service.error());
  auto appended =
      (*service)->append({std::string(domain::kJournalInitialized),
                          "system:init",
                          {{"origin", origin}, {"verifier_key", signer.verifier_key()}}});
  if (!appended) return undo(appended.error());
  return InitResult{origin, signer.verifier_key()};
}

JournalService::JournalService(JournalPaths paths, const core::Clock& clock, Options options,
                               std::unique_ptr<store::Store> store)
    : paths_(std::move(paths)),
      clock_(clock),
      options_(options),
      store_(std::move(store)),
      nodes_(std::make_unique<internal::CachedNodeSource>(*store_, 4'000'000)) {}

JournalService::~JournalService() = default;

core::Result<std::unique_ptr<JournalService>> JournalService::open(const JournalPaths& paths,
                                                                   const core::Clock& clock,
                                                                   Options options) {
  PW_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                      store::sqlite::open_store(paths.db, store::sqlite::OpenOptions{}));
  PW_ASSIGN_OR_RETURN(std::optional<std::string> origin, store->get_meta("origin"));
  PW_ASSIGN_OR_RETURN(std::optional<std::string> vkey, store->get_meta("verifier_key"));
  if (!origin || !vkey) {
    return core::failed_precondition("database " + paths.db +
                                     " is not an initialised portwarden journal (no origin)");
  }
  std::unique_ptr<JournalService> s(new JournalService(paths, clock, options, std::move(store)));
  s->origin_ = *origin;
  s->verifier_key_ = *vkey;
  std::lock_guard lock(s->store_mu_);
  PW_TRY(s->load_tip());
  return s;
}

// Reloads the right edge of the tree and the last entry's time from the store. Needed at open
// and whenever another process may have appended (checked at the start of every commit).
core::Status JournalService::load_tip() {
  PW_ASSIGN_OR_RETURN(std::uint64_t size, store_->journal_size());
  std::vector<core::Hash> peaks;
  tip_error_.reset();
  if (size > 0) {
    std::vector<journal::NodeId> ids = journal::decompose_range(0, size);
    peaks.resize(ids.size());
    PW_TRY(store_->read_nodes(ids, peaks));
    PW_ASSIGN_OR_RETURN(std::string last, store_->read_entry(size - 1));
    auto env = journal::decode_envelope(last);
    if (env) {
      last_time_ = env->time;
    } else {
      tip_error_ = core::Error(core::Code::kDataLoss,
                               "journal entry " + std::to_string(size - 1) + " is corrupt (" +
                                   env.error().message() +
                                   "); nothing is appended until 'portwarden journal verify' "
                                   "passes");
    }
  }
  auto range = journal::CompactRange::from_peaks(size, std::move(peaks));
  if (!range) {
    tip_error_ = range.error();
    range = journal::CompactRange{};
  }
  tip_ = std::move(*range);
  return core::ok();
}

core::Result<std::vector<Appended>> JournalService::execute(Command command) {
  Pending p;
  p.command = std::move(command);
  std::unique_lock lock(queue_mu_);
  queue_.push_back(&p);
  // Followers wait; the front of the queue leads and commits everything queued behind it.
  p.cv.wait(lock, [&] { return p.done || queue_.front() == &p; });
  if (p.done) return std::move(p.result);
  std::vector<Pending*> batch(
      queue_.begin(),
      queue_.begin() + static_cast<std::ptrdiff_t>(std::min(queue_.size(), options_.max_batch)));
  lock.unlock();
  commit_batch(batch);
  lock.lock();
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Pending* done = queue_.front();
    queue_.pop_front();
    done->done = true;
    if (done != &p) done->cv.notify_one();
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();  // the next leader
  return std::move(p.result);
}

void JournalService::commit_batch(const std::vector<Pending*>& batch) {
  std::lock_guard lock(store_mu_);
  auto fail_all = [&](const core::Error& e) {
    for (Pending* p : batch) p->result = std::unexpected(e);
  };
  auto txn_or = store_->begin_write();
  if (!txn_or) return fail_all(txn_or.error());
  store::WriteTxn& txn = **txn_or;
  // Another process may have appended since we last looked: we now hold the write lock.
  auto size = store_->journal_size();
  if (!size) return fail_all(size.error());
  if (*size != tip_.size()) {
    if (auto st = load_tip(); !st) return fail_all(st.error());
  }
  if (tip_error_) return fail_all(*tip_error_);
  const journal::CompactRange tip_before = tip_;
  const core::Timestamp time_before = last_time_;
  std::vector<std::pair<journal::NodeId, core::Hash>> completed;
  bool any_ok = false;
  for (Pending* p : batch) {
    const journal::CompactRange cmd_tip = tip_;
    const core::Timestamp cmd_time = last_time_;
    auto run = [&]() -> core::Result<std::vector<Appended>> {
      PW_TRY(txn.savepoint());
      PW_ASSIGN_OR_RETURN(std::vector<EventDraft> drafts, p->command(txn));
      std::vector<Appended> out;
      for (EventDraft& d : drafts) {
        // Commands' events are checked like appended ones: projection relies on it.
        if (d.payload.is_null()) d.payload = nlohmann::json::object();
        PW_TRY(domain::validate_payload(d.type, d.payload));
        journal::Envelope env;
        env.seq = tip_.size();
        // Entry times never go backwards, even if the system clock does.
        env.time = std::max(clock_.now(), last_time_);
        env.actor = std::move(d.actor);
        env.type = std::move(d.type);
        env.payload = d.payload.is_null() ? nlohmann::json::object() : std::move(d.payload);
        PW_ASSIGN_OR_RETURN(std::string bytes, journal::encode_envelope(env));
        core::Hash leaf = journal::leaf_hash(core::as_bytes(bytes));
        PW_TRY(txn.append_entry(env.seq, bytes));
        completed.clear();
        tip_.append(leaf, completed);
        PW_TRY(txn.put_nodes(completed));
        PW_TRY(project(env, txn));
        last_time_ = env.time;
        out.push_back({env.seq, leaf, core::format_rfc3339(env.time)});
      }
      PW_TRY(txn.release_savepoint());
      return out;
    };
    p->result = run();
    if (!p->result) {
      tip_ = cmd_tip;
      last_time_ = cmd_time;
      if (auto st = txn.rollback_to_savepoint(); !st) {
        tip_ = tip_before;
        last_time_ = time_before;
        return fail_all(st.error());
      }
    } else {
      any_ok = true;
    }
  }
  if (!any_ok) return;  // nothing to commit; the transaction rolls back
  if (auto st = txn.commit(); !st) {
    tip_ = tip_before;
    last_time_ = time_before;
    core::Error e = st.error().with_context("commit failed, nothing was appended");
    fail_all(e);
  }
}

core::Result<Appended> JournalService::append(EventDraft draft) {
  if (draft.payload.is_null()) draft.payload = nlohmann::json::object();  // "no payload"
  PW_TRY(journal::check_event_type(draft.type));
  PW_TRY(journal::check_actor(draft.actor));
  PW_TRY(domain::validate_payload(draft.type, draft.payload));
  auto shared = std::make_shared<EventDraft>(std::move(draft));
  PW_ASSIGN_OR_RETURN(
      std::vector<Appended> out,
      execute([shared](store::ViewAccess&) -> core::Result<std::vector<EventDraft>> {
        return std::vector<EventDraft>{std::move(*shared)};
      }));
  if (out.size() != 1) return core::internal_error("append produced no entry");
  return out.front();
}

core::Result<Appended> JournalService::append_json(std::string type, std::string actor,
                                                   std::string_view payload_json) {
  core::JsonLimits limits;
  limits.max_bytes = journal::kMaxPayloadBytes;
  auto payload = core::parse_json_strict(payload_json, limits);
  if (!payload) return std::unexpected(payload.error().with_context("payload"));
  return append({std::move(type), std::move(actor), std::move(*payload)});
}

core::Result<EventDraft> parse_event_line(std::string_view line, const std::string& actor) {
  core::JsonLimits limits;
  limits.max_bytes = journal::kMaxPayloadBytes + 1024;
  PW_ASSIGN_OR_RETURN(nlohmann::json j, core::parse_json_strict(line, limits));
  if (!j.is_object()) return core::invalid_argument("an event line must be a JSON object");
  for (const auto& [k, v] : j.items()) {
    if (k != "type" && k != "payload" && k != "actor") {
      return core::invalid_argument("unknown field '" + k + "' (want type, payload, actor)");
    }
  }
  EventDraft d;
  d.actor = actor;
  if (!j.contains("type") || !j["type"].is_string()) {
    return core::invalid_argument("field 'type' is required and must be a string");
  }
  d.type = j["type"].get<std::string>();
  if (j.contains("actor")) {
    if (!j["actor"].is_string()) return core::invalid_argument("field 'actor' must be a string");
    d.actor = j["actor"].get<std::string>();
  }
  if (j.contains("payload")) d.payload = std::move(j["payload"]);
  return d;
}

core::Result<std::uint64_t> JournalService::size() {
  std::lock_guard lock(store_mu_);
  return store_->journal_size();
}

core::Result<const journal::NoteSigner*> JournalService::signer() {
  if (!signer_) {
    PW_ASSIGN_OR_RETURN(journal::NoteSigner s, load_key_file(paths_.key));
    if (s.verifier_key() != verifier_key_) {
      return core::permission_denied("key file " + paths_.key +
                                     " does not hold this journal's signing key (" + verifier_key_ +
                                     ")");
    }
    signer_.emplace(std::move(s));
  }
  return &*signer_;
}

core::Result<JournalService::MessageSignature> JournalService::sign_message(
    std::string_view message) {
  std::lock_guard lock(store_mu_);  // signer_ is loaded lazily under it
  PW_ASSIGN_OR_RETURN(const journal::NoteSigner* s, signer());
  MessageSignature out{s->name(), s->key_id(), {}};
  PW_ASSIGN_OR_RETURN(out.signature, s->sign_raw(message));
  return out;
}

core::Result<CheckpointInfo> JournalService::checkpoint() {
  std::lock_guard lock(store_mu_);
  PW_ASSIGN_OR_RETURN(std::unique_ptr<store::WriteTxn> txn, store_->begin_write());
  PW_ASSIGN_OR_RETURN(std::uint64_t size, store_->journal_size());
  if (size != tip_.size()) PW_TRY(load_tip());
  if (tip_error_) return std::unexpected(*tip_error_);
  PW_ASSIGN_OR_RETURN(std::optional<store::CheckpointRow> latest, store_->latest_checkpoint());
  CheckpointInfo info;
  info.size = size;
  info.root = tip_.root();
  if (latest && latest->size == size) {
    info.note = latest->note;
    return info;
  }
  PW_ASSIGN_OR_RETURN(const journal::NoteSigner* s, signer());
  journal::Checkpoint cp{origin_, size, info.root, {}};
  PW_ASSIGN_OR_RETURN(info.note, s->sign(journal::format_checkpoint(cp)));
  PW_TRY(txn->add_checkpoint({size, info.note}));
  PW_TRY(txn->commit());
  info.created = true;
  return info;
}

namespace {

// The tree size a proof is asked for: the given one, or the journal's current size.
core::Result<std::uint64_t> requested_size(std::optional<std::uint64_t> size,
                                           std::uint64_t current) {
  const std::uint64_t n = size.value_or(current);
  if (n > current) {
    return core::invalid_argument("size " + std::to_string(n) + " is larger than the journal (" +
                                  std::to_string(current) + " entries)");
  }
  return n;
}

}  // namespace

core::Result<core::Hash> JournalService::root_at(std::uint64_t size, std::uint64_t current) {
  // The right edge in memory answers for the current size without reading the store.
  if (size == current && current == tip_.size()) return tip_.root();
  return journal::tree_root(*nodes_, size);
}

core::Result<InclusionProof> JournalService::inclusion_proof(std::uint64_t index,
                                                             std::optional<std::uint64_t> size) {
  std::lock_guard lock(store_mu_);
  PW_ASSIGN_OR_RETURN(std::uint64_t current, store_->journal_size());
  InclusionProof out;
  out.index = index;
  PW_ASSIGN_OR_RETURN(out.size, requested_size(size, current));
  if (index >= out.size) {
    return core::invalid_argument("index " + std::to_string(index) + " is not in a tree of size " +
                                  std::to_string(out.size));
  }
  PW_ASSIGN_OR_RETURN(out.entry, store_->read_entry(index));
  // The leaf hash of the bytes served, not a stored copy: a proof is about what it shows.
  out.leaf_hash = journal::leaf_hash(core::as_bytes(out.entry));
  PW_ASSIGN_OR_RETURN(out.proof, journal::inclusion_proof(*nodes_, index, out.size));
  PW_ASSIGN_OR_RETURN(out.root, root_at(out.size, current));
  return out;
}

core::Result<ConsistencyProof> JournalService::consistency_proof(
    std::uint64_t size1, std::optional<std::uint64_t> size2) {
  std::lock_guard lock(store_mu_);
  PW_ASSIGN_OR_RETURN(std::uint64_t current, store_->journal_size());
  ConsistencyProof out;
  out.size1 = size1;
  PW_ASSIGN_OR_RETURN(out.size2, requested_size(size2, current));
  if (size1 == 0 || size1 > out.size2) {
    return core::invalid_argument("want 0 < from <= to, got from " + std::to_string(size1) +
                                  ", to " + std::to_string(out.size2));
  }
  PW_ASSIGN_OR_RETURN(out.proof, journal::consistency_proof(*nodes_, size1, out.size2));
  PW_ASSIGN_OR_RETURN(out.root1, root_at(size1, current));
  PW_ASSIGN_OR_RETURN(out.root2, root_at(out.size2, current));
  return out;
}

core::Result<std::optional<std::string>> JournalService::get_view(std::string_view kind,
                                                                  std::string_view id) {
  std::lock_guard lock(store_mu_);
  return store_->get_view(kind, id);
}

core::Result<std::uint64_t> JournalService::scan_events(std::uint64_t from,
                                                        std::string_view type_prefix,
                                                        const EventVisitor& visit) {
  std::lock_guard lock(store_mu_);
  PW_ASSIGN_OR_RETURN(std::uint64_t size, store_->journal_size());
  if (from >= size) return size;
  std::uint64_t expected = from;
  PW_TRY(store_->scan_entries(
      from, size, [&](std::uint64_t seq, std::string_view data) -> core::Result<bool> {
        if (seq != expected) {
          return core::data_loss("journal entry " + std::to_string(expected) +
                                 " is missing; run 'portwarden journal verify'");
        }
        ++expected;
        PW_ASSIGN_OR_RETURN(journal::EnvelopeHeader h, journal::decode_envelope_header(data));
        if (h.type.compare(0, type_prefix.size(), type_prefix) != 0) return true;
        journal::Envelope e;
        e.seq = h.seq;
        e.time = h.time;
        e.actor = std::move(h.actor);
        e.type = std::move(h.type);
        PW_ASSIGN_OR_RETURN(e.payload, core::parse_json_strict(h.payload_json));
        PW_TRY(visit(e));
        return true;
      }));
  return size;
}

core::Result<std::optional<std::string>> JournalService::get_secret(std::string_view kind,
                                                                    std::string_view id) {
  std::lock_guard lock(store_mu_);
  return store_->get_secret(kind, id);
}

core::Result<std::vector<std::pair<std::string, std::string>>> JournalService::list_views(
    std::string_view kind) {
  std::lock_guard lock(store_mu_);
  std::vector<std::pair<std::string, std::string>> out;
  PW_TRY(store_->scan_views(
      kind, [&](std::string_view, std::string_view id, std::string_view doc) -> core::Result<bool> {
        out.emplace_back(std::string(id), std::string(doc));
        return true;
      }));
  return out;
}

}  // namespace pw::app

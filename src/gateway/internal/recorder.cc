#include "gateway/internal/recorder.h"

#include "core/bytes.h"
#include "formats/recording/recording.h"

namespace pw::gateway::internal {
namespace rec = formats::recording;

struct Recorder::State {
  std::unique_ptr<rec::RecordingWriter> writer;
};

Recorder::Recorder(std::filesystem::path path, std::unique_ptr<State> state)
    : path_(std::move(path)), state_(std::move(state)) {}
Recorder::~Recorder() = default;

core::Result<std::unique_ptr<Recorder>> Recorder::create(const std::filesystem::path& dir,
                                                         const RecordingInfo& info) {
  rec::SessionInfo s;
  s.session = info.session;
  s.grant = info.grant;
  s.person = info.person;
  s.vendor = info.vendor;
  s.asset = info.asset;
  s.gateway = info.gateway;
  s.started = info.started;
  std::filesystem::path path = dir / (info.session + ".pwrec");
  // 64 KiB chunks (closed at that size or after a second): the writer keeps one chunk buffer per
  // session, so the chunk size is most of an idle session's memory.
  rec::WriterOptions options;
  options.chunk_bytes = 64 << 10;
  PW_ASSIGN_OR_RETURN(auto writer,
                      rec::RecordingWriter::create(path.string(), std::move(s), options));
  auto state = std::make_unique<State>();
  state->writer = std::move(writer);
  return std::unique_ptr<Recorder>(new Recorder(std::move(path), std::move(state)));
}

core::Status Recorder::write(Direction direction, core::Timestamp time,
                             std::span<const char> bytes) {
  const auto d = direction == Direction::kUp ? rec::Direction::kUp : rec::Direction::kDown;
  return state_->writer->write(
      d, time, core::ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

core::Status Recorder::tick(core::Timestamp now) {
  return state_->writer->tick(now);
}

core::Result<std::string> Recorder::finish(core::Timestamp time, const std::string& reason) {
  PW_ASSIGN_OR_RETURN(core::Hash digest, state_->writer->finish(time, reason));
  return core::to_hex(digest);
}

core::Status Recorder::seal(const std::string& key_name, const std::string& key_id,
                            const std::string& signature_base64) {
  return state_->writer->seal(key_name, key_id, signature_base64);
}

core::Status Recorder::seal_unsigned(const std::string& why) {
  return state_->writer->seal_unsigned(why);
}

}  // namespace pw::gateway::internal

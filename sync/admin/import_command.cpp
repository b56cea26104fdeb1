// tutortime-admin import DIR: responses rescued from a kiosk with `tutortime-kiosk outbox
// export` (DIR/<response id>.bin, the raw sealed bytes) sent to the server, which stores each
// exactly once, as it would an upload. The files hold no clear survey id, version or finish time,
// and the server must never hold the analysis key, so this tool opens each with it to read them,
// then sends the sealed bytes unchanged.
#include <algorithm>
#include <iostream>

#include "shared/common/files.h"
#include "shared/crypto/key_files.h"
#include "shared/protocol/batch.h"
#include "shared/protocol/distribution.h"
#include "shared/survey/response.h"
#include "sync/admin/central_connection.h"
#include "sync/admin/commands.h"

namespace tt::admin {

namespace {

// Well under the server's defaults of 500 responses and 8 MiB a batch.
constexpr std::size_t kImportBatch = 100;
constexpr std::size_t kImportBatchSealedBytes = 4 * 1024 * 1024;

// The upload of one rescued file, from its plaintext's own words.
protocol::SealedUpload upload_of(const std::filesystem::path& file, ByteView key) {
  std::string id = file.stem().string();
  if (!survey::is_response_id(id)) {
    throw Error("the file name is not <response id>.bin (32 hex digits), as outbox export writes it");
  }
  Bytes sealed = read_binary_file(file);
  nlohmann::json plaintext = survey::open_response(sealed, id, key);
  protocol::SealedUpload u;
  u.response_id = id;
  try {
    u.survey_id = plaintext.at("survey").at("id").get<std::string>();
    u.survey_version = plaintext.at("survey").at("version").get<std::int64_t>();
    u.finished_at = plaintext.at("finished_at").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    throw Error("it opened, but its plaintext has no survey id, version or finished_at (not tutortime-response/1?)");
  }
  u.sealed = std::move(sealed);
  return u;
}

}  // namespace

int command_import(CommandLine& args) {
  CentralConnection server = CentralConnection::from_command_line(args);
  std::string key_file = args.required_option("--key");
  std::filesystem::path dir = args.required_positional("the DIR of rescued responses (from outbox export)");
  args.expect_done();
  crypto::SecretBytes key;
  try {
    key = crypto::read_private_key(key_file, crypto::KeyAlgorithm::X25519);
  } catch (const Error& e) {
    throw InvalidInputError(e.what());
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) throw Error(dir.string() + " is not a directory");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".bin") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());

  std::vector<protocol::SealedUpload> uploads;
  std::size_t unreadable = 0;
  for (const auto& f : files) {
    try {
      uploads.push_back(upload_of(f, key.view()));
    } catch (const Error& e) {
      std::cerr << "tutortime-admin: " << f.string() << ": " << e.what() << "\n";
      ++unreadable;
    }
  }
  std::size_t counts[3] = {0, 0, 0};
  for (std::size_t start = 0; start < uploads.size();) {
    std::size_t end = start, bytes = 0;
    while (end < uploads.size() && end - start < kImportBatch &&
           (end == start || bytes + uploads[end].sealed.size() <= kImportBatchSealedBytes)) {
      bytes += uploads[end++].sealed.size();
    }
    std::span<const protocol::SealedUpload> batch(uploads.data() + start, end - start);
    start = end;
    auto results = protocol::parse_batch_reply(
        server.admin("POST", protocol::kAdminImportPath, protocol::batch_upload_to_json(batch), 200));
    if (results.size() != batch.size()) throw Error("the server's import reply does not answer every response");
    for (const protocol::UploadResult& r : results) {
      if (r.index >= batch.size()) throw Error("the server's import reply names a response it was not sent");
      ++counts[static_cast<int>(r.status)];
      if (r.status == protocol::UploadStatus::Rejected) {
        std::cerr << "tutortime-admin: response " << batch[r.index].response_id << ": rejected: " << r.reason << "\n";
      }
    }
  }
  std::cout << "Imported " << files.size() << " files from " << dir.string() << ": " << counts[0] << " stored, "
            << counts[1] << " duplicate (on the server already), " << counts[2] << " rejected, " << unreadable
            << " could not be read.\n";
  return counts[2] + unreadable > 0 ? kExitIncomplete : kExitOk;
}

}  // namespace tt::admin

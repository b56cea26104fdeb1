#include <iostream>

#include "shared/common/files.h"
#include "shared/crypto/key_files.h"
#include "shared/survey/response.h"
#include "sync/admin/commands.h"

namespace tt::admin {

int command_open(CommandLine& args) {
  std::string key_file = args.required_option("--key");
  auto response_id = args.option("--response-id");
  auto files = args.remaining_positionals();
  args.expect_done();
  if (files.empty()) throw UsageError("open needs at least one FILE");
  if (response_id && files.size() != 1) throw UsageError("--response-id goes with exactly one FILE");
  crypto::SecretBytes key;
  try {
    key = crypto::read_private_key(key_file, crypto::KeyAlgorithm::X25519);
  } catch (const Error& e) {
    throw InvalidInputError(e.what());
  }
  int status = kExitOk;
  for (const std::string& f : files) {
    std::string id = response_id ? *response_id : std::filesystem::path(f).stem().string();
    try {
      if (!survey::is_response_id(id)) {
        throw Error("the file name does not start with a response id (32 hex digits); rename it or give --response-id");
      }
      nlohmann::json j = survey::open_response(read_binary_file(f), id, key.view());
      std::cout << j.dump() << "\n";
    } catch (const Error& e) {
      std::cerr << "tutortime-admin: " << f << ": " << e.what() << "\n";
      status = kExitInvalidInput;
    }
  }
  return status;
}

}  // namespace tt::admin

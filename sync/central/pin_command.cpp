#include <iostream>

#include "shared/common/files.h"
#include "sync/central/central_config.h"
#include "sync/central/commands.h"
#include "sync/central/tls_identity.h"

namespace tt::central {

int command_pin(CommandLine& args) {
  std::optional<std::filesystem::path> config_file, data_dir, certificate;
  if (auto v = args.option("--config")) config_file = *v;
  if (auto v = args.option("--data-dir")) data_dir = *v;
  if (auto v = args.option("--certificate")) certificate = *v;
  args.expect_done();
  if (!certificate) certificate = load_central_config(config_file, data_dir).tls_certificate;
  std::string pem;
  try {
    pem = read_text_file(*certificate);
  } catch (const Error& e) {
    throw Error(std::string(e.what()) + " (a self-signed certificate is made by the first `tutortime-central serve`)");
  }
  try {
    std::cout << public_key_pin_of_certificate(pem) << "\n";
  } catch (const Error&) {
    rethrow_with_context(certificate->string());
  }
  return kExitOk;
}

}  // namespace tt::central

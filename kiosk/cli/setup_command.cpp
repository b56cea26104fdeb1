#include <iostream>

#include "kiosk/cli/commands.h"
#include "kiosk/session/kiosk_identity.h"
#include "kiosk/session/pupil_session.h"
#include "kiosk/store/kiosk_store.h"
#include "shared/crypto/key_files.h"
#include "shared/crypto/random.h"

namespace tt::kiosk {

namespace {

// Reads a public key file and returns it as canonical PEM; a wrong file is invalid input.
std::string public_key_pem(const std::string& file, crypto::KeyAlgorithm algorithm) {
  try {
    return crypto::public_key_to_pem(algorithm, crypto::read_public_key(file, algorithm));
  } catch (const Error& e) {
    throw InvalidInputError(e.what());
  }
}

}  // namespace

int command_setup(const std::filesystem::path& data_dir, CommandLine& args) {
  std::string analysis_file = args.required_option("--analysis-public-key");
  std::string signing_file = args.required_option("--signing-public-key");
  args.expect_done();
  // Both keys are checked before anything is created, so a typo leaves no half-made store.
  std::string analysis_pem = public_key_pem(analysis_file, crypto::KeyAlgorithm::X25519);
  std::string signing_pem = public_key_pem(signing_file, crypto::KeyAlgorithm::Ed25519);
  auto store = KioskStore::create(data_dir);
  std::string device_id = crypto::random_id128();
  save_identity(*store, KioskIdentity{device_id, analysis_pem, signing_pem});
  std::cout << "Set up the kiosk store in " << data_dir.string() << " (device " << device_id << ").\n"
            << "Next: tutortime-kiosk --data-dir " << data_dir.string() << " survey install FILE\n";
  return kExitOk;
}

}  // namespace tt::kiosk

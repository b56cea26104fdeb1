#include <sys/stat.h>

#include <iostream>

#include "shared/crypto/ed25519.h"
#include "shared/crypto/key_files.h"
#include "shared/crypto/x25519.h"
#include "sync/admin/commands.h"

namespace tt::admin {

int command_keygen(CommandLine& args) {
  std::filesystem::path out = args.required_option("--out");
  bool force = args.flag("--force");
  args.expect_done();
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) throw Error("cannot create " + out.string() + ": " + ec.message());
  for (const char* name : {"analysis.key", "analysis.pub", "signing.key", "signing.pub"}) {
    if (!force && std::filesystem::exists(out / name)) {
      throw Error("refusing to overwrite " + (out / name).string() +
                  ": keys are there already (a new analysis key cannot open responses sealed to the old one); "
                  "use --force only if you mean it");
    }
  }
  auto analysis = crypto::x25519_generate();
  auto signing = crypto::ed25519_generate();
  using crypto::KeyAlgorithm;
  crypto::write_private_key(out / "analysis.key", KeyAlgorithm::X25519, analysis.private_key.view(), force);
  crypto::write_public_key(out / "analysis.pub", KeyAlgorithm::X25519, analysis.public_key, force);
  crypto::write_private_key(out / "signing.key", KeyAlgorithm::Ed25519, signing.private_key.view(), force);
  crypto::write_public_key(out / "signing.pub", KeyAlgorithm::Ed25519, signing.public_key, force);
  std::cout << "Wrote " << (out / "analysis.key").string() << " and analysis.pub (X25519), signing.key and "
            << "signing.pub (Ed25519) in " << out.string() << ".\n"
            << "Give kiosks the two .pub files; keep the .key files offline and backed up.\n";
  return kExitOk;
}

}  // namespace tt::admin

// tutortime-admin roster check|sign|publish: a school's tutor groups (shared/protocol/roster.h),
// signed like a survey and published for that school's kiosks.
#include <iostream>

#include "shared/common/files.h"
#include "shared/crypto/ed25519.h"
#include "shared/crypto/key_files.h"
#include "shared/protocol/json_body.h"
#include "shared/protocol/roster.h"
#include "shared/survey/survey_signature.h"
#include "sync/admin/central_connection.h"
#include "sync/admin/commands.h"

namespace tt::admin {

namespace {

protocol::Roster load_roster(const std::string& file, const std::string& text) {
  try {
    return protocol::parse_roster(text);
  } catch (const protocol::ProtocolError& e) {
    throw InvalidInputError(file + ": " + e.what());
  }
}

std::string summary(const protocol::Roster& r) {
  return r.school + " version " + std::to_string(r.version) + ": " + std::to_string(r.tutor_groups.size()) +
         " tutor groups";
}

}  // namespace

int command_roster(CommandLine& args) {
  std::string verb = args.required_positional("a roster command (check, sign or publish)");
  if (verb == "check") {
    std::string file = args.required_positional("the roster FILE to check");
    args.expect_done();
    std::cout << file << ": ok — " << summary(load_roster(file, read_text_file(file))) << "\n";
    return kExitOk;
  }
  if (verb == "sign") {
    std::string key_file = args.required_option("--key");
    std::string file = args.required_positional("the roster FILE to sign");
    args.expect_done();
    std::string text = read_text_file(file);
    protocol::Roster roster = load_roster(file, text);  // never sign a roster that would be refused
    crypto::SecretBytes seed;
    try {
      seed = crypto::read_private_key(key_file, crypto::KeyAlgorithm::Ed25519);
    } catch (const Error& e) {
      throw InvalidInputError(e.what());
    }
    std::filesystem::path sig = survey::signature_path_for(file);
    write_file_atomically(sig, crypto::ed25519_sign(seed.view(), as_bytes(text)), 0644, true);
    std::cout << "Signed " << summary(roster) << "\nWrote " << sig.string() << "\n";
    return kExitOk;
  }
  if (verb == "publish") {
    CentralConnection server = CentralConnection::from_command_line(args);
    std::string file = args.required_positional("the roster FILE to publish");
    args.expect_done();
    std::string text = read_text_file(file);
    protocol::Roster roster = load_roster(file, text);
    std::filesystem::path sig = survey::signature_path_for(file);
    std::error_code ec;
    if (!std::filesystem::exists(sig, ec)) {
      throw InvalidInputError(file + " is not signed: " + sig.string() +
                              " is missing (run tutortime-admin roster sign)");
    }
    protocol::PublishRosterReply reply = protocol::parse_publish_roster_reply(
        server.admin("POST", protocol::kAdminRostersPath,
                     protocol::to_json(protocol::PublishRosterRequest{text, read_binary_file(sig)})));
    std::cout << (reply.already_published ? "Already published: " : "Published: ") << summary(roster)
              << "\nThe school's kiosks fetch it at their next sync.\n";
    return kExitOk;
  }
  throw UsageError("unknown roster command \"" + verb + "\" (expected check, sign or publish)");
}

}  // namespace tt::admin

#include <iostream>

#include "shared/common/files.h"
#include "shared/crypto/key_files.h"
#include "shared/protocol/distribution.h"
#include "shared/survey/survey_loader.h"
#include "shared/survey/survey_signature.h"
#include "sync/admin/central_connection.h"
#include "sync/admin/commands.h"

namespace tt::admin {

namespace {

std::string summary(const survey::Survey& s) {
  std::size_t info = s.questions().size() - s.answerable_count();
  std::string out =
      s.id + " version " + std::to_string(s.version) + ": " + std::to_string(s.answerable_count()) + " questions";
  if (info > 0) out += " and " + std::to_string(info) + " information screens";
  out += " in " + std::to_string(s.sections.size()) + " sections";
  out += ", languages " + [&] {
    std::string l;
    for (const auto& x : s.languages) l += (l.empty() ? "" : ", ") + x;
    return l;
  }();
  out += ", " + std::to_string(s.scores.size()) + " scores, " + std::to_string(s.safeguarding.alerts.size()) +
         " safeguarding alerts";
  return out;
}

int check(const std::vector<std::string>& files) {
  if (files.empty()) throw UsageError("survey check needs at least one FILE");
  int status = kExitOk;
  for (const std::string& f : files) {
    try {
      survey::Survey s = survey::load_survey_file(f);
      std::cout << f << ": ok — " << summary(s) << "\n";
    } catch (const survey::SurveyError& e) {
      std::cerr << e.what() << "\n";
      status = kExitInvalidInput;
    }
  }
  return status;
}

int sign(const std::string& file, const std::string& key_file) {
  std::string text = read_text_file(file);
  survey::Survey s = survey::load_survey_text(text, file);  // never sign a broken survey
  crypto::SecretBytes seed;
  try {
    seed = crypto::read_private_key(key_file, crypto::KeyAlgorithm::Ed25519);
  } catch (const Error& e) {
    throw InvalidInputError(e.what());
  }
  Bytes signature = survey::sign_survey(as_bytes(text), seed.view());
  std::filesystem::path sig = survey::signature_path_for(file);
  write_file_atomically(sig, signature, 0644, true);
  std::cout << "Signed " << summary(s) << "\nWrote " << sig.string() << "\n";
  return kExitOk;
}

// Sends FILE and FILE.sig to the server, which checks both and hands the survey to kiosks.
int publish(CentralConnection& server, const std::string& file) {
  std::string text = read_text_file(file);
  survey::Survey s = survey::load_survey_text(text, file);  // a broken survey goes nowhere
  std::filesystem::path sig = survey::signature_path_for(file);
  std::error_code ec;
  if (!std::filesystem::exists(sig, ec)) {
    throw InvalidInputError(file + " is not signed: " + sig.string() + " is missing (run tutortime-admin survey sign)");
  }
  protocol::PublishSurveyRequest request{text, read_binary_file(sig)};
  protocol::PublishSurveyReply reply = protocol::parse_publish_survey_reply(
      server.admin("POST", protocol::kAdminSurveysPath, protocol::to_json(request)));
  std::cout << (reply.already_published ? "Already published: " : "Published: ") << summary(s)
            << "\nKiosks install it at their next sync.\n";
  return kExitOk;
}

}  // namespace

int command_survey(CommandLine& args) {
  std::string verb = args.required_positional("a survey command (check, sign or publish)");
  if (verb == "check") {
    auto files = args.remaining_positionals();
    args.expect_done();
    return check(files);
  }
  if (verb == "sign") {
    std::string key = args.required_option("--key");
    std::string file = args.required_positional("the survey FILE to sign");
    args.expect_done();
    return sign(file, key);
  }
  if (verb == "publish") {
    CentralConnection server = CentralConnection::from_command_line(args);
    std::string file = args.required_positional("the survey FILE to publish");
    args.expect_done();
    return publish(server, file);
  }
  throw UsageError("unknown survey command \"" + verb + "\" (expected check, sign or publish)");
}

}  // namespace tt::admin

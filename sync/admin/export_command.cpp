// tutortime-admin export: fetches every stored response from the server (every page of
// /v1/admin/responses, each checked against its sha256), opens each with the analysis key, and
// writes them as CSV (response_csv.h) or JSON lines (each response's plaintext, as sealed).
#include <iostream>
#include <set>

#include "shared/common/files.h"
#include "shared/crypto/key_files.h"
#include "shared/protocol/admin.h"
#include "shared/protocol/distribution.h"
#include "shared/survey/response.h"
#include "shared/survey/survey_loader.h"
#include "sync/admin/central_connection.h"
#include "sync/admin/commands.h"
#include "sync/admin/response_csv.h"

namespace tt::admin {

namespace {

// Every stored response, in the order the server received them.
std::vector<protocol::ExportedResponse> fetch_all(CentralConnection& server) {
  std::vector<protocol::ExportedResponse> out;
  std::int64_t after = 0;
  for (;;) {
    std::string target = std::string(protocol::kAdminResponsesPath) + "?after=" + std::to_string(after) +
                         "&limit=" + std::to_string(protocol::kMaxExportPage);
    // parse_responses_page refuses a page whose bytes do not match their sha256.
    protocol::ResponsesPage page = protocol::parse_responses_page(server.admin("GET", target, "", 200));
    for (auto& r : page.responses) out.push_back(std::move(r));
    if (!page.next_after) return out;
    if (*page.next_after <= after) throw Error("the server's export did not move forward (next_after repeated)");
    after = *page.next_after;
  }
}

// The definition for the CSV's columns when --survey is not given: the one survey the responses
// answer, as published on the server (its latest version).
survey::Survey published_definition(CentralConnection& server, const std::vector<protocol::ExportedResponse>& stored) {
  std::set<std::string> ids;
  for (const auto& r : stored) ids.insert(r.survey_id);
  protocol::SurveysReply published =
      protocol::parse_surveys_reply(server.admin("GET", protocol::kAdminSurveysPath, "", 200));
  if (ids.empty() && published.surveys.size() == 1) ids.insert(published.surveys[0].survey_id);
  if (ids.size() != 1) {
    throw UsageError("the responses answer " + std::to_string(ids.size()) +
                     " surveys; CSV is for one: give --survey FILE (its definition)");
  }
  for (const protocol::SignedSurvey& s : published.surveys) {
    if (s.survey_id == *ids.begin()) return survey::load_survey_text(s.definition, "the published " + s.survey_id);
  }
  throw UsageError("survey " + *ids.begin() + " is not published on the server; give --survey FILE (its definition)");
}

}  // namespace

int command_export(CommandLine& args) {
  CentralConnection server = CentralConnection::from_command_line(args);
  std::string key_file = args.required_option("--key");
  std::string format = args.required_option("--format");
  std::optional<std::string> out_file = args.option("--out");
  std::optional<std::string> survey_file = args.option("--survey");
  args.expect_done();
  if (format != "csv" && format != "jsonl") throw UsageError("--format must be csv or jsonl");
  std::optional<survey::Survey> definition;
  if (survey_file) definition = survey::load_survey_file(*survey_file);
  crypto::SecretBytes key;
  try {
    key = crypto::read_private_key(key_file, crypto::KeyAlgorithm::X25519);
  } catch (const Error& e) {
    throw InvalidInputError(e.what());
  }

  std::vector<protocol::ExportedResponse> stored = fetch_all(server);
  // CSV has one column per question, so it needs the definition: given, or as published.
  if (format == "csv" && !definition) definition = published_definition(server, stored);
  std::string output;
  std::optional<ResponseCsv> csv;
  if (format == "csv") {
    csv.emplace(*definition);
    output = std::string(kUtf8ByteOrderMark) + csv->header();
  }
  std::size_t written = 0, other_survey = 0, failed = 0;
  for (const protocol::ExportedResponse& r : stored) {
    if (definition && r.survey_id != definition->id) {
      ++other_survey;
      continue;
    }
    nlohmann::json plaintext;
    try {
      plaintext = survey::open_response(r.sealed, r.response_id, key.view());
    } catch (const Error& e) {
      // The message names the id, never the contents (it could not read them).
      std::cerr << "tutortime-admin: response " << r.response_id << ": " << e.what() << "\n";
      ++failed;
      continue;
    }
    if (csv) {
      output += csv->row(plaintext);
    } else {
      output += plaintext.dump() + "\n";
    }
    ++written;
  }
  if (out_file) {
    // The file holds pupils' answers: only its owner may read it.
    write_file_atomically(*out_file, as_bytes(output), 0600, true);
  } else {
    std::cout << output << std::flush;
  }
  std::cerr << "Exported " << written << " of " << stored.size() << " stored responses"
            << (out_file ? " to " + *out_file : std::string()) << ".";
  if (other_survey > 0) {
    std::cerr << " " << other_survey << " answer another survey than " << definition->id << " and were left out.";
  }
  if (failed > 0) std::cerr << " " << failed << " did not open with this key (listed above).";
  std::cerr << "\n";
  return failed > 0 ? kExitInvalidInput : kExitOk;
}

}  // namespace tt::admin

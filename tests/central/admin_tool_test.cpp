// tutortime-admin end to end, the real binaries: enrol-token → a device enrols and uploads →
// export as CSV and JSON lines gives exactly the answers sealed; fleet; revoke; import.
#include "shared/protocol/distribution.h"
#include "tests/central/admin_tool_fixture.h"

namespace tt::central::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// RFC 4180: fields separated by commas, lines by CRLF, quoted fields may hold both.
std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

std::string cell(const std::vector<std::vector<std::string>>& csv, std::size_t row, const std::string& column) {
  const auto& header = csv.at(0);
  auto it = std::find(header.begin(), header.end(), column);
  if (it == header.end()) return "<no column " + column + ">";
  return csv.at(row).at(static_cast<std::size_t>(it - header.begin()));
}

std::vector<json> json_lines(const std::string& text) {
  std::vector<json> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    out.push_back(json::parse(text.substr(start, end - start)));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

TEST_F(AdminToolTest, EnrolTokenThenUploadThenExportGivesExactlyTheAnswersSealed) {
  ProcessResult token = admin({"enrol-token", "--school", "Hillside Academy", "--expires-in-hours", "2"});
  ASSERT_EQ(token.exit_code, 0) << token;
  std::string typed = token.out.substr(0, token.out.find('\n'));
  EXPECT_EQ(typed.size(), 14u) << token;
  TestDevice device{"", crypto::ed25519_generate()};
  auto enrolled = enrol(typed, device.key);
  ASSERT_TRUE(enrolled);
  ASSERT_EQ(enrolled->status, 201) << enrolled->body;
  device.id = protocol::parse_enrolment_reply(enrolled->body).device_id;

  std::vector<json> sent = {
      plaintext(crypto::random_id128(), {{"who5_1", 3},
                                         {"school_feeling", 2},
                                         {"school_hard", {"tired", "lessons"}},
                                         {"job_idea", "not_yet"},
                                         {"talked_jobs", true},
                                         {"anything_else", "I like art, \"club\"\nand =1+1 ünïcödé"}}),
      plaintext(crypto::random_id128(), {{"who5_1", {{"declined", true}}}, {"talked_jobs", false}}, "7C"),
      plaintext(crypto::random_id128(), json::object()),
  };
  std::vector<SealedUpload> uploads;
  for (const json& p : sent) uploads.push_back(sealed(p));
  EXPECT_THAT(upload_statuses(device, uploads), ::testing::Each(protocol::UploadStatus::Stored));

  ProcessResult jsonl = admin({"export", "--key", analysis_key_file().string(), "--format", "jsonl"});
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl;
  EXPECT_EQ(json_lines(jsonl.out), sent) << jsonl;
  EXPECT_THAT(jsonl.err, HasSubstr("Exported 3 of 3 stored responses"));

  fs::path csv_file = dir_ / "export.csv";
  fs::path survey_file = kSourceDir / "assets" / "surveys" / "y7-baseline.survey.json";
  ProcessResult csv_run = admin({"export", "--key", analysis_key_file().string(), "--format", "csv", "--out",
                                 csv_file.string(), "--survey", survey_file.string()});
  ASSERT_EQ(csv_run.exit_code, 0) << csv_run;
  EXPECT_EQ(fs::status(csv_file).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  std::string text = read_file_text(csv_file);
  ASSERT_THAT(text, StartsWith("\xEF\xBB\xBF")) << "a byte-order mark, so Excel reads UTF-8";
  auto csv = parse_csv(std::string_view(text).substr(3));
  ASSERT_EQ(csv.size(), 4u) << text;
  for (const auto& row : csv) EXPECT_EQ(row.size(), csv[0].size()) << "every row has every column";
  EXPECT_THAT(
      std::vector<std::string>(csv[0].begin(), csv[0].begin() + 6),
      ::testing::ElementsAre("response_id", "survey", "version", "finished_at", "tutor_group", "talk_to_someone"));
  EXPECT_EQ(cell(csv, 1, "response_id"), sent[0]["response_id"]);
  EXPECT_EQ(cell(csv, 1, "survey"), "y7-baseline");
  EXPECT_EQ(cell(csv, 1, "version"), "1");
  EXPECT_EQ(cell(csv, 1, "tutor_group"), "7B");
  EXPECT_EQ(cell(csv, 1, "pupil_code"), "7K2M4Q");
  EXPECT_EQ(cell(csv, 1, "who5_1"), "3");
  EXPECT_NE(cell(csv, 1, "who5_1_label"), "3") << "a label, not the code again";
  EXPECT_EQ(cell(csv, 1, "school_feeling"), "2");
  EXPECT_EQ(cell(csv, 1, "school_hard"), "tired;lessons");
  EXPECT_THAT(cell(csv, 1, "school_hard_label"), HasSubstr("; "));
  EXPECT_EQ(cell(csv, 1, "job_idea"), "not_yet");
  EXPECT_EQ(cell(csv, 1, "talked_jobs"), "yes");
  EXPECT_EQ(cell(csv, 1, "talked_jobs_label"), "Yes");
  EXPECT_EQ(cell(csv, 1, "anything_else"), "I like art, \"club\"\nand =1+1 ünïcödé") << "quoted, not mangled";
  EXPECT_EQ(cell(csv, 2, "who5_1"), "declined");
  EXPECT_EQ(cell(csv, 2, "who5_1_label"), "I'd rather not say");
  EXPECT_EQ(cell(csv, 2, "talked_jobs"), "no");
  EXPECT_EQ(cell(csv, 2, "tutor_group"), "7C");
  EXPECT_EQ(cell(csv, 3, "who5_1"), "") << "not answered: empty";
  EXPECT_EQ(cell(csv, 3, "who5_1_label"), "");
}

TEST_F(AdminToolTest, CsvTakesItsColumnsFromThePublishedSurveyWhenNoneIsGiven) {
  TestDevice device = enrolled_device();
  json sent = plaintext(crypto::random_id128(), {{"job_idea", "some_ideas"}});
  ASSERT_EQ(upload_statuses(device, {sealed(sent)}).size(), 1u);
  std::vector<std::string> args = {"export", "--key", analysis_key_file().string(), "--format", "csv"};
  ProcessResult unpublished = admin(args);
  EXPECT_EQ(unpublished.exit_code, 2) << unpublished;
  EXPECT_THAT(unpublished.err, HasSubstr("y7-baseline is not published on the server; give --survey FILE"));

  fs::path file = dir_ / "y7-baseline.survey.json";
  fs::copy_file(kSourceDir / "assets" / "surveys" / "y7-baseline.survey.json", file);
  ASSERT_EQ(admin({"survey", "sign", file.string(), "--key", signing_key_file().string()}, false).exit_code, 0);
  ASSERT_EQ(admin({"survey", "publish", file.string()}).exit_code, 0);
  ProcessResult csv_run = admin(args);
  ASSERT_EQ(csv_run.exit_code, 0) << csv_run;
  auto csv = parse_csv(std::string_view(csv_run.out).substr(3));
  ASSERT_EQ(csv.size(), 2u) << csv_run.out;
  EXPECT_EQ(cell(csv, 1, "job_idea"), "some_ideas");
  EXPECT_NE(cell(csv, 1, "job_idea_label"), "some_ideas") << "the option's words from the published definition";
}

TEST_F(AdminToolTest, AWrongKeyIsReportedAndNothingIsWritten) {
  TestDevice device = enrolled_device();
  ASSERT_EQ(upload_statuses(device, {sealed(plaintext(crypto::random_id128(), json::object()))}).size(), 1u);
  auto other = crypto::x25519_generate();
  crypto::write_private_key(dir_ / "other.key", crypto::KeyAlgorithm::X25519, other.private_key.view());
  ProcessResult wrong_key = admin({"export", "--key", (dir_ / "other.key").string(), "--format", "jsonl"});
  EXPECT_EQ(wrong_key.exit_code, 3) << wrong_key;
  EXPECT_EQ(wrong_key.out, "");
  EXPECT_THAT(wrong_key.err, HasSubstr("did not open"));
}

TEST_F(AdminToolTest, FleetShowsTheDeviceAndRevokeStopsItsUploads) {
  TestDevice device = enrolled_device("Riverside School");
  protocol::Heartbeat heartbeat{"0.1.0", {{"y7-baseline", 1}}, 4, 5400, 1000000};
  std::string body = protocol::to_json(heartbeat);
  auto beat = post_json(protocol::kHeartbeatPath, body, signed_headers(device, "POST", protocol::kHeartbeatPath, body));
  ASSERT_TRUE(beat);
  ASSERT_EQ(beat->status, 200) << beat->body;

  ProcessResult table = admin({"fleet"});
  ASSERT_EQ(table.exit_code, 0) << table;
  EXPECT_THAT(table.out, HasSubstr(device.id));
  EXPECT_THAT(table.out, HasSubstr("Riverside School"));
  EXPECT_THAT(table.out, HasSubstr("y7-baseline v1"));
  EXPECT_THAT(table.out, HasSubstr("1 devices, 0 silent"));

  ProcessResult as_json = admin({"fleet", "--json"});
  ASSERT_EQ(as_json.exit_code, 0) << as_json;
  json fleet = json::parse(as_json.out);
  ASSERT_EQ(fleet["devices"].size(), 1u);
  EXPECT_EQ(fleet["devices"][0]["device_id"], device.id);
  EXPECT_EQ(fleet["devices"][0]["last_heartbeat"]["responses_waiting"], 4);
  EXPECT_EQ(fleet["devices"][0]["status"], "ok");
  EXPECT_EQ(fleet["silent_after_seconds"], 72 * 3600);
  EXPECT_GE(fleet["devices"][0]["oldest_waiting_age_seconds_now"].get<std::int64_t>(), 5400);

  ProcessResult revoked = admin({"revoke", device.id});
  ASSERT_EQ(revoked.exit_code, 0) << revoked;
  EXPECT_THAT(revoked.out, HasSubstr("is revoked"));
  expect_problem(upload(device, {random_upload()}), protocol::ProblemKind::DeviceRevoked);
  EXPECT_EQ(stored_count(), 0u);
  EXPECT_THAT(admin({"fleet"}).out, HasSubstr("revoked"));

  ProcessResult unknown = admin({"revoke", crypto::random_id128()});
  EXPECT_EQ(unknown.exit_code, 1) << unknown;
  EXPECT_THAT(unknown.err, HasSubstr("not enrolled"));
}

TEST_F(AdminToolTest, ImportOfRescuedFilesTwiceStoresEachOnce) {
  fs::path rescued = dir_ / "rescued";
  fs::create_directories(rescued);
  std::vector<json> sent;
  for (int i = 0; i < 3; ++i) {
    sent.push_back(plaintext(crypto::random_id128(), {{"who5_1", i}}));
    SealedUpload u = sealed(sent.back());
    std::ofstream(rescued / (u.response_id + ".bin"), std::ios::binary)
        .write(reinterpret_cast<const char*>(u.sealed.data()), static_cast<std::streamsize>(u.sealed.size()));
  }
  std::vector<std::string> args = {"import", rescued.string(), "--key", analysis_key_file().string()};
  ProcessResult first = admin(args);
  ASSERT_EQ(first.exit_code, 0) << first;
  EXPECT_THAT(first.out, HasSubstr("3 stored, 0 duplicate"));
  ProcessResult again = admin(args);
  ASSERT_EQ(again.exit_code, 0) << again;
  EXPECT_THAT(again.out, HasSubstr("0 stored, 3 duplicate"));

  std::vector<protocol::ExportedResponse> stored = exported();
  ASSERT_EQ(stored.size(), 3u);
  for (const auto& r : stored) {
    EXPECT_EQ(r.device_id, "") << "an import has no device";
    EXPECT_EQ(r.survey_id, "y7-baseline");
    EXPECT_EQ(r.finished_at, "2026-12-04T14:07Z");
  }
  ProcessResult out = admin({"export", "--key", analysis_key_file().string(), "--format", "jsonl"});
  EXPECT_THAT(json_lines(out.out), ::testing::UnorderedElementsAreArray(sent));

  // A file that is not a sealed response is reported, and the exit says not everything went.
  std::ofstream(rescued / (crypto::random_id128() + ".bin")) << "not sealed";
  ProcessResult broken = admin(args);
  EXPECT_EQ(broken.exit_code, 6) << broken;
  EXPECT_THAT(broken.out, HasSubstr("1 could not be read"));
}

TEST_F(AdminToolTest, SaysHowToFindTheServerAndWhenTheTokenIsWrong) {
  ProcessResult nothing = admin({"fleet"}, false);
  EXPECT_EQ(nothing.exit_code, 2) << nothing;
  EXPECT_THAT(nothing.err, HasSubstr("--server"));
  ProcessResult no_token = admin({"fleet", "--server", server_->url()}, false);
  EXPECT_EQ(no_token.exit_code, 2) << no_token;
  EXPECT_THAT(no_token.err, HasSubstr("--admin-token-file"));

  std::ofstream(dir_ / "wrong-token") << "0123456789abcdef\n";
  ProcessResult wrong = admin({"fleet", "--server", server_->url(), "--admin-token-file",
                               (dir_ / "wrong-token").string(), "--server-certificate", certificate_file().string()},
                              false);
  EXPECT_EQ(wrong.exit_code, 1) << wrong;
  EXPECT_THAT(wrong.err, HasSubstr("admin token"));
  EXPECT_THAT(wrong.err, ::testing::Not(HasSubstr("0123456789abcdef"))) << "never the token";

  // Without the server's certificate, its self-signed one does not verify: refused, not trusted.
  ProcessResult unverified =
      admin({"fleet", "--server", server_->url(), "--admin-token-file", (data_dir_ / "admin-token").string()}, false);
  EXPECT_EQ(unverified.exit_code, 1) << unverified;
  EXPECT_THAT(unverified.err, HasSubstr("certificate"));
}

}  // namespace
}  // namespace tt::central::testing

namespace tt::central::testing {
namespace {

TEST_F(AdminToolTest, TheImportEndpointTakesTheAdminTokenOnlyAndAnswersPerEntry) {
  std::string body = protocol::batch_upload_to_json(std::vector<SealedUpload>{random_upload()});
  expect_problem(post_json(protocol::kAdminImportPath, body), protocol::ProblemKind::AdminTokenRefused);
  TestDevice device = enrolled_device();
  expect_problem(
      post_json(protocol::kAdminImportPath, body, signed_headers(device, "POST", protocol::kAdminImportPath, body)),
      protocol::ProblemKind::AdminTokenRefused);
  EXPECT_EQ(stored_count(), 0u);

  json mixed = json::parse(body);
  mixed["responses"].push_back({{"response_id", "not-an-id"}});
  auto r = post_json(protocol::kAdminImportPath, mixed.dump(), admin_headers());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto results = protocol::parse_batch_reply(r->body);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].status, protocol::UploadStatus::Stored);
  EXPECT_EQ(results[1].status, protocol::UploadStatus::Rejected);
  EXPECT_THAT(results[1].reason, ::testing::HasSubstr("/responses/1/response_id"));
  EXPECT_EQ(stored_count(), 1u);
}

}  // namespace
}  // namespace tt::central::testing

// tutortime-kiosk setup, survey install / list and the store's refusals, run as real processes.
#include "kiosk/session/pupil_session.h"
#include "kiosk/store/kiosk_store.h"
#include "tests/cli/cli_test_support.h"

namespace tt::cli_testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// ---------------------------------------------------------------------------------------------
// setup

using SetupTest = CliTest;

TEST_F(SetupTest, CreatesAPrivateStoreWithTheCentralTeamsKeys) {
  ASSERT_NO_FATAL_FAILURE(keygen());
  RunResult r = kiosk({"setup", "--analysis-public-key", (keys_ / "analysis.pub").string(), "--signing-public-key",
                       (keys_ / "signing.pub").string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr(data_.string()));
  EXPECT_EQ(mode_of(data_), 0700u);
  EXPECT_EQ(mode_of(data_ / "storage.key"), 0600u);
  EXPECT_EQ(fs::file_size(data_ / "storage.key"), 32u);
  EXPECT_TRUE(fs::exists(data_ / "kiosk.db"));

  nlohmann::json status = status_json();
  EXPECT_TRUE(std::regex_match(status.value("device_id", ""), std::regex("[0-9a-f]{32}"))) << status;
  EXPECT_EQ(status["surveys"], nlohmann::json::array());
  EXPECT_EQ(status["drafts"], 0);
  EXPECT_EQ(status["outbox_waiting"], 0);
  EXPECT_THAT(r.out, HasSubstr(status.value("device_id", "?")));

  // The store holds exactly the keys it was given (read back in-process).
  auto store = kiosk::KioskStore::open(data_);
  EXPECT_EQ(store->setting(kiosk::kSettingAnalysisPublicKey).value_or(""), read_text(keys_ / "analysis.pub"));
  EXPECT_EQ(store->setting(kiosk::kSettingSigningPublicKey).value_or(""), read_text(keys_ / "signing.pub"));
}

TEST_F(SetupTest, TheDataDirectoryCanComeFromTheEnvironment) {
  ASSERT_NO_FATAL_FAILURE(keygen());
  RunOptions o = options();
  o.env["TUTORTIME_DATA_DIR"] = data_.string();
  RunResult r = run_process({kKioskBin.string(), "setup", "--analysis-public-key", (keys_ / "analysis.pub").string(),
                             "--signing-public-key", (keys_ / "signing.pub").string()},
                            o);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(fs::exists(data_ / "storage.key"));
  RunResult s = run_process({kKioskBin.string(), "status", "--json"}, o);
  EXPECT_EQ(s.exit_code, 0) << s;
  EXPECT_EQ(parse_json(s.out).value("data_dir", ""), data_.string());
}

TEST_F(SetupTest, RefusesToRunTwiceAndLosesNothing) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kDataDir / "cli-check.survey.json"}));
  std::string device = status_json().value("device_id", "");
  auto before = contents_of(data_);
  ASSERT_TRUE(before.count("storage.key") && before.count("kiosk.db"));

  fs::path other_keys = root_ / "other-keys";
  ASSERT_NO_FATAL_FAILURE(keygen(other_keys));
  RunResult r = kiosk({"setup", "--analysis-public-key", (other_keys / "analysis.pub").string(), "--signing-public-key",
                       (other_keys / "signing.pub").string()});
  EXPECT_NE(r.exit_code, 0) << r;
  EXPECT_EQ(r.exit_code, 5) << "a store that exists is the store refusing\n" << r;
  EXPECT_THAT(r.err, HasSubstr("already exists"));
  EXPECT_EQ(read_text(data_ / "storage.key"), before["storage.key"]) << "the storage key was replaced";
  EXPECT_EQ(read_text(data_ / "kiosk.db"), before["kiosk.db"]) << "the database changed";

  nlohmann::json status = status_json();
  EXPECT_EQ(status.value("device_id", ""), device);
  ASSERT_EQ(status["surveys"].size(), 1u) << status;
  EXPECT_EQ(status["surveys"][0]["id"], "cli-check");
  auto store = kiosk::KioskStore::open(data_);
  EXPECT_EQ(store->setting(kiosk::kSettingAnalysisPublicKey).value_or(""), read_text(keys_ / "analysis.pub"))
      << "the second setup replaced the analysis key";
}

struct WrongKeys {
  const char* name;
  const char* analysis;  // file in keys_ (or "garbage" / "missing")
  const char* signing;
  const char* named;  // the file the message must name
};

std::ostream& operator<<(std::ostream& os, const WrongKeys& w) {
  return os << w.name;
}

class SetupWrongKeyTest : public CliTest, public ::testing::WithParamInterface<WrongKeys> {};

TEST_P(SetupWrongKeyTest, IsRefusedWithExitThreeAndNoStore) {
  const WrongKeys& w = GetParam();
  ASSERT_NO_FATAL_FAILURE(keygen());
  write_text(keys_ / "garbage", "this is not a key\n");
  RunResult r = kiosk({"setup", "--analysis-public-key", (keys_ / w.analysis).string(), "--signing-public-key",
                       (keys_ / w.signing).string()});
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_THAT(r.err, HasSubstr((keys_ / w.named).string())) << r;
  EXPECT_FALSE(fs::exists(data_ / "storage.key")) << "a refused setup left a storage key";
  EXPECT_FALSE(fs::exists(data_ / "kiosk.db")) << "a refused setup left a database";
  EXPECT_FALSE(fs::exists(data_)) << "a refused setup created the data directory";
  // And the kiosk is still not set up.
  RunResult s = kiosk({"status"});
  EXPECT_EQ(s.exit_code, 5) << s;
}

INSTANTIATE_TEST_SUITE_P(
    Variants, SetupWrongKeyTest,
    ::testing::Values(WrongKeys{"analysis_key_as_signing_key", "analysis.pub", "analysis.pub", "analysis.pub"},
                      WrongKeys{"signing_key_as_analysis_key", "signing.pub", "signing.pub", "signing.pub"},
                      WrongKeys{"swapped", "signing.pub", "analysis.pub", "signing.pub"},
                      WrongKeys{"private_analysis_key", "analysis.key", "signing.pub", "analysis.key"},
                      WrongKeys{"private_signing_key", "analysis.pub", "signing.key", "signing.key"},
                      WrongKeys{"garbage", "analysis.pub", "garbage", "garbage"},
                      WrongKeys{"missing_file", "missing.pub", "signing.pub", "missing.pub"}),
    [](const ::testing::TestParamInfo<WrongKeys>& info) { return std::string(info.param.name); });

// ---------------------------------------------------------------------------------------------
// survey install / list

class InstallTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_NO_FATAL_FAILURE(keygen());
    ASSERT_NO_FATAL_FAILURE(setup_kiosk());
  }
  nlohmann::json list_json() {
    RunResult r = kiosk({"survey", "list", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r;
    return parse_json(r.out);
  }
};

TEST_F(InstallTest, ASignedSurveyIsInstalledAndListed) {
  fs::path survey = copy_in(kSurveysDir / "who5.survey.json");
  ASSERT_NO_FATAL_FAILURE(sign(survey, keys_ / "signing.key"));
  EXPECT_EQ(list_json(), nlohmann::json::array());
  RunResult r = kiosk({"survey", "install", survey.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("Installed survey who5 version 1"));
  nlohmann::json list = list_json();
  ASSERT_EQ(list.size(), 1u) << list;
  EXPECT_EQ(list[0]["survey_id"], "who5");
  EXPECT_EQ(list[0]["version"], 1);
  EXPECT_TRUE(list[0]["installed_at"].is_number_integer()) << list;

  RunResult plain = kiosk({"survey", "list"});
  EXPECT_EQ(plain.exit_code, 0) << plain;
  EXPECT_THAT(plain.out, HasSubstr("who5"));

  // Stored verbatim: the exact signed bytes.
  auto store = kiosk::KioskStore::open(data_);
  auto installed = store->survey("who5");
  ASSERT_TRUE(installed.has_value());
  EXPECT_EQ(installed->definition_json, read_text(survey));
}

TEST_F(InstallTest, AnUnsignedSurveyIsRefused) {
  fs::path survey = copy_in(kSurveysDir / "who5.survey.json");
  RunResult r = kiosk({"survey", "install", survey.string()});
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_THAT(r.err, HasSubstr("is not signed"));
  EXPECT_THAT(r.err, HasSubstr(survey.string() + ".sig"));
  EXPECT_EQ(list_json(), nlohmann::json::array());
}

TEST_F(InstallTest, ASurveySignedWithAnotherKeyIsRefused) {
  fs::path other_keys = root_ / "other-keys";
  ASSERT_NO_FATAL_FAILURE(keygen(other_keys));
  fs::path survey = copy_in(kSurveysDir / "who5.survey.json");
  ASSERT_NO_FATAL_FAILURE(sign(survey, other_keys / "signing.key"));
  RunResult r = kiosk({"survey", "install", survey.string()});
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_THAT(r.err, HasSubstr("wrong signature"));
  EXPECT_EQ(list_json(), nlohmann::json::array());
}

TEST_F(InstallTest, ASurveyChangedAfterSigningIsRefused) {
  fs::path survey = copy_in(kSurveysDir / "who5.survey.json");
  ASSERT_NO_FATAL_FAILURE(sign(survey, keys_ / "signing.key"));
  std::string text = read_text(survey);
  std::size_t at = text.find("How you have been feeling");
  ASSERT_NE(at, std::string::npos);
  text[at] = 'h';  // one byte; still a valid survey
  write_text(survey, text);
  RunResult check = admin({"survey", "check", survey.string()});
  ASSERT_EQ(check.exit_code, 0) << "the changed survey should still be valid\n" << check;

  RunResult r = kiosk({"survey", "install", survey.string()});
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_THAT(r.err, HasSubstr("wrong signature"));
  EXPECT_EQ(list_json(), nlohmann::json::array());

  // A truncated or empty .sig is refused as well.
  ASSERT_NO_FATAL_FAILURE(sign(survey, keys_ / "signing.key"));
  std::string sig = read_text(survey.string() + ".sig");
  write_text(survey.string() + ".sig", sig.substr(0, 63));
  RunResult short_sig = kiosk({"survey", "install", survey.string()});
  EXPECT_EQ(short_sig.exit_code, 3) << short_sig;
  write_text(survey.string() + ".sig", "");
  RunResult empty_sig = kiosk({"survey", "install", survey.string()});
  EXPECT_EQ(empty_sig.exit_code, 3) << empty_sig;
  EXPECT_EQ(list_json(), nlohmann::json::array());
}

TEST_F(InstallTest, AMalformedSurveyWithAValidSignatureIsRefused) {
  // survey sign refuses malformed surveys, so sign this one with openssl directly.
  fs::path survey = root_ / "broken.survey.json";
  write_text(survey, "{\"format\": 1, \"id\": \"broken\", \"version\": 1}\n");
  RunResult s = openssl({"pkeyutl", "-sign", "-inkey", (keys_ / "signing.key").string(), "-rawin", "-in",
                         survey.string(), "-out", survey.string() + ".sig"});
  ASSERT_EQ(s.exit_code, 0) << s;
  ASSERT_EQ(fs::file_size(survey.string() + ".sig"), 64u);
  RunResult r = kiosk({"survey", "install", survey.string()});
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_THAT(r.err, HasSubstr(survey.string()));
  EXPECT_EQ(list_json(), nlohmann::json::array());
}

TEST_F(InstallTest, TheSameSurveyTwiceIsAlreadyInstalled) {
  fs::path survey = install(kSurveysDir / "who5.survey.json");
  RunResult r = kiosk({"survey", "install", survey.string()});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("already installed"));
  EXPECT_EQ(list_json().size(), 1u);
}

TEST_F(InstallTest, TheSameIdAndVersionWithOtherContentsIsRefused) {
  fs::path survey = install(kSurveysDir / "who5.survey.json");
  std::string original = read_text(survey);
  fs::path changed = root_ / "who5-changed.survey.json";
  std::string text = original;
  text.replace(text.find("How you have been feeling"), std::strlen("How you have been feeling"), "How are you");
  write_text(changed, text);
  ASSERT_NO_FATAL_FAILURE(sign(changed, keys_ / "signing.key"));  // properly signed
  RunResult r = kiosk({"survey", "install", changed.string()});
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_THAT(r.err, HasSubstr("already installed with different contents"));
  EXPECT_THAT(r.err, HasSubstr("new version"));
  nlohmann::json list = list_json();
  EXPECT_EQ(list.size(), 1u) << list;
  auto store = kiosk::KioskStore::open(data_);
  EXPECT_EQ(store->survey("who5")->definition_json, original) << "the installed survey was replaced";

  // A new version of it is fine, and both are listed.
  std::string v2 = text;
  v2.replace(v2.find("\"version\": 1"), std::strlen("\"version\": 1"), "\"version\": 2");
  write_text(changed, v2);
  ASSERT_NO_FATAL_FAILURE(sign(changed, keys_ / "signing.key"));
  store.reset();
  RunResult ok = kiosk({"survey", "install", changed.string()});
  EXPECT_EQ(ok.exit_code, 0) << ok;
  EXPECT_EQ(list_json().size(), 2u);
}

TEST_F(InstallTest, AMissingSurveyFileIsNamed) {
  RunResult r = kiosk({"survey", "install", (root_ / "nope.survey.json").string()});
  EXPECT_NE(r.exit_code, 0) << r;
  EXPECT_THAT(r.err, HasSubstr("nope.survey.json"));
}

// ---------------------------------------------------------------------------------------------
// The store refuses: exit 5

struct StoreCommand {
  const char* name;
  std::vector<std::string> args;
};

std::ostream& operator<<(std::ostream& os, const StoreCommand& c) {
  return os << c.name;
}

class NotSetUpTest : public CliTest, public ::testing::WithParamInterface<StoreCommand> {};

TEST_P(NotSetUpTest, ExitsFiveAndSaysRunSetup) {
  fs::path survey = copy_in(kDataDir / "cli-check.survey.json");
  write_script("pupil.script", "next\n");
  // A directory that does not exist, and one that exists but is empty.
  for (const fs::path& dir : {root_ / "never", root_ / "empty"}) {
    if (dir.filename() == "empty") fs::create_directories(dir);
    RunResult r = kiosk_in(dir, GetParam().args);
    EXPECT_EQ(r.exit_code, 5) << r;
    EXPECT_THAT(r.err, HasSubstr("run `tutortime-kiosk setup`")) << r;
    EXPECT_EQ(r.out, "") << r;
    EXPECT_TRUE(contents_of(dir).empty()) << dir << " got files from a refused command";
  }
  EXPECT_FALSE(fs::exists(root_ / "never")) << "a refused command created the data directory";
  EXPECT_FALSE(fs::exists(root_ / "out")) << "a refused export created its directory";
}

INSTANTIATE_TEST_SUITE_P(
    Commands, NotSetUpTest,
    ::testing::Values(StoreCommand{"status", {"status"}}, StoreCommand{"status_json", {"status", "--json"}},
                      StoreCommand{"survey_list", {"survey", "list", "--json"}},
                      StoreCommand{"survey_install", {"survey", "install", "cli-check.survey.json"}},
                      StoreCommand{"outbox_list", {"outbox", "list", "--json"}},
                      StoreCommand{"outbox_export", {"outbox", "export", "--dir", "out"}},
                      StoreCommand{"run", {"run", "--headless", "--script", "pupil.script"}}),
    [](const ::testing::TestParamInfo<StoreCommand>& info) { return std::string(info.param.name); });

class WrongStorageKeyTest : public CliTest, public ::testing::WithParamInterface<StoreCommand> {};

TEST_P(WrongStorageKeyTest, ExitsFiveNamingTheKeyAndLeavesTheDatabaseAlone) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({kDataDir / "cli-check.survey.json"}));
  write_script("pupil.script", "next\nanswer mood 3\n");
  ASSERT_EQ(kiosk({"run", "--headless", "--script", "pupil.script"}).exit_code, 0);
  std::string right_key = read_text(data_ / "storage.key");
  std::string db = read_text(data_ / "kiosk.db");
  // Another 32 bytes, mode 0600: a key, just not this database's.
  std::string wrong = right_key;
  for (char& c : wrong) c = static_cast<char>(c ^ 0x5a);
  write_text(data_ / "storage.key", wrong);
  fs::permissions(data_ / "storage.key", static_cast<fs::perms>(0600));
  ASSERT_EQ(mode_of(data_ / "storage.key"), 0600u);

  RunResult r = kiosk(GetParam().args);
  EXPECT_EQ(r.exit_code, 5) << r;
  EXPECT_THAT(r.err, HasSubstr("storage key")) << r;
  EXPECT_THAT(r.err, HasSubstr("kiosk.db")) << r;
  EXPECT_EQ(read_text(data_ / "kiosk.db"), db) << "kiosk.db changed under a wrong key";
  EXPECT_FALSE(fs::exists(root_ / "out"));
  for (const auto& e : fs::directory_iterator(data_)) {
    EXPECT_THAT(e.path().filename().string(), Not(HasSubstr("corrupt")))
        << "a wrong key is not corruption: nothing may be moved aside";
  }

  // The right key back, and nothing was lost.
  write_text(data_ / "storage.key", right_key);
  fs::permissions(data_ / "storage.key", static_cast<fs::perms>(0600));
  nlohmann::json status = status_json();
  EXPECT_EQ(status["drafts"], 1) << status;
  EXPECT_EQ(status["surveys"].size(), 1u) << status;
}

INSTANTIATE_TEST_SUITE_P(
    Commands, WrongStorageKeyTest,
    ::testing::Values(StoreCommand{"status", {"status", "--json"}},
                      StoreCommand{"survey_list", {"survey", "list", "--json"}},
                      StoreCommand{"survey_install", {"survey", "install", "cli-check.survey.json"}},
                      StoreCommand{"outbox_list", {"outbox", "list", "--json"}},
                      StoreCommand{"outbox_export", {"outbox", "export", "--dir", "out"}},
                      StoreCommand{"run", {"run", "--headless", "--script", "pupil.script"}}),
    [](const ::testing::TestParamInfo<StoreCommand>& info) { return std::string(info.param.name); });

using StorageKeyFileTest = CliTest;

TEST_F(StorageKeyFileTest, AKeyOthersCanReadIsRefusedWithItsMode) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({}));
  std::string db = read_text(data_ / "kiosk.db");
  fs::permissions(data_ / "storage.key", static_cast<fs::perms>(0644));
  RunResult r = kiosk({"status"});
  EXPECT_EQ(r.exit_code, 5) << r;
  EXPECT_THAT(r.err, HasSubstr("storage.key"));
  EXPECT_THAT(r.err, HasSubstr("0644"));
  EXPECT_EQ(read_text(data_ / "kiosk.db"), db);
}

TEST_F(StorageKeyFileTest, AKeyOfTheWrongSizeIsRefused) {
  ASSERT_NO_FATAL_FAILURE(ready_kiosk({}));
  std::string db = read_text(data_ / "kiosk.db");
  write_text(data_ / "storage.key", std::string(31, 'k'));
  fs::permissions(data_ / "storage.key", static_cast<fs::perms>(0600));
  RunResult r = kiosk({"status"});
  EXPECT_EQ(r.exit_code, 5) << r;
  EXPECT_THAT(r.err, HasSubstr("storage key"));
  EXPECT_THAT(r.err, HasSubstr("31 bytes"));
  EXPECT_EQ(read_text(data_ / "kiosk.db"), db);
}

}  // namespace
}  // namespace tt::cli_testing

namespace tt::cli_testing {
namespace {

// The kiosk cannot draw right-to-left or shaped scripts (Dear ImGui 1.86 has no shaping): a
// survey with such text is refused at install, naming where, instead of showing pupils "?".
TEST_F(InstallTest, ASurveyWithTextTheKioskCannotDrawIsRefusedNamingWhere) {
  nlohmann::json j = nlohmann::json::parse(read_text(kSurveysDir / "who5.survey.json"));
  j["title"] = "How you have been feeling / آپ کیسا محسوس کر رہے ہیں";
  fs::path survey = root_ / "who5-ur.survey.json";
  write_text(survey, j.dump(2));
  ASSERT_NO_FATAL_FAILURE(sign(survey, keys_ / "signing.key"));
  RunResult r = kiosk({"survey", "install", survey.string()});
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_THAT(r.err, HasSubstr("/title: U+0622 cannot be drawn (right-to-left scripts")) << r;
  EXPECT_EQ(list_json(), nlohmann::json::array());

  // Polish (Latin Extended-A) is fine.
  fs::path polish = copy_in(kSurveysDir / "demo-bilingual.survey.json");
  ASSERT_NO_FATAL_FAILURE(sign(polish, keys_ / "signing.key"));
  RunResult ok = kiosk({"survey", "install", polish.string()});
  EXPECT_EQ(ok.exit_code, 0) << ok;
}

}  // namespace
}  // namespace tt::cli_testing

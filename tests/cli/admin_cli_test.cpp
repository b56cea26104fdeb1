// tutortime-admin and the shared command-line conventions, run as real processes: --help,
// usage errors, keygen, survey check and survey sign (checked against openssl).
#include "tests/cli/cli_test_support.h"

namespace tt::cli_testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// ---------------------------------------------------------------------------------------------
// --help and usage errors (both tools)

using HelpTest = CliTest;

TEST_F(HelpTest, AdminHelpExitsZeroAndNamesEveryCommand) {
  for (const char* flag : {"--help", "-h"}) {
    RunResult r = admin({flag});
    EXPECT_EQ(r.exit_code, 0) << r;
    for (const char* command : {"keygen --out", "--force", "survey check", "survey sign", "--key", "open --key",
                                "--response-id", "Exit codes"}) {
      EXPECT_THAT(r.out, HasSubstr(command)) << "--help does not mention \"" << command << "\"\n" << r;
    }
    EXPECT_EQ(r.err, "") << r;
  }
  RunResult r = admin({"keygen", "--help"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("Usage: tutortime-admin"));
  EXPECT_FALSE(fs::exists(root_ / "keys")) << "--help must not run the command";
}

TEST_F(HelpTest, KioskHelpExitsZeroAndNamesEveryCommand) {
  for (const char* flag : {"--help", "-h"}) {
    RunResult r = kiosk_bare({flag});
    EXPECT_EQ(r.exit_code, 0) << r;
    for (const char* command : {"setup --analysis-public-key",
                                "--signing-public-key",
                                "survey install",
                                "survey list",
                                "run --headless",
                                "--script",
                                "--survey",
                                "--language",
                                "--pupil-code",
                                "outbox list",
                                "outbox export --dir",
                                "status",
                                "--data-dir",
                                "answer QID VALUE",
                                "decline QID",
                                "clear QID",
                                "next",
                                "back",
                                "finish",
                                "talk-to-someone",
                                "Exit codes"}) {
      EXPECT_THAT(r.out, HasSubstr(command)) << "--help does not mention \"" << command << "\"\n" << r;
    }
    EXPECT_EQ(r.err, "") << r;
  }
  // --help wins wherever it is, and never touches a store.
  RunResult r = kiosk({"status", "--help"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("Usage: tutortime-kiosk"));
  EXPECT_FALSE(fs::exists(data_));
}

TEST_F(HelpTest, NoArgumentsIsAUsageError) {
  RunResult a = admin({});
  EXPECT_EQ(a.exit_code, 2) << a;
  EXPECT_THAT(a.out + a.err, HasSubstr("Usage: tutortime-admin"));
  RunResult k = kiosk_bare({});
  EXPECT_EQ(k.exit_code, 2) << k;
  EXPECT_THAT(k.out + k.err, HasSubstr("Usage: tutortime-kiosk"));
}

TEST_F(HelpTest, AnUnknownCommandIsNamed) {
  RunResult a = admin({"frobnicate"});
  EXPECT_EQ(a.exit_code, 2) << a;
  EXPECT_THAT(a.err, HasSubstr("unknown command \"frobnicate\""));
  EXPECT_THAT(a.err, HasSubstr("--help"));
  EXPECT_EQ(a.out, "");

  RunResult k = kiosk({"frobnicate"});
  EXPECT_EQ(k.exit_code, 2) << k;
  EXPECT_THAT(k.err, HasSubstr("unknown command \"frobnicate\""));
  EXPECT_EQ(k.out, "");

  RunResult sub = admin({"survey", "verify", "x.json"});
  EXPECT_EQ(sub.exit_code, 2) << sub;
  EXPECT_THAT(sub.err, HasSubstr("unknown survey command \"verify\""));

  RunResult ksub = kiosk({"outbox", "upload"});
  EXPECT_EQ(ksub.exit_code, 2) << ksub;
  EXPECT_THAT(ksub.err, HasSubstr("unknown outbox command \"upload\""));
  EXPECT_FALSE(fs::exists(data_)) << "a usage error must not create the data directory";
}

TEST_F(HelpTest, AnUnknownOptionIsNamed) {
  RunResult a = admin({"keygen", "--out", keys_.string(), "--frobnicate"});
  EXPECT_EQ(a.exit_code, 2) << a;
  EXPECT_THAT(a.err, HasSubstr("--frobnicate"));
  EXPECT_FALSE(fs::exists(keys_ / "analysis.key")) << "a usage error must not write keys";

  RunResult k = kiosk({"status", "--verbose"});
  EXPECT_EQ(k.exit_code, 2) << k;
  EXPECT_THAT(k.err, HasSubstr("unknown option --verbose"));

  RunResult l = kiosk({"survey", "list", "--jsno"});
  EXPECT_EQ(l.exit_code, 2) << l;
  EXPECT_THAT(l.err, HasSubstr("--jsno"));

  RunResult extra = kiosk({"status", "extra"});
  EXPECT_EQ(extra.exit_code, 2) << extra;
  EXPECT_THAT(extra.err, HasSubstr("\"extra\""));

  RunResult first = kiosk({"--frobnicate", "status"});
  EXPECT_EQ(first.exit_code, 2) << first;
  EXPECT_THAT(first.err, HasSubstr("--frobnicate"));
}

// An unknown option with no command (a typo such as `tutortime-admin --versoin`) names the option.
TEST_F(HelpTest, AnUnknownOptionWithoutACommandIsNamed) {
  RunResult a = admin({"--frobnicate"});
  EXPECT_EQ(a.exit_code, 2) << a;
  EXPECT_THAT(a.err, HasSubstr("--frobnicate")) << a;
  RunResult k = kiosk({"--frobnicate"});
  EXPECT_EQ(k.exit_code, 2) << k;
  EXPECT_THAT(k.err, HasSubstr("--frobnicate")) << k;
}

TEST_F(HelpTest, AMissingOptionOrValueIsNamed) {
  RunResult a = admin({"keygen"});
  EXPECT_EQ(a.exit_code, 2) << a;
  EXPECT_THAT(a.err, HasSubstr("missing --out"));

  RunResult v = admin({"keygen", "--out"});
  EXPECT_EQ(v.exit_code, 2) << v;
  EXPECT_THAT(v.err, HasSubstr("--out needs a value"));

  RunResult d = kiosk_bare({"--data-dir"});
  EXPECT_EQ(d.exit_code, 2) << d;
  EXPECT_THAT(d.err, HasSubstr("--data-dir needs a value"));

  RunResult s = kiosk({"setup", "--analysis-public-key", "a.pub"});
  EXPECT_EQ(s.exit_code, 2) << s;
  EXPECT_THAT(s.err, HasSubstr("missing --signing-public-key"));

  RunResult c = admin({"survey", "check"});
  EXPECT_EQ(c.exit_code, 2) << c;
  EXPECT_THAT(c.err, HasSubstr("FILE"));

  RunResult o = admin({"open", "--key", "analysis.key"});
  EXPECT_EQ(o.exit_code, 2) << o;
  EXPECT_THAT(o.err, HasSubstr("FILE"));

  RunResult r = kiosk({"run", "--script", "x.script"});
  EXPECT_EQ(r.exit_code, 2) << r;
  EXPECT_THAT(r.err, HasSubstr("--headless"));
}

// ---------------------------------------------------------------------------------------------
// keygen

using KeygenTest = CliTest;

const char* const kKeyFiles[] = {"analysis.key", "analysis.pub", "signing.key", "signing.pub"};

TEST_F(KeygenTest, WritesFourPemFilesPrivateOnes0600) {
  RunResult r = admin({"keygen", "--out", keys_.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("X25519"));
  EXPECT_THAT(r.out, HasSubstr("Ed25519"));
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(keys_)) names.push_back(e.path().filename().string());
  EXPECT_THAT(names, ::testing::UnorderedElementsAre("analysis.key", "analysis.pub", "signing.key", "signing.pub"));
  for (const char* name : {"analysis.key", "signing.key"}) {
    EXPECT_EQ(mode_of(keys_ / name), 0600u) << name;
    std::string pem = read_text(keys_ / name);
    EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u) << name << ":\n" << pem;
    EXPECT_THAT(pem, HasSubstr("-----END PRIVATE KEY-----")) << name;
  }
  for (const char* name : {"analysis.pub", "signing.pub"}) {
    EXPECT_EQ(mode_of(keys_ / name), 0644u) << name;
    std::string pem = read_text(keys_ / name);
    EXPECT_EQ(pem.rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u) << name << ":\n" << pem;
    EXPECT_THAT(pem, HasSubstr("-----END PUBLIC KEY-----")) << name;
  }
  EXPECT_NE(read_text(keys_ / "analysis.key"), read_text(keys_ / "signing.key"));
}

TEST_F(KeygenTest, OpensslReadsTheKeysAsX25519AndEd25519) {
  ASSERT_NO_FATAL_FAILURE(keygen());
  struct Expect {
    const char* file;
    bool is_public;
    const char* words;
  };
  for (const Expect& e :
       {Expect{"analysis.key", false, "X25519 Private-Key"}, Expect{"analysis.pub", true, "X25519 Public-Key"},
        Expect{"signing.key", false, "ED25519 Private-Key"}, Expect{"signing.pub", true, "ED25519 Public-Key"}}) {
    std::vector<std::string> args = {"pkey", "-in", (keys_ / e.file).string(), "-noout", "-text"};
    if (e.is_public) args.insert(args.begin() + 1, "-pubin");
    RunResult r = openssl(args);
    ASSERT_NE(r.exit_code, 127) << "openssl is not installed (deploy/setup-debian.sh installs it)\n" << r;
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_THAT(r.out, HasSubstr(e.words)) << r;
  }
  // The public files are the public halves of the private ones.
  for (const char* stem : {"analysis", "signing"}) {
    RunResult derived = openssl({"pkey", "-in", (keys_ / (std::string(stem) + ".key")).string(), "-pubout"});
    ASSERT_EQ(derived.exit_code, 0) << derived;
    EXPECT_EQ(derived.out, read_text(keys_ / (std::string(stem) + ".pub"))) << stem;
  }
}

TEST_F(KeygenTest, RefusesToOverwriteAndChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(keygen());
  auto before = contents_of(keys_);
  ASSERT_EQ(before.size(), 4u);
  RunResult r = admin({"keygen", "--out", keys_.string()});
  EXPECT_NE(r.exit_code, 0) << r;
  EXPECT_THAT(r.err, HasSubstr("refusing to overwrite"));
  EXPECT_THAT(r.err, HasSubstr("--force"));
  EXPECT_EQ(contents_of(keys_), before) << "a refused keygen changed the key files";
  for (const char* name : {"analysis.key", "signing.key"}) EXPECT_EQ(mode_of(keys_ / name), 0600u);

  // Even one key left there is enough to refuse, and the others are not re-created.
  fs::remove(keys_ / "analysis.pub");
  fs::remove(keys_ / "signing.key");
  fs::remove(keys_ / "signing.pub");
  RunResult one = admin({"keygen", "--out", keys_.string()});
  EXPECT_NE(one.exit_code, 0) << one;
  EXPECT_THAT(one.err, HasSubstr("analysis.key"));
  EXPECT_EQ(contents_of(keys_), (std::map<std::string, std::string>{{"analysis.key", before["analysis.key"]}}));
}

TEST_F(KeygenTest, ForceReplacesTheKeys) {
  ASSERT_NO_FATAL_FAILURE(keygen());
  auto before = contents_of(keys_);
  RunResult r = admin({"keygen", "--out", keys_.string(), "--force"});
  ASSERT_EQ(r.exit_code, 0) << r;
  auto after = contents_of(keys_);
  ASSERT_EQ(after.size(), 4u);
  for (const char* name : kKeyFiles) EXPECT_NE(after[name], before[name]) << name << " was not replaced";
  EXPECT_EQ(mode_of(keys_ / "analysis.key"), 0600u);
  EXPECT_EQ(mode_of(keys_ / "signing.key"), 0600u);
  EXPECT_EQ(mode_of(keys_ / "analysis.pub"), 0644u);
  EXPECT_EQ(mode_of(keys_ / "signing.pub"), 0644u);
  RunResult check = openssl({"pkey", "-in", (keys_ / "signing.key").string(), "-noout", "-text"});
  EXPECT_EQ(check.exit_code, 0) << check;
  EXPECT_THAT(check.out, HasSubstr("ED25519"));
  // No temporary files are left behind.
  EXPECT_EQ(after.size(), 4u);
}

TEST_F(KeygenTest, AnOutPathThatIsAFileFails) {
  write_text(root_ / "not-a-dir", "x");
  RunResult r = admin({"keygen", "--out", (root_ / "not-a-dir").string()});
  EXPECT_NE(r.exit_code, 0) << r;
  EXPECT_THAT(r.err, HasSubstr("not-a-dir"));
  EXPECT_EQ(read_text(root_ / "not-a-dir"), "x");
}

// ---------------------------------------------------------------------------------------------
// survey check

using SurveyCheckTest = CliTest;

TEST_F(SurveyCheckTest, EveryShippedSurveyPasses) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(kSurveysDir)) {
    if (e.path().string().ends_with(".survey.json")) files.push_back(e.path().string());
  }
  ASSERT_GE(files.size(), 4u) << "expected the sample surveys in " << kSurveysDir;
  files.push_back((kDataDir / "cli-check.survey.json").string());
  for (const std::string& f : files) {
    RunResult r = admin({"survey", "check", f});
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_THAT(r.out, HasSubstr(f + ": ok")) << r;
    EXPECT_EQ(r.err, "") << r;
  }
  // All at once, one summary line each.
  std::vector<std::string> args = {"survey", "check"};
  args.insert(args.end(), files.begin(), files.end());
  RunResult all = admin(args);
  EXPECT_EQ(all.exit_code, 0) << all;
  EXPECT_EQ(lines_of(all.out).size(), files.size()) << all;
}

TEST_F(SurveyCheckTest, TheSummaryCountsQuestions) {
  RunResult r = admin({"survey", "check", (kSurveysDir / "y7-baseline.survey.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("y7-baseline version 1"));
  EXPECT_THAT(r.out, HasSubstr("34 questions"));
  EXPECT_THAT(r.out, HasSubstr("4 sections"));
}

struct Breakage {
  const char* name;
  const char* from;     // exact text in cli-check.survey.json
  const char* to;       // what it becomes
  const char* pointer;  // the JSON path the first problem names, or "(top level)"
  const char* marker;   // text on the line the problem names (in the broken file)
  const char* words;    // part of the message
};

std::ostream& operator<<(std::ostream& os, const Breakage& b) {
  return os << b.name;
}

class MalformedSurveyTest : public CliTest, public ::testing::WithParamInterface<Breakage> {};

std::size_t line_of(const std::string& text, const std::string& marker) {
  std::size_t at = text.find(marker);
  if (at == std::string::npos) return 0;
  return static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
}

TEST_P(MalformedSurveyTest, ExitsThreeWithFilePathLineAndMessage) {
  const Breakage& b = GetParam();
  std::string original = read_text(kDataDir / "cli-check.survey.json");
  std::size_t at = original.find(b.from);
  ASSERT_NE(at, std::string::npos) << b.from;
  ASSERT_EQ(original.find(b.from, at + 1), std::string::npos) << "ambiguous: " << b.from;
  std::string broken = original;
  broken.replace(at, std::strlen(b.from), b.to);
  fs::path file = root_ / (std::string(b.name) + ".survey.json");
  write_text(file, broken);
  std::size_t line = line_of(broken, b.marker);
  ASSERT_GT(line, 0u) << b.marker;

  RunResult r = admin({"survey", "check", file.string()});
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_EQ(r.out, "") << r;
  std::vector<std::string> problems = lines_of(r.err);
  ASSERT_FALSE(problems.empty()) << r;
  std::string expected_start = file.string() + ": " + b.pointer + " (line " + std::to_string(line) + "): ";
  EXPECT_EQ(problems[0].rfind(expected_start, 0), 0u)
      << "expected the first line to start with\n  " << expected_start << "\n"
      << r;
  EXPECT_THAT(problems[0], HasSubstr(b.words)) << r;
  static const std::regex format(R"(^.+: (/[^ ]*|\(top level\)) \(line [0-9]+\): .+$)");
  for (const std::string& p : problems) {
    EXPECT_TRUE(std::regex_match(p, format)) << "not \"FILE: /json/path (line N): message\": " << p;
    EXPECT_EQ(p.rfind(file.string() + ": ", 0), 0u) << p;
  }
  // Signing refuses it too, and writes no signature.
  ASSERT_NO_FATAL_FAILURE(keygen());
  RunResult s = admin({"survey", "sign", file.string(), "--key", (keys_ / "signing.key").string()});
  EXPECT_EQ(s.exit_code, 3) << s;
  EXPECT_THAT(s.err, HasSubstr(b.words)) << s;
  EXPECT_FALSE(fs::exists(file.string() + ".sig")) << "a malformed survey was signed";
}

INSTANTIATE_TEST_SUITE_P(
    Variants, MalformedSurveyTest,
    ::testing::Values(
        Breakage{"typo_field", R"("text": "How do you feel today?", "required": true)",
                 R"("text": "How do you feel today?", "requird": true)", "/sections/0/questions/1/requird",
                 "\"requird\"", "unknown field \"requird\""},
        Breakage{"unknown_question_in_show_if", R"("max_choices": 2)",
                 R"("max_choices": 2, "show_if": "wellbeing_9 >= 3")", "/sections/0/questions/4/show_if", "wellbeing_9",
                 "unknown question \"wellbeing_9\""},
        Breakage{"duplicate_id", R"({"id": "worry")", R"({"id": "mood")", "/sections/0/questions/5/id",
                 R"({"id": "mood", "type": "yes_no")", "duplicate id \"mood\""},
        Breakage{"version_zero", R"("version": 1,)", R"("version": 0,)", "/version", R"("version": 0)", "version"},
        Breakage{"sensitive_without_decline", R"("text": "Are you worried about something?", "sensitive": true})",
                 R"("text": "Are you worried about something?", "sensitive": true, "allow_decline": false})",
                 "/sections/0/questions/5/allow_decline", "\"allow_decline\": false", "I'd rather not say"},
        Breakage{"min_not_below_max", R"("max": 16,)", R"("max": 0,)", "/sections/0/questions/6/max", R"("max": 0,)",
                 "must be more than min"},
        Breakage{"wrong_type", R"("points": 6,)", R"("points": "six",)", "/sections/0/questions/2/points",
                 R"("points": "six")", "found a string"},
        Breakage{"info_required", R"("text": "A few questions."})", R"("text": "A few questions.", "required": true})",
                 "/sections/0/questions/0/required", "A few questions.", "cannot be required"},
        Breakage{"syntax_error", R"("title": "Command-line test survey",)", R"("title": "Command-line test survey")",
                 "(top level)", R"("description")", "not valid JSON"}),
    [](const ::testing::TestParamInfo<Breakage>& info) { return std::string(info.param.name); });

TEST_F(SurveyCheckTest, OneBadFileAmongGoodOnesFailsAndTheGoodOnesAreStillReported) {
  fs::path bad = root_ / "bad.survey.json";
  write_text(bad, "{\"format\": 1}\n");
  fs::path good = kDataDir / "cli-check.survey.json";
  RunResult r = admin({"survey", "check", good.string(), bad.string()});
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_THAT(r.out, HasSubstr(good.string() + ": ok"));
  EXPECT_THAT(r.err, HasSubstr(bad.string() + ": "));
  EXPECT_THAT(r.err, Not(HasSubstr(good.string())));
}

TEST_F(SurveyCheckTest, AMissingFileIsNamed) {
  RunResult r = admin({"survey", "check", (root_ / "nope.survey.json").string()});
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_THAT(r.err, HasSubstr("nope.survey.json"));
  EXPECT_THAT(r.err, HasSubstr("No such file"));
}

// ---------------------------------------------------------------------------------------------
// survey sign

using SurveySignTest = CliTest;

TEST_F(SurveySignTest, WritesA64ByteSignatureThatOpensslVerifies) {
  ASSERT_NO_FATAL_FAILURE(keygen());
  fs::path survey = copy_in(kSurveysDir / "y7-baseline.survey.json");
  std::string text = read_text(survey);
  RunResult r = admin({"survey", "sign", survey.string(), "--key", (keys_ / "signing.key").string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  fs::path sig = survey.string() + ".sig";
  EXPECT_THAT(r.out, HasSubstr(sig.string()));
  ASSERT_TRUE(fs::exists(sig));
  EXPECT_EQ(fs::file_size(sig), 64u);
  EXPECT_EQ(read_text(survey), text) << "signing changed the survey";

  RunResult v = openssl({"pkeyutl", "-verify", "-pubin", "-inkey", (keys_ / "signing.pub").string(), "-rawin", "-in",
                         survey.string(), "-sigfile", sig.string()});
  ASSERT_NE(v.exit_code, 127) << "openssl is not installed\n" << v;
  EXPECT_EQ(v.exit_code, 0) << v;
  EXPECT_THAT(v.out, HasSubstr("Signature Verified Successfully"));

  // The check can fail: one byte changed, and openssl says no.
  std::string changed = text;
  changed[changed.find("You and your school")] = 'y';
  fs::path other = root_ / "changed.survey.json";
  write_text(other, changed);
  RunResult bad = openssl({"pkeyutl", "-verify", "-pubin", "-inkey", (keys_ / "signing.pub").string(), "-rawin", "-in",
                           other.string(), "-sigfile", sig.string()});
  EXPECT_NE(bad.exit_code, 0) << bad;

  // Signing again replaces the signature with an equally valid one (Ed25519 is deterministic).
  std::string first = read_text(sig);
  ASSERT_NO_FATAL_FAILURE(sign(survey, keys_ / "signing.key"));
  EXPECT_EQ(read_text(sig), first);
}

TEST_F(SurveySignTest, AMalformedSurveyIsRefusedAndNoSigIsWritten) {
  ASSERT_NO_FATAL_FAILURE(keygen());
  fs::path survey = root_ / "broken.survey.json";
  write_text(survey, "{\"format\": 1, \"id\": \"broken\"}\n");
  RunResult r = admin({"survey", "sign", survey.string(), "--key", (keys_ / "signing.key").string()});
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_THAT(r.err, HasSubstr(survey.string() + ": "));
  EXPECT_FALSE(fs::exists(survey.string() + ".sig"));

  // An old signature beside it is not replaced either.
  write_text(survey.string() + ".sig", "old");
  RunResult again = admin({"survey", "sign", survey.string(), "--key", (keys_ / "signing.key").string()});
  EXPECT_EQ(again.exit_code, 3) << again;
  EXPECT_EQ(read_text(survey.string() + ".sig"), "old");
}

TEST_F(SurveySignTest, AKeyOthersCanReadIsRefusedByName) {
  ASSERT_NO_FATAL_FAILURE(keygen());
  fs::path survey = copy_in(kDataDir / "cli-check.survey.json");
  fs::path key = root_ / "shared-signing.key";
  fs::copy_file(keys_ / "signing.key", key);
  fs::permissions(key, static_cast<fs::perms>(0644));
  RunResult r = admin({"survey", "sign", survey.string(), "--key", key.string()});
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_THAT(r.err, HasSubstr(key.string()));
  EXPECT_THAT(r.err, HasSubstr("0644"));
  EXPECT_FALSE(fs::exists(survey.string() + ".sig"));
}

TEST_F(SurveySignTest, TheWrongKindOfKeyIsRefused) {
  ASSERT_NO_FATAL_FAILURE(keygen());
  fs::path survey = copy_in(kDataDir / "cli-check.survey.json");
  for (const char* key : {"analysis.key", "signing.pub"}) {
    RunResult r = admin({"survey", "sign", survey.string(), "--key", (keys_ / key).string()});
    EXPECT_EQ(r.exit_code, 3) << r;
    EXPECT_THAT(r.err, HasSubstr(key)) << r;
    EXPECT_FALSE(fs::exists(survey.string() + ".sig")) << key;
  }
  RunResult missing = admin({"survey", "sign", survey.string(), "--key", (root_ / "nope.key").string()});
  EXPECT_EQ(missing.exit_code, 3) << missing;
  EXPECT_THAT(missing.err, HasSubstr("nope.key"));
}

}  // namespace
}  // namespace tt::cli_testing

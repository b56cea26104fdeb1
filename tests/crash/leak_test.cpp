// The leak test (kiosk_store.h invariant 1): "after a scripted run with a distinctive free-text
// answer, no file in the kiosk's data directory (database, WAL, shared memory, logs) contains
// it." Runs the real tutortime-kiosk with a pupil who types a distinctive text and pupil code —
// stopped mid-survey, killed mid-survey (so the WAL and shared memory are left as they were),
// and finished — then reads every file under the data directory, byte for byte, for those
// strings as written, in any letter case, and in UTF-16. The kiosk's own stdout and stderr must
// not show them either. The answers are not lost, only encrypted: the draft opens with the
// storage key and the sealed response with the analysis key, and both hold the text.
#include <algorithm>
#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>

#include "crash_test_support.h"
#include "kiosk/store/kiosk_store.h"
#include "shared/crypto/key_files.h"
#include "shared/survey/response.h"

namespace tt::crashtest {
namespace {

using json = nlohmann::json;
using kiosk::KioskStore;

const std::string kSecretText = "ZEBRA-CROSSING-9417 my secret";
const std::string kSecretToken = "ZEBRA-CROSSING-9417";  // a part of the text, in case it is cut
const std::string kPupilCode = "PQ7ZX4KW";
const std::vector<std::string> kSecrets = {kSecretText, kSecretToken, kPupilCode};

std::string ascii_lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string utf16(const std::string& ascii, bool little_endian) {
  std::string out;
  for (char c : ascii) {
    if (little_endian) {
      out.push_back(c);
      out.push_back('\0');
    } else {
      out.push_back('\0');
      out.push_back(c);
    }
  }
  return out;
}

// The forms of `needle` found in `haystack`: as written, in any (ASCII) letter case, and in
// UTF-16LE/BE in any letter case.
std::vector<std::string> forms_in(const std::string& haystack, const std::string& needle) {
  std::vector<std::string> found;
  if (haystack.find(needle) != std::string::npos) found.push_back("as written");
  std::string folded = ascii_lower(haystack);
  std::string lower = ascii_lower(needle);
  if (folded.find(lower) != std::string::npos) found.push_back("in some letter case");
  if (folded.find(utf16(lower, true)) != std::string::npos) found.push_back("UTF-16LE");
  if (folded.find(utf16(lower, false)) != std::string::npos) found.push_back("UTF-16BE");
  return found;
}

struct Scan {
  std::vector<fs::path> files;      // every regular file read, relative to the root
  std::vector<std::string> hits;    // "FILE: NEEDLE (FORM)"
  std::vector<std::string> others;  // entries that are neither files nor directories
};

// Reads every regular file under `root`, hidden ones included, without following links.
Scan scan_tree(const fs::path& root, const std::vector<std::string>& needles) {
  Scan scan;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    fs::file_status st = it->symlink_status();
    if (fs::is_directory(st)) continue;
    fs::path rel = fs::relative(it->path(), root);
    if (!fs::is_regular_file(st)) {
      scan.others.push_back(rel.string());
      continue;
    }
    scan.files.push_back(rel);
    std::string bytes = read_file(it->path());
    for (const std::string& needle : needles) {
      for (const std::string& form : forms_in(bytes, needle)) {
        scan.hits.push_back(rel.string() + ": \"" + needle + "\" (" + form + ")");
      }
    }
  }
  return scan;
}

std::vector<std::string> hits_in_text(const std::string& what, const std::string& text) {
  std::vector<std::string> hits;
  for (const std::string& needle : kSecrets) {
    for (const std::string& form : forms_in(text, needle)) hits.push_back(what + ": \"" + needle + "\" (" + form + ")");
  }
  return hits;
}

std::string listed(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += "\n  " + x;
  return s;
}

bool has_file(const Scan& scan, const std::string& name) {
  return std::any_of(scan.files.begin(), scan.files.end(), [&](const fs::path& p) { return p == name; });
}

// The crash test's script with the secret as the answer to q07_text; cut after `keep_steps`
// actions (0: all of it, ending with finish).
std::string leak_script(std::size_t keep_steps) {
  std::istringstream in(read_file(kDataDir / "crash-test-pupil.script"));
  std::string out, line;
  std::size_t steps = 0;
  bool replaced = false;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("answer q07_text ", 0) == 0) {
      line = "answer q07_text \"" + kSecretText + "\"";
      replaced = true;
    }
    out += line + "\n";
    if (++steps == keep_steps) break;
  }
  if (!replaced) throw std::runtime_error("the crash script has no answer to q07_text");
  return out;
}

// The crash test's script up to (not including) the answer to `question`, then `last_line`.
std::string script_reaching(const std::string& question, const std::string& last_line) {
  std::istringstream in(read_file(kDataDir / "crash-test-pupil.script"));
  std::string out, line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("answer " + question + " ", 0) == 0) return out + last_line + "\n";
    out += line + "\n";
  }
  throw std::runtime_error("the crash script does not answer " + question);
}

class LeakTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = std::make_unique<ScratchDir>("tutortime-leak");
    ASSERT_NO_FATAL_FAILURE(set_up_kiosk(scratch_->path(), kDataDir / "crash-test.survey.json", kiosk_));
    // Nothing before the pupil's run may contain the secrets (a control for the scans below).
    Scan before = scan_tree(kiosk_.data_dir, kSecrets);
    ASSERT_TRUE(before.hits.empty()) << listed(before.hits);
  }

  fs::path write_script(const std::string& name, const std::string& text) {
    fs::path file = scratch_->path() / name;  // beside the data directory, not in it
    write_file(file, text);
    return file;
  }

  void expect_no_leak(const Scan& scan) {
    EXPECT_TRUE(has_file(scan, KioskStore::kDatabaseFileName)) << "the scan did not see the database";
    EXPECT_TRUE(scan.hits.empty()) << "PLAINTEXT LEAK in the kiosk's data directory " << kiosk_.data_dir << ":"
                                   << listed(scan.hits);
    EXPECT_TRUE(scan.others.empty()) << "entries the scan could not read:" << listed(scan.others);
    std::vector<std::string> names;
    for (const fs::path& f : scan.files) names.push_back(f.string());
    RecordProperty("scanned", listed(names));
  }

  void expect_quiet_output(const ProcessResult& r) {
    std::vector<std::string> hits = hits_in_text("stdout", r.out);
    for (const std::string& h : hits_in_text("stderr", r.err)) hits.push_back(h);
    EXPECT_TRUE(hits.empty()) << "PLAINTEXT LEAK in the kiosk's output:" << listed(hits) << "\n" << r.describe();
  }

  // The draft left behind opens with the storage key and holds the text and the code.
  void expect_draft_holds_secrets() {
    auto store = KioskStore::open(kiosk_.data_dir);
    auto drafts = store->drafts();
    ASSERT_EQ(drafts.size(), 1u);
    crypto::SecretBytes plaintext = store->load_draft(drafts.front().id);
    json j = json::parse(plaintext.view().begin(), plaintext.view().end());
    EXPECT_EQ(j.at("flow").at("answers").value("q07_text", ""), kSecretText);
    EXPECT_EQ(j.value("pupil_code", ""), kPupilCode);
  }

  std::unique_ptr<ScratchDir> scratch_;
  Kiosk kiosk_;
};

// The control: the same scan finds each secret, in each form, wherever it is planted.
TEST(LeakScanControl, FindsPlantedStringsInEveryForm) {
  ScratchDir dir("tutortime-leak-control");
  fs::create_directories(dir.path() / "nested" / ".hidden");
  std::string noise(5000, '\x9c');
  write_file(dir.path() / "kiosk.db", noise + kSecretText + noise);
  write_file(dir.path() / "kiosk.db-wal", noise + ascii_lower(kSecretToken) + noise);
  write_file(dir.path() / "nested" / ".hidden" / "log.txt", "pupil " + utf16(kPupilCode, true) + "\n");
  write_file(dir.path() / "nested" / "be.bin", utf16("zebra-crossing-9417", false));
  write_file(dir.path() / "clean.txt", "ZEBRA CROSSING 9417 and PQ7ZX4K-W: near misses are not hits");

  Scan scan = scan_tree(dir.path(), kSecrets);
  std::string all = listed(scan.hits);
  EXPECT_EQ(scan.files.size(), 5u);
  EXPECT_NE(all.find("kiosk.db: \"" + kSecretText + "\" (as written)"), std::string::npos) << all;
  EXPECT_NE(all.find("kiosk.db-wal: \"" + kSecretToken + "\" (in some letter case)"), std::string::npos) << all;
  EXPECT_NE(all.find("nested/.hidden/log.txt: \"" + kPupilCode + "\" (UTF-16LE)"), std::string::npos) << all;
  EXPECT_NE(all.find("nested/be.bin: \"" + kSecretToken + "\" (UTF-16BE)"), std::string::npos) << all;
  EXPECT_EQ(all.find("clean.txt"), std::string::npos) << all;
  EXPECT_FALSE(hits_in_text("out", "started response 0123 in draft 1").size() > 0);
  EXPECT_EQ(hits_in_text("out", "typed " + kPupilCode).size(), 2u);  // as written, and in some case
}

TEST_F(LeakTest, DraftLeftMidSurveyHoldsNoPlaintext) {
  fs::path script = write_script("mid.script", leak_script(24));  // up to q12, well past q07
  ProcessResult r = run(kiosk_.run_script(script, kPupilCode));
  ASSERT_TRUE(r.exited_ok()) << r.describe();
  ASSERT_NE(r.out.find("the script ended before finish"), std::string::npos) << r.describe();
  expect_quiet_output(r);
  expect_no_leak(scan_tree(kiosk_.data_dir, kSecrets));
  expect_draft_holds_secrets();
}

TEST_F(LeakTest, KilledMidSurveyLeavesNoPlaintextInDatabaseWalOrShm) {
  fs::path script = write_script("all.script", leak_script(0));
  Pipe out, err;
  pid_t pid = spawn(kiosk_.run_script(script, kPupilCode), out.write, err.write);
  out.close_write();
  err.close_write();
  // Kill it as soon as the answer after the secret one is reported saved (line "answer q08…").
  std::string text;
  const std::string after_secret = "answer: saved; at question q08_feelings";
  while (text.find(after_secret) == std::string::npos && read_some(out.read, text)) {
  }
  ::kill(pid, SIGKILL);
  while (read_some(out.read, text)) {
  }
  ProcessResult r;
  while (read_some(err.read, r.err)) {
  }
  r.out = text;
  r.status = wait_for(pid);
  ASSERT_TRUE(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGKILL)
      << "the kiosk should still have been running when killed\n"
      << r.describe();
  expect_quiet_output(r);

  // Scanned before anything opens the store again, which would checkpoint the WAL away.
  Scan scan = scan_tree(kiosk_.data_dir, kSecrets);
  ASSERT_TRUE(has_file(scan, std::string(KioskStore::kDatabaseFileName) + "-wal"))
      << "the kill should leave the WAL behind for the scan";
  ASSERT_TRUE(has_file(scan, std::string(KioskStore::kDatabaseFileName) + "-shm"));
  expect_no_leak(scan);
  expect_draft_holds_secrets();
}

TEST_F(LeakTest, FinishedResponseIsSealedAndHoldsNoPlaintext) {
  fs::path script = write_script("all.script", leak_script(0));
  ProcessResult r = run(kiosk_.run_script(script, kPupilCode));
  ASSERT_TRUE(r.exited_ok()) << r.describe();
  ASSERT_NE(r.out.find("finish: saved"), std::string::npos) << r.describe();
  expect_quiet_output(r);
  expect_no_leak(scan_tree(kiosk_.data_dir, kSecrets));

  // The data is sealed, not lost: the analysis key opens it and the text and code are there.
  auto store = KioskStore::open(kiosk_.data_dir);
  EXPECT_TRUE(store->drafts().empty());
  auto outbox = store->outbox_all();
  ASSERT_EQ(outbox.size(), 1u);
  crypto::SecretBytes key = crypto::read_private_key(kiosk_.keys / "analysis.key", crypto::KeyAlgorithm::X25519);
  json opened = survey::open_response(outbox.front().sealed, outbox.front().response_id, key.view());
  EXPECT_EQ(opened.at("answers").value("q07_text", ""), kSecretText);
  EXPECT_EQ(opened.at("identity").value("pupil_code", ""), kPupilCode);
  // ...and the sealed bytes themselves do not show it.
  std::string sealed = to_string(outbox.front().sealed);
  EXPECT_TRUE(hits_in_text("sealed bytes", sealed).empty());
}

// A refused answer is not echoed either: the kiosk names what was expected, never the value.
TEST_F(LeakTest, RefusedAnswersAreNotEchoed) {
  std::string long_text;
  while (long_text.size() < 300) long_text += kSecretText + " ";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a control character", script_reaching("q07_text", "answer q07_text \"" + kSecretToken + " my\x01secret\"")},
      {"too long", script_reaching("q07_text", "answer q07_text \"" + long_text + "\"")},
      {"not an option", script_reaching("q03_single", "answer q03_single \"" + kSecretText + "\"")},
      {"not a number", script_reaching("q06_number", "answer q06_number " + kSecretText)},
      {"not yes or no", script_reaching("q05_yes_no", "answer q05_yes_no " + kSecretToken)},
      {"not a list of options", script_reaching("q04_multiple", "answer q04_multiple [art, " + kSecretToken + "]")},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].first);
    fs::path script = write_script("refused-" + std::to_string(i) + ".script", cases[i].second);
    ProcessResult r = run(kiosk_.run_script(script, kPupilCode));
    ASSERT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 4) << "the answer should be refused\n" << r.describe();
    expect_quiet_output(r);
  }
  expect_no_leak(scan_tree(kiosk_.data_dir, kSecrets));
}

}  // namespace
}  // namespace tt::crashtest

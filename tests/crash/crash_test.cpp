// The crash test (kiosk_store.h invariants 2 and 4, as the product requires them): "a child
// process answering a survey is killed with SIGKILL at 100+ random points; after each, PRAGMA
// integrity_check is ok, every answer whose save had returned is there, and no response is
// half-finished."
//
// The child is the real tutortime-kiosk running a scripted pupil (run --headless). It prints
// "line N: VERB: saved" only after that action's durable save returned, so every such line read
// from its stdout — before or after the kill — names an action that must survive the kill. One
// action is one commit, so what is on disk after the kill is the state after the last reported
// action, or after the one following it (committed, killed before it printed), nothing else.
//
// Environment: TUTORTIME_CRASH_SEED (to replay a run: the seed is printed), and
// TUTORTIME_CRASH_ITERATIONS (default 200, in the AddressSanitizer build too; at least 100).
#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <regex>
#include <set>

#include "crash_test_support.h"
#include "kiosk/session/pupil_session.h"
#include "kiosk/store/kiosk_store.h"
#include "shared/crypto/key_files.h"
#include "shared/survey/response.h"

#if defined(__SANITIZE_ADDRESS__)
#define TT_CRASH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TT_CRASH_ASAN 1
#endif
#endif
#ifndef TT_CRASH_ASAN
#define TT_CRASH_ASAN 0
#endif

namespace tt::crashtest {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;
using kiosk::DraftId;
using kiosk::KioskStore;

constexpr int kDefaultIterations = 200;  // the AddressSanitizer build too: it takes about 70 s
constexpr int kMinimumIterations = 100;

std::optional<std::uint64_t> env_number(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::stoull(v);
}

// ---------------------------------------------------------------------------------------------
// The script, read by the test itself (not by the kiosk's parser), and what the flow must look
// like after each of its actions.

struct Step {
  std::size_t line = 0;
  std::string verb;      // answer, decline, next, finish
  std::string question;  // answer, decline
};

struct FlowState {  // as in a draft's "flow" (Flow::to_json)
  json answers = json::object();
  std::string state;     // at_question, at_end; "finished" means: in the outbox, no draft
  std::string question;  // at_question only
};

struct ScriptModel {
  std::vector<Step> steps;
  std::vector<std::string> questions;               // answerable questions, in survey order
  json expected_answers;                            // every answer of the script: question id -> value
  std::vector<FlowState> states;                    // states[k]: after the first k steps (states[0]: just started)
  std::map<std::size_t, std::size_t> step_of_line;  // script line -> k (1-based step count)
};

std::vector<std::string> answerable_questions(const json& survey, std::set<std::string>& types) {
  std::vector<std::string> ids;
  for (const json& section : survey.at("sections")) {
    for (const json& q : section.at("questions")) {
      if (q.at("type") == "info") continue;
      ids.push_back(q.at("id"));
      types.insert(q.at("type").get<std::string>());
    }
  }
  return ids;
}

void load_model(const fs::path& survey_file, const fs::path& script_file, const fs::path& expected_file,
                ScriptModel& m) {
  std::set<std::string> types;
  m.questions = answerable_questions(json::parse(read_file(survey_file)), types);
  ASSERT_GE(m.questions.size(), 30u) << "the crash survey should have about 30 answerable questions";
  ASSERT_GE(types.size(), 6u) << "the crash survey should use several question types";
  m.expected_answers = json::parse(read_file(expected_file)).at("answers");

  std::istringstream in(read_file(script_file));
  std::string text;
  for (std::size_t number = 1; std::getline(in, text); ++number) {
    std::istringstream words(text);
    Step s;
    s.line = number;
    if (!(words >> s.verb) || s.verb[0] == '#') continue;
    if (s.verb == "answer" || s.verb == "decline") words >> s.question;
    ASSERT_TRUE(s.verb == "answer" || s.verb == "decline" || s.verb == "next" || s.verb == "finish")
        << script_file << " line " << number << ": the crash script uses only answer, decline, next and finish";
    m.steps.push_back(s);
  }

  FlowState st;
  std::size_t at = 0;
  st.state = "at_question";
  st.question = m.questions.at(0);
  m.states.push_back(st);
  for (std::size_t k = 0; k < m.steps.size(); ++k) {
    const Step& s = m.steps[k];
    m.step_of_line[s.line] = k + 1;
    if (s.verb == "answer" || s.verb == "decline") {
      ASSERT_LT(at, m.questions.size()) << "line " << s.line << ": an answer after the last question";
      ASSERT_EQ(s.question, m.questions[at]) << "line " << s.line << ": the crash script answers in survey order";
      ASSERT_TRUE(m.expected_answers.contains(s.question)) << s.question << " is not in " << expected_file;
      st.answers[s.question] = m.expected_answers[s.question];
    } else if (s.verb == "next") {
      ++at;
      st.state = at == m.questions.size() ? "at_end" : "at_question";
      st.question = at == m.questions.size() ? "" : m.questions[at];
    } else {
      ASSERT_EQ(k + 1, m.steps.size()) << "finish must be the script's last line";
      ASSERT_EQ(st.state, "at_end") << "the script finishes before the last question";
      st.state = "finished";
    }
    m.states.push_back(st);
  }
  ASSERT_EQ(m.states.back().state, "finished") << "the crash script must end with finish";
  ASSERT_EQ(m.states.back().answers, m.expected_answers) << "the script and " << expected_file << " disagree";
  ASSERT_EQ(m.expected_answers.size(), m.questions.size()) << "the script must answer every question";
}

// ---------------------------------------------------------------------------------------------
// One child run, killed at a chosen moment.

struct Observed {
  std::vector<std::string> lines;          // complete stdout lines, read before and after the kill
  std::optional<std::string> response_id;  // from "started response R in draft D"
  std::optional<DraftId> draft;            //
  std::size_t saved = 0;                   // steps reported saved (in order)
  bool finish_reported = false;            // "line N: finish: saved; response R sealed"
  std::vector<std::string> unexpected;     // lines that do not fit the script
  bool killed = false;                     // terminated by our SIGKILL (not exited by itself)
  int status = 0;
  double started_at = -1, finished_at = -1;  // seconds after the spawn the lines were read
  double exited_at = -1;
};

void parse_line(const ScriptModel& m, const std::string& line, Observed& o) {
  static const std::regex started(R"(^started response ([0-9a-f]{32}) in draft ([0-9]+), .*$)");
  static const std::regex saved(R"(^line ([0-9]+): ([a-z-]+): saved; (.*)$)");
  static const std::regex sealed(R"(^response ([0-9a-f]{32}) sealed .*$)");
  std::smatch match;
  if (std::regex_match(line, match, started) && !o.response_id) {
    o.response_id = match[1];
    o.draft = std::stoll(match[2]);
    return;
  }
  if (std::regex_match(line, match, saved) && o.response_id) {
    auto k = m.step_of_line.find(std::stoul(match[1]));
    if (k != m.step_of_line.end() && k->second == o.saved + 1 && m.steps[k->second - 1].verb == match[2].str()) {
      o.saved = k->second;
      if (match[2] == "finish") {
        std::string rest = match[3];
        std::smatch id;
        if (!std::regex_match(rest, id, sealed) || id[1] != *o.response_id) {
          o.unexpected.push_back(line);
        }
        o.finish_reported = true;
      }
      return;
    }
  }
  o.unexpected.push_back(line);
}

Observed run_and_kill(const Kiosk& kiosk, const fs::path& script, const std::string& pupil_code, const ScriptModel& m,
                      std::optional<Seconds> kill_after, const fs::path& stderr_file) {
  Observed o;
  Pipe out;
  int err = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (err < 0) throw std::runtime_error("open " + stderr_file.string());
  Clock::time_point spawned = Clock::now();
  pid_t pid = spawn(kiosk.run_script(script, pupil_code), out.write, err);
  ::close(err);
  out.close_write();

  std::string text;
  std::size_t parsed = 0;
  auto take_lines = [&] {
    double now = Seconds(Clock::now() - spawned).count();
    std::vector<std::string> lines = complete_lines(text);
    for (; parsed < lines.size(); ++parsed) {
      o.lines.push_back(lines[parsed]);
      parse_line(m, lines[parsed], o);
      if (o.response_id && o.started_at < 0) o.started_at = now;
      if (o.finish_reported && o.finished_at < 0) o.finished_at = now;
    }
  };
  bool open = true;
  std::optional<Clock::time_point> deadline;
  if (kill_after) deadline = spawned + std::chrono::duration_cast<Clock::duration>(*kill_after);
  while (open) {
    timespec wait{};
    timespec* timeout = nullptr;
    if (deadline) {
      auto left = *deadline - Clock::now();
      if (left <= Clock::duration::zero()) break;
      auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
      wait.tv_sec = static_cast<time_t>(ns / 1000000000);
      wait.tv_nsec = static_cast<long>(ns % 1000000000);
      timeout = &wait;
    }
    pollfd fd{out.read, POLLIN, 0};
    int rc = ::ppoll(&fd, 1, timeout, nullptr);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) throw std::runtime_error("ppoll: " + std::string(std::strerror(errno)));
    if (rc == 0) continue;
    open = read_some(out.read, text);
    take_lines();
  }
  if (open) ::kill(pid, SIGKILL);  // the child may have just exited: then this does nothing
  // What the child wrote before it died is still in the pipe: those saves had returned too.
  while (read_some(out.read, text)) {
  }
  take_lines();
  o.status = wait_for(pid);
  o.exited_at = Seconds(Clock::now() - spawned).count();
  o.killed = WIFSIGNALED(o.status) && WTERMSIG(o.status) == SIGKILL;
  return o;
}

std::string describe(const Observed& o, const fs::path& stderr_file) {
  std::string s = "child stdout:\n";
  for (const std::string& l : o.lines) s += "  " + l + "\n";
  std::string err = fs::exists(stderr_file) ? read_file(stderr_file) : "";
  s += "child stderr:\n" + err;
  s += WIFSIGNALED(o.status) ? "child: signal " + std::to_string(WTERMSIG(o.status))
                             : "child: exit code " + std::to_string(WEXITSTATUS(o.status));
  return s;
}

// ---------------------------------------------------------------------------------------------
// What the store must hold after each kill.

struct Known {                            // what earlier iterations left, to be found intact every time
  std::map<DraftId, std::string> drafts;  // id -> plaintext as it was loaded then
  std::map<std::string, Bytes> outbox;    // response id -> sealed bytes
};

json draft_json(const KioskStore& store, DraftId id) {
  crypto::SecretBytes plaintext = store.load_draft(id);
  return json::parse(plaintext.view().begin(), plaintext.view().end());
}

std::string draft_text(const KioskStore& store, DraftId id) {
  return to_string(store.load_draft(id).view());
}

// Which of the model's states (among `candidates`) the draft's flow is, or none.
std::optional<std::size_t> matching_state(const ScriptModel& m, const json& flow, std::vector<std::size_t> candidates) {
  for (std::size_t k : candidates) {
    if (k >= m.states.size()) continue;
    const FlowState& s = m.states[k];
    if (s.state == "finished") continue;
    if (flow.value("state", "") != s.state || flow.value("answers", json()) != s.answers) continue;
    if (s.state == "at_question" && flow.value("question", "") != s.question) continue;
    return k;
  }
  return std::nullopt;
}

std::string flow_summary(const json& flow) {
  return flow.value("state", "?") + " " + flow.value("question", "") + " with " +
         std::to_string(flow.value("answers", json::object()).size()) + " answers";
}

struct Tally {
  int iterations = 0;
  int before_start = 0;        // killed before "started" was printed
  int mid_survey = 0;          // started, killed before every answer was reported saved
  int during_finish = 0;       // every answer and the last next reported, finish not
  int after_finish = 0;        // finish reported, then killed
  int exited = 0;              // the run ended by itself before the kill
  int one_step_ahead = 0;      // the disk held one committed action more than stdout had reported
  int draft_before_start = 0;  // killed before "started" but after the draft was committed
};

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = std::make_unique<ScratchDir>("tutortime-crash");
    ASSERT_NO_FATAL_FAILURE(set_up_kiosk(scratch_->path(), kDataDir / "crash-test.survey.json", kiosk_));
    script_ = kDataDir / "crash-test-pupil.script";
    ASSERT_NO_FATAL_FAILURE(
        load_model(kDataDir / "crash-test.survey.json", script_, kDataDir / "crash-test-expected.json", model_));
    analysis_key_ = crypto::read_private_key(kiosk_.keys / "analysis.key", crypto::KeyAlgorithm::X25519);
    stderr_file_ = scratch_->path() / "kiosk-stderr.txt";
  }

  // The sealed response must open with the analysis key and hold every answer of the script.
  void expect_sealed_complete(const kiosk::SealedResponse& entry, const std::string& pupil_code) {
    json opened;
    ASSERT_NO_THROW(opened = survey::open_response(entry.sealed, entry.response_id, analysis_key_.view()))
        << "the sealed response " << entry.response_id << " does not open with the analysis key";
    EXPECT_EQ(opened.at("survey").at("id"), "crash-test");
    EXPECT_EQ(opened.at("identity").value("pupil_code", ""), pupil_code) << "response " << entry.response_id;
    for (const auto& [q, value] : model_.expected_answers.items()) {
      ASSERT_TRUE(opened.at("answers").contains(q))
          << "LOST ANSWER: the sealed response " << entry.response_id << " has no answer to " << q;
      EXPECT_EQ(opened["answers"][q], value) << "the sealed response " << entry.response_id << ", answer to " << q;
    }
    EXPECT_EQ(opened.at("answers").size(), model_.expected_answers.size())
        << "the sealed response holds answers the script never gave";
  }

  // Checks a)–d) after one run; updates `known` and `tally`.
  void check_store(const Observed& o, const std::string& pupil_code, Known& known, Tally& tally) {
    // a) the store opens as it is (nothing moved aside) and SQLite finds nothing wrong.
    kiosk::OpenReport report;
    std::unique_ptr<KioskStore> store;
    ASSERT_NO_THROW(store = KioskStore::open(kiosk_.data_dir, &report)) << "the store does not open after the kill";
    ASSERT_FALSE(report.moved_aside.has_value())
        << "CORRUPT AFTER KILL: opening moved the database aside to " << report.moved_aside->string() << " ("
        << report.corruption_reason << ")";
    ASSERT_FALSE(report.created) << "opening started a new database: the old one is gone";
    ASSERT_EQ(store->integrity_check(), "ok") << "PRAGMA integrity_check after the kill";

    // d) what earlier iterations left is all still there, unchanged.
    for (const auto& [id, text] : known.drafts) {
      std::string now;
      ASSERT_NO_THROW(now = draft_text(*store, id)) << "an earlier draft " << id << " no longer loads";
      ASSERT_EQ(now, text) << "an earlier draft " << id << " changed";
    }
    for (const auto& [id, sealed] : known.outbox) {
      auto entry = store->outbox_entry(id);
      ASSERT_TRUE(entry.has_value()) << "an earlier sealed response " << id << " left the outbox";
      ASSERT_EQ(entry->sealed, sealed) << "an earlier sealed response " << id << " changed";
    }

    // What this run added.
    std::vector<kiosk::DraftInfo> new_drafts;
    for (const kiosk::DraftInfo& d : store->drafts()) {
      if (known.drafts.count(d.id) == 0) new_drafts.push_back(d);
    }
    std::vector<kiosk::SealedResponse> new_outbox;
    for (kiosk::SealedResponse& r : store->outbox_all()) {
      if (known.outbox.count(r.response_id) == 0) new_outbox.push_back(std::move(r));
    }
    ASSERT_LE(new_drafts.size(), 1u) << "one run left several drafts";
    ASSERT_LE(new_outbox.size(), 1u) << "one run left several sealed responses";

    if (!o.response_id) {
      // c) killed before "started": the draft may or may not have been committed; if it was, it
      // must load and be the fresh draft (no answers), and nothing can be in the outbox.
      ASSERT_TRUE(new_outbox.empty()) << "a sealed response appeared from a run that never started";
      if (!new_drafts.empty()) {
        ++tally.draft_before_start;
        const kiosk::DraftInfo& d = new_drafts.front();
        json j;
        ASSERT_NO_THROW(j = draft_json(*store, d.id)) << "the draft of a run killed at its start does not load";
        ASSERT_NO_THROW((void)kiosk::PupilSession::resume(*store, d.id)) << "draft " << d.id << " cannot resume";
        EXPECT_EQ(j.value("pupil_code", ""), pupil_code);
        ASSERT_TRUE(matching_state(model_, j.at("flow"), {0}).has_value())
            << "a draft committed before \"started\" should be the fresh one, but is " << flow_summary(j.at("flow"));
        known.drafts[d.id] = draft_text(*store, d.id);
      }
      return;
    }

    // c) exactly one of {draft, outbox entry} for this response.
    const std::string& rid = *o.response_id;
    auto info = store->draft_info(*o.draft);
    bool has_draft = info.has_value();
    auto entry = store->outbox_entry(rid);
    bool in_outbox = entry.has_value();
    ASSERT_FALSE(has_draft && in_outbox) << "HALF-FINISHED: response " << rid << " is both a draft (" << *o.draft
                                         << ") and in the outbox";
    ASSERT_TRUE(has_draft || in_outbox) << "LOST RESPONSE: response " << rid << " (draft " << *o.draft
                                        << ") is neither a draft nor in the outbox";
    if (has_draft) {
      ASSERT_EQ(info->response_id, rid) << "draft " << *o.draft << " belongs to another response";
      ASSERT_EQ(new_drafts.size(), 1u);
      ASSERT_EQ(new_drafts.front().id, *o.draft);
      ASSERT_TRUE(new_outbox.empty());
    } else {
      ASSERT_TRUE(new_drafts.empty()) << "the response is in the outbox but a new draft is left";
      ASSERT_EQ(new_outbox.size(), 1u);
      for (const kiosk::DraftInfo& d : store->drafts()) {
        ASSERT_NE(d.response_id, rid) << "HALF-FINISHED: response " << rid << " still has draft " << d.id;
      }
    }
    if (o.finish_reported) {
      ASSERT_TRUE(in_outbox) << "LOST RESPONSE: \"finish: saved\" was printed but " << rid << " is not in the outbox";
      ASSERT_FALSE(has_draft) << "HALF-FINISHED: \"finish: saved\" was printed but draft " << *o.draft << " remains";
    }

    const std::size_t k = o.saved;  // steps reported saved
    if (in_outbox) {
      // Finish committed: it was reported, or it is the one step after the last reported one.
      ASSERT_TRUE(o.finish_reported || k + 1 == model_.steps.size())
          << "response " << rid << " is in the outbox though only " << k << " of " << model_.steps.size()
          << " script actions had been reported saved";
      if (!o.finish_reported) ++tally.one_step_ahead;
      ASSERT_NO_FATAL_FAILURE(expect_sealed_complete(*entry, pupil_code));
      known.outbox[rid] = entry->sealed;
      return;
    }

    // b) every answer reported saved is in the draft, with its value.
    json j;
    ASSERT_NO_THROW(j = draft_json(*store, *o.draft)) << "draft " << *o.draft << " does not load after the kill";
    ASSERT_NO_THROW((void)kiosk::PupilSession::resume(*store, *o.draft)) << "draft " << *o.draft << " cannot resume";
    EXPECT_EQ(j.value("pupil_code", ""), pupil_code) << "draft " << *o.draft;
    const json& flow = j.at("flow");
    const json answers = flow.value("answers", json::object());
    for (const auto& [q, value] : model_.states[k].answers.items()) {
      ASSERT_TRUE(answers.contains(q)) << "LOST ANSWER: the answer to " << q << " was reported saved (" << k
                                       << " actions reported) but draft " << *o.draft << " does not have it";
      ASSERT_EQ(answers[q], value) << "WRONG ANSWER in draft " << *o.draft << " for " << q;
    }
    // ...and the draft is exactly the state after the last reported action or the next one.
    auto at = matching_state(model_, flow, {k, k + 1});
    ASSERT_TRUE(at.has_value()) << "draft " << *o.draft << " is " << flow_summary(flow)
                                << ", which is neither the state after " << k << " reported actions nor after "
                                << k + 1;
    if (*at == k + 1) ++tally.one_step_ahead;
    known.drafts[*o.draft] = draft_text(*store, *o.draft);
  }

  std::unique_ptr<ScratchDir> scratch_;
  Kiosk kiosk_;
  fs::path script_;
  fs::path stderr_file_;
  ScriptModel model_;
  crypto::SecretBytes analysis_key_;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

TEST_F(CrashTest, KilledAtRandomPointsLosesNoSavedAnswerAndLeavesNoHalfFinishedResponse) {
  const int iterations = static_cast<int>(env_number("TUTORTIME_CRASH_ITERATIONS").value_or(kDefaultIterations));
  const std::uint64_t seed = env_number("TUTORTIME_CRASH_SEED").value_or(std::random_device{}());
  std::cout << "[ crash ] seed " << seed << " (replay with TUTORTIME_CRASH_SEED=" << seed << "), " << iterations
            << " iterations" << (TT_CRASH_ASAN ? " (AddressSanitizer build)" : "") << std::endl;
  RecordProperty("seed", std::to_string(seed));
  if (!std::getenv("TUTORTIME_CRASH_ITERATIONS")) {
    ASSERT_GE(iterations, kMinimumIterations);
  }
  Clock::time_point test_start = Clock::now();
  Known known;
  Tally tally;

  // A full run first, three times: when "started" and "finish: saved" appear and when it ends.
  // The machine's speed drifts (other builds share it), so one more full run every 10
  // iterations keeps the estimate current (the median of the last five). Every full run is
  // checked like the others.
  std::vector<double> started, finished, exited;
  double t_start = 0, t_finish = 0, t_exit = 0;
  int full_runs = 0;
  auto full_run = [&] {
    std::string code = "FULL" + std::to_string(full_runs++);
    Observed o = run_and_kill(kiosk_, script_, code, model_, std::nullopt, stderr_file_);
    ASSERT_TRUE(WIFEXITED(o.status) && WEXITSTATUS(o.status) == 0 && o.finish_reported && o.unexpected.empty())
        << "a full run did not finish cleanly\n"
        << describe(o, stderr_file_);
    ASSERT_NO_FATAL_FAILURE(check_store(o, code, known, tally)) << describe(o, stderr_file_);
    started.push_back(o.started_at);
    finished.push_back(o.finished_at);
    exited.push_back(o.exited_at);
    auto recent = [](const std::vector<double>& v) {
      return median(
          std::vector<double>(v.end() - static_cast<std::ptrdiff_t>(std::min<std::size_t>(v.size(), 5)), v.end()));
    };
    t_start = recent(started);
    t_finish = recent(finished);
    t_exit = recent(exited);
  };
  for (int i = 0; i < 3; ++i) ASSERT_NO_FATAL_FAILURE(full_run());
  std::cout << "[ crash ] a full run: \"started\" at " << t_start << " s, \"finish: saved\" at " << t_finish
            << " s, exit at " << t_exit << " s" << std::endl;

  // Delays from 0 to a bit beyond a full run: some before the draft exists, most mid-survey,
  // some around finish and some after it.
  std::mt19937 rng(static_cast<std::mt19937::result_type>(seed));
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto pick_delay = [&] {
    const double span = t_finish - t_start;
    double u = unit(rng), v = unit(rng);
    if (u < 0.12) return v * t_start * 1.1;                       // before start
    if (u < 0.75) return t_start + v * span;                      // mid-survey
    if (u < 0.87) return t_finish - 0.1 * span + v * 0.2 * span;  // around finish
    return t_finish + v * (t_exit * 1.3 - t_finish);              // after it
  };

  for (int i = 0; i < iterations; ++i) {
    if (i > 0 && i % 10 == 0) {
      full_run();
      if (HasFatalFailure()) break;
    }
    const double delay = pick_delay();
    const std::string code = "CRASH" + std::to_string(10000 + i);  // a pupil code is 4 to 16 letters and digits
    Observed o = run_and_kill(kiosk_, script_, code, model_, Seconds(delay), stderr_file_);
    SCOPED_TRACE("iteration " + std::to_string(i) + ", kill after " + std::to_string(delay) + " s, seed " +
                 std::to_string(seed));
    ++tally.iterations;
    ASSERT_TRUE(o.unexpected.empty()) << "the kiosk printed lines the script does not explain:\n"
                                      << describe(o, stderr_file_);
    if (!o.killed) {
      ASSERT_TRUE(WIFEXITED(o.status) && WEXITSTATUS(o.status) == 0 && o.finish_reported)
          << "the kiosk ended by itself, but not with a finished response\n"
          << describe(o, stderr_file_);
      ++tally.exited;
    } else if (!o.response_id) {
      ++tally.before_start;
    } else if (o.finish_reported) {
      ++tally.after_finish;
    } else if (o.saved + 1 == model_.steps.size()) {
      ++tally.during_finish;
    } else {
      ++tally.mid_survey;
    }
    check_store(o, code, known, tally);
    if (HasFatalFailure()) {
      ADD_FAILURE() << describe(o, stderr_file_);
      break;
    }
  }

  const double took = Seconds(Clock::now() - test_start).count();
  std::cout << "[ crash ] " << tally.iterations << " kills: " << tally.before_start << " before start, "
            << tally.mid_survey << " mid-survey, " << tally.during_finish << " during finish, " << tally.after_finish
            << " after finish, " << tally.exited << " after the run had ended; " << tally.one_step_ahead
            << " times the disk held one action more than was reported, " << tally.draft_before_start
            << " drafts committed before \"started\" was printed; " << known.drafts.size() << " drafts and "
            << known.outbox.size() << " sealed responses checked at the end; " << full_runs
            << " full runs (not counted as kills) timed the survey at " << t_exit << " s; " << took << " s"
            << std::endl;
  RecordProperty("iterations", tally.iterations);
  RecordProperty("killed_before_start", tally.before_start);
  RecordProperty("killed_mid_survey", tally.mid_survey);
  RecordProperty("killed_during_finish", tally.during_finish);
  RecordProperty("killed_after_finish", tally.after_finish);
  RecordProperty("ended_before_kill", tally.exited);
  if (HasFailure()) return;  // the counts below mean nothing after a failed iteration
  EXPECT_EQ(tally.iterations, iterations);
  // The spread must really cover the survey: most kills land mid-survey.
  EXPECT_GT(tally.mid_survey, tally.iterations / 3) << "the kill delays did not spread over the survey";
}

}  // namespace
}  // namespace tt::crashtest

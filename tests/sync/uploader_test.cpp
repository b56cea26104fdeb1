// The uploader against a fake transport (a function field, no network) on a real kiosk store:
// what each kind of reply does to the outbox. The real server is in the other sync tests.
#include "sync/uploader/uploader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "shared/crypto/ed25519.h"
#include "shared/crypto/random.h"
#include "shared/protocol/batch.h"
#include "shared/protocol/distribution.h"
#include "shared/protocol/problem.h"
#include "shared/protocol/request_signature.h"
#include "shared/protocol/roster.h"
#include "sync/uploader/server_reply.h"

namespace tt::sync {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

HttpReply json_reply(long status, const std::string& body, const std::string& type = "application/json") {
  return HttpReply{status, type, body};
}

HttpReply problem_reply(protocol::ProblemKind kind, const std::string& detail = "",
                        nlohmann::json extensions = nlohmann::json::object()) {
  protocol::Problem p = protocol::make_problem(kind, detail);
  p.extensions = std::move(extensions);
  return HttpReply{p.status, protocol::kProblemContentType, protocol::to_json(p)};
}

// The server's honest answer to a batch: every entry stored.
HttpReply all_stored(const HttpRequest& request) {
  std::vector<protocol::UploadResult> results;
  for (const auto& entry : protocol::parse_batch_upload(request.body))
    results.push_back({results.size(), entry.response_id, protocol::UploadStatus::Stored, ""});
  return json_reply(200, protocol::batch_reply_to_json(results));
}

class UploaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "tutortime-uploader-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    store_ = kiosk::KioskStore::create(dir_ / "kiosk");
    server_ = EnrolledServer{crypto::random_id128(), "https://central.test", "sha256//pin", std::nullopt};
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::vector<std::string> add(std::size_t count, std::size_t bytes = 100) {
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < count; ++i) {
      kiosk::SealedResponse r{crypto::random_id128(), "y7-baseline", 1, crypto::random_bytes(bytes), 1764839100, {}};
      auto draft = store_->create_draft(r.response_id, r.survey_id, 1, as_bytes("{}"));
      store_->finish_draft(draft, r);
      ids.push_back(r.response_id);
    }
    return ids;
  }
  std::int64_t waiting() const { return store_->outbox_summary().waiting; }

  // Runs one pass with `transport`; requests are recorded in requests_.
  UploadPassResult pass(std::function<HttpReply(const HttpRequest&)> transport, UploadOptions options = {}) {
    options.log = [this](const std::string& line) { log_.push_back(line); };
    options.send_heartbeat = false;
    // No survey updates either unless a test passes the drawable-text check (UploadOptions).
    Uploader uploader(*store_, server_, key_.private_key.clone(), options, [&](const HttpRequest& request) {
      requests_.push_back(request);
      return transport(request);
    });
    return uploader.run_pass();
  }

  fs::path dir_;
  std::unique_ptr<kiosk::KioskStore> store_;
  EnrolledServer server_;
  crypto::Ed25519KeyPair key_ = crypto::ed25519_generate();
  std::vector<HttpRequest> requests_;
  std::vector<std::string> log_;
};

TEST_F(UploaderTest, SignsEveryBatchAndAcknowledgesWhatTheServerStored) {
  add(5);
  UploadOptions options;
  options.max_batch_responses = 2;
  UploadPassResult r = pass(all_stored, options);
  EXPECT_TRUE(r.all_acknowledged()) << r.reason;
  EXPECT_EQ(r.stored, 5u);
  EXPECT_EQ(r.batches_sent, 3u);
  EXPECT_EQ(waiting(), 0);
  EXPECT_TRUE(store_->outbox_all().empty());
  ASSERT_EQ(requests_.size(), 3u);
  for (const auto& request : requests_) {
    auto header = [&](const std::string& name) -> std::optional<std::string> {
      for (const auto& [n, v] : request.headers) {
        if (n == name) return v;
      }
      return std::nullopt;
    };
    auto credentials = protocol::read_credentials(header);
    EXPECT_EQ(credentials.device_id, server_.device_id);
    EXPECT_TRUE(protocol::verify_request_signature(credentials, "POST", request.target, as_bytes(request.body),
                                                   key_.public_key));
  }
}

TEST_F(UploaderTest, BatchesAreBoundedInBytes) {
  add(6, 1000);
  UploadOptions options;
  options.max_batch_bytes = 2500;  // two responses of 1000 bytes fit, three do not
  UploadPassResult r = pass(all_stored, options);
  EXPECT_TRUE(r.all_acknowledged()) << r.reason;
  EXPECT_EQ(r.batches_sent, 3u);
}

TEST_F(UploaderTest, NothingButAValidBatchReplyAcknowledges) {
  add(3);
  struct Case {
    const char* what;
    std::function<HttpReply(const HttpRequest&)> transport;
    UploadOutcome outcome;
  };
  std::vector<Case> cases = {
      {"a captive portal's 200 page",
       [](const HttpRequest&) { return json_reply(200, "<html>Sign in</html>", "text/html"); }, UploadOutcome::Failed},
      {"a 200 JSON that is not a batch reply", [](const HttpRequest&) { return json_reply(200, R"({"ok": true})"); },
       UploadOutcome::Failed},
      {"the right reply with the wrong content type",
       [](const HttpRequest& q) {
         HttpReply h = all_stored(q);
         h.content_type = "text/plain";
         return h;
       },
       UploadOutcome::Failed},
      {"a reply naming ids that were not sent",
       [](const HttpRequest& q) {
         std::vector<protocol::UploadResult> results;
         for (std::size_t i = 0; i < protocol::parse_batch_upload(q.body).size(); ++i)
           results.push_back({i, crypto::random_id128(), protocol::UploadStatus::Stored, ""});
         return json_reply(200, protocol::batch_reply_to_json(results));
       },
       UploadOutcome::Failed},
      {"a reply with fewer results than entries",
       [](const HttpRequest& q) {
         auto entries = protocol::parse_batch_upload(q.body);
         std::vector<protocol::UploadResult> results = {
             {0, entries[0].response_id, protocol::UploadStatus::Stored, ""}};
         return json_reply(200, protocol::batch_reply_to_json(results));
       },
       UploadOutcome::Failed},
      {"a 500", [](const HttpRequest&) { return problem_reply(protocol::ProblemKind::ServerError); },
       UploadOutcome::Failed},
      {"a 502 from a proxy", [](const HttpRequest&) { return json_reply(502, "Bad gateway", "text/html"); },
       UploadOutcome::Failed},
      {"a dropped connection",
       [](const HttpRequest&) -> HttpReply { throw TransportError(TransportErrorKind::Broken, "dropped"); },
       UploadOutcome::Failed},
      {"a pin mismatch",
       [](const HttpRequest&) -> HttpReply { throw TransportError(TransportErrorKind::PinMismatch, "not pinned"); },
       UploadOutcome::PinMismatch},
      {"a 400", [](const HttpRequest&) { return problem_reply(protocol::ProblemKind::MalformedRequest, "bad"); },
       UploadOutcome::Refused},
  };
  for (const Case& c : cases) {
    UploadPassResult r = pass(c.transport);
    EXPECT_EQ(r.outcome, c.outcome) << c.what << ": " << r.reason;
    EXPECT_EQ(r.acknowledged(), 0u) << c.what;
    EXPECT_FALSE(r.reason.empty()) << c.what;
    EXPECT_EQ(waiting(), 3) << c.what;
    EXPECT_EQ(store_->outbox_summary().acknowledged_not_purged, 0) << c.what;
  }
}

TEST_F(UploaderTest, RejectedEntriesAreKeptAndNotRetriedInTheSamePass) {
  auto ids = add(4);
  auto reject_first = [&](const HttpRequest& q) {
    std::vector<protocol::UploadResult> results;
    for (const auto& e : protocol::parse_batch_upload(q.body)) {
      bool bad = e.response_id == ids[0];
      results.push_back({results.size(), e.response_id,
                         bad ? protocol::UploadStatus::Rejected : protocol::UploadStatus::Stored,
                         bad ? "conflict: different contents" : ""});
    }
    return json_reply(200, protocol::batch_reply_to_json(results));
  };
  UploadOptions options;
  options.max_batch_responses = 1;
  UploadPassResult r = pass(reject_first, options);
  EXPECT_EQ(r.outcome, UploadOutcome::SomeRejected);
  EXPECT_EQ(r.stored, 3u);
  EXPECT_EQ(r.rejected_ids, std::vector<std::string>{ids[0]});
  EXPECT_EQ(requests_.size(), 4u) << "the rejected one was sent once in this pass";
  EXPECT_EQ(waiting(), 1);
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_THAT(log_[0], HasSubstr(ids[0]));
  EXPECT_THAT(log_[0], HasSubstr("conflict"));
}

TEST_F(UploaderTest, TooLargeHalvesTheBatch) {
  add(8);
  auto at_most_two = [](const HttpRequest& q) {
    if (protocol::parse_batch_upload(q.body).size() > 2) return problem_reply(protocol::ProblemKind::BatchTooLarge);
    return all_stored(q);
  };
  UploadPassResult r = pass(at_most_two);
  EXPECT_TRUE(r.all_acknowledged()) << r.reason;
  EXPECT_EQ(r.stored, 8u);
  // 8 refused, 4 refused, then 2 at a time.
  EXPECT_EQ(requests_.size(), 2u + 4u);
}

TEST_F(UploaderTest, ClockSkewAndRevocationStopThePass) {
  add(2);
  std::int64_t now = 1764839100;
  UploadOptions options;
  options.clock = [&] { return now; };
  UploadPassResult skew = pass(
      [&](const HttpRequest&) {
        return problem_reply(protocol::ProblemKind::Unauthenticated, "timestamp outside the window",
                             {{"server_time", now + 3600}});
      },
      options);
  EXPECT_EQ(skew.outcome, UploadOutcome::ClockSkew);
  EXPECT_EQ(skew.clock_skew_seconds, 3600);
  EXPECT_THAT(skew.reason, HasSubstr("3600 seconds behind"));

  UploadPassResult revoked =
      pass([](const HttpRequest&) { return problem_reply(protocol::ProblemKind::DeviceRevoked, "revoked"); });
  EXPECT_EQ(revoked.outcome, UploadOutcome::Revoked);
  EXPECT_THAT(revoked.reason, HasSubstr("kept"));
  EXPECT_EQ(waiting(), 2);
}

TEST_F(UploaderTest, AnUnauthenticatedReplyIsRetriedOnceWithAFreshSignature) {
  add(1);
  int calls = 0;
  UploadPassResult r = pass([&](const HttpRequest& q) {
    if (++calls == 1) return problem_reply(protocol::ProblemKind::Unauthenticated, "nonce seen already");
    return all_stored(q);
  });
  EXPECT_TRUE(r.all_acknowledged()) << r.reason;
  ASSERT_EQ(requests_.size(), 2u);
  EXPECT_NE(requests_[0].headers, requests_[1].headers) << "a new nonce";
}

TEST_F(UploaderTest, ASurveyFetchThatFailsIsLoggedAndLeavesTheUploadOutcomeAlone) {
  add(2);
  UploadOptions options;
  options.find_undrawable_text = [](const nlohmann::json&) -> std::optional<std::string> { return std::nullopt; };
  struct Case {
    const char* what;
    std::function<HttpReply()> surveys_reply;
  };
  std::vector<Case> cases = {
      {"a 500", [] { return problem_reply(protocol::ProblemKind::ServerError); }},
      {"a reply that is not a surveys reply", [] { return json_reply(200, R"({"surveys": 7})"); }},
      {"a dropped connection", []() -> HttpReply { throw TransportError(TransportErrorKind::Broken, "dropped"); }},
  };
  for (const Case& c : cases) {
    requests_.clear();
    log_.clear();
    add(1);
    UploadPassResult r = pass(
        [&](const HttpRequest& q) {
          if (q.method == "GET") return c.surveys_reply();
          return all_stored(q);
        },
        options);
    EXPECT_TRUE(r.all_acknowledged()) << c.what << ": " << r.reason;
    EXPECT_FALSE(r.surveys_fetched) << c.what;
    EXPECT_EQ(r.surveys_installed + r.surveys_refused, 0u) << c.what;
    ASSERT_EQ(requests_.size(), 3u) << c.what << ": the batch, the surveys and the roster";
    EXPECT_EQ(requests_[2].method, "GET");
    EXPECT_EQ(requests_[2].target, protocol::kRostersPath);
    const HttpRequest& get = requests_[1];
    EXPECT_EQ(get.method, "GET");
    EXPECT_EQ(get.target, protocol::kSurveysPath);
    EXPECT_TRUE(get.body.empty());
    auto header = [&](const std::string& name) -> std::optional<std::string> {
      for (const auto& [n, v] : get.headers) {
        if (n == name) return v;
      }
      return std::nullopt;
    };
    EXPECT_TRUE(protocol::verify_request_signature(protocol::read_credentials(header), "GET", get.target,
                                                   as_bytes(std::string()), key_.public_key))
        << c.what << ": the GET is signed like any request";
    ASSERT_EQ(log_.size(), 2u) << c.what;
    EXPECT_THAT(log_[0], HasSubstr("survey updates not fetched")) << c.what;
    EXPECT_THAT(log_[1], HasSubstr("roster update not fetched")) << c.what;
  }
  // Turned off, or without the drawable-text check: no GET at all.
  for (bool turned_off : {true, false}) {
    requests_.clear();
    UploadOptions off = options;
    if (turned_off)
      off.fetch_survey_updates = false;
    else
      off.find_undrawable_text = nullptr;
    UploadPassResult r = pass([](const HttpRequest& q) { return all_stored(q); }, off);
    EXPECT_TRUE(r.all_acknowledged()) << r.reason;
    for (const auto& q : requests_) EXPECT_NE(q.method, "GET") << turned_off;
  }
}

}  // namespace
}  // namespace tt::sync

namespace tt::sync {
namespace {

TEST(ServerReplyTest, OnlyJsonIsAnAnswer) {
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type("application/json; charset=utf-8"));
  EXPECT_TRUE(is_json_content_type("application/json;charset=utf-8"));
  EXPECT_FALSE(is_json_content_type("application/json; charset=iso-8859-1"));
  EXPECT_FALSE(is_json_content_type("text/html"));
  EXPECT_FALSE(is_json_content_type("application/problem+json"));
  EXPECT_FALSE(is_json_content_type(""));
  EXPECT_EQ(judge_reply(HttpReply{200, "text/html; charset=utf-8", "<html>"}, 0).kind, ServerReplyKind::Retry);
  EXPECT_EQ(judge_reply(HttpReply{404, "text/html", "not here"}, 0).kind, ServerReplyKind::Retry)
      << "a refusal that is not the central server's is not the server's word";
  protocol::Problem rate_limited{429, "urn:tutortime:problem:rate-limited", "Too many requests", "",
                                 nlohmann::json::object()};
  EXPECT_EQ(judge_reply(HttpReply{429, protocol::kProblemContentType, protocol::to_json(rate_limited)}, 0).kind,
            ServerReplyKind::Retry);
  EXPECT_EQ(judge_reply(problem_reply(protocol::ProblemKind::UnsupportedMediaType), 0).kind, ServerReplyKind::Refused);
  EXPECT_EQ(judge_reply(problem_reply(protocol::ProblemKind::BodyTooLarge), 0).kind, ServerReplyKind::TooLarge);
}

}  // namespace
}  // namespace tt::sync

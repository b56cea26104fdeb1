#pragma once
// A fixture for the kiosk's side of the sync: the real tutortime-central (CentralServerTest,
// over loopback TLS with the self-signed certificate it made) and the real tutortime-kiosk
// binary on a kiosk data directory of its own, with the central team's keys made here so the
// test can sign surveys and open what the server stored.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kiosk/store/kiosk_store.h"
#include "shared/crypto/ed25519.h"
#include "shared/crypto/key_files.h"
#include "shared/crypto/random.h"
#include "shared/crypto/x25519.h"
#include "tests/central/central_server_fixture.h"
#include "tests/cli/cli_test_support.h"

namespace tt::sync::testing {

namespace fs = std::filesystem;
using cli_testing::RunResult;

class KioskSyncTest : public central::testing::CentralServerTest {
 protected:
  void SetUp() override {
    start_in_setup_ = false;
    CentralServerTest::SetUp();
    // The central team's keys: public halves for the server and the kiosk, private halves
    // kept apart (the server refuses to start beside a private key).
    team_ = dir_ / "team";
    fs::create_directories(team_ / "private");
    analysis_ = crypto::x25519_generate();
    signing_ = crypto::ed25519_generate();
    crypto::write_public_key(team_ / "analysis.pub", crypto::KeyAlgorithm::X25519, analysis_.public_key);
    crypto::write_public_key(team_ / "signing.pub", crypto::KeyAlgorithm::Ed25519, signing_.public_key);
    crypto::write_private_key(team_ / "private" / "signing.key", crypto::KeyAlgorithm::Ed25519,
                              signing_.private_key.view());
    config_["analysis_public_key"] = "team/analysis.pub";
    config_["signing_public_key"] = "team/signing.pub";
    config_["limits"]["max_sealed_bytes"] = 16 * 1024;
    kiosk_ = dir_ / "kiosk";
    ASSERT_NO_FATAL_FAILURE(start_server());
  }

  // tutortime-kiosk --data-dir <kiosk_> ARGS (or another data directory).
  RunResult kiosk(const std::vector<std::string>& args) const { return kiosk_in(kiosk_, args); }
  RunResult kiosk_in(const fs::path& data_dir, const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {cli_testing::kKioskBin.string(), "--data-dir", data_dir.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return cli_testing::run_process(argv, options());
  }
  RunResult admin(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {cli_testing::kAdminBin.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return cli_testing::run_process(argv, options());
  }
  cli_testing::RunOptions options() const {
    cli_testing::RunOptions o;
    o.cwd = dir_;
    o.env["TUTORTIME_DATA_DIR"] = (dir_ / "default-data-dir-not-used").string();
    // The uploader honours the environment's proxy (a school's); loopback must not go to one.
    o.unset_env = {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"};
    return o;
  }

  void setup_kiosk(const fs::path& data_dir) {
    RunResult r = kiosk_in(data_dir, {"setup", "--analysis-public-key", (team_ / "analysis.pub").string(),
                                      "--signing-public-key", (team_ / "signing.pub").string()});
    ASSERT_EQ(r.exit_code, 0) << r;
  }
  void setup_kiosk() { setup_kiosk(kiosk_); }

  // The Year 7 baseline, signed by the team and installed.
  void install_baseline() {
    fs::path copy = dir_ / "y7-baseline.survey.json";
    fs::copy_file(cli_testing::kSurveysDir / "y7-baseline.survey.json", copy, fs::copy_options::overwrite_existing);
    RunResult sign = admin({"survey", "sign", copy.string(), "--key", (team_ / "private" / "signing.key").string()});
    ASSERT_EQ(sign.exit_code, 0) << sign;
    RunResult install = kiosk({"survey", "install", copy.string()});
    ASSERT_EQ(install.exit_code, 0) << install;
  }

  RunResult enrol(const fs::path& data_dir, const std::string& token, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"enrol", "--server", server_->url(), "--token", token, "--pin", server_->pin()};
    args.insert(args.end(), extra.begin(), extra.end());
    return kiosk_in(data_dir, args);
  }
  // setup + enrol with a fresh token, asserting success.
  void enrolled_kiosk() {
    ASSERT_NO_FATAL_FAILURE(setup_kiosk());
    RunResult r = enrol(kiosk_, make_enrol_token());
    ASSERT_EQ(r.exit_code, 0) << r;
  }

  RunResult sync_once(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"sync", "--once", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return kiosk(args);
  }
  // The --json summary of a sync --once run.
  static nlohmann::json summary_of(const RunResult& r) { return cli_testing::parse_json(r.out); }

  std::unique_ptr<kiosk::KioskStore> open_kiosk_store() const { return kiosk::KioskStore::open(kiosk_); }

  // `count` finished responses put straight into the kiosk's outbox through the store (opaque
  // random "sealed" bytes: the server stores them as they come).
  std::vector<kiosk::SealedResponse> add_outbox_responses(std::size_t count, std::size_t bytes = 300) {
    auto store = open_kiosk_store();
    std::vector<kiosk::SealedResponse> added;
    for (std::size_t i = 0; i < count; ++i) added.push_back(add_outbox_response(*store, crypto::random_id128(), bytes));
    return added;
  }
  static kiosk::SealedResponse add_outbox_response(kiosk::KioskStore& store, const std::string& id,
                                                   std::size_t bytes = 300,
                                                   std::optional<Bytes> sealed = std::nullopt) {
    kiosk::SealedResponse response;
    response.response_id = id;
    response.survey_id = "y7-baseline";
    response.survey_version = 1;
    response.sealed = sealed ? *sealed : crypto::random_bytes(bytes);
    response.finished_at = central::testing::now_seconds();
    auto draft = store.create_draft(id, response.survey_id, response.survey_version, as_bytes("{}"));
    store.finish_draft(draft, response);
    return response;
  }

  std::vector<std::string> outbox_ids() const {
    std::vector<std::string> ids;
    for (const auto& r : open_kiosk_store()->outbox_all()) ids.push_back(r.response_id);
    return ids;
  }

  std::string kiosk_device_id() const { return open_kiosk_store()->setting("device_id").value_or(""); }

  fs::path team_;
  fs::path kiosk_;
  crypto::X25519KeyPair analysis_;
  crypto::Ed25519KeyPair signing_;
};

}  // namespace tt::sync::testing

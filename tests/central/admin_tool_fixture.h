#pragma once
// The central team's tool against the real server: the CentralServerTest fixture, plus the
// real tutortime-admin run as a child process pointed at it (--server, --central-data-dir), the
// analysis and signing private keys in a directory of their own (never the server's), and
// sealed responses made as a kiosk makes them.
#include "shared/survey/response.h"
#include "tests/central/central_server_fixture.h"

namespace tt::central::testing {

inline const fs::path kAdminBin = TUTORTIME_ADMIN_BIN;
inline const fs::path kSourceDir = TUTORTIME_SOURCE_DIR;

class AdminToolTest : public CentralServerTest {
 protected:
  void SetUp() override {
    CentralServerTest::SetUp();
    fs::create_directories(dir_ / "central-team");
    crypto::write_private_key(analysis_key_file(), crypto::KeyAlgorithm::X25519, analysis_keys_.private_key.view());
    crypto::write_private_key(signing_key_file(), crypto::KeyAlgorithm::Ed25519, signing_keys_.private_key.view());
  }

  fs::path analysis_key_file() const { return dir_ / "central-team" / "analysis.key"; }
  fs::path signing_key_file() const { return dir_ / "central-team" / "signing.key"; }

  // tutortime-admin COMMAND… with the connection options for this server appended.
  ProcessResult admin(std::vector<std::string> args, bool connect = true) {
    args.insert(args.begin(), kAdminBin.string());
    if (connect) {
      args.insert(args.end(), {"--server", server_->url(), "--central-data-dir", data_dir_.string()});
    }
    return run_program(args, dir_);
  }

  // A response's plaintext as a kiosk builds it (docs/sealed-response.md).
  static json plaintext(const std::string& response_id, json answers, const std::string& tutor_group = "7B") {
    return {{"format", survey::kResponseFormat},
            {"response_id", response_id},
            {"survey", {{"id", "y7-baseline"}, {"version", 1}}},
            {"device_id", nullptr},
            {"app_version", "0.1.0"},
            {"language", "en"},
            {"started_at", "2026-12-04T14:02Z"},
            {"finished_at", "2026-12-04T14:07Z"},
            {"tutor_group", tutor_group},
            {"identity", {{"mode", "pupil_code"}, {"pupil_code", "7K2M4Q"}}},
            {"answers", std::move(answers)},
            {"scores", json::object()},
            {"flags", json::array()},
            {"talk_to_someone", false}};
  }

  SealedUpload sealed(const json& plain) const {
    return SealedUpload{plain["response_id"], plain["survey"]["id"], plain["survey"]["version"], plain["finished_at"],
                        survey::seal_response(plain, analysis_keys_.public_key)};
  }
};

}  // namespace tt::central::testing

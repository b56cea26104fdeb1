#include "sync/central/central_config.h"

#include <unistd.h>

#include <cstdlib>
#include <set>

#include "shared/common/command_line.h"
#include "shared/common/files.h"
#include "shared/protocol/json_body.h"

namespace tt::central {

using nlohmann::json;
using protocol::JsonReader;

namespace {

void refuse_unknown(const JsonReader& reader, const std::set<std::string>& known) {
  for (auto it = reader.value().begin(); it != reader.value().end(); ++it) {
    if (known.count(it.key()) == 0) {
      std::string list;
      for (const std::string& k : known) {
        if (!list.empty()) list += ", ";
        list += k;
      }
      reader.fail(nullptr, "has an unknown setting \"" + it.key() + "\" (known here: " + list + ")");
    }
  }
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& path) {
  std::filesystem::path p(path);
  return p.is_absolute() || base.empty() ? p : base / p;
}

std::string host_name() {
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return {};
  return buffer;
}

void read_limits(const JsonReader& r, Limits& limits) {
  refuse_unknown(r, {"max_body_bytes", "max_batch_responses", "max_sealed_bytes", "read_timeout_seconds",
                     "write_timeout_seconds", "keep_alive_seconds", "request_deadline_seconds", "threads",
                     "max_connections", "clock_skew_seconds", "device_requests_per_minute", "device_request_burst"});
  auto size = [&](const char* key, std::size_t& out, std::int64_t min, std::int64_t max) {
    if (r.has(key)) out = static_cast<std::size_t>(r.integer(key, min, max));
  };
  auto seconds = [&](const char* key, int& out) {
    if (r.has(key)) out = static_cast<int>(r.integer(key, 1, 3600));
  };
  size("max_body_bytes", limits.max_body_bytes, 1024, 1024 * 1024 * 1024);
  size("max_batch_responses", limits.max_batch_responses, 1, 100000);
  size("max_sealed_bytes", limits.max_sealed_bytes, 64, 64 * 1024 * 1024);
  seconds("read_timeout_seconds", limits.read_timeout_seconds);
  seconds("write_timeout_seconds", limits.write_timeout_seconds);
  seconds("keep_alive_seconds", limits.keep_alive_seconds);
  seconds("request_deadline_seconds", limits.request_deadline_seconds);
  size("threads", limits.threads, 1, 1024);
  size("max_connections", limits.max_connections, 1, 1000000);
  if (r.has("clock_skew_seconds")) limits.clock_skew_seconds = r.integer("clock_skew_seconds", 10, 86400);
  if (r.has("device_requests_per_minute")) {
    limits.device_requests_per_minute = r.integer("device_requests_per_minute", 0, 1000000);
  }
  if (r.has("device_request_burst")) limits.device_request_burst = r.integer("device_request_burst", 1, 1000000);
}

}  // namespace

CentralConfig load_central_config(const std::optional<std::filesystem::path>& config_file,
                                  const std::optional<std::filesystem::path>& data_dir) {
  CentralConfig config;
  std::filesystem::path base;
  std::optional<std::string> storage, certificate, private_key, admin_token, analysis, signing, file_data_dir;
  if (config_file) {
    base = config_file->parent_path();
    std::string what = "the configuration " + config_file->string();
    try {
      json root = protocol::parse_json_object(read_text_file(*config_file), what);
      JsonReader r(root, what);
      refuse_unknown(r, {"data_dir", "listen", "storage", "tls", "admin_token_file", "analysis_public_key",
                         "signing_public_key", "limits"});
      file_data_dir = r.optional_string("data_dir");
      if (r.has("listen")) {
        JsonReader listen = r.nested(r.object("listen"), "listen");
        refuse_unknown(listen, {"address", "port"});
        config.listen_address = listen.optional_string("address").value_or(config.listen_address);
        if (listen.has("port")) config.listen_port = static_cast<int>(listen.integer("port", 0, 65535));
      }
      storage = r.optional_string("storage");
      if (r.has("tls")) {
        JsonReader tls = r.nested(r.object("tls"), "tls");
        refuse_unknown(tls, {"certificate", "private_key", "self_signed_names"});
        certificate = tls.optional_string("certificate");
        private_key = tls.optional_string("private_key");
        if (tls.has("self_signed_names")) {
          const json& names = tls.array("self_signed_names");
          for (std::size_t i = 0; i < names.size(); ++i) {
            if (!names[i].is_string() || names[i].get<std::string>().empty()) {
              tls.fail("self_signed_names", "must be an array of host names and IP addresses");
            }
            config.tls_self_signed_names.push_back(names[i]);
          }
        }
      }
      admin_token = r.optional_string("admin_token_file");
      analysis = r.optional_string("analysis_public_key");
      signing = r.optional_string("signing_public_key");
      if (r.has("limits")) read_limits(r.nested(r.object("limits"), "limits"), config.limits);
    } catch (const protocol::ProtocolError& e) {
      throw InvalidInputError(e.what());
    } catch (const InvalidInputError&) {
      throw;
    } catch (const Error& e) {
      throw InvalidInputError(what + ": " + e.what());
    }
  }

  const char* environment = std::getenv(kDataDirEnvironment);
  if (data_dir) {
    config.data_dir = *data_dir;
  } else if (file_data_dir) {
    config.data_dir = resolve(base, *file_data_dir);
  } else if (environment != nullptr && *environment != '\0') {
    config.data_dir = environment;
  } else {
    config.data_dir = kDefaultDataDir;
  }
  const std::filesystem::path& d = config.data_dir;
  config.storage_url = storage.value_or("sqlite:" + (d / "central.db").string());
  if (config.storage_url.rfind("sqlite:", 0) == 0) {
    config.storage_url = "sqlite:" + resolve(base, config.storage_url.substr(7)).string();
  }
  config.tls_certificate = certificate ? resolve(base, *certificate) : d / "tls-certificate.pem";
  config.tls_private_key = private_key ? resolve(base, *private_key) : d / "tls-private-key.pem";
  if (config.tls_self_signed_names.empty()) {
    config.tls_self_signed_names = {"localhost", "127.0.0.1", "::1"};
    std::string host = host_name();
    if (!host.empty() && host != "localhost") config.tls_self_signed_names.push_back(host);
  }
  config.admin_token_file = admin_token ? resolve(base, *admin_token) : d / "admin-token";
  config.analysis_public_key = analysis ? resolve(base, *analysis) : d / "analysis.pub";
  config.signing_public_key = signing ? resolve(base, *signing) : d / "signing.pub";
  return config;
}

}  // namespace tt::central

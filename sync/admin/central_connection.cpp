#include "sync/admin/central_connection.h"

#include <cstdlib>

#include "shared/common/files.h"
#include "shared/protocol/json_body.h"
#include "shared/protocol/problem.h"

namespace tt::admin {

namespace {

std::optional<std::string> environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::string read_setting_file(const std::filesystem::path& file, const char* what, const char* option) {
  try {
    return read_text_file(file);
  } catch (const Error& e) {
    throw Error(std::string("cannot read the ") + what + " (" + option + "): " + e.what());
  }
}

}  // namespace

CentralConnection CentralConnection::from_command_line(CommandLine& args) {
  std::optional<std::string> server = args.option("--server");
  std::optional<std::string> token_file = args.option("--admin-token-file");
  std::optional<std::string> certificate_file = args.option("--server-certificate");
  std::optional<std::string> data_dir = args.option("--central-data-dir");
  if (!server) server = environment(kServerEnvironment);
  if (!token_file) token_file = environment(kAdminTokenFileEnvironment);
  if (!certificate_file) certificate_file = environment(kServerCertificateEnvironment);
  if (!data_dir) data_dir = environment(kCentralDataDirEnvironment);
  if (data_dir) {
    std::filesystem::path dir(*data_dir);
    if (!token_file) token_file = (dir / "admin-token").string();
    if (!certificate_file) certificate_file = (dir / "tls-certificate.pem").string();
  }
  if (!server) {
    throw UsageError(std::string("which server? give --server https://HOST:PORT (or set ") + kServerEnvironment + ")");
  }
  if (!token_file) {
    throw UsageError(std::string("the admin token is needed: give --admin-token-file FILE (the server's admin-token "
                                 "file), --central-data-dir DIR, or set ") +
                     kAdminTokenFileEnvironment);
  }
  std::string token = read_setting_file(*token_file, "admin token file", "--admin-token-file");
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.empty()) throw Error("the admin token file " + *token_file + " is empty");
  std::optional<std::string> certificate;
  if (certificate_file) {
    certificate = read_setting_file(*certificate_file, "server certificate", "--server-certificate");
  }
  return CentralConnection(*server, std::move(token), std::move(certificate));
}

CentralConnection::CentralConnection(std::string server_url, std::string token,
                                     std::optional<std::string> certificate_pem)
    : server_url_(std::move(server_url)), token_(std::move(token)) {
  sync::ServerEndpoint endpoint;
  endpoint.base_url = server_url_;
  endpoint.ca_certificate_pem = std::move(certificate_pem);
  client_ = std::make_unique<sync::HttpsClient>(std::move(endpoint));
}

std::string CentralConnection::admin(const std::string& method, const std::string& target, const std::string& body,
                                     long expected) {
  sync::HttpRequest request;
  request.method = method;
  request.target = target;
  request.body = body;
  request.headers.emplace_back("Authorization", "Bearer " + token_);
  sync::HttpReply reply = client_->send(request);
  last_status_ = reply.status;
  bool ok = expected == 0 ? (reply.status >= 200 && reply.status < 300) : reply.status == expected;
  if (ok) return std::move(reply.body);
  std::string where = method + " " + target;
  if (reply.content_type.rfind(protocol::kProblemContentType, 0) == 0) {
    protocol::Problem problem;
    try {
      problem = protocol::parse_problem(reply.body);
    } catch (const protocol::ProtocolError&) {
      throw ServerRefusal(
          reply.status, "",
          where + ": the server answered " + std::to_string(reply.status) + " with a problem that does not parse");
    }
    std::string hint;
    if (problem.type == protocol::problem_type(protocol::ProblemKind::AdminTokenRefused)) {
      hint = " (is --admin-token-file the server's admin-token file?)";
    }
    throw ServerRefusal(
        reply.status, problem.type,
        where + ": the server refused (" + std::to_string(reply.status) + "): " + problem.detail + hint);
  }
  throw ServerRefusal(reply.status, "",
                      where + ": the server answered " + std::to_string(reply.status) +
                          " and not a Tutortime reply (is " + server_url_ + " a tutortime-central?)");
}

}  // namespace tt::admin

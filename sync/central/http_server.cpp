#include "sync/central/http_server.h"

// cpp-httplib is compiled as Debian's shared library, with OpenSSL, zlib and brotli support
// (pkg-config cpp-httplib gives the matching definitions). Its header is included only here.
#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>

#include "shared/protocol/admin.h"
#include "shared/protocol/batch.h"
#include "shared/protocol/distribution.h"
#include "shared/protocol/enrolment.h"
#include "shared/protocol/heartbeat.h"
#include "shared/protocol/roster.h"
#include "sync/central/connection_limit.h"
#include "sync/central/request_deadline.h"
#include "sync/central/server_log.h"

namespace tt::central {

using protocol::Problem;
using protocol::ProblemKind;

namespace {

// Per worker thread: when the request began and what the endpoint said for its log line.
// cpp-httplib runs a request's pre-routing handler, handler and logger on one thread.
thread_local std::chrono::steady_clock::time_point t_request_start;
thread_local std::string t_log_note;

struct Route {
  const char* method;
  std::regex pattern;
};

// Every endpoint, for telling 404 (no such path) from 405 (another method).
const std::vector<Route>& routes() {
  static const std::vector<Route> kRoutes = {
      {"GET", std::regex(protocol::kHealthPath)},
      {"POST", std::regex(protocol::kEnrolPath)},
      {"POST", std::regex(protocol::kBatchesPath)},
      {"POST", std::regex(protocol::kHeartbeatPath)},
      {"POST", std::regex(protocol::kAdminEnrolTokensPath)},
      {"POST", std::regex(R"(/v1/admin/devices/[0-9a-f]{32}/revoke)")},
      {"GET", std::regex(protocol::kAdminFleetPath)},
      {"GET", std::regex(protocol::kAdminResponsesPath)},
      {"POST", std::regex(protocol::kAdminSurveysPath)},
      {"GET", std::regex(protocol::kAdminSurveysPath)},
      {"GET", std::regex(protocol::kSurveysPath)},
      {"POST", std::regex(protocol::kAdminImportPath)},
      {"POST", std::regex(protocol::kAdminRostersPath)},
      {"GET", std::regex(protocol::kRostersPath)},
  };
  return kRoutes;
}

ServiceRequest to_service_request(const httplib::Request& req) {
  ServiceRequest r;
  r.method = req.method;
  r.target = req.target;
  for (const auto& [name, value] : req.headers) r.headers.emplace(name, value);
  for (const auto& [name, value] : req.params) r.query.emplace(name, value);
  r.body = req.body;
  r.remote_address = req.remote_addr;
  return r;
}

void send(const ServiceReply& reply, httplib::Response& res) {
  res.status = reply.status;
  for (const auto& [name, value] : reply.headers) res.set_header(name, value);
  res.set_content(reply.body, reply.content_type);
  t_log_note = reply.log_note;
}

void send_problem(ProblemKind kind, const std::string& detail, httplib::Response& res, bool close = false) {
  ServiceReply reply = problem_reply(protocol::make_problem(kind, detail));
  // The body was not read, so the connection cannot carry another request.
  if (close) reply.headers.emplace_back("Connection", "close");
  send(reply, res);
}

// cpp-httplib's thread pool with a bound on the connections held (connection_limit.h): those
// beyond it go to a single thread that refuses them at once.
class BoundedTaskQueue : public httplib::TaskQueue {
 public:
  BoundedTaskQueue(std::size_t threads, std::size_t max_connections)
      : max_connections_(max_connections), workers_(threads), refuser_(1) {}

  void enqueue(std::function<void()> connection) override {
    if (held_.fetch_add(1) >= max_connections_) {
      held_.fetch_sub(1);
      refuser_.enqueue([connection = std::move(connection)] {
        RefusingConnections refusing;
        connection();
      });
      return;
    }
    workers_.enqueue([this, connection = std::move(connection)] {
      connection();
      held_.fetch_sub(1);
    });
  }

  void shutdown() override {
    workers_.shutdown();
    refuser_.shutdown();
  }

 private:
  std::size_t max_connections_;
  std::atomic<std::size_t> held_{0};  // being served or waiting for a worker
  httplib::ThreadPool workers_;
  httplib::ThreadPool refuser_;
};

bool has_body_method(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

}  // namespace

struct HttpServer::Impl {
  CentralService& service;
  HttpServerSettings settings;
  std::unique_ptr<RequestDeadline> deadline;  // TLS only
  std::unique_ptr<httplib::Server> server;
  int listening_socket = -1;  // set when cpp-httplib makes it, for the backlog below

  Impl(CentralService& s, HttpServerSettings config) : service(s), settings(std::move(config)) {}

  void build();
  httplib::Server::HandlerResponse before_reading_body(const httplib::Request& req, httplib::Response& res);
  httplib::Server::HandlerResponse problem_for_status(const httplib::Request& req, httplib::Response& res);
  void log_request(const httplib::Request& req, const httplib::Response& res);

  template <typename Endpoint>
  httplib::Server::Handler endpoint(Endpoint call) {
    return [this, call](const httplib::Request& req, httplib::Response& res) {
      send(call(service, to_service_request(req)), res);
    };
  }
};

void HttpServer::Impl::build() {
  if (settings.tls) {
    std::string error;
    const TlsIdentity& identity = *settings.tls;
    deadline = std::make_unique<RequestDeadline>(std::chrono::seconds(settings.limits.request_deadline_seconds));
    auto tls_server = std::make_unique<httplib::SSLServer>([&](SSL_CTX& context) {
      try {
        configure_server_tls(&context, identity);
        deadline->attach(&context);
        return true;
      } catch (const std::exception& e) {
        error = e.what();
        return false;
      }
    });
    if (!tls_server->is_valid()) throw Error(error.empty() ? "configure TLS: cpp-httplib refused the context" : error);
    server = std::move(tls_server);
  } else {
    server = std::make_unique<httplib::Server>();
  }
  const Limits& limits = settings.limits;
  std::size_t threads = limits.threads;
  std::size_t max_connections = std::max(limits.max_connections, limits.threads);
  server->new_task_queue = [threads, max_connections] { return new BoundedTaskQueue(threads, max_connections); };
  server->set_read_timeout(limits.read_timeout_seconds);
  server->set_write_timeout(limits.write_timeout_seconds);
  server->set_keep_alive_timeout(limits.keep_alive_seconds);
  server->set_keep_alive_max_count(100);
  server->set_payload_max_length(limits.max_body_bytes);
  server->set_tcp_nodelay(true);
  // cpp-httplib's default is SO_REUSEPORT, which lets a second server bind the same port and
  // silently take half the connections; SO_REUSEADDR only allows a quick restart.
  server->set_socket_options([this](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listening_socket = sock;
  });
  // Replies may carry sealed responses and tokens: no cache keeps them.
  server->set_default_headers({{"Cache-Control", "no-store"}, {"X-Content-Type-Options", "nosniff"}});

  server->set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return before_reading_body(req, res); });
  server->set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& req, httplib::Response& res) { return problem_for_status(req, res); }));
  server->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send_problem(ProblemKind::ServerError, "the server failed; try again later", res);
    t_log_note = "unexpected exception in the HTTP layer";
  });
  server->set_logger([this](const httplib::Request& req, const httplib::Response& res) { log_request(req, res); });

  using S = CentralService;
  using R = const ServiceRequest&;
  server->Get(protocol::kHealthPath, endpoint([](S& s, R r) { return s.health(r); }));
  server->Post(protocol::kEnrolPath, endpoint([](S& s, R r) { return s.enrol(r); }));
  server->Post(protocol::kBatchesPath, endpoint([](S& s, R r) { return s.upload_batch(r); }));
  server->Post(protocol::kHeartbeatPath, endpoint([](S& s, R r) { return s.heartbeat(r); }));
  server->Post(protocol::kAdminEnrolTokensPath, endpoint([](S& s, R r) { return s.create_enrol_token(r); }));
  server->Get(protocol::kAdminFleetPath, endpoint([](S& s, R r) { return s.fleet(r); }));
  server->Get(protocol::kAdminResponsesPath, endpoint([](S& s, R r) { return s.export_responses(r); }));
  server->Post(protocol::kAdminSurveysPath, endpoint([](S& s, R r) { return s.publish_survey(r); }));
  server->Get(protocol::kAdminSurveysPath, endpoint([](S& s, R r) { return s.admin_surveys(r); }));
  server->Get(protocol::kSurveysPath, endpoint([](S& s, R r) { return s.surveys(r); }));
  server->Post(protocol::kAdminImportPath, endpoint([](S& s, R r) { return s.import_responses(r); }));
  server->Post(protocol::kAdminRostersPath, endpoint([](S& s, R r) { return s.publish_roster(r); }));
  server->Get(protocol::kRostersPath, endpoint([](S& s, R r) { return s.rosters(r); }));
  server->Post(R"(/v1/admin/devices/([0-9a-f]{32})/revoke)",
               [this](const httplib::Request& req, httplib::Response& res) {
                 send(service.revoke_device(to_service_request(req), req.matches[1].str()), res);
               });
}

httplib::Server::HandlerResponse HttpServer::Impl::before_reading_body(const httplib::Request& req,
                                                                       httplib::Response& res) {
  t_request_start = std::chrono::steady_clock::now();
  t_log_note.clear();
  if (refusing_connections_on_this_thread()) {
    // Plain HTTP only: over TLS such a connection never gets this far (connection_limit.h).
    send_problem(ProblemKind::ServerBusy, "the server holds as many connections as it takes; try again shortly", res,
                 true);
    res.set_header("Retry-After", "5");
    return httplib::Server::HandlerResponse::Handled;
  }
  if (!has_body_method(req.method)) return httplib::Server::HandlerResponse::Unhandled;
  // cpp-httplib 0.11 bounds only bodies with a Content-Length: a chunked body or one read to
  // the end of the connection could grow without limit, and a compressed one would be inflated.
  if (req.has_header("Transfer-Encoding")) {
    send_problem(ProblemKind::LengthRequired, "chunked bodies are not read; send the body with a Content-Length", res,
                 true);
    return httplib::Server::HandlerResponse::Handled;
  }
  if (!req.has_header("Content-Length")) {
    send_problem(ProblemKind::LengthRequired, "a request with a body must give its Content-Length", res, true);
    return httplib::Server::HandlerResponse::Handled;
  }
  if (req.has_header("Content-Encoding") && req.get_header_value("Content-Encoding") != "identity") {
    send_problem(ProblemKind::UnsupportedMediaType, "compressed bodies are not read; send plain application/json", res,
                 true);
    return httplib::Server::HandlerResponse::Handled;
  }
  return httplib::Server::HandlerResponse::Unhandled;
}

httplib::Server::HandlerResponse HttpServer::Impl::problem_for_status(const httplib::Request& req,
                                                                      httplib::Response& res) {
  // Our endpoints' refusals already carry a problem body; this is for cpp-httplib's own.
  if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
  switch (res.status) {
    case 404: {
      std::string allowed;
      for (const Route& route : routes()) {
        if (!std::regex_match(req.path, route.pattern)) continue;
        if (!allowed.empty()) allowed += ", ";
        allowed += route.method;
      }
      if (!allowed.empty()) {
        res.set_header("Allow", allowed);
        send_problem(ProblemKind::MethodNotAllowed, "this endpoint takes " + allowed, res);
      } else {
        send_problem(ProblemKind::NotFound, "there is no such endpoint (docs/protocol.md lists them)", res);
      }
      break;
    }
    case 413:
      send_problem(
          ProblemKind::BodyTooLarge,
          "the body is larger than this server's limit of " + std::to_string(settings.limits.max_body_bytes) + " bytes",
          res);
      break;
    case 400: send_problem(ProblemKind::MalformedRequest, "the request could not be read", res); break;
    default: {
      int status = res.status;
      Problem problem{status, "about:blank", "HTTP status " + std::to_string(status), "", nlohmann::json::object()};
      res.set_content(protocol::to_json(problem), protocol::kProblemContentType);
    }
  }
  return httplib::Server::HandlerResponse::Handled;
}

void HttpServer::Impl::log_request(const httplib::Request& req, const httplib::Response& res) {
  auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t_request_start);
  std::string line = req.method + " " + loggable(req.path) + " " + std::to_string(res.status) + " " +
                     loggable(req.remote_addr, 64) + " " + std::to_string(elapsed.count()) + " ms";
  if (!t_log_note.empty()) line += ": " + t_log_note;
  log_line(res.status >= 500 ? LogLevel::Error : res.status >= 400 ? LogLevel::Warning : LogLevel::Info, line);
  t_log_note.clear();
  if (deadline) deadline->request_done();
}

HttpServer::HttpServer(CentralService& service, HttpServerSettings settings)
    : impl_(std::make_unique<Impl>(service, std::move(settings))) {
  impl_->build();
}

HttpServer::~HttpServer() = default;

int HttpServer::bind() {
  const HttpServerSettings& s = impl_->settings;
  int port = s.port;
  if (port == 0) {
    port = impl_->server->bind_to_any_port(s.address);
  } else if (!impl_->server->bind_to_port(s.address, port)) {
    port = -1;
  }
  if (port < 0) {
    throw Error("cannot listen on " + s.address + " port " + std::to_string(s.port) +
                " (in use, not an address of this machine, or a port below 1024 without the right)");
  }
  // cpp-httplib 0.11 listens with a backlog of 5: two hundred kiosks coming back online at once
  // overflowed it and waited out TCP's 1-3 s retransmit (docs/benchmarks.md). Listening again
  // on the bound socket raises the backlog to the system's limit.
  if (impl_->listening_socket >= 0) ::listen(impl_->listening_socket, SOMAXCONN);
  return port;
}

bool HttpServer::run() {
  return impl_->server->listen_after_bind();
}

void HttpServer::stop() {
  impl_->server->stop();
}

}  // namespace tt::central

#pragma once
// The HTTP(S) face of CentralService, on cpp-httplib (this header hides it; http_server.cpp is
// the one file that includes it). It translates requests and replies, and enforces what must be
// decided before a body is read:
//   - HTTPS only (TLS 1.2+, tls_identity.h) unless constructed without a TLS identity, which
//     serve allows only behind --insecure-http-for-tests;
//   - a body must have a Content-Length (411; chunked bodies are never read) and no
//     Content-Encoding (415: no decompression bombs); more than max_body_bytes is 413;
//   - read and write timeouts for slow clients, and a total time limit per request on TLS
//     connections (request_deadline.h); a bounded pool of worker threads;
//   - unknown paths 404 and wrong methods 405, as problem details like every other error.
// One log line per request (server_log.h).
#include <memory>
#include <optional>
#include <string>

#include "sync/central/central_config.h"
#include "sync/central/central_service.h"
#include "sync/central/tls_identity.h"

namespace tt::central {

struct HttpServerSettings {
  std::string address = "127.0.0.1";
  int port = 0;                    // 0: any free port (bind() says which)
  std::optional<TlsIdentity> tls;  // nullopt: plain HTTP, for tests only
  Limits limits;
};

class HttpServer {
 public:
  // Throws tt::Error when TLS cannot be set up (the message says why).
  HttpServer(CentralService& service, HttpServerSettings settings);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the listening socket; returns the port. Throws tt::Error when it cannot.
  int bind();
  // Serves until stop(); false if the server failed to listen.
  bool run();
  // Stops run() (from another thread: a signal watcher).
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tt::central

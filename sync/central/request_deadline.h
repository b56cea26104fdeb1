#pragma once
// A total time limit per request on the server's TLS connections. cpp-httplib's read timeout
// bounds each read, so a client that trickles a byte just inside it could hold a worker thread
// for as long as it likes; this bounds the whole of it.
//
// How: OpenSSL tells us (the context's info callback, on the worker thread doing the handshake)
// when a connection starts, and (an SSL ex_data free callback) when its SSL object is freed,
// which cpp-httplib does before it closes the socket. Between the two the connection is in a
// registry with the time its current request began: the handshake, then the end of each request
// (request_done(), from the HTTP layer's logger on the same thread). A watchdog thread shuts
// down the socket of any connection whose request has lasted longer than the limit; the worker's
// next read or write fails and it closes the connection. The registry's mutex is held across
// the shutdown and the deregistration, so a socket number reused after close is never touched.
//
// The limit covers the keep-alive wait, the headers, the body, the endpoint and the reply.
// Plain HTTP (--insecure-http-for-tests) has no deadline. The same handshake callback refuses
// connections beyond limits.max_connections (connection_limit.h).
#include <openssl/ssl.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace tt::central {

class RequestDeadline {
 public:
  // Starts the watchdog. `limit` must be positive.
  explicit RequestDeadline(std::chrono::milliseconds limit);
  ~RequestDeadline();  // stops the watchdog
  RequestDeadline(const RequestDeadline&) = delete;
  RequestDeadline& operator=(const RequestDeadline&) = delete;

  // Watches every connection made with `context` from now on.
  void attach(SSL_CTX* context);
  // The calling worker thread's request is over: its connection's next request is timed from now.
  void request_done();

 private:
  struct Connection {
    int fd = -1;
    std::chrono::steady_clock::time_point request_start;
    bool shut = false;
  };
  static void on_info(const SSL* ssl, int where, int ret);
  static void on_free(void* parent, void* ptr, CRYPTO_EX_DATA* ad, int index, long argl, void* argp);
  void started(SSL* ssl);
  void forget(const SSL* ssl);
  void watch();

  std::chrono::milliseconds limit_;
  int ssl_index_ = -1;      // SSL ex_data: this object, on every watched connection
  int context_index_ = -1;  // SSL_CTX ex_data: this object
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::unordered_map<const SSL*, Connection> connections_;
  std::thread watchdog_;
};

}  // namespace tt::central

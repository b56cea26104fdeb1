#pragma once
// One HTTPS connection to the central server, for the kiosk's uploader and the central team's
// tool: libcurl with certificate verification always on, the server's public key pinned
// (CURLOPT_PINNEDPUBLICKEY, "sha256//…" from enrolment) and its certificate as the trust anchor
// (CURLOPT_CAINFO_BLOB) when it is self-signed; connect, low-speed and total timeouts; a cap on
// how much of a reply is read. The handle is kept between requests, so a batch after a batch
// reuses the TLS session.
//
// Transport failures throw TransportError with a kind a caller reacts to (a pin mismatch is not
// retried like a refused connection) and a message naming the server and what went wrong —
// never a request's body or headers. An HTTP status of any kind is a reply, not an error: what
// a 200 means is the caller's to decide (a captive portal answers 200 too).
#include <atomic>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "shared/common/error.h"

namespace tt::sync {

struct ServerEndpoint {
  std::string base_url;                           // "https://central.example:8443" (no path)
  std::optional<std::string> pinned_public_key;   // "sha256//base64": refuse any other key
  std::optional<std::string> ca_certificate_pem;  // trust this (self-signed) certificate
  bool allow_plain_http = false;                  // only for tests against --insecure-http-for-tests
};

struct HttpTimeouts {
  long connect_ms = 10'000;
  long low_speed_bytes_per_second = 64;  // slower than this …
  long low_speed_seconds = 20;           // … for this long aborts the transfer
  long total_ms = 120'000;
  // When set and it becomes true, a transfer in flight is abandoned within about a second
  // (libcurl's progress callback), so a stopping uploader need not wait out a stalled server.
  const std::atomic<bool>* cancel = nullptr;
};

struct HttpRequest {
  std::string method = "GET";  // GET or POST
  std::string target;          // "/v1/batches", with any query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // sent with Content-Type application/json when not empty (or POST)
};

struct HttpReply {
  long status = 0;
  std::string content_type;  // as sent, lower-cased
  std::string body;
};

enum class TransportErrorKind {
  Refused,        // could not connect (refused, unreachable, no such host)
  Timeout,        // connect, low-speed or total timeout
  PinMismatch,    // the server's key is not the pinned one
  Certificate,    // certificate verification failed
  Tls,            // another TLS failure (handshake, protocol version)
  ReplyTooLarge,  // the reply was longer than max_reply_bytes
  Cancelled,      // HttpTimeouts::cancel became true
  Broken,         // the connection dropped, or anything else
};

class TransportError : public Error {
 public:
  TransportError(TransportErrorKind kind, const std::string& message) : Error(message), kind_(kind) {}
  TransportErrorKind kind() const { return kind_; }

 private:
  TransportErrorKind kind_;
};

const char* describe(TransportErrorKind kind);

class HttpsClient {
 public:
  static constexpr std::size_t kDefaultMaxReplyBytes = 64 * 1024 * 1024;

  // Throws Error for a URL that is not https:// (or http:// with allow_plain_http).
  explicit HttpsClient(ServerEndpoint endpoint, HttpTimeouts timeouts = {},
                       std::size_t max_reply_bytes = kDefaultMaxReplyBytes);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // Sends one request and returns the reply, or throws TransportError.
  HttpReply send(const HttpRequest& request);

  const ServerEndpoint& endpoint() const { return endpoint_; }

 private:
  ServerEndpoint endpoint_;
  HttpTimeouts timeouts_;
  std::size_t max_reply_bytes_;
  void* curl_ = nullptr;  // CURL*
};

}  // namespace tt::sync

#include "sync/client/https_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace tt::sync {

namespace {

// curl_global_init is not thread-safe before libcurl 7.84's flag; do it once.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

struct ReplySink {
  std::string body;
  std::size_t max_bytes = 0;
  bool too_large = false;
};

std::size_t write_reply(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<ReplySink*>(user);
  std::size_t n = size * count;
  if (sink->body.size() + n > sink->max_bytes) {
    sink->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  sink->body.append(data, n);
  return n;
}

// libcurl calls this at least once a second while a transfer runs, stalled or not.
int cancel_if_asked(void* flag, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(flag)->load() ? 1 : 0;
}

TransportErrorKind kind_of(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return TransportErrorKind::Refused;
    case CURLE_OPERATION_TIMEDOUT: return TransportErrorKind::Timeout;
    case CURLE_ABORTED_BY_CALLBACK: return TransportErrorKind::Cancelled;
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH: return TransportErrorKind::PinMismatch;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE: return TransportErrorKind::Certificate;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_USE_SSL_FAILED: return TransportErrorKind::Tls;
    default: return TransportErrorKind::Broken;
  }
}

}  // namespace

const char* describe(TransportErrorKind kind) {
  switch (kind) {
    case TransportErrorKind::Refused: return "could not connect";
    case TransportErrorKind::Timeout: return "timed out";
    case TransportErrorKind::PinMismatch: return "the server's key is not the one pinned at enrolment";
    case TransportErrorKind::Certificate: return "the server's certificate did not verify";
    case TransportErrorKind::Tls: return "the TLS handshake failed";
    case TransportErrorKind::ReplyTooLarge: return "the reply was too large";
    case TransportErrorKind::Cancelled: return "stopped before the server replied";
    case TransportErrorKind::Broken: return "the connection failed";
  }
  return "the connection failed";
}

HttpsClient::HttpsClient(ServerEndpoint endpoint, HttpTimeouts timeouts, std::size_t max_reply_bytes)
    : endpoint_(std::move(endpoint)), timeouts_(timeouts), max_reply_bytes_(max_reply_bytes) {
  while (!endpoint_.base_url.empty() && endpoint_.base_url.back() == '/') endpoint_.base_url.pop_back();
  bool https = starts_with(endpoint_.base_url, "https://");
  bool http = starts_with(endpoint_.base_url, "http://");
  if (!https && !(http && endpoint_.allow_plain_http))
    throw Error("the server URL \"" + endpoint_.base_url + "\" must start with https://");
  init_curl_once();
  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw Error("cannot start libcurl");
}

HttpsClient::~HttpsClient() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpReply HttpsClient::send(const HttpRequest& request) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);  // keeps the connection and TLS session caches
  std::string url = endpoint_.base_url + request.target;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, endpoint_.allow_plain_http ? "https,http" : "https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect is a reply, never followed
  curl_easy_setopt(curl, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (endpoint_.pinned_public_key)
    curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, endpoint_.pinned_public_key->c_str());
  curl_blob ca{};
  if (endpoint_.ca_certificate_pem) {
    ca.data = endpoint_.ca_certificate_pem->data();
    ca.len = endpoint_.ca_certificate_pem->size();
    ca.flags = CURL_BLOB_COPY;
    curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &ca);
  }
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeouts_.connect_ms);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, timeouts_.low_speed_bytes_per_second);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, timeouts_.low_speed_seconds);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeouts_.total_ms);
  if (timeouts_.cancel != nullptr) {
    if (timeouts_.cancel->load()) {
      throw TransportError(TransportErrorKind::Cancelled,
                           request.method + " " + url + ": " + describe(TransportErrorKind::Cancelled));
    }
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, cancel_if_asked);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, timeouts_.cancel);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  }
  // The environment's proxy settings apply (a school's filtering proxy); the pin still holds.

  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) headers = curl_slist_append(headers, (name + ": " + value).c_str());
  headers = curl_slist_append(headers, "Accept: application/json");
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  if (request.method == "POST") {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method != "GET") {
    curl_slist_free_all(headers);
    throw Error("unsupported HTTP method " + request.method);
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  ReplySink sink;
  sink.max_bytes = max_reply_bytes_;
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_reply);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);

  CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  if (code != CURLE_OK) {
    TransportErrorKind kind = sink.too_large ? TransportErrorKind::ReplyTooLarge : kind_of(code);
    std::string detail = error_buffer[0] != 0 ? error_buffer : curl_easy_strerror(code);
    throw TransportError(
        kind, request.method + " " + endpoint_.base_url + request.target + ": " + describe(kind) + " (" + detail + ")");
  }
  HttpReply reply;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  char* content_type = nullptr;
  curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type != nullptr) {
    reply.content_type = content_type;
    std::transform(reply.content_type.begin(), reply.content_type.end(), reply.content_type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  reply.body = std::move(sink.body);
  return reply;
}

}  // namespace tt::sync

#include "tests/sync_faults/proxy_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "shared/common/error.h"

namespace tt::sync::testing {

namespace {

constexpr std::size_t kMaxMessageBytes = 16 * 1024 * 1024;

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

std::string openssl_reason() {
  unsigned long code = ERR_get_error();
  if (code == 0) return "no reason given";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

// The value of Content-Length in a header block (0 when absent).
std::optional<std::size_t> content_length(std::string_view headers) {
  std::string lower(headers);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  auto at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return 0;
  at += 17;
  while (at < lower.size() && lower[at] == ' ') ++at;
  std::size_t value = 0;
  bool digits = false;
  while (at < lower.size() && std::isdigit(static_cast<unsigned char>(lower[at]))) {
    value = value * 10 + static_cast<std::size_t>(lower[at++] - '0');
    digits = true;
    if (value > kMaxMessageBytes) return std::nullopt;
  }
  if (!digits) return std::nullopt;
  return value;
}

}  // namespace

int listen_on_loopback(int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw Error(std::string("fault proxy: socket: ") + std::strerror(errno));
  int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address = loopback(0);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd, 256) != 0) {
    std::string reason = std::strerror(errno);
    ::close(fd);
    throw Error("fault proxy: listen on 127.0.0.1: " + reason);
  }
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

int connect_to_loopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address = loopback(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  int yes = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  return fd;
}

void set_socket_timeouts(int fd, std::chrono::milliseconds limit) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(limit.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((limit.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

SSL_CTX* make_server_context(const std::filesystem::path& certificate, const std::filesystem::path& private_key) {
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (context == nullptr) throw Error("fault proxy: SSL_CTX_new: " + openssl_reason());
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate_chain_file(context, certificate.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(context, private_key.c_str(), SSL_FILETYPE_PEM) != 1) {
    std::string reason = openssl_reason();
    SSL_CTX_free(context);
    throw Error("fault proxy: the central server's certificate " + certificate.string() + ": " + reason);
  }
  return context;
}

SSL_CTX* make_client_context() {
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  if (context == nullptr) throw Error("fault proxy: SSL_CTX_new: " + openssl_reason());
  SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nullptr);
  return context;
}

std::optional<TlsStream> TlsStream::accept(SSL_CTX* context, int fd) {
  SSL* ssl = SSL_new(context);
  if (ssl == nullptr) return std::nullopt;
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) != 1) {
    ERR_clear_error();
    SSL_free(ssl);
    return std::nullopt;
  }
  return TlsStream(ssl);
}

std::optional<TlsStream> TlsStream::connect(SSL_CTX* context, int fd) {
  SSL* ssl = SSL_new(context);
  if (ssl == nullptr) return std::nullopt;
  SSL_set_fd(ssl, fd);
  if (SSL_connect(ssl) != 1) {
    ERR_clear_error();
    SSL_free(ssl);
    return std::nullopt;
  }
  return TlsStream(ssl);
}

TlsStream::TlsStream(TlsStream&& other) noexcept : ssl_(other.ssl_), pending_(std::move(other.pending_)) {
  other.ssl_ = nullptr;
}

TlsStream::~TlsStream() {
  if (ssl_ == nullptr) return;
  // A quiet shutdown: the proxy often hangs up on purpose, and must not block saying goodbye.
  SSL_set_quiet_shutdown(ssl_, 1);
  SSL_free(ssl_);
}

bool TlsStream::write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    std::size_t written = 0;
    if (SSL_write_ex(ssl_, bytes.data(), bytes.size(), &written) != 1) {
      ERR_clear_error();
      return false;
    }
    bytes.remove_prefix(written);
  }
  return true;
}

std::optional<std::string> TlsStream::read_message() {
  std::string buffer = std::move(pending_);
  pending_.clear();
  std::optional<std::size_t> total;
  for (;;) {
    if (!total) {
      auto end = buffer.find("\r\n\r\n");
      if (end != std::string::npos) {
        auto body = content_length(std::string_view(buffer).substr(0, end + 2));
        if (!body) return std::nullopt;
        total = end + 4 + *body;
      }
    }
    if (total && buffer.size() >= *total) {
      pending_ = buffer.substr(*total);
      buffer.resize(*total);
      return buffer;
    }
    if (buffer.size() > kMaxMessageBytes) return std::nullopt;
    char chunk[16384];
    std::size_t got = 0;
    if (SSL_read_ex(ssl_, chunk, sizeof chunk, &got) != 1) {
      ERR_clear_error();
      return std::nullopt;
    }
    buffer.append(chunk, got);
  }
}

int status_of_reply(std::string_view message) {
  // "HTTP/1.1 200 OK"
  if (message.size() < 12 || message.substr(0, 5) != "HTTP/") return 0;
  auto space = message.find(' ');
  if (space == std::string_view::npos || space + 4 > message.size()) return 0;
  int status = 0;
  for (std::size_t i = space + 1; i < space + 4; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(message[i]))) return 0;
    status = status * 10 + (message[i] - '0');
  }
  return status;
}

}  // namespace tt::sync::testing

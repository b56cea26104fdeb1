#pragma once
// The fault proxy's plumbing: loopback TCP sockets, a blocking TLS connection over one (the
// proxy's server end towards the kiosk, or its client end towards the real server), and reading
// one whole HTTP/1.1 message (headers and a Content-Length body) from either. Test code only:
// every socket has a receive timeout, so a peer that goes quiet cannot hang a test.
#include <openssl/ssl.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace tt::sync::testing {

// A socket listening on 127.0.0.1 on a free port; throws tt::Error.
int listen_on_loopback(int& port);
// A connected socket to 127.0.0.1:port, or -1 when nothing listens there.
int connect_to_loopback(int port);
// Reads and writes on `fd` give up after `limit` without progress.
void set_socket_timeouts(int fd, std::chrono::milliseconds limit);

// The SSL_CTX the proxy answers kiosks with: the central server's own certificate and key, so
// a pinned kiosk accepts the proxy's replies and it is their content that must be refused.
SSL_CTX* make_server_context(const std::filesystem::path& certificate, const std::filesystem::path& private_key);
// The SSL_CTX the proxy reaches the real server with (no verification: the test's own server).
SSL_CTX* make_client_context();

// One TLS connection over a socket the caller owns (and closes, after this is gone).
class TlsStream {
 public:
  // TLS accept (server end) or connect (client end) on `fd`; nullopt when the handshake fails.
  static std::optional<TlsStream> accept(SSL_CTX* context, int fd);
  static std::optional<TlsStream> connect(SSL_CTX* context, int fd);
  TlsStream(TlsStream&& other) noexcept;
  TlsStream& operator=(TlsStream&&) = delete;
  TlsStream(const TlsStream&) = delete;
  ~TlsStream();

  bool write_all(std::string_view bytes);
  // One HTTP/1.1 message: the header block and as many body bytes as its Content-Length says.
  // nullopt when the peer closes or stalls first, or the message is over 16 MiB.
  std::optional<std::string> read_message();

 private:
  explicit TlsStream(SSL* ssl) : ssl_(ssl) {}
  SSL* ssl_ = nullptr;
  std::string pending_;  // bytes read past the last message
};

// The status code of an HTTP reply's status line, or 0.
int status_of_reply(std::string_view message);

}  // namespace tt::sync::testing

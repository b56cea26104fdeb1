#pragma once
// A TLS connection to the test server by hand (OpenSSL), so a test decides when the handshake
// happens and how slowly each byte goes: the slow-client and connection-limit tests. It does not
// check the server's certificate: that is not what those tests are about.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string_view>

namespace tt::central::testing {

class RawTlsClient {
 public:
  // Connects over TCP to 127.0.0.1:port; the handshake waits for handshake().
  explicit RawTlsClient(int port) {
    context_ = SSL_CTX_new(TLS_client_method());
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    tcp_connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    timeval limit{5, 0};  // a test never hangs on a server that neither answers nor closes
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ssl_ = SSL_new(context_);
    SSL_set_fd(ssl_, fd_);
  }
  ~RawTlsClient() {
    SSL_free(ssl_);
    ::close(fd_);
    SSL_CTX_free(context_);
  }
  RawTlsClient(const RawTlsClient&) = delete;
  RawTlsClient& operator=(const RawTlsClient&) = delete;

  bool tcp_connected() const { return tcp_connected_; }
  bool handshake() { return tcp_connected_ && SSL_connect(ssl_) == 1; }
  bool send(std::string_view text) {
    return SSL_write(ssl_, text.data(), static_cast<int>(text.size())) == static_cast<int>(text.size());
  }

 private:
  SSL_CTX* context_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  bool tcp_connected_ = false;
};

}  // namespace tt::central::testing

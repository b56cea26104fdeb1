#include "sync/uploader/certificate_probe.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <memory>

#include "shared/protocol/digest.h"
#include "sync/client/https_client.h"

namespace tt::sync {

namespace {

struct HostPort {
  std::string host;
  std::string port = "443";
};

HostPort host_and_port(const std::string& url) {
  const std::string scheme = "https://";
  if (url.compare(0, scheme.size(), scheme) != 0)
    throw Error("the server URL \"" + url + "\" must start with https://");
  std::string authority = url.substr(scheme.size());
  authority = authority.substr(0, authority.find_first_of("/?#"));
  HostPort out;
  if (!authority.empty() && authority[0] == '[') {  // [IPv6]:port
    std::size_t close = authority.find(']');
    if (close == std::string::npos) throw Error("the server URL \"" + url + "\" has an unclosed [");
    out.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') out.port = authority.substr(close + 2);
  } else {
    std::size_t colon = authority.rfind(':');
    out.host = authority.substr(0, colon);
    if (colon != std::string::npos) out.port = authority.substr(colon + 1);
  }
  if (out.host.empty() || out.port.empty()) throw Error("the server URL \"" + url + "\" names no host");
  return out;
}

bool is_ip_literal(const std::string& host) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 || inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

std::string openssl_reason() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no reason given";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

// A connected TCP socket, with send and receive timeouts (which also bound connect on Linux).
int connect_to(const HostPort& where, const std::string& url, long timeout_ms) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(where.host.c_str(), where.port.c_str(), &hints, &found) != 0 || found == nullptr)
    throw TransportError(TransportErrorKind::Refused,
                         url + ": " + describe(TransportErrorKind::Refused) + " (cannot resolve " + where.host + ")");
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);
  timeval timeout{timeout_ms / 1000, static_cast<suseconds_t>((timeout_ms % 1000) * 1000)};
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) return fd;
    ::close(fd);
  }
  throw TransportError(TransportErrorKind::Refused, url + ": " + describe(TransportErrorKind::Refused));
}

}  // namespace

std::string certificate_pin(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> certificate(
      bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr, X509_free);
  if (!certificate) {
    ERR_clear_error();
    throw Error("the server's certificate is not a PEM certificate");
  }
  unsigned char* der = nullptr;
  int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(certificate.get()), &der);
  if (length <= 0) throw Error("cannot read the server certificate's public key: " + openssl_reason());
  protocol::Sha256 digest = protocol::sha256(ByteView(der, static_cast<std::size_t>(length)));
  OPENSSL_free(der);
  return "sha256//" + to_base64(digest);
}

ProbedCertificate probe_server_certificate(const std::string& url, long timeout_ms) {
  HostPort where = host_and_port(url);
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
  if (!context) throw Error("cannot start TLS: " + openssl_reason());
  SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
  SSL_CTX_set_verify(context.get(), SSL_VERIFY_NONE, nullptr);  // the caller checks the pin
  int fd = connect_to(where, url, timeout_ms);
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(context.get()), SSL_free);
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) {
    ::close(fd);
    throw Error("cannot start TLS: " + openssl_reason());
  }
  if (!is_ip_literal(where.host)) SSL_set_tlsext_host_name(ssl.get(), where.host.c_str());
  if (SSL_connect(ssl.get()) != 1) {
    std::string reason = openssl_reason();
    ::close(fd);
    throw TransportError(TransportErrorKind::Tls, url + ": " + describe(TransportErrorKind::Tls) + " (" + reason + ")");
  }
  std::unique_ptr<X509, decltype(&X509_free)> peer(SSL_get1_peer_certificate(ssl.get()), X509_free);
  SSL_shutdown(ssl.get());
  ::close(fd);
  if (!peer) throw TransportError(TransportErrorKind::Tls, url + ": the server presented no certificate");
  std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
  if (!out || PEM_write_bio_X509(out.get(), peer.get()) != 1)
    throw Error("cannot write the certificate: " + openssl_reason());
  char* data = nullptr;
  long size = BIO_get_mem_data(out.get(), &data);
  ProbedCertificate probed;
  probed.certificate_pem.assign(data, static_cast<std::size_t>(size));
  probed.pin = certificate_pin(probed.certificate_pem);
  return probed;
}

}  // namespace tt::sync

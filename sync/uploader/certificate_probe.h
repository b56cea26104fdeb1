#pragma once
// The server's certificate as it presents it, fetched with a bare TLS handshake that does not
// verify it — only for enrolment with an expected pin, where the pin (checked by the caller
// against the certificate's key) is what establishes trust. No HTTP is spoken and nothing is
// sent but the handshake. A direct connection: proxies in the environment are not used.
#include <string>

namespace tt::sync {

struct ProbedCertificate {
  std::string certificate_pem;  // the leaf certificate
  std::string pin;              // "sha256//" + base64(SHA-256(DER SubjectPublicKeyInfo))
};

// `url` is https://HOST[:PORT][/...]. Throws TransportError (Refused, Timeout, Tls) naming the
// server.
ProbedCertificate probe_server_certificate(const std::string& url, long timeout_ms = 10'000);

// The pin of the first certificate in `pem`; throws tt::Error when it is not one.
std::string certificate_pin(const std::string& pem);

}  // namespace tt::sync

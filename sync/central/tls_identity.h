#pragma once
// The server's TLS certificate and key, and the public-key pin kiosks keep from enrolment.
//
// - Given files are used as they are (a certificate chain PEM and its private key PEM).
// - With none given and none in the data directory yet, a self-signed ECDSA P-256 certificate
//   is made (valid 10 years, subjectAltName = the configured names; the key file mode 0600).
//   Kiosks trust it through the pin, so its expiry must not come before the tablets' end of life.
// - The pin is "sha256//" + base64(SHA-256(DER SubjectPublicKeyInfo)), the form libcurl's
//   CURLOPT_PINNEDPUBLICKEY takes; it survives renewing the certificate on the same key.
#include <openssl/ssl.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace tt::central {

struct TlsIdentity {
  std::filesystem::path certificate_file;
  std::filesystem::path private_key_file;
  std::string certificate_pem;
  std::string pin;
  bool created = false;  // made now, on this first run
};

// Loads the pair, or creates a self-signed one when both files are missing and `create` is
// set. Throws tt::Error naming the file: only one of the two exists, a key readable by group or
// others, a certificate and key that do not belong together.
TlsIdentity load_or_create_tls_identity(const std::filesystem::path& certificate_file,
                                        const std::filesystem::path& private_key_file,
                                        const std::vector<std::string>& names, bool create);

// The pin of the first certificate in `pem`. Throws tt::Error when it is not a certificate.
std::string public_key_pin_of_certificate(std::string_view pem);

// TLS 1.2 or newer only, no compression or renegotiation, this certificate and key. Throws
// tt::Error with OpenSSL's reason.
void configure_server_tls(SSL_CTX* context, const TlsIdentity& identity);

}  // namespace tt::central

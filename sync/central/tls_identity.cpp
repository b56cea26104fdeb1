#include "sync/central/tls_identity.h"

#include <arpa/inet.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <memory>

#include "shared/common/error.h"
#include "shared/common/files.h"
#include "shared/protocol/digest.h"

namespace tt::central {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

std::string openssl_reason() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no reason given";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  return buffer;
}

[[noreturn]] void fail(const std::string& operation, const char* call) {
  throw Error(operation + ": " + call + " failed: " + openssl_reason());
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

X509Ptr certificate_from_pem(std::string_view pem, const std::string& operation) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) fail(operation, "BIO_new_mem_buf");
  X509Ptr certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!certificate) throw Error(operation + ": not a PEM certificate (" + openssl_reason() + ")");
  return certificate;
}

std::string subject_alt_names(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    unsigned char address[16];
    bool ip = inet_pton(AF_INET, name.c_str(), address) == 1 || inet_pton(AF_INET6, name.c_str(), address) == 1;
    if (!out.empty()) out += ',';
    out += ip ? "IP:" : "DNS:";
    out += name;
  }
  return out;
}

void add_extension(X509* certificate, int nid, const std::string& value, const std::string& operation) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
  if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1) fail(operation, "X509_add_ext");
}

// A self-signed ECDSA P-256 certificate for `names`; returns {certificate PEM, PKCS#8 key PEM}.
std::pair<std::string, std::string> make_self_signed(const std::vector<std::string>& names) {
  const std::string operation = "create a self-signed certificate";
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) fail(operation, "EVP_EC_gen");
  X509Ptr certificate(X509_new());
  if (!certificate) fail(operation, "X509_new");
  X509_set_version(certificate.get(), X509_VERSION_3);
  BignumPtr serial(BN_new());
  if (!serial || BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate.get()))) {
    fail(operation, "BN_rand");
  }
  // An hour back, for clocks a little behind; ten years on, beyond a tablet's working life.
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(certificate.get(), key.get());
  X509_NAME* subject = X509_get_subject_name(certificate.get());
  X509_NAME_add_entry_by_txt(
      subject, "CN", MBSTRING_UTF8,
      reinterpret_cast<const unsigned char*>(names.empty() ? "tutortime-central" : names.front().c_str()), -1, -1, 0);
  X509_set_issuer_name(certificate.get(), subject);
  add_extension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE", operation);
  add_extension(certificate.get(), NID_ext_key_usage, "serverAuth", operation);
  add_extension(certificate.get(), NID_subject_key_identifier, "hash", operation);
  if (!names.empty()) add_extension(certificate.get(), NID_subject_alt_name, subject_alt_names(names), operation);
  if (X509_sign(certificate.get(), key.get(), EVP_sha256()) == 0) fail(operation, "X509_sign");

  Bio certificate_bio(BIO_new(BIO_s_mem()));
  Bio key_bio(BIO_new(BIO_s_mem()));
  if (!certificate_bio || !key_bio || PEM_write_bio_X509(certificate_bio.get(), certificate.get()) != 1 ||
      PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    fail(operation, "PEM_write_bio");
  }
  return {bio_text(certificate_bio.get()), bio_text(key_bio.get())};
}

void refuse_readable_by_others(const std::filesystem::path& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) return;  // reading it will say what is wrong
  if ((info.st_mode & 077) != 0) {
    throw Error("TLS private key " + file.string() + " is readable or writable by others: chmod 600 " + file.string());
  }
}

}  // namespace

std::string public_key_pin_of_certificate(std::string_view pem) {
  const std::string operation = "public-key pin";
  X509Ptr certificate = certificate_from_pem(pem, operation);
  EVP_PKEY* key = X509_get0_pubkey(certificate.get());
  if (key == nullptr) fail(operation, "X509_get0_pubkey");
  int size = i2d_PUBKEY(key, nullptr);
  if (size <= 0) fail(operation, "i2d_PUBKEY");
  Bytes der(static_cast<std::size_t>(size));
  unsigned char* out = der.data();
  if (i2d_PUBKEY(key, &out) != size) fail(operation, "i2d_PUBKEY");
  protocol::Sha256 digest = protocol::sha256(der);
  return "sha256//" + to_base64(digest);
}

TlsIdentity load_or_create_tls_identity(const std::filesystem::path& certificate_file,
                                        const std::filesystem::path& private_key_file,
                                        const std::vector<std::string>& names, bool create) {
  TlsIdentity identity{certificate_file, private_key_file, {}, {}, false};
  std::error_code ec;
  bool have_certificate = std::filesystem::exists(certificate_file, ec);
  bool have_key = std::filesystem::exists(private_key_file, ec);
  if (!have_certificate && !have_key && create) {
    auto [certificate_pem, key_pem] = make_self_signed(names);
    // The key first: a certificate without its key would block the next start.
    write_file_atomically(private_key_file, as_bytes(key_pem), 0600, false);
    write_file_atomically(certificate_file, as_bytes(certificate_pem), 0644, false);
    identity.created = true;
  } else if (have_certificate != have_key) {
    throw Error("TLS: " + (have_certificate ? private_key_file : certificate_file).string() + " is missing but " +
                (have_certificate ? certificate_file : private_key_file).string() +
                " exists; give both, or remove the other to have a new self-signed pair made");
  }
  refuse_readable_by_others(private_key_file);
  try {
    identity.certificate_pem = read_text_file(certificate_file);
    identity.pin = public_key_pin_of_certificate(identity.certificate_pem);
  } catch (const Error&) {
    rethrow_with_context("TLS certificate " + certificate_file.string());
  }
  return identity;
}

void configure_server_tls(SSL_CTX* context, const TlsIdentity& identity) {
  const std::string operation = "configure TLS";
  if (SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) != 1) fail(operation, "SSL_CTX_set_min_proto_version");
  SSL_CTX_set_options(context, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // TLS 1.2: forward-secret AEAD suites only (TLS 1.3's suites are all of that kind already).
  if (SSL_CTX_set_cipher_list(
          context,
          "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384:"
          "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384") != 1) {
    fail(operation, "SSL_CTX_set_cipher_list");
  }
  if (SSL_CTX_use_certificate_chain_file(context, identity.certificate_file.c_str()) != 1) {
    throw Error(operation + ": cannot use the certificate " + identity.certificate_file.string() + ": " +
                openssl_reason());
  }
  if (SSL_CTX_use_PrivateKey_file(context, identity.private_key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    throw Error(operation + ": cannot use the private key " + identity.private_key_file.string() + ": " +
                openssl_reason());
  }
  if (SSL_CTX_check_private_key(context) != 1) {
    throw Error(operation + ": the private key " + identity.private_key_file.string() +
                " does not belong to the certificate " + identity.certificate_file.string());
  }
}

}  // namespace tt::central

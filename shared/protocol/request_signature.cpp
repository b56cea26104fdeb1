#include "shared/protocol/request_signature.h"

#include "shared/crypto/ed25519.h"
#include "shared/crypto/random.h"
#include "shared/protocol/digest.h"
#include "shared/protocol/identifiers.h"
#include "shared/protocol/json_body.h"

namespace tt::protocol {

std::string canonical_request(std::string_view method, std::string_view target, std::string_view device_id,
                              std::int64_t timestamp, std::string_view nonce, ByteView body) {
  std::string out = kCanonicalRequestLabel;
  for (std::string_view part : {method, target, device_id}) {
    out += '\n';
    out += part;
  }
  out += '\n';
  out += std::to_string(timestamp);
  out += '\n';
  out += nonce;
  out += '\n';
  out += sha256_hex(body);
  return out;
}

RequestCredentials sign_request(std::string_view method, std::string_view target, ByteView body,
                                const std::string& device_id, ByteView device_private_seed, std::int64_t timestamp,
                                std::string nonce) {
  RequestCredentials c;
  c.device_id = device_id;
  c.timestamp = timestamp;
  c.nonce = nonce.empty() ? crypto::random_id128() : std::move(nonce);
  std::string canonical = canonical_request(method, target, c.device_id, c.timestamp, c.nonce, body);
  c.signature = crypto::ed25519_sign(device_private_seed, as_bytes(canonical));
  return c;
}

std::string timestamp_header_value(const RequestCredentials& credentials) {
  return std::to_string(credentials.timestamp);
}

std::string signature_header_value(const RequestCredentials& credentials) {
  return to_base64(credentials.signature);
}

RequestCredentials read_credentials_from(const std::optional<std::string>& device,
                                         const std::optional<std::string>& timestamp,
                                         const std::optional<std::string>& nonce,
                                         const std::optional<std::string>& signature) {
  auto missing = [](const char* name) { return ProtocolError(std::string("the header ") + name + " is missing"); };
  if (!device) throw missing(kHeaderDevice);
  if (!timestamp) throw missing(kHeaderTimestamp);
  if (!nonce) throw missing(kHeaderNonce);
  if (!signature) throw missing(kHeaderSignature);
  RequestCredentials c;
  if (!is_id128(*device)) {
    throw ProtocolError(std::string("the header ") + kHeaderDevice + " must be 32 lower-case hex digits");
  }
  c.device_id = *device;
  // Up to 12 digits: Unix seconds until the year 33658, and no overflow below.
  bool digits = !timestamp->empty() && timestamp->size() <= 12;
  for (char ch : *timestamp) digits = digits && ch >= '0' && ch <= '9';
  if (!digits) {
    throw ProtocolError(std::string("the header ") + kHeaderTimestamp + " must be Unix seconds (decimal digits)");
  }
  c.timestamp = std::stoll(*timestamp);
  if (!is_id128(*nonce)) {
    throw ProtocolError(std::string("the header ") + kHeaderNonce + " must be 32 lower-case hex digits");
  }
  c.nonce = *nonce;
  try {
    c.signature = from_base64(*signature);
  } catch (const Error&) {
    c.signature.clear();
  }
  if (c.signature.size() != crypto::kEd25519SignatureSize) {
    throw ProtocolError(std::string("the header ") + kHeaderSignature +
                        " must be the base64 of a 64-byte Ed25519 signature");
  }
  return c;
}

bool verify_request_signature(const RequestCredentials& credentials, std::string_view method, std::string_view target,
                              ByteView body, ByteView device_public_key) {
  if (device_public_key.size() != crypto::kEd25519KeySize ||
      credentials.signature.size() != crypto::kEd25519SignatureSize) {
    return false;
  }
  std::string canonical =
      canonical_request(method, target, credentials.device_id, credentials.timestamp, credentials.nonce, body);
  try {
    return crypto::ed25519_verify(device_public_key, as_bytes(canonical), credentials.signature);
  } catch (const Error&) {
    return false;
  }
}

}  // namespace tt::protocol

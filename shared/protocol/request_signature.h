#pragma once
// Device-signed requests (docs/protocol.md, "Signed requests"). After enrolment every request a
// kiosk makes carries four headers, and an Ed25519 signature by the device's key over a
// canonical string that binds the method, the exact request target, the device, the time, a
// fresh nonce and the body:
//
//   Tutortime-Device: 3f2a…            (32 lower-case hex digits, from the enrolment reply)
//   Tutortime-Timestamp: 1764839100    (Unix seconds, decimal)
//   Tutortime-Nonce: 9b1c…             (32 lower-case hex digits, 128 random bits, never reused)
//   Tutortime-Signature: base64(Ed25519(canonical string))
//
//   canonical string = "TUTORTIME-REQUEST-V1" LF METHOD LF TARGET LF DEVICE LF TIMESTAMP LF NONCE
//                      LF hex(SHA-256(body))           (LF = "\n"; no trailing LF)
//
// TARGET is the request target exactly as on the request line (path and query, e.g.
// "/v1/batches"). The server also refuses a timestamp outside its window and a nonce it has seen
// from that device within the window (the replay check is the server's: see sync/central).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shared/common/bytes.h"

namespace tt::protocol {

inline constexpr const char* kHeaderDevice = "Tutortime-Device";
inline constexpr const char* kHeaderTimestamp = "Tutortime-Timestamp";
inline constexpr const char* kHeaderNonce = "Tutortime-Nonce";
inline constexpr const char* kHeaderSignature = "Tutortime-Signature";
inline constexpr const char* kCanonicalRequestLabel = "TUTORTIME-REQUEST-V1";

// The four header values.
struct RequestCredentials {
  std::string device_id;
  std::int64_t timestamp = 0;
  std::string nonce;
  Bytes signature;  // 64 bytes
};

std::string canonical_request(std::string_view method, std::string_view target, std::string_view device_id,
                              std::int64_t timestamp, std::string_view nonce, ByteView body);

// Signs a request as the device. `nonce` empty: a fresh random one.
RequestCredentials sign_request(std::string_view method, std::string_view target, ByteView body,
                                const std::string& device_id, ByteView device_private_seed, std::int64_t timestamp,
                                std::string nonce = "");

// The header values as text, for a client to send.
std::string timestamp_header_value(const RequestCredentials& credentials);
std::string signature_header_value(const RequestCredentials& credentials);

// Reads the four headers; `header` returns the value of a header or nullopt when absent.
// Throws ProtocolError naming the header that is missing or malformed.
template <typename HeaderLookup>
RequestCredentials read_credentials(HeaderLookup header);
RequestCredentials read_credentials_from(const std::optional<std::string>& device,
                                         const std::optional<std::string>& timestamp,
                                         const std::optional<std::string>& nonce,
                                         const std::optional<std::string>& signature);

// True when the signature is the device key's over this request. Never throws on bad input.
bool verify_request_signature(const RequestCredentials& credentials, std::string_view method, std::string_view target,
                              ByteView body, ByteView device_public_key);

template <typename HeaderLookup>
RequestCredentials read_credentials(HeaderLookup header) {
  return read_credentials_from(header(kHeaderDevice), header(kHeaderTimestamp), header(kHeaderNonce),
                               header(kHeaderSignature));
}

}  // namespace tt::protocol

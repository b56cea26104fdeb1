#include "shared/crypto/key_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "shared/common/error.h"
#include "shared/common/files.h"
#include "shared/crypto/ed25519.h"
#include "shared/crypto/random.h"
#include "shared/crypto/x25519.h"

namespace tt::crypto {
namespace {

namespace fs = std::filesystem;

std::string hex(const SecretBytes& s) {
  return to_hex(s.view());
}

unsigned mode_of(const fs::path& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) return 0xffffffff;
  return info.st_mode & 07777;
}

// Runs a shell command; the paths used here are our own temp paths without quotes in them.
void run(const std::string& command) {
  ASSERT_EQ(std::system((command + " 2>/dev/null").c_str()), 0) << command;
}

// Expects `call` to throw tt::Error whose message contains every fragment.
template <typename Call>
void expect_error(Call&& call, std::initializer_list<std::string> fragments) {
  try {
    call();
    ADD_FAILURE() << "no exception";
  } catch (const Error& e) {
    for (const std::string& fragment : fragments) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << "'" << fragment << "' not in: " << e.what();
    }
  }
}

class KeyFiles : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("tt-crypto-test-" + random_id128());
  void SetUp() override { fs::create_directory(dir); }
  void TearDown() override { fs::remove_all(dir); }
};

TEST_F(KeyFiles, X25519RoundTrip) {
  X25519KeyPair pair = x25519_generate();
  write_private_key(dir / "k.key", KeyAlgorithm::X25519, pair.private_key.view());
  write_public_key(dir / "k.pub", KeyAlgorithm::X25519, pair.public_key);
  EXPECT_EQ(mode_of(dir / "k.key"), 0600u);
  EXPECT_EQ(mode_of(dir / "k.pub"), 0644u);
  EXPECT_EQ(read_text_file(dir / "k.key").rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u);
  EXPECT_EQ(read_text_file(dir / "k.pub").rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u);
  EXPECT_EQ(hex(read_private_key(dir / "k.key", KeyAlgorithm::X25519)), hex(pair.private_key));
  EXPECT_EQ(to_hex(read_public_key(dir / "k.pub", KeyAlgorithm::X25519)), to_hex(pair.public_key));
}

TEST_F(KeyFiles, Ed25519RoundTrip) {
  Ed25519KeyPair pair = ed25519_generate();
  write_private_key(dir / "s.key", KeyAlgorithm::Ed25519, pair.private_key.view());
  write_public_key(dir / "s.pub", KeyAlgorithm::Ed25519, pair.public_key);
  EXPECT_EQ(mode_of(dir / "s.key"), 0600u);
  EXPECT_EQ(mode_of(dir / "s.pub"), 0644u);
  EXPECT_EQ(hex(read_private_key(dir / "s.key", KeyAlgorithm::Ed25519)), hex(pair.private_key));
  EXPECT_EQ(to_hex(read_public_key(dir / "s.pub", KeyAlgorithm::Ed25519)), to_hex(pair.public_key));
}

TEST_F(KeyFiles, PemRoundTripWithoutDisk) {
  X25519KeyPair pair = x25519_generate();
  std::string pem = private_key_to_pem(KeyAlgorithm::X25519, pair.private_key.view());
  EXPECT_EQ(hex(private_key_from_pem(pem, KeyAlgorithm::X25519)), hex(pair.private_key));
  std::string pub = public_key_to_pem(KeyAlgorithm::X25519, pair.public_key);
  EXPECT_EQ(to_hex(public_key_from_pem(pub, KeyAlgorithm::X25519)), to_hex(pair.public_key));
  expect_error([&] { private_key_from_pem(pub, KeyAlgorithm::X25519); }, {"PEM text", "private key"});
  expect_error([&] { public_key_from_pem("junk", KeyAlgorithm::X25519); }, {"PEM text", "public key"});
}

// Interoperability with the openssl CLI, which the central team uses on these files.
void check_openssl_cli_key(const fs::path& dir, const char* cli_name, KeyAlgorithm algorithm) {
  const fs::path key = dir / (std::string(cli_name) + ".key");
  const fs::path pub = dir / (std::string(cli_name) + ".pub");
  run("openssl genpkey -algorithm " + std::string(cli_name) + " -out " + key.string());
  fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write);  // whatever the umask gave
  run("openssl pkey -in " + key.string() + " -pubout -out " + pub.string());

  SecretBytes raw = read_private_key(key, algorithm);
  Bytes raw_public = read_public_key(pub, algorithm);
  Bytes expected_public = algorithm == KeyAlgorithm::X25519 ? x25519_public_from_private(raw.view())
                                                            : ed25519_public_from_private(raw.view());
  EXPECT_EQ(to_hex(raw_public), to_hex(expected_public));
  // Our encoding is byte-for-byte what the CLI writes.
  EXPECT_EQ(private_key_to_pem(algorithm, raw.view()), read_text_file(key));
  EXPECT_EQ(public_key_to_pem(algorithm, raw_public), read_text_file(pub));
}

TEST_F(KeyFiles, ReadsX25519FromOpensslCli) {
  check_openssl_cli_key(dir, "X25519", KeyAlgorithm::X25519);
}
TEST_F(KeyFiles, ReadsEd25519FromOpensslCli) {
  check_openssl_cli_key(dir, "ED25519", KeyAlgorithm::Ed25519);
}

TEST_F(KeyFiles, OpensslCliReadsOurFiles) {
  X25519KeyPair pair = x25519_generate();
  write_private_key(dir / "ours.key", KeyAlgorithm::X25519, pair.private_key.view());
  run("openssl pkey -in " + (dir / "ours.key").string() + " -pubout -out " + (dir / "cli.pub").string());
  EXPECT_EQ(to_hex(read_public_key(dir / "cli.pub", KeyAlgorithm::X25519)), to_hex(pair.public_key));
}

TEST_F(KeyFiles, RefusesAPrivateKeyOthersCanRead) {
  X25519KeyPair pair = x25519_generate();
  const fs::path key = dir / "open.key";
  write_private_key(key, KeyAlgorithm::X25519, pair.private_key.view());
  for (unsigned mode : {0644u, 0640u, 0604u, 0620u, 0602u, 0610u}) {
    ASSERT_EQ(::chmod(key.c_str(), mode), 0);
    expect_error([&] { read_private_key(key, KeyAlgorithm::X25519); }, {key.string(), "chmod 600"});
  }
  ASSERT_EQ(::chmod(key.c_str(), 0400), 0);
  EXPECT_EQ(hex(read_private_key(key, KeyAlgorithm::X25519)), hex(pair.private_key));
}

TEST_F(KeyFiles, RefusesTheWrongAlgorithm) {
  Ed25519KeyPair ed = ed25519_generate();
  write_private_key(dir / "ed.key", KeyAlgorithm::Ed25519, ed.private_key.view());
  write_public_key(dir / "ed.pub", KeyAlgorithm::Ed25519, ed.public_key);
  const std::string key = (dir / "ed.key").string();
  const std::string pub = (dir / "ed.pub").string();
  expect_error([&] { read_private_key(key, KeyAlgorithm::X25519); },
               {"key file " + key + " holds an Ed25519 key, expected X25519"});
  expect_error([&] { read_public_key(pub, KeyAlgorithm::X25519); },
               {"key file " + pub + " holds an Ed25519 key, expected X25519"});

  X25519KeyPair x = x25519_generate();
  write_private_key(dir / "x.key", KeyAlgorithm::X25519, x.private_key.view());
  expect_error([&] { read_private_key(dir / "x.key", KeyAlgorithm::Ed25519); },
               {(dir / "x.key").string(), "holds an X25519 key, expected Ed25519"});
}

TEST_F(KeyFiles, RefusesGarbage) {
  const fs::path key = dir / "garbage.key";
  write_file_atomically(key, as_bytes("this is not a key\n"), 0600);
  expect_error([&] { read_private_key(key, KeyAlgorithm::X25519); }, {key.string()});
  expect_error([&] { read_public_key(key, KeyAlgorithm::X25519); }, {key.string()});

  const fs::path empty = dir / "empty.key";
  write_file_atomically(empty, {}, 0600);
  expect_error([&] { read_private_key(empty, KeyAlgorithm::X25519); }, {empty.string()});

  // A public key where a private key is expected, and the other way round.
  X25519KeyPair pair = x25519_generate();
  write_public_key(dir / "p.pub", KeyAlgorithm::X25519, pair.public_key);
  ASSERT_EQ(::chmod((dir / "p.pub").c_str(), 0600), 0);
  expect_error([&] { read_private_key(dir / "p.pub", KeyAlgorithm::X25519); }, {(dir / "p.pub").string()});
  write_private_key(dir / "p.key", KeyAlgorithm::X25519, pair.private_key.view());
  expect_error([&] { read_public_key(dir / "p.key", KeyAlgorithm::X25519); }, {(dir / "p.key").string()});
}

TEST_F(KeyFiles, RefusesAnEncryptedKeyWithoutPrompting) {
  const fs::path key = dir / "encrypted.key";
  // stdin is /dev/null so that, were a passphrase prompt shown, it would fail rather than hang.
  run("openssl genpkey -algorithm X25519 -aes-256-cbc -pass pass:secret -out " + key.string() + " </dev/null");
  ASSERT_EQ(::chmod(key.c_str(), 0600), 0);
  expect_error([&] { read_private_key(key, KeyAlgorithm::X25519); }, {key.string(), "passphrase"});
}

TEST_F(KeyFiles, MissingFileNamesTheFile) {
  expect_error([&] { read_private_key(dir / "none.key", KeyAlgorithm::X25519); }, {(dir / "none.key").string()});
  expect_error([&] { read_public_key(dir / "none.pub", KeyAlgorithm::X25519); }, {(dir / "none.pub").string()});
}

TEST_F(KeyFiles, RefusesToOverwriteUnlessAsked) {
  X25519KeyPair first = x25519_generate();
  X25519KeyPair second = x25519_generate();
  const fs::path key = dir / "k.key";
  const fs::path pub = dir / "k.pub";
  write_private_key(key, KeyAlgorithm::X25519, first.private_key.view());
  write_public_key(pub, KeyAlgorithm::X25519, first.public_key);

  expect_error([&] { write_private_key(key, KeyAlgorithm::X25519, second.private_key.view()); }, {key.string()});
  expect_error([&] { write_public_key(pub, KeyAlgorithm::X25519, second.public_key); }, {pub.string()});
  EXPECT_EQ(hex(read_private_key(key, KeyAlgorithm::X25519)), hex(first.private_key));
  EXPECT_EQ(to_hex(read_public_key(pub, KeyAlgorithm::X25519)), to_hex(first.public_key));

  write_private_key(key, KeyAlgorithm::X25519, second.private_key.view(), /*overwrite=*/true);
  write_public_key(pub, KeyAlgorithm::X25519, second.public_key, /*overwrite=*/true);
  EXPECT_EQ(hex(read_private_key(key, KeyAlgorithm::X25519)), hex(second.private_key));
  EXPECT_EQ(to_hex(read_public_key(pub, KeyAlgorithm::X25519)), to_hex(second.public_key));
  EXPECT_EQ(mode_of(key), 0600u);
}

TEST_F(KeyFiles, RejectsWrongRawSizes) {
  expect_error([&] { write_private_key(dir / "k.key", KeyAlgorithm::X25519, Bytes(31, 1)); },
               {(dir / "k.key").string(), "32 bytes"});
  expect_error([&] { write_public_key(dir / "k.pub", KeyAlgorithm::Ed25519, Bytes(33, 1)); },
               {(dir / "k.pub").string(), "32 bytes"});
  EXPECT_FALSE(fs::exists(dir / "k.key"));
  EXPECT_FALSE(fs::exists(dir / "k.pub"));
}

TEST(KeyAlgorithmName, Names) {
  EXPECT_STREQ(key_algorithm_name(KeyAlgorithm::X25519), "X25519");
  EXPECT_STREQ(key_algorithm_name(KeyAlgorithm::Ed25519), "Ed25519");
}

}  // namespace
}  // namespace tt::crypto

#pragma once
// Helpers for the store tests: a fresh temporary data directory per test, raw SQLite access to
// tamper with the file the way an attacker or a broken disk would, and file snapshots.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "kiosk/store/kiosk_store.h"

namespace tt::kiosk::testing {

namespace fs = std::filesystem;

inline Bytes bytes_of(const std::string& s) {
  return Bytes(s.begin(), s.end());
}
inline std::string text_of(const crypto::SecretBytes& s) {
  return to_string(s.view());
}

inline Bytes read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_file(const fs::path& file, const Bytes& contents) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(contents.data()), static_cast<std::streamsize>(contents.size()));
}

// Content, size and modification time: equal snapshots mean the file was not touched.
struct FileSnapshot {
  Bytes content;
  long long size = -1;
  long long mtime_sec = 0;
  long long mtime_nsec = 0;
  bool operator==(const FileSnapshot&) const = default;
};

inline FileSnapshot snapshot(const fs::path& file) {
  FileSnapshot s;
  struct stat st;
  if (::stat(file.c_str(), &st) != 0) return s;
  s.content = read_file(file);
  s.size = st.st_size;
  s.mtime_sec = st.st_mtim.tv_sec;
  s.mtime_nsec = st.st_mtim.tv_nsec;
  return s;
}

// A raw connection to kiosk.db, for tests that change the file behind the store's back.
class RawDb {
 public:
  explicit RawDb(const fs::path& file) {
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "raw open " << file << ": " << sqlite3_errmsg(db_);
    }
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (error ? error : "?");
    }
    sqlite3_free(error);
  }

  Bytes blob(const std::string& sql) {
    Bytes out;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, 0));
      out.assign(p, p + sqlite3_column_bytes(st, 0));
    } else {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    }
    sqlite3_finalize(st);
    return out;
  }

  std::int64_t integer(const std::string& sql) {
    std::int64_t out = 0;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      out = sqlite3_column_int64(st, 0);
    } else {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    }
    sqlite3_finalize(st);
    return out;
  }

  // UPDATE <sql with one ? for a blob>.
  void set_blob(const std::string& sql, const Bytes& value) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    }
    sqlite3_finalize(st);
  }

  sqlite3* get() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "store_test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    dir_ = root_ / "data";
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(root_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(root_, ec);
  }

  fs::path db_file() const { return dir_ / KioskStore::kDatabaseFileName; }
  fs::path key_file() const { return dir_ / KioskStore::kStorageKeyFileName; }
  crypto::SecretBytes key() const { return crypto::SecretBytes(read_file(key_file())); }

  // Runs `body`, expects a StoreError of `kind`, and returns its message.
  template <typename F>
  std::string expect_store_error(StoreErrorKind kind, F&& body) {
    try {
      body();
    } catch (const StoreError& e) {
      EXPECT_EQ(static_cast<int>(e.kind()), static_cast<int>(kind)) << e.what();
      return e.what();
    }
    ADD_FAILURE() << "no StoreError was thrown";
    return {};
  }

  fs::path root_;
  fs::path dir_;
};

}  // namespace tt::kiosk::testing

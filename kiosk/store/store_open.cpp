// Creating and opening the store: the storage key file, the database file, and moving a corrupt
// database aside (invariant 6 in kiosk_store.h).
//
// Why the storage key is a separate file and not in the database: the database is the thing
// that gets copied — into a backup, onto a USB stick for support, attached to a bug report. A
// copy of kiosk.db alone reveals no answer, because every draft is ciphertext under a key that
// lives only in DATA_DIR/storage.key (mode 0600, readable by the kiosk user alone).
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "kiosk/store/draft_crypto.h"
#include "kiosk/store/schema.h"
#include "kiosk/store/store_impl.h"
#include "shared/common/files.h"
#include "shared/crypto/random.h"

namespace tt::kiosk {
namespace fs = std::filesystem;
using store::Op;

namespace {

std::string os_reason() {
  return std::strerror(errno);
}

[[noreturn]] void fail_os(const std::string& what) {
  int saved = errno;
  throw StoreError(store::kind_for_errno(saved), what + ": " + std::strerror(saved));
}

// fsync_directory() throws tt::Error; the store's callers expect StoreError.
void sync_directory(const fs::path& dir) {
  try {
    fsync_directory(dir);
  } catch (const Error& e) {
    throw StoreError(store::kind_for_errno(errno), e.what());
  }
}

struct CloseConnection {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, CloseConnection>;

struct FileDescriptor {
  int fd;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

bool exists_no_follow(const fs::path& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

fs::path with_suffix(const fs::path& path, const std::string& suffix) {
  fs::path out = path;
  out += suffix;
  return out;
}

crypto::SecretBytes read_storage_key(const fs::path& file) {
  FileDescriptor key{::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
  if (key.fd < 0) {
    if (errno == ENOENT) {
      throw StoreError(StoreErrorKind::NotSetUp,
                       "open the store: there is no storage key at " + file.string() + ": run `tutortime-kiosk setup`");
    }
    throw StoreError(StoreErrorKind::Io, "read the storage key " + file.string() + ": " + os_reason());
  }
  struct stat st;
  if (::fstat(key.fd, &st) != 0) fail_os("read the storage key " + file.string());
  if (!S_ISREG(st.st_mode)) {
    throw StoreError(StoreErrorKind::Io, "read the storage key " + file.string() + ": it is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw StoreError(StoreErrorKind::Io, "read the storage key " + file.string() + ": its mode is " + mode +
                                             ", so other users may read it; it must be 0600 (chmod 600 " +
                                             file.string() + ")");
  }
  if (st.st_size != static_cast<off_t>(store::kStorageKeySize)) {
    throw StoreError(StoreErrorKind::WrongKey, "read the storage key " + file.string() + ": it is " +
                                                   std::to_string(st.st_size) + " bytes, but a storage key is " +
                                                   std::to_string(store::kStorageKeySize));
  }
  crypto::SecretBytes out(store::kStorageKeySize);
  std::size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::read(key.fd, out.mutable_view().data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_os("read the storage key " + file.string());
    if (n == 0) throw StoreError(StoreErrorKind::Io, "read the storage key " + file.string() + ": it was truncated");
    got += static_cast<std::size_t>(n);
  }
  return out;
}

// SQLite needs to write the file, its -wal and -shm, and to create those in the directory.
// Checking first gives a clear ReadOnly error instead of a failure halfway through opening.
void check_writable(const fs::path& db_file) {
  fs::path dir = db_file.parent_path();
  if (::faccessat(AT_FDCWD, dir.c_str(), W_OK, AT_EACCESS) != 0) {
    fail_os("open " + db_file.string() + ": the data directory " + dir.string() + " is not writable");
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::path file = with_suffix(db_file, suffix);
    if (exists_no_follow(file) && ::faccessat(AT_FDCWD, file.c_str(), W_OK, AT_EACCESS) != 0) {
      fail_os("open " + db_file.string() + ": " + file.string() + " is not writable");
    }
  }
}

Connection open_connection(const fs::path& db_file) {
  if (!exists_no_follow(db_file)) {
    // Created here with 0600 so that SQLite's -wal and -shm (which copy the database file's
    // mode) are private too. An empty file is an empty database.
    FileDescriptor created{::open(db_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)};
    if (created.fd < 0 && errno != EEXIST) fail_os("create " + db_file.string());
    if (created.fd >= 0) sync_directory(db_file.parent_path());
  }
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(db_file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_NOFOLLOW,
                           nullptr);
  Connection db(raw);
  if (rc != SQLITE_OK) Op{db.get(), "open " + db_file.string(), db_file}.fail(rc);
  return db;
}

std::string utc_stamp() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y%m%dT%H%M%SZ", &utc);
  return text.data();
}

// Renames kiosk.db (and its -wal and -shm) to kiosk.db.corrupt-<UTC time>: nothing is deleted.
// The -wal and -shm go first: a stale -wal left beside a new kiosk.db could be replayed into it.
fs::path move_aside(const fs::path& db_file) {
  std::string stamp = utc_stamp();
  fs::path base;
  for (int n = 1;; ++n) {
    base = with_suffix(db_file, ".corrupt-" + stamp + (n > 1 ? "-" + std::to_string(n) : ""));
    if (!exists_no_follow(base) && !exists_no_follow(with_suffix(base, "-wal")) &&
        !exists_no_follow(with_suffix(base, "-shm"))) {
      break;
    }
  }
  for (const char* suffix : {"-wal", "-shm", ""}) {
    fs::path from = with_suffix(db_file, suffix);
    fs::path to = with_suffix(base, suffix);
    if (!exists_no_follow(from)) continue;
    if (std::rename(from.c_str(), to.c_str()) != 0) {
      fail_os("move the corrupt database " + from.string() + " aside to " + to.string());
    }
  }
  sync_directory(db_file.parent_path());
  return base;
}

void require_directory(const fs::path& data_dir) {
  std::error_code ec;
  if (!fs::is_directory(data_dir, ec)) {
    throw StoreError(
        StoreErrorKind::NotSetUp,
        "open the store: " + data_dir.string() + " does not exist or is not a directory: run `tutortime-kiosk setup`");
  }
}

}  // namespace

KioskStore::KioskStore(fs::path data_dir, sqlite3* db, crypto::SecretBytes key)
    : data_dir_(std::move(data_dir)),
      db_(db),
      storage_key_(std::move(key)),
      statements_(std::make_unique<store::StatementCache>(db)) {
  set_clock_for_tests(nullptr);
}

KioskStore::~KioskStore() {
  statements_.reset();
  sqlite3_close_v2(db_);
}

std::unique_ptr<KioskStore> KioskStore::Impl::open_database(const fs::path& data_dir, crypto::SecretBytes key,
                                                            OpenReport* report) {
  OpenReport local;
  OpenReport& out = report != nullptr ? *report : local;
  out = OpenReport{};
  fs::path db_file = data_dir / kDatabaseFileName;
  if (exists_no_follow(db_file)) check_writable(db_file);

  Connection db = open_connection(db_file);
  Op op{db.get(), "open " + db_file.string(), db_file};
  store::Verification verified = store::verify_before_writing(op, key.view());
  if (verified.state == store::Verification::State::Corrupt) {
    db.reset();
    out.moved_aside = move_aside(db_file);
    out.corruption_reason = verified.corruption_reason;
    db = open_connection(db_file);
    op.db = db.get();
    verified = store::verify_before_writing(op, key.view());
    if (verified.state != store::Verification::State::Fresh) {
      op.fail(StoreErrorKind::Io, "a new database could not be started after moving the corrupt one aside");
    }
  }
  store::enable_writes(op);
  int had = store::migrate(op, key.view(), verified.user_version);
  out.created = had == 0;
  out.migrated_from_schema = had > 0 && had < kSchemaVersion ? had : 0;
  return std::unique_ptr<KioskStore>(new KioskStore(data_dir, db.release(), std::move(key)));
}

std::unique_ptr<KioskStore> KioskStore::create(const fs::path& data_dir) {
  std::string what = "create a store in " + data_dir.string();
  if (!exists_no_follow(data_dir)) {
    std::error_code ec;
    if (data_dir.has_parent_path()) fs::create_directories(data_dir.parent_path(), ec);
    if (ec) throw StoreError(store::kind_for_errno(ec.value()), what + ": " + ec.message());
    if (::mkdir(data_dir.c_str(), 0700) != 0 && errno != EEXIST) fail_os(what);
    if (::chmod(data_dir.c_str(), 0700) != 0) fail_os(what);
    sync_directory(data_dir.has_parent_path() ? data_dir.parent_path() : fs::path("."));
  }
  fs::path key_file = data_dir / kStorageKeyFileName;
  if (exists_no_follow(key_file)) {
    throw StoreError(StoreErrorKind::Io, what + ": a storage key already exists at " + key_file.string() +
                                             "; refusing to replace it (that would orphan every draft)");
  }
  fs::path db_file = data_dir / kDatabaseFileName;
  if (exists_no_follow(db_file)) {
    throw StoreError(StoreErrorKind::Io, what + ": " + db_file.string() +
                                             " exists but there is no storage key to open it; move it away first");
  }
  crypto::SecretBytes key(store::kStorageKeySize);
  crypto::random_fill(key.mutable_view());
  try {
    write_file_atomically(key_file, key.view(), 0600, /*overwrite=*/false);
  } catch (const Error& e) {
    throw StoreError(store::kind_for_errno(errno), what + ": " + e.what());
  }
  return Impl::open_database(data_dir, std::move(key), nullptr);
}

std::unique_ptr<KioskStore> KioskStore::open(const fs::path& data_dir, OpenReport* report) {
  require_directory(data_dir);
  crypto::SecretBytes key = read_storage_key(data_dir / kStorageKeyFileName);
  return Impl::open_database(data_dir, std::move(key), report);
}

std::unique_ptr<KioskStore> KioskStore::open_with_key(const fs::path& data_dir, crypto::SecretBytes key,
                                                      OpenReport* report) {
  require_directory(data_dir);
  if (key.size() != store::kStorageKeySize) {
    throw StoreError(StoreErrorKind::WrongKey, "open the store in " + data_dir.string() + ": the storage key is " +
                                                   std::to_string(key.size()) + " bytes, but a storage key is " +
                                                   std::to_string(store::kStorageKeySize));
  }
  return Impl::open_database(data_dir, std::move(key), report);
}

}  // namespace tt::kiosk

// What the store does with a database it cannot simply use: a newer schema or someone else's
// file is refused untouched, a corrupt file is moved aside, a full disk or a read-only directory
// gives a clear error and loses nothing already saved.
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <random>

#include "tests/store/store_test_support.h"

namespace tt::kiosk::testing {
namespace {

using StoreRecoveryTest = StoreTest;

std::string response_id(int n) {
  std::string id = std::to_string(n);
  return std::string(32 - id.size(), '0') + id;
}

Bytes pseudo_random(std::size_t size, unsigned seed) {
  std::mt19937 gen(seed);
  Bytes out(size);
  for (auto& b : out) b = static_cast<std::uint8_t>(gen());
  return out;
}

TEST_F(StoreRecoveryTest, NewerSchemaIsRefusedAndTheFileIsUnchanged) {
  KioskStore::create(dir_)->create_draft(response_id(1), "s", 1, as_bytes("answers"));
  {
    RawDb raw(db_file());
    raw.exec("PRAGMA user_version = 99");
  }
  FileSnapshot before = snapshot(db_file());
  std::string message = expect_store_error(StoreErrorKind::NewerSchema, [&] { KioskStore::open(dir_); });
  EXPECT_NE(message.find("version 99"), std::string::npos) << message;
  EXPECT_NE(message.find("up to " + std::to_string(KioskStore::kSchemaVersion)), std::string::npos) << message;
  EXPECT_NE(message.find(db_file().string()), std::string::npos) << message;
  EXPECT_EQ(snapshot(db_file()), before);
}

TEST_F(StoreRecoveryTest, AnotherProgramsDatabaseIsRefusedAndUnchanged) {
  KioskStore::create(dir_).reset();
  fs::remove(db_file());
  {
    RawDb raw(db_file());
    raw.exec("CREATE TABLE pupils(name TEXT); INSERT INTO pupils VALUES('x')");
  }
  FileSnapshot before = snapshot(db_file());
  OpenReport report;
  expect_store_error(StoreErrorKind::Corrupt, [&] { KioskStore::open(dir_, &report); });
  EXPECT_EQ(snapshot(db_file()), before);
  EXPECT_FALSE(report.moved_aside);
}

void expect_moved_aside_and_fresh(const fs::path& dir, const fs::path& db_file, const Bytes& original) {
  OpenReport report;
  auto store = KioskStore::open(dir, &report);
  ASSERT_TRUE(report.moved_aside);
  EXPECT_TRUE(report.created);
  EXPECT_FALSE(report.corruption_reason.empty());
  EXPECT_EQ(report.moved_aside->parent_path(), dir);
  EXPECT_EQ(report.moved_aside->filename().string().rfind("kiosk.db.corrupt-", 0), 0u) << *report.moved_aside;
  EXPECT_EQ(report.moved_aside->filename().string().size(), std::string("kiosk.db.corrupt-20240101T000000Z").size());
  EXPECT_EQ(read_file(*report.moved_aside), original) << "the corrupt file is kept byte for byte";

  EXPECT_TRUE(store->drafts().empty());
  DraftId id = store->create_draft(response_id(99), "s", 1, as_bytes("after recovery"));
  EXPECT_EQ(text_of(store->load_draft(id)), "after recovery");
  EXPECT_EQ(store->integrity_check(), "ok");
  store.reset();
  // The key file is unchanged, so the new database opens normally again.
  OpenReport again;
  auto reopened = KioskStore::open(dir, &again);
  EXPECT_FALSE(again.moved_aside);
  EXPECT_EQ(text_of(reopened->load_draft(id)), "after recovery");
  EXPECT_TRUE(fs::exists(*report.moved_aside));
  (void)db_file;
}

TEST_F(StoreRecoveryTest, GarbageFileIsMovedAsideAndANewDatabaseStarted) {
  KioskStore::create(dir_)->create_draft(response_id(1), "s", 1, as_bytes("answers"));
  Bytes key_before = read_file(key_file());
  Bytes garbage = pseudo_random(8192, 7);
  write_file(db_file(), garbage);
  expect_moved_aside_and_fresh(dir_, db_file(), garbage);
  EXPECT_EQ(read_file(key_file()), key_before);
}

TEST_F(StoreRecoveryTest, DatabaseWithPagesCutOutIsMovedAside) {
  {
    auto store = KioskStore::create(dir_);
    for (int i = 0; i < 60; ++i) {
      store->create_draft(response_id(i), "s", 1, pseudo_random(3000, static_cast<unsigned>(i)));
    }
  }
  Bytes whole = read_file(db_file());
  ASSERT_GT(whole.size(), 40u * 4096);
  Bytes cut(whole.begin(), whole.begin() + 10 * 4096);
  cut.insert(cut.end(), whole.begin() + 30 * 4096, whole.end());
  write_file(db_file(), cut);
  expect_moved_aside_and_fresh(dir_, db_file(), cut);
}

// Damage that only PRAGMA quick_check finds: the header, schema and key check still read.
TEST_F(StoreRecoveryTest, DamagedDataPageFoundByQuickCheckIsMovedAside) {
  {
    auto store = KioskStore::create(dir_);
    for (int i = 0; i < 30; ++i) {
      store->create_draft(response_id(i), "s", 1, pseudo_random(3000, static_cast<unsigned>(i)));
    }
  }
  Bytes damaged = read_file(db_file());
  ASSERT_GT(damaged.size(), 20u * 4096);
  Bytes noise = pseudo_random(4096, 99);
  std::copy(noise.begin(), noise.end(), damaged.end() - 4096);  // the last page holds drafts
  write_file(db_file(), damaged);
  expect_moved_aside_and_fresh(dir_, db_file(), damaged);
}

TEST_F(StoreRecoveryTest, TwoCorruptionsInOneSecondKeepBothFiles) {
  KioskStore::create(dir_).reset();
  write_file(db_file(), pseudo_random(4096, 1));
  OpenReport first, second;
  KioskStore::open(dir_, &first).reset();
  write_file(db_file(), pseudo_random(4096, 2));
  KioskStore::open(dir_, &second).reset();
  ASSERT_TRUE(first.moved_aside && second.moved_aside);
  EXPECT_NE(*first.moved_aside, *second.moved_aside);
  EXPECT_EQ(read_file(*first.moved_aside), pseudo_random(4096, 1));
  EXPECT_EQ(read_file(*second.moved_aside), pseudo_random(4096, 2));
}

TEST_F(StoreRecoveryTest, FullDiskFailsCleanlyAndKeepsEverySavedDraft) {
  std::vector<std::pair<DraftId, Bytes>> saved;
  std::string message;
  {
    auto store = KioskStore::create(dir_);
    DraftId first = store->create_draft(response_id(0), "s", 1, pseudo_random(500, 0));
    saved.emplace_back(first, pseudo_random(500, 0));
    std::int64_t pages = std::stoll(store->pragma_for_tests("page_count"));
    store->set_max_page_count_for_tests(pages + 4);
    for (int i = 1; i < 100 && message.empty(); ++i) {
      Bytes plaintext = pseudo_random(3000, static_cast<unsigned>(i));
      try {
        saved.emplace_back(store->create_draft(response_id(i), "s", 1, plaintext), plaintext);
      } catch (const StoreError& e) {
        EXPECT_EQ(static_cast<int>(e.kind()), static_cast<int>(StoreErrorKind::DiskFull)) << e.what();
        message = e.what();
      }
    }
    ASSERT_FALSE(message.empty()) << "the page limit never filled up";
    EXPECT_NE(message.find("in " + db_file().string() + ": database or disk is full"), std::string::npos) << message;
    EXPECT_EQ(store->drafts().size(), saved.size()) << "the failed create left no row behind";

    // Growing an existing draft fails too, and rolls back to its previous contents.
    std::string save_message =
        expect_store_error(StoreErrorKind::DiskFull, [&] { store->save_draft(first, pseudo_random(40000, 1234)); });
    EXPECT_EQ(save_message.rfind("save draft " + std::to_string(first) + " in " + db_file().string(), 0), 0u)
        << save_message;
    EXPECT_EQ(store->load_draft(first).view().size(), 500u);
    // Other writes report the same way and change nothing.
    expect_store_error(StoreErrorKind::DiskFull, [&] { store->set_setting("big", std::string(50000, 'x')); });
    EXPECT_FALSE(store->setting("big"));
  }
  auto store = KioskStore::open(dir_);
  EXPECT_EQ(store->integrity_check(), "ok");
  ASSERT_EQ(store->drafts().size(), saved.size());
  for (const auto& [id, plaintext] : saved) {
    crypto::SecretBytes loaded = store->load_draft(id);
    EXPECT_EQ(Bytes(loaded.view().begin(), loaded.view().end()), plaintext) << "draft " << id;
  }
}

// Runs `body` in a child process as the unprivileged user `nobody`; returns its exit status.
// The child's message comes back through a pipe so a failure says what happened.
int run_as_nobody(const std::function<int(std::string&)>& body, std::string& message) {
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    std::string out;
    int code = 100;
    if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) {
      out = "could not become nobody";
    } else {
      try {
        code = body(out);
      } catch (const std::exception& e) {
        out = std::string("unexpected exception: ") + e.what();
        code = 101;
      }
    }
    [[maybe_unused]] ssize_t ignored = ::write(fds[1], out.data(), out.size());
    ::_exit(code);
  }
  ::close(fds[1]);
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buffer, sizeof buffer)) > 0) message.append(buffer, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 200 + WTERMSIG(status);
}

// What a store in a directory the user cannot write does: a clear error, not a crash.
int try_read_only(const fs::path& dir, crypto::SecretBytes key, std::string& out) {
  try {
    auto store = KioskStore::open_with_key(dir, std::move(key));
    store->create_draft(response_id(2), "s", 1, as_bytes("x"));
    out = "opening and saving succeeded";
    return 1;
  } catch (const StoreError& e) {
    out = e.what();
    return e.kind() == StoreErrorKind::ReadOnly ? 0 : 2;
  }
}

TEST_F(StoreRecoveryTest, ReadOnlyDirectoryGivesAClearError) {
  DraftId id = KioskStore::create(dir_)->create_draft(response_id(1), "s", 1, as_bytes("answers"));
  FileSnapshot before = snapshot(db_file());
  std::string message;
  int code = 0;
  if (::geteuid() == 0) {
    // root ignores permissions, so the attempt runs in a child that has become `nobody`.
    fs::permissions(root_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                               fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(db_file(),
                    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
    crypto::SecretBytes storage_key = key();  // the key file stays 0600: nobody cannot read it
    code = run_as_nobody(
        [&](std::string& out) {
          try {
            KioskStore::open(dir_);
            out = "open() read a key file owned by root";
            return 3;
          } catch (const StoreError& e) {
            if (std::string(e.what()).find(key_file().string()) == std::string::npos) {
              out = std::string("open() error does not name the key file: ") + e.what();
              return 4;
            }
          }
          return try_read_only(dir_, storage_key.clone(), out);
        },
        message);
  } else {
    fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
    fs::permissions(db_file(), fs::perms::owner_read);
    code = try_read_only(dir_, key(), message);
    fs::permissions(dir_, fs::perms::owner_all);
    fs::permissions(db_file(), fs::perms::owner_read | fs::perms::owner_write);
  }
  EXPECT_EQ(code, 0) << message;
  EXPECT_NE(message.find(db_file().string()), std::string::npos) << message;
  EXPECT_NE(message.find("not writable"), std::string::npos) << message;
  EXPECT_EQ(snapshot(db_file()), before);
  EXPECT_EQ(text_of(KioskStore::open(dir_)->load_draft(id)), "answers");
}

}  // namespace
}  // namespace tt::kiosk::testing

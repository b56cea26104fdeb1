// The store on a real full disk and a real read-only filesystem: a small tmpfs mounted for the
// test (needs root and permission to mount; skipped, saying why, where that is not allowed).
// The page-count hook in store_recovery_test.cpp covers SQLITE_FULL without a mount; this one
// proves the OS's own ENOSPC and EROFS reach the pupil as clear errors and cost no saved data.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "kiosk/store/kiosk_store.h"
#include "shared/crypto/random.h"

namespace {

namespace fs = std::filesystem;
using tt::kiosk::KioskStore;
using tt::kiosk::StoreError;
using tt::kiosk::StoreErrorKind;

class SmallFilesystem : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/tt-small-fs-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    mount_point_ = pattern;
    if (::mount("tmpfs", mount_point_.c_str(), "tmpfs", 0, "size=768k") != 0) {
      std::string why = std::strerror(errno);
      fs::remove(mount_point_);
      mount_point_.clear();
      GTEST_SKIP() << "cannot mount a small tmpfs here (" << why << "); the page-count test covers SQLITE_FULL";
    }
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) ::umount2(mount_point_.c_str(), MNT_DETACH);
    if (!mount_point_.empty()) fs::remove_all(mount_point_);
  }
  void remount_read_only() {
    ASSERT_EQ(::mount("tmpfs", mount_point_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, "size=768k"), 0)
        << std::strerror(errno);
  }

  fs::path mount_point_;
  bool mounted_ = false;
};

tt::Bytes draft_text(std::size_t size, char fill) {
  return tt::Bytes(size, static_cast<std::uint8_t>(fill));
}

TEST_F(SmallFilesystem, AFullDiskIsAClearErrorAndLosesNothingSaved) {
  fs::path dir = mount_point_ / "kiosk";
  std::vector<tt::kiosk::DraftId> saved;
  std::optional<StoreError> failure;
  {
    auto store = KioskStore::create(dir);
    // Drafts of 40 KB until the 768 KB filesystem is full.
    for (int i = 0; i < 100 && !failure; ++i) {
      try {
        saved.push_back(store->create_draft(tt::crypto::random_id128(), "s", 1, draft_text(40000, 'a' + i % 26)));
      } catch (const StoreError& e) {
        failure = e;
      }
    }
    ASSERT_TRUE(failure.has_value()) << "the filesystem never filled up";
    EXPECT_EQ(failure->kind(), StoreErrorKind::DiskFull) << failure->what();
    EXPECT_NE(std::string(failure->what()).find(dir.string()), std::string::npos) << failure->what();
    // Saving into an existing draft fails the same way and leaves its last saved contents.
    try {
      store->save_draft(saved.front(), draft_text(400000, 'z'));
      ADD_FAILURE() << "a 400 KB save fitted on a full disk";
    } catch (const StoreError& e) {
      EXPECT_EQ(e.kind(), StoreErrorKind::DiskFull) << e.what();
    }
  }
  ASSERT_GE(saved.size(), 3u);
  auto store = KioskStore::open(dir);
  EXPECT_EQ(store->integrity_check(), "ok");
  for (std::size_t i = 0; i < saved.size(); ++i) {
    auto plaintext = store->load_draft(saved[i]);
    ASSERT_EQ(plaintext.size(), 40000u) << "draft " << saved[i];
    EXPECT_EQ(plaintext.view()[0], static_cast<std::uint8_t>('a' + i % 26)) << "draft " << saved[i];
  }
}

TEST_F(SmallFilesystem, AReadOnlyFilesystemIsAClearErrorAndLosesNothingSaved) {
  fs::path dir = mount_point_ / "kiosk";
  tt::kiosk::DraftId id;
  {
    auto store = KioskStore::create(dir);
    id = store->create_draft(tt::crypto::random_id128(), "s", 1, draft_text(100, 'k'));
  }
  remount_read_only();
  try {
    auto store = KioskStore::open(dir);
    store->save_draft(id, draft_text(100, 'x'));
    ADD_FAILURE() << "a save succeeded on a read-only filesystem";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind(), StoreErrorKind::ReadOnly) << e.what();
    EXPECT_NE(std::string(e.what()).find(dir.string()), std::string::npos) << e.what();
  }
  ASSERT_EQ(::mount("tmpfs", mount_point_.c_str(), "tmpfs", MS_REMOUNT, "size=768k"), 0) << std::strerror(errno);
  auto store = KioskStore::open(dir);
  EXPECT_EQ(tt::to_string(store->load_draft(id).view()), std::string(100, 'k'));
}

}  // namespace

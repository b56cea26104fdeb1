// "An idle frame allocates nothing": frames the kiosk draws with nothing changed (a timer's
// wake-up, a settling frame after a tap) must not touch the heap, so an untouched kiosk left for
// a whole lesson does not fragment memory or slow down. Every allocator the frame could use is
// counted: C++ operator new, Dear ImGui's allocator and SDL's.
#include <SDL.h>
#include <gtest/gtest.h>
#include <imgui.h>
#include <stdlib.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <sstream>

#include "kiosk/session/pupil_session.h"
#include "kiosk/ui/input_script.h"
#include "kiosk/ui/kiosk_app.h"
#include "kiosk/ui/sdl_host.h"
#include "shared/crypto/key_files.h"
#include "shared/crypto/x25519.h"

namespace {

// Allocations while counting, by who asked: our code and the standard library (operator new),
// Dear ImGui (its allocator hook), SDL (its memory functions).
enum Allocator { kCpp, kImGui, kSdl };
std::atomic<long> g_allocations[3];
std::atomic<bool> g_counting{false};

void count(Allocator who) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations[who].fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

// The replacement operators below pair new with malloc and delete with free on purpose; GCC
// cannot see that they are the global replacements and warns about the pairing.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t size) {
  count(kCpp);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  return operator new(size);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
// The nothrow forms too (the standard library's temporary buffers use them): every form of new
// here must pair with these deletes, or a sanitizer build sees new/free mismatches.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  count(kCpp);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace tt::kiosk::ui {
namespace {

namespace fs = std::filesystem;

void* counting_malloc(size_t size) {
  count(kSdl);
  return std::malloc(size);
}
void* counting_calloc(size_t n, size_t size) {
  count(kSdl);
  return std::calloc(n, size);
}
void* counting_realloc(void* p, size_t size) {
  count(kSdl);
  return std::realloc(p, size);
}
void counting_free(void* p) {
  std::free(p);
}
void* imgui_alloc(size_t size, void*) {
  count(kImGui);
  return std::malloc(size);
}
void imgui_free(void* p, void*) {
  std::free(p);
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class IdleFrameTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SDL_SetMemoryFunctions(counting_malloc, counting_calloc, counting_realloc, counting_free);
    std::string pattern = (fs::temp_directory_path() / "tutortime-ui-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    store_ = KioskStore::create(root_ / "data");
    auto keys = crypto::x25519_generate();
    store_->set_setting(kSettingAnalysisPublicKey,
                        crypto::public_key_to_pem(crypto::KeyAlgorithm::X25519, keys.public_key));
    for (const char* id : {"y7-baseline", "demo-bilingual"}) {
      InstalledSurvey s;
      s.survey_id = id;
      s.version = 1;
      s.definition_json =
          read_file(fs::path(TUTORTIME_SOURCE_DIR) / "assets" / "surveys" / (std::string(id) + ".survey.json"));
      s.signature = Bytes(64, 0);  // install_survey() trusts its caller to have verified it
      store_->install_survey(s);
    }
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  struct Counts {
    long cpp = 0, imgui = 0, sdl = 0;
  };
  // Plays `taps`, draws a few frames to warm every buffer up, then counts the allocations of
  // `frames` more frames in which nothing changes.
  Counts idle_frame_allocations(const std::string& what, const std::string& survey_id, const std::string& taps,
                                int frames = 30) {
    SdlHost host(HostOptions{});
    ImGui::SetAllocatorFunctions(imgui_alloc, imgui_free);
    KioskApp app(*store_, load_installed_survey(*store_, survey_id), SessionOptions{});
    play_input_script(host, app, parse_input_script(taps), {});
    for (int i = 0; i < 10; ++i) {
      host.pump_events();
      host.render_frame(app);
    }
    for (auto& a : g_allocations) a = 0;
    g_counting = true;
    for (int i = 0; i < frames; ++i) {
      host.pump_events();
      host.render_frame(app);
    }
    g_counting = false;
    Counts c{g_allocations[kCpp].load(), g_allocations[kImGui].load(), g_allocations[kSdl].load()};
    // SDL's software renderer is reported, not held to zero: it allocates inside SDL for some
    // draw calls (in the kiosk's code and ImGui's, nothing may allocate).
    std::printf("%d idle frames of %s: %ld C++ allocations, %ld in Dear ImGui, %ld in SDL\n", frames, what.c_str(),
                c.cpp, c.imgui, c.sdl);
    return c;
  }
  void expect_none(const Counts& c) {
    EXPECT_EQ(c.cpp, 0) << "the kiosk's own code allocated during idle frames";
    EXPECT_EQ(c.imgui, 0) << "Dear ImGui allocated during idle frames";
  }

  fs::path root_;
  std::unique_ptr<KioskStore> store_;
};

TEST_F(IdleFrameTest, TheHandoverScreen) {
  expect_none(idle_frame_allocations("the hand-over screen", "y7-baseline", ""));
}

TEST_F(IdleFrameTest, TheLanguageNoticeAndAFacesQuestion) {
  expect_none(idle_frame_allocations("the language choice", "demo-bilingual", "tap Tap to start\n"));
  expect_none(idle_frame_allocations("the notice", "demo-bilingual", "tap Tap to start\ntap English\n"));
  expect_none(idle_frame_allocations("a faces question, in Polish, answered", "demo-bilingual",
                                     "tap Tap to start\ntap Polski\ntap Zacznij\ntap Dalej\ntap Smutno\n"));
}

TEST_F(IdleFrameTest, ThePupilCodeKeypadAndTheOnScreenKeyboard) {
  expect_none(idle_frame_allocations("the pupil-code keypad", "y7-baseline", "tap Tap to start\ntype 7K3\n"));
  // Each pupil needs their own code: the same code again the same day would carry on that draft.
  auto as_pupil = [](std::string taps, const std::string& code) { return taps.replace(taps.find("7K3MP8"), 6, code); };
  std::string to_text =
      "tap Tap to start\ntype 7K3MP8\ntap Start\ntap Start\ntap Next\n"
      "tap At no time\ntap Next\ntap At no time\ntap Next\ntap At no time\ntap Next\ntap At no time\ntap Next\n"
      "tap At no time\ntap Next\ntap Happy\ntap Next\ntap Often\ntap Next\ntap Often\ntap Next\ntap Often\n"
      "tap Next\ntap Often\ntap Next\ntap Often\ntap Next\ntap Next\ntap Next\n";
  expect_none(idle_frame_allocations("a labelled scale, a numbered scale and a long multiple choice", "y7-baseline",
                                     as_pupil(to_text.substr(0, to_text.find("tap Happy")), "4HW9TN") +
                                         "tap Very sad\ntap Next\n"
                                         "tap I feel too tired\ntap I feel worried or upset\n"));
  expect_none(idle_frame_allocations("a numbered scale", "y7-baseline", as_pupil(to_text, "9PXC3N") + "tap 3\n"));
  for (int i = 0; i < 7; ++i) to_text += "tap 3\ntap Next\n";
  to_text += "tap Next\ntap Yes, I know\ntap Next\ntype vet\n";
  expect_none(
      idle_frame_allocations("the on-screen keyboard, with text typed", "y7-baseline", as_pupil(to_text, "AD6RUH")));
}

}  // namespace
}  // namespace tt::kiosk::ui

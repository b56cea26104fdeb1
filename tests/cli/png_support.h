#pragma once
// Reading the app's PNG screenshots back in the tests (libpng's simplified API).
#include <gtest/gtest.h>
#include <png.h>

#include <cstdint>
#include <filesystem>
#include <set>
#include <vector>

namespace tt::cli_testing {

struct Picture {
  unsigned width = 0, height = 0;
  std::vector<unsigned char> rgba;
  std::size_t distinct_colours() const {
    std::set<std::uint32_t> colours;
    for (std::size_t i = 0; i + 3 < rgba.size(); i += 4) {
      colours.insert(static_cast<std::uint32_t>(rgba[i] << 16 | rgba[i + 1] << 8 | rgba[i + 2]));
      if (colours.size() > 64) break;
    }
    return colours.size();
  }
};

inline Picture read_png(const std::filesystem::path& file) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  Picture p;
  if (png_image_begin_read_from_file(&image, file.c_str()) == 0) {
    ADD_FAILURE() << file << ": " << image.message;
    return p;
  }
  image.format = PNG_FORMAT_RGBA;
  p.width = image.width;
  p.height = image.height;
  p.rgba.resize(PNG_IMAGE_SIZE(image));
  if (png_image_finish_read(&image, nullptr, p.rgba.data(), 0, nullptr) == 0) ADD_FAILURE() << image.message;
  return p;
}

}  // namespace tt::cli_testing

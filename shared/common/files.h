#pragma once
// Whole-file reads and atomic replacement (temp file in the same directory, fsync, rename,
// fsync the directory), so a power cut leaves either the old file or the new one, never half.
#include <sys/types.h>

#include <filesystem>
#include <string>

#include "shared/common/bytes.h"

namespace tt {

// Throws tt::Error naming the file and the OS's reason.
std::string read_text_file(const std::filesystem::path& file);
Bytes read_binary_file(const std::filesystem::path& file);

// `mode` applies to the new file (e.g. 0600 for secrets). If `overwrite` is false and the file
// exists, throws tt::Error and leaves it untouched.
void write_file_atomically(const std::filesystem::path& file, ByteView contents, mode_t mode, bool overwrite = true);

// Flushes a directory entry to disk (after a rename or a create).
void fsync_directory(const std::filesystem::path& directory);

}  // namespace tt

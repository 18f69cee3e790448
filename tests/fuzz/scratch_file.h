#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace memlens::fuzz {

// The readers under test take paths, so each input is written to a file first. One folder per
// process: libFuzzer's -fork/-jobs workers must not overwrite each other's inputs.
inline const std::filesystem::path& scratchDir() {
  static const std::filesystem::path dir = [] {
    auto d =
        std::filesystem::temp_directory_path() / ("memlens-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

inline std::string writeScratch(const std::string& name, std::string_view bytes) {
  const std::string path = (scratchDir() / name).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) std::abort();  // a broken harness must not pass for a robust reader
  return path;
}

inline std::string_view asText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// An invariant the code under test broke: libFuzzer records the input as a crash.
inline void require(bool holds) {
  if (!holds) std::abort();
}

}  // namespace memlens::fuzz

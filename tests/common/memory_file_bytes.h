// Memory files taken apart and damaged on purpose: their section table, checksums restamped
// after an edit (so only the reader's own checks can catch it), and what opening and
// verifyMemory() say of them. Shared by the memory-file tests.
#pragma once

#include <QString>
#include <QtTest>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "memfile/checksum64.h"
#include "memfile/memory_file_layout.h"
#include "memlens/experiment.h"
#include "memlens/memory_file.h"
#include "memlens/tokenised_corpus.h"
#include "memlens/trace.h"
#include "test_support.h"

namespace memlens::test {

using Layout = MemoryFileLayout;

// The first 3000 verses of the KJV demo corpus.
inline std::string kjvSlice() {
  std::string kjv = kjvHead(3000);
  if (kjv.empty()) qFatal("the KJV demo corpus is missing: build the demo_corpus target");
  return kjv;
}

inline std::shared_ptr<const Experiment> train(const std::string& path, Algorithm algorithm) {
  TokeniserOptions tokeniser;
  auto corpus = TokenisedCorpus::load({path}, tokeniser);
  if (!corpus) qFatal("%s", corpus.status().message().c_str());
  ExperimentOptions options;
  options.classifier.algorithm = algorithm;
  options.classifier.k = 2;
  options.classifier.distanceWeighting = DistanceWeighting::kInverseDistance;
  options.classifier.wordVectors.dimensions = 16;
  options.maxTestTokens = 3000;
  auto e = Experiment::run(std::move(*corpus), options);
  if (!e) qFatal("%s", e.status().message().c_str());
  return std::shared_ptr<const Experiment>(std::move(*e));
}

// The section table of a memory file's bytes.
inline std::vector<Layout::Entry> sections(const std::string& bytes) {
  Layout::Header h;
  std::memcpy(&h, bytes.data(), sizeof h);
  std::vector<Layout::Entry> entries(h.sectionCount);
  std::memcpy(entries.data(), bytes.data() + Layout::kHeaderBytes,
              entries.size() * sizeof(Layout::Entry));
  return entries;
}

// Recomputes every checksum after a deliberate edit, so only the reader's consistency checks
// can catch it.
inline void restamp(std::string& bytes) {
  std::vector<Layout::Entry> entries = sections(bytes);
  for (Layout::Entry& e : entries)
    e.checksum = Checksum64::of(std::string_view(bytes).substr(e.offset, e.length));
  const size_t tableBytes = entries.size() * sizeof(Layout::Entry);
  std::memcpy(bytes.data() + Layout::kHeaderBytes, entries.data(), tableBytes);
  Layout::Header h;
  std::memcpy(&h, bytes.data(), sizeof h);
  h.tableChecksum =
      Checksum64::of(std::string_view(bytes).substr(Layout::kHeaderBytes, tableBytes));
  h.headerChecksum = Checksum64::of({reinterpret_cast<const char*>(&h), 40});
  std::memcpy(bytes.data(), &h, sizeof h);
}

// Writes `bytes` with `value` over the bytes at `at`, restamped, as `name` in `dir`.
template <class T>
void writeDamaged(const QTemporaryDir& dir, const char* name, std::string bytes, size_t at,
                  const T& value) {
  std::memcpy(bytes.data() + at, &value, sizeof value);
  restamp(bytes);
  writeFile(dir, name, bytes);
}

inline const Layout::Entry& section(const std::vector<Layout::Entry>& entries, Layout::Section id) {
  for (const Layout::Entry& e : entries)
    if (e.id == static_cast<uint32_t>(id)) return e;
  qFatal("no section %u", static_cast<unsigned>(id));
}

// The file offset of the elements of an array at `at` (a u64 count, padding to 8, elements,
// padding to 8), after skipping arrays whose element sizes are `skipped`.
inline size_t arrayData(const std::string& bytes, size_t at,
                        std::initializer_list<size_t> skipped) {
  for (size_t elementSize : skipped) {
    uint64_t count;
    std::memcpy(&count, bytes.data() + at, 8);
    at = (at + 8 + 7) / 8 * 8;
    at = (at + count * elementSize + 7) / 8 * 8;
  }
  return (at + 8 + 7) / 8 * 8;
}

inline QString errorOf(const std::string& path) {
  auto e = openMemory(path);
  return e ? QString() : QString::fromStdString(e.status().message());
}

inline QString verifyErrorOf(const std::string& path) {
  return QString::fromStdString(verifyMemory(path).message());
}

// A file whose damage opening leaves to the first reads: verifyMemory() names it (`expected`);
// opened, it predicts and traces every test context without reading out of bounds. Null when
// a check failed.
inline std::shared_ptr<const Experiment> openedDespiteDamage(const std::string& path,
                                                             const QString& expected) {
  const QString verified = verifyErrorOf(path);
  if (!verified.contains(expected)) {
    qWarning("verifyMemory() said: %s", qPrintable(verified));
    return nullptr;
  }
  auto opened = openMemory(path);
  if (!opened) {
    qWarning("openMemory() said: %s", opened.status().message().c_str());
    return nullptr;
  }
  const Experiment& e = **opened;
  for (size_t i = 0; i < e.test().size(); ++i) (void)traceContext(e, e.test().instance(i));
  return *opened;
}

}  // namespace memlens::test

#pragma once

// A KJV slice for the incremental editing tests (tst_incremental_edits, tst_tribl2_edits).
#include <QTemporaryDir>

#include <memory>
#include <string>
#include <vector>

#include "edit_fixture.h"
#include "memlens/instance_builder.h"
#include "memlens/tokenised_corpus.h"
#include "test_support.h"

namespace memlens::test {

// A KJV slice in three documents, its width-`width` instances split into training instances and
// a probe set (every fifth instance). Null when the demo corpus is missing or the slice cannot be
// written and read back.
struct Slice {
  QTemporaryDir dir;
  std::shared_ptr<TokenisedCorpus> corpus;
  InstanceSet train, probe;
};

inline std::unique_ptr<Slice> kjvSlice(int lines, int width) {
  auto s = std::make_unique<Slice>();
  const std::string text = kjvHead(lines);
  if (text.empty()) return nullptr;
  std::vector<std::string> paths;
  size_t cut = 0;
  for (int d = 0; d < 3; ++d) {
    size_t end = d == 2 ? text.size() : text.find('\n', (text.size() * (d + 1)) / 3);
    end = end == std::string::npos ? text.size() : end + 1;
    paths.push_back(
        writeFile(s->dir, "part" + std::to_string(d) + ".txt", text.substr(cut, end - cut)));
    cut = end;
  }
  auto loaded = TokenisedCorpus::load(paths, {});
  if (!loaded) return nullptr;  // e.g. a full disk: its parts could not be written
  s->corpus = std::move(*loaded);
  WindowOptions window;
  window.width = width;
  const InstanceSet all = *buildInstances(s->corpus->tokens, s->corpus->paddingId, window);
  s->train.width = s->probe.width = width;
  for (size_t i = 0; i < all.size(); ++i) appendInstance(i % 5 == 4 ? s->probe : s->train, all, i);
  return s;
}

}  // namespace memlens::test

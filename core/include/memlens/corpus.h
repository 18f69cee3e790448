#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "memlens/job_control.h"
#include "memlens/result.h"

namespace memlens {

class MappedFile;

// One validated UTF-8 text file, memory-mapped (never copied).
struct Document {
  std::string path;
  uint64_t sizeBytes = 0;
  uint64_t lineCount = 0;  // lines as split on '\n' (a final line without '\n' counts)
  uint32_t bomBytes = 0;   // a leading UTF-8 byte-order mark, skipped
  std::string_view text;   // the whole file after the BOM; valid while the Corpus lives
};

struct CorpusOptions {
  // Folders are searched recursively for regular files; hidden files and folders are skipped.
  bool recursive = true;
};

// A set of documents opened from files and folders. Every file is checked before it is used:
// missing, unreadable, empty, binary (NUL byte) and invalid UTF-8 files are errors that name the
// file, line and byte. Documents are in the order given; files inside a folder sorted by path.
// Immutable after open(): any number of threads may read it at once.
class Corpus {
 public:
  static Result<std::unique_ptr<Corpus>> open(const std::vector<std::string>& paths,
                                              const CorpusOptions& options = {},
                                              JobControl* job = nullptr);
  Corpus(const Corpus&) = delete;
  Corpus& operator=(const Corpus&) = delete;
  ~Corpus();

  size_t documentCount() const { return documents_.size(); }
  const Document& document(size_t i) const { return documents_[i]; }
  uint64_t totalBytes() const;

 private:
  Corpus() = default;
  std::vector<std::unique_ptr<MappedFile>> files_;
  std::vector<Document> documents_;
};

}  // namespace memlens

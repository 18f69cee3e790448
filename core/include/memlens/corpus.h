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
  // The file's modification time when its text was read (ns, the file clock's epoch): a memory
  // file reattaches a file of the same size and time without hashing it again.
  int64_t modifiedNs = 0;
  std::string_view text;  // the whole file after the BOM; valid while the Corpus lives
  // False for a corpus reopened with a memory file whose file is missing or changed: `text` is
  // then empty, and `textMissing` says why, for views to show ("kjv.txt changed since ...").
  bool textAvailable = true;
  std::string textMissing;
};

struct CorpusOptions {
  // Folders are searched recursively for regular files; hidden files and folders are skipped.
  bool recursive = true;
  // False: open() maps the files and checks that they exist and are not empty, but reads none of
  // their text; the caller checks the parts it reads (checkPart) and sets the line counts. A
  // sharded run's ranks each check only their share of a corpus so.
  bool checkText = true;
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
  // The corpus of a saved memory: `saved` (path, size, lines, BOM, modification time; no text)
  // with its files' SHA-256 (`sha256[i]` for saved[i]). With `attach`, a file still at its path
  // with the same size and either the same modification time or the same SHA-256 gets its text
  // (mapped, as open() does); every other document keeps no text and says why. Never an error for a
  // missing or changed file: the memory works without its text.
  static Result<std::unique_ptr<Corpus>> reattach(std::vector<Document> saved,
                                                  const std::vector<std::string>& sha256,
                                                  bool attach, JobControl* job = nullptr);
  Corpus(const Corpus&) = delete;
  Corpus& operator=(const Corpus&) = delete;
  ~Corpus();

  size_t documentCount() const { return documents_.size(); }
  const Document& document(size_t i) const { return documents_[i]; }
  uint64_t totalBytes() const;

  // What open() checks, for bytes [begin, end) of document `document`'s text, `begin` at a line's
  // start: the first NUL byte or invalid UTF-8 in it is an error that names the file, line and
  // byte as open() does; otherwise the part's newlines.
  Result<uint64_t> checkPart(size_t document, size_t begin, size_t end,
                             JobControl* job = nullptr) const;
  // After an open() without checkText: each document's newlines (its parts' checkPart counts,
  // summed), from which its line count follows as open() counts it.
  void setNewlines(const std::vector<uint64_t>& newlines);

 private:
  Corpus() = default;
  std::vector<std::unique_ptr<MappedFile>> files_;
  std::vector<Document> documents_;
};

}  // namespace memlens

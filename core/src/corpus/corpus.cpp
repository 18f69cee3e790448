#include "memlens/corpus.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>

#include "base/mapped_file.h"
#include "base/sha256.h"
#include "unicode/utf8.h"

namespace memlens {

namespace fs = std::filesystem;

namespace {

bool isHidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

// Expands folders into the sorted list of regular files below them.
Result<std::vector<std::string>> expandPaths(const std::vector<std::string>& paths,
                                             const CorpusOptions& options) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) return Status::notFound(path + ": no such file or folder");
    if (!fs::is_directory(st)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> inFolder;
    auto collect = [&](auto iterator) -> Status {
      for (auto it = iterator; it != decltype(iterator){}; it.increment(ec)) {
        if (ec) return Status::ioError(path + ": cannot list folder: " + ec.message());
        if (isHidden(it->path())) {
          if constexpr (std::is_same_v<decltype(it), fs::recursive_directory_iterator>) {
            if (it->is_directory(ec)) it.disable_recursion_pending();
          }
          continue;
        }
        if (it->is_regular_file(ec)) inFolder.push_back(it->path().string());
      }
      return ec ? Status::ioError(path + ": cannot list folder: " + ec.message()) : Status::ok();
    };
    Status listed = options.recursive ? collect(fs::recursive_directory_iterator(path, ec))
                                      : collect(fs::directory_iterator(path, ec));
    if (ec) return Status::ioError(path + ": cannot list folder: " + ec.message());
    if (!listed) return listed;
    if (inFolder.empty()) return Status::notFound(path + ": the folder holds no files");
    std::sort(inFolder.begin(), inFolder.end());
    files.insert(files.end(), inFolder.begin(), inFolder.end());
  }
  if (files.empty()) return Status::invalidArgument("no corpus files given");
  return files;
}

// Checks `text`'s bytes [begin, end) a slice at a time (slices end before a UTF-8 continuation
// byte, so no sequence is split), so a cancel is seen within one slice even in a file of
// gigabytes. The first NUL byte or invalid UTF-8 is the error, wherever the slices fall (a
// sharded run checks the same text in other parts).
Status checkText(const std::string& path, std::string_view text, size_t begin, size_t end,
                 JobControl* job, uint64_t& newlines) {
  constexpr size_t kSlice = size_t{8} << 20;
  newlines = 0;
  for (size_t start = begin; start < end;) {
    if (cancelRequested(job)) return Status::cancelled();
    size_t stop = std::min(end, start + kSlice);
    while (stop < end && stop > start + 1 &&
           (static_cast<unsigned char>(text[stop]) & 0xC0) == 0x80)
      --stop;
    const std::string_view slice = text.substr(start, stop - start);
    const size_t nul = slice.find('\0');
    const size_t bad = findInvalidUtf8(slice);
    if (nul != std::string_view::npos && nul <= bad) {
      const auto at = lineColumnAt(text, start + nul);
      return Status::corrupt(path + " line " + std::to_string(at.line) + ", byte " +
                             std::to_string(at.byteInLine) +
                             ": NUL byte; this looks like a binary file, not UTF-8 text");
    }
    if (bad != std::string_view::npos) {
      const auto at = lineColumnAt(text, start + bad);
      return Status::corrupt(path + " line " + std::to_string(at.line) + ", byte " +
                             std::to_string(at.byteInLine) + ": invalid UTF-8 (file offset " +
                             std::to_string(start + bad) + ")");
    }
    newlines += static_cast<uint64_t>(std::count(slice.begin(), slice.end(), '\n'));
    start = stop;
  }
  return Status::ok();
}

// A document's lines: its newlines, and one more for a last line without one.
uint64_t lineCountOf(std::string_view text, uint64_t newlines) {
  return newlines + (!text.empty() && text.back() != '\n' ? 1 : 0);
}

// 0 when the time cannot be read, which no saved time matches.
int64_t modifiedNsOf(const std::string& path) {
  std::error_code ec;
  const auto time = fs::last_write_time(path, ec);
  if (ec) return 0;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

}  // namespace

Corpus::~Corpus() = default;

uint64_t Corpus::totalBytes() const {
  uint64_t total = 0;
  for (const Document& d : documents_) total += d.sizeBytes;
  return total;
}

Result<std::unique_ptr<Corpus>> Corpus::open(const std::vector<std::string>& paths,
                                             const CorpusOptions& options, JobControl* job) {
  auto files = expandPaths(paths, options);
  if (!files) return files.status();

  std::unique_ptr<Corpus> corpus(new Corpus());
  for (size_t i = 0; i < files->size(); ++i) {
    if (cancelRequested(job)) return Status::cancelled();
    const std::string& path = (*files)[i];
    reportProgress(job, static_cast<double>(i) / static_cast<double>(files->size()),
                   "checking " + path);
    auto mapped = MappedFile::open(path);
    if (!mapped) return mapped.status();
    std::string_view text = (*mapped)->bytes();
    if (text.empty()) return Status::corrupt(path + ": empty file");

    Document doc;
    doc.path = path;
    doc.sizeBytes = text.size();
    doc.modifiedNs = modifiedNsOf(path);
    if (text.starts_with("\xEF\xBB\xBF")) {
      doc.bomBytes = 3;
      text.remove_prefix(3);
    }
    if (options.checkText) {
      uint64_t newlines = 0;
      if (Status s = checkText(path, text, 0, text.size(), job, newlines); !s) return s;
      doc.lineCount = lineCountOf(text, newlines);
    }
    doc.text = text;
    corpus->documents_.push_back(std::move(doc));
    corpus->files_.push_back(std::move(*mapped));
  }
  reportProgress(job, 1.0, "corpus checked");
  return corpus;
}

Result<uint64_t> Corpus::checkPart(size_t document, size_t begin, size_t end,
                                   JobControl* job) const {
  const Document& doc = documents_[document];
  uint64_t newlines = 0;
  if (Status s =
          checkText(doc.path, doc.text, begin, std::min(end, doc.text.size()), job, newlines);
      !s)
    return s;
  return newlines;
}

void Corpus::setNewlines(const std::vector<uint64_t>& newlines) {
  for (size_t d = 0; d < documents_.size() && d < newlines.size(); ++d)
    documents_[d].lineCount = lineCountOf(documents_[d].text, newlines[d]);
}

Result<std::unique_ptr<Corpus>> Corpus::reattach(std::vector<Document> saved,
                                                 const std::vector<std::string>& sha256,
                                                 bool attach, JobControl* job) {
  if (sha256.size() != saved.size())
    return Status::invalidArgument("reattach needs one SHA-256 per document");
  std::unique_ptr<Corpus> corpus(new Corpus());
  for (size_t i = 0; i < saved.size(); ++i) {
    if (cancelRequested(job)) return Status::cancelled();
    Document& doc = saved[i];
    doc.text = {};
    doc.textAvailable = false;
    const std::string name = fs::path(doc.path).filename().string();
    if (!attach) {
      doc.textMissing = "the corpus was not attached: provenance text is not shown";
      corpus->documents_.push_back(std::move(doc));
      continue;
    }
    reportProgress(job, static_cast<double>(i) / static_cast<double>(saved.size()),
                   "checking " + doc.path);
    auto mapped = MappedFile::open(doc.path, MappedFile::Access::kMixed);
    if (!mapped) {
      doc.textMissing = name + " is not at " + doc.path + " (" + mapped.status().message() +
                        "): provenance text is not shown";
      corpus->documents_.push_back(std::move(doc));
      continue;
    }
    const std::string_view bytes = (*mapped)->bytes();
    // A size that differs settles it without reading the file; the same size and modification
    // time are taken as the same text (hashing gigabytes would dominate opening), which
    // verifyMemory() confirms with the SHA-256.
    const int64_t modified = modifiedNsOf(doc.path);
    const bool sameTime = modified != 0 && modified == doc.modifiedNs;
    if (bytes.size() != doc.sizeBytes || (!sameTime && Sha256::of(bytes) != sha256[i])) {
      doc.textMissing =
          name +
          " changed since the memory was saved (SHA-256 differs): provenance text is not "
          "shown";
      corpus->documents_.push_back(std::move(doc));
      continue;
    }
    doc.text = bytes.substr(std::min<size_t>(doc.bomBytes, bytes.size()));
    doc.textAvailable = true;
    doc.modifiedNs = modified;  // the text is the saved one: later opens need not hash it
    corpus->documents_.push_back(std::move(doc));
    corpus->files_.push_back(std::move(*mapped));
  }
  return corpus;
}

}  // namespace memlens

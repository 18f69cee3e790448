#include "memlens/columns_file.h"

#include <string_view>
#include <vector>

#include "base/atomic_file_writer.h"
#include "base/mapped_file.h"
#include "timbl/columns_fields.h"
#include "unicode/utf8.h"

namespace memlens {

namespace {

constexpr size_t kPollEvery = 1 << 14;

}  // namespace

Result<InstanceSet> readColumnsFile(const std::string& path, Vocabulary& vocab, JobControl* job) {
  auto file = MappedFile::open(path);
  if (!file) return file.status();
  const std::string_view text = (*file)->bytes();
  if (text.empty()) return Status::corrupt(path + ": empty file, no instances");
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
    const auto at = lineColumnAt(text, nul);
    return Status::corrupt(path + " line " + std::to_string(at.line) +
                           ": NUL byte; this looks like a binary file, not a Columns file");
  }
  if (const size_t bad = findInvalidUtf8(text); bad != std::string_view::npos) {
    const auto at = lineColumnAt(text, bad);
    return Status::corrupt(path + " line " + std::to_string(at.line) + ", byte " +
                           std::to_string(at.byteInLine) + ": invalid UTF-8");
  }

  InstanceSet set;
  std::vector<std::string_view> fields;
  size_t expected = 0;
  size_t firstLine = 0;
  size_t lineNo = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++lineNo;
    if (lineNo % kPollEvery == 0) {
      if (cancelRequested(job)) return Status::cancelled();
      reportProgress(job, static_cast<double>(pos) / static_cast<double>(text.size()),
                     "reading " + path);
    }
    splitColumnsFields(line, fields);
    if (fields.empty()) continue;
    if (expected == 0) {
      if (fields.size() < 2) {
        return Status::corrupt(path + " line " + std::to_string(lineNo) +
                               ": a Columns instance needs at least one feature and a class");
      }
      expected = fields.size();
      firstLine = lineNo;
      set.width = static_cast<int>(expected - 1);
    } else if (fields.size() != expected) {
      return Status::corrupt(path + " line " + std::to_string(lineNo) + ": " +
                             std::to_string(fields.size()) + " fields, expected " +
                             std::to_string(expected) + " as on line " + std::to_string(firstLine));
    }
    for (size_t f = 0; f + 1 < fields.size(); ++f) set.features.push_back(vocab.intern(fields[f]));
    set.classes.push_back(vocab.intern(fields.back()));
    set.sources.push_back(lineNo);
  }
  if (set.size() == 0) return Status::corrupt(path + ": no instances (only blank lines)");
  reportProgress(job, 1.0, "reading " + path);
  return set;
}

Status writeColumnsFile(const std::string& path, const InstanceSet& instances,
                        const Vocabulary& vocab, JobControl* job) {
  auto out = AtomicFileWriter::create(path);
  if (!out) return out.status();
  for (size_t i = 0; i < instances.size(); ++i) {
    if (i % kPollEvery == 0) {
      if (cancelRequested(job)) return Status::cancelled();  // the writer removes its file
      reportProgress(job, static_cast<double>(i) / static_cast<double>(instances.size()),
                     "writing " + path);
    }
    for (uint32_t value : instances.instance(i)) {
      (*out)->write(vocab.text(value));
      (*out)->put(' ');
    }
    (*out)->write(vocab.text(instances.classes[i]));
    (*out)->put('\n');
  }
  if (Status s = (*out)->commit(); !s) return s;
  reportProgress(job, 1.0, "writing " + path);
  return Status::ok();
}

}  // namespace memlens

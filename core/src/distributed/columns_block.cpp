#include "distributed/columns_block.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "base/mapped_file.h"
#include "distributed/message.h"
#include "distributed/token_ids.h"
#include "timbl/columns_fields.h"
#include "unicode/utf8.h"

namespace memlens {
namespace {

constexpr size_t kPollEvery = 1 << 14;

// The first line that starts at or after byte `at`.
size_t lineStartFrom(std::string_view text, size_t at) {
  if (at == 0) return 0;
  const size_t newline = text.find('\n', at - 1);
  return newline == std::string_view::npos ? text.size() : newline + 1;
}

// What the other ranks need to know of a rank's part before anyone parses: its lines (for the
// line numbers after it), and the fields and line of its first instance (the file's first
// instance decides how many fields every line has).
struct PartSummary {
  uint64_t lines = 0;
  uint64_t firstFields = 0;  // 0: no instance in the part
  uint64_t firstLine = 0;    // 1-based within the part
};

PartSummary summarise(std::string_view part) {
  PartSummary s;
  s.lines = static_cast<uint64_t>(std::count(part.begin(), part.end(), '\n'));
  std::vector<std::string_view> fields;
  size_t pos = 0;
  for (uint64_t line = 1; pos < part.size() && s.firstFields == 0; ++line) {
    size_t end = part.find('\n', pos);
    if (end == std::string_view::npos) end = part.size();
    splitColumnsFields(part.substr(pos, end - pos), fields);
    s.firstFields = fields.size();
    s.firstLine = line;
    pos = end + 1;
  }
  return s;
}

// This rank's part parsed with local token ids; line numbers and the expected field count are
// the file's.
Result<InstanceSet> parsePart(const std::string& path, std::string_view part, uint64_t lineOffset,
                              uint64_t expected, uint64_t firstLine, Vocabulary& local,
                              JobControl* job) {
  if (const size_t nul = part.find('\0'); nul != std::string_view::npos) {
    return Status::corrupt(path + " line " +
                           std::to_string(lineOffset + lineColumnAt(part, nul).line) +
                           ": NUL byte; this looks like a binary file, not a Columns file");
  }
  if (const size_t bad = findInvalidUtf8(part); bad != std::string_view::npos) {
    const auto at = lineColumnAt(part, bad);
    return Status::corrupt(path + " line " + std::to_string(lineOffset + at.line) + ", byte " +
                           std::to_string(at.byteInLine) + ": invalid UTF-8");
  }
  InstanceSet set;
  set.width = static_cast<int>(expected) - 1;
  std::vector<std::string_view> fields;
  uint64_t lineNo = lineOffset;
  size_t pos = 0;
  while (pos < part.size()) {
    size_t end = part.find('\n', pos);
    if (end == std::string_view::npos) end = part.size();
    const std::string_view line = part.substr(pos, end - pos);
    pos = end + 1;
    ++lineNo;
    if ((lineNo - lineOffset) % kPollEvery == 0) {
      if (cancelRequested(job)) return Status::cancelled();
      reportProgress(job, static_cast<double>(pos) / static_cast<double>(part.size()),
                     "reading " + path);
    }
    splitColumnsFields(line, fields);
    if (fields.empty()) continue;
    if (lineNo == firstLine && fields.size() < 2) {
      return Status::corrupt(path + " line " + std::to_string(lineNo) +
                             ": a Columns instance needs at least one feature and a class");
    }
    if (fields.size() != expected) {
      return Status::corrupt(path + " line " + std::to_string(lineNo) + ": " +
                             std::to_string(fields.size()) + " fields, expected " +
                             std::to_string(expected) + " as on line " + std::to_string(firstLine));
    }
    for (size_t f = 0; f + 1 < fields.size(); ++f) set.features.push_back(local.intern(fields[f]));
    set.classes.push_back(local.intern(fields.back()));
    set.sources.push_back(lineNo);
  }
  reportProgress(job, 1.0, "reading " + path);
  return set;
}

}  // namespace

Result<InstanceSet> readColumnsBlock(Communicator& comm, const std::string& path, Vocabulary& vocab,
                                     JobControl* job) {
  auto file = MappedFile::open(path);
  Status opened = file ? Status::ok() : file.status();
  if (opened && (*file)->bytes().empty())
    opened = Status::corrupt(path + ": empty file, no instances");
  if (Status st = comm.agree(opened); !st) return st;

  const std::string_view text = (*file)->bytes();
  const auto size = static_cast<uint64_t>(text.size());
  const auto r = static_cast<uint64_t>(comm.rank());
  const auto ranks = static_cast<uint64_t>(comm.size());
  const size_t begin = lineStartFrom(text, size * r / ranks);
  const size_t end = lineStartFrom(text, size * (r + 1) / ranks);
  const std::string_view part = text.substr(begin, std::max(begin, end) - begin);

  const PartSummary mine = summarise(part);
  Message summary;
  summary.put(mine);
  auto summaries = comm.allGather(summary.bytes());
  if (!summaries) return summaries.status();
  uint64_t lineOffset = 0, expected = 0, firstLine = 0, linesBefore = 0;
  for (uint64_t q = 0; q < ranks; ++q) {
    Message m(std::move((*summaries)[q]));
    const auto s = m.get<PartSummary>();
    if (!m.ok()) return Status::internal("malformed line counts from rank " + std::to_string(q));
    if (q == r) lineOffset = linesBefore;
    if (expected == 0 && s.firstFields != 0) {
      expected = s.firstFields;
      firstLine = linesBefore + s.firstLine;
    }
    linesBefore += s.lines;
  }
  if (expected == 0) return Status::corrupt(path + ": no instances (only blank lines)");

  Vocabulary local;
  auto block = parsePart(path, part, lineOffset, expected, firstLine, local, job);
  if (Status st = comm.agree(block ? Status::ok() : block.status()); !st) return st;
  auto ids = agreeTokenIds(comm, local, vocab);
  if (!ids) return ids.status();
  for (uint32_t& f : block->features) f = (*ids)[f];
  for (uint32_t& c : block->classes) c = (*ids)[c];
  return block;
}

}  // namespace memlens

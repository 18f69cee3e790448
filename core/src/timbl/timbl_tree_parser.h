#pragma once

#include <string>
#include <string_view>

#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/vocabulary.h"
#include "timbl/timbl_tree.h"

namespace memlens {

// Parses a TiMBL 6.5 instance-base file (hashed or not, with or without +D distributions) from
// `text` (the mapped file; no copy per line). Value and class strings are interned into `vocab`.
// Any malformation (a truncated file, a wrong header, an unknown class or value index) is an
// error naming `path` and the line. Polls `job` while parsing. Not thread-safe (one per parse).
class TimblTreeParser {
 public:
  TimblTreeParser(std::string path, std::string_view text, Vocabulary& vocab, JobControl* job)
      : path_(std::move(path)), text_(text), vocab_(vocab), job_(job) {}

  Result<TimblTree> parse();

 private:
  Status parseHeader();
  Status parseTables();
  Status parseNode(int depth, uint32_t parent, uint32_t value);
  Status parseDistribution(uint32_t node, bool topLevel);
  Result<uint32_t> parseClass();
  Result<uint32_t> parseValue();
  Result<uint64_t> parseNumber(const char* what);
  std::string_view token();
  void skipSpace();
  bool atEnd() const { return pos_ >= text_.size(); }
  char peek() const { return atEnd() ? '\0' : text_[pos_]; }
  Status expect(char c, const char* where);
  Status error(const std::string& message) const;

  std::string path_;
  std::string_view text_;
  Vocabulary& vocab_;
  JobControl* job_;
  size_t pos_ = 0;
  TimblTree tree_;
  std::vector<uint32_t> valueIds_;  // hashed files: Features table index - 1 -> Vocabulary id
  std::vector<uint32_t> classOf_;   // Vocabulary id -> class index + 1 (0: not a class)
  uint32_t rootClassToken_ = 0;     // unhashed: the root's class, resolved after the top dist
};

}  // namespace memlens

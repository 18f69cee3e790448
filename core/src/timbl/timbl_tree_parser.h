#pragma once

#include <string>
#include <string_view>

#include "base/mapped_file.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/vocabulary.h"
#include "timbl/timbl_parsed_base.h"

namespace memlens {

// Parses a TiMBL 6.5 instance-base file (hashed or not, with or without +D distributions) from
// `file` (mapped; no copy per line, and the pages read are released as the parse passes them, so
// the file does not stay resident beside what is built from it). Value and class strings are
// interned into `vocab`. Any malformation (a truncated file, a wrong header, an unknown class or
// value index) is an error naming `path` and the line. Polls `job` while parsing. Not
// thread-safe (one per parse).
class TimblTreeParser {
 public:
  TimblTreeParser(std::string path, const MappedFile& file, Vocabulary& vocab, JobControl* job)
      : path_(std::move(path)), file_(file), text_(file.bytes()), vocab_(vocab), job_(job) {}

  Result<TimblParsedBase> parse();

 private:
  // A node's distribution: pool[begin, begin + count).
  struct Dist {
    uint32_t begin = 0;
    uint32_t count = 0;
  };

  Status parseHeader();
  Status parseTables();
  Status parseNode(int depth, uint32_t value);
  Result<Dist> parseDistribution(bool topLevel);
  Status addLeaf(int depth, Dist dist);
  Status addPrunedNode(int depth, uint32_t value, uint32_t defaultClass, Dist dist);
  Result<uint32_t> parseClass();
  Result<uint32_t> parseValue();
  Result<uint64_t> parseNumber(const char* what);
  size_t countNodeOpenings();
  Status poll();
  std::string_view token();
  void skipSpace();
  bool atEnd() const { return pos_ >= text_.size(); }
  char peek() const { return atEnd() ? '\0' : text_[pos_]; }
  Status expect(char c, const char* where);
  Status error(const std::string& message) const;

  std::string path_;
  const MappedFile& file_;
  std::string_view text_;
  Vocabulary& vocab_;
  JobControl* job_;
  size_t pos_ = 0;
  size_t released_ = 0;  // file_ bytes before this are released
  uint64_t nodeCount_ = 0;
  TimblParsedBase base_;
  std::vector<uint32_t> valueIds_;  // hashed files: Features table index - 1 -> Vocabulary id
  std::vector<uint32_t> classOf_;   // Vocabulary id -> class index + 1 (0: not a class)
  uint32_t rootClassToken_ = 0;     // unhashed: the root's class, resolved after the top dist
  // Pruned: per depth, the nodes parsed under the open node one level up, waiting for it to
  // close and place them as one block of siblings.
  std::vector<std::vector<IgTree::Node>> siblings_;
  std::vector<uint32_t> pathValues_;  // complete: the values on the way to the current node
};

}  // namespace memlens

#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "base/mapped_file.h"
#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/vocabulary.h"
#include "timbl/timbl_parsed_base.h"

namespace memlens {

// Parses a TiMBL 6.5 instance-base file (hashed or not, with or without +D distributions) from
// `file` (mapped; no copy per line, and the pages read are released as the parse passes them, so
// the file does not stay resident beside what is built from it). Value and class strings are
// interned into `vocab`. Any malformation (a truncated file, a wrong header, an unknown class or
// value index) is an error naming `path` and the line. Polls `job` while parsing. With `queries`
// (see TimblBaseOptions::queries), a hashed pruned base is read only where they lead: the other
// subtrees are passed over by their brackets, unchecked. Not thread-safe (one per parse).
class TimblTreeParser {
 public:
  TimblTreeParser(std::string path, const MappedFile& file, Vocabulary& vocab, JobControl* job,
                  const InstanceSet* queries = nullptr)
      : path_(std::move(path)),
        file_(file),
        text_(file.bytes()),
        vocab_(vocab),
        job_(job),
        queries_(queries) {}
  TimblTreeParser(const TimblTreeParser&) = delete;
  TimblTreeParser& operator=(const TimblTreeParser&) = delete;
  ~TimblTreeParser();

  Result<TimblParsedBase> parse();

 private:
  // Queries (rows of queryKeys_) [begin, end).
  struct QueryRange {
    uint32_t begin = 0;
    uint32_t end = 0;
  };
  // A node's distribution: pool[begin, begin + count).
  struct Dist {
    uint32_t begin = 0;
    uint32_t count = 0;
  };
  // A node parsed up to its branch list, waiting for its ')'.
  struct OpenNode {
    uint32_t value = 0;
    uint32_t defaultClass = 0;
    Dist dist;
    size_t children = 0;  // its children are pending_[children, end)
  };

  // The parse of the tree, where nearly all the time goes, reports success as a bool (false:
  // status_ says why), not as a Status or Result per call.
  Status parseHeader();
  // After the tree: nothing but space.
  Result<TimblParsedBase> finish();
  Status parseTables();
  // Counts and polls, then the node's '('.
  [[gnu::always_inline]] bool openNode();
  // Its ')', then a pruned base places it.
  bool closeNode(int depth);
  bool parseRoot();
  // A branch of the root, the node at depth 1 with value `value` and all below it.
  bool parseBranch(uint32_t value);
  bool parseDistribution(bool topLevel, Dist& dist);
  // The next child to read of a node at depth - 1 (its first when `first`: its '[' was read),
  // passing over those no query reaches; `found` false: the list's ']' was read (`value`: the
  // last child's).
  [[gnu::always_inline]] bool nextChild(int depth, bool first, uint32_t& value, bool& found);
  // Whether a query reaches the child at `depth` with `value`; sets reach_[depth] if so.
  bool reached(int depth, uint32_t value);
  // Past the node (and all below it) that starts at the next '('.
  bool skipNode();
  // queryKeys_ and reach_ from queries_.
  void sortQueries();
  // Restricted reads: room for `count` more nodes.
  bool growNodes(size_t count);
  bool addLeaf(int depth, Dist dist);
  // Complete bases: room for the leaves of up to `nodes` nodes (and their distributions).
  void reserveLeaves(size_t nodes);
  bool addPrunedNode(int depth, const OpenNode& node);
  // Pruned: a leaf among the pending nodes. Also, in a restricted read, one of the children passed
  // over when all of a node's were (`value` is one no query has there): the node still answers as
  // an inner one (TiMBL's "N" with +v md), as it does read whole.
  void addLeafNode(uint32_t value, uint32_t defaultClass);
  // Inlined into the node loop: a call each was a tenth of the parse.
  [[gnu::always_inline]] bool parseClass(uint32_t& cls);
  [[gnu::always_inline]] bool parseValue(uint32_t& value);
  [[gnu::always_inline]] bool parseNumber(const char* what, uint64_t& n);
  [[gnu::always_inline]] bool expect(char c, const char* where);
  // Past the ',' or `close` ('}' or ']') after an item of a list; `more`: it was ','.
  [[gnu::always_inline]] bool nextInList(char close, bool& more);
  bool poll();
  // A hashed base read on two cores: where the root's branch list is split (after a branch
  // closing past `middle`, given the brackets before it), and the parser that reads the branches
  // after it on a second thread while this one reads those before; joined when this one reaches the
  // split.
  size_t findSplit(size_t middle, size_t closesBefore, size_t& opensBefore) const;
  void startLaterBranches(size_t split, size_t opensBefore, size_t opens);
  bool parseLaterBranches();
  bool joinLaterBranches();
  std::string_view token();
  [[gnu::always_inline]] void skipSpace();
  bool atEnd() const { return pos_ >= text_.size(); }
  char peek() const { return atEnd() ? '\0' : text_[pos_]; }
  Status error(const std::string& message) const;
  // The error paths, kept out of the hot functions so that those stay small enough to inline.
  [[gnu::cold]] bool fail(const std::string& message);
  [[gnu::cold, gnu::noinline]] bool failExpect(char c, const char* where);
  [[gnu::cold, gnu::noinline]] bool failList(char close);
  [[gnu::cold, gnu::noinline]] bool failNumber(const char* what, bool tooLong);
  [[gnu::cold, gnu::noinline]] bool failIndex(const char* what, uint64_t index);

  std::string path_;
  const MappedFile& file_;
  std::string_view text_;
  Vocabulary& vocab_;
  JobControl* job_;
  size_t pos_ = 0;
  Status status_;
  size_t released_ = 0;  // file_ bytes before this are released
  uint64_t nodeCount_ = 0;
  TimblParsedBase base_;
  std::vector<uint32_t> valueIds_;  // hashed files: Features table index - 1 -> Vocabulary id
  std::vector<uint32_t> classOf_;   // Vocabulary id -> class index + 1 (0: not a class)
  uint32_t rootClassToken_ = 0;     // unhashed: the root's class, resolved after the top dist
  // Pruned: the nodes parsed under the open ones, waiting for their parent to close and place
  // them as one block of siblings (a parent's children are the last ones; those of its earlier
  // children were placed when these closed).
  std::vector<IgTree::Node> pending_;
  std::vector<uint32_t> pathValues_;  // complete: the values on the way to the current node
  std::vector<OpenNode> open_;        // per depth, the nodes open in parseBranch()
  // Pruned: base_.nodes as sized at the start (or, in the second parser, the first's), written
  // at [nextNode_, nodeEnd_).
  IgTree::Node* nodeOut_ = nullptr;
  size_t nextNode_ = 0;
  size_t nodeEnd_ = 0;
  bool reportsProgress_ = true;
  size_t split_ = std::string_view::npos;
  std::unique_ptr<TimblTreeParser> later_;
  const InstanceSet* queries_;
  bool restricted_ = false;          // reading only where queries_ lead
  std::vector<uint32_t> queryKeys_;  // restricted: the queries' values in permutation order,
                                     // sorted, one row of width() each
  std::vector<QueryRange> reach_;    // per depth, the queries that reach the open node
  size_t skippedBytes_ = 0;          // passed over since the last poll
  std::thread laterThread_;
};

}  // namespace memlens

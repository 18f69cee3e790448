#include "timbl/timbl_tree_parser.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <limits>

#include "base/huge_pages.h"
#include "timbl/bracket_scan.h"
#include "unicode/utf8.h"

namespace memlens {
namespace {

// Polls release the file's pages read since the last one: every 16384 nodes keeps some 200 KB of
// it resident per parser (every 65536, some 700 KB: a fortieth of an IGTree base's peak memory).
constexpr size_t kPollEveryNodes = 1 << 14;
constexpr size_t kParallelFrom = size_t{1} << 20;  // bytes of tree

bool isDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

// How many of the 8 characters in `word` (little-endian: the first in the lowest byte) are digits
// before the first that is not.
int leadingDigits(uint64_t word) {
  const uint64_t t = word ^ 0x3030303030303030ull;  // a digit becomes 0..9, anything else not
  // A byte is not a digit if its high nibble is set, or adding 6 carries into it. A carry out of
  // a byte comes only from one that is not a digit, so the bytes before the first are exact.
  const uint64_t nonDigits = (t | (t + 0x0606060606060606ull)) & 0xF0F0F0F0F0F0F0F0ull;
  return nonDigits == 0 ? 8 : std::countr_zero(nonDigits) / 8;
}

// The value of 8 digits (the first in the lowest byte; leading '\0' bytes count as zeros).
uint64_t eightDigitsValue(uint64_t word) {
  uint64_t t = word & 0x0F0F0F0F0F0F0F0Full;
  t = t * 10 + (t >> 8);  // pairs
  t = (((t & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
       (((t >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >>
      32;
  return t;
}

// One comparison for anything above ' ' (nearly every character a parse looks at).
bool isSpace(char c) {
  constexpr uint64_t kSpaces =
      (1ull << ' ') | (1ull << '\t') | (1ull << '\n') | (1ull << '\r') | (1ull << '\f');
  const auto u = static_cast<unsigned char>(c);
  return u <= ' ' && ((kSpaces >> u) & 1) != 0;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

Status TimblTreeParser::error(const std::string& message) const {
  const auto at = lineColumnAt(text_, std::min(pos_, text_.size()));
  return Status::corrupt(path_ + " line " + std::to_string(at.line) + ": " + message);
}

inline void TimblTreeParser::skipSpace() {
  while (!atEnd() && isSpace(text_[pos_])) ++pos_;
}

std::string_view TimblTreeParser::token() {
  skipSpace();
  const size_t start = pos_;
  while (!atEnd() && !isSpace(text_[pos_])) ++pos_;
  return text_.substr(start, pos_ - start);
}

bool TimblTreeParser::fail(const std::string& message) {
  status_ = error(message);
  return false;
}

inline bool TimblTreeParser::expect(char c, const char* where) {
  skipSpace();
  if (!atEnd() && text_[pos_] == c) {
    ++pos_;
    return true;
  }
  return failExpect(c, where);
}

bool TimblTreeParser::failExpect(char c, const char* where) {
  if (atEnd()) return fail(std::string("the file ends inside ") + where + " (truncated?)");
  return fail(std::string("expected '") + c + "' " + where + ", found '" + text_[pos_] + "'");
}

inline bool TimblTreeParser::parseNumber(const char* what, uint64_t& n) {
  skipSpace();
  // Digits by hand: from_chars' generality costs a fifth of a parse that is mostly numbers.
  // Up to 19 digits fit; a 20th is an overflow.
  const char* const begin = text_.data() + pos_;
  const char* const end = text_.data() + text_.size();
  const char* p = begin;
  n = 0;
  if (std::endian::native == std::endian::little && end - begin >= 8) {
    // Up to 7 digits (nearly every number in a base) from one 8-byte load, without a branch per
    // digit: the digit loop's mispredicted exits were a sixth of reading an IGTree base.
    uint64_t word = 0;
    std::memcpy(&word, begin, 8);
    const int digits = leadingDigits(word);
    if (digits > 0 && digits < 8) {
      n = eightDigitsValue(word << (8 * (8 - digits)));
      pos_ += static_cast<size_t>(digits);
      return true;
    }
  }
  while (p != end && isDigit(*p) && p - begin < 19) n = n * 10 + static_cast<uint64_t>(*p++ - '0');
  if (p != begin && (p == end || !isDigit(*p))) {
    pos_ += static_cast<size_t>(p - begin);
    return true;
  }
  return failNumber(what, p != begin);
}

inline bool TimblTreeParser::nextInList(char close, bool& more) {
  skipSpace();
  if (!atEnd() && (text_[pos_] == ',' || text_[pos_] == close)) {
    more = text_[pos_++] == ',';
    return true;
  }
  return failList(close);
}

bool TimblTreeParser::failList(char close) {
  const bool dist = close == '}';
  if (atEnd())
    return fail(std::string("the file ends inside ") +
                (dist ? "a distribution" : "a list of branches") + " (truncated?)");
  return fail(std::string("expected ',' or '") + close + "' " +
              (dist ? "in a distribution" : "between branches") + ", found '" + text_[pos_] + "'");
}

bool TimblTreeParser::failNumber(const char* what, bool tooLong) {
  if (tooLong) return fail(std::string(what) + " of more than 19 digits");
  if (atEnd()) return fail(std::string("the file ends before ") + what + " (truncated?)");
  return fail(std::string("expected ") + what + ", found '" + text_[pos_] + "'");
}

Status TimblTreeParser::parseHeader() {
  // "# Key: value" lines up to the first line that does not start with '#'.
  bool sawStatus = false, sawVersion = false;
  while (!atEnd() && text_[pos_] == '#') {
    size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    const std::string_view line = trimmed(text_.substr(pos_ + 1, end - pos_ - 1));
    if (line.starts_with("Status:")) {
      const std::string_view v = trimmed(line.substr(7));
      if (v != "pruned" && v != "complete")
        return error("unknown status '" + std::string(v) + "' (pruned or complete)");
      base_.pruned = v == "pruned";
      sawStatus = true;
    } else if (line.starts_with("Permutation:")) {
      std::string_view v = trimmed(line.substr(12));
      if (v.size() < 2 || v.front() != '<' || v.back() != '>')
        return error("a permutation is written < 1, 2, ... >");
      v = v.substr(1, v.size() - 2);
      while (!(v = trimmed(v)).empty()) {
        if (v.front() == '!') return error("ignored features (!) are not supported");
        int f = 0;
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), f);
        if (ec != std::errc() || f < 1 || f > InstanceSet::kMaxWidth)
          return error("bad feature number in the permutation (1 to " +
                       std::to_string(InstanceSet::kMaxWidth) + ")");
        base_.permutation.push_back(f - 1);
        v.remove_prefix(static_cast<size_t>(end - v.data()));
        v = trimmed(v);
        if (!v.empty() && v.front() == ',') v.remove_prefix(1);
      }
    } else if (line.starts_with("Version")) {
      const std::string_view v = trimmed(line.substr(7));
      if (!v.starts_with("4"))
        return error("instance-base version '" + std::string(v) +
                     "'; TiMBL 6.5 writes version 4, the only one read");
      base_.hashed = v.find("(Hashed)") != std::string_view::npos;
      sawVersion = true;
    }
    pos_ = end;
    skipSpace();
  }
  if (!sawStatus || !sawVersion || base_.permutation.empty())
    return error(
        "not a TiMBL instance base: the '# Status', '# Permutation' and '# Version' "
        "header lines are missing");
  std::vector<int> sorted = base_.permutation;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i)
    if (sorted[i] != static_cast<int>(i))
      return error("the permutation must name every feature 1.." + std::to_string(sorted.size()) +
                   " once");
  return Status::ok();
}

Status TimblTreeParser::parseTables() {
  // "Classes", "i<TAB>name" lines, "Features", "i<TAB>name" lines, a blank line.
  auto table = [&](std::string_view keyword, auto&& add) -> Status {
    skipSpace();
    if (token() != keyword)
      return error("a hashed instance base needs its '" + std::string(keyword) + "' table");
    for (uint64_t expected = 1;; ++expected) {
      skipSpace();
      if (atEnd() || !isDigit(text_[pos_])) break;
      uint64_t index = 0;
      if (!parseNumber("a table index", index)) return status_;
      if (index != expected)
        return error("table index " + std::to_string(index) + ", expected " +
                     std::to_string(expected));
      const std::string_view name = token();
      if (name.empty()) return error("table entry without a name (truncated?)");
      add(name);
    }
    return Status::ok();
  };
  if (Status st =
          table("Classes", [&](std::string_view n) { base_.classIds.push_back(vocab_.intern(n)); });
      !st)
    return st;
  // A restricted read needs only the values its queries hold, all interned already: the others
  // are never reached (kUnknown matches no query).
  if (Status st = table("Features",
                        [&](std::string_view n) {
                          valueIds_.push_back(restricted_ ? vocab_.lookup(n) : vocab_.intern(n));
                        });
      !st)
    return st;
  // Two indices naming one class would make a distribution count it under an index the memory
  // does not have.
  std::vector<bool> seen(vocab_.size(), false);
  for (uint32_t id : base_.classIds) {
    if (seen[id])
      return error("class '" + std::string(vocab_.text(id)) +
                   "' listed twice in the Classes table");
    seen[id] = true;
  }
  base_.classTotals.assign(base_.classIds.size(), 0);
  return Status::ok();
}

bool TimblTreeParser::failIndex(const char* what, uint64_t index) {
  const bool cls = std::string_view(what) == "class";
  return fail(std::string("unknown ") + what + " index " + std::to_string(index) + " (the " +
              (cls ? "Classes" : "Features") + " table has " +
              std::to_string(cls ? base_.classIds.size() : valueIds_.size()) + ")");
}

inline bool TimblTreeParser::parseClass(uint32_t& cls) {
  if (base_.hashed) {
    uint64_t index = 0;
    if (!parseNumber("a class index", index)) return false;
    if (index < 1 || index > base_.classIds.size()) return failIndex("class", index);
    cls = static_cast<uint32_t>(index - 1);
    return true;
  }
  const std::string_view name = token();
  if (name.empty()) return fail("the file ends before a class (truncated?)");
  const uint32_t id = vocab_.lookup(name);
  if (id == Vocabulary::kUnknown || id >= classOf_.size() || classOf_[id] == 0)
    return fail("unknown class '" + std::string(name) + "' (not in the top distribution)");
  cls = classOf_[id] - 1;
  return true;
}

inline bool TimblTreeParser::parseValue(uint32_t& value) {
  if (base_.hashed) {
    uint64_t index = 0;
    if (!parseNumber("a feature value index", index)) return false;
    if (index < 1 || index > valueIds_.size()) return failIndex("feature value", index);
    value = valueIds_[index - 1];
    return true;
  }
  const std::string_view name = token();
  if (name.empty()) return fail("the file ends before a feature value (truncated?)");
  value = vocab_.intern(name);
  return true;
}

bool TimblTreeParser::parseDistribution(bool topLevel, Dist& dist) {
  // { C n [w], C n [w], ... }; the top distribution of an unhashed base defines the classes.
  if (!expect('{', "opening a distribution")) return false;
  dist.begin = static_cast<uint32_t>(base_.pool.size());
  for (;;) {
    uint32_t cls = 0;
    if (topLevel && !base_.hashed) {
      const std::string_view name = token();
      if (name.empty()) return fail("the file ends inside a distribution (truncated?)");
      const uint32_t id = vocab_.intern(name);
      if (id >= classOf_.size()) classOf_.resize(id + 1, 0);
      if (classOf_[id] != 0) return fail("class '" + std::string(name) + "' listed twice");
      cls = static_cast<uint32_t>(base_.classIds.size());
      base_.classIds.push_back(id);
      base_.classTotals.push_back(0);
      classOf_[id] = cls + 1;
    } else if (!parseClass(cls)) {
      return false;
    }
    uint64_t count = 0;
    if (!parseNumber("a class count", count)) return false;
    // TiMBL writes only the classes a node has; a count of 0 is a damaged file.
    if (count == 0 || count > std::numeric_limits<uint32_t>::max())
      return fail("class count " + std::to_string(count) + " (1 to 4294967295)");
    if (topLevel) base_.classTotals[cls] = count;
    base_.pool.push_back({cls, static_cast<uint32_t>(count)});
    skipSpace();
    // An exemplar weight may follow the count; it does not change the answers.
    if (!atEnd() && (isDigit(peek()) || peek() == '.')) {
      double weight = 0;
      const char* begin = text_.data() + pos_;
      const auto [end, ec] = std::from_chars(begin, text_.data() + text_.size(), weight);
      if (ec != std::errc()) return fail("bad weight in a distribution");
      pos_ += static_cast<size_t>(end - begin);
      skipSpace();
    }
    bool more = false;
    if (!nextInList('}', more)) return false;
    if (!more) break;
  }
  dist.count = static_cast<uint32_t>(base_.pool.size()) - dist.begin;
  return true;
}

inline bool TimblTreeParser::nextChild(int depth, bool first, uint32_t& value, bool& found) {
  for (;; first = false) {
    if (!first) {
      bool more = false;
      if (!nextInList(']', more)) return false;
      if (!more) {
        found = false;
        return true;
      }
    }
    if (!parseValue(value)) return false;
    if (!restricted_ || reached(depth, value)) {
      found = true;
      return true;
    }
    if (!skipNode()) return false;
  }
}

bool TimblTreeParser::reached(int depth, uint32_t value) {
  // The queries reaching the parent share its path, so they are sorted by this depth's value.
  const auto width = static_cast<size_t>(base_.width());
  const auto d = static_cast<size_t>(depth);
  const QueryRange parent = reach_[d - 1];
  const auto at = [&](uint32_t row) { return queryKeys_[row * width + d - 1]; };
  // The first row in [lo, hi) whose value is not `below` (they are sorted).
  const auto firstNot = [&](uint32_t lo, uint32_t hi, auto below) {
    for (uint32_t n = hi - lo; n > 0;) {
      const uint32_t half = n / 2;
      if (below(at(lo + half))) {
        lo += half + 1;
        n -= half + 1;
      } else {
        n = half;
      }
    }
    return lo;
  };
  const uint32_t lo = firstNot(parent.begin, parent.end, [&](uint32_t x) { return x < value; });
  if (lo == parent.end || at(lo) != value) return false;
  const uint32_t hi = firstNot(lo, parent.end, [&](uint32_t x) { return x <= value; });
  reach_[d] = {lo, hi};
  return true;
}

bool TimblTreeParser::skipNode() {
  skipSpace();
  if (peek() != '(') return expect('(', "opening a node");
  const size_t end = matchingClose(text_, pos_);
  if (end == std::string_view::npos) {
    pos_ = text_.size();
    return fail("the file ends inside a node (truncated?)");
  }
  skippedBytes_ += end - pos_;
  pos_ = end;
  // As often as the parse of nodes of these bytes would.
  if (skippedBytes_ >= kPollEveryNodes * 4) {
    skippedBytes_ = 0;
    return poll();
  }
  return true;
}

void TimblTreeParser::sortQueries() {
  const auto width = static_cast<size_t>(base_.width());
  const size_t n = queries_->size();
  std::vector<uint32_t> keys(n * width);
  for (size_t i = 0; i < n; ++i) {
    const auto q = queries_->instance(i);
    for (size_t d = 0; d < width; ++d)
      keys[i * width + d] = q[static_cast<size_t>(base_.permutation[d])];
  }
  std::vector<uint32_t> rows(n);
  for (uint32_t i = 0; i < n; ++i) rows[i] = i;
  const auto row = [&](uint32_t r) {
    return keys.begin() + static_cast<std::ptrdiff_t>(r * width);
  };
  std::sort(rows.begin(), rows.end(), [&](uint32_t a, uint32_t b) {
    return std::lexicographical_compare(row(a), row(a) + static_cast<std::ptrdiff_t>(width), row(b),
                                        row(b) + static_cast<std::ptrdiff_t>(width));
  });
  queryKeys_.reserve(n * width);
  for (uint32_t r : rows) queryKeys_.insert(queryKeys_.end(), row(r), row(r) + width);
  reach_.assign(width + 1, QueryRange{});
  reach_[0] = {0, static_cast<uint32_t>(n)};
}

bool TimblTreeParser::growNodes(size_t count) {
  if (!restricted_) return false;
  base_.nodes.resize(std::max(base_.nodes.size() * 2, nextNode_ + count));
  nodeOut_ = base_.nodes.data();
  nodeEnd_ = base_.nodes.size();
  return true;
}

bool TimblTreeParser::poll() {
  if (cancelRequested(job_)) {
    status_ = Status::cancelled();
    return false;
  }
  if (reportsProgress_)
    reportProgress(job_, static_cast<double>(pos_) / static_cast<double>(text_.size()),
                   "reading " + path_);
  file_.release(released_, pos_);
  released_ = pos_;
  return true;
}

bool TimblTreeParser::addLeaf(int depth, Dist dist) {
  if (depth != base_.width())
    return fail("a complete instance base has a branch ending at depth " + std::to_string(depth) +
                " of " + std::to_string(base_.width()));
  if (dist.count == 0) return fail("a stored vector without a class distribution");
  const auto width = static_cast<size_t>(base_.width());
  base_.leafValues.resize(base_.leafValues.size() + width);
  uint32_t* values = base_.leafValues.data() + base_.leafValues.size() - width;
  for (size_t d = 0; d < width; ++d)
    values[static_cast<size_t>(base_.permutation[d])] = pathValues_[d];
  base_.leaves.push_back({dist.begin, dist.count});
  return true;
}

void TimblTreeParser::addLeafNode(uint32_t value, uint32_t defaultClass) {
  IgTree::Node leaf;
  leaf.value = value;
  leaf.defaultClass = defaultClass;
  leaf.distBegin = static_cast<uint32_t>(base_.pool.size());
  pending_.push_back(leaf);
}

bool TimblTreeParser::addPrunedNode(int depth, const OpenNode& open) {
  IgTree::Node node;
  node.value = open.value;
  node.defaultClass = open.defaultClass;
  node.distBegin = open.dist.begin;
  node.distCount = open.dist.count;
  const auto byClass = [](const ClassCount& a, const ClassCount& b) {
    return a.classIndex < b.classIndex;
  };
  const auto pool = base_.pool.begin() + open.dist.begin;
  if (!std::is_sorted(pool, pool + open.dist.count, byClass))
    std::sort(pool, pool + open.dist.count, byClass);
  // Its children are complete now (theirs were placed before them): one block, sorted by value.
  const auto children = pending_.begin() + static_cast<std::ptrdiff_t>(open.children);
  const auto count = static_cast<size_t>(pending_.end() - children);
  if (count > 0) {
    // Often in order already (a hashed base lists values in table order).
    const auto ascending = [&] {
      for (size_t i = 1; i < count; ++i)
        if (children[i].value <= children[i - 1].value) return false;
      return true;
    };
    if (!ascending()) {
      std::sort(children, pending_.end(),
                [](const IgTree::Node& a, const IgTree::Node& b) { return a.value < b.value; });
      if (!ascending()) return fail("a node has two branches for the same value");
    }
    if (count + (depth == 0 ? 1 : 0) > nodeEnd_ - nextNode_ &&
        !growNodes(count + (depth == 0 ? 1 : 0)))
      return fail("more tree nodes than the file opens with '('");
    node.firstChild = static_cast<uint32_t>(nextNode_);
    node.childCount = static_cast<uint32_t>(count);
    std::copy(children, pending_.end(), nodeOut_ + nextNode_);
    nextNode_ += count;
    pending_.erase(children, pending_.end());
  }
  if (depth > 0) {
    pending_.push_back(node);
  } else {
    if (nextNode_ == nodeEnd_ && !growNodes(1))
      return fail("more tree nodes than the file opens with '('");
    nodeOut_[nextNode_++] = node;
  }
  return true;
}

inline bool TimblTreeParser::openNode() {
  if (nodeCount_ % kPollEveryNodes == 0 && !poll()) return false;
  if (++nodeCount_ >= std::numeric_limits<uint32_t>::max() - 1)
    return fail("too many tree nodes for one memory");
  return expect('(', "opening a node");
}

bool TimblTreeParser::parseRoot() {
  if (!openNode()) return false;
  uint32_t defaultClass = 0;
  if (!base_.hashed) {
    // The root's class is named before the top distribution that defines the classes.
    const std::string_view name = token();
    if (name.empty()) return fail("the file ends before the top class (truncated?)");
    rootClassToken_ = vocab_.intern(name);
  } else if (!parseClass(defaultClass)) {
    return false;
  }
  skipSpace();
  OpenNode root{0, defaultClass, Dist{static_cast<uint32_t>(base_.pool.size()), 0}, 0};
  Dist& dist = root.dist;
  if (peek() != '{') return fail("the top node has no class distribution");
  if (!parseDistribution(true, dist)) return false;
  if (!base_.hashed) {
    if (rootClassToken_ >= classOf_.size() || classOf_[rootClassToken_] == 0)
      return fail("the top class is not in the top distribution");
    root.defaultClass = classOf_[rootClassToken_] - 1;
  }
  skipSpace();
  if (peek() == '[') {
    // A complete base's memory needs only its leaves' distributions (an inner node's is their
    // sum).
    if (!base_.pruned) base_.pool.resize(dist.begin);
    ++pos_;
    uint32_t v = 0;
    bool any = false;
    for (bool first = true;; first = false) {
      bool found = false;
      if (!nextChild(1, first, v, found)) return false;
      if (!found) break;
      any = true;
      if (!parseBranch(v)) return false;
    }
    if (!any) addLeafNode(v, root.defaultClass);  // see addLeafNode()
  } else if (!base_.pruned && !addLeaf(0, dist)) {
    return false;
  }
  if (!expect(')', "closing a node")) return false;
  return !base_.pruned || addPrunedNode(0, root);
}

bool TimblTreeParser::closeNode(int depth) {
  return expect(')', "closing a node") &&
         (!base_.pruned || addPrunedNode(depth, open_[static_cast<size_t>(depth)]));
}

bool TimblTreeParser::parseBranch(uint32_t value) {
  // A loop over the nodes with a stack of the open ones, not a call per node.
  const int width = base_.width();
  int depth = 1;
  open_[1].value = value;
  if (!base_.pruned) pathValues_[0] = value;
  for (;;) {
    OpenNode& node = open_[static_cast<size_t>(depth)];
    if (!openNode() || !parseClass(node.defaultClass)) return false;
    skipSpace();  // an unhashed base writes "value (class )"
    if (base_.pruned && peek() == ')') {
      // A leaf without a distribution, nearly every node of an IGTree base, placed at once.
      ++pos_;
      addLeafNode(node.value, node.defaultClass);
    } else {
      skipSpace();
      node.dist = Dist{static_cast<uint32_t>(base_.pool.size()), 0};
      node.children = pending_.size();
      if (peek() == '{') {
        if (!parseDistribution(false, node.dist)) return false;
        skipSpace();
      }
      if (peek() == '[') {
        if (depth == width)
          return fail("the tree is deeper than the " + std::to_string(width) +
                      " features of the permutation");
        if (!base_.pruned) base_.pool.resize(node.dist.begin);
        ++pos_;
        uint32_t v = 0;
        bool found = false;
        if (!nextChild(depth + 1, true, v, found)) return false;
        if (found) {
          if (!base_.pruned) pathValues_[static_cast<size_t>(depth)] = v;
          open_[static_cast<size_t>(++depth)].value = v;
          continue;
        }
        addLeafNode(v, node.defaultClass);  // see addLeafNode()
      } else if (!base_.pruned && !addLeaf(depth, node.dist)) {
        return false;
      }
      if (!closeNode(depth)) return false;
    }
    // The node is closed; so is every one whose branch list ends after it.
    uint32_t v = 0;
    for (;;) {
      if (depth == 1) return pos_ != split_ || joinLaterBranches();
      bool found = false;
      if (!nextChild(depth, false, v, found)) return false;
      if (found) break;
      if (!closeNode(--depth)) return false;
    }
    if (!base_.pruned) pathValues_[static_cast<size_t>(depth) - 1] = v;
    open_[static_cast<size_t>(depth)].value = v;
  }
}

void TimblTreeParser::reserveLeaves(size_t nodes) {
  const auto width = static_cast<size_t>(base_.width());
  base_.leaves.reserve(nodes);
  adviseHugePages(base_.leaves.data(), nodes * sizeof(TimblParsedBase::Leaf));
  base_.leafValues.reserve(nodes * width);
  adviseHugePages(base_.leafValues.data(), nodes * width * sizeof(uint32_t));
  base_.pool.reserve(nodes);
  adviseHugePages(base_.pool.data(), nodes * sizeof(ClassCount));
}

bool TimblTreeParser::parseLaterBranches() {
  // ",v(...),v(...)" up to (not over) the root's closing ']'.
  for (;;) {
    skipSpace();
    if (atEnd()) return fail("the file ends inside a list of branches (truncated?)");
    const char c = text_[pos_];
    if (c == ']') return true;
    if (c != ',')
      return fail(std::string("expected ',' or ']' between branches, found '") + c + "'");
    ++pos_;
    uint32_t v = 0;
    if (!parseValue(v)) return false;
    if (!parseBranch(v)) return false;
  }
}

Result<TimblParsedBase> TimblTreeParser::parse() {
  if (text_.find('\0') != std::string_view::npos)
    return Status::corrupt(path_ + ": NUL byte; this is not a TiMBL instance base (text)");
  if (Status st = parseHeader(); !st) return st;
  restricted_ = queries_ != nullptr && base_.pruned && base_.hashed &&
                queries_->width == base_.width() && queries_->size() < (size_t{1} << 31);
  if (base_.hashed) {
    if (Status st = parseTables(); !st) return st;
  }
  const auto width = static_cast<size_t>(base_.width());
  open_.resize(width + 1);
  if (restricted_) {
    // Few nodes, in an array that grows; the file is read once, by the parse.
    sortQueries();
    if (!parseRoot()) return status_;
    base_.nodes.resize(nextNode_);
    return finish();
  }
  // Room for all at once, not the copies of a growing array (room not used costs address space,
  // not memory). Every node opens with '(' (a string value may hold one too); a complete base
  // has at most one stored vector per node.
  const size_t middle = pos_ + (text_.size() - pos_) / 2;
  const Brackets firstHalf = countBrackets(text_.substr(pos_, middle - pos_));
  const size_t opens = firstHalf.opens + countBrackets(text_.substr(middle)).opens;
  const size_t nodes = std::min(opens, text_.size() / 3);
  // Two cores: a second parser takes the later half of the root's branches. Only in a hashed
  // base, where values are numbers (no vocabulary lookups to share) and every '(' opens a node.
  size_t split = std::string_view::npos, opensBefore = firstHalf.opens;
  if (base_.hashed && opens == nodes && text_.size() - pos_ >= kParallelFrom)
    split = findSplit(middle, firstHalf.closes, opensBefore);
  // The counts read the whole file: out of memory again until the parse reaches each page.
  file_.release(pos_, text_.size());
  released_ = pos_;
  if (base_.pruned) {
    base_.nodes.reserve(nodes);
    adviseHugePages(base_.nodes.data(), nodes * sizeof(IgTree::Node));
    base_.nodes.resize(nodes);
    nodeOut_ = base_.nodes.data();
    nodeEnd_ = nodes;
  } else {
    reserveLeaves(nodes);
    pathValues_.resize(width);
  }
  if (split != std::string_view::npos && opensBefore < opens)
    startLaterBranches(split, opensBefore, opens);
  if (!parseRoot()) return status_;
  if (later_) return error("the tree's brackets do not match its branches");
  if (base_.pruned) base_.nodes.resize(nextNode_);
  return finish();
}

Result<TimblParsedBase> TimblTreeParser::finish() {
  skipSpace();
  if (!atEnd()) return error("unexpected text after the tree");
  file_.release(released_, text_.size());
  reportProgress(job_, 1.0, "reading " + path_);
  return std::move(base_);
}

}  // namespace memlens

#include "timbl/timbl_tree_parser.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "unicode/utf8.h"

namespace memlens {
namespace {

constexpr size_t kPollEveryNodes = 1 << 16;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

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

void TimblTreeParser::skipSpace() {
  while (!atEnd() && isSpace(text_[pos_])) ++pos_;
}

std::string_view TimblTreeParser::token() {
  skipSpace();
  const size_t start = pos_;
  while (!atEnd() && !isSpace(text_[pos_])) ++pos_;
  return text_.substr(start, pos_ - start);
}

Status TimblTreeParser::expect(char c, const char* where) {
  skipSpace();
  if (atEnd()) return error(std::string("the file ends inside ") + where + " (truncated?)");
  if (text_[pos_] != c)
    return error(std::string("expected '") + c + "' " + where + ", found '" + text_[pos_] + "'");
  ++pos_;
  return Status::ok();
}

Result<uint64_t> TimblTreeParser::parseNumber(const char* what) {
  skipSpace();
  if (atEnd()) return error(std::string("the file ends before ") + what + " (truncated?)");
  uint64_t n = 0;
  const char* begin = text_.data() + pos_;
  const auto [end, ec] = std::from_chars(begin, text_.data() + text_.size(), n);
  if (ec != std::errc() || end == begin)
    return error(std::string("expected ") + what + ", found '" + text_[pos_] + "'");
  pos_ += static_cast<size_t>(end - begin);
  return n;
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
      if (atEnd() || !std::isdigit(static_cast<unsigned char>(text_[pos_]))) break;
      auto index = parseNumber("a table index");
      if (!index) return index.status();
      if (*index != expected)
        return error("table index " + std::to_string(*index) + ", expected " +
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
  if (Status st =
          table("Features", [&](std::string_view n) { valueIds_.push_back(vocab_.intern(n)); });
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

Result<uint32_t> TimblTreeParser::parseClass() {
  if (base_.hashed) {
    auto index = parseNumber("a class index");
    if (!index) return index.status();
    if (*index < 1 || *index > base_.classIds.size())
      return error("unknown class index " + std::to_string(*index) + " (the Classes table has " +
                   std::to_string(base_.classIds.size()) + ")");
    return static_cast<uint32_t>(*index - 1);
  }
  const std::string_view name = token();
  if (name.empty()) return error("the file ends before a class (truncated?)");
  const uint32_t id = vocab_.lookup(name);
  if (id == Vocabulary::kUnknown || id >= classOf_.size() || classOf_[id] == 0)
    return error("unknown class '" + std::string(name) + "' (not in the top distribution)");
  return classOf_[id] - 1;
}

Result<uint32_t> TimblTreeParser::parseValue() {
  if (base_.hashed) {
    auto index = parseNumber("a feature value index");
    if (!index) return index.status();
    if (*index < 1 || *index > valueIds_.size())
      return error("unknown feature value index " + std::to_string(*index) +
                   " (the Features table has " + std::to_string(valueIds_.size()) + ")");
    return valueIds_[*index - 1];
  }
  const std::string_view name = token();
  if (name.empty()) return error("the file ends before a feature value (truncated?)");
  return vocab_.intern(name);
}

Result<TimblTreeParser::Dist> TimblTreeParser::parseDistribution(bool topLevel) {
  // { C n [w], C n [w], ... }; the top distribution of an unhashed base defines the classes.
  if (Status st = expect('{', "opening a distribution"); !st) return st;
  Dist dist{static_cast<uint32_t>(base_.pool.size()), 0};
  for (;;) {
    uint32_t cls = 0;
    if (topLevel && !base_.hashed) {
      const std::string_view name = token();
      if (name.empty()) return error("the file ends inside a distribution (truncated?)");
      const uint32_t id = vocab_.intern(name);
      if (id >= classOf_.size()) classOf_.resize(id + 1, 0);
      if (classOf_[id] != 0) return error("class '" + std::string(name) + "' listed twice");
      cls = static_cast<uint32_t>(base_.classIds.size());
      base_.classIds.push_back(id);
      base_.classTotals.push_back(0);
      classOf_[id] = cls + 1;
    } else {
      auto c = parseClass();
      if (!c) return c.status();
      cls = *c;
    }
    auto count = parseNumber("a class count");
    if (!count) return count.status();
    // TiMBL writes only the classes a node has; a count of 0 is a damaged file.
    if (*count == 0 || *count > std::numeric_limits<uint32_t>::max())
      return error("class count " + std::to_string(*count) + " (1 to 4294967295)");
    if (topLevel) base_.classTotals[cls] = *count;
    base_.pool.push_back({cls, static_cast<uint32_t>(*count)});
    skipSpace();
    // An exemplar weight may follow the count; it does not change the answers.
    if (!atEnd() && (std::isdigit(static_cast<unsigned char>(peek())) || peek() == '.')) {
      double weight = 0;
      const char* begin = text_.data() + pos_;
      const auto [end, ec] = std::from_chars(begin, text_.data() + text_.size(), weight);
      if (ec != std::errc()) return error("bad weight in a distribution");
      pos_ += static_cast<size_t>(end - begin);
      skipSpace();
    }
    if (atEnd()) return error("the file ends inside a distribution (truncated?)");
    const char c = text_[pos_++];
    if (c == '}') break;
    if (c != ',')
      return error(std::string("expected ',' or '}' in a distribution, found '") + c + "'");
  }
  dist.count = static_cast<uint32_t>(base_.pool.size()) - dist.begin;
  return dist;
}

Status TimblTreeParser::poll() {
  if (cancelRequested(job_)) return Status::cancelled();
  reportProgress(job_, static_cast<double>(pos_) / static_cast<double>(text_.size()),
                 "reading " + path_);
  file_.release(released_, pos_);
  released_ = pos_;
  return Status::ok();
}

Status TimblTreeParser::addLeaf(int depth, Dist dist) {
  if (depth != base_.width())
    return error("a complete instance base has a branch ending at depth " + std::to_string(depth) +
                 " of " + std::to_string(base_.width()));
  if (dist.count == 0) return error("a stored vector without a class distribution");
  const auto width = static_cast<size_t>(base_.width());
  base_.leafValues.resize(base_.leafValues.size() + width);
  uint32_t* values = base_.leafValues.data() + base_.leafValues.size() - width;
  for (size_t d = 0; d < width; ++d)
    values[static_cast<size_t>(base_.permutation[d])] = pathValues_[d];
  base_.leaves.push_back({dist.begin, dist.count});
  return Status::ok();
}

Status TimblTreeParser::addPrunedNode(int depth, uint32_t value, uint32_t defaultClass, Dist dist) {
  IgTree::Node node;
  node.value = value;
  node.defaultClass = defaultClass;
  node.distBegin = dist.begin;
  node.distCount = dist.count;
  const auto pool = base_.pool.begin() + dist.begin;
  std::sort(pool, pool + dist.count,
            [](const ClassCount& a, const ClassCount& b) { return a.classIndex < b.classIndex; });
  // Its children are complete now (theirs were placed before them): one block, sorted by value.
  std::vector<IgTree::Node>& children = siblings_[static_cast<size_t>(depth) + 1];
  if (!children.empty()) {
    std::sort(children.begin(), children.end(),
              [](const IgTree::Node& a, const IgTree::Node& b) { return a.value < b.value; });
    for (size_t i = 1; i < children.size(); ++i)
      if (children[i].value == children[i - 1].value)
        return error("a node has two branches for the same value");
    node.firstChild = static_cast<uint32_t>(base_.nodes.size());
    node.childCount = static_cast<uint32_t>(children.size());
    base_.nodes.insert(base_.nodes.end(), children.begin(), children.end());
    children.clear();
  }
  (depth == 0 ? base_.nodes : siblings_[static_cast<size_t>(depth)]).push_back(node);
  return Status::ok();
}

Status TimblTreeParser::parseNode(int depth, uint32_t value) {
  if (nodeCount_ % kPollEveryNodes == 0) {
    if (Status st = poll(); !st) return st;
  }
  if (++nodeCount_ >= std::numeric_limits<uint32_t>::max() - 1)
    return error("too many tree nodes for one memory");
  if (Status st = expect('(', "opening a node"); !st) return st;
  const bool unhashedRoot = depth == 0 && !base_.hashed;
  uint32_t defaultClass = 0;
  if (unhashedRoot) {
    // The root's class is named before the top distribution that defines the classes.
    const std::string_view name = token();
    if (name.empty()) return error("the file ends before the top class (truncated?)");
    rootClassToken_ = vocab_.intern(name);
  } else {
    auto cls = parseClass();
    if (!cls) return cls.status();
    defaultClass = *cls;
  }
  skipSpace();
  Dist dist{static_cast<uint32_t>(base_.pool.size()), 0};
  if (peek() == '{') {
    auto parsed = parseDistribution(depth == 0);
    if (!parsed) return parsed.status();
    dist = *parsed;
  } else if (depth == 0) {
    return error("the top node has no class distribution");
  }
  if (unhashedRoot) {
    if (rootClassToken_ >= classOf_.size() || classOf_[rootClassToken_] == 0)
      return error("the top class is not in the top distribution");
    defaultClass = classOf_[rootClassToken_] - 1;
  }
  skipSpace();
  if (peek() == '[') {
    if (depth == base_.width())
      return error("the tree is deeper than the " + std::to_string(base_.width()) +
                   " features of the permutation");
    // A complete base's memory needs only its leaves' distributions (an inner node's is their
    // sum).
    if (!base_.pruned) base_.pool.resize(dist.begin);
    ++pos_;
    for (;;) {
      auto v = parseValue();
      if (!v) return v.status();
      if (!base_.pruned) pathValues_[static_cast<size_t>(depth)] = *v;
      if (Status st = parseNode(depth + 1, *v); !st) return st;
      skipSpace();
      if (atEnd()) return error("the file ends inside a list of branches (truncated?)");
      const char c = text_[pos_++];
      if (c == ']') break;
      if (c != ',')
        return error(std::string("expected ',' or ']' between branches, found '") + c + "'");
    }
  } else if (!base_.pruned) {
    if (Status st = addLeaf(depth, dist); !st) return st;
  }
  if (Status st = expect(')', "closing a node"); !st) return st;
  return base_.pruned ? addPrunedNode(depth, value, defaultClass, dist) : Status::ok();
}

size_t TimblTreeParser::countNodeOpenings() {
  // Every node opens with '(' (a string value may hold one too). Counted a chunk at a time,
  // releasing each behind the count so that the file is not resident all at once.
  constexpr size_t kChunk = size_t{1} << 20;
  size_t opens = 0;
  for (size_t at = pos_; at < text_.size(); at += kChunk) {
    const std::string_view chunk = text_.substr(at, kChunk);
    opens += static_cast<size_t>(std::count(chunk.begin(), chunk.end(), '('));
    file_.release(at, at + chunk.size());
  }
  return opens;
}

Result<TimblParsedBase> TimblTreeParser::parse() {
  if (text_.find('\0') != std::string_view::npos)
    return Status::corrupt(path_ + ": NUL byte; this is not a TiMBL instance base (text)");
  if (Status st = parseHeader(); !st) return st;
  if (base_.hashed) {
    if (Status st = parseTables(); !st) return st;
  }
  // Room for all at once, not the copies of a growing array (room not used costs address space,
  // not memory). A complete base has at most one stored vector per node.
  const size_t nodes = std::min(countNodeOpenings(), text_.size() / 3);
  released_ = pos_;
  const auto width = static_cast<size_t>(base_.width());
  if (base_.pruned) {
    base_.nodes.reserve(nodes);
    siblings_.resize(width + 2);
  } else {
    base_.leaves.reserve(nodes);
    base_.leafValues.reserve(nodes * width);
    base_.pool.reserve(nodes);
    pathValues_.resize(width);
  }
  if (Status st = parseNode(0, 0); !st) return st;
  skipSpace();
  if (!atEnd()) return error("unexpected text after the tree");
  file_.release(released_, text_.size());
  reportProgress(job_, 1.0, "reading " + path_);
  return std::move(base_);
}

}  // namespace memlens

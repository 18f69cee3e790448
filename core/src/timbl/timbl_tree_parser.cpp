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
      tree_.pruned = v == "pruned";
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
        tree_.permutation.push_back(f - 1);
        v.remove_prefix(static_cast<size_t>(end - v.data()));
        v = trimmed(v);
        if (!v.empty() && v.front() == ',') v.remove_prefix(1);
      }
    } else if (line.starts_with("Version")) {
      const std::string_view v = trimmed(line.substr(7));
      if (!v.starts_with("4"))
        return error("instance-base version '" + std::string(v) +
                     "'; TiMBL 6.5 writes version 4, the only one read");
      tree_.hashed = v.find("(Hashed)") != std::string_view::npos;
      sawVersion = true;
    }
    pos_ = end;
    skipSpace();
  }
  if (!sawStatus || !sawVersion || tree_.permutation.empty())
    return error(
        "not a TiMBL instance base: the '# Status', '# Permutation' and '# Version' "
        "header lines are missing");
  std::vector<int> sorted = tree_.permutation;
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
          table("Classes", [&](std::string_view n) { tree_.classIds.push_back(vocab_.intern(n)); });
      !st)
    return st;
  if (Status st =
          table("Features", [&](std::string_view n) { valueIds_.push_back(vocab_.intern(n)); });
      !st)
    return st;
  // Two indices naming one class would make a distribution count it under an index the memory
  // does not have.
  std::vector<bool> seen(vocab_.size(), false);
  for (uint32_t id : tree_.classIds) {
    if (seen[id])
      return error("class '" + std::string(vocab_.text(id)) +
                   "' listed twice in the Classes table");
    seen[id] = true;
  }
  tree_.classTotals.assign(tree_.classIds.size(), 0);
  return Status::ok();
}

Result<uint32_t> TimblTreeParser::parseClass() {
  if (tree_.hashed) {
    auto index = parseNumber("a class index");
    if (!index) return index.status();
    if (*index < 1 || *index > tree_.classIds.size())
      return error("unknown class index " + std::to_string(*index) + " (the Classes table has " +
                   std::to_string(tree_.classIds.size()) + ")");
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
  if (tree_.hashed) {
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

Status TimblTreeParser::parseDistribution(uint32_t node, bool topLevel) {
  // { C n [w], C n [w], ... }; the top distribution of an unhashed base defines the classes.
  if (Status st = expect('{', "opening a distribution"); !st) return st;
  TimblTree::Node& n = tree_.nodes[node];
  n.distBegin = static_cast<uint32_t>(tree_.pool.size());
  for (;;) {
    uint32_t cls = 0;
    if (topLevel && !tree_.hashed) {
      const std::string_view name = token();
      if (name.empty()) return error("the file ends inside a distribution (truncated?)");
      const uint32_t id = vocab_.intern(name);
      if (id >= classOf_.size()) classOf_.resize(id + 1, 0);
      if (classOf_[id] != 0) return error("class '" + std::string(name) + "' listed twice");
      cls = static_cast<uint32_t>(tree_.classIds.size());
      tree_.classIds.push_back(id);
      tree_.classTotals.push_back(0);
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
    if (topLevel) tree_.classTotals[cls] = *count;
    tree_.pool.push_back({cls, static_cast<uint32_t>(*count)});
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
  tree_.nodes[node].distCount =
      static_cast<uint32_t>(tree_.pool.size()) - tree_.nodes[node].distBegin;
  return Status::ok();
}

Status TimblTreeParser::parseNode(int depth, uint32_t parent, uint32_t value) {
  if (tree_.nodes.size() % kPollEveryNodes == 0) {
    if (cancelRequested(job_)) return Status::cancelled();
    reportProgress(job_, static_cast<double>(pos_) / static_cast<double>(text_.size()),
                   "reading " + path_);
  }
  if (tree_.nodes.size() >= std::numeric_limits<uint32_t>::max() - 1)
    return error("too many tree nodes for one memory");
  if (Status st = expect('(', "opening a node"); !st) return st;
  const auto self = static_cast<uint32_t>(tree_.nodes.size());
  TimblTree::Node node;
  node.parent = depth == 0 ? self : parent;
  node.value = value;
  node.depth = depth;
  tree_.nodes.push_back(node);
  const bool unhashedRoot = depth == 0 && !tree_.hashed;
  if (unhashedRoot) {
    // The root's class is named before the top distribution that defines the classes.
    const std::string_view name = token();
    if (name.empty()) return error("the file ends before the top class (truncated?)");
    rootClassToken_ = vocab_.intern(name);
  } else {
    auto cls = parseClass();
    if (!cls) return cls.status();
    tree_.nodes[self].defaultClass = *cls;
  }
  skipSpace();
  if (peek() == '{') {
    if (Status st = parseDistribution(self, depth == 0); !st) return st;
  } else if (depth == 0) {
    return error("the top node has no class distribution");
  }
  if (unhashedRoot) {
    if (rootClassToken_ >= classOf_.size() || classOf_[rootClassToken_] == 0)
      return error("the top class is not in the top distribution");
    tree_.nodes[self].defaultClass = classOf_[rootClassToken_] - 1;
  }
  skipSpace();
  if (peek() == '[') {
    if (depth == tree_.width())
      return error("the tree is deeper than the " + std::to_string(tree_.width()) +
                   " features of the permutation");
    ++pos_;
    for (;;) {
      auto v = parseValue();
      if (!v) return v.status();
      if (Status st = parseNode(depth + 1, self, *v); !st) return st;
      skipSpace();
      if (atEnd()) return error("the file ends inside a list of branches (truncated?)");
      const char c = text_[pos_++];
      if (c == ']') break;
      if (c != ',')
        return error(std::string("expected ',' or ']' between branches, found '") + c + "'");
    }
  } else {
    tree_.nodes[self].leaf = true;
    if (!tree_.pruned && depth != tree_.width())
      return error("a complete instance base has a branch ending at depth " +
                   std::to_string(depth) + " of " + std::to_string(tree_.width()));
    if (!tree_.pruned && tree_.nodes[self].distCount == 0)
      return error("a stored vector without a class distribution");
  }
  return expect(')', "closing a node");
}

Result<TimblTree> TimblTreeParser::parse() {
  if (text_.find('\0') != std::string_view::npos)
    return Status::corrupt(path_ + ": NUL byte; this is not a TiMBL instance base (text)");
  if (Status st = parseHeader(); !st) return st;
  if (tree_.hashed) {
    if (Status st = parseTables(); !st) return st;
  }
  // Every node opens with '(' (a string value may hold one too): room for all at once, not the
  // copies of a growing array.
  const auto opens = static_cast<size_t>(
      std::count(text_.begin() + static_cast<std::ptrdiff_t>(pos_), text_.end(), '('));
  tree_.nodes.reserve(std::min(opens, text_.size() / 3));
  if (Status st = parseNode(0, 0, 0); !st) return st;
  skipSpace();
  if (!atEnd()) return error("unexpected text after the tree");
  reportProgress(job_, 1.0, "reading " + path_);
  return std::move(tree_);
}

}  // namespace memlens

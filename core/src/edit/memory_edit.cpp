#include "memlens/memory_edit.h"

#include <algorithm>
#include <charconv>
#include <iterator>

#include "base/key_value_text.h"

namespace memlens {
namespace {

constexpr const char* kKindNames[] = {"delete-vector",
                                      "restore-vector",
                                      "relabel-vector",
                                      "delete-instance",
                                      "restore-instance",
                                      "relabel-instance",
                                      "insert-instance",
                                      "remove-document",
                                      "restore-document",
                                      "prune",
                                      "merge",
                                      "keep-prefix"};
static_assert(std::size(kKindNames) == static_cast<size_t>(EditKind::kKeepPrefix) + 1);

bool usesFeatures(EditKind k) {
  return k == EditKind::kDeleteVector || k == EditKind::kRestoreVector ||
         k == EditKind::kRelabelVector || k == EditKind::kInsertInstance;
}
bool usesSource(EditKind k) {
  return k == EditKind::kDeleteInstance || k == EditKind::kRestoreInstance ||
         k == EditKind::kRelabelInstance || k == EditKind::kKeepPrefix;
}
bool usesClass(EditKind k) {
  return k == EditKind::kRelabelVector || k == EditKind::kRelabelInstance ||
         k == EditKind::kInsertInstance;
}
bool usesDocument(EditKind k) {
  return k == EditKind::kRemoveDocument || k == EditKind::kRestoreDocument;
}
bool usesSources(EditKind k) { return k == EditKind::kPrune || k == EditKind::kMerge; }

void appendList(std::string& out, const std::vector<uint64_t>& values, bool deltas) {
  uint64_t previous = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(values[i] - previous);
    if (deltas) previous = values[i];
  }
  out += '\n';
}

template <typename T>
bool parseNumber(std::string_view s, T& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

// "a,b,c"; with `deltas` each value after the first is the difference to the previous one.
template <typename T>
bool parseList(std::string_view s, bool deltas, std::vector<T>& out) {
  if (s.empty()) return true;
  T previous = 0;
  for (size_t begin = 0;;) {
    const size_t comma = std::min(s.find(',', begin), s.size());
    T v;
    if (!parseNumber(s.substr(begin, comma - begin), v)) return false;  // also ",," and "1,"
    if (deltas) {
      if (!out.empty() && (v == 0 || v > static_cast<T>(~T{0}) - previous)) return false;
      v += previous;
    }
    out.push_back(v);
    previous = v;
    if (comma == s.size()) return true;
    begin = comma + 1;
  }
}

}  // namespace

const char* MemoryEdit::kindName() const { return kKindNames[static_cast<size_t>(kind)]; }

std::string MemoryEdit::payload() const {
  std::string out;
  if (usesFeatures(kind)) {
    out += "features=";
    for (size_t i = 0; i < features.size(); ++i) {
      if (i) out += ',';
      out += std::to_string(features[i]);
    }
    out += '\n';
  }
  if (usesSource(kind)) out += "source=" + std::to_string(source) + '\n';
  if (usesClass(kind)) out += "class=" + std::to_string(classId) + '\n';
  if (usesDocument(kind)) out += "document=" + std::to_string(document) + '\n';
  if (usesSources(kind)) {
    out += "sources=";
    appendList(out, sources, true);
  }
  if (kind == EditKind::kMerge) {
    out += "targets=";
    appendList(out, targets, false);
  }
  if (!note.empty()) out += "note=" + note + '\n';
  return out;
}

Result<MemoryEdit> MemoryEdit::parse(std::string_view kind, std::string_view payload) {
  MemoryEdit e;
  const auto* name = std::find(std::begin(kKindNames), std::end(kKindNames), kind);
  if (name == std::end(kKindNames))
    return Status::corrupt("journal: unknown edit kind '" + std::string(kind) + "'");
  e.kind = static_cast<EditKind>(name - std::begin(kKindNames));
  const auto bad = [&](std::string_view what) {
    return Status::corrupt("journal: " + std::string(kind) + " edit: " + std::string(what));
  };
  bool seenFeatures = false, seenSource = false, seenClass = false, seenDocument = false,
       seenSources = false, seenTargets = false;
  auto lines = parseKeyValueLines(payload, "journal: " + std::string(kind) + " edit");
  if (!lines) return lines.status();
  for (const auto& [key, value] : *lines) {
    bool ok = true;
    if (key == "features" && usesFeatures(e.kind)) {
      ok = parseList(value, false, e.features) && !e.features.empty();
      seenFeatures = true;
    } else if (key == "source" && usesSource(e.kind)) {
      ok = parseNumber(value, e.source);
      seenSource = true;
    } else if (key == "class" && usesClass(e.kind)) {
      ok = parseNumber(value, e.classId);
      seenClass = true;
    } else if (key == "document" && usesDocument(e.kind)) {
      ok = parseNumber(value, e.document);
      seenDocument = true;
    } else if (key == "sources" && usesSources(e.kind)) {
      ok = parseList(value, true, e.sources);
      seenSources = true;
    } else if (key == "targets" && e.kind == EditKind::kMerge) {
      ok = parseList(value, false, e.targets);
      seenTargets = true;
    } else if (key == "note") {
      e.note = value;
    } else {
      return bad("unexpected key '" + std::string(key) + "'");
    }
    if (!ok) return bad("malformed value for '" + std::string(key) + "'");
  }
  if (seenFeatures != usesFeatures(e.kind) || seenSource != usesSource(e.kind) ||
      seenClass != usesClass(e.kind) || seenDocument != usesDocument(e.kind) ||
      seenSources != usesSources(e.kind) || seenTargets != (e.kind == EditKind::kMerge))
    return bad("missing fields");
  if (e.targets.size() != (e.kind == EditKind::kMerge ? e.sources.size() : 0))
    return bad("targets and sources differ in number");
  return e;
}

}  // namespace memlens

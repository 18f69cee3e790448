#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace memlens {

// Token strings <-> dense ids, in order of first interning, with occurrence counts.
// The padding symbol is the plain string "_" (as in TiMBL's files): a corpus token "_" and the
// padding compare equal, exactly as they do when TiMBL reads our instance files.
// Not thread-safe for intern()/addCount(); concurrent const calls are safe.
class Vocabulary {
 public:
  static constexpr uint32_t kUnknown = 0xFFFFFFFFu;
  static constexpr std::string_view kPadding = "_";

  Vocabulary();
  Vocabulary(const Vocabulary&) = delete;
  Vocabulary& operator=(const Vocabulary&) = delete;
  Vocabulary(Vocabulary&&) noexcept;
  Vocabulary& operator=(Vocabulary&&) noexcept;
  ~Vocabulary();

  // The id of `token`, adding it when new.
  uint32_t intern(std::string_view token);
  // The id of `token`, or kUnknown when it was never interned.
  uint32_t lookup(std::string_view token) const;
  std::string_view text(uint32_t id) const { return texts_[id]; }
  // As text(), but "<unknown>" for kUnknown and any other id outside the vocabulary.
  std::string_view displayText(uint32_t id) const { return id < size() ? texts_[id] : "<unknown>"; }
  uint32_t size() const { return static_cast<uint32_t>(texts_.size()); }

  void addCount(uint32_t id, uint64_t n = 1);
  uint64_t count(uint32_t id) const { return id < counts_.size() ? counts_[id] : 0; }

  uint32_t paddingId() { return intern(kPadding); }

 private:
  // A slot of the open-addressing table from texts to ids: the id (kUnknown: empty) and the low
  // half of its text's hash, which places it and spares most text comparisons. (A node-based map
  // cost an allocation per type, and a tenth of reading a TiMBL base's tables.)
  struct Slot {
    uint32_t id = kUnknown;
    uint32_t hash = 0;
  };
  static uint32_t hashOf(std::string_view token);
  // The slot holding `token`, or the empty one where it would go.
  size_t find(std::string_view token, uint32_t hash) const;
  void grow();
  std::string_view store(std::string_view token);

  std::vector<std::unique_ptr<char[]>> blocks_;  // stable storage behind the string_views
  size_t blockUsed_ = 0;
  size_t blockSize_ = 0;
  std::vector<std::string_view> texts_;
  std::vector<uint64_t> counts_;
  std::vector<Slot> slots_;  // a power of two of them, at most half full
};

}  // namespace memlens

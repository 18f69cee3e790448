#include "memlens/typed_tokens.h"

#include <algorithm>
#include <string>

namespace memlens {

Result<uint32_t> typedToken(const Vocabulary& vocab, std::string_view token) {
  const uint32_t id = vocab.lookup(token);
  if (id == Vocabulary::kUnknown)
    return Status::invalidArgument("'" + std::string(token) + "' is not in the corpus vocabulary");
  return id;
}

Result<std::vector<uint32_t>> typedContext(const Vocabulary& vocab, std::string_view tokens) {
  std::vector<uint32_t> ids;
  for (size_t i = 0; i < tokens.size();) {
    const size_t end = std::min(tokens.find(' ', i), tokens.size());
    if (end > i) {
      auto id = typedToken(vocab, tokens.substr(i, end - i));
      if (!id) return id.status();
      ids.push_back(*id);
    }
    i = end + 1;
  }
  return ids;
}

}  // namespace memlens

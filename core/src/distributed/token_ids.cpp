#include "distributed/token_ids.h"

#include <string_view>

#include "distributed/message.h"

namespace memlens {

Result<std::vector<uint32_t>> agreeTokenIds(Communicator& comm, const Vocabulary& local,
                                            Vocabulary& global) {
  // The tokens in local id order: their lengths, then their bytes.
  Message tokens;
  std::vector<uint32_t> lengths(local.size());
  std::vector<char> text;
  for (uint32_t id = 0; id < local.size(); ++id) {
    const std::string_view t = local.text(id);
    lengths[id] = static_cast<uint32_t>(t.size());
    text.insert(text.end(), t.begin(), t.end());
  }
  tokens.putSpan<uint32_t>(lengths);
  tokens.putSpan<char>(text);
  auto gathered = comm.gather(tokens.bytes());
  Status merged = gathered ? Status::ok() : gathered.status();
  std::vector<std::vector<uint8_t>> maps(static_cast<size_t>(comm.size()));
  if (merged && comm.rank() == 0) {
    for (size_t r = 0; r < gathered->size() && merged; ++r) {
      Message m(std::move((*gathered)[r]));
      const auto rankLengths = m.getVector<uint32_t>();
      const auto rankText = m.getVector<char>();
      Message map;
      std::vector<uint32_t> ids(rankLengths.size());
      size_t at = 0;
      for (size_t i = 0; i < ids.size() && at <= rankText.size(); ++i) {
        if (rankLengths[i] > rankText.size() - at) break;
        ids[i] = global.intern(std::string_view(rankText.data() + at, rankLengths[i]));
        at += rankLengths[i];
      }
      if (!m.ok() || !m.atEnd() || at != rankText.size())
        merged = Status::internal("malformed vocabulary from rank " + std::to_string(r));
      map.putSpan<uint32_t>(ids);
      maps[r] = std::move(map.bytes());
    }
  }
  if (Status st = comm.agree(merged); !st) return st;
  auto received = comm.allToAll(std::move(maps));
  if (!received) return received.status();
  Message m(std::move((*received)[0]));
  auto ids = m.getVector<uint32_t>();
  const bool ok = m.ok() && m.atEnd() && ids.size() == local.size();
  if (Status st =
          comm.agree(ok ? Status::ok() : Status::internal("malformed token ids from rank 0"));
      !st)
    return st;
  return ids;
}

}  // namespace memlens

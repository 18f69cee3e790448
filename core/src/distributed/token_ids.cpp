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
  // Rank 0 interns each rank's tokens as they arrive, in rank order.
  Status merged = Status::ok();
  std::vector<std::vector<uint8_t>> maps(static_cast<size_t>(comm.size()));
  if (Status st = comm.gatherEach(
          std::move(tokens.bytes()),
          [&](int rank, std::vector<uint8_t> bytes) {
            Message m(std::move(bytes));
            const auto rankLengths = m.getVector<uint32_t>();
            const auto rankText = m.getVector<char>();
            std::vector<uint32_t> ids(rankLengths.size());
            size_t at = 0;
            for (size_t i = 0; i < ids.size() && rankLengths[i] <= rankText.size() - at; ++i) {
              ids[i] = global.intern(std::string_view(rankText.data() + at, rankLengths[i]));
              at += rankLengths[i];
            }
            if (merged && (!m.ok() || !m.atEnd() || at != rankText.size()))
              merged = Status::internal("malformed vocabulary from rank " + std::to_string(rank));
            Message map;
            map.putSpan<uint32_t>(ids);
            maps[static_cast<size_t>(rank)] = std::move(map.bytes());
          });
      !st)
    return st;
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

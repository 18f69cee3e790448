#include "distributed/traced_vectors.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "distributed/message.h"

namespace memlens {
namespace {

// Collective: one process's ids of the vectors whose first sources rank 0 passes: a vector's id
// is the number of stored vectors first seen before it, on every rank (a shard's local ids rise
// with their first sources, so each rank counts by binary search, only the vectors it holds
// first: `firstHeld`, firstHeldBefore()'s, empty for disjoint shards).
Result<std::vector<uint32_t>> storedVectorIds(Communicator& comm, const InstanceBase* shard,
                                              const std::vector<uint32_t>& firstHeld,
                                              const std::vector<uint64_t>& firstSources) {
  Message asked;
  if (comm.rank() == 0) asked.putSpan<uint64_t>(firstSources);
  if (Status st = share(comm, asked); !st) return st;
  const std::vector<uint64_t> sources = asked.getVector<uint64_t>();
  Message mine;
  for (const uint64_t s : sources) {
    uint32_t lo = 0;
    uint32_t n = shard ? shard->vectorCount() : 0;
    while (n > 0) {  // the first local vector whose first source is not below s
      const uint32_t half = n / 2;
      if (shard->firstSource(lo + half) < s) {
        lo += half + 1;
        n -= half + 1;
      } else {
        n = half;
      }
    }
    mine.put<uint32_t>(firstHeld.empty() ? lo : firstHeld[lo]);
  }
  auto gathered = comm.gather(mine.bytes());
  if (!gathered) return gathered.status();
  std::vector<uint32_t> ids(sources.size(), 0);
  Status merged = asked.ok() ? Status::ok() : Status::internal("malformed id request");
  if (comm.rank() == 0) {
    for (std::vector<uint8_t>& bytes : *gathered) {
      Message m(std::move(bytes));
      for (uint32_t& id : ids) id += m.get<uint32_t>();
      if (!m.ok() || !m.atEnd()) merged = Status::internal("malformed ids from a rank");
    }
  }
  if (Status st = comm.agree(merged); !st) return st;
  return ids;
}

// Collective: where the tokens rank 0 passes (whole-corpus indices) came from, each from the
// rank whose block holds it (its lines carry one process's documents, lines and byte offsets).
Result<std::unordered_map<uint64_t, ProvenanceRef>> provenanceOfTokens(
    Communicator& comm, const ShardedMemory& memory, const std::vector<uint64_t>& tokens,
    size_t snippetBytes) {
  Message asked;
  if (comm.rank() == 0) asked.putSpan<uint64_t>(tokens);
  if (Status st = share(comm, asked); !st) return st;
  Message mine;
  for (const uint64_t token : asked.getVector<uint64_t>()) {
    if (token < memory.firstToken || token - memory.firstToken >= memory.tokens.size()) continue;
    const ProvenanceRef p =
        positionOf(*memory.corpus->corpus, memory.tokens, token - memory.firstToken, snippetBytes);
    mine.put<uint64_t>(token);
    putString(mine, p.path);
    mine.put<uint64_t>(p.line);
    mine.put<uint64_t>(p.byteOffset);
    putString(mine, p.snippet);
  }
  auto gathered = comm.gather(mine.bytes());
  if (!gathered) return gathered.status();
  std::unordered_map<uint64_t, ProvenanceRef> found;
  Status merged = asked.ok() ? Status::ok() : Status::internal("malformed provenance request");
  if (comm.rank() == 0) {
    for (std::vector<uint8_t>& bytes : *gathered) {
      Message m(std::move(bytes));
      while (m.ok() && !m.atEnd()) {
        ProvenanceRef p;
        p.token = m.get<uint64_t>();
        p.path = getString(m);
        p.line = m.get<uint64_t>();
        p.byteOffset = m.get<uint64_t>();
        p.snippet = getString(m);
        const uint64_t token = p.token;
        found[token] = std::move(p);
      }
      if (!m.ok()) merged = Status::internal("malformed provenance from a rank");
    }
    if (merged && found.size() != tokens.size())
      merged = Status::internal("a provenance token no rank holds");
  }
  if (Status st = comm.agree(merged); !st) return st;
  return found;
}

}  // namespace

Result<std::vector<NeighbourTrace>> tracedVectors(Communicator& comm, const ShardedMemory& memory,
                                                  const std::vector<uint32_t>& firstHeld,
                                                  std::vector<ShardVector> vectors,
                                                  const TraceOptions& options) {
  std::vector<uint64_t> firstSources;
  std::vector<uint64_t> tokens;
  for (const ShardVector& v : vectors) {
    firstSources.push_back(v.firstSource);
    tokens.insert(tokens.end(), v.sources.begin(), v.sources.end());
  }
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  auto ids = storedVectorIds(comm, memory.classifier->shard(), firstHeld, firstSources);
  if (!ids) return ids.status();
  auto where = provenanceOfTokens(comm, memory, tokens, options.snippetBytes);
  if (!where) return where.status();
  std::vector<NeighbourTrace> out;
  for (size_t i = 0; i < vectors.size(); ++i) {
    NeighbourTrace& n = out.emplace_back(std::move(vectors[i].trace));
    n.storedVector = (*ids)[i];
    for (const uint64_t s : vectors[i].sources) n.provenance.push_back(where->at(s));
  }
  return out;
}

}  // namespace memlens

// shardByValue in many rounds: run under mpirun with rounds of a few dozen instances, so that every
// rank sends its block in pieces (blocks of different sizes, one rank's empty at 3 ranks), and
// each rank checks that its shard is the memory one process builds from the instances it owns,
// added in the corpus's order: the same stored vectors and ids, distributions and sources in
// order. Also: a cancelled job ends the exchange on every rank with "cancelled", not a hang.
// Usage: mpirun -np N shard_by_value_rounds
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "distributed/communicator.h"
#include "distributed/shard_by_value.h"

namespace {

constexpr int kWidth = 3;

// Instance i of the corpus: few values and classes, so that vectors repeat, across rounds and
// ranks, with several classes each.
void addInstance(memlens::InstanceSet& set, size_t i) {
  set.features.push_back(static_cast<uint32_t>(i * 7 % 11));
  set.features.push_back(static_cast<uint32_t>(i % 3));
  set.features.push_back(static_cast<uint32_t>(i * 5 % 4));
  set.classes.push_back(static_cast<uint32_t>(100 + i * 13 % 5));
  set.sources.push_back(i + 1);
}

// Rank r's block of the corpus: [begin, end), of a size that differs by rank.
std::pair<size_t, size_t> blockOf(int rank) {
  const size_t sizes[] = {4000, 1700, 0};
  size_t begin = 0;
  for (int r = 0; r < rank; ++r) begin += sizes[r % 3];
  return {begin, begin + sizes[rank % 3]};
}

std::string differs(const memlens::InstanceBase& got, const memlens::InstanceBase& want) {
  if (got.vectorCount() != want.vectorCount()) return "vector count";
  if (got.classTotals() != want.classTotals()) return "class totals";
  for (uint32_t id = 0; id < want.vectorCount(); ++id) {
    const auto gv = got.vector(id), wv = want.vector(id);
    if (!std::equal(gv.begin(), gv.end(), wv.begin(), wv.end()))
      return "vector " + std::to_string(id);
    const auto gd = got.distribution(id), wd = want.distribution(id);
    if (!std::equal(gd.begin(), gd.end(), wd.begin(), wd.end(), [](auto a, auto b) {
          return a.classIndex == b.classIndex && a.count == b.count;
        }))
      return "distribution of vector " + std::to_string(id);
    if (got.sources(id) != want.sources(id)) return "sources of vector " + std::to_string(id);
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  memlens::CommunicatorOptions options;
  options.roundBytes = 2000;  // 83 instances of width 3 a round
  memlens::Communicator world(&argc, &argv, options);
  const int me = world.rank();
  const auto fail = [me](const std::string& what) {
    std::fprintf(stderr, "FAIL rank %d: %s\n", me, what.c_str());
    return 1;
  };

  memlens::InstanceSet block;
  block.width = kWidth;
  const auto [begin, end] = blockOf(me);
  for (size_t i = begin; i < end; ++i) addInstance(block, i);
  auto stats = memlens::GlobalStatistics::ofBlock(world, block, {}, nullptr);
  if (!stats) return fail(stats.status().message());
  const int feature = 0;

  memlens::InstanceBase want(kWidth);
  for (uint32_t id : stats->classIds()) want.addClass(id);
  memlens::InstanceSet mine;
  mine.width = kWidth;
  for (size_t i = 0; i < blockOf(world.size() - 1).second; ++i) {
    memlens::InstanceSet one;
    one.width = kWidth;
    addInstance(one, i);
    if (memlens::ownerOf(one.features[feature], world.size()) == me) addInstance(mine, i);
  }
  if (memlens::Status st = want.add(mine); !st) return fail(st.message());

  memlens::InstanceSet again = block;
  auto shard = memlens::shardByValue(world, std::move(block), feature, *stats, nullptr);
  if (!shard) return fail(shard.status().message());
  if (const std::string d = differs(*shard, want); !d.empty()) return fail("shard: " + d);

  memlens::JobControl cancelled;
  cancelled.cancel();
  auto stopped = memlens::shardByValue(world, std::move(again), feature, *stats, &cancelled);
  if (stopped || stopped.status().code() != memlens::Status::Code::kCancelled)
    return fail("a cancelled exchange did not say so");

  if (me == 0)
    std::printf("ok   %d ranks, shards of %llu instances in rounds of %zu bytes\n", world.size(),
                static_cast<unsigned long long>(stats->instanceCount()), options.roundBytes);
  return 0;
}

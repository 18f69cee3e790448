// Communicator's messages in pieces: run under mpirun with a round of a few hundred bytes, so that
// every all-to-all, send and broadcast here takes many rounds (as one past MPI's 2 GiB int counts
// does with the default round), and each rank checks every byte it receives.
// Usage: mpirun -np N all_to_all_pieces
#include <cstdint>
#include <cstdio>
#include <vector>

#include "distributed/communicator.h"

namespace {

// The bytes rank `from` sends rank `to`: sizes from none to many rounds, some not a multiple of a
// piece, each byte telling who sent it where and at what offset.
std::vector<uint8_t> message(int from, int to) {
  const size_t size = static_cast<size_t>((from * 7 + to * 13) % 5) * 1171 + (from == to ? 0 : 3);
  std::vector<uint8_t> out(size);
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(from * 31 + to * 17 + i * 7);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  memlens::CommunicatorOptions options;
  options.roundBytes = 500;
  memlens::Communicator world(&argc, &argv, options);
  const int me = world.rank();
  int failures = 0;
  const auto fail = [&](const char* what, int from) {
    std::fprintf(stderr, "FAIL rank %d: %s from rank %d\n", me, what, from);
    ++failures;
  };

  std::vector<std::vector<uint8_t>> out;
  for (int to = 0; to < world.size(); ++to) out.push_back(message(me, to));
  auto received = world.allToAll(std::move(out));
  if (!received) {
    std::fprintf(stderr, "FAIL rank %d: %s\n", me, received.status().message().c_str());
    return 1;
  }
  for (int from = 0; from < world.size(); ++from)
    if ((*received)[static_cast<size_t>(from)] != message(from, me)) fail("all-to-all", from);

  auto gathered = world.gatherEach(message(me, 0), [&](int from, std::vector<uint8_t> bytes) {
    if (bytes != message(from, 0)) fail("gatherEach", from);
  });
  if (!gathered) fail(gathered.message().c_str(), 0);

  std::vector<uint8_t> broadcast = me == 0 ? message(0, 1) : std::vector<uint8_t>(3);
  if (memlens::Status st = world.broadcast(broadcast); !st) fail(st.message().c_str(), 0);
  if (broadcast != message(0, 1)) fail("broadcast", 0);

  if (failures == 0 && me == 0)
    std::printf("ok   %d ranks, pieces of %zu bytes\n", world.size(), options.roundBytes);
  return failures == 0 ? 0 : 1;
}

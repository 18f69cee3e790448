#include "distributed/communicator.h"

#include <mpi.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <thread>

namespace memlens {
namespace {

// A status of `code` (another rank's, sent as a number) with `message`.
Status ofKind(Status::Code code, std::string message) {
  switch (code) {
    case Status::Code::kInvalidArgument:
      return Status::invalidArgument(std::move(message));
    case Status::Code::kNotFound:
      return Status::notFound(std::move(message));
    case Status::Code::kCorrupt:
      return Status::corrupt(std::move(message));
    case Status::Code::kCancelled:
      return Status::cancelled();
    case Status::Code::kInternal:
      return Status::internal(std::move(message));
    default:  // kIoError, and kOk, which a failing rank does not send
      return Status::ioError(std::move(message));
  }
}

// MEMLENS_MPI_TIMEOUT (seconds, > 0), else kDefaultTimeout.
constexpr double kDefaultTimeout = 1800.0;

double timeoutFromEnvironment() {
  const char* text = std::getenv("MEMLENS_MPI_TIMEOUT");
  if (text == nullptr) return kDefaultTimeout;
  char* end = nullptr;
  const double seconds = std::strtod(text, &end);
  return end != text && *end == '\0' && seconds > 0 ? seconds : kDefaultTimeout;
}

}  // namespace

Communicator::Communicator(int* argc, char*** argv, const CommunicatorOptions& options)
    : options_(options), timeoutSeconds_(timeoutFromEnvironment()) {
  options_.roundBytes = std::clamp<size_t>(options_.roundBytes, 1, INT_MAX);
  MPI_Init(argc, argv);
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  // The other ranks wait twice as long, so that rank 0 notices a hung rank first and says so
  // before an abort from another rank stops it.
  if (rank_ != 0) timeoutSeconds_ *= 2;
}

Communicator::~Communicator() {
  // MPI_Finalize would wait for the rank that failed; MPI_Abort ends every rank.
  if (broken_)
    MPI_Abort(MPI_COMM_WORLD, 1);
  else
    MPI_Finalize();
}

Status Communicator::check(int code, const char* what) {
  if (code == MPI_SUCCESS) return Status::ok();
  broken_ = true;
  char text[MPI_MAX_ERROR_STRING] = {};
  int length = 0;
  MPI_Error_string(code, text, &length);
  return Status::ioError(std::string("MPI ") + what + " failed on rank " + std::to_string(rank_) +
                         ": " + std::string(text, static_cast<size_t>(length)) +
                         " (did another rank die? its output says why)");
}

Status Communicator::finish(int started, MPI_Request& request, const char* what) {
  if (Status st = check(started, what); !st) return st;
  // Polled, not waited for: a rank that hangs (or died without the launcher noticing) would
  // hold every other rank in MPI_Wait for ever. Yields first (a batch's collectives take
  // milliseconds), then sleeps a millisecond between polls.
  const auto start = std::chrono::steady_clock::now();
  for (int polls = 0;; ++polls) {
    int done = 0;
    if (Status st = check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), what); !st) return st;
    if (done) return Status::ok();
    const double waited =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (waited > timeoutSeconds_) {
      broken_ = true;
      return Status::ioError(std::string("MPI ") + what + ": rank " + std::to_string(rank_) +
                             " had no answer from every rank within " +
                             std::to_string(static_cast<long>(timeoutSeconds_)) +
                             " s: a rank hangs or died (MEMLENS_MPI_TIMEOUT sets the limit)");
    }
    if (waited < 0.01)
      sched_yield();
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

Status Communicator::broadcast(std::vector<uint8_t>& bytes) {
  uint64_t n = bytes.size();
  MPI_Request request;
  if (Status st = finish(MPI_Ibcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD, &request), request,
                         "broadcast");
      !st)
    return st;
  bytes.resize(n);
  bytesMoved_ += n;
  for (uint64_t at = 0; at < n; at += options_.roundBytes) {
    const auto piece = static_cast<int>(std::min<uint64_t>(options_.roundBytes, n - at));
    if (Status st =
            finish(MPI_Ibcast(bytes.data() + at, piece, MPI_BYTE, 0, MPI_COMM_WORLD, &request),
                   request, "broadcast");
        !st)
      return st;
  }
  return Status::ok();
}

Result<std::vector<std::vector<uint8_t>>> Communicator::gather(const std::vector<uint8_t>& bytes) {
  if (bytes.size() > INT_MAX) return Status::invalidArgument("MPI gather: a message past 2 GiB");
  const int n = static_cast<int>(bytes.size());
  std::vector<int> counts(rank_ == 0 ? size_ : 0);
  MPI_Request request;
  if (Status st = finish(
          MPI_Igather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD, &request),
          request, "gather");
      !st)
    return st;
  std::vector<int> displs(counts.size());
  int64_t total = 0;
  for (size_t r = 0; r < counts.size(); ++r) {
    displs[r] = static_cast<int>(total);
    total += counts[r];
  }
  if (total > INT_MAX) return Status::invalidArgument("MPI gather: a batch past 2 GiB");
  std::vector<uint8_t> all(static_cast<size_t>(total));
  if (Status st = finish(MPI_Igatherv(bytes.data(), n, MPI_BYTE, all.data(), counts.data(),
                                      displs.data(), MPI_BYTE, 0, MPI_COMM_WORLD, &request),
                         request, "gather");
      !st)
    return st;
  bytesMoved_ += rank_ == 0 ? static_cast<uint64_t>(total) : bytes.size();
  std::vector<std::vector<uint8_t>> out(counts.size());
  for (size_t r = 0; r < counts.size(); ++r)
    out[r].assign(all.begin() + displs[r], all.begin() + displs[r] + counts[r]);
  return out;
}

Status Communicator::gatherEach(std::vector<uint8_t> bytes,
                                const std::function<void(int, std::vector<uint8_t>)>& consume) {
  constexpr int kTag = 17;
  MPI_Request request;
  if (rank_ != 0) {
    uint64_t n = bytes.size();
    if (Status st = finish(MPI_Isend(&n, 1, MPI_UINT64_T, 0, kTag, MPI_COMM_WORLD, &request),
                           request, "send");
        !st)
      return st;
    bytesMoved_ += n;
    for (uint64_t at = 0; at < n; at += options_.roundBytes) {
      const auto piece = static_cast<int>(std::min<uint64_t>(options_.roundBytes, n - at));
      if (Status st = finish(
              MPI_Isend(bytes.data() + at, piece, MPI_BYTE, 0, kTag, MPI_COMM_WORLD, &request),
              request, "send");
          !st)
        return st;
    }
    return Status::ok();
  }
  consume(0, std::move(bytes));
  for (int r = 1; r < size_; ++r) {
    uint64_t n = 0;
    if (Status st = finish(MPI_Irecv(&n, 1, MPI_UINT64_T, r, kTag, MPI_COMM_WORLD, &request),
                           request, "receive");
        !st)
      return st;
    std::vector<uint8_t> received(n);
    for (uint64_t at = 0; at < n; at += options_.roundBytes) {
      const auto piece = static_cast<int>(std::min<uint64_t>(options_.roundBytes, n - at));
      if (Status st = finish(
              MPI_Irecv(received.data() + at, piece, MPI_BYTE, r, kTag, MPI_COMM_WORLD, &request),
              request, "receive");
          !st)
        return st;
    }
    bytesMoved_ += n;
    consume(r, std::move(received));
  }
  return Status::ok();
}

Result<std::vector<std::vector<uint8_t>>> Communicator::allToAll(
    std::vector<std::vector<uint8_t>> toRank) {
  const auto n = static_cast<size_t>(size_);
  std::vector<uint64_t> sendSizes(n), recvSizes(n);
  for (size_t r = 0; r < n; ++r) sendSizes[r] = toRank[r].size();
  MPI_Request request;
  if (Status st = finish(MPI_Ialltoall(sendSizes.data(), 1, MPI_UINT64_T, recvSizes.data(), 1,
                                       MPI_UINT64_T, MPI_COMM_WORLD, &request),
                         request, "all-to-all");
      !st)
    return st;
  // Each pair moves at most `chunk` bytes a round, so that no rank sends or receives more than
  // roundBytes in one; every rank runs as many rounds as the largest message needs.
  const uint64_t chunk = std::max<uint64_t>(1, options_.roundBytes / n);
  uint64_t rounds = 0;
  for (size_t r = 0; r < n; ++r)
    rounds = std::max(rounds, (std::max(sendSizes[r], recvSizes[r]) + chunk - 1) / chunk);
  if (Status st = finish(
          MPI_Iallreduce(MPI_IN_PLACE, &rounds, 1, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD, &request),
          request, "reduction");
      !st)
    return st;

  std::vector<std::vector<uint8_t>> out(n);
  for (size_t r = 0; r < n; ++r) out[r].resize(recvSizes[r]);
  std::vector<int> sendCounts(n), sendDispls(n), recvCounts(n), recvDispls(n);
  std::vector<uint8_t> send, recv;
  for (uint64_t round = 0; round < rounds; ++round) {
    const uint64_t from = round * chunk;
    send.clear();
    size_t received = 0;
    for (size_t r = 0; r < n; ++r) {
      const uint64_t sendEnd = std::min(sendSizes[r], from + chunk);
      sendDispls[r] = static_cast<int>(send.size());
      sendCounts[r] = static_cast<int>(sendEnd > from ? sendEnd - from : 0);
      if (sendCounts[r] > 0)
        send.insert(send.end(), toRank[r].begin() + static_cast<ptrdiff_t>(from),
                    toRank[r].begin() + static_cast<ptrdiff_t>(sendEnd));
      // The instances a shard exchange moves are a large share of a rank's memory: each message
      // goes as soon as it is sent.
      if (sendEnd == sendSizes[r]) std::vector<uint8_t>().swap(toRank[r]);
      const uint64_t recvEnd = std::min(recvSizes[r], from + chunk);
      recvDispls[r] = static_cast<int>(received);
      recvCounts[r] = static_cast<int>(recvEnd > from ? recvEnd - from : 0);
      received += static_cast<size_t>(recvCounts[r]);
    }
    recv.resize(received);
    if (Status st = finish(MPI_Ialltoallv(send.data(), sendCounts.data(), sendDispls.data(),
                                          MPI_BYTE, recv.data(), recvCounts.data(),
                                          recvDispls.data(), MPI_BYTE, MPI_COMM_WORLD, &request),
                           request, "all-to-all");
        !st)
      return st;
    bytesMoved_ += send.size() + recv.size();
    for (size_t r = 0; r < n; ++r)
      std::copy_n(recv.begin() + recvDispls[r], recvCounts[r],
                  out[r].begin() + static_cast<ptrdiff_t>(from));
  }
  return out;
}

Result<uint64_t> Communicator::sum(uint64_t value) {
  uint64_t total = 0;
  MPI_Request request;
  if (Status st =
          finish(MPI_Iallreduce(&value, &total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD, &request),
                 request, "reduction");
      !st)
    return st;
  return total;
}

Status Communicator::agree(const Status& local) {
  const int mine = local ? size_ : rank_;
  int first = size_;
  MPI_Request request;
  if (Status st =
          finish(MPI_Iallreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD, &request),
                 request, "reduction");
      !st)
    return st;
  if (first == size_) return Status::ok();
  const std::string text = local.message();
  // The message's length and its kind, so that "bad data" stays "bad data" on every rank.
  uint64_t head[2] = {text.size(), static_cast<uint64_t>(local.code())};
  if (Status st = finish(MPI_Ibcast(head, 2, MPI_UINT64_T, first, MPI_COMM_WORLD, &request),
                         request, "broadcast");
      !st)
    return st;
  const uint64_t n = head[0];
  std::string message(n, '\0');
  if (rank_ == first) message = text;
  if (Status st = finish(MPI_Ibcast(message.data(), static_cast<int>(n), MPI_CHAR, first,
                                    MPI_COMM_WORLD, &request),
                         request, "broadcast");
      !st)
    return st;
  if (rank_ == first) return local;
  return ofKind(static_cast<Status::Code>(head[1]),
                "rank " + std::to_string(first) + ": " + message);
}

}  // namespace memlens

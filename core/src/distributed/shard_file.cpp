#include "distributed/shard_file.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <random>
#include <span>
#include <utility>

#include "distributed/answered_classifier.h"
#include "distributed/message.h"
#include "memfile/experiment_file.h"
#include "memfile/memory_file_layout.h"
#include "memfile/memory_file_reader.h"
#include "memfile/memory_file_writer.h"

namespace memlens {
namespace {

using Section = MemoryFileLayout::Section;

// What the shard section holds.
struct ShardHeader {
  uint32_t rank = 0;
  uint32_t ranks = 0;
  uint64_t saveId = 0;  // the same in every file of one save
  uint32_t vocabularySize = 0;
};

void saveShardSection(const ShardHeader& h, const GlobalStatistics& stats, MemoryFileWriter& out) {
  ByteWriter& w = out.begin(Section::kShard);
  w.put(h.rank);
  w.put(h.ranks);
  w.put(h.saveId);
  w.put(h.vocabularySize);
  w.putArray(std::span<const uint32_t>(stats.classIds()));
  w.putArray(std::span<const uint64_t>(stats.classTotals()));
  w.putArray(std::span<const double>(stats.weights()));
  out.end();
}

Result<std::pair<ShardHeader, GlobalStatistics>> loadShardSection(const MemoryFileReader& file) {
  auto bytes = file.section(Section::kShard);
  if (!bytes)
    return Status::invalidArgument(file.path() +
                                   " is not a shard file: it holds no 'shard' section");
  ByteReader in(*bytes);
  ShardHeader h;
  in.get(h.rank);
  in.get(h.ranks);
  in.get(h.saveId);
  in.get(h.vocabularySize);
  std::vector<uint32_t> classIds;
  std::vector<uint64_t> classTotals;
  std::vector<double> weights;
  in.getArray(classIds);
  in.getArray(classTotals);
  in.getArray(weights, InstanceSet::kMaxWidth);
  if (!in.ok() || !in.expectEnd()) return file.damaged("section 'shard': " + in.error());
  for (uint32_t id : classIds)
    if (id >= h.vocabularySize) return file.damaged("section 'shard': a class past the vocabulary");
  auto stats =
      GlobalStatistics::of(std::move(classIds), std::move(classTotals), std::move(weights));
  if (!stats) return file.damaged("section 'shard': " + stats.status().message());
  return std::make_pair(h, std::move(*stats));
}

// Why rank `rank`'s shard of the memory saved at `path` is not there.
Status missingShard(const std::string& path, int rank, int ranks) {
  const std::string mine = shardPath(path, rank, ranks);
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec))
    return Status::invalidArgument(path + " is a memory file of one process, not a memory saved " +
                                   "by " + std::to_string(ranks) + " ranks (" + mine +
                                   "): open it with one rank, or save it again under mpirun -np " +
                                   std::to_string(ranks));
  // Shards of the same path saved by another number of ranks.
  const std::filesystem::path p(path);
  const std::string prefix = p.filename().string() + ".0-of-";
  const auto dir = p.parent_path().empty() ? std::filesystem::path(".") : p.parent_path();
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(prefix) && name.find(".tmp-") == std::string::npos &&
        name != prefix + std::to_string(ranks))
      return Status::invalidArgument(
          "no " + mine + ": the memory at " + path + " was saved by " + name.substr(prefix.size()) +
          " ranks; open it under as many (mpirun -np " + name.substr(prefix.size()) + ")");
  }
  return Status::notFound("no memory saved at " + path + " by " + std::to_string(ranks) +
                          " ranks: " + mine + " does not exist");
}

uint64_t newSaveId() {
  std::random_device random;
  const uint64_t now =
      static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  return (uint64_t{random()} << 32 ^ random()) ^ now;
}

// This rank's file: opened, its small sections verified, its shard section read and checked
// against this rank and N.
struct OpenedFile {
  std::unique_ptr<MemoryFileReader> file;
  ShardHeader header;
  std::optional<GlobalStatistics> stats;
};

Result<OpenedFile> openMine(const std::string& path, int rank, int ranks, JobControl* job) {
  const std::string mine = shardPath(path, rank, ranks);
  std::error_code ec;
  if (!std::filesystem::exists(mine, ec)) return missingShard(path, rank, ranks);
  auto file = MemoryFileReader::open(mine);
  if (!file) return file.status();
  std::vector<Section> small;
  for (uint32_t id = 1; id <= static_cast<uint32_t>(Section::kShard); ++id)
    if (MemoryFileLayout::checkedOnOpen(id)) small.push_back(Section{id});
  if (Status s = (*file)->verify(small, job); !s) return s;
  auto shard = loadShardSection(**file);
  if (!shard) return shard.status();
  const ShardHeader& h = shard->first;
  if (h.rank != static_cast<uint32_t>(rank) || h.ranks != static_cast<uint32_t>(ranks))
    return Status::invalidArgument(mine + " is shard " + std::to_string(h.rank) + " of a memory " +
                                   "saved by " + std::to_string(h.ranks) + " ranks, not shard " +
                                   std::to_string(rank) + " of " + std::to_string(ranks) +
                                   " (a renamed file?)");
  return OpenedFile{std::move(*file), h, std::move(shard->second)};
}

}  // namespace

std::string shardPath(const std::string& path, int rank, int ranks) {
  return path + "." + std::to_string(rank) + "-of-" + std::to_string(ranks);
}

Result<uint64_t> saveShards(Communicator& comm, const ShardedClassifier& memory,
                            const Experiment* experiment, const std::string& path,
                            JobControl* job) {
  const bool root = comm.rank() == 0;
  // Rank 0 names the save and tells the vocabulary's size (the shards' bounds).
  Message agreed;
  if (root) {
    agreed.put<uint64_t>(newSaveId());
    agreed.put<uint32_t>(experiment ? experiment->corpus().vocab.size() : 0);
  }
  if (Status st = comm.broadcast(agreed.bytes()); !st) return st;
  ShardHeader h;
  h.rank = static_cast<uint32_t>(comm.rank());
  h.ranks = static_cast<uint32_t>(comm.size());
  h.saveId = agreed.get<uint64_t>();
  h.vocabularySize = agreed.get<uint32_t>();
  if (!agreed.ok()) return Status::internal("malformed save id from rank 0");

  const std::string mine = shardPath(path, comm.rank(), comm.size());
  const uint32_t sections =
      (root ? ExperimentFile::kPartsSectionCount : 1) + ExperimentFile::kMemorySectionCount + 1;
  auto out = MemoryFileWriter::create(mine, sections, job);
  Status written = out ? Status::ok() : out.status();
  // Seen before any rank publishes: the rename would fail after the others' had replaced theirs.
  std::error_code ec;
  if (written && std::filesystem::is_directory(mine, ec))
    written = Status::ioError("cannot write memory file " + mine + ": a folder is in its place");
  if (written) {
    reportProgress(job, 0.0, "saving " + mine);
    if (root) {
      ExperimentFile::saveParts(*experiment, **out);
    } else {
      // The other ranks know the classifier's options, and the width, not the whole experiment's.
      ExperimentOptions options;
      options.classifier = memory.options();
      options.window.width = memory.width();
      ExperimentFile::saveOptionsSection(options, **out);
    }
    // A rank without stored vectors keeps an empty base of the memory's width.
    const InstanceBase none(memory.width());
    const InstanceBase* base = memory.shard();
    if (base == nullptr || base->width() != memory.width()) base = &none;
    written = ExperimentFile::saveMemory(*base, memory.statistics().weights(), memory.tree(),
                                         memory.overlap(), **out);
    if (written) saveShardSection(h, memory.statistics(), **out);
    if (written) written = (*out)->finish();
    if (!written && !written.isCancelled())
      written = Status::ioError("cannot write memory file " + mine + ": " + written.message());
  }
  // Every rank's file is complete and synced, or every temporary file goes.
  if (Status st = comm.agree(written); !st) return st;
  Status published = (*out)->publish();
  if (Status st = comm.agree(published); !st) return st;
  const auto bytes = std::filesystem::file_size(mine, ec);
  reportProgress(job, 1.0, "saved " + mine);
  return ec ? uint64_t{0} : static_cast<uint64_t>(bytes);
}

Result<OpenedShards> openShards(Communicator& comm, const std::string& path, JobControl* job) {
  const bool root = comm.rank() == 0;
  auto opened = openMine(path, comm.rank(), comm.size(), job);
  if (Status st = comm.agree(opened ? Status::ok() : opened.status()); !st) return st;

  // Files of one save only: every rank's id against rank 0's.
  Message id;
  id.put<uint64_t>(opened->header.saveId);
  auto ids = comm.allGather(id.bytes());
  if (!ids) return ids.status();
  Message first((*ids)[0]);
  Status same = first.get<uint64_t>() == opened->header.saveId
                    ? Status::ok()
                    : Status::invalidArgument(
                          shardPath(path, comm.rank(), comm.size()) + " and " +
                          shardPath(path, 0, comm.size()) +
                          " are of different saves (their save ids differ): save the memory "
                          "again");
  if (Status st = comm.agree(same); !st) return st;

  const MemoryFileReader& file = *opened->file;
  OpenedShards out;
  // Rank 0's experiment (options, corpus, test part, base model), or the other ranks' options.
  Result<ExperimentOptions> options = ExperimentOptions{};
  if (root) {
    auto e = ExperimentFile::loadParts(file, {}, job);
    if (e) {
      options = (*e)->record().options;
      out.experiment = std::move(*e);
    } else {
      options = e.status();
    }
  } else {
    options = ExperimentFile::loadOptionsSection(file);
  }
  const int width = options ? options->window.width : 0;
  Result<ExperimentFile::StoredMemory> stored = Status::internal("no options");
  if (!options)
    stored = options.status();
  else if (opened->stats->weights().size() != static_cast<size_t>(width))
    stored =
        file.damaged("its shard section has " + std::to_string(opened->stats->weights().size()) +
                     " weights for " + std::to_string(width) + " features");
  else
    // The shard keeps no token stream: its sources index nothing here.
    stored = ExperimentFile::loadMemory(file, options->classifier, width,
                                        opened->header.vocabularySize, UINT64_MAX, job);
  if (Status st = comm.agree(stored ? Status::ok() : stored.status()); !st) return st;
  auto memory = ShardedClassifier::restore(comm, options->classifier, std::move(*opened->stats),
                                           std::move(stored->base), std::move(stored->stored), job);
  if (!memory) return memory.status();
  out.memory = std::move(*memory);
  return out;
}

Result<std::unique_ptr<Experiment>> openShardedExperiment(Communicator& comm,
                                                          const std::string& path,
                                                          JobControl* job) {
  auto opened = openShards(comm, path, job);
  if (!opened) return opened.status();
  const InstanceSet* queries[] = {opened->experiment ? &opened->experiment->test() : nullptr};
  std::span<const InstanceSet* const> sets(queries, opened->experiment ? 1 : 0);
  auto answers = AnsweredClassifier::answer(*opened->memory, sets, job);
  if (!answers) return answers.status();
  if (comm.rank() != 0) return std::unique_ptr<Experiment>();
  ExperimentFile::setClassifier(*opened->experiment, std::move(*answers));
  return std::move(opened->experiment);
}

}  // namespace memlens

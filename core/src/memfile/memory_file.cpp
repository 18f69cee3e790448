#include "memlens/memory_file.h"

#include "base/mapped_file.h"
#include "base/sha256.h"

#include "memfile/byte_reader.h"
#include "memfile/experiment_file.h"
#include "memfile/memory_file_reader.h"
#include "memfile/memory_file_writer.h"

namespace memlens {

Status saveMemory(const Experiment& experiment, const std::string& path, JobControl* job) {
  auto out = MemoryFileWriter::create(path, ExperimentFile::kSectionCount, job);
  if (!out) return out.status();
  reportProgress(job, 0.0, "saving " + path);
  if (Status s = ExperimentFile::save(experiment, **out); !s) {
    if (s.isCancelled()) return s;
    return Status::ioError("cannot write memory file " + path + ": " + s.message());
  }
  if (Status s = (*out)->commit(); !s) return s;
  reportProgress(job, 1.0, "saved " + path);
  return Status::ok();
}

Result<std::shared_ptr<const Experiment>> openMemory(const std::string& path,
                                                     const MemoryOpenOptions& options,
                                                     JobControl* job) {
  auto file = MemoryFileReader::open(path);
  if (!file) return file.status();
  reportProgress(job, 0.0, "checking " + path);
  std::vector<MemoryFileLayout::Section> small;
  for (uint32_t id = 1; id <= ExperimentFile::kSectionCount; ++id)
    if (MemoryFileLayout::checkedOnOpen(id)) small.push_back(MemoryFileLayout::Section{id});
  if (Status s = (*file)->verify(small, job); !s) return s;
  auto experiment = ExperimentFile::load(**file, options, job);
  if (!experiment) return experiment.status();
  reportProgress(job, 1.0, "opened " + path);
  return std::shared_ptr<const Experiment>(std::move(*experiment));
}

Status verifyMemory(const std::string& path, JobControl* job) {
  auto file = MemoryFileReader::open(path);
  if (!file) return file.status();
  reportProgress(job, 0.0, "verifying " + path);
  if (Status s = (*file)->verify({}, job); !s) return s;
  // The consistency checks opening defers to the first reads, all of them (the checksums pass a
  // file written with wrong contents).
  MemoryOpenOptions noCorpus;
  noCorpus.attachCorpus = false;
  if (auto checked = ExperimentFile::load(**file, noCorpus, job, true); !checked)
    return checked.status();
  auto bytes = (*file)->section(MemoryFileLayout::Section::kRecord);
  if (!bytes) return bytes.status();
  ByteReader in(*bytes);
  auto record = ExperimentFile::loadRecord(in);
  if (!record) return (*file)->damaged("section 'run record': " + record.status().message());
  for (size_t i = 0; i < record->corpus.size(); ++i) {
    const RunRecord::CorpusFile& saved = record->corpus[i];
    reportProgress(job, 0.5 + 0.5 * static_cast<double>(i) / record->corpus.size(),
                   "verifying " + saved.path);
    // Missing and resized files were seen on opening (they get no text); only a file opening
    // took on its size and time alone needs its hash.
    auto mapped = MappedFile::open(saved.path);
    if (!mapped || (*mapped)->bytes().size() != saved.bytes) continue;
    if (cancelRequested(job)) return Status::cancelled();
    if (Sha256::of((*mapped)->bytes()) != saved.sha256)
      return Status::corrupt(saved.path + " changed since memory file " + path +
                             " was saved (SHA-256 differs) although its size and modification "
                             "time did not: the provenance text shown from it is not the text "
                             "the memory was trained on");
  }
  reportProgress(job, 1.0, "verified " + path);
  return Status::ok();
}

Result<MemoryFileInfo> readMemoryFileInfo(const std::string& path) {
  auto file = MemoryFileReader::open(path);
  if (!file) return file.status();
  if (Status s = (*file)->verify({MemoryFileLayout::Section::kRecord}); !s) return s;
  auto bytes = (*file)->section(MemoryFileLayout::Section::kRecord);
  if (!bytes) return bytes.status();
  ByteReader in(*bytes);
  auto record = ExperimentFile::loadRecord(in);
  if (record && !in.expectEnd()) record = Status::corrupt(in.error());
  if (!record) return (*file)->damaged("section 'run record': " + record.status().message());
  MemoryFileInfo info;
  info.formatVersion = (*file)->formatVersion();
  info.record = std::move(*record);
  info.fileBytes = (*file)->fileBytes();
  return info;
}

}  // namespace memlens

#include "memlens/memory_file.h"

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
  if (Status s = (*file)->verify({}, job); !s) return s;
  auto experiment = ExperimentFile::load(**file, options, job);
  if (!experiment) return experiment.status();
  reportProgress(job, 1.0, "opened " + path);
  return std::shared_ptr<const Experiment>(std::move(*experiment));
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

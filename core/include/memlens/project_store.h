#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "memlens/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace memlens {

// A corpus file as a project remembers it; `text` holds its bytes when they are embedded.
struct ProjectCorpusFile {
  std::string path;
  uint64_t bytes = 0;
  std::string sha256;
  std::optional<std::string> text;
};

// One user action in the edit journal. `payload` is JSON owned by the editing code; `undone`
// marks entries taken back by undo (kept until a new edit discards them, so redo works after a
// restart too).
struct JournalEntry {
  int64_t seq = 0;
  std::string kind;
  std::string payload;
  std::string created;
  bool undone = false;
};

// What a stored run records, and so how its JSON reads.
enum class RunKind {
  kWindow,  // a training run of the window: RunRecord::toJson()
  kProbe,   // the project's memory measured on its probe set: Project::recordRun()
};

struct StoredRun {
  int64_t id = 0;
  std::string created;
  RunKind kind = RunKind::kWindow;
  std::string record;
};

// The one owner of a .memlens project file (SQLite). It checks what it opens before writing a
// byte: not an SQLite file, another application's database, a newer schema, or a damaged file
// each give a clear error and leave the file untouched. Older schemas are migrated in order,
// in one transaction. WAL mode; every public call that writes is one transaction, committed
// (synchronous=FULL) before it returns, so an edit whose call returned survives a crash.
// Not thread-safe: use one ProjectStore from one thread at a time.
class ProjectStore {
 public:
  static constexpr int kSchemaVersion = 2;
  static constexpr int32_t kApplicationId = 0x4D4C4E53;  // "MLNS"

  // Creates a new project file; fails if `path` exists.
  static Result<std::unique_ptr<ProjectStore>> create(const std::string& path);
  // Opens an existing project, migrating an older schema.
  static Result<std::unique_ptr<ProjectStore>> open(const std::string& path);
  ProjectStore(const ProjectStore&) = delete;
  ProjectStore& operator=(const ProjectStore&) = delete;
  ~ProjectStore();

  const std::string& path() const { return path_; }

  Status setSetting(const std::string& key, const std::string& value);
  Result<std::optional<std::string>> setting(const std::string& key);

  // Replaces the project's corpus references (and embedded texts) in one transaction.
  Status setCorpus(const std::vector<ProjectCorpusFile>& files);
  Result<std::vector<ProjectCorpusFile>> corpus(bool withText = false);

  // Appends an edit, discarding entries undone before it (a new edit ends the redo history).
  Result<int64_t> appendJournal(const std::string& kind, const std::string& payload);
  Status setUndone(int64_t seq, bool undone);
  Result<std::vector<JournalEntry>> journal();

  Result<int64_t> addRun(RunKind kind, const std::string& recordJson);
  Result<std::vector<StoredRun>> runs();

  // PRAGMA integrity_check: "ok" or the problems found.
  Result<std::string> integrityCheck();

 private:
  class Statement;
  class Transaction;
  ProjectStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  static Result<std::unique_ptr<ProjectStore>> openChecked(const std::string& path, bool creating);
  Status exec(const char* sql);
  Status migrate(int fromVersion);
  Status error(const std::string& what) const;

  sqlite3* db_;
  std::string path_;
};

}  // namespace memlens

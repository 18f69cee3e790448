#include "memlens/project_store.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string_view>

namespace memlens {

namespace {

// Schema migrations: kMigrations[v] takes a project from schema v to v + 1.
constexpr const char* kMigrations[] = {
    // 0 -> 1
    "CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE corpus_files(position INTEGER PRIMARY KEY, path TEXT NOT NULL,"
    "  bytes INTEGER NOT NULL, sha256 TEXT NOT NULL, text BLOB);"
    "CREATE TABLE journal(seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,"
    "  payload TEXT NOT NULL, created TEXT NOT NULL, undone INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE runs(id INTEGER PRIMARY KEY AUTOINCREMENT, created TEXT NOT NULL,"
    "  record TEXT NOT NULL);",
};
static_assert(std::size(kMigrations) == ProjectStore::kSchemaVersion);

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

bool fileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

// A prepared statement; finalized on destruction.
class ProjectStore::Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) {
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool prepared() const { return rc_ == SQLITE_OK; }
  Statement& bind(int i, std::string_view s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bindBlob(int i, std::string_view s) {
    sqlite3_bind_blob64(stmt_, i, s.data(), s.size(), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bindNull(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  Statement& bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return rc_ = sqlite3_step(stmt_); }
  int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool isNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string text(int col) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

// BEGIN IMMEDIATE … COMMIT; rolls back unless committed.
class ProjectStore::Transaction {
 public:
  explicit Transaction(ProjectStore& store) : store_(store) {
    status_ = store_.exec("BEGIN IMMEDIATE");
  }
  ~Transaction() {
    if (status_.isOk() && !committed_) store_.exec("ROLLBACK");
  }
  const Status& status() const { return status_; }
  Status commit() {
    committed_ = true;
    return store_.exec("COMMIT");
  }

 private:
  ProjectStore& store_;
  Status status_;
  bool committed_ = false;
};

ProjectStore::~ProjectStore() { sqlite3_close_v2(db_); }

Status ProjectStore::error(const std::string& what) const {
  return Status::ioError(path_ + ": " + what + ": " + sqlite3_errmsg(db_));
}

Status ProjectStore::exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) == SQLITE_OK) return Status::ok();
  Status s = Status::ioError(path_ + ": " + (message ? message : "database error"));
  sqlite3_free(message);
  return s;
}

Result<std::unique_ptr<ProjectStore>> ProjectStore::create(const std::string& path) {
  if (fileExists(path)) return Status::invalidArgument(path + ": already exists");
  return openChecked(path, true);
}

Result<std::unique_ptr<ProjectStore>> ProjectStore::open(const std::string& path) {
  if (!fileExists(path)) return Status::notFound(path + ": no such project file");
  // Every edit is written as it is made, into the file and a WAL beside it: say so now rather
  // than fail at the first edit (or, for a read-only WAL file, with SQLite's "unable to open").
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (::access(path.c_str(), W_OK) != 0 ||
      ::access(folder.empty() ? "." : folder.c_str(), W_OK) != 0) {
    return Status::ioError(path +
                           ": the file or its folder is read-only; MemLens saves every "
                           "edit into the project, so it needs to write there; nothing "
                           "was changed");
  }
  // Look before writing: WAL setup and migrations write, so check on a read-only handle first.
  sqlite3* ro = nullptr;
  if (sqlite3_open_v2(path.c_str(), &ro, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    Status s = Status::ioError(path + ": cannot open: " + sqlite3_errmsg(ro));
    sqlite3_close_v2(ro);
    return s;
  }
  ProjectStore probe(ro, path);
  int64_t appId = 0, version = 0;
  {
    Statement q(ro, "SELECT * FROM pragma_application_id, pragma_user_version");
    const int rc = q.prepared() ? q.step() : sqlite3_errcode(ro);
    if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
      return Status::corrupt(path +
                             ": not a MemLens project (not an SQLite database, or damaged "
                             "beyond reading); nothing was changed");
    }
    if (rc != SQLITE_ROW) return probe.error("cannot read the project");
    appId = q.integer(0);
    version = q.integer(1);
  }
  if (appId != kApplicationId) {
    return Status::corrupt(path +
                           ": an SQLite database, but not a MemLens project; nothing was "
                           "changed");
  }
  if (version < 0) {
    return Status::corrupt(path + ": the project file is damaged (schema version " +
                           std::to_string(version) + "); nothing was changed");
  }
  if (version > kSchemaVersion) {
    return Status::invalidArgument(path + ": made by a newer MemLens (project schema " +
                                   std::to_string(version) + "; this version reads up to " +
                                   std::to_string(kSchemaVersion) + "); nothing was changed");
  }
  {
    Statement check(ro, "PRAGMA quick_check");
    const int rc = check.prepared() ? check.step() : sqlite3_errcode(ro);
    if (rc != SQLITE_ROW || check.text(0) != "ok") {
      return Status::corrupt(path + ": the project file is damaged (" +
                             (rc == SQLITE_ROW ? check.text(0) : std::string(sqlite3_errmsg(ro))) +
                             "); nothing was changed");
    }
  }
  return openChecked(path, false);
}

Result<std::unique_ptr<ProjectStore>> ProjectStore::openChecked(const std::string& path,
                                                                bool creating) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (creating ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  std::unique_ptr<ProjectStore> store(new ProjectStore(db, path));
  if (rc != SQLITE_OK) {
    return Status::ioError(path + ": cannot open for writing (" + sqlite3_errmsg(db) +
                           "); is the file or its folder read-only?");
  }
  sqlite3_busy_timeout(db, 5000);
  int64_t version = 0;
  {
    Statement q(db, "PRAGMA user_version");
    if (q.step() != SQLITE_ROW) return store->error("cannot read the schema version");
    version = q.integer(0);
  }
  // Migrate before switching to WAL: the switch rewrites the file's header, and a file whose
  // migration fails must be left as it was.
  if (version < kSchemaVersion) {
    if (Status s = store->migrate(static_cast<int>(version)); !s) {
      return Status::corrupt(path + ": cannot upgrade the project from schema " +
                             std::to_string(version) + " (" + s.message() +
                             "); nothing was changed");
    }
  }
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL"}) {
    if (Status s = store->exec(pragma); !s) return s;
  }
  return store;
}

Status ProjectStore::migrate(int fromVersion) {
  Transaction t(*this);
  if (!t.status()) return t.status();
  for (int v = fromVersion; v < kSchemaVersion; ++v) {
    if (Status s = exec(kMigrations[v]); !s) return s;
  }
  const std::string stamp = "PRAGMA application_id=" + std::to_string(kApplicationId) +
                            "; PRAGMA user_version=" + std::to_string(kSchemaVersion);
  if (Status s = exec(stamp.c_str()); !s) return s;
  return t.commit();
}

Status ProjectStore::setSetting(const std::string& key, const std::string& value) {
  Transaction t(*this);
  if (!t.status()) return t.status();
  Statement q(db_,
              "INSERT INTO settings(key, value) VALUES(?1, ?2) "
              "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (q.bind(1, key).bind(2, value).step() != SQLITE_DONE) return error("cannot save a setting");
  return t.commit();
}

Result<std::optional<std::string>> ProjectStore::setting(const std::string& key) {
  Statement q(db_, "SELECT value FROM settings WHERE key = ?1");
  const int rc = q.bind(1, key).step();
  if (rc == SQLITE_ROW) return std::optional<std::string>(q.text(0));
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  return error("cannot read a setting");
}

Status ProjectStore::setCorpus(const std::vector<ProjectCorpusFile>& files) {
  Transaction t(*this);
  if (!t.status()) return t.status();
  if (Status s = exec("DELETE FROM corpus_files"); !s) return s;
  for (size_t i = 0; i < files.size(); ++i) {
    Statement q(db_,
                "INSERT INTO corpus_files(position, path, bytes, sha256, text) "
                "VALUES(?1, ?2, ?3, ?4, ?5)");
    q.bind(1, static_cast<int64_t>(i))
        .bind(2, files[i].path)
        .bind(3, static_cast<int64_t>(files[i].bytes))
        .bind(4, files[i].sha256);
    if (files[i].text) {
      q.bindBlob(5, *files[i].text);
    } else {
      q.bindNull(5);
    }
    if (q.step() != SQLITE_DONE) return error("cannot save the corpus references");
  }
  return t.commit();
}

Result<std::vector<ProjectCorpusFile>> ProjectStore::corpus(bool withText) {
  Statement q(db_, withText
                       ? "SELECT path, bytes, sha256, text FROM corpus_files ORDER BY position"
                       : "SELECT path, bytes, sha256, NULL FROM corpus_files ORDER BY position");
  std::vector<ProjectCorpusFile> files;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    ProjectCorpusFile f;
    f.path = q.text(0);
    f.bytes = static_cast<uint64_t>(q.integer(1));
    f.sha256 = q.text(2);
    if (!q.isNull(3)) f.text = q.text(3);
    files.push_back(std::move(f));
  }
  if (rc != SQLITE_DONE) return error("cannot read the corpus references");
  return files;
}

Result<int64_t> ProjectStore::appendJournal(const std::string& kind, const std::string& payload) {
  Transaction t(*this);
  if (!t.status()) return t.status();
  if (Status s = exec("DELETE FROM journal WHERE undone = 1"); !s) return s;
  Statement q(
      db_, std::string("INSERT INTO journal(kind, payload, created) VALUES(?1, ?2, ") + kNow + ")");
  if (q.bind(1, kind).bind(2, payload).step() != SQLITE_DONE) return error("cannot save the edit");
  const int64_t seq = sqlite3_last_insert_rowid(db_);
  if (Status s = t.commit(); !s) return s;
  return seq;
}

Status ProjectStore::setUndone(int64_t seq, bool undone) {
  Transaction t(*this);
  if (!t.status()) return t.status();
  Statement q(db_, "UPDATE journal SET undone = ?1 WHERE seq = ?2");
  if (q.bind(1, int64_t{undone}).bind(2, seq).step() != SQLITE_DONE)
    return error("cannot mark the edit");
  if (sqlite3_changes(db_) != 1)
    return Status::notFound(path_ + ": no journal entry " + std::to_string(seq));
  return t.commit();
}

Result<std::vector<JournalEntry>> ProjectStore::journal() {
  Statement q(db_, "SELECT seq, kind, payload, created, undone FROM journal ORDER BY seq");
  std::vector<JournalEntry> entries;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    entries.push_back({q.integer(0), q.text(1), q.text(2), q.text(3), q.integer(4) != 0});
  }
  if (rc != SQLITE_DONE) return error("cannot read the journal");
  return entries;
}

Result<int64_t> ProjectStore::addRun(const std::string& recordJson) {
  Transaction t(*this);
  if (!t.status()) return t.status();
  Statement q(db_, std::string("INSERT INTO runs(created, record) VALUES(") + kNow + ", ?1)");
  if (q.bind(1, recordJson).step() != SQLITE_DONE) return error("cannot save the run");
  const int64_t id = sqlite3_last_insert_rowid(db_);
  if (Status s = t.commit(); !s) return s;
  return id;
}

Result<std::vector<StoredRun>> ProjectStore::runs() {
  Statement q(db_, "SELECT id, created, record FROM runs ORDER BY id");
  std::vector<StoredRun> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) out.push_back({q.integer(0), q.text(1), q.text(2)});
  if (rc != SQLITE_DONE) return error("cannot read the runs");
  return out;
}

Result<std::string> ProjectStore::integrityCheck() {
  Statement q(db_, "PRAGMA integrity_check");
  std::string out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) out += (out.empty() ? "" : "; ") + q.text(0);
  if (rc != SQLITE_DONE) return error("integrity check failed to run");
  return out;
}

}  // namespace memlens

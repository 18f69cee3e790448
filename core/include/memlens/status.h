#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace memlens {

// The outcome of an operation that can fail on user input or I/O. Errors are values at the
// core's boundary: no exception leaves a public core call. The message is written for a person
// ("corpus.txt line 812, byte 17: invalid UTF-8").
// A Status is a plain value; distinct objects may be used from different threads.
class Status {
 public:
  enum class Code { kOk, kInvalidArgument, kNotFound, kIoError, kCorrupt, kCancelled, kInternal };

  Status() = default;

  static Status ok() { return Status(); }
  static Status invalidArgument(std::string msg) {
    return {Code::kInvalidArgument, std::move(msg)};
  }
  static Status notFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status ioError(std::string msg) { return {Code::kIoError, std::move(msg)}; }
  // The data itself is malformed (invalid UTF-8, ragged instance file, corrupt project).
  static Status corrupt(std::string msg) { return {Code::kCorrupt, std::move(msg)}; }
  static Status cancelled() { return {Code::kCancelled, "cancelled"}; }
  static Status internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }

  bool isOk() const { return code_ == Code::kOk; }
  explicit operator bool() const { return isOk(); }
  bool isCancelled() const { return code_ == Code::kCancelled; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "error kind: message", for logs and the CLI.
  std::string toString() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace memlens

#include "memlens/status.h"

namespace memlens {

std::string Status::toString() const {
  const char* kind = "error";
  switch (code_) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidArgument:
      kind = "invalid argument";
      break;
    case Code::kNotFound:
      kind = "not found";
      break;
    case Code::kIoError:
      kind = "I/O error";
      break;
    case Code::kCorrupt:
      kind = "bad data";
      break;
    case Code::kCancelled:
      return "cancelled";
    case Code::kInternal:
      kind = "internal error";
      break;
  }
  return std::string(kind) + ": " + message_;
}

}  // namespace memlens

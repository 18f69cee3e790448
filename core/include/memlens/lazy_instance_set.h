#pragma once

#include <functional>
#include <memory>
#include <mutex>

#include "memlens/instance_set.h"

namespace memlens {

// An InstanceSet made when it is first read, or given ready. A memory file's instances are
// checked when the file is opened but copied out of it only when asked for: answering and
// explaining never ask, so opening costs nothing proportional to them. Reads like the
// std::shared_ptr<const InstanceSet> it stands for; copies share the one set, made once.
// Safe to read from many threads: the first read makes the set while the others wait for it.
class LazyInstanceSet {
 public:
  LazyInstanceSet() = default;
  LazyInstanceSet(std::shared_ptr<const InstanceSet> set);  // NOLINT: stands for the pointer
  explicit LazyInstanceSet(std::function<InstanceSet()> make);
  // A set of `size` instances made by `part` (instances [begin, end)), with a reader of one
  // instance's source: a memory file's part is viewed in place, so the app shows where a prefix
  // ends, and counts over the first instances, without copying millions of instances out of the
  // file.
  LazyInstanceSet(std::function<InstanceSet(size_t begin, size_t end)> part, size_t size,
                  std::function<uint64_t(size_t)> source);

  // The set's size and instance i's source (i < size()), made without the set when it was given
  // a reader.
  size_t size() const;
  uint64_t source(size_t i) const;
  // The first min(n, size()) instances, copied; made without the set when it was given `part`.
  InstanceSet prefix(size_t n) const;

  const std::shared_ptr<const InstanceSet>& get() const;
  const InstanceSet& operator*() const { return *get(); }
  const InstanceSet* operator->() const { return get().get(); }

 private:
  struct State {
    std::once_flag made;
    std::function<InstanceSet()> make;  // empty once made
    std::function<InstanceSet(size_t, size_t)> part;
    std::function<uint64_t(size_t)> source;
    size_t size = 0;  // with `part` and `source`
    std::shared_ptr<const InstanceSet> set;
  };
  std::shared_ptr<State> state_;
};

}  // namespace memlens

#include "memlens/lazy_instance_set.h"

#include <algorithm>
#include <utility>

namespace memlens {

LazyInstanceSet::LazyInstanceSet(std::shared_ptr<const InstanceSet> set)
    : state_(std::make_shared<State>()) {
  state_->set = std::move(set);
}

LazyInstanceSet::LazyInstanceSet(std::function<InstanceSet()> make)
    : state_(std::make_shared<State>()) {
  state_->make = std::move(make);
}

LazyInstanceSet::LazyInstanceSet(std::function<InstanceSet(size_t, size_t)> part, size_t size,
                                 std::function<uint64_t(size_t)> source)
    : LazyInstanceSet([part, size] { return part(0, size); }) {
  state_->part = std::move(part);
  state_->source = std::move(source);
  state_->size = size;
}

size_t LazyInstanceSet::size() const {
  if (state_ && state_->source) return state_->size;
  return get() ? get()->size() : 0;
}

uint64_t LazyInstanceSet::source(size_t i) const {
  if (state_ && state_->source) return state_->source(i);
  return get()->sources[i];
}

InstanceSet LazyInstanceSet::prefix(size_t n) const {
  if (state_ && state_->part) return state_->part(0, std::min(n, state_->size));
  const std::shared_ptr<const InstanceSet>& set = get();
  return set ? set->slice(0, std::min(n, set->size())) : InstanceSet{};
}

const std::shared_ptr<const InstanceSet>& LazyInstanceSet::get() const {
  static const std::shared_ptr<const InstanceSet> kNone;
  if (!state_) return kNone;
  std::call_once(state_->made, [this] {
    if (!state_->make) return;
    state_->set = std::make_shared<const InstanceSet>(state_->make());
    state_->make = nullptr;  // frees what it held (a view of the file, unless a reader shares it)
  });
  return state_->set;
}

}  // namespace memlens

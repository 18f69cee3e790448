// TimblTreeParser's second thread: a large hashed base's later root branches, parsed beside the
// earlier ones and joined after them.
#include <algorithm>
#include <new>
#include <thread>

#include "timbl/timbl_tree_parser.h"

namespace memlens {

TimblTreeParser::~TimblTreeParser() {
  if (laterThread_.joinable()) laterThread_.join();
}

size_t TimblTreeParser::findSplit(size_t middle, size_t closesBefore, size_t& opensBefore) const {
  // The first node on the root's branch list to close after `middle`: the depth there from the
  // brackets before it, then byte by byte.
  auto depth = static_cast<int64_t>(opensBefore) - static_cast<int64_t>(closesBefore);
  for (size_t i = middle; i < text_.size(); ++i) {
    if (text_[i] == '(') {
      ++opensBefore;
      ++depth;
    } else if (text_[i] == ')' && --depth == 1) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

void TimblTreeParser::startLaterBranches(size_t split, size_t opensBefore, size_t opens) {
  later_ = std::make_unique<TimblTreeParser>(path_, file_, vocab_, job_);
  TimblTreeParser& p = *later_;
  p.pos_ = p.released_ = split;
  p.reportsProgress_ = false;
  p.base_.pruned = base_.pruned;
  p.base_.hashed = base_.hashed;
  p.base_.permutation = base_.permutation;
  p.base_.classIds = base_.classIds;
  p.valueIds_ = valueIds_;
  p.open_.resize(open_.size());
  p.pathValues_.resize(pathValues_.size());
  if (base_.pruned) {
    // The later nodes go into the same array, after room for every earlier one but the root (the
    // gap left by those that stay on the root's branch list is closed on joining).
    p.nodeOut_ = nodeOut_;
    p.nextNode_ = opensBefore - 1;
    p.nodeEnd_ = opens;
    nodeEnd_ = opensBefore - 1;
  } else {
    p.reserveLeaves(opens - opensBefore);
  }
  split_ = split;
  laterThread_ = std::thread([&p] {
    try {
      p.parseLaterBranches();
    } catch (const std::bad_alloc&) {
      p.status_ = Status::internal("out of memory reading " + p.path_);
    }
  });
}

bool TimblTreeParser::joinLaterBranches() {
  laterThread_.join();
  TimblTreeParser& p = *later_;
  if (!p.status_) {
    status_ = p.status_;
    return false;
  }
  const auto poolShift = static_cast<uint32_t>(base_.pool.size());
  base_.pool.insert(base_.pool.end(), p.base_.pool.begin(), p.base_.pool.end());
  if (base_.pruned) {
    // Close the gap: the later nodes move down to follow the earlier ones.
    const size_t begin = nodeEnd_, count = p.nextNode_ - begin;
    const auto shift = static_cast<uint32_t>(begin - nextNode_);
    std::copy(nodeOut_ + begin, nodeOut_ + begin + count, nodeOut_ + nextNode_);
    const auto moved = [&](IgTree::Node& n) {
      if (n.childCount > 0) n.firstChild -= shift;
      n.distBegin += poolShift;
    };
    std::for_each(nodeOut_ + nextNode_, nodeOut_ + nextNode_ + count, moved);
    // Its pending nodes are the root's branches it read.
    for (IgTree::Node n : p.pending_) {
      moved(n);
      pending_.push_back(n);
    }
    nextNode_ += count;
    nodeEnd_ = p.nodeEnd_;
  } else {
    for (TimblParsedBase::Leaf leaf : p.base_.leaves) {
      leaf.distBegin += poolShift;
      base_.leaves.push_back(leaf);
    }
    base_.leafValues.insert(base_.leafValues.end(), p.base_.leafValues.begin(),
                            p.base_.leafValues.end());
  }
  nodeCount_ += p.nodeCount_;
  pos_ = p.pos_;
  later_.reset();
  return true;
}

}  // namespace memlens

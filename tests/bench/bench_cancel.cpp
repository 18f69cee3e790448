// Cancel latency at scale: every long core job is started on a thread over a large corpus and
// cancelled after each of several delays, so the cancels land in different stages; prints, per
// job, each delay, whether the cancel was seen (or the job had finished first) and the time from
// cancel() to the call returning, and the worst of them.
// Usage: bench_cancel CORPUS [DELAY_S ...]   (default delays 1 5 20)
//        JOBS="load,predict" runs only the jobs whose names contain one of those words.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/evaluation.h"
#include "memlens/experiment.h"
#include "memlens/instance_builder.h"
#include "memlens/tokenised_corpus.h"

using namespace memlens;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Runs `job` and cancels it after `delay`; returns the cancel latency in ms, or -1 when the job
// returned before the cancel. `stage` gets the stage the job last reported before the cancel.
double cancelAfter(const std::function<Status(JobControl&)>& job, std::chrono::milliseconds delay,
                   std::string& stage) {
  std::mutex mutex;
  std::string last;
  JobControl control([&](double, const std::string& s) {
    std::lock_guard lock(mutex);
    if (!s.empty()) last = s;
  });
  Status status;
  Clock::time_point returned;
  std::atomic<bool> over{false};
  std::thread worker([&] {
    status = job(control);
    returned = Clock::now();
    over.store(true);
  });
  const Clock::time_point start = Clock::now();
  // Sleep in small steps so a job that ends early is not waited for.
  while (Clock::now() - start < delay && !over.load())
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const bool done = over.load();
  {
    std::lock_guard lock(mutex);
    stage = last;
  }
  const Clock::time_point cancelled = Clock::now();
  control.cancel();
  worker.join();
  if (done || !status.isCancelled()) return -1.0;
  return ms(returned - cancelled);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_cancel CORPUS [DELAY_S ...]\n");
    return 2;
  }
  const std::vector<std::string> paths{argv[1]};
  std::vector<int> delays;
  for (int i = 2; i < argc; ++i) delays.push_back(std::stoi(argv[i]));
  if (delays.empty()) delays = {1, 5, 20};

  auto t = Clock::now();
  auto corpus = TokenisedCorpus::load(paths, {});
  if (!corpus) return std::fprintf(stderr, "%s\n", corpus.status().toString().c_str()), 1;
  const WindowOptions window{4, BlockMode::kOlifant};
  auto instances = buildInstances((*corpus)->tokens, (*corpus)->paddingId, window);
  if (!instances) return std::fprintf(stderr, "%s\n", instances.status().toString().c_str()), 1;
  std::printf("corpus: %zu tokens, %zu instances (loaded in %.0f s)\n", (*corpus)->tokens.size(),
              instances->size(), ms(Clock::now() - t) / 1000.0);
  std::fflush(stdout);

  const char* only = std::getenv("JOBS");
  const auto selected = [only](const std::string& name) {
    if (only == nullptr || *only == '\0') return true;
    std::string list = only;
    for (size_t start = 0; start <= list.size();) {
      const size_t end = std::min(list.find(',', start), list.size());
      if (end > start && name.find(list.substr(start, end - start)) != std::string::npos)
        return true;
      start = end + 1;
    }
    return false;
  };

  ClassifierOptions ib1;
  ib1.algorithm = Algorithm::kIb1;
  ClassifierOptions igtree;
  igtree.algorithm = Algorithm::kIgTree;
  ClassifierOptions tribl2;
  tribl2.algorithm = Algorithm::kTribl2;
  // A trained IB1 memory for the prediction job: queries = the first 2M instances.
  auto trained = std::move(*createClassifier(ib1));
  if (selected("predict")) {
    t = Clock::now();
    if (Status s = trained->train(*instances); !s)
      return std::fprintf(stderr, "%s\n", s.toString().c_str()), 1;
    std::printf("IB1 memory trained in %.0f s\n", ms(Clock::now() - t) / 1000.0);
  }
  std::fflush(stdout);
  const InstanceSet queries = instances->slice(0, std::min<size_t>(instances->size(), 2'000'000));

  const auto train = [&](const ClassifierOptions& o) {
    return [&, o](JobControl& job) -> Status {
      auto c = std::move(*createClassifier(o));
      return c->train(*instances, &job);
    };
  };
  ExperimentOptions experiment;
  experiment.window = window;
  experiment.classifier = igtree;
  experiment.maxTestTokens = 10000;
  const std::vector<std::pair<const char*, std::function<Status(JobControl&)>>> jobs = {
      {"load corpus",
       [&](JobControl& job) { return TokenisedCorpus::load(paths, {}, {}, &job).status(); }},
      {"build instances",
       [&](JobControl& job) {
         return buildInstances((*corpus)->tokens, (*corpus)->paddingId, window, &job).status();
       }},
      {"train ib1", train(ib1)},
      {"train igtree", train(igtree)},
      {"train tribl2", train(tribl2)},
      {"predict ib1 (2M queries)",
       [&](JobControl& job) { return trained->predict(queries, {}, &job).status(); }},
      {"experiment igtree (split, KN, tune, eval)",
       [&](JobControl& job) { return Experiment::run(*corpus, experiment, &job).status(); }},
  };
  std::printf("%-42s %8s %12s  %s\n", "job", "delay_s", "latency_ms", "stage when cancelled");
  double worst = 0.0;
  for (const auto& [name, job] : jobs) {
    if (!selected(name)) continue;
    for (int d : delays) {
      std::string stage;
      const double latency = cancelAfter(job, std::chrono::seconds(d), stage);
      if (latency < 0) {
        std::printf("%-42s %8d %12s\n", name, d, "finished");
      } else {
        std::printf("%-42s %8d %12.1f  %s\n", name, d, latency, stage.c_str());
        worst = std::max(worst, latency);
      }
      std::fflush(stdout);
    }
  }
  std::printf("worst cancel latency: %.1f ms\n", worst);
  return 0;
}

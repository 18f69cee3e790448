// Opening a memory file and answering from it: seconds to open (openMemory, corpus attached when
// present and unchanged), seconds to the first traced answer, then EXPLAINS more traces of test
// contexts and the resident memory after them; last, the copy of the train part that an edit
// session makes (Experiment::train()).
// Usage: bench_memory_file FILE [EXPLAINS]   (default 1000)

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

#include "memlens/memory_file.h"
#include "memlens/trace.h"

using namespace memlens;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A line of /proc/self/status in MB: VmRSS (all resident memory), RssAnon (the process's own)
// or RssFile (pages of mapped files: the memory file's viewed in place, shared with the page
// cache).
double residentMegabytes(const std::string& field = "VmRSS:") {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind(field, 0) == 0)
      return std::strtod(line.c_str() + field.size(), nullptr) / 1024.0;
  return 0.0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_memory_file FILE [EXPLAINS]\n");
    return 2;
  }
  const int explains = argc > 2 ? std::atoi(argv[2]) : 1000;
  const auto start = Clock::now();
  // Where opening spends its time: each stage the core reports, when it starts.
  std::string stage;
  JobControl job(
      [&](double, const std::string& now) {
        if (now == stage) return;
        stage = now;
        std::fprintf(stderr, "  %7.3f s  %s\n", secondsSince(start), now.c_str());
      },
      std::chrono::milliseconds(0));
  auto opened = openMemory(argv[1], {}, &job);
  if (!opened) {
    std::fprintf(stderr, "bench_memory_file: %s\n", opened.status().toString().c_str());
    return 1;
  }
  const double openSeconds = secondsSince(start);
  const double openRss = residentMegabytes();
  const double openAnon = residentMegabytes("RssAnon:");
  const double openFile = residentMegabytes("RssFile:");
  const Experiment& e = **opened;
  const InstanceSet& test = e.test();
  if (test.size() == 0) return 1;
  (void)traceContext(e, test.instance(0));
  const double firstAnswerSeconds = secondsSince(start);

  std::mt19937_64 random(1);
  const auto tracesStart = Clock::now();
  size_t neighbours = 0;
  for (int i = 0; i < explains; ++i) {
    const Trace t = traceContext(e, test.instance(random() % test.size()));
    neighbours += t.buckets.size() + t.evidence.shown.size();
  }
  const double traceSeconds = secondsSince(tracesStart);
  std::printf("%-26s %10.3f\n", "open_s", openSeconds);
  std::printf("%-26s %10.3f\n", "open_to_first_answer_s", firstAnswerSeconds);
  std::printf("%-26s %10.0f  (anonymous %.0f, mapped files %.0f)\n", "rss_after_open_MB", openRss,
              openAnon, openFile);
  std::printf("%-26s %10.3f  (%d traces, %zu buckets/evidence)\n", "explains_s", traceSeconds,
              explains, neighbours);
  std::printf("%-26s %10.0f  (anonymous %.0f, mapped files %.0f)\n", "rss_after_explains_MB",
              residentMegabytes(), residentMegabytes("RssAnon:"), residentMegabytes("RssFile:"));
  const auto copyStart = Clock::now();
  const size_t trainInstances = e.train().size();
  std::printf("%-26s %10.3f  (%zu instances)\n", "train_copy_s", secondsSince(copyStart),
              trainInstances);
  return 0;
}

// memlens-cli timbl: TiMBL-compatible train/test run with TiMBL's option spellings and output
// line format, so that our output can be diffed column by column with timbl's.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "memlens/classifier.h"
#include "memlens/columns_file.h"
#include "memlens/timbl_format.h"
#include "memlens/vocabulary.h"

namespace memlens::cli {
namespace {

constexpr const char* kTimblUsage =
    "usage: memlens-cli timbl -f TRAIN -t TEST [-a0|1|4] [-kN] [-w0|1|2|3|4]\n"
    "                         [-dZ|IL|ID|ED[:a:b]] [-mO|M] [-LN] [+vdb+di+n+md] [-F Columns]\n"
    "                         [-o OUT] [--threads N] [--timing]\n"
    "  -a 0 IB1 (default), 1 IGTree, 4 TRIBL2; -w 0 none, 1 gain ratio (default), 2 info gain,\n"
    "  3 chi-square, 4 shared variance; -m O overlap (default), M modified value difference with\n"
    "  -L its frequency threshold (default 1); options may be joined (-a0 -k3 -dIL) or separate.\n"
    "  Writes TiMBL's output lines to OUT (stdout without -o); accuracy goes to stderr.\n";

struct TimblArgs {
  std::string train, test, out, format = "Columns";
  ClassifierOptions options;
  bool distribution = false, distance = false, neighbours = false, matchDepth = false;
  int threads = 0;
  bool timing = false;
};

Status bad(const std::string& msg) { return Status::invalidArgument(msg + "\n" + kTimblUsage); }

bool parseInt(const std::string& s, int lo, int hi, int& out) {
  char* end = nullptr;
  const long v = std::strtol(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || v < lo || v > hi) return false;
  out = static_cast<int>(v);
  return true;
}

Status parseVerbosity(const std::string& spec, TimblArgs& a) {
  std::stringstream ss(spec);
  for (std::string item; std::getline(ss, item, '+');) {
    if (item.empty()) continue;
    if (item == "db")
      a.distribution = true;
    else if (item == "di")
      a.distance = true;
    else if (item == "n")
      a.neighbours = true;
    else if (item == "md")
      a.matchDepth = true;
    else
      return bad("+v: unsupported verbosity '" + item + "' (db, di, n, md)");
  }
  return Status::ok();
}

Status parseArgs(const std::vector<std::string>& args, TimblArgs& a) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--timing") {
      a.timing = true;
      continue;
    }
    if (arg == "--threads") {
      if (i + 1 >= args.size() || !parseInt(args[i + 1], 0, 1024, a.threads))
        return bad("--threads needs a number");
      ++i;
      continue;
    }
    if (arg.size() < 2 || (arg[0] != '-' && arg[0] != '+'))
      return bad("unexpected argument '" + arg + "'");
    const char sign = arg[0];
    const char opt = arg[1];
    std::string value = arg.substr(2);
    if (sign == '+') {
      if (opt == 'v') {
        if (value.empty()) {
          if (i + 1 >= args.size()) return bad("+v needs a value");
          value = args[++i];
        }
        if (Status st = parseVerbosity(value, a); !st) return st;
      } else if (opt != 'D' || !value.empty()) {
        return bad("unsupported option '" + arg + "'");
      }
      continue;
    }
    if (std::string("ftoFakwdmL").find(opt) == std::string::npos)
      return bad("unsupported option '" + arg + "'");
    if (value.empty()) {
      if (i + 1 >= args.size()) return bad(std::string("-") + opt + " needs a value");
      value = args[++i];
    }
    switch (opt) {
      case 'f':
        a.train = value;
        break;
      case 't':
        a.test = value;
        break;
      case 'o':
        a.out = value;
        break;
      case 'F':
        a.format = value;
        break;
      case 'a': {
        int alg = 0;
        if (!parseInt(value, 0, 4, alg) || alg == 2 || alg == 3)
          return bad("-a: supported algorithms are 0 (IB1), 1 (IGTree), 4 (TRIBL2)");
        a.options.algorithm = alg == 0   ? Algorithm::kIb1
                              : alg == 1 ? Algorithm::kIgTree
                                         : Algorithm::kTribl2;
        break;
      }
      case 'k':
        if (!parseInt(value, 1, 1000000, a.options.k)) return bad("-k needs a number >= 1");
        break;
      case 'w': {
        int w = 1;
        if (!parseInt(value, 0, 4, w)) return bad("-w: weighting 0..4");
        a.options.weighting = static_cast<FeatureWeighting>(w);
        break;
      }
      case 'd': {
        if (value == "Z")
          a.options.distanceWeighting = DistanceWeighting::kZero;
        else if (value == "IL")
          a.options.distanceWeighting = DistanceWeighting::kInverseLinear;
        else if (value == "ID")
          a.options.distanceWeighting = DistanceWeighting::kInverseDistance;
        else if (value.rfind("ED", 0) == 0) {
          a.options.distanceWeighting = DistanceWeighting::kExponentialDecay;
          double alpha = 1.0, beta = 1.0;
          if (value.size() > 2) {
            char c1 = 0, c2 = 0;
            std::stringstream ss(value.substr(2));
            ss >> c1 >> alpha;
            if (c1 != ':' || ss.fail()) return bad("-dED:a[:b] needs numbers");
            if (ss >> c2) {
              if (c2 != ':' || !(ss >> beta)) return bad("-dED:a[:b] needs numbers");
            }
          }
          a.options.edAlpha = alpha;
          a.options.edBeta = beta;
        } else {
          return bad("-d: Z, IL, ID or ED[:a[:b]]");
        }
        break;
      }
      case 'm':
        if (value == "O")
          a.options.metric = Metric::kOverlap;
        else if (value == "M")
          a.options.metric = Metric::kMvdm;
        else
          return bad("-m: O (overlap) or M (modified value difference)");
        break;
      case 'L':
        if (!parseInt(value, 1, 1000000, a.options.mvdmThreshold))
          return bad("-L needs a number >= 1");
        break;
      default:
        break;
    }
  }
  if (a.train.empty() || a.test.empty()) return bad("-f TRAIN and -t TEST are required");
  if (a.format != "Columns") return bad("-F: only the Columns format is supported");
  return Status::ok();
}

}  // namespace

int runTimbl(const std::vector<std::string>& args) {
  TimblArgs a;
  if (Status st = parseArgs(args, a); !st) return reportError(st);
  Vocabulary vocab;
  auto job = makeTerminalProgress();
  auto train = readColumnsFile(a.train, vocab, job.get());
  if (!train) return reportError(train.status());
  auto test = readColumnsFile(a.test, vocab, job.get());
  if (!test) return reportError(test.status());
  if (test->width != train->width)
    return reportError(Status::invalidArgument(a.test + " has " + std::to_string(test->width) +
                                               " features, " + a.train + " has " +
                                               std::to_string(train->width)));
  auto classifier = createClassifier(a.options);
  if (!classifier) return reportError(classifier.status());
  const auto t0 = std::chrono::steady_clock::now();
  if (Status st = (*classifier)->train(*train, job.get()); !st) return reportError(st);
  const auto t1 = std::chrono::steady_clock::now();
  PredictOptions po;
  po.distributions = a.distribution;
  po.neighbours = a.neighbours;
  po.threads = a.threads;
  auto predictions = (*classifier)->predict(*test, po, job.get());
  if (!predictions) return reportError(predictions.status());
  const auto t2 = std::chrono::steady_clock::now();
  if (a.timing) {
    const double trainS = std::chrono::duration<double>(t1 - t0).count();
    const double testS = std::chrono::duration<double>(t2 - t1).count();
    std::fprintf(stderr, "train_seconds: %.3f\ntest_seconds: %.3f\ntest_tokens_per_second: %.0f\n",
                 trainS, testS, testS > 0 ? static_cast<double>(test->size()) / testS : 0.0);
  }

  std::ofstream file;
  if (!a.out.empty()) {
    file.open(a.out, std::ios::binary);
    if (!file) return reportError(Status::ioError("cannot write " + a.out));
  }
  std::ostream& out = a.out.empty() ? std::cout : file;
  const Classifier& c = **classifier;
  size_t correct = 0;
  std::string line;
  for (size_t i = 0; i < test->size(); ++i) {
    const Prediction& p = (*predictions)[i];
    if (p.classId == test->classes[i]) ++correct;
    line =
        formatTimblLine(test->instance(i), test->classes[i], p, vocab, a.distribution, a.distance);
    if (a.matchDepth) {
      const int depth = a.options.algorithm == Algorithm::kIb1 ? test->width : p.matchDepth;
      line += ' ' + std::to_string(depth) + (p.leaf ? ":L" : ":N");
    }
    out << line << '\n';
    if (a.neighbours) {
      for (size_t b = 0; b < p.neighbours.size(); ++b) {
        const NeighbourBucket& nb = p.neighbours[b];
        uint64_t instances = 0;
        for (uint32_t id : nb.storedVectors)
          for (const ClassCount& cc : c.memory().distribution(id)) instances += cc.count;
        out << "# k=" << b + 1 << ", " << instances << " Neighbor(s) at distance: \t"
            << formatTimblDistance(nb.distance) << '\n';
        for (uint32_t id : nb.storedVectors) {
          out << "#\t";
          for (uint32_t f : c.memory().vector(id)) out << vocab.text(f) << ' ';
          out << " -*-\n";
        }
      }
    }
  }
  out.flush();
  if (!out)
    return reportError(
        Status::ioError("writing " + (a.out.empty() ? "stdout" : a.out) + " failed"));
  const size_t n = test->size();
  std::fprintf(stderr, "accuracy: %.6f (%zu/%zu)\n", n ? static_cast<double>(correct) / n : 0.0,
               correct, n);
  return 0;
}

}  // namespace memlens::cli

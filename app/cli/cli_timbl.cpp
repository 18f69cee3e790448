// memlens-cli timbl: TiMBL-compatible train/test run with TiMBL's option spellings and output
// line format, so that our output can be diffed column by column with timbl's.
#include "cli_timbl.h"

#include <CLI/CLI.hpp>
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
#include "memlens/timbl_format.h"

namespace memlens::cli {
namespace {

constexpr const char* kTimblUsage =
    "usage: memlens-cli timbl (-f TRAIN | -i BASE) -t TEST [-a0|1|4] [-kN]\n"
    "                         [-w0|1|2|3|4 | -w WGTFILE[:n]] [-dZ|IL|ID|ED[:a:b]] [-mO|M] [-LN]\n"
    "                         [+vdb+di+n+md] [-F Columns] [-I BASE [+H|-H] [+D|-D]] [-W WGTFILE]\n"
    "                         [-o OUT] [--threads N] [--timing]\n"
    "  -a 0 IB1 (default), 1 IGTree, 4 TRIBL2; -w 0 none, 1 gain ratio (default), 2 info gain,\n"
    "  3 chi-square, 4 shared variance; -m O overlap (default), M modified value difference with\n"
    "  -L its frequency threshold (default 1); options may be joined (-a0 -k3 -dIL) or separate.\n"
    "  -I writes the TiMBL instance base after training (+H hashed, the default; +D with every\n"
    "  distribution), -i reads one instead of training, -W writes every weighting to a weights\n"
    "  file, -w FILE[:n] reads weighting n (default 1, gain ratio) from one.\n"
    "  Writes TiMBL's output lines to OUT (stdout without -o); accuracy goes to stderr.\n";

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

}  // namespace

Status parseTimblArgs(const std::vector<std::string>& args, TimblArgs& a) {
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
      } else if ((opt == 'D' || opt == 'H') && value.empty()) {
        (opt == 'D' ? a.baseWrite.distributions : a.baseWrite.hashed) = true;
      } else {
        return bad("unsupported option '" + arg + "'");
      }
      continue;
    }
    if ((opt == 'D' || opt == 'H') && value.empty()) {
      (opt == 'D' ? a.baseWrite.distributions : a.baseWrite.hashed) = false;
      continue;
    }
    if (std::string("ftoFakwdmLIiW").find(opt) == std::string::npos)
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
      case 'I':
        a.baseOut = value;
        break;
      case 'i':
        a.baseIn = value;
        break;
      case 'W':
        a.weightsOut = value;
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
        // TiMBL's numbers, kept apart from our enum's order.
        constexpr FeatureWeighting kTimblWeightings[] = {
            FeatureWeighting::kNone, FeatureWeighting::kGainRatio, FeatureWeighting::kInfoGain,
            FeatureWeighting::kChiSquare, FeatureWeighting::kSharedVariance};
        int w = 1;
        // As timbl: a number is a weighting, anything else a weights file, FILE:n its section n.
        if (parseInt(value, 0, 4, w)) {
          a.options.weighting = kTimblWeightings[w];
          break;
        }
        const size_t colon = value.rfind(':');
        if (colon != std::string::npos) {
          if (!parseInt(value.substr(colon + 1), 0, 4, w))
            return bad("-w FILE:n: n is a weighting 0..4");
          value.resize(colon);
        }
        if (value.empty()) return bad("-w: a weighting 0..4 or a weights file");
        a.weightsIn = value;
        a.weightsSection = kTimblWeightings[w];
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
  if (!a.baseIn.empty() && !a.train.empty())
    return bad("-i reads a trained instance base: give -f TRAIN or -i BASE, not both");
  if (a.baseIn.empty() && a.train.empty()) return bad("-f TRAIN (or -i BASE) is required");
  if (a.test.empty() && (!a.baseIn.empty() || (a.baseOut.empty() && a.weightsOut.empty())))
    return bad("-t TEST is required");
  if (a.format != "Columns") return bad("-F: only the Columns format is supported");
  return Status::ok();
}

Status writeTimblOutput(const TimblArgs& a, const InstanceSet& test,
                        const std::vector<Prediction>& predictions, const Vocabulary& vocab,
                        const InstanceBase* memory) {
  std::ofstream file;
  if (!a.out.empty()) {
    file.open(a.out, std::ios::binary);
    if (!file) return Status::ioError("cannot write " + a.out);
  }
  std::ostream& out = a.out.empty() ? std::cout : file;
  size_t correct = 0;
  std::string line;
  for (size_t i = 0; i < test.size(); ++i) {
    const Prediction& p = predictions[i];
    if (p.classId == test.classes[i]) ++correct;
    line = formatTimblLine(test.instance(i), test.classes[i], p, vocab, a.distribution, a.distance);
    if (a.matchDepth) {
      const int depth = a.options.algorithm == Algorithm::kIb1 ? test.width : p.matchDepth;
      line += ' ' + std::to_string(depth) + (p.leaf ? ":L" : ":N");
    }
    out << line << '\n';
    if (a.neighbours && memory) {
      for (size_t b = 0; b < p.neighbours.size(); ++b) {
        const NeighbourBucket& nb = p.neighbours[b];
        uint64_t instances = 0;
        for (uint32_t id : nb.storedVectors)
          for (const ClassCount& cc : memory->distribution(id)) instances += cc.count;
        out << "# k=" << b + 1 << ", " << instances << " Neighbor(s) at distance: \t"
            << formatTimblDistance(nb.distance) << '\n';
        for (uint32_t id : nb.storedVectors) {
          out << "#\t";
          for (uint32_t f : memory->vector(id)) out << vocab.text(f) << ' ';
          out << " -*-\n";
        }
      }
    }
  }
  out.flush();
  if (!out) return Status::ioError("writing " + (a.out.empty() ? "stdout" : a.out) + " failed");
  const size_t n = test.size();
  std::fprintf(stderr, "accuracy: %.6f (%zu/%zu)\n", n ? static_cast<double>(correct) / n : 0.0,
               correct, n);
  return Status::ok();
}

void printTimblTiming(double trainSeconds, double testSeconds, size_t queries) {
  std::fprintf(stderr, "train_seconds: %.3f\ntest_seconds: %.3f\ntest_tokens_per_second: %.0f\n",
               trainSeconds, testSeconds,
               testSeconds > 0 ? static_cast<double>(queries) / testSeconds : 0.0);
}

void addTimblCommand(CLI::App& app, CommandRuns& runs) {
  CLI::App* command = app.add_subcommand(
      "timbl", "TiMBL-compatible mode: same flags, same output lines, accuracy on stderr");
  // TiMBL's spellings (-a0, -dED:a:b, +vdb+di, joined or separate) are read by parseTimblArgs
  // above: CLI11 hands on everything after the command unread.
  command->prefix_command();
  command->footer(kTimblUsage);
  runs[command] = [command] {
    TimblArgs a;
    if (Status st = parseTimblArgs(command->remaining(), a); !st) return reportError(st);
    return runTimbl(a);
  };
}

}  // namespace memlens::cli

#pragma once
// Shared helpers for oracle tests: run the real `timbl` (MEMLENS_TIMBL) and our engine on the
// same Columns files and compare the output files line by line.

#include <QProcess>
#include <QString>
#include <QStringList>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/columns_file.h"
#include "memlens/timbl_format.h"
#include "memlens/vocabulary.h"

namespace oracle {

inline void writeLines(const std::string& path, const std::vector<std::string>& lines) {
  std::ofstream out(path);
  for (const auto& l : lines) out << l << '\n';
}

inline std::vector<std::string> readLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

// Runs timbl with `args` plus -f/-t/-o/-F Columns; returns its output lines (empty on failure,
// with the reason in *error).
inline std::vector<std::string> runTimbl(const std::string& train, const std::string& test,
                                         const QStringList& args, const std::string& outPath,
                                         QString* error) {
  QProcess p;
  QStringList all = {
      "-f", QString::fromStdString(train),  "-t", QString::fromStdString(test), "-F", "Columns",
      "-o", QString::fromStdString(outPath)};
  all += args;
  p.start(QStringLiteral(MEMLENS_TIMBL), all);
  if (!p.waitForFinished(600000) || p.exitCode() != 0) {
    *error = "timbl failed: " + QString::fromLocal8Bit(p.readAllStandardError()) +
             QString::fromLocal8Bit(p.readAllStandardOutput()).right(2000);
    return {};
  }
  return readLines(outPath);
}

// Our engine on the same files, formatted as TiMBL's output lines.
inline std::vector<std::string> runOurs(const std::string& train, const std::string& test,
                                        const memlens::ClassifierOptions& options,
                                        bool distribution, bool distance, QString* error) {
  memlens::Vocabulary vocab;
  auto tr = memlens::readColumnsFile(train, vocab);
  auto te = memlens::readColumnsFile(test, vocab);
  if (!tr || !te) {
    *error = QString::fromStdString((!tr ? tr.status() : te.status()).toString());
    return {};
  }
  auto c = memlens::createClassifier(options);
  if (!c) {
    *error = QString::fromStdString(c.status().toString());
    return {};
  }
  if (auto st = (*c)->train(*tr); !st) {
    *error = QString::fromStdString(st.toString());
    return {};
  }
  auto preds = (*c)->predict(*te);
  if (!preds) {
    *error = QString::fromStdString(preds.status().toString());
    return {};
  }
  std::vector<std::string> lines;
  for (size_t i = 0; i < te->size(); ++i)
    lines.push_back(memlens::formatTimblLine(te->instance(i), te->classes[i], (*preds)[i], vocab,
                                             distribution, distance));
  return lines;
}

// Splits "f1 .. fn cls pred { a 1.0, b 2.0 }        dist" into its parts.
struct Parsed {
  std::string head;  // fields + predicted class
  std::vector<std::pair<std::string, double>> dist;
  double distance = NAN;
};

inline Parsed parse(const std::string& line) {
  Parsed p;
  const auto brace = line.find(" { ");
  std::string rest;
  if (brace != std::string::npos) {
    p.head = line.substr(0, brace);
    const auto close = line.find(" }", brace);
    std::string inner = line.substr(brace + 3, close - brace - 3);
    std::stringstream ss(inner);
    for (std::string item; std::getline(ss, item, ',');) {
      std::stringstream is(item);
      std::string cls;
      double v = 0;
      is >> cls >> v;
      p.dist.emplace_back(cls, v);
    }
    rest = line.substr(close + 2);
  } else {
    const auto sp = line.find("        ");
    p.head = line.substr(0, sp);
    if (sp != std::string::npos) rest = line.substr(sp);
  }
  std::stringstream rs(rest);
  rs >> p.distance;
  return p;
}

inline bool close(double a, double b, double rel) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return std::fabs(a - b) <= rel * std::max({1e-12, std::fabs(a), std::fabs(b)});
}

struct Comparison {
  size_t lines = 0;
  size_t same = 0;
  QString report;  // the first differing lines
  double agreement() const { return lines ? static_cast<double>(same) / lines : 0.0; }
};

inline Comparison compare(const std::vector<std::string>& theirs,
                          const std::vector<std::string>& ours) {
  Comparison c;
  c.lines = std::max(theirs.size(), ours.size());
  int shown = 0;
  for (size_t i = 0; i < c.lines; ++i) {
    bool ok = i < theirs.size() && i < ours.size();
    if (ok) {
      const Parsed a = parse(theirs[i]), b = parse(ours[i]);
      ok =
          a.head == b.head && close(a.distance, b.distance, 1e-9) && a.dist.size() == b.dist.size();
      for (size_t j = 0; ok && j < a.dist.size(); ++j)
        ok = a.dist[j].first == b.dist[j].first && close(a.dist[j].second, b.dist[j].second, 2e-5);
    }
    if (ok) {
      ++c.same;
    } else if (shown++ < 12) {
      c.report += QString("\n  line %1\n    timbl: %2\n    ours:  %3")
                      .arg(i + 1)
                      .arg(QString::fromStdString(i < theirs.size() ? theirs[i] : "<none>"))
                      .arg(QString::fromStdString(i < ours.size() ? ours[i] : "<none>"));
    }
  }
  return c;
}

}  // namespace oracle

#pragma once

// Runs memlens-cli (or another program), optionally feeding it standard input, and collects its
// exit code and output: for the tests that drive the CLI binary.
#include <QByteArray>
#include <QProcess>
#include <QStringList>

namespace memlens::test {

struct CliRun {
  int exitCode;  // -1: timed out, -2: crashed
  QByteArray out;
  QByteArray err;
};

inline CliRun runProgram(const QString& program, const QStringList& args,
                         const QByteArray& input = {}) {
  QProcess p;
  p.start(program, args);
  if (!input.isEmpty()) p.write(input);
  p.closeWriteChannel();
  if (!p.waitForFinished(600000)) return {-1, {}, "timed out"};
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(),
          p.readAllStandardError()};
}

inline CliRun runCli(const QStringList& args, const QByteArray& input = {}) {
  return runProgram(QStringLiteral(MEMLENS_CLI), args, input);
}

}  // namespace memlens::test

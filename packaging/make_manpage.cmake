# Writes memlens-cli(1) from the program's own --help-all (every command with its options), so
# the page never drifts from it.
# cmake -DCLI=path/to/memlens-cli -DOUT=memlens-cli.1 -DVERSION=x.y.z -P make_manpage.cmake
execute_process(COMMAND ${CLI} --help-all OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${CLI} --help-all failed (${rc})")
endif()
# troff: a leading dot or quote would start a request, backslashes are escapes.
string(REPLACE "\\" "\\e" help "${help}")
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
string(TIMESTAMP today "%Y-%m-%d" UTC)
file(WRITE ${OUT} ".TH MEMLENS-CLI 1 \"${today}\" \"memlens-cli ${VERSION}\" \"User Commands\"
.SH NAME
memlens-cli \\- train, evaluate and explain memory-based language models without a window
.SH DESCRIPTION
memlens-cli is the command-line side of MemLens: corpus statistics, TiMBL Columns instances,
evaluation runs, traces of single predictions, generation, and a TiMBL-compatible mode that
takes timbl's flags and writes its output format.
.PP
.nf
${help}.fi
.SH EXIT STATUS
0 success, 1 the job failed (bad input file, I/O error, cancelled), 2 bad command line.
.SH SEE ALSO
.BR timbl (1)
")

# SPDX-License-Identifier: Apache-2.0
# Writes OUT: every .java file under DIR, one quoted path per line (a javac @argfile). Run right
# after SWIG, so the list is exactly what SWIG generated this time. Always rewritten (not only when
# the names change): its timestamp is what tells javac that the generated sources changed.
file(GLOB_RECURSE sources "${DIR}/*.java")
list(SORT sources)
set(content "")
foreach(s IN LISTS sources)
  string(APPEND content "\"${s}\"\n")
endforeach()
file(WRITE "${OUT}" "${content}")

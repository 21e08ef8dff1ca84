# Writes OUT: every .java file under DIR, one quoted path per line (a javac @argfile). Run after
# SWIG, so the list is exactly what SWIG generated this time; rewritten only when it changes.
file(GLOB_RECURSE sources "${DIR}/*.java")
list(SORT sources)
set(content "")
foreach(s IN LISTS sources)
  string(APPEND content "\"${s}\"\n")
endforeach()
file(WRITE "${OUT}.tmp" "${content}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")

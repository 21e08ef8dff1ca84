# SPDX-License-Identifier: Apache-2.0
# cmake -P: lays out io.sgio:sgio:VERSION in a Maven repository folder REPO as a remote repository
# (file://) serves it: <REPO>/io/sgio/sgio/<VERSION>/ with the jar, pom, -sources.jar and
# -javadoc.jar, a .md5 and .sha1 (what Maven's resolver verifies) plus .sha256/.sha512 beside each,
# and <REPO>/io/sgio/sgio/maven-metadata.xml listing the version, with its own checksums.
# Inputs: -DREPO= -DVERSION= -DJAR= -DPOM= -DSOURCES= -DJAVADOC=
foreach(v REPO VERSION JAR POM SOURCES JAVADOC)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "maven_repo.cmake: -D${v}= is required")
  endif()
endforeach()

set(_artifact_dir "${REPO}/io/sgio/sgio")
set(_dir "${_artifact_dir}/${VERSION}")
file(REMOVE_RECURSE "${_artifact_dir}")
file(MAKE_DIRECTORY "${_dir}")

function(_with_checksums file)
  foreach(algo MD5 SHA1 SHA256 SHA512)
    file(${algo} "${file}" _sum)
    string(TOLOWER "${algo}" _ext)
    file(WRITE "${file}.${_ext}" "${_sum}")
  endforeach()
endfunction()

set(_base "${_dir}/sgio-${VERSION}")
foreach(pair "${JAR}|.jar" "${POM}|.pom" "${SOURCES}|-sources.jar" "${JAVADOC}|-javadoc.jar")
  string(REPLACE "|" ";" pair "${pair}")
  list(GET pair 0 _src)
  list(GET pair 1 _suffix)
  file(COPY_FILE "${_src}" "${_base}${_suffix}")
  _with_checksums("${_base}${_suffix}")
endforeach()

string(TIMESTAMP _now "%Y%m%d%H%M%S" UTC)
file(WRITE "${_artifact_dir}/maven-metadata.xml" "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<metadata>
  <groupId>io.sgio</groupId>
  <artifactId>sgio</artifactId>
  <versioning>
    <latest>${VERSION}</latest>
    <release>${VERSION}</release>
    <versions>
      <version>${VERSION}</version>
    </versions>
    <lastUpdated>${_now}</lastUpdated>
  </versioning>
</metadata>
")
_with_checksums("${_artifact_dir}/maven-metadata.xml")

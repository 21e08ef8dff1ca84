# SPDX-License-Identifier: Apache-2.0
# sgio_swig_postprocess.cmake - turn SWIG's C# output into direct P/Invokes of libsgio.
#
#   cmake -DGEN_DIR=<swig -outdir> -DIMCLASS=<P/Invoke class> -DMODULE=<module class>
#         [-DSET_LAST_ERROR=ON] -DSTAMP=<file> -P sgio_swig_postprocess.cmake
#
# SWIG names every entry point CSharp_<ns>_<name> (a C thunk) and suffixes overloads __SWIG_<n>.
# sgio has no thunk library: the typemaps are pass-throughs (bindings/swig/sgio_csharp_typemaps.swg),
# so each extern can bind to the exported C function itself. This script
#   1. gives the externs the C parameter names SWIG used in the module class (it writes jarg<n>),
#   2. drops the overload suffixes (the C# overloads differ by parameter types),
#   3. points EntryPoint at the C name,
#   4. with SET_LAST_ERROR, adds SetLastError=true (SWIG has no option for it, swig/swig#311) to
#      every extern except GetLastError/SetLastError, which must not clear the value they read/set.
# It fails if anything would still call a thunk or if SWIG fell back to a SWIGTYPE_p_ proxy.

foreach(var GEN_DIR IMCLASS MODULE STAMP)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "sgio_swig_postprocess: ${var} is required")
  endif()
endforeach()

file(GLOB proxies "${GEN_DIR}/SWIGTYPE_*.cs")
if(proxies)
  message(FATAL_ERROR "sgio_swig_postprocess: unmapped C types produced SWIG proxies (add a typemap): ${proxies}")
endif()

set(im_file "${GEN_DIR}/${IMCLASS}.cs")
set(mod_file "${GEN_DIR}/${MODULE}.cs")
file(READ "${im_file}" im)
file(READ "${mod_file}" mod)

# 1. Parameter names, from each module-class wrapper "NAME(T a, T b) {\n ... IMCLASS.IMNAME(".
string(REGEX MATCHALL "(public|internal) static [^\n(]+\\(([^)\n]*)\\) {\n[^\n]*${IMCLASS}\\.[A-Za-z0-9_]+\\(" wrappers "${mod}")
foreach(w IN LISTS wrappers)
  string(REGEX MATCH "${IMCLASS}\\.([A-Za-z0-9_]+)\\($" _ "${w}")
  set(imname "${CMAKE_MATCH_1}")
  string(REGEX MATCH "^(public|internal) static [^\n(]+\\(([^)\n]*)\\)" _ "${w}")
  set(params "${CMAKE_MATCH_2}")
  if(params STREQUAL "")
    continue()
  endif()
  # "ref global::X lpOverlapped, uint n" -> names in order
  string(REPLACE ", " ";" plist "${params}")
  set(names "")
  foreach(p IN LISTS plist)
    string(REGEX MATCH "([A-Za-z0-9_]+)$" _ "${p}")
    list(APPEND names "${CMAKE_MATCH_1}")
  endforeach()
  # The extern's declaration line in the P/Invoke class.
  string(REGEX MATCH "extern [^\n(]+ ${imname}\\([^\n]*\\);" decl "${im}")
  if(decl STREQUAL "")
    message(FATAL_ERROR "sgio_swig_postprocess: no extern ${imname} in ${im_file}")
  endif()
  set(newdecl "${decl}")
  set(i 1)
  foreach(n IN LISTS names)
    string(REGEX REPLACE "([] ])jarg${i}([,)])" "\\1${n}\\2" newdecl "${newdecl}")
    math(EXPR i "${i} + 1")
  endforeach()
  string(REPLACE "${decl}" "${newdecl}" im "${im}")
endforeach()

# 2. Overload suffixes.
string(REGEX REPLACE "( [A-Za-z0-9_]+)__SWIG_[0-9]+\\(" "\\1(" im "${im}")
string(REGEX REPLACE "(${IMCLASS}\\.[A-Za-z0-9_]+)__SWIG_[0-9]+\\(" "\\1(" mod "${mod}")

# 3. + 4. Entry points and SetLastError.
string(REGEX REPLACE "EntryPoint=\"CSharp_[A-Za-z0-9]+_([A-Za-z0-9_]+)__SWIG_[0-9]+\"" "EntryPoint=\"\\1\"" im "${im}")
string(REGEX REPLACE "EntryPoint=\"CSharp_[A-Za-z0-9]+_([A-Za-z0-9_]+)\"" "EntryPoint=\"\\1\"" im "${im}")
if(SET_LAST_ERROR)
  string(REGEX REPLACE "EntryPoint=\"([A-Za-z0-9_]+)\"\\)\\]" "EntryPoint=\"\\1\", SetLastError=true)]" im "${im}")
  foreach(f GetLastError SetLastError)
    string(REPLACE "EntryPoint=\"${f}\", SetLastError=true)]" "EntryPoint=\"${f}\")]" im "${im}")
  endforeach()
endif()

# 5. The .i files make the module class's function copies internal (%csmethodmodifiers), which SWIG
#    also applies to the constants: those stay public.
string(REPLACE "\n  internal const " "\n  public const " mod "${mod}")

if(im MATCHES "CSharp_" OR mod MATCHES "CSharp_")
  message(FATAL_ERROR "sgio_swig_postprocess: a SWIG thunk name survived in ${GEN_DIR}")
endif()
if(im MATCHES "__SWIG_" OR mod MATCHES "__SWIG_")
  message(FATAL_ERROR "sgio_swig_postprocess: an overload suffix survived in ${GEN_DIR}")
endif()

file(WRITE "${im_file}" "${im}")
file(WRITE "${mod_file}" "${mod}")
file(TOUCH "${STAMP}")

#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Export check: the public headers, def/sgio.def and the built libsgio.so must agree exactly.

  check_exports.py --include DIR --def FILE --lib FILE [--soname NAME]

Fails when
  * a function declared with SGIO_API in <include>/sgio/*.h is missing from the .def or from the
    library's dynamic symbol table, or the other way round (in any direction);
  * a name appears twice in the .def;
  * an exported symbol is not versioned with the node the .def puts it in (e.g. SGIO_1.0), or is
    only a non-default version (sym@NODE instead of sym@@NODE);
  * the library exports anything else (data, leaked C++ symbols);
  * the SONAME differs from --soname.
"""
import argparse
import glob
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "scripts"))
import sgio_def  # noqa: E402  (the one .def grammar)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def strip_preprocessor(text):
    out, cont = [], False
    for line in text.splitlines():
        if cont or line.lstrip().startswith("#"):
            cont = line.rstrip().endswith("\\")
            continue
        out.append(line)
    return "\n".join(out)


def header_functions(include_dir):
    """name -> header for every SGIO_API function declaration."""
    found = {}
    headers = sorted(glob.glob(os.path.join(include_dir, "sgio", "*.h")))
    if not headers:
        sys.exit(f"no headers in {include_dir}/sgio")
    for path in headers:
        with open(path, encoding="utf-8") as f:
            text = strip_preprocessor(strip_comments(f.read()))
        # SGIO_API <return type and SGIO_CALL> name (
        for m in re.finditer(r"\bSGIO_API\b([^;{}()]*?)\b([A-Za-z_][A-Za-z0-9_]*)\s*\(", text):
            name = m.group(2)
            if name in found:
                sys.exit(f"{name} declared twice: {found[name]} and {path}")
            found[name] = os.path.basename(path)
    return found


def def_exports(def_path):
    """name -> version node, and the names listed twice (scripts/sgio_def.py)."""
    try:
        return sgio_def.exports(def_path)
    except ValueError as e:
        sys.exit(str(e))


def library_exports(lib):
    """name -> (type, version, default) for every defined dynamic symbol; plus version-node symbols."""
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True, capture_output=True, text=True).stdout
    syms, nodes = {}, set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        _, kind, sym = parts
        if kind == "A" and "@" not in sym:  # the version definition itself, e.g. "A SGIO_1.0"
            nodes.add(sym)
            continue
        default = "@@" in sym
        name, _, version = sym.partition("@@" if default else "@")
        syms[name] = (kind, version, default)
    return syms, nodes


def soname(lib):
    out = subprocess.run(["objdump", "-p", lib], check=True, capture_output=True, text=True).stdout
    m = re.search(r"^\s*SONAME\s+(\S+)", out, flags=re.M)
    return m.group(1) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--include", required=True)
    ap.add_argument("--def", dest="def_file", required=True)
    ap.add_argument("--lib", required=True)
    ap.add_argument("--soname")
    a = ap.parse_args()

    hdr = header_functions(a.include)
    dfn, dups = def_exports(a.def_file)
    lib, lib_nodes = library_exports(a.lib)
    problems = []

    def diff(left, lname, right, rname):
        for name in sorted(set(left) - set(right)):
            problems.append(f"{name}: in {lname} but not in {rname}")

    for d in dups:
        problems.append(f"{d}: listed more than once in the .def")
    diff(hdr, "the headers (SGIO_API)", dfn, "the .def")
    diff(dfn, "the .def", hdr, "the headers (SGIO_API)")
    diff(dfn, "the .def", lib, "the library")
    diff(lib, "the library", dfn, "the .def")
    diff(hdr, "the headers (SGIO_API)", lib, "the library")
    for name, (kind, version, default) in sorted(lib.items()):
        want = dfn.get(name)
        if kind not in ("T", "W", "i"):
            problems.append(f"{name}: exported as symbol type {kind}, not a function")
        if want is None:
            continue
        if version != want:
            problems.append(f"{name}: versioned '{version or '(none)'}' in the library, the .def says {want}")
        elif not default:
            problems.append(f"{name}: only a non-default version {name}@{version} (want {name}@@{version})")
    for node in sorted(set(dfn.values()) - lib_nodes):
        problems.append(f"version node {node} is not defined in the library")
    if a.soname:
        got = soname(a.lib)
        if got != a.soname:
            problems.append(f"SONAME is {got}, expected {a.soname}")

    print(f"headers: {len(hdr)} SGIO_API functions; .def: {len(dfn)} names; library: {len(lib)} exports "
          f"(nodes {', '.join(sorted(lib_nodes)) or 'none'}); SONAME {soname(a.lib)}")
    if problems:
        print(f"{len(problems)} problem(s):")
        for p in problems:
            print("  " + p)
        return 1
    print("headers, .def and library agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Man page check: the built pages match the export list and render cleanly.

  check_man.py --def FILE --man DIR

Fails when a documented name in def/sgio.def (sgio_*, and Win32 names since 1.1) has no DIR/man3/<name>.3, when a page in man3/ names no
export (file name or .TH title), when man7/sgio.7 is missing, or when any page makes
`groff -man -ww -z` (and `man --warnings -l`, where man is installed) print anything.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "scripts"))
import sgio_def  # noqa: E402  (the one .def grammar)


def native_exports(def_path):
    """Every export with a page: sgio_* and the Win32 names since 1.1 (scripts/sgio_def.py)."""
    return set(sgio_def.documented_exports(def_path))


def warnings_of(page):
    out = []
    r = subprocess.run(["groff", "-man", "-ww", "-z", page], capture_output=True, text=True)
    if r.returncode != 0 or r.stderr.strip():
        out.append(f"groff -man -ww -z: exit {r.returncode}: {r.stderr.strip()}")
    if shutil.which("man"):
        env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
        r = subprocess.run(["man", "--warnings", "-l", page], capture_output=True, text=True, env=env)
        if r.returncode != 0 or r.stderr.strip():
            out.append(f"man --warnings -l: exit {r.returncode}: {r.stderr.strip()}")
        elif "RETURN VALUE" not in r.stdout and page.endswith(".3"):
            out.append("man -l: no RETURN VALUE section in the rendered page")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--def", dest="def_path", required=True)
    ap.add_argument("--man", required=True)
    args = ap.parse_args()

    exports = native_exports(args.def_path)
    if not exports:
        sys.exit(f"no sgio_* exports in {args.def_path}")
    problems = []
    pages = {os.path.basename(p)[:-2]: p for p in glob.glob(os.path.join(args.man, "man3", "*.3"))}
    for name in sorted(exports - pages.keys()):
        problems.append(f"{name}: exported but has no man3/{name}.3")
    for name in sorted(pages.keys() - exports):
        problems.append(f"man3/{name}.3: not an export of def/sgio.def")
    for name, path in sorted(pages.items()):
        with open(path, encoding="utf-8") as f:
            th = re.search(r"^\.TH\s+(\S+)\s+3\b", f.read(), flags=re.M)
        if not th or th.group(1) != name:
            problems.append(f"man3/{name}.3: .TH title is {th.group(1) if th else 'missing'}")
    overview = os.path.join(args.man, "man7", "sgio.7")
    if not os.path.exists(overview):
        problems.append("man7/sgio.7 missing")
    for path in sorted(pages.values()) + ([overview] if os.path.exists(overview) else []):
        problems += [f"{os.path.relpath(path, args.man)}: {w}" for w in warnings_of(path)]
    if problems:
        sys.exit("check_man.py:\n  " + "\n  ".join(problems))
    print(f"{len(pages)} section-3 pages = the {len(exports)} native exports; sgio.7; all render cleanly")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks (or with --fix, adds) the SPDX licence line at the top of every source file in git.

Usage: spdx.py [--fix] [repo-root]. Exits 1 and lists the files that lack the line.
A file counts as a source by its name; the seed's sample (tests/dotnet/seed) is third-party text
kept byte for byte and is exempt.
"""
import pathlib
import subprocess
import sys

LICENSE = "Apache-2.0"
TAG = f"SPDX-License-Identifier: {LICENSE}"
EXEMPT_PREFIXES = ("tests/dotnet/seed/",)
# suffix -> comment syntax of the line
STYLES = {
    ".c": "// {}", ".h": "// {}", ".cpp": "// {}", ".hpp": "// {}", ".cs": "// {}",
    ".java": "// {}", ".i": "// {}", ".swg": "// {}",
    ".cmake": "# {}", ".txt": "# {}", ".sh": "# {}", ".py": "# {}", ".def": "; {}",
    ".csproj.in": "<!-- {} -->", ".props.in": "<!-- {} -->", ".targets": "<!-- {} -->",
    ".props": "<!-- {} -->", ".config.in": "<!-- {} -->", ".csproj": "<!-- {} -->",
    ".xml": "<!-- {} -->", ".pom": "<!-- {} -->", ".in": "# {}",
}
NAMED = {".ci/run": "# {}"}


def style_for(path: str):
    if path in NAMED:
        return NAMED[path]
    for suffix in sorted(STYLES, key=len, reverse=True):
        if path.endswith(suffix):
            if path.endswith("CMakeLists.txt") or not path.endswith(".txt"):
                return STYLES[suffix]
    return None


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "--fix"]
    fix = "--fix" in sys.argv[1:]
    root = pathlib.Path(args[0] if args else ".").resolve()
    files = subprocess.run(["git", "-C", str(root), "ls-files"], check=True,
                           capture_output=True, text=True).stdout.split()
    missing = []
    for rel in files:
        style = style_for(rel)
        if style is None or rel.startswith(EXEMPT_PREFIXES):
            continue
        p = root / rel
        if not p.is_file():
            continue
        text = p.read_text(encoding="utf-8")
        if TAG in "\n".join(text.splitlines()[:5]):
            continue
        missing.append(rel)
        if fix:
            lines = text.splitlines(keepends=True)
            at = 1 if lines and (lines[0].startswith("#!") or lines[0].startswith("<?xml")) else 0
            lines.insert(at, style.format(TAG) + "\n")
            p.write_text("".join(lines), encoding="utf-8")
    if missing and not fix:
        print(f"{len(missing)} source file(s) lack '{TAG}' in their first 5 lines:")
        for m in missing:
            print("  " + m)
        return 1
    if fix:
        print(f"added the SPDX line to {len(missing)} file(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

# SPDX-License-Identifier: Apache-2.0
"""The grammar of def/sgio.def for Python tools (cmake/def_to_version_script.cmake reads the same).

exports(path) -> (names, dups): names maps every exported name (the part before ' ', '=' or '@')
to its version node (the nearest '; @node X' line above it); dups lists names given twice.
A name before any '; @node' line is an error (ValueError).
documented_exports(path) -> the names that get a man page (gen_man3.py, tests/install/check_man.py).
"""
import re

_NODE = re.compile(r"^; *@node +([A-Za-z0-9_.]+)$")


def exports(def_path):
    names, node, in_exports, dups = {}, None, False, []
    with open(def_path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            m = _NODE.match(line)
            if m:
                node = m.group(1)
            elif line == "EXPORTS":
                in_exports = True
            elif in_exports and line and not line.startswith(";"):
                name = re.split(r"[ =@]", line, maxsplit=1)[0]
                if node is None:
                    raise ValueError(f"{def_path}: {name} comes before any '; @node' line")
                if name in names:
                    dups.append(name)
                names[name] = node
    return names, dups


def documented_exports(def_path):
    """name -> node for every export with a man page: the native face (sgio_*) and every name added
    after SGIO_1.0 (the Win32 names of 1.1 on are documented in full in sgio_win32.h)."""
    names, _ = exports(def_path)
    return {n: v for n, v in names.items() if n.startswith("sgio_") or v != "SGIO_1.0"}

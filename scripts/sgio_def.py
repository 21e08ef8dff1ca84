# SPDX-License-Identifier: Apache-2.0
"""The grammar of def/sgio.def for Python tools (cmake/def_to_version_script.cmake reads the same).

exports(path) -> (names, dups): names maps every exported name (the part before ' ', '=' or '@')
to its version node (the nearest '; @node X' line above it); dups lists names given twice.
A name before any '; @node' line is an error (ValueError).

forwarders(path) -> {name: "dll.Name"} for the lines "Name=dll.Name" (on Windows, exports that
forward to another DLL: the Win32 face to kernel32).
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


def forwarders(def_path):
    out, in_exports = {}, False
    with open(def_path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if line == "EXPORTS":
                in_exports = True
            elif in_exports and line and not line.startswith(";") and "=" in line:
                name, target = (part.strip() for part in line.split("=", 1))
                out[name] = target.split()[0]
    return out

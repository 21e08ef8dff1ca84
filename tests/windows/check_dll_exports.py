#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Export check of sgio.dll: it exports exactly the names of def/sgio.def, the forwarded ones
("Name=kernel32.Name") as forwarders to that very target and every other one as sgio's own code.

  check_dll_exports.py --def FILE --dll FILE --objdump x86_64-w64-mingw32-objdump

Reads the export directory that `objdump -p` prints: the Export Address Table ("[ i] +base[ n]
<rva> Forwarder RVA -- module.Name" or "... Export RVA") and the name table ("[ i] Name").
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "scripts"))
import sgio_def  # noqa: E402  (the one .def grammar)

_EAT = re.compile(r"^\s*\[\s*(\d+)\]\s+\+base\[\s*\d+\]\s+[0-9a-fA-F]+\s+(Export RVA|Forwarder RVA -- (\S+))\s*$")
_NAME = re.compile(r"^\s*\[\s*(\d+)\]\s+(\S+)\s*$")


def dll_exports(objdump, dll):
    text = subprocess.run([objdump, "-p", dll], check=True, capture_output=True, text=True).stdout
    section, eat, names = None, {}, {}
    for line in text.splitlines():
        if line.startswith("Export Address Table -- "):
            section = "eat"
        elif line.startswith("[Ordinal/Name Pointer] Table"):
            section = "names"
        elif not line.strip():
            section = None
        elif section == "eat" and (m := _EAT.match(line)):
            eat[int(m.group(1))] = m.group(3)  # None: sgio's own code
        elif section == "names" and (m := _NAME.match(line)):
            names[m.group(2)] = int(m.group(1))
    return {name: eat.get(index, "missing") for name, index in names.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--def", dest="def_file", required=True)
    ap.add_argument("--dll", required=True)
    ap.add_argument("--objdump", required=True)
    a = ap.parse_args()

    names, dups = sgio_def.exports(a.def_file)
    forwards = sgio_def.forwarders(a.def_file)
    exported = dll_exports(a.objdump, a.dll)
    errors = [f"{n}: listed twice in the .def" for n in dups]
    if not exported:
        errors.append(f"{a.dll}: objdump shows no export directory")
    for n in sorted(set(names) - set(exported)):
        errors.append(f"{n}: in the .def, not exported by {os.path.basename(a.dll)}")
    for n in sorted(set(exported) - set(names)):
        errors.append(f"{n}: exported by {os.path.basename(a.dll)}, not in the .def")
    for n in sorted(set(names) & set(exported)):
        want, got = forwards.get(n), exported[n]
        if got == "missing":
            errors.append(f"{n}: named but has no Export Address Table entry")
        elif want is None and got is not None:
            errors.append(f"{n}: should be sgio's own code, is a forwarder to {got}")
        elif want is not None and got is None:
            errors.append(f"{n}: should forward to {want}, is sgio's own code")
        elif want is not None and want.lower() != got.lower():
            errors.append(f"{n}: forwards to {got}, the .def says {want}")
    if errors:
        print("\n".join(errors))
        return 1
    print(f"{os.path.basename(a.dll)}: {len(exported)} exports = def/sgio.def "
          f"({len(forwards)} forwarders to kernel32, {len(exported) - len(forwards)} own)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

# SPDX-License-Identifier: Apache-2.0
"""What `x86_64-w64-mingw32-objdump -p` says of a PE image (sgio.dll, sgio_jni.dll), for the tests.

read(objdump, path) -> PeImage with
  fmt        the BFD format, "pei-x86-64" for a Windows x64 image
  is_dll     the DLL characteristic is set
  exports    name -> forwarder ("kernel32.WriteFileGather"), None for code in the image itself, or
             MISSING for a name without an Export Address Table entry
  imports    the DLL names of the import table, in order ("KERNEL32.dll", "sgio.dll", ...)
  sections   section names (".text", ".edata", ".debug_info" when not stripped, ...)
  symbols    number of COFF symbol table entries (few once stripped with --strip-unneeded)
"""
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sgio_def  # noqa: E402  (the one .def grammar)

MISSING = "missing"

# Windows' own DLLs that sgio's images may import: every Windows x64 system has them, so an image
# importing only these (and sgio.dll) needs nothing from the toolchain beside it.
SYSTEM_DLLS = {"kernel32.dll", "ntdll.dll", "msvcrt.dll"}


@dataclass
class PeImage:
    fmt: str = ""
    is_dll: bool = False
    exports: dict = field(default_factory=dict)
    imports: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    symbols: int = 0


def read(objdump, path):
    private = subprocess.run([objdump, "-p", path], check=True, capture_output=True, text=True).stdout
    headers = subprocess.run([objdump, "-h", path], check=True, capture_output=True, text=True).stdout
    img = PeImage()
    m = re.search(r"file format (\S+)", private)
    img.fmt = m.group(1) if m else ""
    m = re.search(r"^Characteristics 0x[0-9a-fA-F]+\n((?:\t.*\n)*)", private, re.M)
    img.is_dll = bool(m) and "\tDLL\n" in m.group(1)
    table = subprocess.run([objdump, "-t", path], check=True, capture_output=True, text=True).stdout
    img.symbols = len(re.findall(r"^\[\s*\d+\]", table, re.M))
    img.imports = re.findall(r"^\tDLL Name: (\S+)", private, re.M)
    # Export Address Table rows "[   i] +base[ o] RVA Forwarder RVA -- dll.Name" / "... Export RVA";
    # the name table "[   i] Name" gives each name its row i.
    targets = {}
    eat = re.search(r"^Export Address Table -- Ordinal Base \d+\n((?:\t.*\n)*)", private, re.M)
    for row in (eat.group(1).splitlines() if eat else []):
        rm = re.match(r"\t\[\s*(\d+)\].*?(?:Forwarder RVA -- (\S+)|Export RVA)", row)
        if rm:
            targets[int(rm.group(1))] = rm.group(2)
    names = re.search(r"^\[Ordinal/Name Pointer\] Table\n((?:\t.*\n)*)", private, re.M)
    for row in (names.group(1).splitlines() if names else []):
        nm = re.match(r"\t\[\s*(\d+)\] (\S+)", row)
        if nm:
            img.exports[nm.group(2)] = targets.get(int(nm.group(1)), MISSING)
    img.sections = re.findall(r"^\s+\d+\s+(\S+)\s+[0-9a-f]{8}", headers, re.M)
    return img


def def_mismatches(img, def_path):
    """How img's exports differ from def/sgio.def: every name and nothing else, the forwarded ones
    ("Name=kernel32.Name") as forwarders to that very target, every other one the image's own code.
    One message per problem; none when they agree."""
    names, dups = sgio_def.exports(def_path)
    forwards = sgio_def.forwarders(def_path)
    errors = [f"{n}: listed twice in the .def" for n in dups]
    if not img.exports:
        errors.append("objdump shows no export directory")
    for n in sorted(set(names) - set(img.exports)):
        errors.append(f"{n}: in the .def, not exported")
    for n in sorted(set(img.exports) - set(names)):
        errors.append(f"{n}: exported, not in the .def")
    for n in sorted(set(names) & set(img.exports)):
        want, got = forwards.get(n), img.exports[n]
        if got == MISSING:
            errors.append(f"{n}: named but has no Export Address Table entry")
        elif want is None and got is not None:
            errors.append(f"{n}: should be sgio's own code, is a forwarder to {got}")
        elif want is not None and got is None:
            errors.append(f"{n}: should forward to {want}, is sgio's own code")
        elif want is not None and want.lower() != got.lower():
            errors.append(f"{n}: forwards to {got}, the .def says {want}")
    return errors


def foreign_imports(img, allowed=()):
    """Imported DLLs that are neither Windows' own nor in allowed (case-insensitive)."""
    ok = SYSTEM_DLLS | {a.lower() for a in allowed}
    return [d for d in img.imports if d.lower() not in ok]

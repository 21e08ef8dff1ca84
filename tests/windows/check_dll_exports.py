#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Export check of sgio.dll: it exports exactly the names of def/sgio.def, the forwarded ones
("Name=kernel32.Name") as forwarders to that very target and every other one as sgio's own code;
and it imports only Windows' own DLLs (the toolchain's runtimes are linked in), so sgio.dll is
the one file to ship.

  check_dll_exports.py --def FILE --dll FILE --objdump x86_64-w64-mingw32-objdump

The export and import directories are read from `objdump -p` by scripts/sgio_pe.py, which the
package tests (dotnet_package_contents, java.jar_layout) use on the shipped copies too.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "scripts"))
import sgio_def  # noqa: E402  (the one .def grammar)
import sgio_pe  # noqa: E402  (objdump -p of a PE image, and its comparison with the .def)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--def", dest="def_file", required=True)
    ap.add_argument("--dll", required=True)
    ap.add_argument("--objdump", required=True)
    a = ap.parse_args()

    img = sgio_pe.read(a.objdump, a.dll)
    errors = [f"imports {dll}, which is not one of Windows' own DLLs ({', '.join(sorted(sgio_pe.SYSTEM_DLLS))})"
              for dll in sgio_pe.foreign_imports(img)]
    errors += sgio_pe.def_mismatches(img, a.def_file)
    if errors:
        print("\n".join(f"{os.path.basename(a.dll)}: {e}" for e in errors))
        return 1
    forwards = sgio_def.forwarders(a.def_file)
    print(f"{os.path.basename(a.dll)}: {len(img.exports)} exports = def/sgio.def "
          f"({len(forwards)} forwarders to kernel32, {len(img.exports) - len(forwards)} own); "
          f"imports {', '.join(sorted(d.lower() for d in img.imports))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

# SPDX-License-Identifier: Apache-2.0
"""package_contents_test.py NUPKG SNUPKG "RID,RID..." OBJDUMP DEF - the Sgio package holds what it
promises: lib/net8.0 and lib/net10.0 (assembly + XML docs), a libsgio.so per carried Linux RID and
a libsgio.dll (the build's sgio.dll) for win-x64 (a PE x86-64 DLL exporting exactly def/sgio.def's names, the Win32 ones
forwarded to kernel32, importing only Windows' own DLLs: `OBJDUMP -p`), the analyzers,
buildTransitive/Sgio.targets listing exactly those RIDs, README, licence (file + SPDX expression),
repository metadata; and the symbols package has the portable PDBs. OBJDUMP is
x86_64-w64-mingw32-objdump, or "-" when the package carries no win-x64."""
import os
import re
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "scripts"))
import sgio_pe  # noqa: E402  (objdump -p of a PE image)

nupkg, snupkg, rids = sys.argv[1], sys.argv[2], [r for r in sys.argv[3].split(",") if r]
objdump, def_path = sys.argv[4], sys.argv[5]


def native_name(rid):
    """What [DllImport("libsgio")] probes for on the RID's OS (not sgio.dll on Windows: with
    case-insensitive file names that is the managed Sgio.dll)."""
    return "libsgio.dll" if rid.startswith("win-") else "libsgio.so"


errors = []
with zipfile.ZipFile(nupkg) as z:
    names = set(z.namelist())
    want = {"README.md", "LICENSE", "analyzers/dotnet/roslyn4.8/cs/Sgio.Analyzers.dll", "analyzers/dotnet/roslyn4.11/cs/Sgio.Analyzers.dll", "analyzers/dotnet/roslyn4.11/cs/Sgio.Interceptors.dll", "buildTransitive/Sgio.targets"}
    for tfm in ("net8.0", "net10.0"):
        want |= {f"lib/{tfm}/Sgio.dll", f"lib/{tfm}/Sgio.xml"}
    want |= {f"runtimes/{rid}/native/{native_name(rid)}" for rid in rids}
    errors += [f"missing {n}" for n in sorted(want - names)]
    carried = sorted(n.split("/")[1] for n in names if re.fullmatch(r"runtimes/[^/]+/native/libsgio\.(so|dll)", n))
    if carried != sorted(rids):
        errors.append(f"natives for {carried}, expected {sorted(rids)}")
    for rid in (r for r in rids if r.startswith("win-")):
        entry = f"runtimes/{rid}/native/libsgio.dll"
        if entry not in names:
            continue
        if objdump == "-":
            errors.append(f"{rid} expected but no objdump for PE images given")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "libsgio.dll")
            with open(path, "wb") as f:
                f.write(z.read(entry))
            img = sgio_pe.read(objdump, path)
        if rid != "win-x64" or img.fmt != "pei-x86-64" or not img.is_dll:
            errors.append(f"{entry} is not a PE x86-64 DLL ({img.fmt})")
        errors += [f"{entry}: {e}" for e in sgio_pe.def_mismatches(img, def_path)]
        if sgio_pe.foreign_imports(img):
            errors.append(f"{entry} imports {sgio_pe.foreign_imports(img)}, which Windows does not have")
        if any(s.startswith(".debug") for s in img.sections):
            errors.append(f"{entry} carries debug sections (not stripped)")
        print(f"{entry}: {img.fmt}, {len(img.exports)} exports ({sum(1 for t in img.exports.values() if t)} "
              f"forwarded), imports {img.imports}")
    nuspec = z.read("Sgio.nuspec").decode()
    for needle in ('<license type="expression">Apache-2.0</license>', "<readme>README.md</readme>",
                   "<repository ", "<projectUrl>", "<description>", "<tags>"):
        if needle not in nuspec:
            errors.append(f"nuspec lacks {needle}")
    targets = z.read("buildTransitive/Sgio.targets").decode()
    m = re.search(r"<SgioPackageRuntimeIdentifiers>([^<]*)<", targets)
    if not m or sorted(m.group(1).split(";")) != sorted(rids):
        errors.append(f"Sgio.targets lists {m and m.group(1)}, expected {rids}")
    xml = z.read("lib/net8.0/Sgio.xml").decode()
    for member in ("M:Sgio.Kernel32.WriteFileGather", "M:Sgio.Kernel32.RedirectDllImports", "F:Sgio.Win32.ERROR_IO_PENDING",
                   "M:Sgio.Win32Error.Message", "M:Sgio.SgioFile.FromSafeFileHandle"):
        if member not in xml:
            errors.append(f"no XML doc for {member}")
with zipfile.ZipFile(snupkg) as z:
    names = set(z.namelist())
    for tfm in ("net8.0", "net10.0"):
        if f"lib/{tfm}/Sgio.pdb" not in names:
            errors.append(f"symbols package lacks lib/{tfm}/Sgio.pdb")
    for n in names:
        if n.endswith(".pdb") and z.read(n)[:4] != b"BSJB":
            errors.append(f"{n} is not a portable PDB")
for e in errors:
    print("FAIL:", e)
print(f"{len(names)} entries in the symbols package; natives: {rids}")
sys.exit(1 if errors else 0)

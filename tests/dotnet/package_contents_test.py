# SPDX-License-Identifier: Apache-2.0
"""package_contents_test.py NUPKG SNUPKG "RID,RID..." - the Sgio package holds what it promises:
lib/net8.0 and lib/net10.0 (assembly + XML docs), a libsgio.so per carried RID, the analyzers,
buildTransitive/Sgio.targets listing exactly those RIDs, README, licence (file + SPDX expression),
repository metadata; and the symbols package has the portable PDBs."""
import re
import sys
import zipfile

nupkg, snupkg, rids = sys.argv[1], sys.argv[2], [r for r in sys.argv[3].split(",") if r]
errors = []
with zipfile.ZipFile(nupkg) as z:
    names = set(z.namelist())
    want = {"README.md", "LICENSE", "analyzers/dotnet/roslyn4.8/cs/Sgio.Analyzers.dll", "analyzers/dotnet/roslyn4.11/cs/Sgio.Analyzers.dll", "analyzers/dotnet/roslyn4.11/cs/Sgio.Interceptors.dll", "buildTransitive/Sgio.targets"}
    for tfm in ("net8.0", "net10.0"):
        want |= {f"lib/{tfm}/Sgio.dll", f"lib/{tfm}/Sgio.xml"}
    want |= {f"runtimes/{rid}/native/libsgio.so" for rid in rids}
    errors += [f"missing {n}" for n in sorted(want - names)]
    carried = sorted(n.split("/")[1] for n in names if re.fullmatch(r"runtimes/[^/]+/native/libsgio\.so", n))
    if carried != sorted(rids):
        errors.append(f"natives for {carried}, expected {sorted(rids)}")
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

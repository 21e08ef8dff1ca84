#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""java.jar_layout: what sgio.jar must carry to be published and to load on each platform.

For every expected platform, native/<platform>/ holds libraries.txt and the libraries it names:
on Linux ELF files of the right machine with no debug info and no static symbol table (stripped);
on windows-x86_64 PE x86-64 DLLs without debug sections (objdump -p/-h, scripts/sgio_pe.py), sgio.dll
first and exporting exactly the names of def/sgio.def, the JNI DLL second, importing sgio.dll and
exporting JNI_OnLoad, neither importing anything but Windows' own DLLs (and sgio.dll). The jar also
carries META-INF/maven/io.sgio/sgio/{pom.xml,pom.properties} for VERSION, META-INF/LICENSE, and a
manifest with Enable-Native-Access: ALL-UNNAMED.

Usage: check_jar.py JAR VERSION READELF OBJDUMP DEF PLATFORM...
  OBJDUMP is x86_64-w64-mingw32-objdump (or "-" when no windows-x86_64 is expected).
"""
import os
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "scripts"))
import sgio_pe  # noqa: E402  (objdump -p of a PE image)

MACHINES = {"linux-x86_64": "X86-64", "linux-aarch64": "AArch64"}


def check_elf(readelf, platform, label, path, errors):
    header = subprocess.run([readelf, "-h", path], check=True, capture_output=True, text=True).stdout
    if MACHINES.get(platform, "?") not in header:
        errors.append(f"{label} is not a {MACHINES.get(platform)} ELF file")
    sections = subprocess.run([readelf, "-S", "-W", path], check=True, capture_output=True, text=True).stdout
    for unwanted in (".debug_info", ".symtab"):
        if f" {unwanted} " in sections:
            errors.append(f"{label} is not stripped (has {unwanted})")


def check_windows(objdump, def_path, folder, libs, paths, errors):
    """libs[0] is sgio.dll, libs[1] the JNI DLL that imports it."""
    if [l.lower() for l in libs[:1]] != ["sgio.dll"] or len(libs) != 2:
        errors.append(f"{folder}libraries.txt must name sgio.dll then the JNI DLL, names {libs}")
        return
    images = {}
    for lib in libs:
        img = sgio_pe.read(objdump, paths[lib])
        images[lib] = img
        if img.fmt != "pei-x86-64" or not img.is_dll:
            errors.append(f"{folder}{lib} is not a PE x86-64 DLL ({img.fmt})")
        debug = [s for s in img.sections if s.startswith(".debug")]
        if debug:
            errors.append(f"{folder}{lib} is not stripped (has {debug[0]})")
        foreign = sgio_pe.foreign_imports(img, allowed=("sgio.dll",))
        if foreign:
            errors.append(f"{folder}{lib} imports {foreign}, which Windows does not have")
    sgio, jni = images[libs[0]], images[libs[1]]
    errors += [f"{folder}sgio.dll: {e}" for e in sgio_pe.def_mismatches(sgio, def_path)]
    if "sgio.dll" not in [d.lower() for d in jni.imports]:
        errors.append(f"{folder}{libs[1]} does not import sgio.dll (imports {jni.imports})")
    if "JNI_OnLoad" not in jni.exports or not any(n.startswith("Java_io_sgio_") for n in jni.exports):
        errors.append(f"{folder}{libs[1]} lacks JNI_OnLoad or the Java_io_sgio_* natives")


def main():
    jar, version, readelf, objdump, def_path, platforms = (sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4],
                                                          sys.argv[5], sys.argv[6:])
    errors = []
    with zipfile.ZipFile(jar) as z, tempfile.TemporaryDirectory() as tmp:
        names = set(z.namelist())
        present = sorted({n.split("/")[1] for n in names if n.startswith("native/") and n.count("/") >= 2 and n.split("/")[1]})
        print(f"{jar}: native platforms {present}")
        for platform in platforms:
            folder = f"native/{platform}/"
            if folder + "libraries.txt" not in names:
                errors.append(f"no {folder}libraries.txt")
                continue
            libs = [l.strip() for l in z.read(folder + "libraries.txt").decode().splitlines() if l.strip()]
            if not libs:
                errors.append(f"{folder}libraries.txt names no library")
            paths = {}
            for lib in libs:
                if folder + lib not in names:
                    errors.append(f"{folder}libraries.txt names {lib}, which the jar lacks")
                    continue
                path = os.path.join(tmp, platform + "-" + lib)
                with open(path, "wb") as f:
                    f.write(z.read(folder + lib))
                paths[lib] = path
                if not platform.startswith("windows-"):
                    check_elf(readelf, platform, folder + lib, path, errors)
                print(f"  {folder}{lib}: {os.path.getsize(path)} bytes")
            if platform == "windows-x86_64" and len(paths) == len(libs):
                if objdump == "-":
                    errors.append("windows-x86_64 expected but no objdump for PE images given")
                else:
                    check_windows(objdump, def_path, folder, libs, paths, errors)
            elif platform.startswith("windows-"):
                errors.append(f"no PE check for {platform}")
        for required in ("META-INF/LICENSE", "META-INF/maven/io.sgio/sgio/pom.xml",
                         "META-INF/maven/io.sgio/sgio/pom.properties"):
            if required not in names:
                errors.append(f"no {required}")
        if "META-INF/maven/io.sgio/sgio/pom.properties" in names:
            props = z.read("META-INF/maven/io.sgio/sgio/pom.properties").decode()
            for line in ("groupId=io.sgio", "artifactId=sgio", f"version={version}"):
                if line not in props.splitlines():
                    errors.append(f"pom.properties lacks {line}")
        if "META-INF/maven/io.sgio/sgio/pom.xml" in names:
            pom = z.read("META-INF/maven/io.sgio/sgio/pom.xml").decode()
            if f"<version>{version}</version>" not in pom or "<name>Apache-2.0</name>" not in pom:
                errors.append("pom.xml lacks the version or the Apache-2.0 licence")
        manifest = z.read("META-INF/MANIFEST.MF").decode()
        if "Enable-Native-Access: ALL-UNNAMED" not in manifest.splitlines():
            errors.append("manifest lacks Enable-Native-Access: ALL-UNNAMED")
    for e in errors:
        print("jar-layout: " + e, file=sys.stderr)
    if errors:
        return 1
    print("jar-layout: OK (" + ", ".join(platforms) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())

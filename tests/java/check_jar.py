#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""java.jar_layout: what sgio.jar must carry to be published and to load on each platform.

For every expected platform, native/<platform>/ holds libraries.txt and the libraries it names,
ELF files of the right machine with no debug info and no static symbol table (stripped); the jar
also carries META-INF/maven/io.sgio/sgio/{pom.xml,pom.properties} for VERSION, META-INF/LICENSE,
and a manifest with Enable-Native-Access: ALL-UNNAMED.

Usage: check_jar.py JAR VERSION READELF PLATFORM...
"""
import os
import subprocess
import sys
import tempfile
import zipfile

MACHINES = {"linux-x86_64": "X86-64", "linux-aarch64": "AArch64"}


def main():
    jar, version, readelf, platforms = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
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
            for lib in libs:
                if folder + lib not in names:
                    errors.append(f"{folder}libraries.txt names {lib}, which the jar lacks")
                    continue
                path = os.path.join(tmp, platform + "-" + lib)
                with open(path, "wb") as f:
                    f.write(z.read(folder + lib))
                header = subprocess.run([readelf, "-h", path], check=True, capture_output=True, text=True).stdout
                if MACHINES.get(platform, "?") not in header:
                    errors.append(f"{folder}{lib} is not a {MACHINES.get(platform)} ELF file")
                sections = subprocess.run([readelf, "-S", "-W", path], check=True, capture_output=True, text=True).stdout
                for unwanted in (".debug_info", ".symtab"):
                    if f" {unwanted} " in sections:
                        errors.append(f"{folder}{lib} is not stripped (has {unwanted})")
                size = os.path.getsize(path)
                print(f"  {folder}{lib}: {size} bytes, stripped")
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

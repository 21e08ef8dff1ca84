# SPDX-License-Identifier: Apache-2.0
"""Turns bench/run_all.sh outputs into the issue-9 target tables of bench/README.md.

    python3 bench/tables.py BEFORE.txt AFTER.txt

BEFORE and AFTER are two run_all.sh outputs (e.g. main's engine and the merged one). When AFTER
holds a "### before:" C section (SGIO_BENCH_BEFORE_LIB), that section is used as the C "before"
(same time window) and BEFORE only for .NET and Java.
"""
import re
import sys


def sections(text):
    """{'c': [lines], 'c_before': [lines], 'dotnet': [...], 'java': [...]}"""
    out, cur = {}, None
    for line in text.splitlines():
        if line.startswith("## C:"):
            cur = "c"
        elif line.startswith("### before:"):
            cur = "c_before"
        elif line.startswith("### after:"):
            cur = "c"
        elif line.startswith("## .NET"):
            cur = "dotnet"
        elif line.startswith("## Java"):
            cur = "java"
        if cur:
            out.setdefault(cur, []).append(line)
    return out


def c_rows(lines):
    rows = {}
    for line in lines or []:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 10 and cells[0].startswith("QD"):
            rows[cells[0]] = {
                "rate": float(cells[1]), "cpu": float(cells[3]), "caller": float(cells[4]),
                "others": float(cells[5]), "p50": float(cells[7]), "p99": float(cells[8]), "vs": cells[9]}
    return rows


def dotnet_rows(lines):
    rows = {}
    for line in lines or []:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and ("gather write" in cells[0]):
            rows[cells[0]] = {"sgio": cells[1], "net": cells[2], "ratio": cells[3], "target": cells[4],
                              "cpu_sgio": cells[5], "cpu_net": cells[6]}
    return rows


JAVA_ROW = re.compile(r"^(\S.*?)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+x)\s+(\d+)\s+(\d+)\s+(\S+x)$")


def java_rows(lines):
    rows = {}
    for line in lines or []:
        m = JAVA_ROW.match(line.strip())
        if m and not line.startswith("case"):
            rows[m.group(1)] = {"sgio": m.group(2), "fc": m.group(3), "wall": m.group(4), "cpu_sgio": m.group(5),
                                "cpu_fc": m.group(6), "cpu_ratio": m.group(7)}
    return rows


C_TARGETS = [
    # (case, reference, throughput target, CPU-per-request target or None)
    ("QD1 WriteFileGather + GetOverlappedResult", "QD1 pwritev (raw)", 0.95, None),
    ("QD1 ReadFileScatter + GetOverlappedResult", "QD1 preadv (raw)", 0.95, None),
    ("QD1 sgio_queue write submit+wait", "QD1 pwritev (raw)", 0.95, None),
    ("QD1 sgio_queue read submit+wait", "QD1 preadv (raw)", 0.95, None),
    ("QD1 liburing WRITEV (raw, for reference)", "QD1 pwritev (raw)", None, None),
    ("QD1 liburing READV (raw, for reference)", "QD1 preadv (raw)", None, None),
    ("QD32 WriteFileGather via completion port", "QD32 liburing WRITEV loop (raw)", 0.97, 1.2),
    ("QD32 sgio_queue (uring) write gathers", "QD32 liburing WRITEV loop (raw)", 0.97, 1.2),
]


def verdict(value, target, higher_is_better=True):
    if target is None or value is None:
        return ""
    ok = value >= target if higher_is_better else value <= target
    return " met" if ok else " **missed**"


def c_table(before, after):
    print("| target | before: ratio | before: CPU/req ratio | after: ratio | after: CPU/req ratio |")
    print("|---|---:|---:|---:|---:|")
    for case, ref, t_rate, t_cpu in C_TARGETS:
        cells = []
        for rows in (before, after):
            if case in rows and ref in rows:
                r = rows[case]["rate"] / rows[ref]["rate"]
                c = rows[case]["cpu"] / rows[ref]["cpu"]
                cells.append(f"{r:.2f}x{verdict(r, t_rate)}")
                cells.append(f"{c:.2f}x{verdict(c, t_cpu, False)}" if t_cpu else f"{c:.2f}x")
            else:
                cells += ["-", "-"]
        goal = f">= {t_rate}x" if t_rate else "(no target)"
        if t_cpu:
            goal += f", CPU <= {t_cpu}x"
        print(f"| {case} vs {ref.replace(' (raw)', '')} ({goal}) | " + " | ".join(cells) + " |")


def c_detail(rows, title):
    print(f"\n{title}\n")
    print("| case | req/s | CPU us/req (caller + library threads) | p50 us | p99 us |")
    print("|---|---:|---:|---:|---:|")
    for name, r in rows.items():
        print(f"| {name} | {r['rate']:.0f} | {r['cpu']:.1f} ({r['caller']:.1f} + {r['others']:.1f}) | "
              f"{r['p50']:.0f} | {r['p99']:.0f} |")


def main():
    before_text, after_text = (open(p).read() for p in sys.argv[1:3])
    b, a = sections(before_text), sections(after_text)
    c_before = c_rows(a.get("c_before") or b.get("c"))
    c_after = c_rows(a.get("c"))
    print("### C targets (ratios against the raw loop; CPU = process CPU per request)\n")
    c_table(c_before, c_after)
    c_detail(c_before, "Before, every case:")
    c_detail(c_after, "After, every case:")

    print("\n### .NET targets\n")
    db, da = dotnet_rows(b.get("dotnet")), dotnet_rows(a.get("dotnet"))
    print("| mode | target | before: sgio / .NET MB/s | before: ratio | after: sgio / .NET MB/s | after: ratio | "
          "after: CPU us/MiB sgio / .NET |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for mode in da or db:
        x, y = db.get(mode), da.get(mode)
        tgt = (y or x)["target"].split(" ")[0] + " " + (y or x)["target"].split(" ")[1]
        bc = f"{x['sgio']} / {x['net']} | {x['ratio']}" if x else "- | -"
        ac = (f"{y['sgio']} / {y['net']} | {y['ratio']}{' met' if 'met' in y['target'] else ' **missed**'} | "
              f"{y['cpu_sgio']} / {y['cpu_net']}") if y else "- | - | -"
        print(f"| {mode} | {tgt} | {bc} | {ac} |")

    print("\n### Java targets (CPU ratio = sgio's MB per CPU-second / FileChannel's; target >= 1.0)\n")
    jb, ja = java_rows(b.get("java")), java_rows(a.get("java"))
    print("| case | before: wall ratio | before: CPU ratio | after: sgio / FileChannel MB/s | after: wall ratio | "
          "after: CPU ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for case in ja or jb:
        x, y = jb.get(case), ja.get(case)
        bc = f"{x['wall']} | {x['cpu_ratio']}" if x else "- | -"
        if y:
            cpu = float(y["cpu_ratio"].rstrip("x")) if y["cpu_ratio"] != "Infinityx" else float("inf")
            wall = float(y["wall"].rstrip("x"))
            goal = 2.0 if case.startswith("SgioQueue direct write 16") else None
            ac = (f"{y['sgio']} / {y['fc']} | {y['wall']}{verdict(wall, goal)} | "
                  f"{y['cpu_ratio']}{verdict(cpu, 1.0)}")
        else:
            ac = "- | - | -"
        print(f"| {case} | {bc} | {ac} |")


if __name__ == "__main__":
    main()

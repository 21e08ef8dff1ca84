#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""scripts/reliability_report.py fails on any wrong count, a long-run crash or an empty log, and
sums identical tally lines. Usage: reliability_report_test.py <path to reliability_report.py>"""
import os
import subprocess
import sys
import tempfile


def run(script, lines, tsv=None):
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "log")
        with open(log, "w") as f:
            f.write("".join(lines))
        args = [sys.executable, script, "--log", log, "--out", os.path.join(d, "R.md")]
        if tsv is not None:
            path = os.path.join(d, "long.tsv")
            with open(path, "w") as f:
                f.write("date\tharness\texecutions\tcrashes\tseconds\n" + tsv)
            args += ["--long-run", path]
        rc = subprocess.run(args, capture_output=True, text=True).returncode
        report = open(os.path.join(d, "R.md")).read() if os.path.exists(os.path.join(d, "R.md")) else ""
        return rc, report


def main():
    script = sys.argv[1]
    clean = ["fault\tqueue/uring\t-EIO on a CQE\t3\t0\n", "fault\tqueue/uring\t-EIO on a CQE\t4\t0\n",
             "bytes_verified\tnative\tround trip\t4096\t0\n"]
    failures = []
    rc, report = run(script, clean)
    if rc != 0:
        failures.append(f"clean tallies: exit {rc}")
    if "| queue/uring | -EIO on a CQE | 7 | 0 |" not in report:
        failures.append("identical lines were not summed")
    if run(script, clean + ["bad_input\tnative\tNULL\t2\t1\n"])[0] == 0:
        failures.append("a wrong count did not fail the report")
    if run(script, clean + ["failed_case\tsuite\tcase\t1\t1\n"])[0] == 0:
        failures.append("a failed case did not fail the report")
    if run(script, clean, "2026-01-01T00:00Z\tnative\t100\t1\t10\n")[0] == 0:
        failures.append("a long-run crash did not fail the report")
    if run(script, clean, "2026-01-01T00:00Z\tnative\t100\t0\t10\n")[0] != 0:
        failures.append("a clean long run failed the report")
    if run(script, [])[0] == 0:
        failures.append("an empty log passed")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

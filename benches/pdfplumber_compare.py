#!/usr/bin/env python3
"""Issue 6: annex2json vs pdfplumber's extract_tables on the same PDFs (not part of CI).

    pip install pdfplumber            # once, locally
    cargo build --release
    python3 benches/pdfplumber_compare.py [PDF ...]    # default: corpus/*/source.pdf corpus/real/*.pdf

pdfplumber is timed in-process around `page.extract_tables()` for every page of every PDF
(opening included, the Python start-up and import excluded, which favours pdfplumber).
annex2json is timed as one whole process over all the PDFs (`annex2json PDF... -o DIR`,
start-up included) and also with `-j 1`. Prints seconds, pages/s and the speed-up
(target: annex2json at least 50x faster), by wall clock and by CPU time (user + system; less
sensitive to other load on the machine). Environment: BIN (default target/release/annex2json),
RUNS (default 3; the best of RUNS for annex2json, pdfplumber runs once unless PLUMBER_RUNS).
"""

import glob
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main() -> int:
    try:
        import pdfplumber
    except ImportError:
        print("pdfplumber_compare: pdfplumber is not installed (pip install pdfplumber); skipped", file=sys.stderr)
        return 0
    pdfs = sys.argv[1:] or sorted(glob.glob(os.path.join(ROOT, "corpus/*/source.pdf"))) + sorted(
        glob.glob(os.path.join(ROOT, "corpus/real/*.pdf"))
    )
    if not pdfs:
        print("pdfplumber_compare: no PDFs", file=sys.stderr)
        return 1
    binary = os.environ.get("BIN", os.path.join(ROOT, "target/release/annex2json"))
    if not os.path.exists(binary):
        print(f"pdfplumber_compare: {binary} not found (cargo build --release)", file=sys.stderr)
        return 1
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings on every page
    runs = int(os.environ.get("RUNS", "3"))
    plumber_runs = int(os.environ.get("PLUMBER_RUNS", "1"))

    pages = 0
    tables = 0
    best_plumber = best_plumber_cpu = float("inf")
    for r in range(plumber_runs):
        t0 = time.perf_counter()
        c0 = time.process_time()
        pages = tables = 0
        for path in pdfs:
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    tables += len(page.extract_tables())
                    pages += 1
        best_plumber = min(best_plumber, time.perf_counter() - t0)
        best_plumber_cpu = min(best_plumber_cpu, time.process_time() - c0)

    def children_cpu():
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return r.ru_utime + r.ru_stime

    def ours(extra):
        best = best_cpu = float("inf")
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as out:
                c0 = children_cpu()
                t0 = time.perf_counter()
                p = subprocess.run([binary, *extra, *pdfs, "-o", out], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                dt = time.perf_counter() - t0
                best_cpu = min(best_cpu, children_cpu() - c0)
            if p.returncode != 0:
                sys.stderr.write(p.stderr.decode(errors="replace"))
                raise SystemExit(f"pdfplumber_compare: {binary} exited {p.returncode}")
            best = min(best, dt)
        return best, best_cpu

    ours_default, ours_default_cpu = ours([])
    ours_j1, ours_j1_cpu = ours(["-j", "1"])
    print(f"{len(pdfs)} PDFs, {pages} pages; pdfplumber {pdfplumber.__version__} found {tables} tables")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; best of {runs} runs for annex2json")
    print("                                   wall s   pages/s     CPU s")
    for name, w, c in [
        ("pdfplumber extract_tables", best_plumber, best_plumber_cpu),
        ("annex2json (default -j)", ours_default, ours_default_cpu),
        ("annex2json (-j 1)", ours_j1, ours_j1_cpu),
    ]:
        print(f"  {name:<28} {w:9.3f} {pages / w:9.1f} {c:9.3f}")
    print(
        f"  speed-up by wall clock: {best_plumber / ours_default:.1f}x (default -j), {best_plumber / ours_j1:.1f}x (-j 1);"
        f" by CPU time: {best_plumber_cpu / ours_j1_cpu:.1f}x (-j 1)   target >= 50x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

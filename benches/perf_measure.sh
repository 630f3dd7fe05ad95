#!/usr/bin/env bash
# Issue 6 performance targets, measured as whole processes (not part of CI).
#
#   cargo build --release && bash benches/perf_measure.sh [RUNS]
#
# Needs: poppler-utils (pdftotext, pdfinfo), qpdf, GNU time (/usr/bin/time; apt-get install time).
# Environment: BIN (default target/release/annex2json), RUNS (default 5; medians are reported).
#
# (a) all corpus PDFs in one `annex2json ... -o DIR` process (default -j and -j 1) vs
#     `pdftotext -bbox-layout` one process per file, summed; ratio must be <= 1.0;
# (c) peak RSS on a 500-page PDF joined from corpus PDFs with qpdf; target < 100 MB;
# (d) time on 100/200/500-page joins: pages/s should be flat (time linear in pages).
#     Two series: "cycle" joins run through all corpus PDFs in order until N pages;
#     "uniform" joins repeat the same 100-page join, so each page mix is identical.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN=${BIN:-target/release/annex2json}
RUNS=${1:-${RUNS:-5}}
TIME=/usr/bin/time
for t in "$BIN" pdftotext pdfinfo qpdf "$TIME"; do
  command -v "$t" >/dev/null 2>&1 || { echo "perf_measure: missing $t" >&2; exit 1; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PDFS=(corpus/*/source.pdf corpus/real/*.pdf)

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
pages_of() { pdfinfo "$1" | awk '/^Pages:/{print $2}'; }

# "wall cpu" seconds for one run of "$@": wall clock, and user + system CPU time of the
# process and its children (GNU time, 10 ms resolution; less sensitive to other load).
wall() {
  local s e
  s=$(now)
  "$TIME" -f "%U %S" -o "$WORK/rusage" "$@" >/dev/null 2>"$WORK/stderr" || {
    echo "perf_measure: failed: $* ($(tail -n 3 "$WORK/stderr"))" >&2
    exit 1
  }
  e=$(now)
  echo "$(echo "$e - $s" | bc -l) $(awk '{print $1 + $2}' "$WORK/rusage")"
}
col() { awk -v c="$1" '{print $c}'; }
# pdftotext once per file, inside one timed shell (GNU time counts the children's CPU).
PDFTOTEXT_LOOP='for f; do pdftotext -bbox-layout "$f" "$0"; done'


total_pages=0
for f in "${PDFS[@]}"; do total_pages=$((total_pages + $(pages_of "$f"))); done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $RUNS runs each, medians"
echo "binary: $BIN ($($BIN --version))"
echo
echo "== (a) corpus end to end: ${#PDFS[@]} PDFs, $total_pages pages"
for _ in $(seq "$RUNS"); do rm -rf "$WORK/out"; wall "$BIN" "${PDFS[@]}" -o "$WORK/out"; done >"$WORK/a0"
for _ in $(seq "$RUNS"); do rm -rf "$WORK/out"; wall "$BIN" -j 1 "${PDFS[@]}" -o "$WORK/out"; done >"$WORK/a1"
for _ in $(seq "$RUNS"); do wall bash -c "$PDFTOTEXT_LOOP" "$WORK/bbox.html" "${PDFS[@]}"; done >"$WORK/a2"
ours=$(col 1 <"$WORK/a0" | median) oursc=$(col 2 <"$WORK/a0" | median)
ours1=$(col 1 <"$WORK/a1" | median) ours1c=$(col 2 <"$WORK/a1" | median)
ptt=$(col 1 <"$WORK/a2" | median) pttc=$(col 2 <"$WORK/a2" | median)
row() { printf '  %-40s wall %6.3f s (%5.2f ms/page)   CPU %6.3f s (%5.2f ms/page)\n' "$1" "$2" "$(echo "$2 * 1000 / $total_pages" | bc -l)" "$3" "$(echo "$3 * 1000 / $total_pages" | bc -l)"; }
row "annex2json, one process, default -j" "$ours" "$oursc"
row "annex2json, one process, -j 1" "$ours1" "$ours1c"
row "pdftotext -bbox-layout, one per file" "$ptt" "$pttc"
printf '  ratio annex2json/pdftotext by wall: %.2f (default -j), %.2f (-j 1); by CPU: %.2f (-j 1)   target <= 1.0\n' \
  "$(echo "$ours / $ptt" | bc -l)" "$(echo "$ours1 / $ptt" | bc -l)" "$(echo "$ours1c / $pttc" | bc -l)"
echo

# Joins: "cycle" N = corpus PDFs in order, repeated, the last one cut to fit.
make_cycle() {
  local n=$1 out=$2 have=0 p left args=()
  while [ "$have" -lt "$n" ]; do
    for f in "${PDFS[@]}"; do
      left=$((n - have)); [ "$left" -le 0 ] && break
      p=$(pages_of "$f")
      if [ "$p" -le "$left" ]; then args+=("$f"); have=$((have + p)); else args+=("$f" "1-$left"); have=$n; fi
    done
  done
  qpdf --empty --pages "${args[@]}" -- "$out"
}
for n in 100 200 500; do make_cycle "$n" "$WORK/cycle-$n.pdf"; done
qpdf --empty --pages "$WORK/cycle-100.pdf" "$WORK/cycle-100.pdf" -- "$WORK/uniform-200.pdf"
qpdf --empty --pages "$WORK/cycle-100.pdf" "$WORK/cycle-100.pdf" "$WORK/cycle-100.pdf" "$WORK/cycle-100.pdf" \
  "$WORK/cycle-100.pdf" -- "$WORK/uniform-500.pdf"
cp "$WORK/cycle-100.pdf" "$WORK/uniform-100.pdf"

echo "== (c) peak memory, 500-page join (GNU time -v, maximum resident set size)"
for j in cycle uniform; do
  f="$WORK/$j-500.pdf"
  rm -rf "$WORK/out"
  rss=$("$TIME" -v "$BIN" "$f" -o "$WORK/out" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/{gsub(/ /,"",$2); print $2}')
  prss=$("$TIME" -v pdftotext -bbox-layout "$f" "$WORK/bbox.html" 2>&1 | awk -F: '/Maximum resident set size/{gsub(/ /,"",$2); print $2}')
  printf '  %-8s 500 pages (%s bytes): annex2json %.1f MB   (pdftotext -bbox-layout %.1f MB)   target < 100 MB\n' \
    "$j" "$(stat -c %s "$f")" "$(echo "$rss / 1024" | bc -l)" "$(echo "$prss / 1024" | bc -l)"
done
echo

echo "== (d) time vs pages (one process each; medians; CPU = user + system)"
for j in cycle uniform; do
  for n in 100 200 500; do
    f="$WORK/$j-$n.pdf"
    for _ in $(seq "$RUNS"); do rm -rf "$WORK/out"; wall "$BIN" "$f" -o "$WORK/out"; done >"$WORK/d0"
    for _ in $(seq "$RUNS"); do wall pdftotext -bbox-layout "$f" "$WORK/bbox.html"; done >"$WORK/d1"
    t=$(col 1 <"$WORK/d0" | median) tc=$(col 2 <"$WORK/d0" | median)
    p=$(col 1 <"$WORK/d1" | median) pc=$(col 2 <"$WORK/d1" | median)
    printf '  %-8s %3d pages: annex2json wall %.3f s, CPU %.2f s (%.2f ms/page)   pdftotext -bbox-layout wall %.3f s, CPU %.2f s (%.2f ms/page)   CPU ratio %.2f\n' \
      "$j" "$n" "$t" "$tc" "$(echo "$tc * 1000 / $n" | bc -l)" "$p" "$pc" "$(echo "$pc * 1000 / $n" | bc -l)" "$(echo "$tc / $pc" | bc -l)"
  done
done

#!/usr/bin/env bash
# Benchmarks for issue 5, run side by side on one synthetic archive (needs ../shared/data):
#   1. `storylint report` with --jobs 1 vs --jobs 2 (parallel speed-up, HTML output);
#   2. `storylint check` output formats: text vs sarif vs github vs junit vs html;
#   3. `check --fix` vs plain `check` (cost of fixing: passes, re-encoding, atomic writes);
#   4. peak memory of `report` (GNU time).
# Usage: tests/bench/bench_outputs.sh [COUNT]   (default 2000 stories)
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT="${1:-2000}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
python tests/bench/bench_make_archive.py "$WORK/archive" --count "$COUNT"
echo "archive: $COUNT stories, $(du -sh "$WORK/archive" | cut -f1)"

hyperfine --warmup 1 --runs 5 --ignore-failure \
  -n "report --jobs 1" "storylint report --isolated -q $WORK/archive -o $WORK/r1.html --jobs 1" \
  -n "report --jobs 2" "storylint report --isolated -q $WORK/archive -o $WORK/r2.html --jobs 2" \
  --export-markdown "$WORK/report.md"
cat "$WORK/report.md"
cmp "$WORK/r1.html" "$WORK/r2.html" && echo "jobs 1 and jobs 2 reports are byte-identical"
ls -l "$WORK/r1.html" | awk '{print "HTML report size:", $5, "bytes"}'

hyperfine --warmup 1 --runs 5 --ignore-failure \
  -n text "storylint check --isolated $WORK/archive --format text -o $WORK/o.txt" \
  -n sarif "storylint check --isolated $WORK/archive --format sarif -o $WORK/o.sarif" \
  -n github "storylint check --isolated $WORK/archive --format github -o $WORK/o.gh" \
  -n junit "storylint check --isolated $WORK/archive --format junit -o $WORK/o.xml" \
  -n html "storylint check --isolated $WORK/archive --format html -o $WORK/o.html" \
  --export-markdown "$WORK/formats.md"
cat "$WORK/formats.md"

# Fixing: each run starts from a fresh copy, so every run really fixes COUNT files.
hyperfine --runs 5 --ignore-failure \
  --prepare "rm -rf $WORK/fix && cp -r $WORK/archive $WORK/fix" \
  -n "check" "storylint check --isolated $WORK/fix -o $WORK/f.txt" \
  -n "check --fix" "storylint check --isolated --fix $WORK/fix -o $WORK/f.txt" \
  --export-markdown "$WORK/fix.md"
cat "$WORK/fix.md"
rm -rf "$WORK/fix" && cp -r "$WORK/archive" "$WORK/fix"
storylint check --isolated --fix "$WORK/fix" -o "$WORK/f1.txt" 2>&1 | tail -1 || true
before="$(cat "$WORK"/fix/*.txt | sha256sum)"
storylint check --isolated --fix "$WORK/fix" -o "$WORK/f2.txt" 2>&1 | tail -1 || true
after="$(cat "$WORK"/fix/*.txt | sha256sum)"
[ "$before" = "$after" ] && echo "second --fix run changed nothing (idempotent over $COUNT files)"

for jobs in 1 2; do
  /usr/bin/time -v storylint report --isolated -q "$WORK/archive" -o "$WORK/m.html" --jobs $jobs \
    2> "$WORK/time.txt" || true
  echo "report --jobs $jobs: $(grep -E 'Maximum resident' "$WORK/time.txt" | sed 's/^\s*//') (largest single process)"
done

#!/usr/bin/env bash
# Cold start of `storylint check` on one story, side by side with codespell on the same file.
#
#   bash tests/bench/bench_startup.sh [STORY]
#
# Needs hyperfine (Debian package) and codespell (pip install codespell) on PATH, and storylint
# installed in the active environment. Bytecode writing is switched on and warm-up runs are
# made first, so both tools start from their .pyc files, as installed tools do.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
story=${1:-$here/../shared/seeds/000_92e443b0f223b98d.txt}
[ -f "$story" ] || story=$here/fixtures/example-story.txt
for tool in hyperfine codespell storylint; do
  command -v "$tool" >/dev/null || { echo "bench_startup: $tool not found on PATH" >&2; exit 2; }
done
unset PYTHONDONTWRITEBYTECODE
echo "story: $story"
hyperfine --shell=none --warmup 5 --runs 40 --ignore-failure \
  --export-markdown "${BENCH_OUT:-/tmp}/storylint-startup.md" \
  "storylint check $story" \
  "codespell $story" \
  "python3 -c pass"

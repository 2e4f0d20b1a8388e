#!/usr/bin/env bash
# Runs the release binary over ../shared/corpus, once per analyzer, and prints per analyzer:
# files read, parse failures (the analyzer's *000 findings), findings, wall time and peak memory.
# Usage: bench/corpus.sh [CORPUS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus}"
cargo build --release --quiet
bin=target/release/cargo-backend-check
printf '%-8s %7s %14s %9s %9s %10s\n' analyzer files parse-failures findings wall-ms peak-MB
for analyzer in OAS SQL RS; do
    out=$(mktemp)
    stats=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$stats" "$bin" "$corpus" --select "$analyzer" --format json --fail-on never >"$out"
    read -r wall rss <"$stats"
    python3 - "$out" "$analyzer" "$wall" "$rss" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
analyzer, wall, rss = sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
diags = report["diagnostics"]
parse = sum(1 for d in diags if d["code"] == f"{analyzer}000")
print(f'{analyzer:<8} {report["summary"]["files"]:>7} {parse:>14} {len(diags):>9} {wall*1000:>9.0f} {rss/1024:>10.1f}')
PY
    rm -f "$out" "$stats"
done
echo
echo "all analyzers together:"
/usr/bin/time -f 'wall %e s, peak %M KB' "$bin" "$corpus" --statistics --fail-on never

#!/usr/bin/env bash
# SQL corpus figures (not a test): our analyzer in-process via the `corpus` bench, then Squawk on the
# same PostgreSQL files, in the same session, side by side.
#
# Usage: bench/sql.sh [CORPUS_SQL_DIR] [SQUAWK_BINARY]
#   CORPUS_SQL_DIR defaults to ../shared/corpus/sql; SQUAWK_BINARY defaults to `squawk` on PATH
#   (pip install squawk-cli). Environment: RUNS (default 5).
#   The PostgreSQL files are those of the sets our discovery runs on PostgreSQL itself (not
#   CockroachDB or H2); the bench writes them to a list that Squawk then reads.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(cd "${1:-../shared/corpus/sql}" && pwd)
squawk=${2:-$(command -v squawk || true)}
runs=${RUNS:-5}
list=$(mktemp)
ours=$(mktemp)
trap 'rm -f "$list" "$ours"' EXIT

cargo bench --quiet -p backend-check-sql --bench corpus -- "$corpus" --runs "$runs" --pg-files "$list" | tee "$ours"

if [[ -z "$squawk" || ! -x "$squawk" ]]; then
    echo
    echo "squawk not found (give its path as the second argument, or pip install squawk-cli); ours only."
    exit 0
fi

mapfile -t pg <"$list"
walls=()
stats=$(mktemp)
for _ in $(seq "$runs"); do
    # Squawk exits non-zero when it reports; GNU time then writes a status line first.
    /usr/bin/time -f '%e %M' -o "$stats" "$squawk" "${pg[@]}" >/dev/null 2>&1 || true
    read -r wall rss < <(tail -n 1 "$stats")
    walls+=("$wall")
done
squawk_findings=$("$squawk" --reporter gcc "${pg[@]}" 2>/dev/null | grep -c -E ':[0-9]+:[0-9]+: (warning|error)' || true)
rm -f "$stats"
squawk_best=$(printf '%s\n' "${walls[@]}" | sort -g | head -n1)
squawk_median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

ours_wall=$(grep -o 'best [^,]*, median [^;]*' "$ours")
ours_mem=$(grep -o 'VmHWM) [0-9.]* MiB' "$ours" | awk '{print $2}')
ours_findings=$(grep -o '^findings ([a-z]* rules): [0-9]* in [0-9]* files, [0-9.]* per file' "$ours")
echo
printf '%-22s %-40s %-12s %s\n' tool "wall" "peak MiB" "findings"
printf '%-22s %-40s %-12s %s\n' "cargo-backend-check" "$ours_wall (all sets, ${runs} runs)" "$ours_mem" "${ours_findings#findings }"
printf '%-22s %-40s %-12s %s\n' "squawk $("$squawk" --version 2>/dev/null | awk '{print $NF}')" "best ${squawk_best}s, median ${squawk_median}s (${#pg[@]} PostgreSQL files)" "$((rss / 1024))" "$squawk_findings on ${#pg[@]} files ($(awk -v f="$squawk_findings" -v n="${#pg[@]}" 'BEGIN {printf "%.2f", f / n}') per file)"

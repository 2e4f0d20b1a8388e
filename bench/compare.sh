#!/usr/bin/env bash
# Before/after timing of two builds of the tool: each binary runs RUNS times (default 5) on each
# target folder, alternating so that both see the same machine state, with the default selection
# and with every rule (--select ALL); prints the median wall time of each and their ratio.
# usage: bench/compare.sh BEFORE_BIN AFTER_BIN DIR...
set -euo pipefail
before=$1; after=$2; shift 2
runs=${RUNS:-5}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
wall() { # BIN DIR ARGS...: seconds of one run
    local bin=$1 dir=$2; shift 2
    local start end
    start=$(date +%s.%N)
    (cd "$dir" && "$bin" . "$@" --format json >/dev/null 2>&1) || true
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
printf '%-28s %-8s %10s %10s %7s\n' target select before_s after_s ratio
for dir in "$@"; do
    for select in default ALL; do
        args=(); [[ $select == ALL ]] && args=(--select ALL)
        a=(); b=()
        for _ in $(seq "$runs"); do
            a+=("$(wall "$before" "$dir" "${args[@]}")")
            b+=("$(wall "$after" "$dir" "${args[@]}")")
        done
        ma=$(printf '%s\n' "${a[@]}" | median); mb=$(printf '%s\n' "${b[@]}" | median)
        printf '%-28s %-8s %10.3f %10.3f %7.3f\n' "$(basename "$dir")" "$select" "$ma" "$mb" "$(echo "$mb / $ma" | bc -l)"
    done
done

#!/usr/bin/env python3
"""How many of Squawk's findings cargo-backend-check also reports (not a test).

For every Squawk finding on the PostgreSQL files of a corpus, looks for a finding of the
rule(s) that crates/backend-check-sql/PEERS.md maps it to, on the same statement (line
range) or, for Squawk's per-file rules, in the same file. Prints per Squawk rule: its
findings, how many we match, and up to N unmatched samples, so each gap can be judged.

Usage: bench/squawk-overlap.py PG_FILE_LIST [--squawk squawk] [--ours target/release/cargo-backend-check]
       [--corpus ../shared/corpus/sql] [--samples 3] [--all]
The list comes from `cargo bench -p backend-check-sql --bench corpus -- DIR --pg-files LIST`.
"""
import argparse, collections, json, re, subprocess, sys
from pathlib import Path

FILE_LEVEL = {"require-lock-timeout", "require-statement-timeout", "require-timeout-settings"}

def mapping(peers):
    rows = {}
    for line in Path(peers).read_text().splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 3 and cells[1] == "Squawk":
            rows[cells[2].strip("`")] = set(re.findall(r"SQL\d{3}", cells[3]))
    return rows

TEXTS = {}

def statement_lines(path, line, line_end):
    """1-based first and last line of the statement around Squawk's 0-based range (by `;`
    at line ends: good enough to match a per-column finding of Squawk with ours, which
    names all the columns of a table in one finding at the first one)."""
    if path not in TEXTS:
        TEXTS[path] = Path(path).read_text(errors="replace").splitlines()
    lines = TEXTS[path]
    ends = lambda i: lines[i].split("--")[0].rstrip().endswith(";")
    start = line
    while start > 0 and not ends(start - 1):
        start -= 1
    end = line_end
    while end < len(lines) - 1 and not ends(end):
        end += 1
    return start + 1, end + 1

def squawk_findings(squawk, files):
    found = []
    for i in range(0, len(files), 200):
        out = subprocess.run([squawk, "--reporter", "json", *files[i:i + 200]],
                             capture_output=True, text=True).stdout
        found.extend(json.loads(out or "[]"))
    return found

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("list")
    ap.add_argument("--squawk", default="squawk")
    ap.add_argument("--ours", default="target/release/cargo-backend-check")
    ap.add_argument("--corpus", default="../shared/corpus/sql")
    ap.add_argument("--samples", type=int, default=3)
    ap.add_argument("--all", action="store_true", help="our default-off rules too")
    a = ap.parse_args()
    files = [l for l in Path(a.list).read_text().splitlines() if l]
    rules = mapping("crates/backend-check-sql/PEERS.md")
    theirs = squawk_findings(a.squawk, files)
    report = json.loads(subprocess.run(
        [a.ours, a.corpus, *(["--select", "SQL"] if a.all else []), "--format", "json", "--fail-on", "never"],
        capture_output=True, text=True).stdout)
    ours = collections.defaultdict(list)
    for d in report["diagnostics"]:
        ours[str(Path(d["path"]).resolve())].append((d["line"], d["code"], d["message"]))
    rule_list = json.loads(subprocess.run([a.ours, "rules", "--format", "json"],
                                          capture_output=True, text=True).stdout)
    off = {r["code"] for r in rule_list if not r["enabled_by_default"]}
    per_rule = collections.defaultdict(lambda: [0, 0, [], 0])
    why = collections.Counter()
    for f in theirs:
        rule, path = f["rule_name"], str(Path(f["file"]).resolve())
        codes = rules.get(rule, set())
        first, last = f["line"] + 1, f.get("line_end", f["line"]) + 1
        start, end = statement_lines(path, f["line"], f.get("line_end", f["line"]))
        hit = any(code in codes and (rule in FILE_LEVEL or start <= line <= end)
                  for line, code, _ in ours.get(path, []))
        entry = per_rule[rule]
        entry[0] += 1
        if hit:
            entry[1] += 1
        elif codes and codes <= off and not a.all:
            why["our equivalent is off by default"] += 1
        elif re.search(r"(^|[/._])down(\.|$)", Path(path).name) or Path(path).name == "down.sql":
            why["in a down script (we do not lint rollbacks for locks or drops)"] += 1
        else:
            why["other (see the samples)"] += 1
            entry[3] += 1
            if len(entry[2]) < a.samples:
                entry[2].append(f"{path}:{first}")
    total = sum(e[0] for e in per_rule.values())
    matched = sum(e[1] for e in per_rule.values())
    print(f"{'squawk rule':<45} {'ours':<18} {'squawk':>7} {'matched':>8} {'other':>6}")
    for rule, (n, hit, samples, other) in sorted(per_rule.items(), key=lambda kv: -kv[1][0]):
        print(f"{rule:<45} {','.join(sorted(rules.get(rule, []))) or '-':<18} {n:>7} {hit:>8} {other:>6}")
        for s in samples:
            print(f"    unmatched: {s}")
    print(f"total: {matched} of {total} Squawk findings matched ({100 * matched / max(total, 1):.1f}%)")
    for reason, n in why.most_common():
        print(f"unmatched, {reason}: {n}")

if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Acceptance of sampled findings, from the precision ledger.

Reads every `precision/*.tsv` ledger (columns: repository, commit, path, line,
code, verdict, reason, tool; verdict true|debatable|false; tool base|final|gone;
`gone` rows, findings an earlier final run printed that a default run no
longer lists, are kept for the record and not scored) and
prints, for the `final` rows and then for the `base` rows:

- acceptance per rule: true / all sampled (debatable is not accepted);
- acceptance per group and per analyzer (OAS, SQL, RS) of the default
  selection: for `final` rows the rules of the default groups today, for
  `base` rows the rules that were on by default at commit 3b914bd
  (`precision/base-rules.tsv`);
- every rule added since the base (`new, on` / `new, off`, such as RS030, the name-based half
  of the old RS006), and every rule that moved from on-by-default at the base to an opt-in group, or
  from off to on, with its base and final acceptance.

Exits 1 when an analyzer's final default acceptance is below 90% (so it can
be a check), 2 on a malformed ledger; 0 otherwise, also with no ledger yet.

Usage: precision/score.py [--rules RULES.json] [--ledger DIR] [--base-rules TSV]
       [--threshold 0.9]
The rules come from `cargo run --release -q -- rules --format json` unless
`--rules` names a saved copy.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
HEADER = ["repository", "commit", "path", "line", "code", "verdict", "reason", "tool"]
VERDICTS = ("true", "debatable", "false")
TOOLS = ("final", "base", "gone")
ANALYZERS = ("OAS", "SQL", "RS")
GROUP_ORDER = ("correctness", "suspicious", "pedantic", "nursery")


class LedgerError(Exception):
    """A ledger that does not follow the format."""


def analyzer(code):
    for prefix in ANALYZERS:
        if code.startswith(prefix):
            return prefix
    return "other"


def load_rules(path):
    """`code -> {"group", "default"}` from `rules --format json`."""
    if path:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    else:
        text = subprocess.run(
            ["cargo", "run", "--release", "-q", "--", "rules", "--format", "json"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    rules = {}
    for rule in json.loads(text):
        rules[rule["code"]] = {
            "group": rule.get("group", "?"),
            "default": bool(rule["enabled_by_default"]),
        }
    return rules


def load_base_rules(path):
    """`code -> default_enabled` at the base commit."""
    base = {}
    if not os.path.exists(path):
        return base
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            base[row["code"]] = row["default_enabled"] == "true"
    return base


def load_ledger(directory):
    """Every row of every ledger TSV in `directory` (base-rules.tsv excluded)."""
    rows = []
    names = sorted(
        n for n in os.listdir(directory) if n.endswith(".tsv") and n != "base-rules.tsv"
    )
    for name in names:
        path = os.path.join(directory, name)
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader, None)
            if header != HEADER:
                raise LedgerError(f"{path}: header must be {' '.join(HEADER)}, not {header}")
            for number, fields in enumerate(reader, start=2):
                if not fields or all(not x.strip() for x in fields):
                    continue
                if len(fields) != len(HEADER):
                    raise LedgerError(f"{path}:{number}: {len(fields)} columns, not {len(HEADER)}")
                row = dict(zip(HEADER, (x.strip() for x in fields)))
                if row["verdict"] not in VERDICTS:
                    raise LedgerError(f"{path}:{number}: verdict `{row['verdict']}` is not one of {VERDICTS}")
                if row["tool"] not in TOOLS:
                    raise LedgerError(f"{path}:{number}: tool `{row['tool']}` is not one of {TOOLS}")
                row["file"] = name
                rows.append(row)
    return rows, names


class Tally:
    """Verdict counts."""

    def __init__(self):
        self.counts = dict.fromkeys(VERDICTS, 0)

    def add(self, verdict):
        self.counts[verdict] += 1

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def acceptance(self):
        return self.counts["true"] / self.total if self.total else None

    def cells(self):
        c = self.counts
        return [str(self.total), str(c["true"]), str(c["debatable"]), str(c["false"]), percent(self.acceptance)]


def percent(value):
    return "n/a" if value is None else f"{100 * value:.0f}%"


def table(title, header, rows):
    print(f"\n{title}\n")
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)] if rows else [len(h) for h in header]
    for line in [header] + rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip())
    if not rows:
        print("(no samples)")


def per_rule(rows, tool):
    tallies = defaultdict(Tally)
    for row in rows:
        if row["tool"] == tool:
            tallies[row["code"]].add(row["verdict"])
    return tallies


def report(rows, rules, base_default, tool, threshold):
    """Prints the tables for one tool; returns the analyzers below `threshold`."""
    tallies = per_rule(rows, tool)

    def is_default(code):
        if tool == "base":
            return base_default.get(code, False)
        return rules.get(code, {}).get("default", False)

    def group(code):
        return rules.get(code, {}).get("group", "unknown")

    verb = "on by default at the base (3b914bd)" if tool == "base" else "in a default group"
    table(
        f"== tool={tool}: acceptance per rule (default = {verb})",
        ["code", "group", "default", "sampled", "true", "debatable", "false", "accepted"],
        [
            [code, group(code), "yes" if is_default(code) else "no"] + t.cells()
            for code, t in sorted(tallies.items())
        ],
    )
    by_group = defaultdict(Tally)
    every_group = defaultdict(Tally)
    by_analyzer = defaultdict(Tally)
    for code, t in tallies.items():
        for verdict, n in t.counts.items():
            for _ in range(n):
                every_group[group(code)].add(verdict)
                if is_default(code):
                    by_group[group(code)].add(verdict)
                    by_analyzer[analyzer(code)].add(verdict)

    def ordered(tallied):
        return [g for g in GROUP_ORDER if g in tallied] + sorted(set(tallied) - set(GROUP_ORDER))

    table(
        f"== tool={tool}: default selection, per group (today's groups)",
        ["group", "sampled", "true", "debatable", "false", "accepted"],
        [[g] + by_group[g].cells() for g in ordered(by_group)],
    )
    table(
        f"== tool={tool}: every sampled rule, per group (opt-in groups too)",
        ["group", "sampled", "true", "debatable", "false", "accepted"],
        [[g] + every_group[g].cells() for g in ordered(every_group)],
    )
    table(
        f"== tool={tool}: default selection, per analyzer",
        ["analyzer", "sampled", "true", "debatable", "false", "accepted", f">= {percent(threshold)}"],
        [
            [a] + by_analyzer[a].cells() + [
                "n/a" if by_analyzer[a].acceptance is None
                else ("yes" if by_analyzer[a].acceptance >= threshold else "NO")
            ]
            for a in ANALYZERS
        ],
    )
    return [
        a for a in ANALYZERS
        if by_analyzer[a].acceptance is not None and by_analyzer[a].acceptance < threshold
    ]


def moved(rows, rules, base_default):
    """Rules whose on-by-default status changed since the base."""
    base_tallies = per_rule(rows, "base")
    final_tallies = per_rule(rows, "final")
    lines = []
    for code in sorted(set(rules) | set(base_default)):
        before = base_default.get(code)
        after = rules.get(code, {}).get("default")
        if after is None or before == after:
            continue
        b, f = base_tallies.get(code, Tally()), final_tallies.get(code, Tally())
        if before is None:
            status = "new, on" if after else "new, off"
        else:
            status = "on -> off" if before else "off -> on"
        lines.append([
            code,
            status,
            rules[code]["group"],
            f"{b.counts['true']}/{b.total}",
            percent(b.acceptance),
            f"{f.counts['true']}/{f.total}",
            percent(f.acceptance),
        ])
    table(
        "== rules that moved since the base (3b914bd), with base and final acceptance",
        ["code", "default", "group now", "base true/sampled", "base", "final true/sampled", "final"],
        lines,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", help="a saved `rules --format json` (default: run cargo)")
    parser.add_argument("--ledger", default=HERE, help="the folder of ledger TSVs (default: precision/)")
    parser.add_argument("--base-rules", default=os.path.join(HERE, "base-rules.tsv"))
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args(argv)

    try:
        rows, files = load_ledger(args.ledger)
    except LedgerError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    rules = load_rules(args.rules)
    base_default = load_base_rules(args.base_rules)
    unknown = sorted({r["code"] for r in rows} - set(rules))
    print(f"{len(rows)} sampled findings in {len(files)} ledger files "
          f"({sum(r['tool'] == 'final' for r in rows)} final, {sum(r['tool'] == 'base' for r in rows)} base, "
          f"{sum(r['tool'] == 'gone' for r in rows)} gone); "
          f"{len({r['repository'] for r in rows})} projects")
    if unknown:
        print(f"warning: codes that are no rule: {', '.join(unknown)}")
    below = report(rows, rules, base_default, "final", args.threshold)
    report(rows, rules, base_default, "base", args.threshold)
    moved(rows, rules, base_default)
    if below:
        print(f"\nFAIL: final default acceptance below {percent(args.threshold)} for {', '.join(below)}")
        return 1
    print(f"\nOK: no analyzer's final default acceptance is below {percent(args.threshold)}"
          + ("" if rows else " (no samples yet)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

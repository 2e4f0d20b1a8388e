#!/usr/bin/env python3
"""Tests of score.py on the made-up ledger in testdata/ (not real verdicts)."""

import contextlib
import io
import os
import tempfile
import unittest

import score

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "testdata")
ARGS = ["--rules", os.path.join(DATA, "rules.json"), "--base-rules", os.path.join(DATA, "base-rules.tsv")]


def run(args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = score.main(args)
    return code, out.getvalue()


class ScoreTest(unittest.TestCase):
    def test_sample_ledger(self):
        code, out = run(ARGS + ["--ledger", DATA])
        self.assertEqual(code, 1, out)
        self.assertIn("FAIL: final default acceptance below 90% for SQL", out)
        self.assertRegex(out, r"SQL\s+3\s+2\s+0\s+1\s+67%\s+NO")
        self.assertRegex(out, r"OAS\s+2\s+2\s+0\s+0\s+100%\s+yes")
        self.assertRegex(out, r"OAS060\s+on -> off\s+pedantic\s+0/1\s+0%\s+0/1\s+0%")
        self.assertRegex(out, r"SQL030\s+off -> on\s+suspicious\s+0/0\s+n/a\s+1/1\s+100%")
        self.assertEqual(run(ARGS + ["--ledger", DATA, "--threshold", "0.6"])[0], 0)

    def test_no_ledger_yet(self):
        with tempfile.TemporaryDirectory() as empty:
            code, out = run(ARGS + ["--ledger", empty])
        self.assertEqual(code, 0, out)
        self.assertIn("no samples yet", out)

    def test_malformed_ledger(self):
        with tempfile.TemporaryDirectory() as bad:
            with open(os.path.join(bad, "x__y.tsv"), "w", encoding="utf-8") as f:
                f.write("\t".join(score.HEADER) + "\n")
                f.write("x/y\t0\tp\t1\tOAS001\tmaybe\tr\tfinal\n")
            code, out = run(ARGS + ["--ledger", bad])
        self.assertEqual(code, 2, out)
        self.assertIn("verdict `maybe`", out)


if __name__ == "__main__":
    unittest.main()

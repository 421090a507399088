"""Tests of run.py's scoring on labels and findings written here (python3 -m unittest)."""

import unittest

import run


class ScoringTest(unittest.TestCase):
    def test_file_unit_and_lines(self):
        labels = [
            {"path": "a", "label": "pos", "group": "g1", "kind": "k", "lines": [3, (10, 12)]},
            {"path": "b", "label": "pos", "group": "g2", "kind": "k"},
            {"path": "c", "label": "neg", "group": "g3", "kind": "bad"},
            {"path": "d", "label": "neg", "group": "g3", "kind": "bad"},
        ]
        hits = {"a": [(12, 14, "r1")], "c": [(1, 1, "r2"), (2, 2, "r3")]}
        s = run.score_labelled(labels, hits)
        self.assertEqual((s["pos"], s["found"], s["neg"], s["fp"]), (2, 1, 2, 1))
        # line 3 is not covered, the range 10..12 meets the finding 12..14
        self.assertEqual((s["lines"], s["lines_found"]), (2, 1))
        self.assertEqual(s["miss_group"], {"g2": 1})
        self.assertEqual(s["fp_rule"], {"r2": 1, "r3": 1})
        self.assertEqual(s["fp_kind"], {"bad": 1})

    def test_norm(self):
        self.assertEqual(run.norm("./././x/y"), "x/y")


if __name__ == "__main__":
    unittest.main()

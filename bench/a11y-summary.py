"""Counts a11y-check failures by kind for the original pages and each transformed variant."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "scripts"))
from importlib import import_module  # noqa: E402

category = import_module("a11y-verdict").category


def rows(report, variant_of):
    table = {}
    for page in report["pages"]:
        variant = variant_of(os.path.basename(page["input"]))
        row = table.setdefault(variant, {"pages": 0, "pass": 0, "contrast": 0, "reflow": 0, "resize": 0, "other": 0})
        row["pages"] += 1
        row["pass"] += page["status"] == "pass"
        for failure in page["failures"]:
            row[category(failure)] += 1
    return table


def main():
    original = rows(json.load(open(sys.argv[1])), lambda name: "original")
    transformed = rows(json.load(open(sys.argv[2])), lambda name: name.rsplit(".", 2)[-2])
    print(f"{'pages':28} {'n':>3} {'pass':>5} {'contrast':>9} {'reflow':>7} {'resize':>7} {'other axe':>10}")
    for name, row in list(original.items()) + sorted(transformed.items()):
        print(f"{name:28} {row['pages']:3} {row['pass']:5} {row['contrast']:9} {row['reflow']:7} {row['resize']:7} "
              f"{row['other']:10}")
    print("(failure lines of a11y-check; 'other axe' are rules outside contrast, reflow and resize, e.g. target size)")


if __name__ == "__main__":
    main()

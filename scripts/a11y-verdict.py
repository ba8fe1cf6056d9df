"""Sorts a11y-check failures of transformed pages into what the transform answers for and what it does not."""
import json
import os
import sys


def category(failure):
    if failure.startswith("reflow320:"):
        return "reflow"
    if failure.startswith("text200:"):
        return "resize"
    if failure.startswith("contrast") or failure.startswith("axe color-contrast") or failure.startswith("focus") \
            or failure.startswith("control"):
        return "contrast"
    return "other"


def main():
    report = json.load(open(sys.argv[1]))
    bad = 0
    counts = {"contrast": 0, "reflow": 0, "resize": 0, "other": 0}
    for page in report["pages"]:
        name = os.path.basename(page["input"])
        claims = {"reflow", "resize"} | ({"contrast"} if ".contrast-" in name else set())
        if page["status"] == "error":
            print(f"ERROR {name}")
            bad += 1
            continue
        for failure in page["failures"]:
            c = category(failure)
            counts[c] += 1
            if c in claims:
                bad += 1
                print(f"FAIL  {name}: {failure[:200]}")
            else:
                print(f"note  {name}: {failure[:160]}")
    print(f"a11y-transformed: {len(report['pages'])} transformed pages; failures the transforms answer for: {bad} "
          f"(contrast {counts['contrast']}, reflow {counts['reflow']}, resize {counts['resize']} across variants; "
          f"other axe findings of the pages: {counts['other']})")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

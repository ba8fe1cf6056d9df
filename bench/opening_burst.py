#!/usr/bin/env python3
"""bench/opening_burst.py QARI_A QARI_B [ROUNDS]: click → 'playing' of readings not in the cache, a script's click
(nothing made ready before the press), for two builds in one run, rounds alternating between them so the shared
machine's noise falls on both. Used to decide whether the Ogg's richer opening still pays (build one without it).
"""
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(__file__))
os.environ.setdefault("WIDGET_OUT", ".build/bench")
os.makedirs(".build/bench", exist_ok=True)
from widget import click_to_playing  # noqa: E402
from widget_test import Daemon  # noqa: E402


def main():
    builds = sys.argv[1:3]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    daemons = [Daemon(q) for q in builds]
    for d in daemons:
        d.start()
    times = {q: [] for q in builds}
    try:
        for _ in range(rounds):
            for q, d in zip(builds, daemons):
                times[q] += click_to_playing(d, "sample-fr.html", 1, vary=True)
    finally:
        for d in daemons:
            d.stop()
    for q in builds:
        t = sorted(times[q])
        print(f"{q:45} click -> playing, not cached: median {statistics.median(t):6.1f} ms, "
              f"p90 {t[int(len(t) * 0.9)]:6.1f} ms ({len(t)} rounds)")


if __name__ == "__main__":
    main()

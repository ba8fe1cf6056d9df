"""Compares Qari's extracted texts (OUT/qari/NAME.txt or .err) with trafilatura's on the same pages."""

import collections
import pathlib
import re
import sys
import time

import trafilatura

WORD = re.compile(r"\w+", re.UNICODE)


def words(text):
    return [w.lower() for w in WORD.findall(text or "") if not w.isdigit() or len(w) > 1]


def f1(a, b):
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    common = sum((collections.Counter(a) & collections.Counter(b)).values())
    if common == 0:
        return 0.0
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r)


def only(a, b, n=18):
    """The words of a that b lacks, in a's order, as a short excerpt."""
    missing = collections.Counter(a) - collections.Counter(b)
    out = []
    for w in a:
        if missing[w] > 0:
            out.append(w)
            missing[w] -= 1
    return len(out), " ".join(out[:n])


def main():
    pages_dir, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    rows = []
    peer_time = 0.0
    for page in sorted(pages_dir.glob("*.html")):
        raw = page.read_bytes()
        t0 = time.perf_counter()
        theirs = trafilatura.extract(raw, include_comments=False, include_tables=True, favor_recall=False) or ""
        peer_time += time.perf_counter() - t0
        txt, err = out / "qari" / (page.stem + ".txt"), out / "qari" / (page.stem + ".err")
        ours = txt.read_text() if txt.exists() else ""
        error = err.read_text() if err.exists() else ""
        a, b = words(ours), words(theirs)
        rows.append((page.stem, f1(a, b), a, b, error))
    n = len(rows)
    mean = sum(r[1] for r in rows) / n if n else 0
    print(f"pages: {n}   trafilatura {trafilatura.__version__}: {peer_time / max(n, 1) * 1000:.0f} ms a page")
    print(f"mean F1 by words, Qari vs trafilatura: {mean:.3f}")
    print(f"median: {sorted(r[1] for r in rows)[n // 2]:.3f}   pages >= 0.9: {sum(r[1] >= 0.9 for r in rows)}"
          f"   pages < 0.7: {sum(r[1] < 0.7 for r in rows)}")
    empty_ours = [r for r in rows if not r[2] and r[3]]
    empty_theirs = [r for r in rows if r[2] and not r[3]]
    print(f"Qari empty where trafilatura reads: {len(empty_ours)}"
          + "".join(f"\n  {r[0]}: {r[4] or 'no passages'} (trafilatura: {len(r[3])} words)" for r in empty_ours))
    print(f"trafilatura empty where Qari reads: {len(empty_theirs)}"
          + "".join(f"\n  {r[0]} (Qari: {len(r[2])} words)" for r in empty_theirs))
    print("\npages where the two differ by more than 0.3 (worst first): words only Qari read / only trafilatura read")
    for name, score, a, b, error in sorted(rows, key=lambda r: r[1]):
        if score >= 0.7:
            break
        na, ea = only(a, b)
        nb, eb = only(b, a)
        print(f"{score:.2f}  {name}  (Qari {len(a)} words, trafilatura {len(b)})")
        print(f"      only Qari ({na}): {ea}")
        print(f"      only trafilatura ({nb}): {eb}")
        if error:
            print(f"      Qari: {error}")


main()

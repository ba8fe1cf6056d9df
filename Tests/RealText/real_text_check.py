#!/usr/bin/env python3
"""Real text through the voices: every text under samples/texts/ (voice from its name: ar_…, fr_…) and every
passage of samples/pages/ (and of ../shared/corpus/ when it is there) goes through `qari phonemes`, in eSpeak's
mnemonics and in IPA. No voice may switch to English ("(en)") and no IPA may hold a digit (a number not read).

Usage: real_text_check.py [QARI]   Prints one line per failing text and 'real-text: N passed, N failed'.
"""
import collections
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

QARI = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/qari"


def phonemes(voice, lines, ipa):
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        path = f.name
    try:
        run = subprocess.run([QARI, "phonemes", "--voice", voice, "--file", path] + (["--ipa"] if ipa else []),
                             capture_output=True, text=True)
    finally:
        os.unlink(path)
    if run.returncode != 0:
        return None, run.stderr.strip()
    return run.stdout, ""


def faults(voice, lines):
    """What is wrong with the voice's output for these lines, if anything."""
    found = []
    mnemonics, error = phonemes(voice, lines, ipa=False)
    if mnemonics is None:
        return [f"qari phonemes failed: {error}"]
    if "(en)" in mnemonics:
        found.append("switches to English: " + " ".join(w for w in mnemonics.split() if "(en)" in w)[:200])
    ipa, error = phonemes(voice, lines, ipa=True)
    if ipa is None:
        return found + [f"qari phonemes --ipa failed: {error}"]
    digits = re.findall(r"\S*\d\S*", ipa)
    if digits:
        found.append("digits in the IPA: " + " ".join(digits[:5]))
    return found


def main():
    texts = collections.defaultdict(list)  # voice -> [(source, line)]
    for path in sorted(glob.glob("samples/texts/*.txt")):
        voice = os.path.basename(path).split("_")[0]
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    texts[voice].append((f"{path}:{n}", line.strip()))
    pages = sorted(glob.glob("samples/pages/*.html"))
    if os.path.isdir("../shared/corpus"):
        pages += sorted(glob.glob("../shared/corpus/*.html"))
    else:
        print("real-text: ../shared is absent: only the project's samples are read")
    for page in pages:
        run = subprocess.run([QARI, "read", "--extract-only", "--json", page], capture_output=True, text=True)
        if run.returncode != 0:
            continue  # a page with nothing to read is the extraction tests' business
        for n, passage in enumerate(json.loads(run.stdout)["passages"]):
            text = " ".join(passage["text"].split())
            if text:
                texts[passage["lang"]].append((f"{page} passage {n}", text))
    passed = failed = 0
    for voice, items in sorted(texts.items()):
        if not faults(voice, [t for _, t in items]):
            passed += len(items)
            continue
        # Something is wrong: find the texts, one by one.
        for source, text in items:
            problems = faults(voice, [text])
            if problems:
                failed += 1
                print(f"FAIL {voice} {source}: {text[:120]}")
                for p in problems:
                    print(f"     {p}")
            else:
                passed += 1
    print(f"real-text: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

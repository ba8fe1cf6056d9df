"""Runs NeMo-text-processing's French and Arabic normalization cases through `qari normalize` and compares words.

Spelling is folded before comparing: Arabic vowel marks and tatweel, alef forms, مائة/مئة and spaces; French case,
accents, hyphens and spaces. A miss that is one of the named conventions below is a conflict, not a failure:
Qari keeps the Moroccan reading and says why.
"""
import collections
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

CASES = "tests/nemo_text_processing/{lang}/data_text_normalization"


def read_cases(peer, lang):
    """{class: [(written, spoken)]} from a checkout or a git directory."""
    folder = CASES.format(lang=lang)
    files = {}
    if os.path.isdir(os.path.join(peer, folder)):
        for name in sorted(os.listdir(os.path.join(peer, folder))):
            with open(os.path.join(peer, folder, name), encoding="utf-8") as f:
                files[name] = f.read()
    else:
        names = subprocess.run(["git", "--git-dir", peer, "ls-tree", "--name-only", "HEAD", folder + "/"],
                               check=True, capture_output=True, text=True).stdout.split()
        for path in names:
            files[os.path.basename(path)] = subprocess.run(
                ["git", "--git-dir", peer, "show", "HEAD:" + path], check=True, capture_output=True,
                text=True).stdout
    if not files:
        sys.exit(f"normalize-peer: no cases under {folder} in {peer}")
    cases = collections.defaultdict(list)
    for name, text in files.items():
        kind = re.sub(r"^test_cases_|\.txt$", "", name)
        for line in text.splitlines():
            if "~" not in line:
                continue
            left, right = line.split("~", 1)
            # Most files are written~spoken; the Arabic fractions are spoken~written.
            if re.search(r"[\u0600-\u06FF]", left) and re.search(r"\d", right) and not re.search(r"\d", left):
                left, right = right, left
            cases[kind].append((left, right))
    return cases


def fold(text, lang):
    if lang == "ar":
        text = re.sub(r"[\u064B-\u0652\u0670\u0640]", "", text)
        text = re.sub(r"[أإآٱ]", "ا", text)
        text = text.replace("مائة", "مئة").replace("مائت", "مئت")
        return re.sub(r"\s+", "", text)
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.replace("-", " ").split())


# Where NeMo's convention is not how Moroccan service text is read: (language, class, test, reason).
CONFLICTS = [
    ("ar", "decimal", lambda w, s: "من" in s and re.search(r"\d[.,]\d", w),
     "decimals are read with فاصلة as Moroccan administrations say them (2 فاصلة 5), not as 'من مئة'; "
     "a comma or dot before exactly three digits groups thousands (658,888 is 658888)"),
    ("ar", "measure", lambda w, s: "من" in s and re.search(r"\d[.,]\d", w),
     "a decimal percentage is read with فاصلة, as above"),
    ("ar", "measure", lambda w, s: re.fullmatch(r"f\d+", w),
     "'f9' is not how Fahrenheit is written; Qari reads 9 °F as تسعة درجة فهرنهايت"),
    ("ar", "money", lambda w, s: re.search(r"\.\d{3}$", w),
     "a dot before exactly three digits groups thousands in Moroccan text: $20.500 is twenty thousand five hundred"),
    ("ar", "money", lambda w, s: w.lower().startswith("aed"),
     "the hundredth of the UAE dirham is the fils, not a 'twenty' after the dirham: AED 1.2 is read "
     "واحد فاصلة اثنان درهم إماراتي"),
    ("fr", "decimal", lambda w, s: re.search(r",\d{4,}", w),
     "the decimal part is read as one number (vingt-quatre virgule mille trois cent treize), as French speakers "
     "and eSpeak say it, not in pairs"),
    ("fr", "whitelist", lambda w, s: w.startswith("Mˡˡᵉˢ"),
     "the plural of mademoiselle is mesdemoiselles"),
    ("fr", "date", lambda w, s: re.search(r"\d0s\b", w),
     "the French voice never reads English: les 80s is les années quatre-vingt"),
]


def conflict(lang, kind, written, spoken):
    for l, k, test, reason in CONFLICTS:
        if l == lang and k == kind and test(written, spoken):
            return reason
    return None


def normalize(qari, lang, texts):
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write("\n".join(texts) + "\n")
        path = f.name
    try:
        out = subprocess.run([qari, "normalize", "--voice", lang, "--lexicon", "none", "--file", path],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    lines = out.split("\n")[:len(texts)]
    if len(lines) != len(texts):
        sys.exit(f"normalize-peer: {len(texts)} lines in, {len(lines)} out")
    return lines


def main():
    qari, peer = sys.argv[1], sys.argv[2]
    totals = {}
    misses, conflicts = [], []
    for lang in ("fr", "ar"):
        cases = read_cases(peer, lang)
        for kind in sorted(cases):
            pairs = cases[kind]
            got = normalize(qari, lang, [w for w, _ in pairs])
            passed = conflicted = 0
            for (written, spoken), ours in zip(pairs, got):
                if fold(ours, lang) == fold(spoken, lang):
                    passed += 1
                    continue
                reason = conflict(lang, kind, written, spoken)
                if reason:
                    conflicted += 1
                    conflicts.append((lang, kind, written, spoken, ours, reason))
                else:
                    misses.append((lang, kind, written, spoken, ours))
            totals[(lang, kind)] = (passed, conflicted, len(pairs))
    print(f"{'lang':4} {'class':10} {'pass':>5} {'conflict':>8} {'miss':>5} {'cases':>5}")
    for lang in ("fr", "ar"):
        p = c = n = 0
        for (l, kind), (passed, conflicted, count) in sorted(totals.items()):
            if l != lang:
                continue
            print(f"{lang:4} {kind:10} {passed:5} {conflicted:8} {count - passed - conflicted:5} {count:5}")
            p, c, n = p + passed, c + conflicted, n + count
        print(f"{lang:4} {'all':10} {p:5} {c:8} {n - p - c:5} {n:5}   ({p}/{n} pass)")
    print(f"\nmisses ({len(misses)}):")
    for lang, kind, written, spoken, ours in misses:
        print(f"  {lang} {kind:9} {written!r}\n      peer: {spoken}\n      qari: {ours}")
    print(f"\nconflicts ({len(conflicts)}), Qari keeps the Moroccan reading:")
    reasons = collections.defaultdict(list)
    for lang, kind, written, spoken, ours, reason in conflicts:
        reasons[reason].append((lang, written, ours))
    for reason, items in reasons.items():
        print(f"  {len(items)} × {reason}")
        for lang, written, ours in items[:3]:
            print(f"      {lang} {written!r} → {ours}")
    print(f"\nnormalize-peer: {sum(t[0] for t in totals.values())} passed, {len(misses)} failed, "
          f"{len(conflicts)} conflicts")


if __name__ == "__main__":
    main()

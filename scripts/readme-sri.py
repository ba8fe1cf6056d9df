#!/usr/bin/env python3
"""Writes `make sri`'s hashes of the reader button's files into the README (the tag and the release line)."""
import re
import subprocess

hashes = dict(line.split(" ", 1) for line in subprocess.run(
    ["make", "-s", "sri"], check=True, capture_output=True, text=True).stdout.split("\n") if line)
readme = open("README.md", encoding="utf-8").read()
readme = re.sub(r'(integrity=")sha384-[A-Za-z0-9+/=]+(")', lambda m: m[1] + hashes["qari.js"] + m[2], readme)
for name in ("qari.js", "qari.css"):
    readme = re.sub(rf"(`{re.escape(name)}` )sha384-[A-Za-z0-9+/=]+", lambda m: m[1] + hashes[name], readme)
open("README.md", "w", encoding="utf-8").write(readme)

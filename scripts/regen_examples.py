#!/usr/bin/env python3
"""Re-run every `$ modelpick ...` block of a Markdown file and replace its output.

A block is a fenced code block whose first line starts with "$ modelpick"; its output runs to
"(exit N)" or the end of the block. The binary is build/release/src/modelpick unless
MODELPICK is set. Usage: scripts/regen_examples.py docs/examples.md
"""
import os
import re
import subprocess
import sys

binary = os.environ.get("MODELPICK", "build/release/src/modelpick")
path = sys.argv[1]
lines = open(path, encoding="utf-8").read().split("\n")
out = []
i = 0
while i < len(lines):
    line = lines[i]
    out.append(line)
    if line.startswith("$ modelpick") and i > 0 and lines[i - 1].startswith("```"):
        command = line[2:].replace("modelpick", binary, 1)
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        result = subprocess.run(command, shell=True, capture_output=True, text=True,
                                env=dict(os.environ, MODELPICK_TODAY=os.environ.get("MODELPICK_TODAY", "2026-12-02")))
        text = result.stdout.rstrip("\n")
        if text:
            out.extend(text.split("\n"))
        if result.stderr.strip():
            out.extend(result.stderr.rstrip("\n").split("\n"))
        out.append(f"(exit {result.returncode})")
        i = j
        continue
    i += 1
open(path, "w", encoding="utf-8").write("\n".join(out))

#!/usr/bin/env python3
"""Regenerates the text-cleaning tables of the CLIP tokenizer from Python's standard library, the reference
that CLIP's own tokenizer runs on: the HTML5 named character references (html.entities.html5) and the
canonical decomposition / composition data behind NFC (unicodedata).

    python3 scripts/unicode-tables.py src/Vireo/Models/Tokenization/Data
"""
import html.entities
import os
import sys
import unicodedata

out = sys.argv[1] if len(sys.argv) > 1 else "src/Vireo/Models/Tokenization/Data"

with open(os.path.join(out, "html5-entities.txt"), "w", encoding="ascii", newline="\n") as f:
    f.write("# HTML5 named character references (name, code points in hex); from Python's html.entities.html5\n")
    for name in sorted(html.entities.html5):
        value = html.entities.html5[name]
        f.write(name + "\t" + " ".join("%X" % ord(c) for c in value) + "\n")

with open(os.path.join(out, "nfc.txt"), "w", encoding="ascii", newline="\n") as f:
    f.write("# Unicode %s canonical data for NFC, from Python's unicodedata\n" % unicodedata.unidata_version)
    f.write("# D cp: one-level canonical decomposition; C cp ccc: non-zero canonical combining class;\n")
    f.write("# P first second composite: the primary composites (pairs NFC recomposes)\n")
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF or 0xAC00 <= cp <= 0xD7A3:
            continue  # surrogates; Hangul syllables are algorithmic
        c = chr(cp)
        d = unicodedata.decomposition(c)
        if d and not d.startswith("<"):
            parts = d.split()
            f.write("D %X %s\n" % (cp, " ".join(parts)))
            if len(parts) == 2 and unicodedata.normalize("NFC", chr(int(parts[0], 16)) + chr(int(parts[1], 16))) == c:
                f.write("P %s %s %X\n" % (parts[0], parts[1], cp))
        ccc = unicodedata.combining(c)
        if ccc:
            f.write("C %X %d\n" % (cp, ccc))

from __future__ import annotations
import re, json
SH = "/work/shared"
def dl_deck():
    lines = open(f"{SH}/notes/dl-architectures.txt").read().splitlines()
    cards = {}
    for i, l in enumerate(lines):
        m = re.match(r"^(\d+)\. (.*)$", l)
        if m:
            cards[int(m.group(1))] = (m.group(2), lines[i + 1].strip())
    return cards
def stats_deck():
    text = open(f"{SH}/eval/stats-notes.md").read()
    cards = {}
    parts = re.split(r"^### (.*)$", text, flags=re.M)
    for n, (q, body) in enumerate(zip(parts[1::2], parts[2::2]), 1):
        body = re.split(r"^## ", body, flags=re.M)[0].strip()
        cards[n] = (q.strip(), body)
    return cards
def rows(name):
    return [json.loads(l) for l in open(f"{SH}/eval/{name}")]

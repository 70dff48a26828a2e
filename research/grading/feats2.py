"""Research: signals via coach.signals on dev/stats-dev, saved for calibration fitting."""
from __future__ import annotations
import json, sys, dataclasses
sys.path.insert(0, "/work/main"); sys.path.insert(0, "/work/main/research/grading")
from decks import dl_deck, stats_deck, rows
from embcache import CachedEmbedder
from coach.cleaning import clean_answer
from coach.signals import build_references, compute_signals
emb = CachedEmbedder()
out = {}
for name, deck in [("dev.jsonl", dl_deck()), ("stats-dev.jsonl", stats_deck())]:
    refs = build_references([(str(k), q, a) for k, (q, a) in deck.items()], emb)
    by = {r.card_id: r for r in refs}
    res = []
    for r in rows(name):
        c = clean_answer(r["answer"])
        d = dict(id=r["id"], score=r["score"], kind=r["kind"], non=c.is_non_answer, inj=c.is_injection)
        if c.text and not c.is_non_answer:
            s = compute_signals(c.text, by[str(r["card"])], emb, refs)
            d.update(dataclasses.asdict(s))
        res.append(d)
    out[name] = res
emb.save()
json.dump(out, open("/work/main/research/grading/feats2.json", "w"))

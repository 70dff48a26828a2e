"""Research: compute per-row signals on dev/stats-dev; cache embeddings."""
from __future__ import annotations
import re, sys, json
import numpy as np
from scipy.stats import spearmanr
from decks import dl_deck, stats_deck, rows
from keypoints import split_key_points
from cleaning import clean_answer
from textnorm import plain_text
from embcache import CachedEmbedder

def answer_units(text: str) -> list[str]:
    sents = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.split()) >= 1]
    units = list(sents)
    for s in sents:  # clauses of long sentences
        parts = [p.strip() for p in re.split(r"[;,—–]|\s-\s|\bbut\b|\bwhich\b|\bso\b", s) if len(p.split()) >= 3]
        if len(parts) > 1:
            units += parts
    units += [a + " " + b for a, b in zip(sents, sents[1:])]
    return list(dict.fromkeys(u for u in units if u))

def build_refs(deck, emb):
    refs = {}
    for cid, (q, a) in deck.items():
        kps = [plain_text(k) for k in split_key_points(a)]
        refs[cid] = dict(q=q, ref=plain_text(a), kps=kps,
                         ref_v=emb.embed([plain_text(a)])[0], kp_v=emb.embed(kps), q_v=emb.embed([q])[0])
    return refs

def features(row, refs, emb):
    ref = refs[row["card"]]
    c = clean_answer(row["answer"])
    text = c.text
    units = answer_units(text) if text else []
    V = emb.embed([text] + units) if text else None
    f = dict(non=c.is_non_answer, inj=c.is_injection, nwords=len(text.split()))
    if V is None:
        return f
    whole, U = V[0], V[1:] if len(units) else V[:1]
    allv = V
    f["sim"] = float(whole @ ref["ref_v"])
    kps = allv @ ref["kp_v"].T  # (units, kps)
    f["kp_max"] = kps.max(0).tolist()
    f["qsim"] = float(whole @ ref["q_v"])
    others = [(cid, float(whole @ r["ref_v"]), float((allv @ r["kp_v"].T).max(0).mean())) for cid, r in refs.items() if cid != row["card"]]
    f["other_sim"] = max(o[1] for o in others)
    f["other_kp"] = max(o[2] for o in others)
    f["other_q"] = max(float(whole @ r["q_v"]) for cid, r in refs.items() if cid != row["card"])
    return f

if __name__ == "__main__":
    emb = CachedEmbedder()
    out = {}
    for name, deck in [("dev.jsonl", dl_deck()), ("stats-dev.jsonl", stats_deck())]:
        refs = build_refs(deck, emb)
        out[name] = [dict(features(r, refs, emb), id=r["id"], score=r["score"], kind=r["kind"], card=r["card"]) for r in rows(name)]
    emb.save()
    json.dump(out, open("feats.json", "w"))

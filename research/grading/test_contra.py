import re, collections
from decks import *
from keypoints import split_key_points
from textnorm import plain_text
from cleaning import clean_answer
from contradiction import *
def clauses(t): return [c for c in re.split(r"[;,.]\s|\bwhile\b|\bwhereas\b|\bbut\b|\band\b", t) if c.strip()]
for name, deck in [("dev.jsonl", dl_deck()), ("stats-dev.jsonl", stats_deck())]:
    cnt=collections.defaultdict(lambda:[0,0,0,0])
    for r in rows(name):
        ref=plain_text(deck[r['card']][1]); kps=[plain_text(k) for k in split_key_points(deck[r['card']][1])]
        t=clean_answer(r['answer']).text
        o=find_opposites(t, ref); n=find_wrong_numbers(t, ref); s=find_swapped_labels(clauses(t), kps)
        c=cnt[r['kind']]; c[0]+=1; c[1]+=bool(o); c[2]+=bool(n); c[3]+=bool(s)
        if (o or n or s) and r['score']>=3: print("  FP", r['kind'], r['score'], o, n, s[:1], '|', t[:120])
    print(name, {k: v for k, v in sorted(cnt.items())})

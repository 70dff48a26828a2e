import json, numpy as np
from embcache import CachedEmbedder
R=[json.loads(l) for l in open("/work/shared/benchmarks/scientsbank/scientsbank_3way.jsonl")]
R=[r for r in R if r["label"] in ("correct","contradictory")]
e=CachedEmbedder()
texts=list(dict.fromkeys([r["answer"] for r in R]+[r["reference"] for r in R]))
for i in range(0,len(texts),1000):
    e.embed(texts[i:i+1000])
e.save()
print(len(texts))

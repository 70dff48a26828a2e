import json, numpy as np
from scipy.stats import spearmanr
F = json.load(open("feats.json"))
def derive(f, lo=0.35, hi=0.65):
    if "sim" not in f: return None
    k = np.array(f["kp_max"])
    d = dict(sim=f["sim"], kpmean=k.mean(), kpmin=k.min(), kpmaxx=k.max(),
             cov=np.clip((k-lo)/(hi-lo),0,1).mean(), off=f["other_sim"]-f["sim"], offkp=f["other_kp"]-k.mean(),
             qsim=f["qsim"], offq=f["other_q"]-f["qsim"], n=np.log1p(f["nwords"]))
    return d
for name, R in F.items():
    print(name)
    D = [(derive(f), f) for f in R]
    keys = list(D[0][0].keys())
    sc = np.array([f["score"] for f in R])
    for key in keys:
        x = np.array([d[key] if d else -1 for d, f in D])
        print(f"  {key:8s} all {spearmanr(x, sc)[0]:.3f}")
    # by kind means
    for key in ["sim","cov","off","offkp"]:
        by={}
        for d,f in D:
            if d: by.setdefault(f["kind"],[]).append(d[key])
        print("  ",key, {k: round(float(np.mean(v)),2) for k,v in sorted(by.items())})

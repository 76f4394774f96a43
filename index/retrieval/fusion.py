"""Fusing the dense and lexical rankings, and keeping every document visible in comparisons.

Relative-score fusion, as llama-index's ``QueryFusionRetriever(mode="relative_score")``: min–max normalise each
retriever's scores, then weight ``dense_weight`` : 1 − ``dense_weight`` (0.3 : 0.7, scanned 0.1–0.8 on the dev
split; 0.3 gave the best MRR). Ties are broken by node id so that a ranking does not depend on hash order.
"""

from __future__ import annotations

from index.retrieval.results import Hit


def _min_max(pairs: list[tuple[str, float]]) -> dict[str, float]:
    if not pairs:
        return {}
    vals = [s for _, s in pairs]
    lo, hi = min(vals), max(vals)
    span = (hi - lo) or 1.0
    return {i: (s - lo) / span for i, s in pairs}


def fuse(dense: list[tuple[str, float]], lexical: list[tuple[str, float]], w: float) -> list[tuple[str, float]]:
    """``[(node id, fused score)]`` best first: ``w`` · dense + (1 − ``w``) · lexical, each min–max normalised."""
    d, lx = _min_max(dense), _min_max(lexical)
    ids = set(d) | set(lx)
    out = [(i, w * d.get(i, 0.0) + (1 - w) * lx.get(i, 0.0)) for i in ids]
    return sorted(out, key=lambda x: (-x[1], x[0]))


def diversify(hits: list[Hit]) -> list[Hit]:
    """Direct look-ups first, then the best hit of every document (comparisons need each side), then the rest."""
    firsts: list[Hit] = []
    rest: list[Hit] = []
    seen: set[str] = set()
    for h in hits:
        (rest if h.doc_id in seen or h.direct else firsts).append(h)
        seen.add(h.doc_id)
    direct = [h for h in hits if h.direct]
    rest = [h for h in rest if not h.direct]
    return direct + firsts + rest

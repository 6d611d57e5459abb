"""The claim reader's cue stage on the sample articles, cold caches: CPU per article, or a fixed loop to count
instructions under callgrind (stable on a shared machine; subtract a run with ``--loops 0``, the start-up).

  python bench/bench_claim_hints.py                      # µs per article: _lowered_hints, _hinted_sentences, find_claims
  valgrind --tool=callgrind python bench/bench_claim_hints.py --loops 100 --what check   # then --loops 0
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

from geoinc import geoparse  # noqa: E402
from geoinc.claims import parse, phrases  # noqa: E402
from geoinc.claims.measure import check_distances  # noqa: E402

STEPS = {"lowered_hints": parse._lowered_hints, "hinted_sentences": parse._hinted_sentences,
         "find_claims": parse.find_claims}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", default=str(Path(__file__).resolve().parent.parent.parent / "shared" / "samples" / "articles"))
    ap.add_argument("--loops", type=int, help="callgrind mode: run --what this many times per article, print nothing")
    ap.add_argument("--what", choices=["check", "hints"], default="check")
    ap.add_argument("--repeat", type=int, default=1500, help="timing mode: calls per article and step (best of 3)")
    args = ap.parse_args()
    texts = [f.read_text() for f in sorted(Path(args.samples).glob("*.txt"))]
    mentions = [geoparse(t) for t in texts]
    for t, m in zip(texts, mentions):
        check_distances(t, mentions=m)          # warm: gazetteer, borders, patterns
    if args.loops is not None:
        for _ in range(args.loops):
            for t, m in zip(texts, mentions):
                phrases.clear_text_caches()
                if args.what == "check":
                    check_distances(t, mentions=m)
                else:
                    parse._hinted_sentences(t)
        return
    print(f"twin compiled: {parse.NATIVE}")
    for name, step in STEPS.items():
        best = min(_run(step, texts, args.repeat) for _ in range(3))
        base = _run(None, texts, args.repeat)
        print(f"{name}: {(best - base) / args.repeat / len(texts) * 1e6:.1f} us per article (CPU, caches cleared)")


def _run(step, texts: list[str], repeat: int) -> float:
    """CPU seconds for ``repeat`` rounds of clearing the per-text caches and calling ``step`` on each text."""
    t0 = time.process_time()
    for _ in range(repeat):
        for t in texts:
            phrases.clear_text_caches()
            if step is not None:
                step(t)
    return time.process_time() - t0


if __name__ == "__main__":
    main()

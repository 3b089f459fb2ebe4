"""Per-half pass rates of a held-out run: "open" half = sha1(case id) ends in an even hex digit, "sealed" = odd.

Usage: python evals/heldout_halves.py RUN/results.jsonl [open]   (with "open": also list the open half's failures;
the sealed half's failures are never listed)
"""
import hashlib, json, sys
from collections import defaultdict
def half(cid): return 'open' if int(hashlib.sha1(cid.encode()).hexdigest()[-1], 16) % 2 == 0 else 'sealed'
rows = [json.loads(l) for l in open(sys.argv[1])]
which = 'open' if sys.argv[2:] == ['open'] else None
stats = defaultdict(lambda: defaultdict(lambda: [0, 0]))
for r in rows:
    h = half(r['id'])
    for c in r['checks']:
        s = stats[h][c['name']]; s[0] += c['passed']; s[1] += 1
    stats[h]['case'][0] += r['passed']; stats[h]['case'][1] += 1
    if which and h == which and not r['passed']:
        print('FAIL', r['id'], [ (c['name'], c['expected'], c['got']) for c in r['checks'] if not c['passed']], '|', ' || '.join(r['turns']))
for h in ('open', 'sealed'):
    print(h, ' '.join(f"{k}={v[0]}/{v[1]}({v[0]/v[1]:.3f})" for k, v in sorted(stats[h].items())))

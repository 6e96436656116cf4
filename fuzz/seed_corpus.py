#!/usr/bin/env python3
"""Seeds fuzz/corpus/ with one file per distinct line of the hostile corpus
(tests/data/hostile/, gunzipped) and of a few hand-written valid events, each
named by the SHA-1 of its bytes (libFuzzer's own convention). Lines over
64 KiB are left out: the fuzzer's inputs stay small. Re-running it is
harmless; files already there are kept (the fuzzer's finds included)."""

import glob
import gzip
import hashlib
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "corpus")

VALID = [
    b'{"event_id":"e1","event_type":"order_placed","order_id":"o1","occurred_at":"2025-01-02T10:00:00Z",'
    b'"customer_id":"c1","amount":"12.50","currency":"USD","channel":"web"}',
    b'{"event_id":"e2","event_type":"order_refunded","order_id":"o1","occurred_at":"2025-01-03T10:00:00.5+02:00",'
    b'"amount":1.25,"currency":"KWD","coupon":{"code":"X","n":[1,2,{"a":null}]}}',
    b'{"event_id":"e3","event_type":"order_cancelled","order_id":"o1","occurred_at":"2025-01-04T10:00:00-05:00",'
    b'"currency":"EUR"}',
    b'{"schema_version":2,"id":"e4","event_type":"order_placed","order_id":"o2","ts":"2025-01-02T10:00:00Z",'
    b'"customer_id":"c\\u00e9","total":"100","currency":"JPY","amount":"legacy"}',
]


def lines():
    for v in VALID:
        yield v
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "data", "hostile", "*"))):
        name = os.path.basename(path)
        if name in ("EXPECTED.tsv", "make_corpus.py", "daybook.yml", "fx_rates.csv", ".gitattributes", "README.md"):
            continue
        data = open(path, "rb").read()
        if data[:2] == b"\x1f\x8b":
            try:
                data = gzip.decompress(data)
            except Exception:
                continue
        for line in data.split(b"\n"):
            if line.strip() and len(line) <= 64 * 1024:
                yield line


def main():
    os.makedirs(OUT, exist_ok=True)
    n = 0
    for line in lines():
        name = hashlib.sha1(line).hexdigest()
        path = os.path.join(OUT, name)
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(line)
            n += 1
    print("fuzz/corpus: %d new seeds, %d in all" % (n, len(os.listdir(OUT))))


main()

#!/usr/bin/env python3
"""Writes the hostile-input corpus of tests/data/hostile/ and its manifest.

Every input file is built here line by line, and every line carries the
outcome the event contract (docs/event-contract.md, spec section 1 and 3)
gives it: "A" accepted, "D" duplicate of an earlier line, or a quarantine
reason code. EXPECTED.tsv sums those per file; tests/e2e/hostile_test.cc
runs `daybook run` on each file and compares. A few files cannot load at all
(a truncated or corrupt gzip stream): their row says exit 2 and what the one
error line must contain.

The outcomes are written from the contract, never copied from a run. To
change the corpus, edit this script and run it from anywhere:

    python3 tests/data/hostile/make_corpus.py

It is deterministic (fixed seeds, fixed gzip mtime), so re-running it on an
unchanged script leaves git clean.
"""

import gzip
import io
import os
import random
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))

# The project every file is loaded into (daybook.yml and fx_rates.csv here):
# now 2025-01-20T00:00:00Z, time zone UTC, reporting currency USD, a 3650-day
# restatement window, EUR/JPY/KWD rates on 2025-01-01 valid for 30 days.
DAY = "2025-01-02T10:00:00Z"


def js(s):
    """A JSON string literal for plain ASCII text (no escaping needed)."""
    return '"' + s + '"'


def event(eid, etype="order_placed", order=None, at=DAY, customer="c1", amount='"10.00"',
          currency='"USD"', extra="", raw_amount=None):
    """One event as JSON text. amount/currency are JSON tokens (None: absent)."""
    order = order or "o-" + eid
    parts = ['"event_id":' + js(eid), '"event_type":' + js(etype), '"order_id":' + js(order),
             '"occurred_at":' + js(at)]
    if customer is not None:
        parts.append('"customer_id":' + js(customer))
    if amount is not None:
        parts.append('"amount":' + amount)
    if currency is not None:
        parts.append('"currency":' + currency)
    body = "{" + ",".join(parts) + extra + "}"
    return body


def placed(eid, amount='"10.00"', currency='"USD"', at=DAY, extra=""):
    return event(eid, amount=amount, currency=currency, at=at, extra=extra)


def refund(eid, amount='"1.00"', currency='"USD"', at=DAY):
    return event(eid, etype="order_refunded", customer=None, amount=amount, currency=currency, at=at)


def b(text):
    return text.encode("utf-8") if isinstance(text, str) else text


def utf8_ok(raw):
    try:
        raw.decode("utf-8", errors="strict")
        return True
    except UnicodeDecodeError:
        return False


LIMIT = 1 << 20  # sources[].max_record_bytes default

FILES = []  # (name, content bytes, expectation dict)


def add(name, lines, note, sep=b"\n", final_newline=True, prefix=b"", compress=False):
    """lines: list of (bytes-or-str, outcome); outcome None marks a blank line."""
    counts = {"A": 0, "D": 0}
    reasons = {}
    rows = 0
    body = []
    for raw, outcome in lines:
        raw = b(raw)
        body.append(raw)
        if outcome is None:
            continue
        rows += 1
        if outcome in ("A", "D"):
            counts[outcome] += 1
        else:
            reasons[outcome] = reasons.get(outcome, 0) + 1
    content = prefix + sep.join(body) + (sep if final_newline and body else b"")
    if compress:
        content = gz(content)
    FILES.append((name, content, dict(exit=0, rows=rows, accepted=counts["A"], duplicates=counts["D"],
                                      quarantined=sum(reasons.values()), reasons=reasons, error="",
                                      note=note)))


def add_fatal(name, content, error, note):
    FILES.append((name, content, dict(exit=2, rows=0, accepted=0, duplicates=0, quarantined=0,
                                      reasons={}, error=error, note=note)))


def gz(data, level=6):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=level, mtime=0, filename="") as f:
        f.write(data)
    return out.getvalue()


def garbage_outcome(raw):
    """What the contract says about one line of random bytes."""
    if len(raw) > LIMIT:
        return "OVERSIZED_RECORD"
    return "MALFORMED_JSON" if utf8_ok(raw) else "INVALID_UTF8"


def split_like_reader(content):
    """Lines as sources/line_reader.h defines them: BOM stripped at the start,
    split on LF, one trailing CR removed, blank lines (only space, tab, CR)
    skipped. Returns (raw, outcome) with outcome None for blank lines."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    parts = content.split(b"\n")
    if parts and parts[-1] == b"":
        parts.pop()
    out = []
    for p in parts:
        if p.endswith(b"\r"):
            p = p[:-1]
        if p.strip(b" \t\r") == b"":
            out.append((p, None))
        else:
            out.append((p, garbage_outcome(p)))
    return out


# ----------------------------------------------------------------- framing

add("empty.jsonl", [], "a file of zero bytes: nothing read, the run succeeds")
add("blank_lines_only.jsonl", [("", None), ("   ", None), ("\t", None), ("\r", None), (" \t \r", None)],
    "blank lines (spaces, tabs, CR) are not rows")
add("bom.jsonl", [(placed("bom-1"), "A"), (placed("bom-2"), "A")],
    "a UTF-8 BOM at the start of the file is removed", prefix=b"\xef\xbb\xbf")
add("bom_inside.jsonl", [(placed("bomi-1"), "A"), (b"\xef\xbb\xbf" + b(placed("bomi-2")), "MALFORMED_JSON"),
                         (b(placed("bomi-3")[:-1]) + b',"note":"\xef\xbb\xbf"}', "A")],
    "a BOM at the start of a later line is not JSON; inside a string it is U+FEFF")
add("crlf.jsonl", [(placed("crlf-1"), "A"), (placed("crlf-2"), "A"), ("", None), (placed("crlf-3"), "A")],
    "CRLF line ends; the CR is removed", sep=b"\r\n")
add("cr_only.jsonl", [(b(placed("cr-1")) + b"\r" + b(placed("cr-2")) + b"\r" + b(placed("cr-3")), "MALFORMED_JSON")],
    "old-Mac CR-only line ends: one line holding three objects (trailing content)", final_newline=False)
add("cr_extra.jsonl", [(b(placed("crx-1")) + b"\r\r", "A"), (b(placed("crx-2")) + b" \r", "A"),
                       (b"\r" + b(placed("crx-3")), "A")],
    "extra CRs around an object are JSON whitespace")
add("no_final_newline.jsonl", [(placed("nfn-1"), "A"), (placed("nfn-2"), "A")],
    "the last line has no newline and is still read", final_newline=False)
add("truncated_file.jsonl", [(placed("tf-1"), "A"), (placed("tf-2"), "A"), (placed("tf-3")[:57], "MALFORMED_JSON")],
    "a file cut in the middle of its last line", final_newline=False)
_t = placed("tl-x", extra=',"note":"caf\u00e9 cr\u00e8me"')
add("truncated_lines.jsonl", [
    (placed("tl-1"), "A"),
    (_t[:1], "MALFORMED_JSON"),            # "{"
    (_t[:12], "MALFORMED_JSON"),           # inside a key
    (_t[:13], "MALFORMED_JSON"),           # after a key
    (_t[:14], "MALFORMED_JSON"),           # after the colon
    (_t[:20], "MALFORMED_JSON"),           # inside a string value
    (_t[:_t.index('"10.00"') + 3], "MALFORMED_JSON"),  # inside the amount
    (b(_t)[:b(_t).index(b"\xc3") + 1], "INVALID_UTF8"),  # in the middle of a two-byte character
    (b(_t)[:b(_t).index(b"\xc3") + 2], "MALFORMED_JSON"),  # just after it: a valid prefix
    (_t[:-1], "MALFORMED_JSON"),           # only the closing brace missing
    ('{"event_id":"tl-e","note":"\\u00', "MALFORMED_JSON"),  # inside an escape
    (placed("tl-2"), "A"),
], "lines cut at every kind of place")

# ----------------------------------------------------------------- bytes

add("invalid_utf8.jsonl", [
    (placed("u-ok", extra=',"note":"\u65e5\u672c \U0001F600 \u00e9"'), "A"),
    (b(placed("u-1"))[:-1] + b',"note":"\x80"}', "INVALID_UTF8"),          # lone continuation byte
    (b(placed("u-2"))[:-1] + b',"note":"\xc0\xaf"}', "INVALID_UTF8"),      # overlong '/'
    (b(placed("u-3"))[:-1] + b',"note":"\xed\xa0\x80"}', "INVALID_UTF8"),  # UTF-16 surrogate
    (b(placed("u-4"))[:-1] + b',"note":"\xff"}', "INVALID_UTF8"),
    (b(placed("u-5"))[:-1] + b',"note":"\xf5\x80\x80\x80"}', "INVALID_UTF8"),  # above U+10FFFF
    (b(placed("u-6"))[:-1] + b',"note":"\xe6\x97"}', "INVALID_UTF8"),      # truncated 3-byte sequence
    (b(placed("u-7"))[:-1] + b',"\xe9t\xe9":1}', "INVALID_UTF8"),          # Latin-1 in a key
    (b'{"event_id":"u-8\xfe","event_type":"nope"}', "INVALID_UTF8"),      # bad UTF-8 wins over other faults
    (b'\xfe\xff{}', "INVALID_UTF8"),
    (b"{\"event_id\":\"u-9\",\x85}", "INVALID_UTF8"),                     # between tokens
], "bytes that are not UTF-8, anywhere in the line, are INVALID_UTF8 (checked first)")
add("utf16.jsonl", split_like_reader(b"\xff\xfe" + "\n".join([placed("u16-1"), placed("u16-2")]).encode("utf-16-le") + b"\n\x00"),
    "a UTF-16LE file with its BOM: the first line is not UTF-8, the others are NUL-riddled text",
    sep=b"\n", final_newline=False)
# split_like_reader returned the file's lines; rebuild the content exactly.
FILES[-1] = (FILES[-1][0], b"\xff\xfe" + "\n".join([placed("u16-1"), placed("u16-2")]).encode("utf-16-le") + b"\n\x00",
             FILES[-1][2])
add("nul_bytes.jsonl", [
    (placed("nul-ok"), "A"),
    (b(placed("nul-1"))[:-1] + b',"note":"a\x00b"}', "MALFORMED_JSON"),   # raw NUL inside a string
    (b(placed("nul-2"))[:-1] + b',\x00"note":1}', "MALFORMED_JSON"),      # raw NUL between tokens
    (b"\x00" + b(placed("nul-3")), "MALFORMED_JSON"),
    (b(placed("nul-4")) + b"\x00", "MALFORMED_JSON"),                     # NUL after the object
    (b"\x00\x00\x00\x00", "MALFORMED_JSON"),                              # NULs only: not blank
    (placed("nul-5", extra=',"note":"a\\u0000b"'), "A"),                  # escaped NUL in an extra field
], "NUL bytes are ordinary bytes to the reader and never JSON")
add("nul_escaped_ids.jsonl", [
    ('{"event_id":"nid-\\u0000-1","event_type":"order_placed","order_id":"o\\u0000","occurred_at":"' + DAY +
     '","customer_id":"c\\u0000","amount":"1.00","currency":"USD","channel":"w\\u0000b"}', "A"),
], "an escaped NUL inside ids and channel is a valid string: stored exactly")
add("control_chars.jsonl", [
    (placed("cc-1")[:-1] + ',"note":"a\tb"}', "MALFORMED_JSON"),      # raw TAB inside a string
    (placed("cc-2")[:-1] + ',"note":"a\x1fb"}', "MALFORMED_JSON"),
    (placed("cc-3")[:-1] + ',"note":"a\x7fb"}', "A"),                 # DEL is allowed in JSON strings
    (placed("cc-4")[:-1] + ',\f"note":1}', "MALFORMED_JSON"),         # form feed is not JSON whitespace
    (placed("cc-5")[:-1] + ',\v"note":1}', "MALFORMED_JSON"),
    ("\t  " + placed("cc-6") + " \t ", "A"),                          # leading/trailing tabs and spaces
], "raw control characters")
add("unicode_escapes.jsonl", [
    (placed("ue-1", extra=',"note":"\\ud83d\\ude00"'), "A"),                  # a valid surrogate pair
    (placed("ue-2", extra=',"note":"\\ud800"'), "MALFORMED_JSON"),            # lone high surrogate
    (placed("ue-3", extra=',"note":"\\udc00"'), "MALFORMED_JSON"),            # lone low surrogate
    (placed("ue-4", extra=',"note":"\\ud800\\u0041"'), "MALFORMED_JSON"),     # high surrogate + non-low
    (placed("ue-5", extra=',"note":"\\u12"'), "MALFORMED_JSON"),              # short escape
    (placed("ue-6", extra=',"note":"\\x41"'), "MALFORMED_JSON"),              # not a JSON escape
    ('{"event\\u005fid":"ue-7","event_type":"order_placed","order_id":"o-ue-7","occurred_at":"' + DAY +
     '","customer_id":"c1","amount":"1.00","currency":"\\u0055SD"}', "A"),     # escaped key and value
    ('{"event_id":"ue-8\\ud800","event_type":"order_placed","order_id":"o","occurred_at":"' + DAY +
     '","customer_id":"c1","amount":"1.00","currency":"USD"}', "MALFORMED_JSON"),  # lone surrogate in an id
], "\\u escapes: pairs decode, lone surrogates and bad escapes are malformed")

# ----------------------------------------------------------------- JSON shape

add("not_an_object.jsonl", [
    ("[]", "MALFORMED_JSON"), ('"order_placed"', "MALFORMED_JSON"), ("42", "MALFORMED_JSON"),
    ("null", "MALFORMED_JSON"), ("true", "MALFORMED_JSON"), ("{}", "MISSING_FIELD"),
    ('{"a":1} {"b":2}', "MALFORMED_JSON"), (placed("nao-1") + "x", "MALFORMED_JSON"),
    (placed("nao-2") + placed("nao-3"), "MALFORMED_JSON"), ("[" + placed("nao-4") + "]", "MALFORMED_JSON"),
    ("{", "MALFORMED_JSON"), ("}", "MALFORMED_JSON"), ("{,}", "MALFORMED_JSON"),
    (placed("nao-5")[:-1] + ",}", "MALFORMED_JSON"),  # trailing comma
    ("{'event_id':'nao-6'}", "MALFORMED_JSON"),        # single quotes
    ("{event_id:\"nao-7\"}", "MALFORMED_JSON"),        # bare key
    ("// comment", "MALFORMED_JSON"),
], "anything but exactly one JSON object per line")


def nest(depth, leaf="1"):
    return "[" * depth + leaf + "]" * depth


def nest_obj(depth):
    return '{"a":' * depth + "1" + "}" * depth


add("nesting_limits.jsonl", [
    (placed("nl-63", extra=',"deep":' + nest(63)), "A"),   # the event object is depth 1: 64 levels in all
    (placed("nl-64", extra=',"deep":' + nest(64)), "MALFORMED_JSON"),
    (placed("nl-obj", extra=',"deep":' + nest_obj(63)), "A"),
    (placed("nl-obj2", extra=',"deep":' + nest_obj(64)), "MALFORMED_JSON"),
], "nesting up to 64 levels is kept, deeper is MALFORMED_JSON")
add("deep_nesting_100k.jsonl.gz", [
    (nest(100000), "MALFORMED_JSON"),
    (nest_obj(100000), "MALFORMED_JSON"),
    (placed("dn-1", extra=',"deep":' + nest(100000)), "MALFORMED_JSON"),
    (placed("dn-2", extra=',"deep":' + "[" * 100000), "MALFORMED_JSON"),  # never closed
    ("{" + '"a":[' * 100000, "MALFORMED_JSON"),
    (placed("dn-ok"), "A"),
], "nesting 100 000 deep (arrays, objects, unclosed): rejected, no stack overflow", compress=True)
add("duplicate_keys.jsonl", [
    (placed("dk-1")[:-1] + ',"amount":"20.00"}', "MALFORMED_JSON"),
    (placed("dk-2")[:-1] + ',"coupon":"A","coupon":"B"}', "MALFORMED_JSON"),
    (placed("dk-3")[:-1] + ',"amo\\u0075nt":"10.00"}', "MALFORMED_JSON"),   # same key after unescaping
    (placed("dk-4")[:-1] + ',"event_id":"dk-4"}', "MALFORMED_JSON"),        # even with the same value
    (placed("dk-5")[:-1] + ',"meta":{"a":1,"a":2}}', "A"),                  # nested objects are not checked
    (placed("dk-6")[:-1] + ',"Amount":"20.00"}', "A"),                      # keys are case-sensitive
], "a key twice in the top-level object")
add("wrong_types.jsonl", [
    ('{"event_id":17,"event_type":"order_placed"}', "WRONG_TYPE"),
    (placed("wt-1", amount="true"), "WRONG_TYPE"),
    (placed("wt-2", amount="[10]"), "WRONG_TYPE"),
    (placed("wt-3", amount='{"v":"10.00"}'), "WRONG_TYPE"),
    (placed("wt-4", currency="840"), "WRONG_TYPE"),
    (placed("wt-5", extra=',"schema_version":"1"'), "WRONG_TYPE"),
    (placed("wt-6", extra=',"schema_version":1.0'), "WRONG_TYPE"),
    (placed("wt-7", extra=',"schema_version":true'), "WRONG_TYPE"),
    (placed("wt-8", extra=',"channel":7'), "WRONG_TYPE"),
    (event("wt-9", at="1736500000"), "INVALID_TIMESTAMP"),   # a string, but not RFC 3339
    ('{"event_id":"wt-10","event_type":"order_placed","order_id":"o","occurred_at":1736500000}', "WRONG_TYPE"),
    (placed("wt-11", extra=',"schema_version":1'), "A"),
    (placed("wt-12", extra=',"schema_version":null'), "A"),
    (placed("wt-13", extra=',"schema_version":2'), "UNKNOWN_SCHEMA_VERSION"),
    (placed("wt-14", extra=',"schema_version":99999999999999999999999999'), "UNKNOWN_SCHEMA_VERSION"),
    (placed("wt-15", extra=',"schema_version":-1'), "UNKNOWN_SCHEMA_VERSION"),
], "type changes of known fields are rejections, never coercions")
add("missing_fields.jsonl", [
    ('{"event_type":"order_placed"}', "MISSING_FIELD"),
    (placed("mf-1").replace('"customer_id":"c1",', ""), "MISSING_FIELD"),
    (placed("mf-2").replace('"customer_id":"c1"', '"customer_id":""'), "MISSING_FIELD"),
    (placed("mf-3").replace('"customer_id":"c1"', '"customer_id":null'), "MISSING_FIELD"),
    (placed("mf-4", amount=None), "MISSING_FIELD"),
    (placed("mf-5", currency=None), "MISSING_FIELD"),
    (refund("mf-6", amount=None), "MISSING_FIELD"),
    (event("mf-7", etype="order_cancelled", customer=None, amount=None, currency=None), "A"),
    (event("mf-8", etype="order_cancelled", customer=None, amount='"1.00"', currency='"USD"'), "INVALID_AMOUNT"),
], "required fields, and absent/null/\"\" all meaning missing")
add("event_types.jsonl", [
    (event("et-1", etype="ORDER_PLACED"), "UNKNOWN_EVENT_TYPE"),
    (event("et-2", etype="order_placed "), "UNKNOWN_EVENT_TYPE"),
    (event("et-3", etype="order_shipped"), "UNKNOWN_EVENT_TYPE"),
    (event("et-4", etype="order_plac\\u0065d"), "A"),  # an escape spelling the right name
], "event_type is one of three exact names")
add("long_ids.jsonl", [
    (event("i" * 128, order="o-li"), "A"),
    (event("j" * 129, order="o-lj"), "WRONG_TYPE"),
    (event("k" * 126 + "\u00e9", order="o-lk"), "A"),          # 128 bytes with a two-byte character
    (event("l" * 127 + "\u00e9", order="o-ll"), "WRONG_TYPE"),  # 129 bytes
    (event("lid-o", order="o" * 129), "WRONG_TYPE"),
    (event("lid-c").replace('"customer_id":"c1"', '"customer_id":"' + "c" * 129 + '"'), "WRONG_TYPE"),
], "ids are at most 128 bytes after unescaping")

# ----------------------------------------------------------------- amounts

add("amount_nan_infinity.jsonl", [
    (placed("ni-1", amount="NaN"), "MALFORMED_JSON"),
    (placed("ni-2", amount="Infinity"), "MALFORMED_JSON"),
    (placed("ni-3", amount="-Infinity"), "MALFORMED_JSON"),
    (placed("ni-4", amount='"NaN"'), "INVALID_AMOUNT"),
    (placed("ni-5", amount='"Infinity"'), "INVALID_AMOUNT"),
    (placed("ni-6", amount='"inf"'), "INVALID_AMOUNT"),
    (placed("ni-7", amount="nan"), "MALFORMED_JSON"),
], "NaN and Infinity: not JSON as bare words, not decimals as strings")
add("amount_exponents.jsonl", [
    (placed("ex-1", amount="1e400"), "INVALID_AMOUNT"),
    (placed("ex-2", amount='"1e400"'), "INVALID_AMOUNT"),
    (placed("ex-3", amount="1e2"), "INVALID_AMOUNT"),
    (placed("ex-4", amount='"1.5E1"'), "INVALID_AMOUNT"),
    (placed("ex-5", amount="12.5e0"), "INVALID_AMOUNT"),
    (placed("ex-6", amount="1e-400"), "INVALID_AMOUNT"),
    (placed("ex-7", amount="-1e400"), "INVALID_AMOUNT"),
    (placed("ex-8", extra=',"score":1e400'), "A"),   # an extra field may hold any JSON number
], "exponents are never amounts, however large or small")
add("amount_negative_zero.jsonl", [
    (placed("nz-1", amount='"-0"'), "A"),
    (placed("nz-2", amount="-0"), "A"),
    (placed("nz-3", amount='"-0.00"'), "A"),
    (placed("nz-4", amount="-0.0"), "A"),
    (refund("nz-5", amount='"-0"'), "INVALID_AMOUNT"),    # a refund must be > 0
    (placed("nz-6", amount='"-0.01"'), "INVALID_AMOUNT"),
    (placed("nz-7", amount='"0"'), "A"),
], "-0 is 0: a valid order total, never a valid refund")
add("amount_digits.jsonl", [
    (placed("dg-1", amount='"1234567890123456789"'), "INVALID_AMOUNT"),          # 19 digits
    (placed("dg-2", amount="1234567890123456789"), "INVALID_AMOUNT"),
    (placed("dg-3", amount='"9223372036854775807"'), "INVALID_AMOUNT"),          # int64 max
    (placed("dg-4", amount='"99999999999999999999999999999999"'), "INVALID_AMOUNT"),
    (placed("dg-5", amount='"1234567890123456789"', currency='"JPY"'), "INVALID_AMOUNT"),
    (placed("dg-6", amount='"99999999999999.99"', at="2025-01-03T10:00:00Z"), "A"),  # the largest: 10^14 - 0.01
    (placed("dg-7", amount='"100000000000000.00"'), "INVALID_AMOUNT"),           # 10^14
    (placed("dg-8", amount='"0000000000000000000012.50"'), "A"),                  # leading zeros
    (placed("dg-9", amount='"12.500000000000000000000"'), "A"),                   # trailing zeros
    (placed("dg-10", amount='"12.5000000000000000000001"'), "AMOUNT_PRECISION"),
    (placed("dg-11", amount='"0.001"', currency='"KWD"'), "A"),
    (placed("dg-12", amount='"1.5"', currency='"JPY"'), "AMOUNT_PRECISION"),
], "19-digit and other extreme amounts: exact, bounded at 10^14 units")
add("amount_extreme_totals.jsonl", [
    (placed("xt-1", amount='"99999999999999.99"', at="2025-01-04T10:00:00Z"), "A"),
    (placed("xt-2", amount='"99999999999999.99"', at="2025-01-04T11:00:00Z"), "A"),
    (placed("xt-3", amount='"99999999999999.99"', currency='"EUR"', at="2025-01-05T10:00:00Z"), "A"),
    (placed("xt-4", amount='"99999999999999"', currency='"JPY"', at="2025-01-06T10:00:00Z"), "A"),
], "the largest amounts: two on one day (gross 2e14) and one whose USD value passes 1e14; all exact")
add("amount_spaces_commas.jsonl", [
    (placed("sc-1", amount='" 12.50"'), "INVALID_AMOUNT"),
    (placed("sc-2", amount='"12.50 "'), "INVALID_AMOUNT"),
    (placed("sc-3", amount='"12 50"'), "INVALID_AMOUNT"),
    (placed("sc-4", amount='"1 000.00"'), "INVALID_AMOUNT"),
    (placed("sc-5", amount='"12,50"'), "INVALID_AMOUNT"),
    (placed("sc-6", amount='"1,000.00"'), "INVALID_AMOUNT"),
    (placed("sc-7", amount='"+12.50"'), "INVALID_AMOUNT"),
    (placed("sc-8", amount='".50"'), "INVALID_AMOUNT"),
    (placed("sc-9", amount='"12."'), "INVALID_AMOUNT"),
    (placed("sc-10", amount='"0x10"'), "INVALID_AMOUNT"),
    (placed("sc-11", amount='"\u0661\u0662"'), "INVALID_AMOUNT"),        # Arabic-Indic digits
    (placed("sc-12", amount='"\uff11\uff12"'), "INVALID_AMOUNT"),        # full-width digits
    (placed("sc-13", amount='"12.50\\u0000"'), "INVALID_AMOUNT"),
    (placed("sc-14", amount='"$12.50"'), "INVALID_AMOUNT"),
    (placed("sc-15", amount='"--1"'), "INVALID_AMOUNT"),
    (placed("sc-16", amount='"12.50"'), "A"),
], "spaces, commas, signs and foreign digits in amounts")
add("currency_codes.jsonl", [
    (placed("cu-1", currency='"usd"'), "UNKNOWN_CURRENCY"),
    (placed("cu-2", currency='"Usd"'), "UNKNOWN_CURRENCY"),
    (placed("cu-3", currency='"eur"'), "UNKNOWN_CURRENCY"),
    (placed("cu-4", currency='"US"'), "UNKNOWN_CURRENCY"),
    (placed("cu-5", currency='"USDX"'), "UNKNOWN_CURRENCY"),
    (placed("cu-6", currency='" USD"'), "UNKNOWN_CURRENCY"),
    (placed("cu-7", currency='"ABC"'), "UNKNOWN_CURRENCY"),
    (placed("cu-8", currency='"EUR"'), "A"),
    (placed("cu-9", currency='"GBP"'), "FX_RATE_MISSING"),   # a real currency without a rate
], "currency must be an upper-case ISO 4217 code")

# ----------------------------------------------------------------- time

add("timestamps.jsonl", [
    (placed("ts-1", at="2025-01-05T23:59:60Z"), "INVALID_TIMESTAMP"),      # leap second
    (placed("ts-2", at="2016-12-31T23:59:60Z"), "INVALID_TIMESTAMP"),      # a real leap second
    (placed("ts-3", at="0000-01-01T00:00:00Z"), "TOO_LATE"),               # year 0000: valid, far too old
    (placed("ts-4", at="9999-12-31T23:59:59Z"), "FUTURE_TIMESTAMP"),
    (placed("ts-5", at="9999-12-31T23:59:59-23:59"), "FUTURE_TIMESTAMP"),  # past year 9999 in UTC
    (placed("ts-6", at="10000-01-01T00:00:00Z"), "INVALID_TIMESTAMP"),
    (placed("ts-7", at="2025-01-05T10:00:00+24:00"), "INVALID_TIMESTAMP"),
    (placed("ts-8", at="2025-01-05T10:00:00-24:00"), "INVALID_TIMESTAMP"),
    (placed("ts-9", at="2025-01-05T10:00:00+23:59"), "A"),
    (placed("ts-10", at="2025-01-05T10:00:00+05:60"), "INVALID_TIMESTAMP"),
    (placed("ts-11", at="2025-01-05T10:00:00-00:00"), "A"),
    (placed("ts-12", at="2025-01-05T10:00:00"), "INVALID_TIMESTAMP"),      # no offset
    (placed("ts-13", at="2025-02-30T10:00:00Z"), "INVALID_TIMESTAMP"),
    (placed("ts-14", at="2025-01-05t10:00:00z"), "A"),                     # RFC 3339 allows lower case
    (placed("ts-15", at="2025-01-05T10:00:00.123456789Z"), "A"),
    (placed("ts-16", at="2025-01-05T10:00:00.1234567890Z"), "INVALID_TIMESTAMP"),
    (placed("ts-17", at="2025-01-05T24:00:00Z"), "INVALID_TIMESTAMP"),
    (placed("ts-18", at="2025-01-05T10:00:00+0100"), "INVALID_TIMESTAMP"),
    (placed("ts-19", at="\uff12025-01-05T10:00:00Z"), "INVALID_TIMESTAMP"),
    (placed("ts-20", at="2025-01-05T10:00:00Z "), "INVALID_TIMESTAMP"),
    (placed("ts-21", at="-001-01-05T10:00:00Z"), "INVALID_TIMESTAMP"),
    (placed("ts-22", at="0001-01-01T00:00:00+23:59"), "TOO_LATE"),         # before year 1 in UTC
], "leap second, years 0000 and 9999, offsets up to and past 24:00")

# ----------------------------------------------------------------- duplicates

_d = placed("dup-1", extra=',"coupon":"X"')
add("duplicates.jsonl", [
    (_d, "A"),
    (_d, "D"),
    ('{ "currency" : "USD", "coupon":"X", "amount" : "10.00", "customer_id":"c1", "occurred_at":"' + DAY +
     '", "order_id":"o-dup-1", "event_type":"order_placed", "event_id":"dup-1" }', "D"),  # keys reordered, spaces
    (placed("dup-1", amount="10.0", extra=',"coupon":"X"'), "D"),         # the same value as a number
    (placed("dup-1", amount='"10.000"', extra=',"coupon":"X"'), "D"),     # same typed value
    (placed("dup-1", amount='"10.01"', extra=',"coupon":"X"'), "DUPLICATE_CONFLICT"),
    (placed("dup-1", extra=',"coupon":"Y"'), "DUPLICATE_CONFLICT"),       # an extra field differs
    (placed("dup-1", at="2025-01-02T11:00:00+01:00", extra=',"coupon":"X"'), "D"),  # the same instant
], "re-deliveries in another spelling are duplicates; other content is a conflict")

# ----------------------------------------------------------------- size

def pad_line(eid, total):
    head = placed(eid)[:-1] + ',"pad":"'
    return head + "x" * (total - len(head) - 2) + '"}'


add("record_size_limit.jsonl.gz", [
    (pad_line("rs-1", LIMIT), "A"),                 # exactly max_record_bytes
    (pad_line("rs-2", LIMIT + 1), "OVERSIZED_RECORD"),
    (pad_line("rs-3", LIMIT) + "\r", "A"),         # the CR of a CRLF does not count
    (placed("rs-4"), "A"),
], "a line of exactly sources[].max_record_bytes (1 MiB) is read; one byte more is OVERSIZED_RECORD",
    compress=True)
add("oversized_10mb.jsonl.gz", [
    (placed("big-1"), "A"),
    (pad_line("big-2", 10 * 1000 * 1000), "OVERSIZED_RECORD"),
    (placed("big-3"), "A"),
    ("x" * (10 * 1000 * 1000), "OVERSIZED_RECORD"),   # not even JSON: still only its size counts
    (placed("big-4"), "A"),
], "a 10 MB line is OVERSIZED_RECORD, the lines around it are read", compress=True)
add("oversized_unterminated.jsonl.gz", [
    (placed("ou-1"), "A"),
    ("{" + " " * (3 * LIMIT), "OVERSIZED_RECORD"),   # 3 MiB, no newline, up to the end of the file
], "an oversized last line without a newline", final_newline=False, compress=True)
add("oversized_blank.jsonl.gz", [
    (placed("ob-1"), "A"),
    (" " * (2 * LIMIT), None),                     # 2 MiB of spaces: blank, not a row
    (placed("ob-2"), "A"),
], "a blank line longer than the limit is still blank", compress=True)
add("long_values.jsonl", [
    (placed("lv-1", extra=',"note":"' + "\u00e9" * 400000 + '"'), "A"),   # 800 KB string
    (placed("lv-2", extra=',"' + "k" * 100000 + '":1'), "A"),             # a 100 KB key
    (placed("lv-3", extra="".join(',"f%d":%d' % (i, i) for i in range(2000))), "A"),  # 2000 fields
], "long values, long keys and many fields under the size limit")
add("many_blank_lines.jsonl.gz", [("", None)] * 1000000 + [(placed("mb-1"), "A")],
    "a million blank lines then one event (its line number is 1 000 001)", compress=True)

# ----------------------------------------------------------------- garbage

rng = random.Random(20250106)
garbage = bytes(rng.randrange(256) for _ in range(64 * 1024))
garbage = b"\x00" + garbage[1:]  # never starts with the gzip magic or a BOM
add("binary_garbage.bin", split_like_reader(garbage), "64 KiB of random bytes: every line INVALID_UTF8 or MALFORMED_JSON",
    final_newline=False)
FILES[-1] = (FILES[-1][0], garbage, FILES[-1][2])
png = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000))
add("image.png.jsonl", split_like_reader(png), "an image where NDJSON was expected", final_newline=False)
FILES[-1] = (FILES[-1][0], png, FILES[-1][2])
ascii_noise = "".join(rng.choice('{}[]":,\\ 0123456789abcdeftrulsn-.+eE\t') for _ in range(20000))
ascii_lines = [ascii_noise[i:i + 97] for i in range(0, len(ascii_noise), 97)]
add("json_noise.jsonl", [(l, "MALFORMED_JSON" if l.strip(" \t") else None) for l in ascii_lines],
    "random JSON punctuation")
add("nul_only.bin", [(b"\x00" * 1000, "MALFORMED_JSON")], "a file of NUL bytes (no newline): one line",
    final_newline=False)

# ----------------------------------------------------------------- gzip

_good = "\n".join([placed("gz-1"), placed("gz-2"), placed("gz-3"), placed("gz-4")]) + "\n"
add("gzip_multi_member.jsonl.gz", [(placed("gm-1"), "A"), (placed("gm-2"), "A"), (placed("gm-3"), "A")],
    "concatenated gzip members are one stream (the first ends mid-line)")
FILES[-1] = (FILES[-1][0],
             gz(b(placed("gm-1") + "\n" + placed("gm-2")[:30])) + gz(b(placed("gm-2")[30:] + "\n")) + gz(b"") +
             gz(b(placed("gm-3") + "\n")), FILES[-1][2])
add("gzip_empty.jsonl.gz", [], "a gzip file holding nothing")
FILES[-1] = (FILES[-1][0], gz(b""), FILES[-1][2])
_big = "".join(placed("gzt-%d" % i) + "\n" for i in range(3000)).encode()
_full = gz(_big, level=1)
add_fatal("gzip_truncated.jsonl.gz", _full[:len(_full) // 2], "unexpected end of compressed data",
          "a gzip file cut in half: the run stops before loading anything (exit 2), naming the file and line")
_c = bytearray(gz(_big, level=1))
for k in range(200, 260):
    _c[k] ^= 0x5A
add_fatal("gzip_corrupt.jsonl.gz", bytes(_c), "corrupt compressed data",
          "bytes flipped inside the deflate stream: exit 2, nothing loaded")
add_fatal("gzip_trailing_garbage.jsonl.gz", gz(b(_good)) + b"PK\x03\x04 not gzip\n",
          "trailing bytes are not gzip",
          "a valid member followed by other bytes must not vanish silently: exit 2")
_crc = bytearray(gz(b(_good)))
_crc[-8] ^= 0xFF  # the CRC32 in the trailer
add_fatal("gzip_bad_crc.jsonl.gz", bytes(_crc), "incorrect data check",
          "a member whose CRC does not match its data: exit 2")
add_fatal("gzip_header_only.jsonl.gz", b"\x1f\x8b", "unexpected end of compressed data",
          "only the gzip magic bytes: exit 2")


# ----------------------------------------------------------------- write


def main():
    keep = {"make_corpus.py", "EXPECTED.tsv", "daybook.yml", "fx_rates.csv", "README.md", ".gitattributes"}
    for f in os.listdir(HERE):
        if f not in keep:
            os.remove(os.path.join(HERE, f))
    for name, content, _ in FILES:
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(content)
    with open(os.path.join(HERE, "EXPECTED.tsv"), "w") as f:
        f.write("# Generated by make_corpus.py: the expected outcome of `daybook run --input FILE` for each file\n"
                "# of this folder, in the project daybook.yml + fx_rates.csv here, at --now 2025-01-20T00:00:00Z.\n"
                "# rows_read = accepted + duplicates + quarantined; reasons: REASON=count,... ('-' for none);\n"
                "# error: a phrase the single stderr line must contain when exit is not 0.\n")
        f.write("file\texit\trows_read\taccepted\tduplicates\tquarantined\treasons\terror\tnote\n")
        for name, _, e in FILES:
            reasons = ",".join("%s=%d" % kv for kv in sorted(e["reasons"].items())) or "-"
            f.write("\t".join([name, str(e["exit"]), str(e["rows"]), str(e["accepted"]), str(e["duplicates"]),
                               str(e["quarantined"]), reasons, e["error"] or "-", e["note"]]) + "\n")
    print("wrote %d files" % len(FILES))


main()

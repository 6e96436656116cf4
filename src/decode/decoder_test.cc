#include "decode/decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

namespace daybook {
namespace {

using ::testing::HasSubstr;

// A typical accepted line; tests derive bad lines from it.
const std::string kPlaced =
    R"({"event_id":"e1","event_type":"order_placed","order_id":"o1",)"
    R"("occurred_at":"2024-03-05T12:34:56Z","customer_id":"c1","amount":"12.50",)"
    R"("currency":"USD","channel":"web"})";

struct Outcome {
  bool ok = false;
  Event event;
  Rejection rej;
  SchemaDrift drift;
};

Outcome DecodeOne(std::string_view line, DecodeOptions opts = {}) {
  Outcome o;
  Decoder d(std::move(opts));
  o.ok = d.Decode(line, /*padded=*/false, &o.event, &o.rej, &o.drift);
  return o;
}

// A readable rendering of everything the decoder fills.
std::string Render(const Event& e) {
  std::string s = std::string(EventTypeName(e.type)) + " " + e.event_id + " " + e.order_id + " " +
                  FormatTimestamp(e.occurred_at) + " customer=" + e.customer_id;
  s += " currency=" + std::string(e.currency ? e.currency->Code() : "-");
  s += e.has_amount ? " amount=" + std::to_string(e.amount_minor) : " amount=-";
  s += " channel=" + e.channel + " v" + std::to_string(e.schema_version) + " extra=" + e.extra_json;
  return s;
}

std::string Render(const Outcome& o) {
  if (o.ok) return Render(o.event);
  return std::string(ReasonName(o.rej.reason)) + ": " + o.rej.detail;
}

// Replaces the first occurrence of `from` in kPlaced (or `line`) by `to`.
std::string With(std::string_view from, std::string_view to, std::string line = kPlaced) {
  size_t at = line.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) line.replace(at, from.size(), to);
  return line;
}

void ExpectRejected(std::string_view line, Reason reason, std::string_view detail_part,
                    DecodeOptions opts = {}) {
  Outcome o = DecodeOne(line, std::move(opts));
  std::string_view shown = line.substr(0, 300);  // some test lines are 100 KB
  ASSERT_FALSE(o.ok) << Render(o) << "\n  line: " << shown;
  EXPECT_EQ(ReasonName(o.rej.reason), ReasonName(reason)) << o.rej.detail << "\n  line: " << shown;
  EXPECT_THAT(o.rej.detail, HasSubstr(std::string(detail_part))) << "line: " << shown;
}

TEST(Decoder, DecodesATypicalOrderPlaced) {
  Outcome o = DecodeOne(kPlaced);
  ASSERT_TRUE(o.ok) << Render(o);
  EXPECT_EQ(Render(o),
            "order_placed e1 o1 2024-03-05T12:34:56Z customer=c1 currency=USD amount=1250 "
            "channel=web v1 extra={}");
  EXPECT_EQ(o.event.content_hash, ContentHash(o.event));
  EXPECT_NE(o.event.content_hash, 0u);
}

TEST(Decoder, DecodesCancelAndRefund) {
  EXPECT_EQ(Render(DecodeOne(R"({"event_id":"e2","event_type":"order_cancelled","order_id":"o1",)"
                             R"("occurred_at":"2024-03-05T13:00:00+01:00"})")),
            "order_cancelled e2 o1 2024-03-05T12:00:00Z customer= currency=- amount=- "
            "channel=unknown v1 extra={}");
  EXPECT_EQ(
      Render(DecodeOne(R"({"event_id":"e3","event_type":"order_refunded","order_id":"o1",)"
                       R"("occurred_at":"2024-03-06T00:00:00Z","amount":5,"currency":"EUR"})")),
      "order_refunded e3 o1 2024-03-06T00:00:00Z customer= currency=EUR amount=500 "
      "channel=unknown v1 extra={}");
}

// ---- One test per reason code ------------------------------------------

TEST(DecoderReason, InvalidUtf8) {
  std::string bad = With("\"c1\"", "\"c\xC3\x28\"");  // 0xC3 needs a continuation byte
  ExpectRejected(bad, Reason::kInvalidUtf8, "offset " + std::to_string(bad.find('\xC3')));
  ExpectRejected("{\"a\":\"\xED\xA0\x80\"}", Reason::kInvalidUtf8, "UTF-8");  // surrogate
  ExpectRejected("{\"a\":\"\xC0\xAF\"}", Reason::kInvalidUtf8, "offset 6");   // overlong
  // Anywhere in the line: a key, a nested value, trailing whitespace.
  ExpectRejected(With("{", "{\"k\xFF\":1,"), Reason::kInvalidUtf8, "offset 3");
  ExpectRejected(With("{", "{\"m\":[{\"k\":\"\xF8\"}],"), Reason::kInvalidUtf8, "UTF-8");
  ExpectRejected(kPlaced + " \x80", Reason::kInvalidUtf8, "UTF-8");
}

TEST(DecoderReason, MalformedJson) {
  ExpectRejected(With("\"channel\":", "\"channel\" "), Reason::kMalformedJson, "invalid JSON");
  ExpectRejected(kPlaced + " {}", Reason::kMalformedJson, "trailing content");
  ExpectRejected("[1,2]", Reason::kMalformedJson, "not a JSON object");
  ExpectRejected("\"order\"", Reason::kMalformedJson, "not a JSON object");
  ExpectRejected("", Reason::kMalformedJson, "invalid JSON");
  ExpectRejected(With("}", ",}"), Reason::kMalformedJson, "invalid JSON");
  ExpectRejected(With("{", "{\"meta\":{\"a\":1,},"), Reason::kMalformedJson, "'meta'");
  ExpectRejected(With("{", "{\"x\":NaN,"), Reason::kMalformedJson, "invalid JSON");
  ExpectRejected(With("{", "{\"x\":Infinity,"), Reason::kMalformedJson, "invalid JSON");
  ExpectRejected(With("\"12.50\"", "-Infinity"), Reason::kMalformedJson, "'amount'");
  ExpectRejected(With("\"12.50\"", "012.5"), Reason::kMalformedJson, "invalid JSON number");
  ExpectRejected(With("{", "{\"x\":tru,"), Reason::kMalformedJson, "invalid JSON literal 'tru'");
  ExpectRejected(With("{", "{\"x\":\"\\q\","), Reason::kMalformedJson, "'x'");
}

TEST(DecoderReason, MissingField) {
  ExpectRejected(With("\"order_id\":\"o1\",", ""), Reason::kMissingField, "order_id is missing");
  ExpectRejected(With("\"o1\"", "null"), Reason::kMissingField, "order_id is null");
  ExpectRejected(With("\"o1\"", "\"\""), Reason::kMissingField, "order_id is empty");
  ExpectRejected(With("\"customer_id\":\"c1\",", ""), Reason::kMissingField,
                 "customer_id is missing (required on order_placed)");
  ExpectRejected(With("\"amount\":\"12.50\",", ""), Reason::kMissingField, "amount is missing");
  ExpectRejected(With("\"12.50\"", "\"\""), Reason::kMissingField, "amount is empty");
  ExpectRejected(With(",\"currency\":\"USD\"", ""), Reason::kMissingField, "currency is missing");
}

TEST(DecoderReason, WrongType) {
  ExpectRejected(With("\"o1\"", "17"), Reason::kWrongType, "order_id: expected string, got number");
  ExpectRejected(With("\"web\"", "[\"web\"]"), Reason::kWrongType,
                 "channel: expected string, got array");
  ExpectRejected(With("\"2024-03-05T12:34:56Z\"", "1709642096"), Reason::kWrongType,
                 "occurred_at: expected string, got number");
  ExpectRejected(With("\"12.50\"", "true"), Reason::kWrongType,
                 "amount: expected decimal string or number, got boolean");
  ExpectRejected(With("\"12.50\"", "{\"v\":\"12.50\"}"), Reason::kWrongType, "amount");
  ExpectRejected(With("\"USD\"", "840"), Reason::kWrongType, "currency: expected string");
}

TEST(DecoderReason, WrongTypeForIdsLongerThan128Bytes) {
  std::string id128(128, 'x'), id129(129, 'x');
  EXPECT_TRUE(DecodeOne(With("\"e1\"", "\"" + id128 + "\"")).ok);
  ExpectRejected(With("\"e1\"", "\"" + id129 + "\""), Reason::kWrongType,
                 "event_id is 129 bytes; at most 128");
  ExpectRejected(With("\"o1\"", "\"" + id129 + "\""), Reason::kWrongType, "order_id is 129 bytes");
  ExpectRejected(With("\"c1\"", "\"" + id129 + "\""), Reason::kWrongType,
                 "customer_id is 129 bytes");
}

TEST(DecoderReason, UnknownEventType) {
  ExpectRejected(With("order_placed", "order_shipped"), Reason::kUnknownEventType,
                 "event_type 'order_shipped' is not one of");
  ExpectRejected(With("order_placed", "ORDER_PLACED"), Reason::kUnknownEventType, "event_type");
}

TEST(DecoderReason, InvalidTimestamp) {
  ExpectRejected(With("56Z", "56.000"), Reason::kInvalidTimestamp,
                 "occurred_at '2024-03-05T12:34:56.000': missing UTC offset");
  ExpectRejected(With("03-05", "02-30"), Reason::kInvalidTimestamp, "no such calendar date");
}

TEST(DecoderReason, InvalidAmount) {
  for (std::string bad : {"\"1e3\"", "1e3", "1E3", "\"+5\"", "\" 5\"", "\"5 \"", "\"1,000\"",
                          "\"12.\"", "\".5\"", "\"abc\"", "\"123456789012345\""}) {
    ExpectRejected(With("\"12.50\"", bad), Reason::kInvalidAmount, "amount");
  }
  ExpectRejected(With("\"12.50\"", "\"-0.01\""), Reason::kInvalidAmount,
                 "amount '-0.01' is negative; order_placed needs >= 0");
}

TEST(DecoderReason, AmountPrecision) {
  ExpectRejected(With("\"12.50\"", "\"12.505\""), Reason::kAmountPrecision,
                 "amount '12.505' has more than 2 fractional digits for USD");
  ExpectRejected(With("\"12.50\"", "12.505"), Reason::kAmountPrecision, "amount");
}

TEST(DecoderReason, UnknownCurrency) {
  ExpectRejected(With("\"USD\"", "\"usd\""), Reason::kUnknownCurrency,
                 "currency 'usd' is not an upper-case ISO 4217 currency code");
  ExpectRejected(With("\"USD\"", "\"XXX\""), Reason::kUnknownCurrency, "currency 'XXX'");
  ExpectRejected(With("\"USD\"", "\"US\""), Reason::kUnknownCurrency, "currency");
}

TEST(DecoderReason, UnknownSchemaVersion) {
  ExpectRejected(With("{", "{\"schema_version\":7,"), Reason::kUnknownSchemaVersion,
                 "schema_version 7 is not declared under contracts:");
  ExpectRejected(With("{", "{\"schema_version\":0,"), Reason::kUnknownSchemaVersion,
                 "schema_version 0");
  ExpectRejected(With("{", "{\"schema_version\":-2,"), Reason::kUnknownSchemaVersion,
                 "schema_version -2");
  ExpectRejected(With("{", "{\"schema_version\":99999999999999999999,"),
                 Reason::kUnknownSchemaVersion, "schema_version 99999999999999999999");
}

// ---- Typed values and the content hash ---------------------------------

TEST(Decoder, KeyOrderAndWhitespaceDoNotChangeTheEventOrHash) {
  std::string reordered =
      "{ \"channel\" : \"web\",\t\"currency\":\"USD\", \"amount\":\"12.50\",\"customer_id\":\"c1\","
      "\"occurred_at\":\"2024-03-05T12:34:56Z\" , \"order_id\":\"o1\",\"event_type\":"
      "\"order_placed\",\"event_id\":\"e1\" }  \r";
  Outcome a = DecodeOne(kPlaced), b = DecodeOne(reordered);
  ASSERT_TRUE(a.ok && b.ok) << Render(b);
  EXPECT_EQ(Render(a), Render(b));
  EXPECT_EQ(a.event.content_hash, b.event.content_hash);
}

TEST(Decoder, NumberAndStringAmountsAreTheSameTypedValue) {
  Outcome s = DecodeOne(kPlaced), n = DecodeOne(With("\"12.50\"", "12.5")),
          n2 = DecodeOne(With("\"12.50\"", " 12.50 \t"));
  ASSERT_TRUE(s.ok && n.ok && n2.ok) << Render(n2);
  EXPECT_EQ(n.event.amount_minor, 1250);
  EXPECT_EQ(s.event.content_hash, n.event.content_hash);
  EXPECT_EQ(s.event.content_hash, n2.event.content_hash);
  EXPECT_NE(s.event.content_hash, DecodeOne(With("\"12.50\"", "12.51")).event.content_hash);
}

TEST(Decoder, AmountsUseTheCurrencyExponent) {
  auto amount = [](std::string value, std::string currency) {
    Outcome o = DecodeOne(With("\"USD\"", "\"" + currency + "\"", With("\"12.50\"", value)));
    return o.ok ? std::to_string(o.event.amount_minor) : Render(o);
  };
  EXPECT_EQ(amount("1500", "JPY"), "1500");
  EXPECT_EQ(amount("\"1500\"", "JPY"), "1500");
  EXPECT_EQ(amount("1500.0", "JPY"), "1500");  // a trailing zero is exact
  EXPECT_THAT(amount("1500.5", "JPY"), HasSubstr("AMOUNT_PRECISION"));
  EXPECT_EQ(amount("\"1.234\"", "KWD"), "1234");
  EXPECT_EQ(amount("1.2", "KWD"), "1200");
  EXPECT_THAT(amount("1.2345", "KWD"), HasSubstr("AMOUNT_PRECISION"));
  EXPECT_EQ(amount("\"1.230\"", "USD"), "123");  // trailing zero beyond the exponent: exact
  EXPECT_THAT(amount("\"1.235\"", "USD"), HasSubstr("AMOUNT_PRECISION"));
  EXPECT_EQ(amount("99999999999999.99", "USD"), "9999999999999999");
}

TEST(Decoder, AmountSignRules) {
  Outcome zero = DecodeOne(With("\"12.50\"", "\"-0\""));
  ASSERT_TRUE(zero.ok) << Render(zero);
  EXPECT_EQ(zero.event.amount_minor, 0);
  EXPECT_EQ(zero.event.content_hash, DecodeOne(With("\"12.50\"", "0")).event.content_hash);
  std::string refund = With("order_placed", "order_refunded");
  EXPECT_TRUE(DecodeOne(refund).ok);
  ExpectRejected(With("\"12.50\"", "0", refund), Reason::kInvalidAmount,
                 "amount '0' must be > 0 on order_refunded");
  ExpectRejected(With("\"12.50\"", "-3", refund), Reason::kInvalidAmount, "amount '-3'");
}

TEST(Decoder, CancelTakesNoAmountAndAnOptionalCurrency) {
  std::string cancel = With("order_placed", "order_cancelled");
  ExpectRejected(cancel, Reason::kInvalidAmount, "amount is not allowed on order_cancelled");
  std::string no_amount = With("\"amount\":\"12.50\",", "", cancel);
  Outcome kept = DecodeOne(no_amount);
  ASSERT_TRUE(kept.ok) << Render(kept);
  EXPECT_EQ(Render(kept),
            "order_cancelled e1 o1 2024-03-05T12:34:56Z customer=c1 currency=USD amount=- "
            "channel=web v1 extra={}");
  EXPECT_TRUE(DecodeOne(With("\"12.50\"", "null", cancel)).ok);
  EXPECT_EQ(DecodeOne(With(",\"currency\":\"USD\"", "", no_amount)).event.currency, nullptr);
  ExpectRejected(With("\"USD\"", "\"usd\"", no_amount), Reason::kUnknownCurrency, "currency");
  ExpectRejected(With("\"USD\"", "\"usd\"", cancel), Reason::kUnknownCurrency, "currency");
}

TEST(Decoder, OptionalFieldsTakeTheirDefaults) {
  Outcome o = DecodeOne(With(",\"channel\":\"web\"", ",\"schema_version\":1"));
  ASSERT_TRUE(o.ok) << Render(o);
  EXPECT_EQ(o.event.channel, "unknown");
  EXPECT_EQ(o.event.schema_version, 1);
  EXPECT_EQ(o.event.content_hash, DecodeOne(With("\"web\"", "null")).event.content_hash);
  EXPECT_EQ(o.event.content_hash, DecodeOne(With("\"web\"", "\"\"")).event.content_hash);
  EXPECT_EQ(DecodeOne(With("\"web\"", "\"unknown\"")).event.content_hash, o.event.content_hash);
  EXPECT_TRUE(DecodeOne(With("{", "{\"schema_version\":null,")).ok);
}

TEST(Decoder, SchemaVersionMustBeAnInteger) {
  ExpectRejected(With("{", "{\"schema_version\":\"2\","), Reason::kWrongType,
                 "schema_version: expected integer, got string");
  ExpectRejected(With("{", "{\"schema_version\":1.0,"), Reason::kWrongType,
                 "schema_version: expected integer, got '1.0'");
  ExpectRejected(With("{", "{\"schema_version\":1e0,"), Reason::kWrongType, "schema_version");
}

// ---- Precedence ---------------------------------------------------------

TEST(Decoder, FirstProblemInContractOrderWins) {
  // Bad UTF-8 beats bad JSON; bad JSON beats everything else.
  ExpectRejected("{\"a\":\"\xFF\" ", Reason::kInvalidUtf8, "offset 6");
  ExpectRejected("{\"schema_version\":7,\"a\":1,\"a\":2}", Reason::kMalformedJson, "duplicate");
  // The schema version is decided before any field.
  ExpectRejected("{\"schema_version\":7,\"event_id\":3}", Reason::kUnknownSchemaVersion, "7");
  // Then fields in contract order, whatever their order in the line.
  ExpectRejected(R"({"amount":true,"event_type":"bogus","event_id":5})", Reason::kWrongType,
                 "event_id");
  ExpectRejected(R"({"order_id":5,"event_type":"bogus","event_id":"e"})", Reason::kUnknownEventType,
                 "event_type");
  ExpectRejected(With("\"12.50\"", "\"1e3\"", With("\"USD\"", "\"usd\"")), Reason::kUnknownCurrency,
                 "currency");
  ExpectRejected(With("\"12.50\"", "true", With(",\"currency\":\"USD\"", "")),
                 Reason::kMissingField, "currency is missing");
  ExpectRejected(With("\"12.50\"", "\"1e3\"", With("\"web\"", "7")), Reason::kInvalidAmount,
                 "amount");
}

// ---- Unknown fields, drift and contract versions -------------------------

TEST(Decoder, UnknownFieldsBecomeCanonicalExtraJsonAndDrift) {
  std::string line = With("{",
                          "{\"meta\": { \"b\" : 2, \"a\" : [1, 2.50, \"\\u0041\"] } , "
                          "\"coupon\":\"X\\u00e9\\/\",\"z\":null,\"b\":false,");
  Outcome o = DecodeOne(line);
  ASSERT_TRUE(o.ok) << Render(o);
  EXPECT_EQ(o.event.extra_json,
            "{\"b\":false,\"coupon\":\"X\xC3\xA9/\",\"meta\":{\"b\":2,\"a\":[1,2.50,\"A\"]},"
            "\"z\":null}");
  std::string drift;
  for (const auto& [name, f] : o.drift) drift += name + "=" + std::to_string(f.count) + " ";
  EXPECT_EQ(drift, "b=1 coupon=1 meta=1 z=1 ");
  // Same extras in another order and spelling: the same event.
  Outcome p = DecodeOne(With("{",
                             "{\"z\":null,\"b\":false,\"coupon\":\"X\xC3\xA9/\","
                             "\"meta\":{\"b\":2,\"a\":[1,2.50,\"A\"]},"));
  EXPECT_EQ(o.event.content_hash, p.event.content_hash);
}

TEST(Decoder, ExtraKeysAreEscapedCanonically) {
  Outcome o = DecodeOne(With("{", "{\"a\\\"b\":\"x\\ny\\u0001\","));
  ASSERT_TRUE(o.ok) << Render(o);
  EXPECT_EQ(o.event.extra_json, "{\"a\\\"b\":\"x\\ny\\u0001\"}");
}

TEST(Decoder, RejectedLinesRecordNoDrift) {
  Outcome o = DecodeOne(With("\"o1\"", "1", With("{", "{\"coupon\":\"X\",")));
  EXPECT_FALSE(o.ok);
  EXPECT_TRUE(o.drift.empty());
}

DecodeOptions V2() {
  DecodeOptions opts;
  opts.contracts.push_back(ContractVersion{2, {{"amount", "total"}, {"customer_id", "customer"}}});
  return opts;
}

TEST(Decoder, ContractVersionTwoDecodesRenamedFields) {
  std::string v2 =
      With("\"amount\"", "\"total\"",
           With("\"customer_id\"", "\"customer\"", With("{", "{\"schema_version\":2,")));
  Outcome o = DecodeOne(v2, V2());
  ASSERT_TRUE(o.ok) << Render(o);
  EXPECT_EQ(Render(o),
            "order_placed e1 o1 2024-03-05T12:34:56Z customer=c1 currency=USD amount=1250 "
            "channel=web v2 extra={}");
  // Version 2 is not declared without the contract.
  ExpectRejected(v2, Reason::kUnknownSchemaVersion, "schema_version 2 is not declared");
  // In version 2 the v1 name is an unknown field; the renamed one is missing.
  std::string old_names = With("{", "{\"schema_version\":2,");
  ExpectRejected(old_names, Reason::kMissingField, "customer (customer_id) is missing", V2());
  ExpectRejected(With("\"c1\"", "7", v2), Reason::kWrongType,
                 "customer (customer_id): expected string", V2());
  ExpectRejected(With("\"12.50\"", "\"1e3\"", v2), Reason::kInvalidAmount, "total (amount)", V2());
  // A v1 line still decodes by v1 names under the same options.
  EXPECT_TRUE(DecodeOne(kPlaced, V2()).ok);
}

TEST(Decoder, ContractVersionTwoKeepsV1NamesAsExtras) {
  std::string v2 = With("\"customer_id\"", "\"customer\"",
                        With("{", "{\"schema_version\":2,\"total\":\"12.50\","));
  Outcome o = DecodeOne(v2, V2());
  ASSERT_TRUE(o.ok) << Render(o);
  EXPECT_EQ(o.event.extra_json, "{\"amount\":\"12.50\"}");
  EXPECT_EQ(o.drift.fields().count("amount"), 1u);
}

// ---- Hostile bytes ------------------------------------------------------

std::string Nested(int depth) {  // a value nested `depth` arrays deep
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(Decoder, DeepNestingIsBoundedAndNeverCrashes) {
  // The event object is level 1, so an extra field may nest 63 more levels.
  Outcome ok = DecodeOne(With("{", "{\"deep\":" + Nested(kMaxJsonDepth - 1) + ","));
  ASSERT_TRUE(ok.ok) << Render(ok);
  EXPECT_THAT(ok.event.extra_json, HasSubstr(Nested(kMaxJsonDepth - 1)));
  ExpectRejected(With("{", "{\"deep\":" + Nested(kMaxJsonDepth) + ","), Reason::kMalformedJson,
                 "'deep': nesting deeper than 64 levels");
  ExpectRejected(With("{", "{\"deep\":" + Nested(100000) + ","), Reason::kMalformedJson, "deep");
  ExpectRejected(With("{", "{\"deep\":" + std::string(100000, '[') + ","), Reason::kMalformedJson,
                 "nesting deeper");
  ExpectRejected(std::string(100000, '{'), Reason::kMalformedJson, "JSON");
}

TEST(Decoder, DuplicateKeysAreMalformed) {
  ExpectRejected(kPlaced.substr(0, kPlaced.size() - 1) + ",\"amount\":\"12.50\"}",
                 Reason::kMalformedJson, "duplicate key 'amount'");
  // Keys are compared after unescaping.
  ExpectRejected(With("{", "{\"amoun\\u0074\":1,"), Reason::kMalformedJson,
                 "duplicate key 'amount'");
  ExpectRejected(With("{", "{\"x\":1,\"x\":1,"), Reason::kMalformedJson, "duplicate key 'x'");
  // Nested objects are an extra field's own business.
  EXPECT_TRUE(DecodeOne(With("{", "{\"m\":{\"x\":1,\"x\":2},")).ok);
}

TEST(Decoder, NulBytesAreMalformed) {
  using namespace std::string_literals;
  ExpectRejected(With("\"o1\"", "\"o\0\""s), Reason::kMalformedJson, "JSON");
  ExpectRejected(With(",\"channel\"", "\0,\"channel\""s), Reason::kMalformedJson, "JSON");
  ExpectRejected(With("\"12.50\"", "12\0"s), Reason::kMalformedJson, "'amount'");
  ExpectRejected(kPlaced + "\0"s, Reason::kMalformedJson, "JSON");
  // An escaped NUL is a character like any other.
  EXPECT_TRUE(DecodeOne(With("\"o1\"", "\"o\\u0000\"")).ok);
}

TEST(Decoder, ByteOrderMarks) {
  const std::string bom = "\xEF\xBB\xBF";
  ExpectRejected(bom + kPlaced, Reason::kMalformedJson, "byte order mark");
  ExpectRejected(With(",\"channel\"", bom + ",\"channel\""), Reason::kMalformedJson, "JSON");
  // Inside a string it is just U+FEFF.
  EXPECT_TRUE(DecodeOne(With("\"web\"", "\"" + bom + "web\"")).ok);
}

TEST(Decoder, TrailingCarriageReturnIsWhitespace) {
  Outcome crlf = DecodeOne(kPlaced + "\r");
  ASSERT_TRUE(crlf.ok) << Render(crlf);
  EXPECT_EQ(crlf.event.content_hash, DecodeOne(kPlaced).event.content_hash);
}

// ---- Buffers and reuse --------------------------------------------------

TEST(Decoder, PaddedAndUnpaddedInputsDecodeAlike) {
  std::string buffer = kPlaced + std::string(simdjson::SIMDJSON_PADDING, '\0');
  std::string_view line(buffer.data(), kPlaced.size());
  Decoder d({});
  Event a, b;
  Rejection rej;
  ASSERT_TRUE(d.Decode(line, /*padded=*/true, &a, &rej, nullptr)) << rej.detail;
  ASSERT_TRUE(d.Decode(line, /*padded=*/false, &b, &rej, nullptr)) << rej.detail;
  EXPECT_EQ(Render(a), Render(b));
  EXPECT_EQ(a.content_hash, b.content_hash);
}

TEST(Decoder, ReusedEventIsFullyOverwritten) {
  Decoder d({});
  Event e;
  Rejection rej;
  ASSERT_TRUE(d.Decode(With("{", "{\"coupon\":1,"), false, &e, &rej, nullptr));
  std::string cancel = R"({"event_id":"e9","event_type":"order_cancelled","order_id":"o9",)"
                       R"("occurred_at":"2024-03-05T12:00:00Z"})";
  ASSERT_TRUE(d.Decode(cancel, false, &e, &rej, nullptr)) << rej.detail;
  Event fresh;
  ASSERT_TRUE(d.Decode(cancel, false, &fresh, &rej, nullptr));
  EXPECT_EQ(Render(e), Render(fresh));
  EXPECT_EQ(e.content_hash, fresh.content_hash);
  // A rejection in between leaves the decoder ready for the next line.
  EXPECT_FALSE(d.Decode("{\"a\":", false, &e, &rej, nullptr));
  ASSERT_TRUE(d.Decode(cancel, false, &e, &rej, nullptr));
  EXPECT_EQ(e.content_hash, fresh.content_hash);
}

// Regression (issue 6, found with the fuzz target's UTF-8 property): a bad
// amount of multi-byte characters was quoted in the detail cut at 64 bytes,
// in the middle of a character, so the detail stored in quarantine.detail
// was not valid UTF-8. Details are valid UTF-8 whatever the line.
TEST(Decoder, RejectionDetailIsValidUtf8WhenABadAmountIsCut) {
  std::string fullwidth;
  for (int i = 0; i < 30; ++i) fullwidth += "\xEF\xBC\x91";  // U+FF11 FULLWIDTH DIGIT ONE, 90 bytes
  std::string line = kPlaced;
  line.replace(line.find("12.50"), 5, fullwidth);
  Outcome o = DecodeOne(line);
  ASSERT_FALSE(o.ok);
  EXPECT_EQ(o.rej.reason, Reason::kInvalidAmount);
  EXPECT_TRUE(simdjson::validate_utf8(o.rej.detail.data(), o.rej.detail.size())) << o.rej.detail;
  EXPECT_THAT(o.rej.detail, HasSubstr("amount '\xEF\xBC\x91"));
  EXPECT_THAT(o.rej.detail, HasSubstr("is not a plain decimal number"));
}

}  // namespace
}  // namespace daybook

#include "core/config.h"

#include <cctype>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/money.h"
#include "core/time.h"

namespace daybook {
namespace fs = std::filesystem;
namespace {

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string Resolve(const std::string& base, const std::string& p) {
  if (p.empty()) return p;
  fs::path path(p);
  if (path.is_absolute()) return path.lexically_normal().string();
  return (fs::path(base) / path).lexically_normal().string();
}

// Walks a YAML mapping, turning every problem into a Status naming the file,
// line and dotted key.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  Status Err(const YAML::Node& n, const std::string& key, const std::string& what) const {
    int line = n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
    return InvalidArgument(file_ + ":" + std::to_string(line) + ": " + key + ": " + what);
  }

  Status CheckKeys(const YAML::Node& map, const std::string& prefix,
                   const std::vector<std::string>& allowed) const {
    if (!map.IsMap()) return Err(map, prefix.empty() ? "(top level)" : prefix, "expected a mapping");
    std::vector<std::string> seen;
    for (const auto& kv : map) {
      std::string k = kv.first.as<std::string>();
      if (std::find(seen.begin(), seen.end(), k) != seen.end()) {
        return Err(kv.first, prefix.empty() ? k : prefix + "." + k, "key appears twice in the same mapping");
      }
      seen.push_back(k);
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        std::string hint = Suggest(k, allowed);
        return Err(kv.first, prefix.empty() ? k : prefix + "." + k,
                   "unknown key" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      }
    }
    return Status::Ok();
  }

  Status Str(const YAML::Node& n, const std::string& key, std::string* out) const {
    if (!n) return Status::Ok();
    if (!n.IsScalar()) return Err(n, key, "expected a string");
    *out = n.as<std::string>();
    return Status::Ok();
  }

  template <typename T>
  Status Num(const YAML::Node& n, const std::string& key, T* out, T lo, T hi) const {
    if (!n) return Status::Ok();
    T v;
    if (!n.IsScalar() || !YAML::convert<T>::decode(n, v)) {
      return Err(n, key, "expected a number, got '" + (n.IsScalar() ? n.Scalar() : "a collection") + "'");
    }
    if (!(v >= lo && v <= hi)) {  // also rejects NaN
      std::ostringstream os;
      os << "must be between " << lo << " and " << hi;
      return Err(n, key, os.str());
    }
    *out = v;
    return Status::Ok();
  }

 private:
  std::string file_;
};

Status ParseBusiness(const Reader& r, const YAML::Node& b, Config* c) {
  DAYBOOK_RETURN_IF_ERROR(r.CheckKeys(b, "business",
                                      {"timezone", "reporting_currency", "daily_close",
                                       "restatement_window_days", "max_clock_skew"}));
  DAYBOOK_RETURN_IF_ERROR(r.Str(b["timezone"], "business.timezone", &c->timezone));
  if (b["timezone"]) {
    auto tz = TimeZone::Load(c->timezone);
    if (!tz.ok()) return r.Err(b["timezone"], "business.timezone", tz.status().message());
  }
  DAYBOOK_RETURN_IF_ERROR(
      r.Str(b["reporting_currency"], "business.reporting_currency", &c->reporting_currency));
  if (!FindCurrency(c->reporting_currency)) {
    return r.Err(b["reporting_currency"], "business.reporting_currency",
                 "'" + c->reporting_currency + "' is not an ISO 4217 currency code");
  }
  if (b["daily_close"]) {
    std::string s;
    DAYBOOK_RETURN_IF_ERROR(r.Str(b["daily_close"], "business.daily_close", &s));
    auto m = ParseClockTime(s);
    if (!m) return r.Err(b["daily_close"], "business.daily_close", "expected \"HH:MM\", got '" + s + "'");
    c->daily_close_minutes = *m;
  }
  DAYBOOK_RETURN_IF_ERROR(r.Num(b["restatement_window_days"], "business.restatement_window_days",
                                &c->restatement_window_days, 0, 36500));
  if (b["max_clock_skew"]) {
    std::string s;
    DAYBOOK_RETURN_IF_ERROR(r.Str(b["max_clock_skew"], "business.max_clock_skew", &s));
    auto d = ParseDuration(s);
    if (!d) return r.Err(b["max_clock_skew"], "business.max_clock_skew", "expected a duration like 5m, got '" + s + "'");
    c->max_clock_skew_micros = *d;
  }
  return Status::Ok();
}

Status ParseSources(const Reader& r, const YAML::Node& s, Config* c) {
  if (!s.IsSequence()) return r.Err(s, "sources", "expected a list of sources");
  c->sources.clear();
  for (size_t i = 0; i < s.size(); ++i) {
    const YAML::Node& n = s[i];
    std::string key = "sources[" + std::to_string(i) + "]";
    DAYBOOK_RETURN_IF_ERROR(r.CheckKeys(n, key, {"name", "type", "path", "max_record_bytes"}));
    SourceConfig sc;
    sc.name = "source" + std::to_string(i + 1);
    DAYBOOK_RETURN_IF_ERROR(r.Str(n["name"], key + ".name", &sc.name));
    DAYBOOK_RETURN_IF_ERROR(r.Str(n["type"], key + ".type", &sc.type));
    if (sc.type != "files") {
      return r.Err(n["type"], key + ".type",
                   "source type '" + sc.type + "' is not available in this version (supported: files)");
    }
    if (!n["path"]) return r.Err(n, key + ".path", "a files source needs a path (a glob)");
    DAYBOOK_RETURN_IF_ERROR(r.Str(n["path"], key + ".path", &sc.path));
    sc.path = Resolve(c->base_dir, sc.path);
    DAYBOOK_RETURN_IF_ERROR(r.Num<int64_t>(n["max_record_bytes"], key + ".max_record_bytes",
                                           &sc.max_record_bytes, 256, 256LL << 20));
    for (const auto& other : c->sources) {
      if (other.name == sc.name) return r.Err(n["name"], key + ".name", "duplicate source name '" + sc.name + "'");
    }
    c->sources.push_back(sc);
  }
  return Status::Ok();
}

Status ParseContracts(const Reader& r, const YAML::Node& s, Config* c) {
  static const std::vector<std::string> kCanonical = {
      "event_id", "event_type", "order_id", "occurred_at", "customer_id",
      "amount",   "currency",   "channel",  "schema_version"};
  if (!s.IsMap()) return r.Err(s, "contracts", "expected a mapping of version -> {fields: ...}");
  for (const auto& kv : s) {
    int version = 0;
    std::string key = "contracts." + kv.first.Scalar();
    if (!YAML::convert<int>::decode(kv.first, version) || version < 2) {
      return r.Err(kv.first, key, "contract versions are integers >= 2 (v1 is built in)");
    }
    DAYBOOK_RETURN_IF_ERROR(r.CheckKeys(kv.second, key, {"fields", "description"}));
    if (kv.second["fields"] && !kv.second["fields"].IsMap()) {
      return r.Err(kv.second["fields"], key + ".fields",
                   "expected a mapping of contract v1 field -> name in this version");
    }
    ContractVersion cv;
    cv.version = version;
    std::map<std::string, std::string> used;  // name in this version -> canonical
    for (const auto& f : kv.second["fields"]) {
      std::string canon = f.first.as<std::string>();
      std::string fkey = key + ".fields." + canon;
      if (std::find(kCanonical.begin(), kCanonical.end(), canon) == kCanonical.end()) {
        std::string hint = Suggest(canon, kCanonical);
        return r.Err(f.first, fkey, "not a contract v1 field" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      }
      if (canon == "schema_version") {
        return r.Err(f.first, fkey, "schema_version cannot be renamed: it selects the contract version");
      }
      if (!f.second.IsScalar() || f.second.Scalar().empty()) return r.Err(f.second, fkey, "expected a field name");
      cv.fields[canon] = f.second.as<std::string>();
    }
    for (const auto& [canon, name] : cv.fields) {
      auto [it, fresh] = used.emplace(name, canon);
      if (!fresh) {
        return r.Err(kv.second["fields"], key + ".fields",
                     "'" + it->second + "' and '" + canon + "' are both named '" + name + "'");
      }
    }
    for (const auto& [canon, name] : cv.fields) {
      // A rename onto another canonical name is only valid if that field is
      // itself renamed away in this version.
      if (name != canon && std::find(kCanonical.begin(), kCanonical.end(), name) != kCanonical.end() &&
          (!cv.fields.count(name) || cv.fields.at(name) == name)) {
        return r.Err(kv.second["fields"], key + ".fields." + canon,
                     "'" + name + "' is already the name of the v1 field '" + name + "'");
      }
    }
    c->contracts.push_back(cv);
  }
  return Status::Ok();
}

// A DuckDB memory size: a number (decimals allowed) and a unit.
bool ValidMemorySize(const std::string& s) {
  size_t i = 0;
  bool digits = false;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) digits |= s[i++] != '.';
  if (!digits) return false;
  while (i < s.size() && s[i] == ' ') ++i;
  std::string unit = s.substr(i);
  for (char& ch : unit) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  static const char* kUnits[] = {"KB", "MB", "GB", "TB", "KIB", "MIB", "GIB", "TIB"};
  for (const char* u : kUnits) {
    if (unit == u) return true;
  }
  return false;
}

Status Parse(const YAML::Node& root, Config* c, const std::string& file) {
  Reader r(file);
  if (!root || root.IsNull()) return Status::Ok();
  DAYBOOK_RETURN_IF_ERROR(r.CheckKeys(root, "", {"warehouse", "business", "fx", "sources", "quality",
                                                 "models", "alerts", "contracts", "owner"}));

  // A section whose keys are all commented out is YAML null: treat it as empty.
  auto section = [&](const char* name) {
    YAML::Node n = root[name];
    return n && !n.IsNull() ? n : YAML::Node(YAML::NodeType::Undefined);
  };
  if (auto w = section("warehouse")) {
    DAYBOOK_RETURN_IF_ERROR(r.CheckKeys(w, "warehouse", {"path", "batch_events", "memory_limit"}));
    std::string p;
    DAYBOOK_RETURN_IF_ERROR(r.Str(w["path"], "warehouse.path", &p));
    if (!p.empty()) c->warehouse_path = Resolve(c->base_dir, p);
    DAYBOOK_RETURN_IF_ERROR(
        r.Num<int64_t>(w["batch_events"], "warehouse.batch_events", &c->batch_events, 1, 100000000));
    if (w["memory_limit"]) {
      DAYBOOK_RETURN_IF_ERROR(r.Str(w["memory_limit"], "warehouse.memory_limit", &c->memory_limit));
      if (!ValidMemorySize(c->memory_limit)) {
        return r.Err(w["memory_limit"], "warehouse.memory_limit",
                     "expected a size like 512MB, 2GB or 1.5GiB, got '" + c->memory_limit + "'");
      }
    }
  }
  if (auto b = section("business")) DAYBOOK_RETURN_IF_ERROR(ParseBusiness(r, b, c));
  if (auto o = section("owner")) {
    DAYBOOK_RETURN_IF_ERROR(r.Str(o, "owner", &c->default_owner));
    if (c->default_owner.empty()) return r.Err(o, "owner", "the default model owner cannot be empty");
  }
  if (auto f = section("fx")) {
    DAYBOOK_RETURN_IF_ERROR(r.CheckKeys(f, "fx", {"rates", "max_staleness_days"}));
    if (f["rates"] && !f["rates"].IsNull()) {
      std::string p;
      DAYBOOK_RETURN_IF_ERROR(r.Str(f["rates"], "fx.rates", &p));
      c->fx_rates_path = Resolve(c->base_dir, p);
    }
    DAYBOOK_RETURN_IF_ERROR(
        r.Num(f["max_staleness_days"], "fx.max_staleness_days", &c->fx_max_staleness_days, 0, 3650));
  }
  if (auto s = section("sources")) DAYBOOK_RETURN_IF_ERROR(ParseSources(r, s, c));
  if (auto q = section("quality")) {
    DAYBOOK_RETURN_IF_ERROR(r.CheckKeys(q, "quality", {"max_drop_rate", "min_rows_per_run",
                                                       "restatement_alert_ratio"}));
    DAYBOOK_RETURN_IF_ERROR(r.Num(q["max_drop_rate"], "quality.max_drop_rate", &c->max_drop_rate, 0.0, 1.0));
    DAYBOOK_RETURN_IF_ERROR(r.Num<int64_t>(q["min_rows_per_run"], "quality.min_rows_per_run",
                                           &c->min_rows_per_run, 0, INT64_MAX));
    DAYBOOK_RETURN_IF_ERROR(r.Num(q["restatement_alert_ratio"], "quality.restatement_alert_ratio",
                                  &c->restatement_alert_ratio, 0.0, 1e9));
  }
  if (auto ct = section("contracts")) DAYBOOK_RETURN_IF_ERROR(ParseContracts(r, ct, c));
  if (auto m = section("models")) {
    YAML::Emitter e;
    e << m;
    c->models_yaml = e.c_str();
  }
  if (auto a = section("alerts")) {
    YAML::Emitter e;
    e << a;
    c->alerts_yaml = e.c_str();
  }
  return Status::Ok();
}

}  // namespace

std::string Suggest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    size_t d = EditDistance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

Config DefaultConfig(const std::string& base_dir) {
  Config c;
  c.base_dir = fs::absolute(base_dir).lexically_normal().string();
  c.warehouse_path = Resolve(c.base_dir, "daybook.duckdb");
  SourceConfig s;
  s.path = Resolve(c.base_dir, "landing/*.jsonl*");
  c.sources.push_back(s);
  return c;
}

Result<Config> LoadConfig(const std::string& path) {
  if (fs::is_directory(path)) return InvalidArgument("'" + path + "' is a directory, not a configuration file");
  std::ifstream in(path);
  if (!in) return NotFound("cannot read configuration file '" + path + "'");
  std::string dir = fs::absolute(path).parent_path().string();
  Config c = DefaultConfig(dir);
  c.source_file = path;
  YAML::Node root;
  try {
    root = YAML::Load(in);
    DAYBOOK_RETURN_IF_ERROR(Parse(root, &c, path));
  } catch (const YAML::Exception& e) {
    return InvalidArgument(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  } catch (const std::exception& e) {
    return InvalidArgument(path + ": cannot read configuration: " + e.what());
  }
  return c;
}

}  // namespace daybook

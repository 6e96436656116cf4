#include "alerts/alert_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>

#include "core/config_section.h"
#include "core/time.h"

namespace daybook {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kSinkTypes = {"log", "file", "webhook", "command"};
const std::vector<std::string> kCommonKeys = {"type", "name", "min_severity"};

// Turns problems into statuses "file[:line]: key: what".
class Checker {
 public:
  Checker(std::string label, bool with_lines) : label_(std::move(label)), with_lines_(with_lines) {}

  Status Err(const YAML::Node& n, const std::string& key, const std::string& what) const {
    std::string where = label_;
    if (with_lines_ && n.IsDefined() && n.Mark().line >= 0) where += ":" + std::to_string(n.Mark().line + 1);
    return InvalidArgument(where + ": " + key + ": " + what);
  }

  Status Keys(const YAML::Node& map, const std::string& prefix, const std::vector<std::string>& allowed) const {
    if (!map.IsMap()) return Err(map, prefix, "expected a mapping");
    for (const auto& kv : map) {
      std::string k = kv.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        std::string hint = Suggest(k, allowed);
        return Err(kv.first, prefix + "." + k, "unknown key" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      }
    }
    return Status::Ok();
  }

  Status Str(const YAML::Node& n, const std::string& key, std::string* out) const {
    if (!n) return Status::Ok();
    if (!n.IsScalar()) return Err(n, key, "expected a string");
    *out = n.Scalar();
    return Status::Ok();
  }

  // A duration in (lo, hi] micros (lo itself allowed when allow_zero).
  Status Duration(const YAML::Node& n, const std::string& key, int64_t* out, bool allow_zero, int64_t hi) const {
    if (!n) return Status::Ok();
    std::string s;
    DAYBOOK_RETURN_IF_ERROR(Str(n, key, &s));
    auto d = ParseDuration(s);
    if (!d) return Err(n, key, "expected a duration like 5s or 6h, got '" + s + "'");
    if (*d < 0 || (*d == 0 && !allow_zero) || *d > hi) {
      return Err(n, key, "'" + s + "' is out of range (" + (allow_zero ? "0" : "more than 0") + " to " +
                             std::to_string(hi / 1000000) + "s)");
    }
    *out = *d;
    return Status::Ok();
  }

  Status Int(const YAML::Node& n, const std::string& key, int* out, int lo, int hi) const {
    if (!n) return Status::Ok();
    int v;
    if (!n.IsScalar() || !YAML::convert<int>::decode(n, v)) return Err(n, key, "expected a whole number");
    if (v < lo || v > hi) return Err(n, key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    *out = v;
    return Status::Ok();
  }

 private:
  std::string label_;
  bool with_lines_;
};

std::string Resolve(const std::string& base, const std::string& p) {
  fs::path path(p);
  if (path.is_absolute() || base.empty()) return path.lexically_normal().string();
  return (fs::path(base) / path).lexically_normal().string();
}

// "http://host:port" of a URL, or "" when it is not an http(s) URL with a host.
std::string SchemeHostPort(const std::string& url) {
  size_t p = url.find("://");
  if (p == std::string::npos) return "";
  std::string scheme = url.substr(0, p);
  if (scheme != "http" && scheme != "https") return "";
  size_t end = url.find_first_of("/?#", p + 3);
  std::string authority = url.substr(p + 3, end == std::string::npos ? std::string::npos : end - p - 3);
  if (authority.empty() || authority.find('@') != std::string::npos || authority.front() == ':') return "";
  return scheme + "://" + authority;
}

Status ParseSink(const Checker& c, const YAML::Node& n, const std::string& key, const std::string& base_dir,
                 SinkConfig* s) {
  if (!n.IsMap()) return c.Err(n, key, "expected a mapping with a 'type'");
  if (!n["type"]) return c.Err(n, key + ".type", "missing (one of log, file, webhook, command)");
  std::string type;
  DAYBOOK_RETURN_IF_ERROR(c.Str(n["type"], key + ".type", &type));
  std::vector<std::string> allowed = kCommonKeys;
  if (type == "log") {
    s->type = SinkType::kLog;
  } else if (type == "file") {
    s->type = SinkType::kFile;
    allowed.push_back("path");
  } else if (type == "webhook") {
    s->type = SinkType::kWebhook;
    allowed.insert(allowed.end(), {"url", "timeout", "retries", "backoff", "headers"});
  } else if (type == "command") {
    s->type = SinkType::kCommand;
    s->timeout_micros = 10 * 1000000LL;
    allowed.insert(allowed.end(), {"command", "timeout"});
  } else {
    std::string hint = Suggest(type, kSinkTypes);
    return c.Err(n["type"], key + ".type",
                 "unknown sink type '" + type + "'" + (hint.empty() ? " (expected log, file, webhook or command)"
                                                                    : " (did you mean '" + hint + "'?)"));
  }
  DAYBOOK_RETURN_IF_ERROR(c.Keys(n, key, allowed));

  DAYBOOK_RETURN_IF_ERROR(c.Str(n["min_severity"], key + ".min_severity", &s->min_severity));
  if (s->min_severity != "warn" && s->min_severity != "error") {
    return c.Err(n["min_severity"], key + ".min_severity", "expected warn or error, got '" + s->min_severity + "'");
  }
  constexpr int64_t kMaxTimeout = 300LL * 1000000;
  switch (s->type) {
    case SinkType::kLog:
      s->name = "log";
      break;
    case SinkType::kFile: {
      std::string p;
      DAYBOOK_RETURN_IF_ERROR(c.Str(n["path"], key + ".path", &p));
      if (p.empty()) return c.Err(n, key + ".path", "missing: the file to append alerts to");
      s->path = Resolve(base_dir, p);
      s->name = "file:" + p;
      break;
    }
    case SinkType::kWebhook: {
      DAYBOOK_RETURN_IF_ERROR(c.Str(n["url"], key + ".url", &s->url));
      if (s->url.empty()) return c.Err(n, key + ".url", "missing: the URL to POST alerts to");
      std::string shp = SchemeHostPort(s->url);
      if (shp.empty()) return c.Err(n["url"], key + ".url", "expected an http:// or https:// URL with a host, got '" + s->url + "'");
      s->name = "webhook:" + shp;
      DAYBOOK_RETURN_IF_ERROR(c.Duration(n["timeout"], key + ".timeout", &s->timeout_micros, false, kMaxTimeout));
      DAYBOOK_RETURN_IF_ERROR(c.Int(n["retries"], key + ".retries", &s->retries, 0, 10));
      DAYBOOK_RETURN_IF_ERROR(c.Duration(n["backoff"], key + ".backoff", &s->backoff_micros, true, kMaxTimeout));
      if (YAML::Node h = n["headers"]) {
        if (!h.IsMap()) return c.Err(h, key + ".headers", "expected a mapping of header names to values");
        for (const auto& kv : h) {
          std::string name = kv.first.Scalar(), value;
          DAYBOOK_RETURN_IF_ERROR(c.Str(kv.second, key + ".headers." + name, &value));
          if (name.empty() || name.find_first_of(" :\r\n") != std::string::npos ||
              value.find_first_of("\r\n") != std::string::npos) {
            return c.Err(kv.first, key + ".headers." + name, "not a valid HTTP header");
          }
          s->headers.emplace_back(name, value);
        }
      }
      break;
    }
    case SinkType::kCommand: {
      YAML::Node cmd = n["command"];
      if (!cmd) return c.Err(n, key + ".command", "missing: a list such as [\"/usr/bin/logger\", \"-t\", \"daybook\"]");
      if (!cmd.IsSequence() || cmd.size() == 0) {
        return c.Err(cmd, key + ".command", "expected a non-empty list: the program and its arguments (no shell)");
      }
      for (size_t i = 0; i < cmd.size(); ++i) {
        std::string arg;
        DAYBOOK_RETURN_IF_ERROR(c.Str(cmd[i], key + ".command[" + std::to_string(i) + "]", &arg));
        s->argv.push_back(arg);
      }
      if (s->argv[0].empty()) return c.Err(cmd[0], key + ".command[0]", "empty program name");
      s->name = "command:" + s->argv[0];
      DAYBOOK_RETURN_IF_ERROR(c.Duration(n["timeout"], key + ".timeout", &s->timeout_micros, false, kMaxTimeout));
      break;
    }
  }
  DAYBOOK_RETURN_IF_ERROR(c.Str(n["name"], key + ".name", &s->name));
  if (s->name.empty()) return c.Err(n["name"], key + ".name", "must not be empty");
  return Status::Ok();
}

Status ParseSinks(const Checker& c, const YAML::Node& list, const std::string& list_key, const std::string& base_dir,
                  AlertSettings* out) {
  if (!list || list.IsNull()) return Status::Ok();
  if (!list.IsSequence()) return c.Err(list, list_key, "expected a list of sinks (or a mapping with 'cooldown' and 'sinks')");
  for (size_t i = 0; i < list.size(); ++i) {
    SinkConfig s;
    std::string key = list_key + "[" + std::to_string(i) + "]";
    DAYBOOK_RETURN_IF_ERROR(ParseSink(c, list[i], key, base_dir, &s));
    for (const auto& other : out->sinks) {
      if (other.name == s.name) {
        return c.Err(list[i], key + ".name", "two sinks are named '" + s.name + "'; give one a distinct 'name:'");
      }
    }
    out->sinks.push_back(std::move(s));
  }
  return Status::Ok();
}

// yaml-cpp's Node::operator= writes through to the node referred to, so
// nodes are never reassigned here.
Status ParseSection(const Checker& c, const YAML::Node& root, const std::string& base_dir, AlertSettings* out) {
  if (!root || root.IsNull()) return Status::Ok();
  if (!root.IsMap()) return ParseSinks(c, root, "alerts", base_dir, out);
  DAYBOOK_RETURN_IF_ERROR(c.Keys(root, "alerts", {"cooldown", "sinks"}));
  DAYBOOK_RETURN_IF_ERROR(
      c.Duration(root["cooldown"], "alerts.cooldown", &out->cooldown_micros, true, 365LL * 86400 * 1000000));
  return ParseSinks(c, root["sinks"], "alerts.sinks", base_dir, out);
}

}  // namespace

Result<AlertSettings> ParseAlertSettingsYaml(const std::string& yaml, const std::string& base_dir,
                                             const std::string& file_label) {
  AlertSettings out;
  try {
    YAML::Node root = YAML::Load(yaml);
    DAYBOOK_RETURN_IF_ERROR(ParseSection(Checker(file_label, false), root, base_dir, &out));
  } catch (const YAML::Exception& e) {
    return InvalidArgument(file_label + ": alerts: " + e.msg);
  }
  return out;
}

Result<AlertSettings> ParseAlertSettings(const Config& config) {
  if (config.alerts_yaml.empty()) return AlertSettings{};
  const std::string label = config.source_file.empty() ? "configuration" : config.source_file;
  try {
    bool has_lines = false;
    YAML::Node section = ConfigSection(config, "alerts", config.alerts_yaml, &has_lines);
    AlertSettings out;
    DAYBOOK_RETURN_IF_ERROR(ParseSection(Checker(label, has_lines), section, config.base_dir, &out));
    return out;
  } catch (const YAML::Exception& e) {
    return InvalidArgument(label + ": alerts: " + e.msg);
  }
}

}  // namespace daybook

#include "checks/check_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "checks/internal/catalog.h"
#include "core/config_section.h"
#include "core/time.h"

namespace daybook {
namespace {

using checks_internal::Catalog;
using checks_internal::CheckDef;
using checks_internal::ParamKind;
using checks_internal::ParamSpec;

using Errors = SectionErrors;


std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

YAML::Node LoadModels(const Config& config, bool* has_lines) {
  return ConfigSection(config, "models", config.models_yaml, has_lines);
}

Status ParseParam(const Errors& err, const YAML::Node& n, const std::string& key, const ParamSpec& p,
                  double* out) {
  if (!n.IsScalar()) return err.At(n, key, "expected a scalar value");
  const std::string text = n.Scalar();
  if (p.kind == ParamKind::kDuration) {
    auto d = ParseDuration(text);
    if (!d || *d < 0) return err.At(n, key, "expected a duration like 30m, 2h or 1d, got '" + text + "'");
    *out = static_cast<double>(*d);
    return Status::Ok();
  }
  double v = 0;
  if (!YAML::convert<double>::decode(n, v) || !std::isfinite(v)) {
    return err.At(n, key, "expected a number, got '" + text + "'");
  }
  switch (p.kind) {
    case ParamKind::kCount:
      if (v < 0 || v != std::floor(v)) return err.At(n, key, "expected a whole number >= 0, got '" + text + "'");
      break;
    case ParamKind::kWeeks:
      if (v < 1 || v > 52 || v != std::floor(v)) {
        return err.At(n, key, "expected a whole number between 1 and 52, got '" + text + "'");
      }
      break;
    case ParamKind::kRatio:
      if (v < 0) return err.At(n, key, "expected a number >= 0, got '" + text + "'");
      break;
    case ParamKind::kNumber:
      if (v <= 0) return err.At(n, key, "expected a number > 0, got '" + text + "'");
      break;
    case ParamKind::kDuration:
      break;
  }
  *out = v;
  return Status::Ok();
}

Status ParseCheck(const Errors& err, const YAML::Node& n, const std::string& key, const CheckDef& def,
                  CheckSettings* s) {
  if (!n || n.IsNull()) return Status::Ok();  // `anomaly:` alone keeps the defaults
  if (!n.IsMap()) return err.At(n, key, "expected a mapping (severity, enabled, parameters)");
  std::vector<std::string> allowed = {"severity", "enabled"};
  for (const auto& p : def.params) allowed.push_back(p.name);
  for (const auto& kv : n) {
    const std::string k = kv.first.Scalar();
    const std::string sub = key + "." + k;
    if (k == "severity") {
      if (!kv.second.IsScalar() || !ParseSeverity(kv.second.Scalar(), &s->severity)) {
        return err.At(kv.second, sub,
                      "expected warn or error, got '" + (kv.second.IsScalar() ? kv.second.Scalar() : "a collection") +
                          "'");
      }
    } else if (k == "enabled") {
      bool b = false;
      if (!kv.second.IsScalar() || !YAML::convert<bool>::decode(kv.second, b)) {
        return err.At(kv.second, sub, "expected true or false");
      }
      s->enabled = b;
    } else {
      const ParamSpec* spec = nullptr;
      for (const auto& p : def.params) {
        if (k == p.name) spec = &p;
      }
      if (!spec) {
        return err.At(kv.first, sub,
                      "unknown parameter" + DidYouMean(k, allowed) + "; " + def.check + " on " + def.model +
                          " takes: " + Join(allowed));
      }
      double v = 0;
      DAYBOOK_RETURN_IF_ERROR(ParseParam(err, kv.second, sub, *spec, &v));
      s->params[k] = v;
    }
  }
  return Status::Ok();
}

// Cross-parameter rules.
Status CheckCoherent(const Errors& err, const YAML::Node& checks_node, const CheckSettings& s) {
  auto need = [&](const char* lo, const char* hi) -> Status {
    if (s.Has(lo) && s.Has(hi) && s.Param(lo) > s.Param(hi)) {
      std::ostringstream os;
      os << lo << " (" << s.Param(lo) << ") exceeds " << hi << " (" << s.Param(hi)
         << "): the check could never run";
      return err.At(checks_node[s.check], "models." + s.model + ".checks." + s.check, os.str());
    }
    return Status::Ok();
  };
  if (s.check == "volume" && s.model == "daily_revenue") return need("min_history", "history_weeks");
  if (s.check == "anomaly") return need("min_points", "history_weeks");
  return Status::Ok();
}

}  // namespace

double CheckSettings::Param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? 0.0 : it->second;
}

const CheckSettings* ChecksConfig::Find(const std::string& model, const std::string& check) const {
  for (const auto& c : checks) {
    if (c.model == model && c.check == check) return &c;
  }
  return nullptr;
}

Result<ChecksConfig> ParseChecksConfig(const Config& config) {
  ChecksConfig out;
  for (const CheckDef& def : Catalog()) {
    CheckSettings s;
    s.model = def.model;
    s.check = def.check;
    s.severity = def.severity;
    for (const auto& p : def.params) {
      double v = checks_internal::DefaultParam(p, config);
      if (!std::isnan(v)) s.params[p.name] = v;
    }
    out.checks.push_back(std::move(s));
  }
  if (config.models_yaml.empty()) return out;

  bool has_lines = false;
  YAML::Node models;
  try {
    models = LoadModels(config, &has_lines);
  } catch (const YAML::Exception& e) {
    return InvalidArgument((config.source_file.empty() ? "daybook.yml" : config.source_file) +
                           ": models: " + e.what());
  }
  Errors err(config.source_file, has_lines);
  if (!models || models.IsNull()) return out;
  if (!models.IsMap()) return err.At(models, "models", "expected a mapping of model name -> settings");

  std::vector<std::string> guarded;  // models that have built-in checks
  for (const CheckDef& def : Catalog()) {
    if (std::find(guarded.begin(), guarded.end(), def.model) == guarded.end()) guarded.push_back(def.model);
  }
  for (const auto& mkv : models) {
    const std::string model = mkv.first.Scalar();
    if (!mkv.second.IsMap()) continue;  // the documentation stage validates the model's shape
    YAML::Node checks = mkv.second["checks"];
    if (!checks || checks.IsNull()) continue;
    const std::string key = "models." + model + ".checks";
    if (std::find(guarded.begin(), guarded.end(), model) == guarded.end()) {
      return err.At(checks, key,
                    "no built-in check guards model '" + model + "'" + DidYouMean(model, guarded) +
                        "; models with checks: " + Join(guarded));
    }
    if (!checks.IsMap()) return err.At(checks, key, "expected a mapping of check name -> settings");
    std::vector<std::string> names;  // checks of this model
    for (const CheckDef& def : Catalog()) {
      if (model == def.model) names.push_back(def.check);
    }
    for (const auto& ckv : checks) {
      const std::string name = ckv.first.Scalar();
      const std::string ckey = key + "." + name;
      const CheckDef* def = nullptr;
      std::vector<std::string> elsewhere;
      for (const CheckDef& d : Catalog()) {
        if (name == d.check && model == d.model) def = &d;
        if (name == d.check && model != d.model) elsewhere.push_back(d.model);
      }
      if (!def) {
        if (!elsewhere.empty()) {
          return err.At(ckv.first, ckey,
                        "check '" + name + "' does not guard " + model + " (it guards " + Join(elsewhere) +
                            "); checks of " + model + ": " + Join(names));
        }
        return err.At(ckv.first, ckey,
                      "unknown check" + DidYouMean(name, names) + "; checks of " + model + ": " + Join(names));
      }
      CheckSettings* s = nullptr;
      for (auto& c : out.checks) {
        if (c.model == model && c.check == name) s = &c;
      }
      DAYBOOK_RETURN_IF_ERROR(ParseCheck(err, ckv.second, ckey, *def, s));
      DAYBOOK_RETURN_IF_ERROR(CheckCoherent(err, checks, *s));
    }
  }
  return out;
}

}  // namespace daybook

#include "catalog/catalog.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>

#include "catalog/internal/builtin.h"
#include "core/config_section.h"

namespace daybook {
namespace {

const std::vector<std::string> kModelKeys = {"description", "grain", "owner", "freshness_sla", "columns", "checks"};

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}


using Errors = SectionErrors;

YAML::Node LoadModels(const Config& config, bool* has_lines) {
  return ConfigSection(config, "models", config.models_yaml, has_lines);
}

Result<Catalog> ParseBuiltin() {
  Catalog cat;
  YAML::Node root;
  try {
    root = YAML::Load(catalog_internal::BuiltinCatalogYaml());
  } catch (const YAML::Exception& e) {
    return Internal(std::string("built-in catalog: ") + e.what());
  }
  for (const auto& kv : root) {
    ModelDoc m;
    m.name = kv.first.Scalar();
    const YAML::Node& n = kv.second;
    m.kind = n["kind"].Scalar();
    m.description = n["description"].Scalar();
    m.grain = n["grain"].Scalar();
    m.freshness_sla = n["freshness_sla"].Scalar();
    m.owner = kDefaultOwner;  // LoadCatalog applies the configured default
    for (const auto& u : n["upstream"]) m.upstream.push_back(u.Scalar());
    for (const auto& c : n["columns"]) m.columns.push_back({c.first.Scalar(), c.second.Scalar()});
    cat.models.push_back(std::move(m));
  }
  return cat;
}

std::string FormatClock(int minutes) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", (minutes / 60) % 100, minutes % 60);
  return buf;
}

void Fill(std::string* text, const Config& c) {
  const std::pair<const char*, std::string> vars[] = {
      {"{timezone}", c.timezone},
      {"{daily_close}", FormatClock(c.daily_close_minutes)},
      {"{reporting_currency}", c.reporting_currency},
      {"{restatement_window_days}", std::to_string(c.restatement_window_days)},
  };
  for (const auto& [name, value] : vars) {
    std::string_view nv(name);
    for (size_t p = 0; (p = text->find(nv, p)) != std::string::npos; p += value.size()) {
      text->replace(p, nv.size(), value);
    }
  }
}

// One text override: a non-empty scalar.
Status Text(const Errors& err, const YAML::Node& n, const std::string& key, const std::string& what, std::string* out) {
  if (n.IsNull() || (n.IsScalar() && n.Scalar().find_first_not_of(" \t\r\n") == std::string::npos)) {
    return err.At(n, key, "empty: " + what);
  }
  if (!n.IsScalar()) return err.At(n, key, "expected text");
  *out = n.Scalar();
  return Status::Ok();
}

Status ApplyModel(const Errors& err, const YAML::Node& n, const std::string& key, ModelDoc* m) {
  if (!n || n.IsNull()) return Status::Ok();
  if (!n.IsMap()) {
    return err.At(n, key, "expected a mapping (" + Join(kModelKeys) + ")");
  }
  for (const auto& kv : n) {
    const std::string k = kv.first.Scalar();
    const std::string sub = key + "." + k;
    if (k == "checks") continue;  // checks/check_config.h
    if (k == "description") {
      DAYBOOK_RETURN_IF_ERROR(Text(err, kv.second, sub,
                                   "every model needs a description (remove the key to keep the built-in one)",
                                   &m->description));
    } else if (k == "grain") {
      DAYBOOK_RETURN_IF_ERROR(Text(err, kv.second, sub,
                                   "every model needs a documented grain (remove the key to keep the built-in one)",
                                   &m->grain));
    } else if (k == "owner") {
      DAYBOOK_RETURN_IF_ERROR(
          Text(err, kv.second, sub,
               std::string("every model needs an owner (remove the key to keep the default owner)"),
               &m->owner));
    } else if (k == "freshness_sla") {
      DAYBOOK_RETURN_IF_ERROR(Text(err, kv.second, sub,
                                   "every model needs a freshness SLA (remove the key to keep the built-in one)",
                                   &m->freshness_sla));
    } else if (k == "columns") {
      const YAML::Node& cols = kv.second;
      if (cols.IsNull()) continue;
      if (!cols.IsMap()) return err.At(cols, sub, "expected a mapping of column name -> description");
      std::vector<std::string> names;
      for (const auto& c : m->columns) names.push_back(c.name);
      for (const auto& ckv : cols) {
        const std::string col = ckv.first.Scalar();
        const std::string ckey = sub + "." + col;
        auto it = std::find_if(m->columns.begin(), m->columns.end(), [&](const ColumnDoc& c) { return c.name == col; });
        if (it == m->columns.end()) {
          std::string hint = DidYouMean(col, names);
          return err.At(ckv.first, ckey,
                        "unknown column" + (hint.empty() ? "; columns of " + m->name + ": " + Join(names) : hint));
        }
        DAYBOOK_RETURN_IF_ERROR(Text(err, ckv.second, ckey,
                                     "every column needs a description (remove the key to keep the built-in one)",
                                     &it->description));
      }
    } else {
      return err.At(kv.first, sub, "unknown key" + DidYouMean(k, kModelKeys) + "; a model takes: " + Join(kModelKeys));
    }
  }
  return Status::Ok();
}

// Every model and column documented (the built-in text must be complete).
Status CheckComplete(const Catalog& cat) {
  for (const auto& m : cat.models) {
    const std::pair<const char*, const std::string*> fields[] = {
        {"description", &m.description}, {"grain", &m.grain}, {"owner", &m.owner}, {"freshness_sla", &m.freshness_sla}};
    for (const auto& [name, value] : fields) {
      if (value->empty()) return InvalidArgument("models." + m.name + "." + name + ": missing");
    }
    for (const auto& c : m.columns) {
      if (c.description.empty()) return InvalidArgument("models." + m.name + ".columns." + c.name + ": missing");
    }
  }
  return Status::Ok();
}

}  // namespace

const ColumnDoc* ModelDoc::FindColumn(std::string_view column) const {
  for (const auto& c : columns) {
    if (c.name == column) return &c;
  }
  return nullptr;
}

const ModelDoc* Catalog::Find(std::string_view model) const {
  for (const auto& m : models) {
    if (m.name == model) return &m;
  }
  return nullptr;
}

std::vector<std::string> Catalog::Downstream(std::string_view model) const {
  std::vector<std::string> out;
  for (const auto& m : models) {
    if (std::find(m.upstream.begin(), m.upstream.end(), model) != m.upstream.end()) out.push_back(m.name);
  }
  return out;
}

std::vector<std::string> Catalog::Names() const {
  std::vector<std::string> out;
  for (const auto& m : models) out.push_back(m.name);
  return out;
}

bool IsExternalNode(const Catalog& catalog, std::string_view node) { return catalog.Find(node) == nullptr; }

Result<Catalog> LoadCatalog(const Config& config) {
  DAYBOOK_ASSIGN_OR_RETURN(Catalog cat, ParseBuiltin());
  for (auto& m : cat.models) m.owner = config.default_owner;  // top-level `owner:`
  if (!config.models_yaml.empty()) {
    bool has_lines = false;
    YAML::Node models;
    try {
      models = LoadModels(config, &has_lines);
    } catch (const YAML::Exception& e) {
      return InvalidArgument((config.source_file.empty() ? "daybook.yml" : config.source_file) +
                             ": models: " + e.what());
    }
    Errors err(config.source_file, has_lines);
    if (models && !models.IsNull()) {
      if (!models.IsMap()) return err.At(models, "models", "expected a mapping of model name -> settings");
      const std::vector<std::string> names = cat.Names();
      for (const auto& kv : models) {
        const std::string name = kv.first.Scalar();
        const std::string key = "models." + name;
        ModelDoc* m = nullptr;
        for (auto& x : cat.models) {
          if (x.name == name) m = &x;
        }
        if (!m) {
          std::string hint = DidYouMean(name, names);
          return err.At(kv.first, key, "unknown model" + (hint.empty() ? "; models: " + Join(names) : hint));
        }
        DAYBOOK_RETURN_IF_ERROR(ApplyModel(err, kv.second, key, m));
      }
    }
  }
  for (auto& m : cat.models) {
    for (std::string* s : {&m.description, &m.grain, &m.owner, &m.freshness_sla}) Fill(s, config);
    for (auto& c : m.columns) Fill(&c.description, config);
  }
  DAYBOOK_RETURN_IF_ERROR(CheckComplete(cat));
  return cat;
}

}  // namespace daybook

// File: catalog/internal/builtin.h — internal to catalog/ (and its tests).
#pragma once

namespace daybook::catalog_internal {

// The built-in catalog as YAML: model name -> {kind, upstream, description,
// grain, freshness_sla, columns: {name: description}} (builtin_catalog.cc).
const char* BuiltinCatalogYaml();

}  // namespace daybook::catalog_internal

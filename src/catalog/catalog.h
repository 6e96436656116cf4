// File: catalog/catalog.h
//
// The model catalog (spec §6): documentation as a production artifact. Every
// table of the warehouse is a model with a description, its grain, an owner,
// a freshness SLA, its lineage (what it is built from) and a description of
// every column. The binary ships a complete catalog (builtin_catalog.cc);
// daybook.yml's `models:` section may override any text:
//
//   models:
//     daily_revenue:
//       description: The revenue report finance signs every morning.
//       owner: finance-data@example.com
//       grain: one row per business date
//       freshness_sla: final by 07:00 on D+1
//       columns:
//         net: revenue after refunds and cancellations
//       checks: { ... }          # owned by checks/check_config.h, ignored here
//
//   Result<Catalog> cat = LoadCatalog(config);     // at start-up (exit 2)
//   const ModelDoc* m = cat->Find("daily_revenue");
//   std::vector<std::string> readers = cat->Downstream("daily_revenue");
//   DAYBOOK_RETURN_IF_ERROR(PublishCatalog(wh, *cat));   // inside a run
//
// Owner: every model's owner is the configuration's top-level `owner:`
// (default kDefaultOwner, "data-platform") unless models.<name>.owner says
// otherwise.
//
// Placeholders: {timezone}, {daily_close}, {reporting_currency} and
// {restatement_window_days} in any text are replaced by the configuration's
// values, so the documented SLA follows business.daily_close.
//
// Errors (InvalidArgument, exit 2) name the file, the line when known and the
// key, with "did you mean": an unknown model, an unknown key of a model, an
// unknown column, a value that is not text, and a model or column left
// without description, grain, owner or freshness_sla (e.g. `owner: ""`):
//   daybook.yml:12: models.daily_revenue.columns.nett: unknown column (did you mean 'net'?)
//
// Thread safety: a Catalog is an immutable value once loaded.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/status.h"
#include "load/warehouse.h"

namespace daybook {

inline constexpr const char* kDefaultOwner = "data-platform";

struct ColumnDoc {
  std::string name;
  std::string description;
};

struct ModelDoc {
  std::string name;
  // landed (stored from the sources), model (derived), operations (runs,
  // checks, alerts) or catalog (this catalog). Built in, not configurable.
  std::string kind;
  std::string description, grain, owner, freshness_sla;
  // What the model is built from: model names, or the external nodes
  // "sources" (the configured input sources) and "daybook.yml". Built in.
  std::vector<std::string> upstream;
  std::vector<ColumnDoc> columns;  // in table order

  const ColumnDoc* FindColumn(std::string_view column) const;
};

struct Catalog {
  std::vector<ModelDoc> models;  // in the order data flows

  const ModelDoc* Find(std::string_view model) const;
  // The models that list `model` as upstream, in catalog order.
  std::vector<std::string> Downstream(std::string_view model) const;
  std::vector<std::string> Names() const;
};

// True for lineage nodes that are not models ("sources", "daybook.yml").
bool IsExternalNode(const Catalog& catalog, std::string_view node);

// The built-in catalog with the configuration's overrides applied and
// placeholders filled, validated (see above).
Result<Catalog> LoadCatalog(const Config& config);

// Writes the catalog into the warehouse: (re)creates model_catalog and
// column_catalog with one row per model and per column (data_type read from
// the live table) and sets COMMENT ON TABLE / COLUMN for every table and
// column that exists, so any SQL client sees the documentation. Writes
// nothing when the warehouse already holds exactly this catalog, so re-runs
// change nothing. Runs in the caller's transaction (call it inside the run's
// transaction, after the schema exists); does not BEGIN or COMMIT.
Status PublishCatalog(Warehouse& wh, const Catalog& catalog);

}  // namespace daybook

// PublishCatalog: the catalog as warehouse tables and DuckDB comments.
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "catalog/catalog.h"

namespace daybook {
namespace {

constexpr const char* kCreate = R"sql(
CREATE TABLE IF NOT EXISTS model_catalog (
  model             VARCHAR NOT NULL,
  kind              VARCHAR NOT NULL,
  description       VARCHAR NOT NULL,
  grain             VARCHAR NOT NULL,
  owner             VARCHAR NOT NULL,
  freshness_sla     VARCHAR NOT NULL,
  upstream          VARCHAR NOT NULL,
  downstream        VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS column_catalog (
  model             VARCHAR NOT NULL,
  column_name       VARCHAR NOT NULL,
  ordinal           INTEGER NOT NULL,
  data_type         VARCHAR,
  description       VARCHAR NOT NULL
);
)sql";

std::string Ident(const std::string& name) {
  std::string s = "\"";
  for (char c : name) s += c == '"' ? std::string("\"\"") : std::string(1, c);
  return s + "\"";
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

std::string TableComment(const ModelDoc& m) {
  return m.description + " Grain: " + m.grain + ". Owner: " + m.owner + ". Freshness SLA: " + m.freshness_sla + ".";
}

using Row = std::vector<std::optional<std::string>>;

Result<std::vector<Row>> ReadRows(Warehouse& wh, const std::string& sql) {
  std::vector<Row> out;
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, wh.Query(sql));
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size(); ++r) {
      Row row;
      for (size_t c = 0; c < rows->column_count(); ++c) {
        if (rows->IsNull(c, r)) {
          row.push_back(std::nullopt);
        } else {
          row.push_back(std::string(rows->column_kind(c) == ColumnKind::kString ? std::string(rows->String(c, r))
                                                                                : rows->Text(c, r)));
        }
      }
      out.push_back(std::move(row));
    }
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  return out;
}

std::string Lit(const std::optional<std::string>& v) { return v ? SqlQuote(*v) : "NULL"; }

}  // namespace

Status PublishCatalog(Warehouse& wh, const Catalog& catalog) {
  DAYBOOK_RETURN_IF_ERROR(wh.Exec(kCreate));

  // The live tables and columns (type, position, comment).
  struct Live {
    std::string type;
    int ordinal = 0;
    std::optional<std::string> comment;
  };
  std::map<std::pair<std::string, std::string>, Live> live_cols;
  struct LiveTable {
    std::optional<std::string> comment;
    bool view = false;
  };
  std::map<std::string, LiveTable> live_tables;
  DAYBOOK_ASSIGN_OR_RETURN(
      auto tables, ReadRows(wh,
                            "SELECT table_name, comment, false FROM duckdb_tables() "
                            "WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary "
                            "UNION ALL SELECT view_name, comment, true FROM duckdb_views() "
                            "WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary "
                            "AND NOT internal"));
  for (const auto& t : tables) live_tables[*t[0]] = LiveTable{t[1], *t[2] == "true"};
  DAYBOOK_ASSIGN_OR_RETURN(
      auto cols, ReadRows(wh,
                          "SELECT table_name, column_name, data_type, column_index, comment FROM duckdb_columns() "
                          "WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal"));
  for (const auto& c : cols) live_cols[{*c[0], *c[1]}] = Live{*c[2], std::atoi(c[3]->c_str()), c[4]};

  // The rows the catalog tables should hold.
  std::vector<Row> want_models, want_columns;
  for (const auto& m : catalog.models) {
    want_models.push_back({m.name, m.kind, m.description, m.grain, m.owner, m.freshness_sla, Join(m.upstream),
                           Join(catalog.Downstream(m.name))});
    for (size_t i = 0; i < m.columns.size(); ++i) {
      const ColumnDoc& c = m.columns[i];
      auto it = live_cols.find({m.name, c.name});
      std::optional<std::string> type;
      int ordinal = static_cast<int>(i) + 1;
      if (it != live_cols.end()) {
        type = it->second.type;
        ordinal = it->second.ordinal;
      }
      want_columns.push_back({m.name, c.name, std::to_string(ordinal), type, c.description});
    }
  }
  DAYBOOK_ASSIGN_OR_RETURN(
      auto have_models,
      ReadRows(wh,
               "SELECT model, kind, description, grain, owner, freshness_sla, upstream, downstream FROM model_catalog "
               "ORDER BY rowid"));
  DAYBOOK_ASSIGN_OR_RETURN(
      auto have_columns,
      ReadRows(wh,
               "SELECT model, column_name, CAST(ordinal AS VARCHAR), data_type, description FROM column_catalog "
               "ORDER BY rowid"));

  std::string sql;
  if (have_models != want_models || have_columns != want_columns) {
    sql += "DELETE FROM model_catalog; DELETE FROM column_catalog;\n";
    auto insert = [&](const char* table, const std::vector<Row>& rows) {
      if (rows.empty()) return;
      sql += std::string("INSERT INTO ") + table + " VALUES ";
      for (size_t r = 0; r < rows.size(); ++r) {
        sql += r ? ",\n(" : "(";
        for (size_t c = 0; c < rows[r].size(); ++c) sql += (c ? ", " : "") + Lit(rows[r][c]);
        sql += ")";
      }
      sql += ";\n";
    };
    insert("model_catalog", want_models);
    insert("column_catalog", want_columns);
  }
  // Comments, only where they differ (each is a catalog change in DuckDB).
  for (const auto& m : catalog.models) {
    auto t = live_tables.find(m.name);
    if (t == live_tables.end()) continue;  // not in this warehouse (yet)
    std::string comment = TableComment(m);
    if (t->second.comment != comment) {
      sql += std::string("COMMENT ON ") + (t->second.view ? "VIEW " : "TABLE ") + Ident(m.name) + " IS " +
             SqlQuote(comment) + ";\n";
    }
    for (const auto& c : m.columns) {
      auto it = live_cols.find({m.name, c.name});
      if (it == live_cols.end() || it->second.comment == c.description) continue;
      sql += "COMMENT ON COLUMN " + Ident(m.name) + "." + Ident(c.name) + " IS " + SqlQuote(c.description) + ";\n";
    }
  }
  if (sql.empty()) return Status::Ok();
  return wh.Exec(sql);
}

}  // namespace daybook

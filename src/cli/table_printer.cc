#include "cli/table_printer.h"

#include <algorithm>

#include "core/json.h"

namespace daybook {
namespace {

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

// Display width in code points (good enough for aligned ASCII-heavy tables).
size_t Width(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

bool IsNull(const TextTable& t, size_t r, size_t c) {
  return r < t.nulls.size() && c < t.nulls[r].size() && t.nulls[r][c];
}

}  // namespace

Result<TextTable> CollectTable(QueryRows& rows) {
  TextTable t;
  for (size_t c = 0; c < rows.column_count(); ++c) {
    ColumnKind k = rows.column_kind(c);
    t.columns.push_back(rows.column_name(c));
    t.numeric.push_back(k == ColumnKind::kInt32 || k == ColumnKind::kInt64 || k == ColumnKind::kUInt64 ||
                        k == ColumnKind::kDouble || k == ColumnKind::kDecimal);
  }
  while (rows.NextChunk()) {
    for (size_t r = 0; r < rows.size(); ++r) {
      std::vector<std::string> row;
      std::vector<bool> nulls;
      for (size_t c = 0; c < rows.column_count(); ++c) {
        nulls.push_back(rows.IsNull(c, r));
        row.push_back(rows.Text(c, r));
      }
      t.rows.push_back(std::move(row));
      t.nulls.push_back(std::move(nulls));
    }
  }
  DAYBOOK_RETURN_IF_ERROR(rows.status());
  return t;
}

void PrintTable(const TextTable& t, OutputFormat format, std::FILE* out) {
  const size_t n = t.columns.size();
  auto numeric = [&](size_t c) { return c < t.numeric.size() && t.numeric[c]; };
  switch (format) {
    case OutputFormat::kCsv: {
      for (size_t c = 0; c < n; ++c) std::fprintf(out, "%s%s", c ? "," : "", CsvCell(t.columns[c]).c_str());
      std::fputc('\n', out);
      for (const auto& row : t.rows) {
        for (size_t c = 0; c < n; ++c) std::fprintf(out, "%s%s", c ? "," : "", CsvCell(row[c]).c_str());
        std::fputc('\n', out);
      }
      return;
    }
    case OutputFormat::kJson: {
      JsonWriter w;
      w.BeginArray();
      for (size_t r = 0; r < t.rows.size(); ++r) {
        w.BeginObject();
        for (size_t c = 0; c < n; ++c) {
          w.Key(t.columns[c]);
          if (IsNull(t, r, c)) w.Null();
          else if (numeric(c) && !t.rows[r][c].empty()) w.Raw(t.rows[r][c]);
          else w.String(t.rows[r][c]);
        }
        w.EndObject();
      }
      w.EndArray();
      std::fprintf(out, "%s\n", w.str().c_str());
      return;
    }
    case OutputFormat::kTable: {
      std::vector<size_t> width(n);
      for (size_t c = 0; c < n; ++c) width[c] = Width(t.columns[c]);
      for (const auto& row : t.rows)
        for (size_t c = 0; c < n; ++c) width[c] = std::max(width[c], Width(row[c]));
      auto line = [&](const std::vector<std::string>& cells) {
        std::string s;
        for (size_t c = 0; c < n; ++c) {
          std::string pad(width[c] - Width(cells[c]), ' ');
          if (c) s += "  ";
          s += numeric(c) ? pad + cells[c] : cells[c] + (c + 1 < n ? pad : "");
        }
        std::fprintf(out, "%s\n", s.c_str());
      };
      line(t.columns);
      std::vector<std::string> rule;
      for (size_t c = 0; c < n; ++c) rule.push_back(std::string(width[c], '-'));
      line(rule);
      for (const auto& row : t.rows) line(row);
      std::fprintf(out, "(%zu row%s)\n", t.rows.size(), t.rows.size() == 1 ? "" : "s");
      return;
    }
  }
}

}  // namespace daybook

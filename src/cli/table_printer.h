// File: cli/table_printer.h
//
// Renders rows of text cells as an aligned terminal table, CSV (RFC 4180
// quoting) or JSON (an array of objects; cells flagged numeric are emitted
// as JSON numbers, exact as written).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "cli/context.h"
#include "load/warehouse.h"

namespace daybook {

struct TextTable {
  std::vector<std::string> columns;
  std::vector<bool> numeric;  // per column: right-align, JSON number
  std::vector<std::vector<std::string>> rows;
  std::vector<std::vector<bool>> nulls;  // optional, per cell
};

void PrintTable(const TextTable& t, OutputFormat format, std::FILE* out);

// Every row of a query result as text cells (numeric columns flagged).
Result<TextTable> CollectTable(QueryRows& rows);

}  // namespace daybook

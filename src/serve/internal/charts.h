// File: serve/internal/charts.h — internal to serve/ (and its tests).
//
// SVG drawn by Daybook itself (no JavaScript, nothing fetched): the daily
// net revenue chart, horizontal bars, and lineage graphs laid out in layers
// from left (built from) to right (read by). Each returns one <svg> element
// with a viewBox, scaled by CSS to the page width; every text is escaped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace daybook::serve_internal {

struct RevenuePoint {
  int32_t date = 0;             // days since 1970-01-01
  int64_t net_minor = 0;        // minor units of the reporting currency
  std::string net_text;         // exact, for the tooltip
  int version = 0;              // 0 provisional, 1 published, 2+ restated
  int64_t first_net_minor = 0;  // restated days: the net first published
};

// Bars of daily net over [from, to] (one slot per day; days without a point
// are empty), provisional days pale, restated days marked with a dot and
// their change since first published in orange. Class
// "revenue-chart" on the <svg>, "bar" on each bar.
std::string RevenueChartSvg(const std::vector<RevenuePoint>& points, int32_t from, int32_t to, int exponent,
                            const std::string& currency);

struct BarItem {
  std::string label;
  int64_t value = 0;
};
// Horizontal bars, largest first as given. Class "bars-chart".
std::string HorizontalBarsSvg(const std::vector<BarItem>& items);

struct GraphNode {
  std::string id;  // unique
  std::string label;
  std::string href;       // "" : not a link
  bool focus = false;     // the page's own model
  bool external = false;  // not a model (sources, daybook.yml)
};
struct GraphEdge {
  std::string from, to;  // node ids; from is upstream of to
};
// A layered drawing: each node's layer is the longest path to it from a node
// without incoming edges; within a layer, nodes follow the mean position of
// their upstream nodes. `id` prefixes the SVG's element ids (several graphs
// may share a page). Class "lineage".
std::string LineageSvg(const std::vector<GraphNode>& nodes, const std::vector<GraphEdge>& edges, const std::string& id);

// Formats minor units as an exact decimal: (123456, 2) -> "1234.56".
std::string FormatMinor(int64_t minor, int exponent);

}  // namespace daybook::serve_internal

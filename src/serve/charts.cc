#include "serve/internal/charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/time.h"
#include "serve/internal/html.h"

namespace daybook::serve_internal {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// An axis label for a tick value: 12k, 1.5M, 250, 0.5.
std::string TickLabel(double v, double step) {
  char buf[32];
  double a = std::fabs(v);
  if (a >= 1e6 && step >= 1e5) {
    std::snprintf(buf, sizeof buf, step >= 1e6 ? "%.0fM" : "%.1fM", v / 1e6);
  } else if (a >= 1e3 && step >= 100) {
    std::snprintf(buf, sizeof buf, step >= 1e3 ? "%.0fk" : "%.1fk", v / 1e3);
  } else if (step >= 1) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f", v);
  }
  return buf;
}

double NiceStep(double range, int ticks) {
  double rough = range / ticks;
  double mag = std::pow(10.0, std::floor(std::log10(rough)));
  double norm = rough / mag;
  return (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
}

const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string ShortDate(int32_t d) {
  int y;
  unsigned m, day;
  CivilFromDays(d, &y, &m, &day);
  return std::string(kMonths[(m - 1) % 12]) + " " + std::to_string(day);
}

double TextWidth(const std::string& s, double px) { return static_cast<double>(s.size()) * px * 0.6; }

}  // namespace

std::string FormatMinor(int64_t minor, int exponent) {
  bool neg = minor < 0;
  uint64_t a = neg ? static_cast<uint64_t>(-(minor + 1)) + 1 : static_cast<uint64_t>(minor);
  std::string digits = std::to_string(a);
  if (exponent > 0) {
    if (digits.size() <= static_cast<size_t>(exponent)) digits.insert(0, exponent + 1 - digits.size(), '0');
    digits.insert(digits.size() - exponent, ".");
  }
  return (neg ? "-" : "") + digits;
}

std::string RevenueChartSvg(const std::vector<RevenuePoint>& points, int32_t from, int32_t to, int exponent,
                            const std::string& currency) {
  const double W = 1160, H = 320, ml = 64, mr = 16, mt = 30, mb = 34;
  const double pw = W - ml - mr, ph = H - mt - mb;
  const int n = std::max(1, to - from + 1);
  const double slot = pw / n, barw = std::max(1.0, slot * 0.72);
  const double scale = std::pow(10.0, exponent);

  double lo = 0, hi = 0;
  for (const auto& p : points) {
    for (int64_t m : {p.net_minor, p.version >= 2 ? p.first_net_minor : 0}) {
      double v = static_cast<double>(m) / scale;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  if (hi - lo <= 0) hi = 1;
  double step = NiceStep(hi - lo, 5);
  lo = std::floor(lo / step) * step;
  hi = std::ceil(hi / step) * step;
  auto y = [&](double v) { return mt + ph * (hi - v) / (hi - lo); };

  std::string s = "<svg class=\"revenue-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + Num(W) + " " +
                  Num(H) + "\" width=\"" + Num(W) + "\" height=\"" + Num(H) + "\" role=\"img\" aria-label=\"" +
                  HtmlEscape("Daily net revenue in " + currency) + "\">\n";
  // Grid and y axis.
  s += "<g class=\"axis\">";
  for (double t = lo; t <= hi + step / 2; t += step) {
    double ty = y(t);
    s += "<line class=\"" + std::string(std::fabs(t) < step / 2 ? "zero" : "grid") + "\" x1=\"" + Num(ml) + "\" x2=\"" +
         Num(W - mr) + "\" y1=\"" + Num(ty) + "\" y2=\"" + Num(ty) + "\"/>";
    s += "<text x=\"" + Num(ml - 8) + "\" y=\"" + Num(ty + 4) + "\" text-anchor=\"end\">" +
         HtmlEscape(TickLabel(std::fabs(t) < step / 2 ? 0 : t, step)) + "</text>";
  }
  // X labels: every Monday (every day in a short window).
  for (int32_t d = from; d <= to; ++d) {
    if (n > 16 && Weekday(d) != 0) continue;
    double cx = ml + (d - from + 0.5) * slot;
    s += "<line class=\"grid\" x1=\"" + Num(cx) + "\" x2=\"" + Num(cx) + "\" y1=\"" + Num(H - mb) + "\" y2=\"" +
         Num(H - mb + 4) + "\"/>";
    s += "<text x=\"" + Num(cx) + "\" y=\"" + Num(H - mb + 17) + "\" text-anchor=\"middle\">" +
         HtmlEscape(ShortDate(d)) + "</text>";
  }
  s += "<text x=\"" + Num(ml - 8) + "\" y=\"" + Num(mt - 14) + "\" text-anchor=\"end\">" + HtmlEscape(currency) +
       "</text></g>\n";
  if (points.empty()) {
    s += "<text class=\"lbl\" x=\"" + Num(ml + pw / 2) + "\" y=\"" + Num(mt + ph / 2) +
         "\" text-anchor=\"middle\">no revenue in this window</text>\n";
  }
  // Bars.
  const double y0 = y(0);
  std::string marks;
  s += "<g>";
  for (const auto& p : points) {
    if (p.date < from || p.date > to) continue;
    double v = static_cast<double>(p.net_minor) / scale;
    double x = ml + (p.date - from) * slot + (slot - barw) / 2;
    double top = std::min(y(v), y0), h = std::fabs(y(v) - y0);
    if (p.net_minor != 0) h = std::max(h, 1.0);
    const char* cls = p.version == 0 ? "provisional" : p.version >= 2 ? "restated" : "published";
    std::string state = p.version == 0   ? "provisional"
                        : p.version >= 2 ? "restated, version " + std::to_string(p.version)
                                         : "published";
    std::string tip = FormatDate(p.date) + ": net " + p.net_text + " " + currency + " (" + state + ")";
    s += "<rect class=\"bar " + std::string(cls) + "\" x=\"" + Num(x) + "\" y=\"" + Num(top) + "\" width=\"" +
         Num(barw) + "\" height=\"" + Num(h) + "\" data-date=\"" + FormatDate(p.date) + "\"><title>" + HtmlEscape(tip) +
         "</title></rect>";
    if (p.version >= 2) {
      std::string was = "first published " + FormatDate(p.date) + ": net " + FormatMinor(p.first_net_minor, exponent) +
                        " " + currency;
      // The change since first published: an orange segment on the bar
      // (up) or a dashed outline above it (down).
      double fy = y(static_cast<double>(p.first_net_minor) / scale), ny = y(v);
      bool up = std::fabs(v) >= std::fabs(static_cast<double>(p.first_net_minor) / scale);
      marks += "<rect class=\"delta " + std::string(up ? "up" : "down") + "\" x=\"" + Num(x) + "\" y=\"" +
               Num(std::min(fy, ny)) + "\" width=\"" + Num(barw) + "\" height=\"" + Num(std::fabs(fy - ny)) +
               "\"><title>" + HtmlEscape(was + "; now " + p.net_text + " " + currency) + "</title></rect>";
      marks += "<circle class=\"mark\" cx=\"" + Num(x + barw / 2) + "\" cy=\"" + Num(top - 7) + "\" r=\"" +
               Num(std::clamp(barw / 2, 3.0, 5.0)) + "\"><title>" + HtmlEscape(tip) + "</title></circle>";
    }
  }
  s += "</g><g>" + marks + "</g>\n";
  // Legend.
  double lx = W - mr - 480;
  s += "<g class=\"lbl\">"
       "<rect class=\"bar published\" x=\"" +
       Num(lx) +
       "\" y=\"8\" width=\"12\" height=\"12\"/>"
       "<text x=\"" +
       Num(lx + 17) +
       "\" y=\"18\">published</text>"
       "<rect class=\"bar provisional\" x=\"" +
       Num(lx + 100) +
       "\" y=\"8\" width=\"12\" height=\"12\"/>"
       "<text x=\"" +
       Num(lx + 117) +
       "\" y=\"18\">provisional</text>"
       "<circle class=\"mark\" cx=\"" +
       Num(lx + 214) +
       "\" cy=\"14\" r=\"5\"/>"
       "<text x=\"" +
       Num(lx + 224) +
       "\" y=\"18\">restated</text>"
       "<rect class=\"delta up\" x=\"" +
       Num(lx + 290) +
       "\" y=\"8\" width=\"12\" height=\"12\"/>"
       "<text x=\"" +
       Num(lx + 307) + "\" y=\"18\">change since first published</text></g>\n";
  return s + "</svg>";
}

std::string HorizontalBarsSvg(const std::vector<BarItem>& items) {
  const double label_w = 210, bar_w = 480, row = 26, W = label_w + bar_w + 90;
  const double H = std::max<double>(row, row * items.size()) + 8;
  int64_t max = 1;
  for (const auto& i : items) max = std::max(max, i.value);
  std::string s = "<svg class=\"bars-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + Num(W) + " " +
                  Num(H) + "\" width=\"" + Num(W) + "\" height=\"" + Num(H) + "\" role=\"img\">\n";
  for (size_t k = 0; k < items.size(); ++k) {
    double yy = 4 + k * row;
    double w = std::max(2.0, bar_w * static_cast<double>(items[k].value) / static_cast<double>(max));
    s += "<text class=\"lbl\" x=\"" + Num(label_w - 10) + "\" y=\"" + Num(yy + 17) + "\" text-anchor=\"end\">" +
         HtmlEscape(items[k].label) + "</text>";
    s += "<rect class=\"qbar\" x=\"" + Num(label_w) + "\" y=\"" + Num(yy + 4) + "\" width=\"" + Num(w) +
         "\" height=\"" + Num(row - 8) + "\" rx=\"3\"><title>" +
         HtmlEscape(items[k].label + ": " + std::to_string(items[k].value)) + "</title></rect>";
    s += "<text class=\"lbl\" x=\"" + Num(label_w + w + 6) + "\" y=\"" + Num(yy + 17) + "\">" +
         HtmlEscape(GroupThousands(std::to_string(items[k].value))) + "</text>\n";
  }
  return s + "</svg>";
}

std::string LineageSvg(const std::vector<GraphNode>& nodes, const std::vector<GraphEdge>& edges,
                       const std::string& id) {
  const double node_h = 28, dummy_h = 6, gap_y = 14, gap_x = 56, pad = 10, font = 12;
  const size_t real = nodes.size();
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < real; ++i) index[nodes[i].id] = i;
  std::vector<std::pair<size_t, size_t>> e;
  for (const auto& g : edges) {
    auto a = index.find(g.from), b = index.find(g.to);
    if (a == index.end() || b == index.end() || a->second == b->second) continue;
    e.push_back({a->second, b->second});
  }
  // Layers: longest path from a root (bounded passes: a cycle cannot hang).
  std::vector<int> layer(real, 0);
  for (size_t pass = 0; pass < real; ++pass) {
    bool changed = false;
    for (const auto& [a, b] : e) {
      if (layer[b] < layer[a] + 1) {
        layer[b] = layer[a] + 1;
        changed = true;
      }
    }
    if (!changed) break;
  }
  // An edge over several layers runs through a dummy node in each layer it
  // crosses, so it is routed between the boxes, not behind them.
  std::vector<std::vector<size_t>> chains;  // per edge: a, dummies..., b
  std::vector<std::vector<size_t>> preds(real), succs(real);
  size_t total = real;
  for (const auto& [a, b] : e) {
    std::vector<size_t> chain = {a};
    for (int l = layer[a] + 1; l < layer[b]; ++l) {
      layer.push_back(l);
      preds.emplace_back();
      succs.emplace_back();
      chain.push_back(total++);
    }
    chain.push_back(b);
    for (size_t k = 0; k + 1 < chain.size(); ++k) {
      succs[chain[k]].push_back(chain[k + 1]);
      preds[chain[k + 1]].push_back(chain[k]);
    }
    chains.push_back(std::move(chain));
  }
  int layers = 0;
  for (int l : layer) layers = std::max(layers, l + 1);
  std::vector<std::vector<size_t>> by_layer(layers);
  for (size_t i = 0; i < total; ++i) by_layer[layer[i]].push_back(i);
  // Order within a layer by the mean position of the neighbours in the layer
  // before (sweeping right) and after (sweeping left): fewer crossings.
  std::vector<double> pos(total, 0);
  auto place = [&](const std::vector<size_t>& v) {
    for (size_t k = 0; k < v.size(); ++k) pos[v[k]] = static_cast<double>(k) - (v.size() - 1) / 2.0;
  };
  auto order = [&](std::vector<size_t>& v, const std::vector<std::vector<size_t>>& nbrs) {
    std::vector<double> key(total, 0);
    for (size_t i : v) {
      double sum = 0;
      for (size_t p : nbrs[i]) sum += pos[p];
      key[i] = nbrs[i].empty() ? pos[i] : sum / nbrs[i].size();
    }
    std::stable_sort(v.begin(), v.end(), [&](size_t a, size_t b) { return key[a] < key[b]; });
    place(v);
  };
  for (const auto& v : by_layer) place(v);
  for (int sweep = 0; sweep < 4; ++sweep) {
    for (int l = 1; l < layers; ++l) order(by_layer[l], preds);
    for (int l = layers - 2; l >= 0; --l) order(by_layer[l], succs);
  }
  for (int l = 1; l < layers; ++l) order(by_layer[l], preds);
  // Geometry: columns as wide as their widest label, centred vertically.
  auto h = [&](size_t i) { return i < real ? node_h : dummy_h; };
  std::vector<double> col_h(layers, 0), col_x(layers, 0), col_w(layers, 0);
  double H = 0;
  for (int l = 0; l < layers; ++l) {
    for (size_t k = 0; k < by_layer[l].size(); ++k) col_h[l] += h(by_layer[l][k]) + (k ? gap_y : 0);
    H = std::max(H, col_h[l]);
  }
  H += 2 * pad;
  std::vector<double> x(total), y(total);  // y: top of the box
  double cursor = pad;
  for (int l = 0; l < layers; ++l) {
    double lw = 0;
    for (size_t i : by_layer[l]) {
      if (i < real) lw = std::max(lw, TextWidth(nodes[i].label, font) + 24);
    }
    col_x[l] = cursor;
    col_w[l] = lw;
    double top = (H - col_h[l]) / 2;
    for (size_t i : by_layer[l]) {
      x[i] = cursor;
      y[i] = top;
      top += h(i) + gap_y;
    }
    cursor += lw + gap_x;
  }
  const double W = std::max(cursor - gap_x + pad, 2 * pad);
  std::vector<double> width(real);
  for (size_t i = 0; i < real; ++i) width[i] = col_w[layer[i]];

  std::string s = "<svg class=\"lineage\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + Num(W) + " " + Num(H) +
                  "\" width=\"" + Num(W) + "\" height=\"" + Num(H) + "\" role=\"img\" aria-label=\"lineage\">\n";
  s += "<defs><marker id=\"" + HtmlEscape(id) +
       "-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
       "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#8c959f\"/>"
       "</marker></defs>\n";
  auto curve = [](double x1, double y1, double x2, double y2) {
    double dx = std::max(12.0, (x2 - x1) / 2);
    return " C" + Num(x1 + dx) + "," + Num(y1) + " " + Num(x2 - dx) + "," + Num(y2) + " " + Num(x2) + "," + Num(y2);
  };
  for (const auto& chain : chains) {
    size_t a = chain.front(), b = chain.back();
    double cx = x[a] + width[a], cy = y[a] + node_h / 2;
    std::string d = "M" + Num(cx) + "," + Num(cy);
    for (size_t k = 1; k + 1 < chain.size(); ++k) {  // through the dummies
      size_t m = chain[k];
      double my = y[m] + dummy_h / 2;
      d += curve(cx, cy, col_x[layer[m]], my) + " L" + Num(col_x[layer[m]] + col_w[layer[m]]) + "," + Num(my);
      cx = col_x[layer[m]] + col_w[layer[m]];
      cy = my;
    }
    d += curve(cx, cy, x[b] - 1, y[b] + node_h / 2);
    s += "<path class=\"edge\" d=\"" + d + "\" marker-end=\"url(#" + HtmlEscape(id) + "-arrow)\"><title>" +
         HtmlEscape(nodes[a].label + " → " + nodes[b].label) + "</title></path>\n";
  }
  for (size_t i = 0; i < real; ++i) {
    const GraphNode& n = nodes[i];
    std::string cls = std::string("node") + (n.focus ? " focus" : "") + (n.external ? " external" : "");
    std::string g = "<g class=\"" + cls + "\"><rect x=\"" + Num(x[i]) + "\" y=\"" + Num(y[i]) + "\" width=\"" +
                    Num(width[i]) + "\" height=\"" + Num(node_h) + "\" rx=\"6\"/><text x=\"" +
                    Num(x[i] + width[i] / 2) + "\" y=\"" + Num(y[i] + node_h / 2 + 4) + "\" text-anchor=\"middle\">" +
                    HtmlEscape(n.label) + "</text></g>";
    if (!n.href.empty()) g = "<a href=\"" + HtmlEscape(n.href) + "\">" + g + "</a>";
    s += g + "\n";
  }
  return s + "</svg>";
}

}  // namespace daybook::serve_internal

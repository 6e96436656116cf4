#include "serve/internal/html.h"

namespace daybook::serve_internal {
namespace {

// One style sheet, inlined in every page so the site works from file://
// with nothing fetched.
constexpr const char* kCss = R"css(
:root { --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --bg:#ffffff; --soft:#f6f8fa; --accent:#0969da;
        --ok:#1a7f37; --ok-bg:#dafbe1; --warn:#9a6700; --warn-bg:#fff8c5; --bad:#cf222e; --bad-bg:#ffebe9; }
* { box-sizing: border-box; }
body { margin:0; font: 14px/1.5 -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
       color:var(--fg); background:var(--bg); }
header.top { background:#24292f; color:#fff; }
header.top .in { max-width:1240px; margin:0 auto; padding:10px 24px; display:flex; gap:24px; align-items:baseline; }
header.top a { color:#fff; text-decoration:none; opacity:.85; }
header.top a:hover, header.top a.on { opacity:1; text-decoration:underline; }
header.top .brand { font-weight:600; font-size:16px; opacity:1; }
header.top .gen { margin-left:auto; font-size:12px; opacity:.7; }
main { max-width:1240px; margin:0 auto; padding:16px 24px 48px; }
h1 { font-size:24px; margin:8px 0 4px; font-weight:600; }
h2 { font-size:17px; margin:28px 0 8px; padding-bottom:4px; border-bottom:1px solid var(--line); font-weight:600; }
p { margin:6px 0; }
a { color:var(--accent); text-decoration:none; }
a:hover { text-decoration:underline; }
code, .mono { font-family:"DejaVu Sans Mono", "Liberation Mono", Menlo, monospace; font-size:12.5px; }
.muted { color:var(--muted); }
.small { font-size:12.5px; }
.crumbs { font-size:13px; color:var(--muted); }
.note { background:var(--warn-bg); border:1px solid #d4a72c66; padding:8px 12px; border-radius:6px; margin:12px 0; }
.lead { font-size:15px; max-width:900px; }
table { border-collapse:collapse; width:100%; margin:6px 0 12px; }
th, td { text-align:left; padding:6px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:var(--soft); font-weight:600; font-size:12.5px; color:var(--muted); white-space:nowrap; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
tr:hover td { background:#f6f8fa80; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; font-weight:600;
         white-space:nowrap; background:var(--soft); color:var(--muted); border:1px solid var(--line); }
.badge.ok { background:var(--ok-bg); color:var(--ok); border-color:#1a7f3733; }
.badge.warn { background:var(--warn-bg); color:var(--warn); border-color:#9a670033; }
.badge.bad { background:var(--bad-bg); color:var(--bad); border-color:#cf222e33; }
.kind { font-size:11.5px; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; }
dl.facts { display:grid; grid-template-columns: 160px 1fr; gap:4px 16px; margin:12px 0; max-width:1000px; }
dl.facts dt { color:var(--muted); }
dl.facts dd { margin:0; }
.stats { display:flex; gap:12px; flex-wrap:wrap; margin:12px 0; }
.stat { border:1px solid var(--line); border-radius:8px; padding:8px 14px; min-width:150px; }
.stat .v { font-size:20px; font-weight:600; }
.stat .l { font-size:12px; color:var(--muted); }
figure { margin:8px 0 16px; }
figure svg { max-width:100%; height:auto; display:block; }
td.nowrap, .nowrap { white-space:nowrap; }
table.models td:nth-child(2) { white-space:nowrap; }
figcaption { font-size:12.5px; color:var(--muted); }
svg text { font-family: -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; }
svg .node rect { fill:#fff; stroke:#8c959f; rx:6; }
svg .node.focus rect { fill:#ddf4ff; stroke:var(--accent); stroke-width:2; }
svg .node.external rect { fill:var(--soft); stroke-dasharray:4 3; }
svg a .node:hover rect { stroke:var(--accent); }
svg .node text { font-size:12px; fill:var(--fg); }
svg .edge { fill:none; stroke:#8c959f; stroke-width:1.3; }
svg .axis text, svg .lbl { font-size:11px; fill:var(--muted); }
svg .grid { stroke:#eaeef2; }
svg .zero { stroke:#8c959f; }
svg .bar.published { fill:#218bff; }
svg .bar.provisional { fill:#b6e3ff; }
svg .bar.restated { fill:#218bff; }
svg .mark { fill:#fb8500; stroke:#fff; stroke-width:1; }
svg .delta.up { fill:#fb8500; }
svg .delta.down { fill:none; stroke:#fb8500; stroke-width:1.5; stroke-dasharray:3 2; }
svg .qbar { fill:#cf222e; opacity:.75; }
)css";

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Page(const std::string& title, const std::string& body, const std::string& root, const std::string& active,
                 const std::string& generated_at) {
  auto nav = [&](const char* key, const char* href, const char* label) {
    return std::string("<a href=\"") + root + href + "\"" + (active == key ? " class=\"on\"" : "") + ">" + label +
           "</a>";
  };
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>" +
      HtmlEscape(title) + " — Daybook docs</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n";
  h += "<header class=\"top\"><div class=\"in\"><a class=\"brand\" href=\"" + root + "index.html\">Daybook docs</a>";
  h += nav("models", "index.html", "Models") + nav("revenue", "revenue.html", "Revenue") +
       nav("quarantine", "quarantine.html", "Quarantine");
  h += "<span class=\"gen\">generated " + HtmlEscape(generated_at) + "</span></div></header>\n<main>\n";
  h += body;
  h += "\n</main>\n</body>\n</html>\n";
  return h;
}

std::string Badge(const std::string& state) {
  std::string cls;
  if (state == "pass" || state == "met" || state == "published") cls = " ok";
  if (state == "warn" || state == "at risk" || state == "restated") cls = " warn";
  if (state == "fail" || state == "missed" || state == "error") cls = " bad";
  return "<span class=\"badge" + cls + "\">" + HtmlEscape(state.empty() ? "—" : state) + "</span>";
}

std::string Table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                  const std::vector<bool>& numeric, const std::string& css_class) {
  auto num = [&](size_t c) { return c < numeric.size() && numeric[c]; };
  std::string h = "<table" + (css_class.empty() ? "" : " class=\"" + css_class + "\"") + "><thead><tr>";
  for (size_t c = 0; c < header.size(); ++c) {
    h += std::string(num(c) ? "<th class=\"num\">" : "<th>") + HtmlEscape(header[c]) + "</th>";
  }
  h += "</tr></thead><tbody>\n";
  for (const auto& row : rows) {
    h += "<tr>";
    for (size_t c = 0; c < row.size(); ++c) h += std::string(num(c) ? "<td class=\"num\">" : "<td>") + row[c] + "</td>";
    h += "</tr>\n";
  }
  return h + "</tbody></table>\n";
}

std::string GroupThousands(const std::string& s) {
  size_t start = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  size_t end = s.find('.');
  if (end == std::string::npos) end = s.size();
  for (size_t i = start; i < end; ++i) {
    if (s[i] < '0' || s[i] > '9') return s;
  }
  std::string out = s.substr(0, start);
  for (size_t i = start; i < end; ++i) {
    out += s[i];
    size_t left = end - i - 1;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  return out + s.substr(end);
}

}  // namespace daybook::serve_internal

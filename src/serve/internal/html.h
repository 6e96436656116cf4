// File: serve/internal/html.h — internal to serve/ (and its tests).
//
// The building blocks of the static pages: escaping, the page frame with
// its inline style sheet, state badges and tables. Everything that reaches
// the output as text goes through HtmlEscape.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace daybook::serve_internal {

// Escapes & < > " ' for element text and attribute values (HTML and SVG).
std::string HtmlEscape(std::string_view text);

// A whole page: doctype, inline CSS, the top navigation and `body` (already
// HTML). `root` is the relative path from the page to the site's root ("" or
// "../"); `active` names the nav entry to highlight (models, revenue,
// quarantine).
std::string Page(const std::string& title, const std::string& body, const std::string& root, const std::string& active,
                 const std::string& generated_at);

// A coloured label for a state: pass/met (green), warn/at risk (amber),
// fail/missed/error (red), anything else neutral.
std::string Badge(const std::string& state);

// A table: header cells are text; body cells are HTML (escape them first).
// `numeric` right-aligns a column (may be shorter than the header).
std::string Table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                  const std::vector<bool>& numeric = {}, const std::string& css_class = "");

// "1234567" -> "1,234,567".
std::string GroupThousands(const std::string& integer_text);

}  // namespace daybook::serve_internal

// File: serve/docs_site.h
//
// `daybook docs --out DIR`: a static documentation site that works from the
// file system (file://) with no server and no network — plain HTML with an
// inline style sheet and SVG drawn by Daybook, no JavaScript, nothing
// fetched at view time, every link relative:
//
//   DIR/index.html            models with owner, grain, SLA state, latest
//                             checks; the whole lineage graph
//   DIR/models/<model>.html   description, facts, lineage graph (built from /
//                             read by), freshness, latest checks, open alerts,
//                             columns with their live types and row count
//   DIR/revenue.html          daily net revenue for the last 90 days (chart
//                             and table) and restatements
//   DIR/quarantine.html       rejected lines by reason code
//
//   auto data = GatherSiteData(wh, config, catalog, now);   // site_data.h
//   DAYBOOK_ASSIGN_OR_RETURN(int pages, WriteDocsSite(*data, "site"));
//
// Every text from the warehouse or the configuration is HTML-escaped.
// Existing files of the same names are replaced; other files are left.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "serve/site_data.h"

namespace daybook {

struct SiteFile {
  std::string path;  // relative to the output folder, '/'-separated
  std::string content;
};

// The pages, in a stable order (index first). Pure: no I/O.
std::vector<SiteFile> RenderDocsSite(const SiteData& data);

// Renders and writes the site under `out_dir` (created if missing); returns
// the number of pages written. IoError names the file that failed.
Result<int> WriteDocsSite(const SiteData& data, const std::string& out_dir);

}  // namespace daybook

// File: serve/internal/pages.h — internal to serve/ (and its tests).
//
// One function per page of the documentation site (docs_site.h).
#pragma once

#include <string>

#include "serve/site_data.h"

namespace daybook::serve_internal {

std::string IndexPage(const SiteData& d);
std::string ModelPage(const SiteData& d, const ModelInfo& m);
std::string RevenuePage(const SiteData& d);
std::string QuarantinePage(const SiteData& d);

// The relative link from a page at `root` ("" or "../") to a model's page.
std::string ModelHref(const std::string& root, const std::string& model);

// The lineage graph of the whole catalog, or of one model with what it is
// built from and what reads it.
std::string CatalogLineageSvg(const SiteData& d);
std::string ModelLineageSvg(const SiteData& d, const ModelInfo& m);

}  // namespace daybook::serve_internal

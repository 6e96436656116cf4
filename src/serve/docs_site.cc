#include "serve/docs_site.h"

#include <filesystem>
#include <fstream>

#include "serve/internal/pages.h"

namespace daybook {

std::vector<SiteFile> RenderDocsSite(const SiteData& data) {
  using namespace serve_internal;
  std::vector<SiteFile> files;
  files.push_back({"index.html", IndexPage(data)});
  for (const auto& m : data.models) files.push_back({ModelHref("", m.doc.name), ModelPage(data, m)});
  files.push_back({"revenue.html", RevenuePage(data)});
  files.push_back({"quarantine.html", QuarantinePage(data)});
  return files;
}

Result<int> WriteDocsSite(const SiteData& data, const std::string& out_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::vector<SiteFile> files = RenderDocsSite(data);
  for (const SiteFile& f : files) {
    fs::path path = fs::path(out_dir) / f.path;
    fs::create_directories(path.parent_path(), ec);
    if (ec) return IoError("cannot create folder " + path.parent_path().string() + ": " + ec.message());
    // Write beside, then rename: a reader never sees half a page.
    fs::path tmp = path;
    tmp += ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << f.content;
      out.close();
      if (!out) return IoError("cannot write " + tmp.string());
    }
    fs::rename(tmp, path, ec);
    if (ec) return IoError("cannot write " + path.string() + ": " + ec.message());
  }
  return static_cast<int>(files.size());
}

}  // namespace daybook

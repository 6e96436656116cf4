#include "core/config_section.h"

namespace daybook {

YAML::Node ConfigSection(const Config& config, const char* key, const std::string& text, bool* has_lines) {
  *has_lines = false;
  if (!config.source_file.empty()) {
    try {
      YAML::Node file = YAML::LoadFile(config.source_file);
      YAML::Node section = file[key];
      if (section && !section.IsNull()) {
        YAML::Emitter e;
        e << section;
        if (e.good() && text == e.c_str()) {
          *has_lines = true;
          return section;
        }
      }
    } catch (const YAML::Exception&) {
      // The file changed or vanished since it was loaded: use the kept text.
    }
  }
  return YAML::Load(text);
}

Status SectionErrors::At(const YAML::Node& n, const std::string& key, const std::string& what) const {
  std::string where = file_.empty() ? "daybook.yml" : file_;
  if (has_lines_ && n.IsDefined() && n.Mark().line >= 0) where += ":" + std::to_string(n.Mark().line + 1);
  return InvalidArgument(where + ": " + key + ": " + what);
}

std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string h = Suggest(word, candidates);
  return h.empty() ? "" : " (did you mean '" + h + "'?)";
}

}  // namespace daybook

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

}  // namespace daybook

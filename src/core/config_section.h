// File: core/config_section.h
//
// For the stages that validate their own part of daybook.yml (`models:` for
// checks and the catalog, `alerts:` for the sinks): the section as a YAML
// node. Config keeps these sections as re-emitted text, which has lost the
// file's line numbers; when the file still holds the same section, the
// file's own node is returned so errors can name the line.
//
//   bool has_lines = false;
//   YAML::Node models = ConfigSection(config, "models", config.models_yaml, &has_lines);
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "core/config.h"

namespace daybook {

// Throws YAML::Exception only if `text` itself does not parse.
YAML::Node ConfigSection(const Config& config, const char* key, const std::string& text, bool* has_lines);

}  // namespace daybook

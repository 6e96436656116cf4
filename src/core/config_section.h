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
#include <vector>

#include "core/config.h"

namespace daybook {

// Throws YAML::Exception only if `text` itself does not parse.
YAML::Node ConfigSection(const Config& config, const char* key, const std::string& text, bool* has_lines);

// Errors about a section's keys: they name the file and the key path, and
// the line when the node comes from the file itself (has_lines).
class SectionErrors {
 public:
  SectionErrors(std::string file, bool has_lines) : file_(std::move(file)), has_lines_(has_lines) {}
  Status At(const YAML::Node& n, const std::string& key, const std::string& what) const;

 private:
  std::string file_;
  bool has_lines_;
};

// " (did you mean 'x'?)" for the closest candidate, or "".
std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace daybook

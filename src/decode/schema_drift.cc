#include <vector>

#include "decode/decoder.h"

namespace daybook {

void SchemaDrift::Record(std::string_view name) {
  auto it = fields_.find(name);
  if (it == fields_.end()) {
    it = fields_.emplace(std::string(name), Field{}).first;
    unplaced_.push_back(&it->second);  // map nodes never move
  }
  ++it->second.count;
}

void SchemaDrift::SetFirstSeen(const Locator& where) {
  for (Field* f : unplaced_) f->first_seen = where;
  unplaced_.clear();
}

void SchemaDrift::Merge(const SchemaDrift& other) {
  for (const auto& [name, theirs] : other.fields_) {
    auto [it, inserted] = fields_.try_emplace(name, theirs);
    if (inserted) continue;
    Field& mine = it->second;
    mine.count += theirs.count;
    bool mine_unset = mine.first_seen.line == 0 && mine.first_seen.file.empty();
    bool theirs_set = theirs.first_seen.line != 0 || !theirs.first_seen.file.empty();
    if (mine_unset && theirs_set) {
      mine.first_seen = theirs.first_seen;
      std::erase(unplaced_, &mine);
    }
  }
}

void SchemaDrift::Clear() {
  fields_.clear();
  unplaced_.clear();
}

}  // namespace daybook

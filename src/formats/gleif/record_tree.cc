#include "formats/gleif/record_tree.h"

#include "formats/internal/normalize.h"

namespace pw::formats::gleif {

const Node* Node::child(std::string_view child_name) const {
  for (const Node& c : children) {
    if (c.name == child_name) return &c;
  }
  return nullptr;
}

std::string_view Node::text_at(std::initializer_list<std::string_view> path) const {
  const Node* n = this;
  for (std::string_view step : path) {
    n = n->child(step);
    if (n == nullptr) return {};
  }
  return internal::trim(n->text);
}

std::vector<const Node*> Node::items(std::string_view plural, std::string_view singular) const {
  std::vector<const Node*> out;
  for (const Node& group : children) {
    if (group.name != plural) continue;
    bool nested = false;
    for (const Node& item : group.children) {
      if (item.name == singular) {
        out.push_back(&item);
        nested = true;
      }
    }
    if (!nested) out.push_back(&group);
  }
  return out;
}

}  // namespace pw::formats::gleif

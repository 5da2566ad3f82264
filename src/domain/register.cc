#include "domain/register.h"

#include <algorithm>

namespace pw::domain {
namespace {

template <typename T>
const T* find_by_id(const std::vector<T>& records, std::string_view id) {
  auto it = std::find_if(records.begin(), records.end(), [id](const T& r) { return r.id == id; });
  return it == records.end() ? nullptr : &*it;
}

}  // namespace

const Organisation* Register::organisation(std::string_view id) const {
  return find_by_id(organisations, id);
}
const Site* Register::site(std::string_view id) const {
  return find_by_id(sites, id);
}
const Room* Register::room(std::string_view id) const {
  return find_by_id(rooms, id);
}
const Zone* Register::zone(std::string_view id) const {
  return find_by_id(zones, id);
}
const Asset* Register::asset(std::string_view id) const {
  return find_by_id(assets, id);
}
const Person* Register::person(std::string_view id) const {
  return find_by_id(people, id);
}

}  // namespace pw::domain

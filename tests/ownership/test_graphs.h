#pragma once
// Builders for ownership datasets in tests, and the seed's example (Q7 of the 2021 answers:
// CNNC holds 21% of Tongfang, which holds 76% of Nuctech).

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

#include "domain/ownership.h"
#include "ownership/graph.h"

namespace pw::ownership::testing {

class DatasetBuilder {
 public:
  DatasetBuilder& entity(std::string id, domain::EntityKind kind, std::string name = "",
                         std::string country = "") {
    domain::Entity e;
    e.id = std::move(id);
    e.kind = kind;
    e.name = std::move(name);
    e.country = std::move(country);
    ds_.entities.push_back(std::move(e));
    return *this;
  }
  DatasetBuilder& company(std::string id, std::string name = "", std::string country = "") {
    return entity(std::move(id), domain::EntityKind::kCompany, std::move(name), std::move(country));
  }
  DatasetBuilder& person(std::string id, std::string name = "") {
    return entity(std::move(id), domain::EntityKind::kPerson, std::move(name));
  }
  DatasetBuilder& identifier(std::string scheme, std::string value) {
    ds_.entities.back().identifiers.push_back({std::move(scheme), std::move(value)});
    return *this;
  }
  DatasetBuilder& edge(std::string owner, std::string owned, domain::Share share,
                       domain::Interest interest = domain::Interest::kShareholding) {
    domain::Edge e;
    e.owner = std::move(owner);
    e.owned = std::move(owned);
    e.share = share;
    e.interest = interest;
    ds_.edges.push_back(std::move(e));
    return *this;
  }
  DatasetBuilder& owns(std::string owner, std::string owned, double share) {
    return edge(std::move(owner), std::move(owned), domain::Share::exact(share));
  }
  DatasetBuilder& owns(std::string owner, std::string owned, double lo, double hi) {
    return edge(std::move(owner), std::move(owned), domain::Share::range(lo, hi));
  }
  domain::Edge& last_edge() { return ds_.edges.back(); }
  domain::OwnershipDataset& dataset() { return ds_; }

  core::Result<Graph> build(std::optional<domain::Date> as_of = std::nullopt) const {
    return Graph::build(ds_, as_of);
  }
  // Builds or fails the test.
  Graph graph(std::optional<domain::Date> as_of = std::nullopt) const {
    auto g = build(as_of);
    if (!g) {
      ADD_FAILURE() << g.error().to_string();
      std::abort();
    }
    return std::move(*g);
  }

 private:
  domain::OwnershipDataset ds_;
};

// SASAC (a Chinese state body) owns CNNC; CNNC 21% of Tongfang; Tongfang 76% of Nuctech.
inline DatasetBuilder seed() {
  DatasetBuilder b;
  b.entity("sasac", domain::EntityKind::kStateBody, "SASAC", "CN")
      .company("cnnc", "China National Nuclear Corporation", "CN")
      .identifier("cn-uscc", "91110000100009563N")
      .company("tongfang", "Tsinghua Tongfang Co. Ltd.", "CN")
      .company("nuctech", "Nuctech Company Limited", "CN")
      .identifier("lei", "300300C1050831000081")
      .owns("sasac", "cnnc", 1.0)
      .owns("cnnc", "tongfang", 0.21)
      .owns("tongfang", "nuctech", 0.76);
  return b;
}

inline NodeId node(const Graph& g, std::string_view id) {
  auto n = g.find_by_id(id);
  if (!n) {
    ADD_FAILURE() << n.error().to_string();
    std::abort();
  }
  return *n;
}

}  // namespace pw::ownership::testing

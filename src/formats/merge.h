#pragma once
// Joins datasets from several sources (a BODS package, GLEIF files, an OpenSanctions export)
// into one, unifying entities that are the same by exact identity only — no fuzzy matching:
// - entities with the same id (ids are source-prefixed, e.g. "gleif:<LEI>" from an LEI file and
//   a relationship file) are the same entity;
// - entities sharing an identifier (same normalised scheme and value, e.g. lei:5493...) are the
//   same entity.
// Datasets are given in priority order: when unified entities disagree (name, country) the
// earlier dataset's non-empty value wins, and when two datasets state the same edge (same owner,
// owned, interest and direct flag, overlapping validity) only the earlier one is kept, so a
// 21% stake reported by two registers is not counted as 42%. Same share: a silent duplicate;
// different shares: a reported (resolved) conflict.
//
// Kinds: kUnknown yields to any other kind. Company, state body and state are unified (a
// register may file a ministry as a company) and the group takes the most state-like kind
// (state > state body > company), reported as a resolved conflict. A person is never unified
// with a non-person: that conflict is reported and the entities stay apart.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "domain/ownership.h"

namespace pw::formats {

struct MergeConflict {
  std::string key;                      // "lei:5493001Z012YSB2A0K51", "id:gleif:...", "edge:..."
  std::vector<std::string> entity_ids;  // ids as in the input datasets
  std::string message;
  bool resolved = false;  // true: merged anyway as described; false: left apart / dropped
};

struct MergeResult {
  domain::OwnershipDataset dataset;
  std::vector<MergeConflict> conflicts;
  std::size_t entities_unified = 0;         // input entities folded into another
  std::size_t duplicate_edges_dropped = 0;  // the same stake stated again by a later dataset
};

MergeResult merge(std::span<const domain::OwnershipDataset> datasets);

}  // namespace pw::formats

#pragma once
// Graphviz layout of a DOT text into SVG (private to app/). Kept in its own translation unit:
// Graphviz's headers declare global names that clash with ours.

#include <string>

#include "core/result.h"

namespace pw::app::internal {

core::Result<std::string> render_svg(const std::string& dot);

}  // namespace pw::app::internal

#include "app/internal/diagram.h"

#include <graphviz/gvc.h>

namespace pw::app::internal {

core::Result<std::string> render_svg(const std::string& dot) {
  GVC_t* gvc = gvContext();
  if (gvc == nullptr) return core::internal_error("graphviz is not available");
  Agraph_t* graph = agmemread(dot.c_str());
  if (graph == nullptr) {
    gvFreeContext(gvc);
    return core::internal_error("graphviz could not read the generated diagram");
  }
  std::string svg;
  if (gvLayout(gvc, graph, "dot") == 0) {
    char* data = nullptr;
    unsigned int len = 0;
    if (gvRenderData(gvc, graph, "svg", &data, &len) == 0 && data != nullptr) svg.assign(data, len);
    gvFreeRenderData(data);
    gvFreeLayout(gvc, graph);
  }
  agclose(graph);
  gvFreeContext(gvc);
  if (svg.empty()) return core::internal_error("graphviz could not lay out the diagram");
  return svg;
}

}  // namespace pw::app::internal

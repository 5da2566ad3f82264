#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "assessment/internal/criteria.h"

// Criteria 3a (the access the supplier gets) and 3b (the mitigations possible).

namespace pw::assessment::internal {
// ---- Criterion 3a ----------------------------------------------------------------------------

CriterionResult criterion_3a(const Inputs& in, const SourceRef& src) {
  CriterionResult r;
  r.criterion = Criterion::k3a;
  const AccessEvidence& a = in.access;
  auto add = [&](EvidenceKind k, std::string subject, std::string text, std::vector<Figure> f) {
    Evidence e = make(k, std::move(subject), std::move(text));
    e.figures = std::move(f);
    e.sources.push_back(src);
    r.evidence.push_back(std::move(e));
  };
  if (!a.in_register) {
    r.suggested = Answer::kUnknown;
    r.rule = "3a.not-in-register";
    add(EvidenceKind::kNote, in.supplier,
        "Rule 3a.not-in-register: " + in.supplier + " is not in the site register.", {});
    return r;
  }
  const auto n = [](const std::vector<std::string>& v) {
    return static_cast<std::int64_t>(v.size());
  };
  add(EvidenceKind::kAssets, in.supplier,
      std::to_string(a.assets.size()) + " assets of " + in.supplier_name + " (" +
          std::to_string(a.high) + " high, " + std::to_string(a.medium) + " medium, " +
          std::to_string(a.low) + " low criticality), " + std::to_string(a.scanners.size()) +
          " scanners" + (a.assets.empty() ? "" : ": " + join(a.assets)),
      {count("assets", n(a.assets)), count("high criticality", a.high),
       count("medium criticality", a.medium), count("low criticality", a.low),
       count("scanners", n(a.scanners))});
  if (!a.remote_capable.empty()) {
    add(EvidenceKind::kRemoteAccess, in.supplier,
        std::to_string(a.remote_capable.size()) + " assets maintainable remotely (" +
            join(a.remote_capable) + "), " + std::to_string(a.remote_into_closed.size()) +
            " of them on the closed scan network" +
            (a.remote_into_closed.empty() ? "" : " (" + join(a.remote_into_closed) + ")") +
            " (Q10: remote connections fix about a third of the faults)",
        {count("remote capable", n(a.remote_capable)),
         count("remote into closed network", n(a.remote_into_closed))});
  }
  if (!a.vendor_reachable.empty()) {
    add(EvidenceKind::kRemoteAccess, in.supplier,
        "Assets in a zone the vendor reaches without the gateway: " + join(a.vendor_reachable),
        {count("vendor reachable", n(a.vendor_reachable))});
  }
  for (const PolicyView& p : a.policies) {
    add(EvidenceKind::kRemotePolicy, p.id,
        "Remote-access policy " + p.id + ": " + (p.supervised ? "supervised" : "unsupervised") +
            ", " + (p.recorded ? "recorded" : "not recorded") + ", at most " +
            std::to_string(p.max_session_minutes) + " min per session, through " +
            (p.gateway.empty() ? "no gateway" : p.gateway) + "; covers " + join(p.assets),
        {Figure{"max session", std::to_string(p.max_session_minutes) + " min", "minutes",
                p.max_session_minutes, p.max_session_minutes}});
  }
  if (!a.remote_without_policy.empty()) {
    add(EvidenceKind::kRemotePolicy, in.supplier,
        "Remote-capable assets without a remote-access policy: " + join(a.remote_without_policy),
        {count("without policy", n(a.remote_without_policy))});
  }
  if (!a.server_room_assets.empty()) {
    add(EvidenceKind::kServerRoom, in.supplier,
        std::to_string(a.server_room_assets.size()) + " assets in server rooms (" +
            join(a.server_rooms) + "), so technicians need server-room entry (Q12)" +
            (a.shared_server_rooms.empty() ? ""
                                           : "; rooms shared with other vendors' servers: " +
                                                 join(a.shared_server_rooms) + " (Q11)"),
        {count("in server rooms", n(a.server_room_assets)),
         count("shared rooms", n(a.shared_server_rooms))});
  }
  if (!a.on_site_assets.empty()) {
    add(EvidenceKind::kPhysicalAccess, in.supplier,
        std::to_string(a.on_site_assets.size()) +
            " assets maintained on site; the register does not record escorting, so on-site "
            "access is taken as unescorted (Q12: technicians have independent access to the "
            "scanners)" +
            (a.unwatched_scanners.empty()
                 ? ""
                 : "; scanners no camera watches: " + join(a.unwatched_scanners)),
        {count("on site", n(a.on_site_assets)),
         count("unwatched scanners", n(a.unwatched_scanners))});
  }
  if (a.technicians > 0) {
    add(EvidenceKind::kPersonnel, in.supplier,
        std::to_string(a.technicians) + " technicians of " + in.supplier_name + ", " +
            std::to_string(a.technicians_screened) + " with a valid screening (" +
            std::to_string(a.technicians_vgb) + " VGB) on " + domain::format_date(in.as_of),
        {count("technicians", a.technicians), count("screened", a.technicians_screened),
         count("VGB", a.technicians_vgb)});
  }

  std::vector<std::string> why;
  if (!a.remote_into_closed.empty()) why.push_back("remote maintenance into the closed network");
  if (!a.vendor_reachable.empty()) why.push_back("assets the vendor reaches without the gateway");
  if (!a.server_room_assets.empty() && a.high > 0) {
    why.push_back("server-room entry with high-criticality assets");
  }
  if (a.high >= 3) why.push_back(std::to_string(a.high) + " high-criticality assets");
  std::string rule_text;
  if (!why.empty()) {
    r.suggested = Answer::kYes;
    r.rule = "3a.extensive";
    rule_text = join(why, "; ");
  } else if (!a.remote_capable.empty() || !a.server_room_assets.empty() || a.high + a.medium > 0) {
    r.suggested = Answer::kPartly;
    r.rule = "3a.limited";
    rule_text =
        "some access (remote capability, server-room entry or assets of medium or high "
        "criticality), none of it extensive";
  } else {
    r.suggested = Answer::kNo;
    r.rule = "3a.none";
    rule_text = a.assets.empty() ? "no assets in the register" : "low-criticality assets only";
  }
  std::vector<std::string> channels;
  for (AccessChannel c : a.channels) channels.emplace_back(domain::access_channel_name(c));
  add(EvidenceKind::kNote, in.supplier,
      "Rule " + r.rule + ": " + rule_text +
          ". Access channels: " + (channels.empty() ? "none" : join(channels)) + ".",
      {});
  return r;
}

CriterionResult criterion_3b(const Inputs& in, Answer a3a, const SourceRef& src) {
  CriterionResult r;
  r.criterion = Criterion::k3b;
  const auto& channels = in.access.channels;
  for (AccessChannel c : channels) {
    for (const domain::MitigationDef& d : domain::mitigation_catalogue()) {
      if (d.channel != c) continue;
      const MitigationState* m = state_of(in.mitigations, d.id);
      std::string status =
          m ? std::string(domain::mitigation_status_name(m->status)) : "not recorded";
      if (m && !m->feasible) status += ", judged infeasible";
      Evidence e = make(EvidenceKind::kMitigation, std::string(d.id),
                        std::string(domain::access_channel_name(c)) + ": " + std::string(d.title) +
                            " (" + std::string(d.seed) + "): " + status +
                            (m && !m->note.empty() ? " - " + m->note : ""));
      e.sources.push_back(src);
      r.evidence.push_back(std::move(e));
    }
  }
  if (const domain::MitigationDef* audit = domain::find_mitigation("external-audit")) {
    const MitigationState* m = state_of(in.mitigations, audit->id);
    Evidence e = make(
        EvidenceKind::kMitigation, std::string(audit->id),
        "assurance: " + std::string(audit->title) + " (" + std::string(audit->seed) +
            "): " + (m ? std::string(domain::mitigation_status_name(m->status)) : "not recorded"));
    e.sources.push_back(src);
    r.evidence.push_back(std::move(e));
  }

  std::vector<std::string> covered, uncovered, infeasible;
  for (AccessChannel c : channels) {
    const std::string name(domain::access_channel_name(c));
    if (channel_infeasible(c, in.mitigations)) infeasible.push_back(name);
    (channel_has(c, in.mitigations, MitigationStatus::kPlanned) ? covered : uncovered)
        .push_back(name);
  }
  auto note = [&](std::string rule, std::string text) {
    r.rule = rule;
    r.evidence.push_back(make(EvidenceKind::kNote, in.supplier, "Rule " + rule + ": " + text));
  };
  if (a3a == Answer::kUnknown && !in.access.in_register) {
    r.suggested = Answer::kUnknown;
    note("3b.not-in-register", "the access is not known, so neither is what to mitigate.");
  } else if (channels.empty()) {
    r.suggested = Answer::kYes;
    note("3b.no-access", "no access channel to mitigate.");
  } else if (!infeasible.empty()) {
    r.suggested = Answer::kNo;
    note("3b.infeasible", "every measure is judged infeasible for: " + join(infeasible) + ".");
  } else if (uncovered.empty()) {
    r.suggested = Answer::kYes;
    note("3b.covered",
         "every exposed channel has a measure planned or further: " + join(covered) + ".");
  } else if (!covered.empty()) {
    r.suggested = Answer::kPartly;
    note("3b.some-covered",
         "covered: " + join(covered) + "; not covered: " + join(uncovered) + ".");
  } else {
    r.suggested = Answer::kUnknown;
    note("3b.none-committed", "no measure is planned, implemented or verified for: " +
                                  join(uncovered) + "; feasibility not established.");
  }
  return r;
}

}  // namespace pw::assessment::internal

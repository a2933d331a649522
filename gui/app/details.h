// The details panel's text for a selected object: labels, IPs, ports, endpoints and, for a node,
// the kube-proxy rule count (from models::kubeproxy). Formatting only.
#pragma once

#include <QString>

#include "gui/app/object_ref.h"
#include "gui/app/scenario_document.h"

namespace knetsim::gui {

QString details_html(const ScenarioDocument& doc, const ObjectRef& ref);

}  // namespace knetsim::gui

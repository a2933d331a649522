// Kubernetes name and label syntax (k8s.io/apimachinery/pkg/util/validation), so input that
// kubectl would reject is rejected here with the same rule named.
#pragma once

#include <string>
#include <string_view>

namespace knetsim::core {

// Each returns an empty string when valid, else what is wrong ("must be no more than 63 ...").
std::string check_dns1123_label(std::string_view s);      // namespaces, port-less names
std::string check_dns1123_subdomain(std::string_view s);  // most object names
std::string check_dns1035_label(std::string_view s);      // Service names
std::string check_label_key(std::string_view s);
std::string check_label_value(std::string_view s);
std::string check_port_name(std::string_view s);  // IANA_SVC_NAME

}  // namespace knetsim::core

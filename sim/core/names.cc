#include "sim/core/names.h"

#include <cctype>

namespace knetsim::core {

namespace {

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?
bool qualified_name_part(std::string_view s) {
  if (s.empty() || !alnum(s.front()) || !alnum(s.back())) return false;
  for (char c : s) {
    if (!alnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace

std::string check_dns1123_label(std::string_view s) {
  if (s.empty()) return "must not be empty";
  if (s.size() > 63) return "must be no more than 63 characters";
  if (!lower_alnum(s.front()) || !lower_alnum(s.back())) {
    return "must be a lowercase RFC 1123 label: start and end with a lowercase letter or digit";
  }
  for (char c : s) {
    if (!lower_alnum(c) && c != '-') {
      return "must be a lowercase RFC 1123 label: only 'a-z', '0-9' and '-'";
    }
  }
  return "";
}

std::string check_dns1123_subdomain(std::string_view s) {
  if (s.empty()) return "must not be empty";
  if (s.size() > 253) return "must be no more than 253 characters";
  size_t start = 0;
  while (start <= s.size()) {
    size_t dot = s.find('.', start);
    std::string_view part = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (part.empty() || !lower_alnum(part.front()) || !lower_alnum(part.back())) {
      return "must be a lowercase RFC 1123 subdomain: alphanumerics, '-' and '.', starting and "
             "ending with an alphanumeric";
    }
    for (char c : part) {
      if (!lower_alnum(c) && c != '-') {
        return "must be a lowercase RFC 1123 subdomain: only 'a-z', '0-9', '-' and '.'";
      }
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return "";
}

std::string check_dns1035_label(std::string_view s) {
  std::string e = check_dns1123_label(s);
  if (!e.empty()) return e;
  if (!(s.front() >= 'a' && s.front() <= 'z')) {
    return "must be an RFC 1035 label: start with a lowercase letter";
  }
  return "";
}

std::string check_label_key(std::string_view s) {
  std::string_view name = s;
  size_t slash = s.find('/');
  if (slash != std::string_view::npos) {
    std::string_view prefix = s.substr(0, slash);
    name = s.substr(slash + 1);
    std::string e = check_dns1123_subdomain(prefix);
    if (!e.empty()) return "prefix " + e;
  }
  if (name.empty() || name.size() > 63) return "name part must be 1 to 63 characters";
  if (!qualified_name_part(name)) {
    return "name part must consist of alphanumerics, '-', '_' or '.', starting and ending with "
           "an alphanumeric";
  }
  return "";
}

std::string check_label_value(std::string_view s) {
  if (s.empty()) return "";
  if (s.size() > 63) return "must be no more than 63 characters";
  if (!qualified_name_part(s)) {
    return "must consist of alphanumerics, '-', '_' or '.', starting and ending with an "
           "alphanumeric";
  }
  return "";
}

std::string check_port_name(std::string_view s) {
  if (s.empty() || s.size() > 15) return "must be 1 to 15 characters";
  bool letter = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'a' && c <= 'z') letter = true;
    else if (!(c >= '0' && c <= '9') && c != '-') {
      return "must contain only lowercase letters, digits and '-'";
    }
    if (c == '-' && (i == 0 || i + 1 == s.size() || s[i - 1] == '-')) {
      return "must not begin or end with '-' or contain '--'";
    }
  }
  if (!letter) return "must contain at least one letter";
  return "";
}

}  // namespace knetsim::core

// A list of short strings kept in one buffer (no allocation per entry): rules, set elements.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace knetsim::models::kubeproxy {

class TextList {
 public:
  template <typename... A>
  void add(fmt::format_string<A...> f, A&&... a) {
    fmt::format_to(std::back_inserter(buf_), f, std::forward<A>(a)...);
    ends_.push_back(static_cast<uint32_t>(buf_.size()));
  }
  size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  std::string_view operator[](size_t i) const {
    uint32_t b = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(buf_).substr(b, ends_[i] - b);
  }
  size_t bytes() const { return buf_.size(); }

 private:
  std::string buf_;
  std::vector<uint32_t> ends_;
};

}  // namespace knetsim::models::kubeproxy

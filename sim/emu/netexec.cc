#include "sim/emu/netexec.h"

#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace knetsim::emu {

namespace {

constexpr std::array<std::string_view, 8> kMethods = {"GET ",    "POST ",  "HEAD ",  "PUT ",
                                                      "DELETE ", "PATCH ", "OPTIONS ", "CONNECT "};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string query_value(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    if (url_decode(pair.substr(0, eq)) == key) {
      return eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

std::string http_response(int status, std::string_view reason, std::string_view body,
                          bool keep_alive, bool head) {
  std::string out;
  out.reserve(160 + body.size());
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += reason;
  out += "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ";
  out += std::to_string(body.size());
  out += keep_alive ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n";
  if (!head) out += body;
  return out;
}

std::string now_text() {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S +0000 UTC", &tm);
  return buf;
}

}  // namespace

std::string url_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool may_be_http(std::string_view buf) {
  for (auto m : kMethods) {
    size_t n = std::min(buf.size(), m.size());
    if (buf.substr(0, n) == m.substr(0, n)) return true;
  }
  return false;
}

ParseStatus parse_http_request(std::string_view buf, size_t max_header_bytes, HttpRequest& out) {
  if (!may_be_http(buf)) return ParseStatus::NotHttp;
  size_t end = buf.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    return buf.size() > max_header_bytes ? ParseStatus::TooLarge : ParseStatus::Incomplete;
  }
  if (end > max_header_bytes) return ParseStatus::TooLarge;
  std::string_view head = buf.substr(0, end);
  size_t eol = head.find("\r\n");
  std::string_view line = head.substr(0, eol);
  size_t sp1 = line.find(' ');
  size_t sp2 = line.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos) return ParseStatus::NotHttp;
  out.method = std::string(line.substr(0, sp1));
  out.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  std::string_view version = line.substr(sp2 + 1);
  out.keep_alive = version != "HTTP/1.0";
  size_t content_length = 0;
  std::string_view rest = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 2);
  while (!rest.empty()) {
    size_t e = rest.find("\r\n");
    std::string_view h = rest.substr(0, e);
    size_t colon = h.find(':');
    if (colon != std::string_view::npos) {
      std::string_view name = trim(h.substr(0, colon));
      std::string_view value = trim(h.substr(colon + 1));
      if (iequals(name, "Connection")) {
        if (iequals(value, "close")) out.keep_alive = false;
        if (iequals(value, "keep-alive")) out.keep_alive = true;
      } else if (iequals(name, "Content-Length")) {
        content_length = 0;
        for (char c : value) {
          if (c < '0' || c > '9') return ParseStatus::NotHttp;
          content_length = content_length * 10 + static_cast<size_t>(c - '0');
          if (content_length > max_header_bytes * 16) return ParseStatus::TooLarge;
        }
      }
    }
    if (e == std::string_view::npos) break;
    rest.remove_prefix(e + 2);
  }
  size_t total = end + 4 + content_length;
  if (buf.size() < total) return ParseStatus::Incomplete;
  out.length = total;
  return ParseStatus::Complete;
}

std::string netexec_http_response(const HttpRequest& req, const PodIdentity& pod,
                                  const std::string& client) {
  std::string_view target = req.target;
  size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  std::string_view query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  bool head = req.method == "HEAD";
  if (path == "/hostname") return http_response(200, "OK", pod.hostname, req.keep_alive, head);
  if (path == "/clientip") return http_response(200, "OK", client, req.keep_alive, head);
  if (path == "/echo") {
    return http_response(200, "OK", query_value(query, "msg"), req.keep_alive, head);
  }
  if (path == "/healthz") return http_response(200, "OK", "ok", req.keep_alive, head);
  if (path == "/") return http_response(200, "OK", now_text(), req.keep_alive, head);
  return http_response(404, "Not Found", "404 page not found\n", req.keep_alive, head);
}

std::string netexec_udp_reply(std::string_view datagram, const PodIdentity& pod,
                              const std::string& client) {
  std::string_view cmd = datagram;
  while (!cmd.empty() && (cmd.back() == '\n' || cmd.back() == '\r')) cmd.remove_suffix(1);
  if (cmd == "hostname") return pod.hostname;
  if (cmd == "clientip") return client;
  if (cmd.substr(0, 5) == "echo ") return std::string(cmd.substr(5));
  return std::string(datagram);
}

}  // namespace knetsim::emu

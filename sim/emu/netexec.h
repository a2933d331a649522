// What a pod answers, modelled on the Kubernetes e2e image's `agnhost netexec` server, the
// server conformance tests talk to: over HTTP, GET /hostname returns the pod name, /clientip
// the caller's "ip:port", /echo?msg=X returns X, / the time, /healthz "ok". Over UDP the same
// server reads a command per datagram: "hostname", "clientip", "echo X". Anything else is echoed
// back unchanged (plain echo), which is what a pod port without netexec semantics does here.
// Pure functions over bytes so they are tested without sockets.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace knetsim::emu {

struct HttpRequest {
  std::string method;
  std::string target;    // path and query as sent
  bool keep_alive = true;  // HTTP/1.1 default unless "Connection: close"; HTTP/1.0 the opposite
  size_t length = 0;       // bytes of the request including its body
};

enum class ParseStatus { Complete, Incomplete, NotHttp, TooLarge };

// Parses one request from the front of `buf`. NotHttp when the first bytes cannot start a
// request line (the connection is then treated as plain echo).
ParseStatus parse_http_request(std::string_view buf, size_t max_header_bytes, HttpRequest& out);

// Whether the bytes seen so far may still become an HTTP request line ("GET /", "POST /", ...).
bool may_be_http(std::string_view buf);

struct PodIdentity {
  std::string hostname;  // the pod name, as agnhost's os.Hostname() returns it in a pod
};

// The full HTTP/1.1 response for a request from `client` ("ip:port").
std::string netexec_http_response(const HttpRequest& req, const PodIdentity& pod,
                                  const std::string& client);

// The reply to one UDP datagram.
std::string netexec_udp_reply(std::string_view datagram, const PodIdentity& pod,
                              const std::string& client);

// Percent-decoding of a query value ("+" is a space), as Go's url.Query() does.
std::string url_decode(std::string_view s);

}  // namespace knetsim::emu

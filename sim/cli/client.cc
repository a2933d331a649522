// knetsim client --from NS/POD URL: one request made as that pod (bound to its mapped address)
// against a running `knetsim emulate`, whose state file says where pods and services are.
// URL hosts may be loopback addresses (used as given), model addresses (10.96.0.10: mapped to
// 127.96.0.10 and the port offset added) or service names (web, web.default,
// web.default.svc.cluster.local). Schemes: http://, tcp:// (sends --data, prints the echo),
// udp:// (sends --data, default "hostname", prints the reply).
#include <fmt/core.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "sim/cli/commands.h"
#include "sim/core/quantity.h"
#include "sim/emu/address_map.h"
#include "sim/emu/client.h"

namespace knetsim::cli {

std::string default_state_file() {
  const char* dir = std::getenv("TMPDIR");
  return fmt::format("{}/knetsim-emulate-{}.json", dir && *dir ? dir : "/tmp", ::getuid());
}

namespace {

struct Url {
  std::string scheme, host, target = "/";
  int port = 0;
};

std::optional<Url> parse_url(const std::string& text) {
  Url u;
  size_t p = text.find("://");
  if (p == std::string::npos) return std::nullopt;
  u.scheme = text.substr(0, p);
  std::string rest = text.substr(p + 3);
  size_t slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  if (slash != std::string::npos) u.target = rest.substr(slash);
  size_t colon = hostport.rfind(':');
  if (colon != std::string::npos) {
    u.host = hostport.substr(0, colon);
    u.port = std::atoi(hostport.c_str() + colon + 1);
    if (u.port <= 0 || u.port > 65535) return std::nullopt;
  } else {
    u.host = hostport;
    if (u.scheme == "http") u.port = 80;
  }
  if (u.host.empty() || u.port == 0) return std::nullopt;
  if (u.scheme != "http" && u.scheme != "tcp" && u.scheme != "udp") return std::nullopt;
  return u;
}

}  // namespace

void add_client_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("client", "Make one request as a pod through a running emulator");
  struct Opts {
    std::string from;
    std::string url;
    std::string data = "hostname";
    std::string timeout = "5s";
    std::string state;
    bool verbose = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("--from", o->from, "Act as this pod (ns/name) or bind to this address");
  cmd->add_option("url", o->url, "http://HOST[:PORT]/PATH, tcp://HOST:PORT or udp://HOST:PORT")
      ->required();
  cmd->add_option("-d,--data", o->data, "Bytes to send for tcp:// and udp://");
  cmd->add_option("--timeout", o->timeout, "Give up after this long");
  cmd->add_option("--state", o->state, "The emulator's state file (default: " +
                                           default_state_file() + ")");
  cmd->add_flag("-v,--verbose", o->verbose, "Print the source, target and outcome");
  cmd->callback([o, &exit_code] {
    auto url = parse_url(o->url);
    if (!url) throw CLI::ValidationError("url", "expects http://HOST[:PORT]/PATH, tcp://HOST:PORT or udp://HOST:PORT");
    auto timeout = core::parse_duration_ns(o->timeout);
    if (!timeout || *timeout <= 0) throw CLI::ValidationError("--timeout", "expects e.g. 5s");
    std::string state_path = o->state.empty() ? default_state_file() : o->state;
    nlohmann::json state;
    {
      std::ifstream in(state_path);
      if (in) {
        try {
          in >> state;
        } catch (const std::exception&) {
          state = nlohmann::json();
        }
      }
    }
    int offset = state.is_object() ? state.value("port_offset", 0) : 0;
    auto need_state = [&](const std::string& why) {
      if (state.is_object()) return true;
      fmt::print(stderr, "error: {} needs a running `knetsim emulate` (no state file at {})\n", why,
                 state_path);
      exit_code = 2;
      return false;
    };
    emu::Exchange ex;
    // Source.
    if (!o->from.empty()) {
      if (auto ip = core::Ipv4::parse(o->from)) {
        ex.from = emu::mapped_address(*ip);
      } else {
        if (!need_state("--from " + o->from)) return;
        auto pods = state["pods"];
        if (!pods.contains(o->from)) {
          fmt::print(stderr, "error: no pod {} in the running emulation\n", o->from);
          exit_code = 2;
          return;
        }
        ex.from = boost::asio::ip::make_address_v4(pods[o->from]["loopback"].get<std::string>());
      }
    }
    // Target.
    int port = url->port;
    if (auto ip = core::Ipv4::parse(url->host)) {
      ex.to = emu::mapped_address(*ip);
      if ((ip->value >> 24) != emu::kLoopbackFirstOctet) port += offset;
    } else {
      if (!need_state("the service name " + url->host)) return;
      std::string host = url->host;
      std::string domain = ".svc." + state.value("domain", std::string("cluster.local"));
      if (host.size() > domain.size() && host.ends_with(domain)) host.resize(host.size() - domain.size());
      if (host.ends_with(".svc")) host.resize(host.size() - 4);
      size_t dot = host.find('.');
      std::string ns = dot == std::string::npos
                           ? (o->from.find('/') != std::string::npos ? o->from.substr(0, o->from.find('/')) : "default")
                           : host.substr(dot + 1);
      std::string key = ns + "/" + host.substr(0, dot);
      if (!state["services"].contains(key)) {
        fmt::print(stderr, "error: no service {} in the running emulation\n", key);
        exit_code = 2;
        return;
      }
      ex.to = boost::asio::ip::make_address_v4(state["services"][key]["loopback"].get<std::string>());
      port += offset;
    }
    ex.port = port;
    ex.timeout = std::chrono::milliseconds(*timeout / 1'000'000);
    if (url->scheme == "udp") {
      ex.protocol = core::Protocol::UDP;
      ex.payload = o->data;
    } else if (url->scheme == "tcp") {
      ex.payload = o->data;
      ex.read_to_eof = false;
    } else {
      ex.payload = emu::http_get(url->host, url->target);
    }
    if (o->verbose) {
      fmt::print(stderr, "* from {} to {}:{} ({})\n", ex.from ? ex.from->to_string() : "any",
                 ex.to.to_string(), ex.port, url->scheme);
    }
    auto r = emu::exchange(ex);
    if (o->verbose) fmt::print(stderr, "* outcome: {} {}\n", emu::outcome_name(r.outcome), r.detail);
    if (r.outcome != emu::Outcome::Ok) {
      fmt::print(stderr, "knetsim client: {}{}{}\n", emu::outcome_name(r.outcome),
                 r.detail.empty() ? "" : ": ", r.detail);
      exit_code = 1;
      return;
    }
    if (url->scheme == "http") {
      auto reply = emu::parse_http_reply(r.reply);
      if (!reply) {
        fmt::print(stderr, "knetsim client: not an HTTP reply\n");
        exit_code = 1;
        return;
      }
      std::cout << reply->body << (reply->body.ends_with("\n") ? "" : "\n");
      exit_code = reply->status >= 400 ? 1 : 0;
    } else {
      std::cout << r.reply << (r.reply.ends_with("\n") ? "" : "\n");
    }
  });
}

}  // namespace knetsim::cli

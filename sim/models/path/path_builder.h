// Builds one request's hop list for PathModel::predict_request (internal to knetsim_path).
// One builder per request: it resolves the target, then appends the hops of the connection
// setup, the request and the response, stopping where a failure ends the request.
#pragma once

#include "sim/models/path/path_model.h"

namespace knetsim::models::path {

class PathBuilder {
 public:
  PathBuilder(const PathModel& model, const RequestSpec& spec, Prediction& out);
  void run();

 private:
  // Where the service-facing part of the request lands.
  struct Server {
    int32_t host = 0;
    std::optional<core::PodId> pod;
    core::Ipv4 ip;
    int port = 0;
  };

  void cpu(const std::string& name, int32_t host, double ns, int packets, bool app = false);
  void wait(const std::string& name, int32_t host, double ns);
  // Bytes of `payload` split into segments at the pod MTU: packet count and wire bytes.
  int packets_for(int64_t payload) const;
  int64_t wire_bytes(int64_t payload, int packets, bool encapsulated) const;
  // Moves `payload` from host to host. `pod_network`: pod traffic that the CNI encapsulates
  // when it crosses nodes. Returns false (and records the failure) on an MTU black hole.
  bool carry(const std::string& what, int32_t from, int32_t to, int64_t payload, int packets,
             bool pod_network);
  void fail(Outcome o, const std::string& detail);
  void fail_after_timeout(Outcome o, int32_t host, const std::string& detail);

  bool resolve_service(core::ServiceId svc, int port, std::optional<core::NodeId> local_only);
  void run_pod_client();
  void run_external();
  void run_ingress();
  // Client pod (on `client_host`) -> server over the pod network, ClusterIP service or direct.
  // `svc` set: the first packet walks kube-proxy on client_host. Returns false on failure.
  bool pod_exchange(int32_t client_host, std::optional<core::PodId> client_pod, bool new_conn,
                    int64_t req_bytes, int64_t resp_bytes, bool app);
  bool policy_allows(std::optional<core::PodId> client_pod, std::optional<core::Ipv4> from_ip);
  void server_side_failure(int32_t client_host);

  const PathModel& m_;
  const core::Cluster& c_;
  const core::Profile& p_;
  const RequestSpec& spec_;
  Prediction& out_;
  Server server_;
  std::optional<core::ServiceId> svc_;
  size_t port_index_ = 0;
  bool done_ = false;
};

}  // namespace knetsim::models::path

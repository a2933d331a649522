// The netexec-like answers, byte for byte, without sockets.
#include "sim/emu/netexec.h"

#include <gtest/gtest.h>

#include "sim/emu/address_map.h"
#include "sim/emu/client.h"

namespace knetsim::emu {
namespace {

TEST(AddressMap, FirstOctetBecomes127) {
  EXPECT_EQ(loopback_of(*core::Ipv4::parse("10.244.1.5")).str(), "127.244.1.5");
  EXPECT_EQ(loopback_of(*core::Ipv4::parse("192.168.0.2")).str(), "127.168.0.2");
  EXPECT_EQ(mapped_address(*core::Ipv4::parse("10.96.0.10")).to_string(), "127.96.0.10");
  PortMap pm{10000};
  EXPECT_EQ(pm.map(80), 10080);
  EXPECT_FALSE(pm.map(60000).has_value());
}

TEST(Netexec, ParsesKeepAliveAndCloseRequests) {
  HttpRequest r;
  std::string two = "GET /hostname HTTP/1.1\r\nHost: x\r\n\r\nGET /clientip HTTP/1.1\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(parse_http_request(two, 8192, r), ParseStatus::Complete);
  EXPECT_EQ(r.target, "/hostname");
  EXPECT_TRUE(r.keep_alive);
  HttpRequest r2;
  ASSERT_EQ(parse_http_request(std::string_view(two).substr(r.length), 8192, r2),
            ParseStatus::Complete);
  EXPECT_EQ(r2.target, "/clientip");
  EXPECT_FALSE(r2.keep_alive);
  EXPECT_EQ(parse_http_request("GET /x HTTP/1.1\r\nHost:", 8192, r), ParseStatus::Incomplete);
  EXPECT_EQ(parse_http_request("hello world\r\n\r\n", 8192, r), ParseStatus::NotHttp);
  EXPECT_EQ(parse_http_request(std::string(100, 'G').insert(0, "GET /"), 50, r),
            ParseStatus::TooLarge);
  HttpRequest r3;
  ASSERT_EQ(parse_http_request("GET / HTTP/1.0\r\n\r\n", 8192, r3), ParseStatus::Complete);
  EXPECT_FALSE(r3.keep_alive);
}

TEST(Netexec, RequestBodyIsPartOfTheRequest) {
  HttpRequest r;
  std::string req = "POST /echo?msg=a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhel";
  EXPECT_EQ(parse_http_request(req, 8192, r), ParseStatus::Incomplete);
  req += "lo";
  ASSERT_EQ(parse_http_request(req, 8192, r), ParseStatus::Complete);
  EXPECT_EQ(r.length, req.size());
}

TEST(Netexec, AnswersLikeAgnhost) {
  PodIdentity pod{"web-1"};
  HttpRequest r;
  r.method = "GET";
  r.target = "/hostname";
  auto host = parse_http_reply(netexec_http_response(r, pod, "127.244.1.5:40000"));
  ASSERT_TRUE(host);
  EXPECT_EQ(host->status, 200);
  EXPECT_EQ(host->body, "web-1");
  r.target = "/clientip";
  EXPECT_EQ(parse_http_reply(netexec_http_response(r, pod, "127.244.1.5:40000"))->body,
            "127.244.1.5:40000");
  r.target = "/echo?msg=hello%20world+again&x=1";
  EXPECT_EQ(parse_http_reply(netexec_http_response(r, pod, ""))->body, "hello world again");
  r.target = "/nope";
  EXPECT_EQ(parse_http_reply(netexec_http_response(r, pod, ""))->status, 404);
  r.keep_alive = false;
  r.target = "/healthz";
  auto text = netexec_http_response(r, pod, "");
  EXPECT_NE(text.find("Connection: close"), std::string::npos);
}

TEST(Netexec, UdpCommandsAndPlainEcho) {
  PodIdentity pod{"b"};
  EXPECT_EQ(netexec_udp_reply("hostname", pod, "c"), "b");
  EXPECT_EQ(netexec_udp_reply("hostname\n", pod, "c"), "b");
  EXPECT_EQ(netexec_udp_reply("clientip", pod, "1.2.3.4:5"), "1.2.3.4:5");
  EXPECT_EQ(netexec_udp_reply("echo hi", pod, ""), "hi");
  EXPECT_EQ(netexec_udp_reply("anything else", pod, ""), "anything else");
}

TEST(Netexec, SniffsHttpFromTheFirstBytes) {
  EXPECT_TRUE(may_be_http("GE"));
  EXPECT_TRUE(may_be_http("POST /"));
  EXPECT_FALSE(may_be_http("hello"));
  EXPECT_FALSE(may_be_http("GET/"));
}

}  // namespace
}  // namespace knetsim::emu

#include "sim/emu/pod_server.h"

namespace knetsim::emu {
namespace {

TEST(BindErrors, SayWhatToDo) {
  auto priv = bind_error_message("service default/web port 80/TCP", "127.96.0.10", 80, 80,
                                 boost::asio::error::access_denied);
  EXPECT_NE(priv.find("below 1024"), std::string::npos) << priv;
  EXPECT_NE(priv.find("CAP_NET_BIND_SERVICE"), std::string::npos) << priv;
  EXPECT_NE(priv.find("--port-offset"), std::string::npos) << priv;
  auto noroute = bind_error_message("pod x/a port 80/TCP", "127.244.1.5", 80, 80,
                                    make_error_code(boost::system::errc::address_not_available));
  EXPECT_NE(noroute.find("ip addr add 127.0.0.1/8 dev lo"), std::string::npos) << noroute;
}

}  // namespace
}  // namespace knetsim::emu

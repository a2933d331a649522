#include "sim/core/names.h"

#include <gtest/gtest.h>

namespace knetsim::core {
namespace {

TEST(Names, Dns1123LabelRulesMatchKubernetes) {
  EXPECT_EQ(check_dns1123_label("web-1"), "");
  EXPECT_NE(check_dns1123_label("Web"), "");
  EXPECT_NE(check_dns1123_label("-web"), "");
  EXPECT_NE(check_dns1123_label("web."), "");
  EXPECT_NE(check_dns1123_label(std::string(64, 'a')), "");
  EXPECT_EQ(check_dns1123_label(std::string(63, 'a')), "");
}

TEST(Names, SubdomainsAllowDotsBetweenLabels) {
  EXPECT_EQ(check_dns1123_subdomain("web.default.svc"), "");
  EXPECT_NE(check_dns1123_subdomain("web..svc"), "");
  EXPECT_NE(check_dns1123_subdomain(".web"), "");
}

TEST(Names, ServiceNamesMustStartWithALetter) {
  EXPECT_EQ(check_dns1035_label("web"), "");
  EXPECT_NE(check_dns1035_label("1web"), "");
}

TEST(Names, LabelKeysMayHaveADnsPrefix) {
  EXPECT_EQ(check_label_key("app.kubernetes.io/name"), "");
  EXPECT_EQ(check_label_key("App_Name.v2"), "");
  EXPECT_NE(check_label_key("Example.com/name"), "");
  EXPECT_NE(check_label_key("example.com/"), "");
  EXPECT_NE(check_label_key("-name"), "");
}

TEST(Names, LabelValuesMayBeEmpty) {
  EXPECT_EQ(check_label_value(""), "");
  EXPECT_EQ(check_label_value("v1.2_beta-3"), "");
  EXPECT_NE(check_label_value("a b"), "");
  EXPECT_NE(check_label_value(std::string(64, 'v')), "");
}

TEST(Names, PortNamesFollowIanaServiceNames) {
  EXPECT_EQ(check_port_name("http"), "");
  EXPECT_EQ(check_port_name("serve-80-tcp"), "");
  EXPECT_NE(check_port_name("8080"), "");  // needs a letter
  EXPECT_NE(check_port_name("a--b"), "");
  EXPECT_NE(check_port_name("http-"), "");
  EXPECT_NE(check_port_name("HTTP"), "");
  EXPECT_NE(check_port_name("a-very-long-port-name"), "");
}

}  // namespace
}  // namespace knetsim::core

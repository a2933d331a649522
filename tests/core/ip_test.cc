#include "sim/core/ip.h"

#include <gtest/gtest.h>

namespace knetsim::core {
namespace {

TEST(Ipv4, ParsesAndPrintsDottedQuad) {
  auto ip = Ipv4::parse("10.244.1.5");
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->value, 0x0AF40105u);
  EXPECT_EQ(ip->str(), "10.244.1.5");
}

TEST(Ipv4, RejectsMalformedAddresses) {
  for (const char* bad : {"", "10.0.0", "10.0.0.0.1", "256.1.1.1", "01.2.3.4", "a.b.c.d", "1..2.3",
                          "1.2.3.4 ", "-1.2.3.4"}) {
    EXPECT_FALSE(Ipv4::parse(bad)) << bad;
  }
}

TEST(Cidr, ContainsAddressesAndSubnets) {
  auto c = Cidr::parse("10.96.0.0/12");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->contains(*Ipv4::parse("10.111.255.255")));
  EXPECT_FALSE(c->contains(*Ipv4::parse("10.112.0.0")));
  EXPECT_TRUE(c->contains(*Cidr::parse("10.100.0.0/16")));
  EXPECT_FALSE(c->contains(*Cidr::parse("10.0.0.0/8")));
  EXPECT_EQ(c->size(), 1u << 20);
  EXPECT_EQ(c->last().str(), "10.111.255.255");
}

TEST(Cidr, StrictParsingRejectsHostBits) {
  EXPECT_FALSE(Cidr::parse("10.244.1.0/16", true));
  auto lax = Cidr::parse("10.244.1.0/16", false);
  ASSERT_TRUE(lax);
  EXPECT_EQ(lax->str(), "10.244.0.0/16");
  EXPECT_TRUE(Cidr::parse("0.0.0.0/0", true));
  EXPECT_FALSE(Cidr::parse("10.0.0.0/33"));
  EXPECT_FALSE(Cidr::parse("10.0.0.0"));
}

}  // namespace
}  // namespace knetsim::core

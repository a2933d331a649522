#include "sim/core/quantity.h"

#include <gtest/gtest.h>

namespace knetsim::core {
namespace {

TEST(Quantity, DurationsInEveryUnit) {
  EXPECT_EQ(parse_duration_ns("250ns"), 250);
  EXPECT_EQ(parse_duration_ns("50us"), 50'000);
  EXPECT_EQ(parse_duration_ns("1.5ms"), 1'500'000);
  EXPECT_EQ(parse_duration_ns("30s"), 30'000'000'000);
  EXPECT_EQ(parse_duration_ns("1m30s"), 90'000'000'000);
  EXPECT_EQ(parse_duration_ns("1h"), 3'600'000'000'000);
  EXPECT_EQ(parse_duration_ns("0"), 0);
}

TEST(Quantity, MalformedDurationsAreRejected) {
  for (const char* bad : {"", "30", "s", "30 s", "30sec", "-5s", "1.2.3s"}) {
    EXPECT_FALSE(parse_duration_ns(bad)) << bad;
  }
}

TEST(Quantity, ByteSizesUseDecimalAndBinaryPrefixes) {
  EXPECT_EQ(parse_bytes("200"), 200);
  EXPECT_EQ(parse_bytes("1500B"), 1500);
  EXPECT_EQ(parse_bytes("2KiB"), 2048);
  EXPECT_EQ(parse_bytes("2KB"), 2000);
  EXPECT_EQ(parse_bytes("1MiB"), 1048576);
  EXPECT_FALSE(parse_bytes("2 KiB"));
  EXPECT_FALSE(parse_bytes("KiB"));
}

TEST(Quantity, BitRates) {
  EXPECT_DOUBLE_EQ(*parse_bits_per_second("25Gbps"), 25e9);
  EXPECT_DOUBLE_EQ(*parse_bits_per_second("100Mbps"), 100e6);
  EXPECT_FALSE(parse_bits_per_second("25GB/s"));
}

TEST(Quantity, FormatsDurationsReadably) {
  EXPECT_EQ(format_duration(30'000'000'000), "30s");
  EXPECT_EQ(format_duration(1'500'000), "1.5ms");
  EXPECT_EQ(format_duration(50'000), "50us");
  EXPECT_EQ(format_duration(250), "250ns");
}

}  // namespace
}  // namespace knetsim::core

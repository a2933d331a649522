#include "sim/core/labels.h"

#include <gtest/gtest.h>

namespace knetsim::core {
namespace {

LabelSelector expr(std::string key, SelectorOp op, std::vector<std::string> values = {}) {
  LabelSelector s;
  s.match_expressions.push_back({std::move(key), op, std::move(values)});
  return s;
}

TEST(LabelSelector, EmptySelectorMatchesEverything) {
  EXPECT_TRUE(LabelSelector{}.matches({}));
  EXPECT_TRUE(LabelSelector{}.matches({{"app", "web"}}));
}

TEST(LabelSelector, MatchLabelsNeedsEveryPair) {
  LabelSelector s;
  s.match_labels = {{"app", "web"}, {"tier", "fe"}};
  EXPECT_TRUE(s.matches({{"app", "web"}, {"tier", "fe"}, {"x", "y"}}));
  EXPECT_FALSE(s.matches({{"app", "web"}}));
  EXPECT_FALSE(s.matches({{"app", "web"}, {"tier", "be"}}));
}

TEST(LabelSelector, InNeedsTheKeyWithOneOfTheValues) {
  auto s = expr("env", SelectorOp::In, {"prod", "stage"});
  EXPECT_TRUE(s.matches({{"env", "prod"}}));
  EXPECT_FALSE(s.matches({{"env", "dev"}}));
  EXPECT_FALSE(s.matches({}));
}

TEST(LabelSelector, NotInIsSatisfiedByAnAbsentKey) {
  auto s = expr("env", SelectorOp::NotIn, {"prod"});
  EXPECT_TRUE(s.matches({}));
  EXPECT_TRUE(s.matches({{"env", "dev"}}));
  EXPECT_FALSE(s.matches({{"env", "prod"}}));
}

TEST(LabelSelector, ExistsAndDoesNotExistLookOnlyAtTheKey) {
  EXPECT_TRUE(expr("gpu", SelectorOp::Exists).matches({{"gpu", ""}}));
  EXPECT_FALSE(expr("gpu", SelectorOp::Exists).matches({{"cpu", "x"}}));
  EXPECT_TRUE(expr("gpu", SelectorOp::DoesNotExist).matches({{"cpu", "x"}}));
  EXPECT_FALSE(expr("gpu", SelectorOp::DoesNotExist).matches({{"gpu", "a100"}}));
}

TEST(LabelSelector, MatchLabelsAndExpressionsAreAnded) {
  LabelSelector s = expr("env", SelectorOp::NotIn, {"prod"});
  s.match_labels = {{"app", "web"}};
  EXPECT_TRUE(s.matches({{"app", "web"}, {"env", "dev"}}));
  EXPECT_FALSE(s.matches({{"app", "web"}, {"env", "prod"}}));
  EXPECT_FALSE(s.matches({{"app", "db"}, {"env", "dev"}}));
}

TEST(LabelSelector, PrintsKubernetesStringForm) {
  LabelSelector s = expr("env", SelectorOp::In, {"a", "b"});
  s.match_labels = {{"app", "web"}};
  s.match_expressions.push_back({"legacy", SelectorOp::DoesNotExist, {}});
  EXPECT_EQ(s.str(), "app=web,env in (a,b),!legacy");
  EXPECT_EQ(LabelSelector{}.str(), "<all>");
}

}  // namespace
}  // namespace knetsim::core

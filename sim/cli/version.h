// The knetsim version, set by CMake from project(VERSION).
#pragma once

namespace knetsim::cli {
inline constexpr const char* kVersion = KNETSIM_VERSION;
}

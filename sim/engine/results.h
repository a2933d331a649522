// Writing a simulation's results: DIR/summary.json (schema knetsim.run/v1), CSV time series
// (timeseries.csv per class and second, cpu.csv per node and second, syncs.csv, events.csv) and
// histograms (histogram.csv), then manifest.json (core/run_folder.h), plus the summary table
// printed on stdout. Output depends only on the result (no wall-clock times, fixed number
// formatting), so the same seed gives the same bytes.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "sim/core/run_folder.h"
#include "sim/engine/simulation.h"

namespace knetsim::sim {

nlohmann::ordered_json summary_json(const SimulationResult& r);
// Writes every file into the folder (each atomically, see core::RunFolderWriter; the caller
// calls finish()); throws std::runtime_error on I/O failure.
void write_results(const SimulationResult& r, core::RunFolderWriter& out);
std::string summary_table(const SimulationResult& r);

}  // namespace knetsim::sim

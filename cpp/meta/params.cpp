#include "meta/params.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/errors.h"

namespace lastmile {
namespace {

struct ParamInfo {
    const char* name;
    double lo, hi;
    int SolverParams::*ival;     // set for integer parameters
    double SolverParams::*dval;  // set for real parameters
};
constexpr ParamInfo I(const char* n, double lo, double hi, int SolverParams::*m) {
    return {n, lo, hi, m, nullptr};
}
constexpr ParamInfo D(const char* n, double lo, double hi, double SolverParams::*m) {
    return {n, lo, hi, nullptr, m};
}
using P = SolverParams;
const ParamInfo kParams[] = {
    I("granular", 1, 1000, &P::granular),
    I("population_size", 2, 10000, &P::population_size),
    I("generation_size", 1, 10000, &P::generation_size),
    I("num_elite", 0, 10000, &P::num_elite),
    I("num_close", 1, 10000, &P::num_close),
    D("target_feasible", 0, 1, &P::target_feasible),
    D("repair_probability", 0, 1, &P::repair_probability),
    D("repair_boost", 1, 1e9, &P::repair_boost),
    I("restart_iterations", 1, 1e12, &P::restart_iterations),
    I("initial_population", 1, 1e6, &P::initial_population),

    D("sisr_max_removed", 1, 1e6, &P::sisr_max_removed),
    D("sisr_max_string", 1, 1e6, &P::sisr_max_string),
    D("sisr_t0", 1e-9, 1e12, &P::sisr_t0),
    D("sisr_t1", 1e-9, 1e12, &P::sisr_t1),
    D("sisr_long_route", 0, 1e9, &P::sisr_long_route),
    D("sisr_long_heat", 1, 1e6, &P::sisr_long_heat),
    I("sisr_cycles", 1, 30, &P::sisr_cycles),
    D("sisr_polish_share", -1, 1, &P::sisr_polish_share),
    D("sisr_polish_time_cap", 0, 1, &P::sisr_polish_time_cap),
    I("sisr_polish_cheap", 0, 2, &P::sisr_polish_cheap),
    D("sisr_order_polish_share", 0, 1, &P::sisr_order_polish_share),
    D("sisr_elim_share", 0, 1, &P::sisr_elim_share),
    I("sisr_elim_tries", 1, 1000, &P::sisr_elim_tries),
    I("sisr_elim_gate", 0, 1, &P::sisr_elim_gate),
    D("sisr_elim_margin", 1, 1e6, &P::sisr_elim_margin),
    D("sisr_restart_share", 0, 1, &P::sisr_restart_share),
    D("sisr_restart_heat", 1, 1e6, &P::sisr_restart_heat),
    D("sisr_type_mix", 0, 1, &P::sisr_type_mix),
    I("sisr_refit", 0, 1, &P::sisr_refit),
    I("sisr_full_insert", 0, 2, &P::sisr_full_insert),
    D("sisr_blink", 0, 1, &P::sisr_blink),
    D("sisr_split_rate", 0, 1, &P::sisr_split_rate),
    D("sisr_split_depth", 0, 1, &P::sisr_split_depth),
    I("sisr_order_random", 0, 1000, &P::sisr_order_random),
    I("sisr_order_demand", 0, 1000, &P::sisr_order_demand),
    I("sisr_order_far", 0, 1000, &P::sisr_order_far),
    I("sisr_order_close", 0, 1000, &P::sisr_order_close),
    D("sisr_start_boost", 1, 1e12, &P::sisr_start_boost),
    I("sisr_cheap_start_clients", 0, 1e9, &P::sisr_cheap_start_clients),
    D("sisr_route_margin", 1, 1e6, &P::sisr_route_margin),
    D("sisr_route_slack", 0, 1e6, &P::sisr_route_slack),
    I("exchange_iterations", 0, 1e12, &P::exchange_iterations),
    I("sisr_exchange_factor", 1, 1e6, &P::sisr_exchange_factor),
    I("algorithm", 0, 2, &P::algorithm),
    D("coop_removed_scale", 0.1, 100, &P::coop_removed_scale),
    D("coop_t0_scale", 1e-3, 1e3, &P::coop_t0_scale),
    D("coop_adopt_from", 0, 1, &P::coop_adopt_from),
    I("coop_inject_every", 0, 1e9, &P::coop_inject_every),
    I("coop_inject_tries", 1, 1000, &P::coop_inject_tries),
    I("coop_inject_routes", 1, 1000, &P::coop_inject_routes),
    I("tsp_ils", 0, 1, &P::tsp_ils),
    D("tsp_t0", 1e-9, 1e12, &P::tsp_t0),
    D("tsp_t1", 1e-9, 1e12, &P::tsp_t1),
    I("tsp_or_len", 1, 1000, &P::tsp_or_len),
    I("tsp_bridge_len", 1, 1e6, &P::tsp_bridge_len),
    I("tsp_ruin", 1, 1e6, &P::tsp_ruin),
    D("tsp_ruin_rate", 0, 1, &P::tsp_ruin_rate),
    I("tsp_exchange_factor", 1, 1e6, &P::tsp_exchange_factor),
};

}  // namespace

std::vector<std::string> solver_param_names() {
    std::vector<std::string> v;
    for (const auto& p : kParams) v.emplace_back(p.name);
    return v;
}

void set_param(SolverParams& p, const std::string& name, double value) {
    const ParamInfo* info = nullptr;
    for (const auto& q : kParams)
        if (name == q.name) info = &q;
    if (!info) {
        std::string names;
        for (const auto& q : kParams) names += std::string(names.empty() ? "" : ", ") + q.name;
        throw InputError("params: unknown parameter '" + name + "' (known: " + names + ")");
    }
    const bool integer = info->ival != nullptr;
    if (!std::isfinite(value) || value < info->lo || value > info->hi ||
        (integer && value != std::floor(value))) {
        std::ostringstream os;
        os << name << ": must be " << (integer ? "an integer " : "") << "in [" << info->lo << ", "
           << info->hi << "], got " << value;
        throw InputError(os.str());
    }
    if (integer)
        p.*(info->ival) = static_cast<int>(std::min(value, 2e9));
    else
        p.*(info->dval) = value;
}

SolverParams thread_params(const SolverParams& p, int thread) {
    SolverParams q = p;
    if (thread % 2 == 1) {
        q.sisr_max_removed = std::max(1.0, p.sisr_max_removed * p.coop_removed_scale);
        q.sisr_t0 = p.sisr_t0 * p.coop_t0_scale;
    }
    return q;
}

void check_params(const SolverParams& p) {
    if (p.sisr_polish_share < 0 && p.sisr_polish_share != -1)
        throw InputError("sisr_polish_share: must be -1 (automatic) or in [0, 1], got " +
                         std::to_string(p.sisr_polish_share));
    if (p.sisr_order_random + p.sisr_order_demand + p.sisr_order_far + p.sisr_order_close < 1)
        throw InputError(
            "sisr_order_random, sisr_order_demand, sisr_order_far, sisr_order_close: at least one "
            "recreate order weight must be positive");
}

}  // namespace lastmile

// Tunable parameters of the metaheuristics (HGS, SISR), settable by name (Python: solve(**params)).
#pragma once
#include <string>
#include <vector>

namespace lastmile {

// sisr_polish_share = -1 (automatic): the share used up to sisr_cheap_start_clients clients.
inline constexpr double kAutoPolishShare = 0.05;

/// Tunable parameters (all have defaults; set by name from Python via set_param).
struct SolverParams {
    int granular = 30;         // neighbours per client in the local search
    int population_size = 25;  // HGS mu
    int generation_size = 40;  // HGS lambda
    int num_elite = 4;         // HGS elite individuals in the biased fitness
    int num_close = 5;         // HGS neighbours for the diversity contribution
    // HGS: target fraction of feasible LS outputs (penalty update rule; SISR's moves are feasible
    // by construction and it does not adapt the weights, see sisr.cpp).
    double target_feasible = 0.2;
    double repair_probability = 0.5;  // probability to repair an infeasible offspring
    // HGS: penalty multiplier of the repair local search (Vidal 2022 uses 10x the weights).
    double repair_boost = 10.0;
    int restart_iterations = 20000;  // iterations without improvement before a restart
    int initial_population = 100;    // individuals generated at (re)start (4 * mu in HGS)
    double sisr_max_removed = 10.0;  // SISR: average removed customers c-bar
    double sisr_max_string = 10.0;   // SISR: maximum string length L-max
    double sisr_t0 = 1.0;            // SISR: initial temperature, in average arc costs
    double sisr_t1 = 0.01;           // SISR: final temperature, in average arc costs
    // SISR on long routes: t0 times clamp(1 + 2 (m / sisr_long_route - 1), 1, sisr_long_heat),
    // m = clients / capacity bound on the routes (0 = off): unchanged up to 50 clients per
    // route, x2 at 75, x3 from 100. Fixed 1.2 M iterations, seed 1, t0 x 3: XL-n2634-k17 (155
    // per route) 8.91 -> 6.74 %, XL-n3287-k30 (110) 3.64 -> 1.39 %; worse at 22-43 per route
    // (XL-n1234, Loggi-n601, X-n1001). See bench/quality/RESULTS.md.
    double sisr_long_route = 50.0;
    double sisr_long_heat = 3.0;
    // SISR: cooling cycles per run. Cycle k (1..K) spans a share 2^(k-1) / (2^K - 1) of the
    // budget (time fraction, or iteration fraction under max_iterations), so the last and
    // longest cycle ends with the budget; each cycle restarts from the best at sisr_t0. One
    // cooling over the whole budget (as in the SISR paper) measured best: X-n101/303/502/1001 at
    // 10 s, seed 1, shared machine: mean gap 0.91 % (K=1), 1.08 % (K=3), 1.16 % (K=5).
    int sisr_cycles = 1;
    // SISR: the local search polishes the best solution every this share of the budget (0 =
    // never); an improved best becomes the current solution. -1 (the default) = automatic:
    // kAutoPolishShare on instances of up to sisr_cheap_start_clients clients, never above.
    // SISR's insertions keep a route's order but for the inserted clients; the local search's
    // intra-route, change-of-type and load-profile moves repair what the string moves reach
    // slowly. 30 s, seed 1, off -> 0.05: VRPTW *_10_1 2.18 -> 1.58 % mean gap (9 runs, 2 seeds),
    // HFVRP 1.25 -> 0.79 %, VRPB 2.08 -> 1.56 %. Plain CVRP with the time cap below (0.1): X
    // list at 30 s 0.525 -> 0.452 %, XL/DIMACS n <= 1,421 at 10 s lower on 4 of 4; above 2,000
    // clients even one polish costs too many iterations (XL-n3287-k30, 10 s: 6.2 -> 8.6 %).
    double sisr_polish_share = -1.0;
    // SISR, under a time limit: a polish due at sisr_polish_share is skipped while the polishes
    // so far took more than this share of the elapsed time (1 = never skipped). A full local
    // search on thousands of clients takes a share of the budget that SISR's iterations need;
    // the cap bounds it whatever the size. Ignored under max_iterations (the iteration budget
    // does not pay for polishes, and the run stays deterministic).
    double sisr_polish_time_cap = 0.1;
    // SISR polish operators: 0 = all, 1 = the cheap ones of a large start (relocate, swap,
    // 2-opt, 2-opt*), 2 = the cheap ones above sisr_cheap_start_clients clients, all below.
    int sisr_polish_cheap = 2;
    // SISR: every this share of the budget (0 = never), intra-route 2-opt / Or-opt on the best
    // solution's routes (search/tour_opt.h, no full local search); an improved best becomes the
    // current solution.
    double sisr_order_polish_share = 0.0;
    // SISR route elimination (meta/route_elimination.cpp): every this share of the budget (0 =
    // never) try to empty the least-loaded routes: their clients and strings of neighbouring
    // routes are reinserted without opening a route; accepted by the annealing threshold. Up to
    // sisr_elim_tries failed attempts per slot (each on another of the least-loaded routes).
    // Policy (sisr_elim_gate = 1): a slot runs only while the current solution uses more than
    // sisr_elim_margin x the capacity bound (ceil(total demand / largest capacity)) routes, or
    // when a vehicle type has a fixed cost (then a van less is a saving in itself); gate 0 = every
    // slot. Ungated, 0.01 measured 43 routes / -1.0 % cost on 10 station-days with
    // algorithm="sisr" (5 s), but a mean gap of 0.81 % vs 0.70 % on the X list at 10 s (routes
    // already at the bound there); gated, 9 of the 10 X instances search as without elimination
    // (X-n101's start is above the margin), station-days under "auto" cost 0.8 % less than with
    // the HGS hand-over (43 vans either way). With elimination on, "auto" keeps SISR on starts
    // far above the bound (no HGS hand-over; sisr_elim_share=0 restores it).
    double sisr_elim_share = 0.01;
    int sisr_elim_gate = 1;
    double sisr_elim_margin = 1.1;
    int sisr_elim_tries = 3;
    // SISR stagnation: when a thread's best has not improved for this share of the budget (0 =
    // never), continue from the best with the temperature times sisr_restart_heat, decaying back
    // to the schedule over half that share (a share of iterations under max_iterations).
    double sisr_restart_share = 0.0;
    double sisr_restart_heat = 10.0;
    double sisr_type_mix = 0.25;  // SISR: probability to open a random type (mixed fleet)
    // SISR, mixed fleet: after each recreate, give every touched route the cheapest vehicle type
    // that has a vehicle left and keeps it feasible (1 = on, 0 = off; see sisr_refit.cpp).
    int sisr_refit = 1;
    // SISR insertion positions: 0 = next to the client's granular neighbours, 1 = every position
    // of every route holding one of its neighbours (the paper's rule), 2 = 1 on time-window
    // instances, else 0. With windows and distance-only neighbour lists, 93 % of the positions
    // tried on R2_10_1 (30 s) were late and 2 helped (38739 -> 37716); with the time-window
    // neighbour lists (search/neighbours.cpp) 0 is 3-8x faster per iteration and measured as
    // good or better at a time limit (R2_10_1 60 s: 1.81 % vs 3.15 % gap; C2_10_2 at 100,000
    // iterations: 1.03 % vs 2.60 %; see bench/quality/RESULTS.md), so 0 is the default.
    int sisr_full_insert = 0;
    // SISR: probability to skip an insertion position ("blinks", paper: 0.01).
    double sisr_blink = 0.01;
    // SISR: probability that a removed string is a split string (paper: alpha = 0.5), and the
    // stop probability of growing its kept inner block (paper: beta = 0.01).
    double sisr_split_rate = 0.5;
    double sisr_split_depth = 0.01;
    // SISR recreate order weights (paper: random 4, demand 4, far 2, close 1).
    int sisr_order_random = 4;
    int sisr_order_demand = 4;
    int sisr_order_far = 2;
    int sisr_order_close = 1;
    // SISR start: the local search runs with the initial penalty weights times this factor, so
    // that its output is feasible (SISR only moves between feasible solutions); 100x makes
    // any excess dearer than the savings it could buy on the instances measured.
    double sisr_start_boost = 100.0;
    // SISR start: above this many clients a feasible start gets the cheap operators only
    // (relocate, swap, 2-opt, 2-opt*): a full local search then takes seconds (SWAP* and the
    // 2-3 client moves dominate) and SISR does the rest. For the same reason the automatic
    // polish (sisr_polish_share = -1) is off above it (XL-n3287-k30, 10 s: 490 k SISR iterations
    // without the polish, 36 k with it, gap 5.9 -> 8.8 %).
    int sisr_cheap_start_clients = 2000;
    // Auto mode hands over to HGS when the SISR start uses more than
    // sisr_route_margin * (capacity bound on the routes) + sisr_route_slack routes (see sisr.cpp).
    double sisr_route_margin = 1.1;
    double sisr_route_slack = 0.5;
    int exchange_iterations = 200;  // threads > 1: HGS iterations between best exchanges
    // threads > 1: SISR exchanges every sisr_exchange_factor * exchange_iterations iterations (an
    // SISR iteration is about 100x cheaper than an HGS one).
    int sisr_exchange_factor = 100;
    int algorithm = 0;  // 0 = auto, 1 = HGS, 2 = SISR
    // threads > 1 (SISR): odd threads search with a wider ruin (sisr_max_removed times
    // coop_removed_scale) and a hotter start (sisr_t0 times coop_t0_scale), and a thread adopts a
    // better best of another thread only from the share coop_adopt_from of the budget on (before,
    // the threads search independently; after, they intensify around the best found).
    double coop_removed_scale = 1.5;
    double coop_t0_scale = 2.0;
    double coop_adopt_from = 0.5;
    // threads > 1 (SISR): every coop_inject_every iterations (0 = never) a thread publishes its
    // best and makes coop_inject_tries route injections from the cheapest best another thread
    // published: up to coop_inject_routes neighbouring routes of it replace the routes of the
    // current solution they overlap (see meta/route_injection.cpp), accepted by the annealing
    // threshold as any move.
    int coop_inject_every = 2000;
    int coop_inject_tries = 2;
    int coop_inject_routes = 3;
    // Single-vehicle problems (one route, see meta/tsp_ils.h): 1 = iterated local search (2-opt,
    // Or-opt, double bridge / ruin-recreate perturbations) instead of SISR's ruin-recreate.
    int tsp_ils = 1;
    double tsp_t0 = 0.1;          // ILS: initial temperature, in average arc costs
    double tsp_t1 = 0.002;        // ILS: final temperature, in average arc costs
    int tsp_or_len = 3;           // ILS: longest string an Or-opt move relocates
    int tsp_bridge_len = 100;     // ILS: longest string of the double bridge (<= half the tour)
    int tsp_ruin = 8;             // ILS: most clients removed by the ruin-recreate perturbation
    double tsp_ruin_rate = 0.0;   // ILS: probability of ruin-recreate instead of a double bridge
    int tsp_exchange_factor = 5;  // threads > 1: ILS exchange every this * exchange_iterations
};

/// The parameters of search thread `thread` (see coop_*): thread 0 and even threads get `p`.
SolverParams thread_params(const SolverParams& p, int thread);

/// Names accepted by set_param (for validation messages).
std::vector<std::string> solver_param_names();
/// Sets a parameter by name; throws InputError for an unknown name or a bad value.
void set_param(SolverParams& p, const std::string& name, double value);
/// Checks the combinations set_param cannot (e.g. at least one positive recreate order weight).
void check_params(const SolverParams& p);

}  // namespace lastmile

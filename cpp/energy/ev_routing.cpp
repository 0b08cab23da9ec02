#include "energy/ev_routing.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "core/errors.h"

namespace lastmile {

EvModel::EvModel(const energy::Vehicle& v, const energy::ArcOptions& o, double speed,
                 double m_per_unit, double s_per_unit)
    : vehicle(v),
      options(o),
      cruise_speed_mps(speed),
      metres_per_distance_unit(m_per_unit),
      seconds_per_duration_unit(s_per_unit),
      arc(vehicle, options) {}

const EvModel* ev_model(const VehicleEnergy& e) {
    if (!e.model) return nullptr;
    const auto* m = dynamic_cast<const EvModel*>(e.model.get());
    if (!m) throw std::logic_error("VehicleEnergy::model: not an energy::EvModel");
    return m;
}

EvRouting::EvRouting(const ProblemData& data, std::shared_ptr<const EvArcCache> cache)
    : data_(data) {
    const std::size_t nt = data.num_vehicle_types();
    type_class_.assign(nt, -1);
    limit_.assign(nt, 0.0);
    for (std::size_t k = 0; k < nt; ++k) {
        const auto& e = data.vehicle_type(k).energy;
        if (!e.constrained()) continue;
        // Tiny safety margin so that a route accepted here is accepted by an independent
        // recomputation with another summation order.
        limit_[k] = e.battery_kwh - e.reserve_kwh - 1e-9;
        const EvModel* model = ev_model(e);
        int c = -1;
        for (std::size_t q = 0; q < classes_.size(); ++q)
            if (classes_[q].model == model && classes_[q].payload_dim == e.payload_dim)
                c = static_cast<int>(q);
        if (c < 0) {
            classes_.push_back({model, e.payload_dim});
            c = static_cast<int>(classes_.size()) - 1;
        }
        type_class_[k] = c;
    }
    if (cache && !classes_.empty()) {
        if (cache->n != data.num_nodes() || cache->a.size() != classes_.size())
            throw std::logic_error("EvRouting: the arc cache belongs to another ProblemData");
        cache_ = std::move(cache);
    }
}

void EvRouting::enable_recent_arcs(int bits) {
    if (cache_ || classes_.empty() || bits < 1 || bits > 30) return;
    n_ = data_.num_nodes();
    shift_ = 64 - bits;
    slots_.assign(std::size_t{1} << bits, Slot{});
}

std::shared_ptr<const EvArcCache> build_ev_arc_cache(const ProblemData& data) {
    const EvRouting ev(data);  // no table: the closed form
    const std::size_t n = data.num_nodes(), nc = static_cast<std::size_t>(ev.num_classes());
    if (nc == 0 ||
        static_cast<double>(nc) * static_cast<double>(n) * static_cast<double>(n) * 16.0 >
            static_cast<double>(kEvCacheBytes))
        return nullptr;
    auto cache = std::make_shared<EvArcCache>();
    cache->n = n;
    cache->a.assign(nc, std::vector<double>(n * n));
    cache->b.assign(nc, std::vector<double>(n * n));
    for (std::size_t c = 0; c < nc; ++c)
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j)
                ev.compute_coef(static_cast<int>(c), i, j, cache->a[c][i * n + j],
                                cache->b[c][i * n + j]);
    return cache;
}

void EvRouting::compute_coef(int c, std::size_t i, std::size_t j, double& a, double& b) const {
    const EvModel& m = *classes_[static_cast<std::size_t>(c)].model;
    const double len = static_cast<double>(data_.dist(i, j)) * m.metres_per_distance_unit;
    const auto& el = data_.elevation();
    const double dh = el.empty() ? 0.0 : el[j] - el[i];
    const double dwell = static_cast<double>(data_.service(j)) * m.seconds_per_duration_unit;
    m.arc.coefficients(len, dh, m.cruise_speed_mps, dwell, a, b);
}

void EvRouting::route_energy(int c, const std::int32_t* nodes, std::size_t m, double& total,
                             double& peak) const {
    double w = 0;
    for (std::size_t p = 0; p < m; ++p) w += payload(c, static_cast<std::size_t>(nodes[p]));
    double cum = 0, hi = 0;
    for (std::size_t p = 1; p < m; ++p) {
        const auto i = static_cast<std::size_t>(nodes[p - 1]),
                   j = static_cast<std::size_t>(nodes[p]);
        double a, b;
        coef(c, i, j, a, b);
        cum += a + b * w;
        w -= payload(c, j);
        hi = std::max(hi, cum);
    }
    total = cum;
    peak = hi;
}

void EvRouting::visits_energy(int c, const std::vector<std::int32_t>& visits, double& total,
                              double& peak) const {
    std::vector<std::int32_t> nodes;
    nodes.reserve(visits.size() + 2);
    nodes.push_back(0);
    nodes.insert(nodes.end(), visits.begin(), visits.end());
    nodes.push_back(0);
    route_energy(c, nodes.data(), nodes.size(), total, peak);
}

void EvPrefix::build(const EvRouting& ev, int cls, const std::int32_t* nodes, std::size_t m,
                     bool with_reverse) {
    a.resize(m), b.resize(m), c.resize(m), d.resize(m);
    a[0] = b[0] = c[0] = 0.0;
    d[0] = ev.payload(cls, static_cast<std::size_t>(nodes[0]));
    for (std::size_t p = 1; p < m; ++p) {
        const auto i = static_cast<std::size_t>(nodes[p - 1]),
                   j = static_cast<std::size_t>(nodes[p]);
        double fa, fb;
        ev.coef(cls, i, j, fa, fb);
        a[p] = a[p - 1] + fa;
        b[p] = b[p - 1] + fb;
        c[p] = c[p - 1] + fb * d[p - 1];
        d[p] = d[p - 1] + ev.payload(cls, j);
    }
    if (with_reverse) {
        ar.resize(m), br.resize(m), cr.resize(m);
        ar[0] = br[0] = cr[0] = 0.0;
        for (std::size_t p = 1; p < m; ++p) {
            double ra, rb;
            ev.coef(cls, static_cast<std::size_t>(nodes[p]), static_cast<std::size_t>(nodes[p - 1]),
                    ra, rb);
            ar[p] = ar[p - 1] + ra;
            br[p] = br[p - 1] + rb;
            cr[p] = cr[p - 1] + rb * d[p - 1];
        }
    } else {
        ar.clear(), br.clear(), cr.clear();
    }
    // Cumulative energy after p arcs with the whole payload W on board at the start is
    // a[p] + b[p] W - c[p]; the peak is its maximum (and 0: the start).
    const double W = d[m - 1];
    double hi = 0;
    for (std::size_t p = 1; p < m; ++p) hi = std::max(hi, a[p] + b[p] * W - c[p]);
    total = a[m - 1] + b[m - 1] * W - c[m - 1];
    peak = hi;
}

void check_energy_reachable(const ProblemData& data) {
    const EvRouting ev(data);
    if (!ev.active()) return;
    for (std::size_t i = 1; i < data.num_nodes(); ++i) {
        bool ok = false;
        double best_need = 1e300, best_limit = 0;
        for (std::size_t k = 0; k < data.num_vehicle_types() && !ok; ++k) {
            const auto& t = data.vehicle_type(k);
            if (t.num_available == 0) continue;
            bool fits = true;
            for (std::size_t d = 0; d < data.num_dims(); ++d)
                fits &= data.demand(i, d) <= t.capacity[d];
            if (!fits) continue;
            const int c = ev.cls(static_cast<int>(k));
            if (c < 0) {
                ok = true;
                break;
            }
            const std::int32_t nodes[3] = {0, static_cast<std::int32_t>(i), 0};
            double total, peak;
            ev.route_energy(c, nodes, 3, total, peak);
            if (peak <= ev.limit(static_cast<int>(k))) ok = true;
            if (peak < best_need) best_need = peak, best_limit = ev.limit(static_cast<int>(k));
        }
        if (!ok && best_need < 1e300) {
            std::ostringstream os;
            os << "battery/energy: client " << i << " needs " << best_need
               << " kWh for the round trip depot -> client -> depot, more than battery - reserve ("
               << best_limit << " kWh) of every vehicle type that can carry it";
            Violation v;
            v.kind = ViolationKind::energy_reach;
            v.client = static_cast<std::int64_t>(i);
            v.value = best_need;
            v.limit = best_limit;
            v.message = os.str();
            throw InfeasibleError(v.message, {v});
        }
    }
}

}  // namespace lastmile

#include "search/neighbours.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace lastmile {
namespace {

// Planar projection used only to find candidate neighbours (the ranking uses dist()).
void project(const ProblemData& data, std::vector<double>& px, std::vector<double>& py) {
    const std::size_t n = data.num_nodes();
    px.resize(n);
    py.resize(n);
    double c = 1.0;
    if (data.distance_kind() == DistanceKind::haversine) {
        double lat = 0;
        for (std::size_t i = 0; i < n; ++i) lat += data.y(i);
        c = std::cos(lat / static_cast<double>(n) * 3.14159265358979323846 / 180.0);
    }
    for (std::size_t i = 0; i < n; ++i) px[i] = data.x(i) * c, py[i] = data.y(i);
}

/// Neighbour ranking key of clients i and j. Without windows: d(i,j) + d(j,i). With windows, the
/// correlation measure of Vidal et al. 2013 (HGS-TW, "granular search" with time windows): the
/// distance plus 0.2 x the least waiting and 1.0 x the least time warp of visiting j right after
/// i (i served as late as possible, resp. as early as possible), symmetrised by taking the better
/// of both orders (a neighbour may be inserted before or after). Times are converted to distance
/// units with `scale` (total depot-client distance / total depot-client duration).
class Proximity {
  public:
    explicit Proximity(const ProblemData& data) : data_(data), time_(data.has_time_windows()) {
        if (!time_) return;
        double d = 0, t = 0;
        const std::size_t depot = data.start_node(0);
        for (std::size_t i = 1; i <= data.num_clients(); ++i)
            d += static_cast<double>(data.dist(depot, i)),
                t += static_cast<double>(data.duration(depot, i));
        scale_ = t > 0 ? d / t : 0.0;
    }
    double operator()(std::size_t i, std::size_t j) const {
        const double d = static_cast<double>(data_.dist(i, j) + data_.dist(j, i));
        if (!time_) return d;
        return d + std::min(directed(i, j), directed(j, i));
    }

  private:
    double directed(std::size_t i, std::size_t j) const {  // time terms of j right after i
        const Duration ei = data_.tw_early(i), li = data_.tw_late(i), ej = data_.tw_early(j),
                       lj = data_.tw_late(j);
        const Duration go = data_.service(i) + data_.duration(i, j);
        const double wait =
            li >= kUnlimited ? 0.0 : static_cast<double>(std::max<Duration>(ej - go - li, 0));
        const double warp =
            lj >= kUnlimited ? 0.0 : static_cast<double>(std::max<Duration>(ei + go - lj, 0));
        return scale_ * (kWaitWeight * wait + kWarpWeight * warp);
    }
    static constexpr double kWaitWeight = 0.2, kWarpWeight = 1.0;  // Vidal et al. 2013
    const ProblemData& data_;
    bool time_;
    double scale_ = 0;
};

}  // namespace

Neighbours::Neighbours(const ProblemData& data, int k) : n_(data.num_nodes()) {
    const std::size_t n = data.num_clients() + 1;  // clients 1..n-1 (depot nodes have none)
    const std::size_t nc = n - 1;
    k_ = static_cast<int>(
        std::min<std::size_t>(static_cast<std::size_t>(std::max(k, 1)), nc > 1 ? nc - 1 : 1));
    ids_.assign(n * k_, 0);
    count_.assign(n, 0);
    to_.assign(n * k_, 0);
    from_.assign(n * k_, 0);
    if (nc < 2) return;
    const Proximity prox(data);
    std::vector<std::pair<double, std::int32_t>> cand;
    auto finish = [&](std::size_t i) {
        const std::size_t kk = std::min<std::size_t>(k_, cand.size());
        std::partial_sort(cand.begin(), cand.begin() + kk, cand.end());
        for (std::size_t t = 0; t < kk; ++t) {
            const auto j = static_cast<std::size_t>(cand[t].second);
            ids_[i * k_ + t] = cand[t].second;
            to_[i * k_ + t] = data.dist(i, j);
            from_[i * k_ + t] = data.dist(j, i);
        }
        count_[i] = static_cast<std::int32_t>(kk);
    };
    if (data.dense()) {
        for (std::size_t i = 1; i < n; ++i) {
            cand.clear();
            for (std::size_t j = 1; j < n; ++j)
                if (j != i) cand.emplace_back(prox(i, j), static_cast<std::int32_t>(j));
            finish(i);
        }
        return;
    }
    // Uniform grid with about 2 clients per cell; search rings until the k-th candidate is closer
    // than the ring radius (in projected coordinates), then rank by the true distance.
    std::vector<double> px, py;
    project(data, px, py);
    double minx = px[1], maxx = px[1], miny = py[1], maxy = py[1];
    for (std::size_t i = 1; i < n; ++i) {
        minx = std::min(minx, px[i]), maxx = std::max(maxx, px[i]);
        miny = std::min(miny, py[i]), maxy = std::max(maxy, py[i]);
    }
    const double w = std::max(maxx - minx, 1e-12), h = std::max(maxy - miny, 1e-12);
    const double cells = std::max(1.0, static_cast<double>(nc) / 2.0);
    const double cs = std::max(std::sqrt(w * h / cells), 1e-9);
    const int gx = std::max(1, std::min(1 << 15, static_cast<int>(w / cs) + 1));
    const int gy = std::max(1, std::min(1 << 15, static_cast<int>(h / cs) + 1));
    std::vector<std::int32_t> start(static_cast<std::size_t>(gx) * gy + 1, 0), items(nc);
    auto cell_of = [&](std::size_t i) {
        int cx = std::min(gx - 1, static_cast<int>((px[i] - minx) / cs));
        int cy = std::min(gy - 1, static_cast<int>((py[i] - miny) / cs));
        return std::pair<int, int>(cx, cy);
    };
    for (std::size_t i = 1; i < n; ++i) {
        auto [cx, cy] = cell_of(i);
        ++start[static_cast<std::size_t>(cy) * gx + cx + 1];
    }
    for (std::size_t c = 1; c < start.size(); ++c) start[c] += start[c - 1];
    {
        std::vector<std::int32_t> fill(start.begin(), start.end() - 1);
        for (std::size_t i = 1; i < n; ++i) {
            auto [cx, cy] = cell_of(i);
            items[fill[static_cast<std::size_t>(cy) * gx + cx]++] = static_cast<std::int32_t>(i);
        }
    }
    std::vector<std::pair<double, std::int32_t>> eu;
    // With windows the ranking (Proximity) can prefer a farther client: take 3x the candidates.
    const std::size_t grid_k = static_cast<std::size_t>(k_) * (data.has_time_windows() ? 3 : 1);
    const std::size_t want = std::min<std::size_t>(nc - 1, grid_k + grid_k / 2 + 4);
    for (std::size_t i = 1; i < n; ++i) {
        auto [cx, cy] = cell_of(i);
        eu.clear();
        for (int r = 0;; ++r) {
            for (int yy = cy - r; yy <= cy + r; ++yy) {
                if (yy < 0 || yy >= gy) continue;
                const bool edge_row = (yy == cy - r || yy == cy + r);
                for (int xx = cx - r; xx <= cx + r; xx += (edge_row ? 1 : 2 * r)) {
                    if (xx >= 0 && xx < gx) {
                        const std::size_t c = static_cast<std::size_t>(yy) * gx + xx;
                        for (auto t = start[c]; t < start[c + 1]; ++t) {
                            const auto j = items[t];
                            if (static_cast<std::size_t>(j) == i) continue;
                            const double dx = px[j] - px[i], dy = py[j] - py[i];
                            eu.emplace_back(dx * dx + dy * dy, j);
                        }
                    }
                    if (!edge_row && r == 0) break;
                    if (r == 0) break;
                }
            }
            const bool covered =
                (cx - r <= 0 && cy - r <= 0 && cx + r >= gx - 1 && cy + r >= gy - 1);
            if (eu.size() >= want) {
                std::nth_element(eu.begin(), eu.begin() + (want - 1), eu.end());
                const double kth = eu[want - 1].first;
                const double reach = r * cs;
                if (reach * reach >= kth) break;
            }
            if (covered) break;
        }
        const std::size_t m = std::min(want, eu.size());
        std::nth_element(eu.begin(), eu.begin() + (m - 1), eu.end());
        cand.clear();
        for (std::size_t t = 0; t < m; ++t)
            cand.emplace_back(prox(i, static_cast<std::size_t>(eu[t].second)), eu[t].second);
        finish(i);
    }
}

}  // namespace lastmile

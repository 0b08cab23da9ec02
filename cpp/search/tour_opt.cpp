#include "search/tour_opt.h"

#include <algorithm>
#include <utility>

namespace lastmile {
namespace {
/// Largest tour (clients + depot) that gets a dense local cost matrix ((m+1)^2 doubles: 18 MB).
constexpr int kMaxMatrixNodes = 1500;
/// Smallest improvement a move must bring (internal cost units are integers or fine decimals).
constexpr double kEps = 1e-7;
/// Clients between two polls of the stop callback.
constexpr int kPollEvery = 64;
}  // namespace

TourOpt::TourOpt(const ProblemData& data, const Neighbours& nb, int type,
                 const std::vector<std::int32_t>& visits)
    : data_(data), type_(data.vehicle_type(static_cast<std::size_t>(type))) {
    m_ = static_cast<int>(visits.size());
    global_.resize(static_cast<std::size_t>(m_) + 1);
    global_[0] = 0;
    std::vector<std::int32_t> local(data.num_nodes(), -1);
    for (int i = 0; i < m_; ++i) {
        global_[i + 1] = visits[i];
        local[static_cast<std::size_t>(visits[i])] = i + 1;
    }
    if (m_ + 1 <= kMaxMatrixNodes) {
        const std::size_t n = static_cast<std::size_t>(m_) + 1;
        mat_.resize(n * n);
        for (std::size_t a = 0; a < n; ++a)
            for (std::size_t b = 0; b < n; ++b)
                mat_[a * n + b] = a == b ? 0.0 : arc(static_cast<int>(a), static_cast<int>(b));
    }
    kn_ = nb.k();
    nb_.assign(static_cast<std::size_t>(m_ + 1) * kn_, 0);
    nb_cnt_.assign(static_cast<std::size_t>(m_) + 1, 0);
    for (int u = 1; u <= m_; ++u) {
        int k = 0;
        for (auto p = nb.begin(global_[u]); p != nb.end(global_[u]); ++p)
            if (const int v = local[static_cast<std::size_t>(*p)]; v > 0)
                nb_[static_cast<std::size_t>(u) * kn_ + k++] = v;
        nb_cnt_[u] = k;
    }
    t_.resize(static_cast<std::size_t>(m_) + 2);
    pos_.assign(static_cast<std::size_t>(m_) + 1, 0);
    f_.assign(static_cast<std::size_t>(m_) + 2, 0.0);
    b_.assign(static_cast<std::size_t>(m_) + 2, 0.0);
    queue_.assign(static_cast<std::size_t>(m_) + 1, 0);
    queued_.assign(static_cast<std::size_t>(m_) + 1, 0);
    t_[0] = 0;
    t_[m_ + 1] = 0;
    for (int i = 1; i <= m_; ++i) t_[i] = i;
    rebuild(0);
}

double TourOpt::arc(int a, int b) const {
    const auto ga = static_cast<std::size_t>(global_[a]), gb = static_cast<std::size_t>(global_[b]);
    const double d = static_cast<double>(data_.dist(ga, gb));
    const double t = type_.cost_per_duration != 0 ? static_cast<double>(data_.duration(ga, gb)) : 0;
    return type_.variable_cost(d, t);
}

std::vector<std::int32_t> TourOpt::visits() const {
    std::vector<std::int32_t> out(static_cast<std::size_t>(m_));
    for (int i = 1; i <= m_; ++i) out[i - 1] = global_[t_[i]];
    return out;
}

void TourOpt::set_visits(const std::vector<std::int32_t>& visits) {
    std::vector<std::int32_t> local(data_.num_nodes(), -1);
    for (int u = 1; u <= m_; ++u) local[static_cast<std::size_t>(global_[u])] = u;
    for (int i = 0; i < m_; ++i) t_[i + 1] = local[static_cast<std::size_t>(visits[i])];
    rebuild(0);
}

void TourOpt::restore() {
    t_ = saved_;
    f_ = saved_f_;
    b_ = saved_b_;
    for (int k = 1; k <= m_; ++k) pos_[t_[k]] = k;
    clear_queue();  // a restored tour starts with an empty queue
}

void TourOpt::clear_queue() {
    while (qsize_ > 0) {
        queued_[queue_[qhead_]] = 0;
        qhead_ = (qhead_ + 1) % queue_.size();
        --qsize_;
    }
}

void TourOpt::rebuild(int from, int to) {
    from = std::max(from, 0);
    to = std::min(to, m_ + 1);
    // Positions after `to` hold the same clients and arcs: their prefix sums move by a constant.
    const double old_f = f_[to], old_b = b_[to];
    for (int k = from; k <= to; ++k) {
        if (k <= m_) pos_[t_[k]] = k;
        if (k > 0) {
            f_[k] = f_[k - 1] + c(t_[k - 1], t_[k]);
            b_[k] = b_[k - 1] + c(t_[k], t_[k - 1]);
        }
    }
    const double df = f_[to] - old_f, db = b_[to] - old_b;
    for (int k = to + 1; k <= m_ + 1; ++k) f_[k] += df, b_[k] += db;
    pos_[0] = 0;
}

void TourOpt::push(int u) {
    if (u <= 0 || queued_[u]) return;
    queued_[u] = 1;
    queue_[(qhead_ + qsize_) % queue_.size()] = u;
    ++qsize_;
}

void TourOpt::queue_all() {
    for (int i = 1; i <= m_; ++i) push(t_[i]);
}

void TourOpt::apply_two_opt(int x, int y) {  // reverse t_[x+1..y]
    std::reverse(t_.begin() + x + 1, t_.begin() + y + 1);
    rebuild(x + 1, y + 1);
    push(t_[x]), push(t_[x + 1]), push(t_[y]), push(t_[y + 1]);
}

void TourOpt::apply_or_opt(int s, int e, int p, bool rev) {  // move t_[s..e] after position p
    work_.clear();
    const int first = std::min(s, p + 1);
    for (int k = 0; k <= m_ + 1; ++k) {
        if (k >= s && k <= e) continue;
        work_.push_back(t_[k]);
        if (k == p) {
            if (rev)
                for (int q = e; q >= s; --q) work_.push_back(t_[q]);
            else
                for (int q = s; q <= e; ++q) work_.push_back(t_[q]);
        }
    }
    const int a = t_[s - 1], b = t_[e + 1], hp = t_[p], tp = t_[p + 1];
    const int h = t_[s], t = t_[e];
    t_.swap(work_);
    rebuild(first, std::max(e, p) + 1);
    push(a), push(b), push(hp), push(tp), push(h), push(t);
}

bool TourOpt::try_node(int u) {
    const int i = pos_[u];
    const int* row = nb_.data() + static_cast<std::size_t>(u) * kn_;
    for (int k = 0; k < nb_cnt_[u]; ++k) {
        const int v = row[k], j = pos_[v];
        // 2-opt: reversing t_[x+1..y] creates the arcs (t_x, t_y) and (t_x+1, t_y+1); the arc
        // u-v is one of them for (x, y) = (lo, hi) or (lo - 1, hi - 1).
        const int lo = std::min(i, j), hi = std::max(i, j);
        for (int d = 0; d < 2; ++d) {
            const int x = lo - d, y = hi - d;
            if (x < 0 || y - x < 2) continue;
            const double delta = c(t_[x], t_[y]) + c(t_[x + 1], t_[y + 1]) - c(t_[x], t_[x + 1]) -
                                 c(t_[y], t_[y + 1]) + (b_[y] - b_[x + 1]) - (f_[y] - f_[x + 1]);
            if (delta < -kEps) {
                apply_two_opt(x, y);
                return true;
            }
        }
        // Or-opt: a string of 1-3 clients with u at one end moves next to v (before or after
        // it), in either orientation.
        for (int len = 1; len <= max_len_; ++len) {
            for (int side = 0; side < (len == 1 ? 1 : 2); ++side) {
                const int s = side == 0 ? i : i - len + 1, e = s + len - 1;
                if (s < 1 || e > m_ || (j >= s && j <= e)) continue;
                const double removed = c(t_[s - 1], t_[e + 1]) - c(t_[s - 1], t_[s]) -
                                       c(t_[e], t_[e + 1]) - (f_[e] - f_[s]);
                for (int p = j - 1; p <= j; ++p) {
                    if (p >= s - 1 && p <= e) continue;
                    const int a = t_[p], b = t_[p + 1];
                    const double base = removed - c(a, b);
                    const double fwd = base + c(a, t_[s]) + c(t_[e], b) + (f_[e] - f_[s]);
                    if (fwd < -kEps) {
                        apply_or_opt(s, e, p, false);
                        return true;
                    }
                    if (len > 1) {
                        const double rev = base + c(a, t_[e]) + c(t_[s], b) + (b_[e] - b_[s]);
                        if (rev < -kEps) {
                            apply_or_opt(s, e, p, true);
                            return true;
                        }
                    }
                }
            }
        }
    }
    return false;
}

bool TourOpt::improve(const std::function<bool()>* stop) {
    int polled = 0;
    while (qsize_ > 0) {
        if (stop && ++polled % kPollEvery == 0 && (*stop)()) return false;
        const int u = queue_[qhead_];
        qhead_ = (qhead_ + 1) % queue_.size();
        --qsize_;
        queued_[u] = 0;
        if (try_node(u)) push(u);
    }
    return true;
}

void TourOpt::double_bridge(Rng& rng, int max_len) {
    if (m_ < 2) return;
    const int lmax = std::max(1, std::min(max_len, m_ / 2));
    const int l1 = 1 + rng.below_int(lmax), l2 = 1 + rng.below_int(lmax);
    const int s = 1 + rng.below_int(m_ - l1 - l2 + 1);  // strings [s, s+l1) and [s+l1, s+l1+l2)
    std::rotate(t_.begin() + s, t_.begin() + s + l1, t_.begin() + s + l1 + l2);
    rebuild(s, s + l1 + l2);
    push(t_[s - 1]), push(t_[s]), push(t_[s + l2 - 1]), push(t_[s + l2]);
    push(t_[s + l1 + l2 - 1]), push(t_[s + l1 + l2]);
}

void TourOpt::insert_best(int u) {
    // t_ holds the tour without u and the clients still removed (positions 0..size-1, the last
    // one the depot); pos_ is valid for the tour's clients. Cheapest arc (a, b) next to one of
    // u's neighbours in the tour, else anywhere.
    const int len = static_cast<int>(t_.size());
    double best = 1e300;
    int bp = -1;
    auto at = [&](int p) {  // insert between t_[p] and t_[p+1]
        const double d = c(t_[p], u) + c(u, t_[p + 1]) - c(t_[p], t_[p + 1]);
        if (d < best) best = d, bp = p;
    };
    const int* row = nb_.data() + static_cast<std::size_t>(u) * kn_;
    for (int k = 0; k < nb_cnt_[u]; ++k) {
        const int v = row[k];
        if (queued_[v] == 2) continue;  // v is removed too
        const int j = pos_[v];
        if (j > 0) at(j - 1);
        if (j + 1 < len) at(j);
    }
    if (bp < 0)
        for (int p = 0; p + 1 < len; ++p) at(p);
    t_.insert(t_.begin() + bp + 1, u);
    for (int p = bp + 1; p + 1 < static_cast<int>(t_.size()); ++p) pos_[t_[p]] = p;
}

void TourOpt::ruin_recreate(Rng& rng, int count) {
    if (m_ < 2) return;
    count = std::max(1, std::min(count, m_ - 1));
    std::vector<std::int32_t> removed;
    const int seed = 1 + rng.below_int(m_);
    removed.push_back(seed);
    const int* row = nb_.data() + static_cast<std::size_t>(seed) * kn_;
    for (int k = 0; k < nb_cnt_[seed] && static_cast<int>(removed.size()) < count; ++k)
        removed.push_back(row[k]);
    // queued_ == 2 marks a removed client while recreating (the queue is emptied first).
    clear_queue();
    for (const int u : removed) queued_[u] = 2;
    work_.clear();
    for (const int x : t_)
        if (x == 0 || queued_[x] != 2) work_.push_back(x);
    t_.swap(work_);
    for (int p = 1; p + 1 < static_cast<int>(t_.size()); ++p) pos_[t_[p]] = p;
    rng.shuffle(removed);
    for (const int u : removed) {
        queued_[u] = 0;
        insert_best(u);
    }
    rebuild(0);
    for (const int u : removed) {
        const int p = pos_[u];
        push(t_[p - 1]), push(u), push(t_[p + 1]);
    }
}

}  // namespace lastmile

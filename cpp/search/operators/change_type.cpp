#include "search/operators/change_type.h"

namespace lastmile {

bool ChangeType::route_move(SearchState& s, int r) {
    const std::size_t nt = s.fleet().num_types();
    if (nt <= 1 || s.route(r).size() == 0) return false;
    for (std::size_t t = 0; t < nt; ++t) {
        const int type = static_cast<int>(t);
        if (type == s.route(r).type) continue;
        const int e = s.empty_slot(type);
        if (e < 0) continue;
        const Seg seg{r, 0, s.route(r).size() + 1, false};
        const SearchState::Eval ev = s.eval_base(type, &seg, 1);
        double nw = ev.base + s.eval_loadpen(type, &seg, 1);
        if (nw - s.route(r).cost >= -kMoveEps) continue;
        if (s.energy().active()) {
            nw += s.energy().exact(type, s.route(r).nodes, s.penalties().energy);
            if (nw - s.route(r).cost >= -kMoveEps) continue;
        }
        s.begin_move(nw - s.route(r).cost);
        s.move_content(r, e);
        return true;
    }
    return false;
}

}  // namespace lastmile

#include "meta/ls_setup.h"

namespace lastmile {

std::unique_ptr<LocalSearch> make_local_search(const ProblemData& data, const Neighbours& nb,
                                               const ThreadStop& stop,
                                               std::shared_ptr<const EvArcCache> ev_cache) {
    auto ls = std::make_unique<LocalSearch>(data, nb, std::move(ev_cache));
    ls->set_stop(stop.callback());
    return ls;
}

std::vector<Route> improve(LocalSearch& ls, const std::vector<Route>& routes, Rng& rng) {
    ls.load(routes);
    return improve_again(ls, rng);
}

std::vector<Route> improve_again(LocalSearch& ls, Rng& rng) {
    ls.run(rng);
    return ls.routes();
}

}  // namespace lastmile

// Runs every registered C++ test and prints a closing "N passed, N failed" line.
#include <cstdio>
#include <exception>

#include "tests/testing.h"

int main() {
    int passed = 0, failed = 0;
    for (const auto& t : lastmile::testing::registry()) {
        try {
            t.fn();
            ++passed;
        } catch (const lastmile::testing::Failure& f) {
            ++failed;
            std::printf("FAIL %s: %s\n", t.name.c_str(), f.what.c_str());
        } catch (const std::exception& e) {
            ++failed;
            std::printf("FAIL %s: unexpected exception: %s\n", t.name.c_str(), e.what());
        }
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

// A minimal test registry for the C++ unit tests (run under ASan+UBSan in CI).
#pragma once
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace lastmile::testing {

struct TestCase {
    std::string name;
    std::function<void()> fn;
};

inline std::vector<TestCase>& registry() {
    static std::vector<TestCase> tests;
    return tests;
}

struct Register {
    Register(const char* name, std::function<void()> fn) {
        registry().push_back({name, std::move(fn)});
    }
};

struct Failure {
    std::string what;
};

}  // namespace lastmile::testing

#define LM_CONCAT2(a, b) a##b
#define LM_CONCAT(a, b) LM_CONCAT2(a, b)
#define TEST_CASE(name)                                                      \
    static void name();                                                      \
    static ::lastmile::testing::Register LM_CONCAT(reg_, name)(#name, name); \
    static void name()
#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond))                                                                   \
            throw ::lastmile::testing::Failure{std::string(__FILE__) + ":" +           \
                                               std::to_string(__LINE__) + ": " #cond}; \
    } while (0)
#define CHECK_THROWS(expr, type) \
    do {                         \
        bool thrown_ = false;    \
        try {                    \
            (void)(expr);        \
        } catch (const type&) {  \
            thrown_ = true;      \
        }                        \
        CHECK(thrown_);          \
    } while (0)

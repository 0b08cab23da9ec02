// The doctest runner of the C++ unit tests (one file per unit under cpp/tests/<layer>/).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

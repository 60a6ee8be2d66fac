// A GoogleTest fixture giving each test a fresh, empty directory of its
// own, named after the test (under the system temp dir, see make_temp_dir)
// and removed after it.
#pragma once

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace policy::testing {

class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = make_temp_dir(std::string(test->test_suite_name()) + "-" + test->name());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
};

}  // namespace policy::testing

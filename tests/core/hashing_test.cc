// Tests of core/hashing.h: FNV-1a gives the published 64-bit values, so that
// content hashes and schema fingerprints stay the same across builds.

#include "core/hashing.h"

#include <string>
#include <unordered_map>

#include <gtest/gtest.h>

namespace policy {
namespace {

TEST(Fnv1a64Test, PublishedValues) {
  const struct {
    std::string in;
    std::uint64_t hash;
    std::string hex;
  } cases[] = {
      {"", 0xcbf29ce484222325ull, "cbf29ce484222325"},
      {"a", 0xaf63dc4c8601ec8cull, "af63dc4c8601ec8c"},
      {"foobar", 0x85944171f73967e8ull, "85944171f73967e8"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.in);
    Fnv1a64 hash;
    hash.add(c.in);
    EXPECT_EQ(hash.value(), c.hash);
    EXPECT_EQ(hash.hex(), c.hex);
  }
}

TEST(Fnv1a64Test, AddingInPiecesIsAddingTheWhole) {
  Fnv1a64 whole, pieces, bytes;
  whole.add("policy");
  pieces.add("pol").add("icy");
  for (char c : std::string("policy")) bytes.add_byte(static_cast<unsigned char>(c));
  EXPECT_EQ(pieces.value(), whole.value());
  EXPECT_EQ(bytes.value(), whole.value());
}

TEST(TransparentStringHashTest, FindsByStringView) {
  std::unordered_map<std::string, int, TransparentStringHash, std::equal_to<>> map = {{"mep", 1}};
  EXPECT_EQ(map.find(std::string_view("mep"))->second, 1);
  EXPECT_EQ(map.find(std::string_view("mee")), map.end());
}

}  // namespace
}  // namespace policy

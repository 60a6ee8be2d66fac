// FacetColumns and FacetCounter (facets.h): the per-revision table of
// counted values that exact facets are counted from, on databases written
// directly, with value slots as the index writer encodes them.

#include "searcher/facets.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_set>

#include <gtest/gtest.h>

#include "core/index_layout.h"

#include "searcher/match_set.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

// The repository's schema; columns A and B are two of its counted fields,
// and column A's (a gazetteer field) canonical displays are left out of its
// slot.
const Schema& repo_schema() {
  static const Schema schema = Schema::load(testing::source_path("schemas"));
  return schema;
}
const FieldSpec& field_a() { return *repo_schema().field("organisation"); }
const FieldSpec& field_b() { return *repo_schema().field("year"); }
std::vector<const FieldSpec*> both_columns() { return {&field_a(), &field_b()}; }

using Values = std::vector<std::pair<std::string, std::string>>;

struct Row {
  Values a;  // field_a()'s slot, empty: no value
  Values b;  // field_b()'s slot
  bool deleted = false;
};

// A glass database (revisions are what FacetColumns is keyed by; the
// in-memory backend has none) of documents 1..rows.size(), each with the
// term "all" and "even" or "odd"; removed with the object.
struct RowDatabase {
  explicit RowDatabase(const std::vector<Row>& rows)
      : dir(testing::make_temp_dir("facet-columns")), db((dir / "idx").string(), Xapian::DB_CREATE) {
    add(rows);
  }
  // Appends `rows` as the next documents, in one commit.
  void add(const std::vector<Row>& rows) {
    const Xapian::docid first = db.get_lastdocid() + 1;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      Xapian::Document doc;
      doc.add_term("all");
      doc.add_term((first + i) % 2 == 0 ? "even" : "odd");
      for (const auto& [values, field] : {std::pair{&rows[i].a, &field_a()}, std::pair{&rows[i].b, &field_b()}}) {
        if (!values->empty()) doc.add_value(*field->slot, encode_field_values(repo_schema(), *field, *values));
      }
      db.add_document(doc);
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].deleted) db.delete_document(static_cast<Xapian::docid>(first + i));
    }
    db.commit();
  }
  ~RowDatabase() {
    db.close();
    std::filesystem::remove_all(dir);
  }
  std::filesystem::path dir;
  Xapian::WritableDatabase db;
};

// Keys of column c of document did, in ordinal order.
std::vector<std::string> keys_of(const FacetColumns& columns, std::size_t c, Xapian::docid did) {
  std::vector<std::string> keys;
  for (std::uint32_t ordinal : columns.ordinals(c, did)) keys.push_back(columns.value(c, ordinal).first);
  return keys;
}

std::map<std::string, std::uint64_t> counted(const FacetCounter& counter, std::size_t i) {
  std::map<std::string, std::uint64_t> out;
  for (const FacetValue& v : counter.values(i)) out[v.key] = v.count;
  return out;
}

const std::vector<Row> kRows = {
    {{{"a", "A"}, {"b", "B"}}, {{"x", "X"}}},  // 1
    {{}, {{"x", "X"}}},                        // 2: no value in slot A
    {{{"b", "B (other spelling)"}}, {}},       // 3: the display of the first document wins
    {{{"a", "A"}, {"a", "A"}}, {}},            // 4: a key twice counts once
    {{{"c", "C"}}, {{"y", "Y"}}, true},        // 5: deleted
    {{{"c", "C"}}, {{"y", "Y"}}},              // 6
};

TEST(FacetColumnsTest, EachDocumentHasItsDistinctValues) {
  const RowDatabase rows(kRows);
  const Xapian::WritableDatabase& db = rows.db;
  const FacetColumns columns(db, db.get_revision(), repo_schema(), both_columns());
  ASSERT_EQ(columns.columns(), 2u);
  struct Case {
    Xapian::docid did;
    std::vector<std::string> a, b;
  };
  const std::vector<Case> cases = {
      {0, {}, {}},  // Xapian never uses docid 0
      {1, {"a", "b"}, {"x"}},
      {2, {}, {"x"}},
      {3, {"b"}, {}},
      {4, {"a"}, {}},
      {5, {}, {}},  // deleted
      {6, {"c"}, {"y"}},
      {7, {}, {}},  // beyond the last document
      {1000000, {}, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("docid " + std::to_string(c.did));
    EXPECT_EQ(keys_of(columns, 0, c.did), c.a);
    EXPECT_EQ(keys_of(columns, 1, c.did), c.b);
  }
  EXPECT_EQ(columns.value_count(0), 3u);  // a, b, c: the deleted document's c is also document 6's
  EXPECT_EQ(columns.value_count(1), 2u);
  for (std::uint32_t ordinal : columns.ordinals(0, 3)) EXPECT_EQ(columns.value(0, ordinal).second, "B");
  EXPECT_EQ(columns.revision(), db.get_revision());
}

TEST(FacetColumnsTest, CounterCountsTheDocumentsTheMatchConsiders) {
  const RowDatabase rows(kRows);
  const Xapian::WritableDatabase& db = rows.db;
  const FacetColumns columns(db, db.get_revision(), repo_schema(), both_columns());
  struct Case {
    std::string term;
    std::map<std::string, std::uint64_t> a, b;
  };
  const std::vector<Case> cases = {
      {"all", {{"a", 2}, {"b", 2}, {"c", 1}}, {{"x", 2}, {"y", 1}}},
      {"odd", {{"a", 1}, {"b", 2}}, {{"x", 1}}},  // 1, 3 (5 is deleted)
      {"even", {{"a", 1}, {"c", 1}}, {{"x", 1}, {"y", 1}}},
      {"none", {}, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.term);
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(c.term));
    FacetCounter both(columns, {0, 1});
    FacetCounter only_b(columns, {1});
    enquire.add_matchspy(&both);
    enquire.add_matchspy(&only_b);
    const Xapian::MSet mset = enquire.get_mset(0, 1, db.get_doccount());
    EXPECT_EQ(both.documents_seen(), mset.get_matches_estimated());
    EXPECT_EQ(counted(both, 0), c.a);
    EXPECT_EQ(counted(both, 1), c.b);
    EXPECT_EQ(counted(only_b, 0), c.b);

    // The same from the match set: "all" holds most documents, so its
    // counts are the totals minus the documents outside the set (docid 5,
    // deleted, among them); the others are counted directly.
    const std::optional<DocSet> matches = evaluate_match_set(db, Xapian::Query(c.term));
    ASSERT_TRUE(matches);
    FacetCounter from_set(columns, {0, 1});
    from_set.count_all(*matches);
    EXPECT_EQ(from_set.documents_seen(), mset.get_matches_estimated());
    EXPECT_EQ(counted(from_set, 0), c.a);
    EXPECT_EQ(counted(from_set, 1), c.b);
  }
}

// Most documents but not all: the counts are the totals minus those of
// document 6 (and of docid 5, deleted, which has none).
TEST(FacetColumnsTest, CountingMostDocumentsSubtractsTheOthersFromTheTotals) {
  const RowDatabase rows(kRows);
  const FacetColumns columns(rows.db, rows.db.get_revision(), repo_schema(), both_columns());
  DocSet most(rows.db.get_lastdocid());
  for (Xapian::docid did : {1u, 2u, 3u, 4u}) most.insert(did);
  FacetCounter counter(columns, {0, 1});
  counter.count(1);  // counts already made are kept
  counter.count_all(most);
  EXPECT_EQ(counter.documents_seen(), 5u);
  EXPECT_EQ(counted(counter, 0), (std::map<std::string, std::uint64_t>{{"a", 3}, {"b", 3}}));
  EXPECT_EQ(counted(counter, 1), (std::map<std::string, std::uint64_t>{{"x", 3}}));
  // A set of another revision (another last docid) is refused.
  EXPECT_THROW(counter.count_all(DocSet(rows.db.get_lastdocid() + 1)), std::logic_error);
}

// A display left out of the slot (the gazetteer's name for the key) is the
// schema's; one kept in it is used as written.
TEST(FacetColumnsTest, DisplaysLeftOutOfTheSlotComeFromTheSchema) {
  const Organisation* epa = repo_schema().organisation("epa");
  ASSERT_NE(epa, nullptr);
  const RowDatabase rows({{{{"epa", epa->name}, {"a", "A"}}, {}}});
  ASSERT_EQ(rows.db.get_document(1).get_value(*field_a().slot),
            "epa\x1E"
            "a\x1F"
            "A");
  const FacetColumns columns(rows.db, rows.db.get_revision(), repo_schema(), both_columns());
  ASSERT_EQ(columns.value_count(0), 2u);
  EXPECT_EQ(columns.value(0, 0), (std::pair<std::string, std::string>{"epa", epa->name}));
  EXPECT_EQ(columns.value(0, 1), (std::pair<std::string, std::string>{"a", "A"}));
}

TEST(FacetColumnsTest, EmptyDatabaseAndSlotWithoutValues) {
  const RowDatabase empty({});
  const FacetColumns none(empty.db, empty.db.get_revision(), repo_schema(), {&field_a()});
  EXPECT_EQ(none.value_count(0), 0u);
  EXPECT_TRUE(none.ordinals(0, 1).empty());
  const RowDatabase rows(kRows);
  FieldSpec unused = field_a();
  unused.slot = 42;
  const FacetColumns unused_slot(rows.db, rows.db.get_revision(), repo_schema(), {&unused});
  EXPECT_EQ(unused_slot.value_count(0), 0u);
  for (Xapian::docid did = 0; did < 8; ++did) EXPECT_TRUE(unused_slot.ordinals(0, did).empty());
}

// Brought to a later revision that only added documents, a table reads
// those and then equals one built from scratch: the same ordinals for every
// document, values (with the first document's display) and totals.
TEST(FacetColumnsTest, AppendAddedEqualsATableBuiltAfresh) {
  RowDatabase rows(kRows);
  FacetColumns columns(rows.db, rows.db.get_revision(), repo_schema(), both_columns());
  const std::vector<std::vector<Row>> commits = {
      {{{{"a", "A"}}, {{"z", "Z"}}}, {{{"d", "D"}}, {}}},  // an old and a new key in each column
      {},                                                  // a commit that adds nothing
      {{{}, {}, true}, {{{"d", "D (later)"}}, {{"x", "X"}}}},
  };
  for (std::size_t step = 0; step < commits.size(); ++step) {
    SCOPED_TRACE("commit " + std::to_string(step));
    rows.add(commits[step]);
    if (commits[step].empty()) rows.db.commit();
    columns.append_added(rows.db, rows.db.get_revision(), repo_schema(), both_columns());
    const FacetColumns fresh(rows.db, rows.db.get_revision(), repo_schema(), both_columns());
    EXPECT_EQ(columns.revision(), rows.db.get_revision());
    EXPECT_TRUE(columns.agrees_with(rows.db, both_columns()));
    EXPECT_TRUE(fresh.agrees_with(rows.db, both_columns()));
    ASSERT_EQ(columns.last_docid(), fresh.last_docid());
    for (std::size_t c = 0; c < 2; ++c) {
      ASSERT_EQ(columns.value_count(c), fresh.value_count(c));
      for (std::uint32_t v = 0; v < fresh.value_count(c); ++v) {
        EXPECT_EQ(columns.value(c, v), fresh.value(c, v));
        EXPECT_EQ(columns.documents_with(c, v), fresh.documents_with(c, v)) << fresh.value(c, v).first;
      }
      for (Xapian::docid did = 0; did <= fresh.last_docid() + 1; ++did) {
        EXPECT_EQ(keys_of(columns, c, did), keys_of(fresh, c, did)) << "column " << c << ", docid " << did;
      }
    }
  }
}

// A commit that changed old documents, appended as if it had only added
// some: agrees_with() sees the changes that move a slot's document count,
// and only those.
TEST(FacetColumnsTest, AgreesWithSeesChangesToOldDocumentsThatMoveSlotCounts) {
  struct Case {
    std::string change;
    std::function<void(Xapian::WritableDatabase&)> apply;
    bool agrees;
  };
  const std::vector<Case> cases = {
      {"nothing", [](Xapian::WritableDatabase&) {}, true},
      {"a document with values deleted", [](Xapian::WritableDatabase& db) { db.delete_document(6); }, false},
      {"a value removed",
       [](Xapian::WritableDatabase& db) {
         Xapian::Document doc = db.get_document(1);
         doc.remove_value(*field_b().slot);
         db.replace_document(1, doc);
       },
       false},
      {"a value given to a document without one",
       [](Xapian::WritableDatabase& db) {
         Xapian::Document doc = db.get_document(2);
         doc.add_value(*field_a().slot, encode_field_values(repo_schema(), field_a(), {{"c", "C"}}));
         db.replace_document(2, doc);
       },
       false},
      {"a value changed in place (not seen: the count stays)",
       [](Xapian::WritableDatabase& db) {
         Xapian::Document doc = db.get_document(6);
         doc.add_value(*field_b().slot, encode_field_values(repo_schema(), field_b(), {{"z", "Z"}}));
         db.replace_document(6, doc);
       },
       true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.change);
    RowDatabase rows(kRows);
    FacetColumns columns(rows.db, rows.db.get_revision(), repo_schema(), both_columns());
    ASSERT_TRUE(columns.agrees_with(rows.db, both_columns()));
    c.apply(rows.db);
    rows.add({{{{"d", "D"}}, {{"x", "X"}}}});
    columns.append_added(rows.db, rows.db.get_revision(), repo_schema(), both_columns());
    EXPECT_EQ(columns.agrees_with(rows.db, both_columns()), c.agrees);
  }
}

// SharedFacetTable reads a key once, offers the table it holds to the read
// of the next key, keeps it when a read throws, and makes threads asking
// for the same key at once wait for one read.
TEST(SharedFacetTableTest, ReadsEachKeyOnce) {
  RowDatabase rows(kRows);
  SharedFacetTable shared;
  int reads = 0;
  std::shared_ptr<const FacetColumns> offered;
  const auto read = [&](const FacetTable* held) {
    ++reads;
    offered = held ? held->columns : nullptr;
    return FacetTable{
        std::make_shared<const FacetColumns>(rows.db, rows.db.get_revision(), repo_schema(), both_columns()), "mark"};
  };
  const FacetTable first = shared.get("k1", read);
  EXPECT_EQ(reads, 1);
  EXPECT_EQ(offered, nullptr);
  EXPECT_EQ(first.last_rewrite, "mark");
  EXPECT_EQ(shared.get("k1", read).columns, first.columns);
  EXPECT_EQ(reads, 1);
  const FacetTable second = shared.get("k2", read);
  EXPECT_EQ(reads, 2);
  EXPECT_EQ(offered, first.columns);
  EXPECT_NE(second.columns, first.columns);
  EXPECT_THROW(shared.get("k3", [](const FacetTable*) -> FacetTable { throw std::runtime_error("modified"); }),
               std::runtime_error);
  EXPECT_EQ(shared.get("k2", read).columns, second.columns);
  EXPECT_EQ(reads, 2);

  std::atomic<int> concurrent_reads = 0;
  const auto slow_read = [&](const FacetTable*) {
    ++concurrent_reads;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // so that the threads overlap
    return FacetTable{std::make_shared<const FacetColumns>(*first.columns), ""};
  };
  std::vector<std::thread> threads;
  std::vector<std::shared_ptr<const FacetColumns>> got(4);
  for (std::size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&, i] { got[i] = shared.get("k4", slow_read).columns; });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(concurrent_reads, 1);
  for (const auto& columns : got) EXPECT_EQ(columns, got.front());
}

}  // namespace
}  // namespace policy

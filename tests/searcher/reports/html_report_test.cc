// The html report: report.html.
#include <string>

#include <gtest/gtest.h>

#include "tests/searcher/reports/report_samples.h"

namespace policy {
namespace {

using namespace testing;

using HtmlReportTest = WrittenReports;

TEST_F(HtmlReportTest, SelfContainedAndEscaped) {
  const std::string html = slurp(out() / "report.html");
  for (const char* forbidden : {"http://", "https://", "<script", "<b>&", "<x>", "<c>", "<tag>", "<phrase>"}) {
    SCOPED_TRACE(forbidden);
    EXPECT_EQ(html.find(forbidden), std::string::npos);
  }
  for (const char* expected :
       {"<svg",
        "No dated documents.",
        "&quot;green envoys&quot; &lt;b&gt;&amp;",
        "<mark>green envoys</mark>",
        "Ministère de l&#39;Environnement, &quot;Énergie&quot; &amp; Co &lt;x&gt;",
        "class=\"error\"",
        "Query failed: query error at position 0",
        "/data/policy index",
        "build-42",
        "f00dfeed",
        "policy-schema/1",
        "0.1.0",
        "queries.tsv",
        "2024-05-02T10:00:00Z",
        "3 queries, 1 failed, 1 with warnings.",
        "</html>",
        "<tr class=\"warned\">",
        "<th>Warnings</th>",
        "<td class=\"warning\">org:Lincoln matches no organisation in the index; closest: &lt;Linc&gt; &amp; Co</td>",
        "<p class=\"warning\" role=\"note\"><strong>Warning:</strong> org:Lincoln"}) {
    SCOPED_TRACE(expected);
    EXPECT_NE(html.find(expected), std::string::npos);
  }
  // The summary table comes before the sections.
  EXPECT_LT(html.find("<h2>Summary</h2>"), html.find("<section"));
}

}  // namespace
}  // namespace policy

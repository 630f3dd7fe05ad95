//! Real 二级项目支出绩效目标申报表 workbooks (深圳市宝安区松岗街道, 2023; corpus/real-xlsx/):
//! one project per sheet, some sheets left as empty templates. Every filled sheet is a
//! `performance_goals` annex with as many indicators as its filled 三级指标 rows; every empty
//! sheet is reported (`empty_template`), never an annex.

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// Filled 三级指标 rows per sheet, counted by eye in the workbook (0: an empty template).
const FILLED: &[(&str, &[usize])] = &[
    ("shenzhen-songgang-2023-goals-a.xlsx", &[0, 0, 0, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 11, 10, 10, 10, 14, 10]),
    ("shenzhen-songgang-2023-goals-b.xlsx", &[10, 10, 0, 0, 10, 5, 0, 0, 0, 10, 10, 10, 0, 6, 0, 10]),
];

#[test]
fn filled_sheets_are_performance_goals_and_empty_ones_are_reported() {
    for (file, filled) in FILLED {
        let doc = annex2json::extract(format!("{MANIFEST_DIR}/corpus/real-xlsx/{file}")).unwrap();
        assert_eq!(doc.source.format, "xlsx");
        let want: Vec<usize> = filled.iter().copied().filter(|&n| n > 0).collect();
        let got: Vec<usize> = doc.annexes.iter().map(|a| a.indicators.len()).collect();
        assert_eq!(got, want, "{file}: indicators per annex");
        let empty = doc.diagnostics.iter().filter(|d| d.code == "empty_template").count();
        assert_eq!(empty, filled.iter().filter(|&&n| n == 0).count(), "{file}: empty template sheets reported");
        for a in &doc.annexes {
            assert_eq!(a.kind.as_str(), "performance_goals", "{file}");
            let fields = a.fields.as_ref().unwrap();
            assert!(fields["project_name"].is_string(), "{file}: {fields:?}");
            assert!(a.goals.as_ref().and_then(|g| g.expected.as_ref()).is_some(), "{file}: 年度目标 is the expected goal");
            // Goals set before the year: targets, no results (a 不适用 row states no target).
            assert!(a.indicators.iter().all(|i| i.actual.is_none() && i.score.is_none()));
            assert!(a.indicators.iter().all(|i| i.target.is_some() || i.name == "不适用"), "{file}");
            assert!(a.indicators.iter().all(|i| i.extra.contains_key("指标解释")));
        }
    }
}

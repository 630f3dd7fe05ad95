//! A 部门预算 book that holds forms: `corpus/real/shanghai-putuo-wanli-2023-budget.pdf`
//! prints its budget tables and five 财政项目支出绩效目标填报表. Each form comes out as a
//! `performance_goals` annex read from its page grid, every indicator row whole (level-1,
//! level-2, name and target in one row); the budget tables keep the positional reading.

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn the_goal_forms_of_a_budget_book_are_performance_goals() {
    let doc = annex2json::extract(format!("{MANIFEST_DIR}/corpus/real/shanghai-putuo-wanli-2023-budget.pdf")).unwrap();
    let goals: Vec<_> = doc.annexes.iter().filter(|a| a.kind.as_str() == "performance_goals").collect();
    assert_eq!(goals.len(), 5, "{:?}", doc.annexes.iter().map(|a| (a.kind.as_str(), a.title.clone())).collect::<Vec<_>>());
    for a in &goals {
        assert_eq!(a.title.as_deref(), Some("财政项目支出绩效目标填报表"));
        assert_eq!(a.year, Some(2023));
        let f = a.fields.as_ref().unwrap();
        assert!(f["project_name"].is_string() && f["department"].is_string(), "{f:?}");
        assert!(a.goals.as_ref().and_then(|g| g.expected.as_ref()).is_some());
        assert!(!a.indicators.is_empty());
        for i in &a.indicators {
            assert!(i.level1.is_some() && i.level2.is_some() && !i.name.is_empty() && i.target.is_some(), "{i:?}");
        }
    }
    // The quantity of a target with its unit in parentheses.
    let first = &goals[0].indicators[0];
    let t = first.target.as_ref().unwrap();
    assert_eq!((t.cmp.as_deref(), t.unit.as_deref()), (Some(">="), Some("平方米")), "{t:?}");
    // The budget tables are still there, read by position.
    assert!(doc.annexes.iter().filter(|a| a.kind.as_str() == "unknown").count() >= 9);
}

//! The six real 部门预算/决算 PDFs (`corpus/real/`): they extract without error, their
//! JSON holds no U+FFFD and no Kangxi radicals, their budget tables come out as tables
//! (at least the measured number of tables with rows per file), and every word of a table
//! page is placed in its annex (no `unplaced_text` inside any annex). Text on pages without
//! any table (the prose 说明 parts) is reported in the document's `unplaced_text`.

use std::path::Path;

/// (file, tables with rows measured on 2026-11-26 — floors, raise them when more are found).
const FILES: &[(&str, usize)] = &[
    ("jiangsu-cppcc-office-2019-budget.pdf", 15),
    ("jiangsu-npc-office-2019-budget.pdf", 15),
    ("jiangsu-procuratorate-2019-budget.pdf", 15),
    ("shanghai-putuo-govoffice-2025-budget.pdf", 11),
    ("shanghai-putuo-socialwork-2024-final.pdf", 12),
    // Its five 绩效目标填报表 are performance_goals annexes (tests/books.rs); they were ten
    // positional tables, each cut in two by the side-by-side split.
    ("shanghai-putuo-wanli-2023-budget.pdf", 11),
];

fn is_kangxi(c: char) -> bool {
    ('\u{2F00}'..='\u{2FD5}').contains(&c) || ('\u{2E80}'..='\u{2EFF}').contains(&c)
}

#[test]
fn real_pdfs_come_out_as_tables() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/real");
    for (file, min_tables) in FILES {
        let doc = annex2json::extract(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let json = serde_json::to_string(&doc).expect("serializes");
        assert!(!json.contains('\u{FFFD}'), "{file}: U+FFFD in the output");
        let kangxi: Vec<char> = json.chars().filter(|c| is_kangxi(*c)).collect();
        assert!(kangxi.is_empty(), "{file}: Kangxi radicals in the output: {kangxi:?}");
        let with_rows = doc.annexes.iter().flat_map(|a| &a.tables).filter(|t| !t.rows.is_empty()).count();
        assert!(with_rows >= *min_tables, "{file}: {with_rows} tables with rows, expected at least {min_tables}");
        for a in &doc.annexes {
            let lost: Vec<&str> =
                a.diagnostics.iter().filter(|d| d.code == "unplaced_text").map(|d| d.message.as_str()).collect();
            assert!(lost.is_empty(), "{file} {:?}: unplaced text on a table page: {lost:?}", a.title);
            for t in &a.tables {
                for r in &t.rows {
                    assert_eq!(r.cells.len(), t.columns.len(), "{file} {:?}: a row with the wrong cell count", a.title);
                }
            }
        }
    }
}

#[test]
fn subject_codes_nest_by_length() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/real");
    let doc = annex2json::extract(dir.join("jiangsu-cppcc-office-2019-budget.pdf")).expect("extracts");
    let a = doc
        .annexes
        .iter()
        .find(|a| a.title.as_deref() == Some("财政拨款支出预算表（功能科目）"))
        .expect("the 功能科目 table is found by its title");
    assert_eq!(a.label.as_deref(), Some("公开05表"));
    assert_eq!(a.unit.as_deref(), Some("万元"));
    let t = &a.tables[0];
    assert_eq!(t.columns.iter().map(|c| c.key.as_deref()).collect::<Vec<_>>(), [Some("amount")]);
    let row = |code: &str| t.rows.iter().position(|r| r.code.as_deref() == Some(code)).expect(code);
    let (c201, c20102, c2010201) = (row("201"), row("20102"), row("2010201"));
    assert_eq!(t.rows[c201].level, 0);
    assert_eq!(t.rows[c20102].parent, Some(c201));
    assert_eq!(t.rows[c2010201].parent, Some(c20102));
    assert_eq!(t.rows[c2010201].level, 2);
    assert_eq!(t.rows[c2010201].label, "行政运行");
}

#[test]
fn side_by_side_sub_tables_are_split() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/real");
    let doc = annex2json::extract(dir.join("jiangsu-cppcc-office-2019-budget.pdf")).expect("extracts");
    let a = doc.annexes.iter().find(|a| a.title.as_deref() == Some("收支预算总表")).expect("found");
    let titles: Vec<Option<&str>> = a.tables.iter().map(|t| t.title.as_deref()).collect();
    assert_eq!(titles, [Some("收入"), Some("支出/功能分类"), Some("支出/支出用途")]);
    let out = &a.tables[2];
    let last = out.rows.last().expect("rows");
    assert_eq!(last.label, "支出合计");
    assert_eq!(last.cells[0].as_ref().map(|c| c.text.as_str()), Some("13,377.11"));
    assert!(a.tables[1].rows.iter().all(|r| r.label != "当年支出小计"), "a merged label goes with its value");
}

#[test]
fn split_class_columns_and_continuation() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/real");
    let doc = annex2json::extract(dir.join("shanghai-putuo-govoffice-2025-budget.pdf")).expect("extracts");
    let a = doc.annexes.iter().find(|a| a.title.as_deref() == Some("2025年部门收入预算总表")).expect("found");
    assert_eq!(a.source.pages, Some(vec![9, 10]), "continued on the next page");
    assert_eq!(a.unit.as_deref(), Some("元"));
    let t = &a.tables[0];
    // 类 / 款 / 项 printed in three columns: joined into one code.
    let r = t.rows.iter().find(|r| r.code.as_deref() == Some("2010301")).expect("2010301");
    assert_eq!(r.level, 2);
    assert_eq!(r.label, "行政运行");
    let total = t.rows.last().expect("rows");
    assert_eq!(total.label, "合计");
    assert_eq!(total.cells[0].as_ref().map(|c| c.text.as_str()), Some("91,016,775.35"));
}

/// The stream step alone (ruling lines ignored) still finds the budget tables of a ruled
/// document, with their header words and their continuation on the next page.
#[test]
fn stream_step_without_rules() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/real/shanghai-putuo-govoffice-2025-budget.pdf");
    let bytes = std::fs::read(path).expect("reads");
    let layout = annex2json::pdf::read(&bytes).expect("parses");
    let out = annex2json::table_finder::annexes(&layout.lines, &[]);
    let with_rows = out.annexes.iter().flat_map(|a| &a.tables).filter(|t| !t.rows.is_empty()).count();
    assert!(with_rows >= 8, "{with_rows} stream tables with rows");
    let a = out.annexes.iter().find(|a| a.title.as_deref() == Some("2025年部门收入预算总表")).expect("found");
    assert_eq!(a.source.pages, Some(vec![9, 10]));
    let t = &a.tables[0];
    assert_eq!(t.columns.len(), 5, "{:?}", t.columns);
    assert_eq!(t.columns[0].label, "合计");
    let r = t.rows.iter().find(|r| r.code.as_deref() == Some("2010301")).expect("2010301");
    assert_eq!(r.label, "行政运行");
    assert_eq!(r.cells[0].as_ref().map(|c| c.text.as_str()), Some("12,029,501.84"));
}

/// A PDF of the annex forms with its `附件` markers taken out: every table found by
/// position whose title (or scored indicators) names a form is read by that form's
/// grammar, so the kinds match the marked document's.
#[test]
fn forms_without_markers_keep_their_grammars() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/hunan-rst-2024-render-ruled/source.pdf");
    let bytes = std::fs::read(path).expect("reads");
    let marked = annex2json::extract_bytes(&bytes, "source.pdf").expect("extracts");
    let mut layout = annex2json::pdf::read(&bytes).expect("parses");
    for l in &mut layout.lines {
        l.tokens.retain(|t| !(t.text.starts_with("附件") && t.text[6..].trim_start().starts_with(|c: char| c.is_ascii_digit())));
    }
    let source = annex2json::model::Source { file: "source.pdf".into(), format: "pdf".into(), sha256: String::new(), pages: layout.pages };
    let doc = annex2json::from_layout(layout, source);
    assert!(doc.annexes.iter().all(|a| a.id.is_none()), "no marker is left");
    let kinds = |d: &annex2json::Document| d.annexes.iter().map(|a| a.kind.as_str()).collect::<Vec<_>>();
    assert_eq!(kinds(&doc), kinds(&marked));
    let indicators = |d: &annex2json::Document| d.annexes.iter().map(|a| a.indicators.len()).collect::<Vec<_>>();
    assert_eq!(indicators(&doc), indicators(&marked));
}

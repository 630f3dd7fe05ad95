//! Step 4 — a found table as a schema [`Table`]: stub columns, row codes and levels,
//! column keys, cells.
//!
//! 1. [`stub`]: leading columns that hold nothing but digits are **code columns**
//!    (功能分类科目编码 printed whole, `2010201`, or split over 类/款/项 columns, `201` `02`
//!    `01`); the next column, when it holds text rather than numbers, is the **label
//!    column**. Everything right of them is a table column.
//! 2. [`rows`]: a row's `code` is its code columns' digits concatenated (`201`+`02`+`01` →
//!    `2010201`); its `label` the label column's text — a label cell merged over several
//!    rows is carried to each of them, a cell merged over the code and label columns
//!    (`合计`) is label text. A row without a subject code gets its numbering prefix
//!    (`一、`, `（一）`, `1.`) split off as usual ([`crate::grammar::rows::split_code`]).
//!    Cells are the table columns' texts through [`crate::cell::parse`]; a cell merged over
//!    several columns or rows is placed once, at its top-left position.
//! 3. Levels: subject codes nest by length — 3 digits (类) level 0, 5 (款) level 1,
//!    7 (项) level 2, each further 2 digits one level deeper — and a row's parent is the
//!    nearest row above whose code is a prefix of its own. Rows without subject codes nest
//!    by their numbering ([`crate::grammar::rows::hierarchy`]).
//! 4. [`columns`]: keys from the header's last part through
//!    [`crate::grammar::columns::columns`] (unknown headers: key null, label kept); the
//!    label is the whole header path. A key that would repeat gets `_2`, `_3` … so keys
//!    stay unique within the table.

use super::tables::{Found, Slot};
use crate::cell;
use crate::grammar::columns;
use crate::grammar::frag::Frag;
use crate::grammar::rows::{self, Parsed, RawRow};
use crate::heuristics::column_by_arithmetic as arith;
use crate::model::{Column, Diagnostic, Position, Row, Table};

fn is_code(t: &str) -> bool {
    let t = t.trim();
    (1..=9).contains(&t.len()) && t.chars().all(|c| c.is_ascii_digit())
}

fn is_number(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty() && !cell::is_blank(t) && rows::is_value(t)
}

/// Step 1: (number of code columns, label column).
pub fn stub(body: &[Vec<Slot>], ncols: usize) -> (usize, Option<usize>) {
    let types = col_types(body, ncols);
    // Code columns, or empty ones before the label column (a table with no data).
    let ncode = types.iter().take_while(|t| matches!(t, ColType::Code | ColType::Empty)).count();
    if types.get(ncode) == Some(&ColType::Text) { (ncode, Some(ncode)) } else { (0, None) }
}

/// The first table column: right of the label column and of the columns after it that no
/// body cell starts in (a label cell merged over a narrow column the header draws apart).
pub fn first_value_column(body: &[Vec<Slot>], ncols: usize, ncode: usize, label: Option<usize>) -> usize {
    let Some(l) = label else { return ncode };
    let mut c = l + 1;
    while c < ncols && body.iter().all(|r| !(r[c].first_col && r[c].first_row && !r[c].text.trim().is_empty())) && body.iter().any(|r| r[c].c0 <= l && !r[c].text.trim().is_empty()) {
        c += 1;
    }
    c
}

/// What a column holds in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// Digits only (subject codes, 序号).
    Code,
    /// Mostly text.
    Text,
    /// Numbers (or dashes).
    Value,
    /// Nothing at all in the body.
    Empty,
}

/// The type of each column, from the cells that sit in that column alone.
pub fn col_types(body: &[Vec<Slot>], ncols: usize) -> Vec<ColType> {
    let mut types = (0..ncols)
        .map(|c| {
            // Cells starting in this column (any span), and those that are this column's
            // alone (a 合计 merged over the code and label columns says nothing of codes).
            let starts = |s: &&Slot| s.first_col && s.first_row && !s.text.trim().is_empty() && !cell::is_blank(&s.text);
            let texts: Vec<&str> = body.iter().map(|r| &r[c]).filter(starts).map(|s| s.text.as_str()).collect();
            let own: Vec<&str> =
                body.iter().map(|r| &r[c]).filter(starts).filter(|s| s.c1 == c + 1).map(|s| s.text.as_str()).collect();
            let numbers = texts.iter().filter(|t| is_number(t)).count();
            if !own.is_empty() && own.iter().all(|t| is_code(t)) {
                ColType::Code
            } else if !texts.is_empty() && numbers * 2 < texts.len() {
                ColType::Text
            } else if body.iter().all(|r| r[c].text.trim().is_empty()) {
                ColType::Empty
            } else {
                ColType::Value
            }
        })
        .collect::<Vec<_>>();
    codes_need_labels(&mut types);
    types
}

/// Digits label something: a code column must be followed (after more code columns) by a
/// text column, else its digits are amounts printed without decimals.
fn codes_need_labels(types: &mut [ColType]) {
    for c in 0..types.len() {
        if types[c] == ColType::Code
            && types[c..].iter().find(|t| !matches!(t, ColType::Code | ColType::Empty)) != Some(&ColType::Text)
        {
            types[c] = ColType::Value;
        }
    }
}

/// Step 0: side-by-side sub-tables (收入 | 支出; two halves of an 经济分类 list). A new
/// sub-table starts at a code or text column right of a value column; each sub-table must
/// hold a value column. Returns the column ranges (one range when the table is not split).
pub fn side_by_side(found: &Found) -> Vec<std::ops::Range<usize>> {
    let ncols = found.xs.len().saturating_sub(1);
    let types = col_types(&found.rows, ncols);
    let mut starts = vec![0];
    for c in 1..ncols {
        if matches!(types[c], ColType::Code | ColType::Text) && types[c - 1] == ColType::Value {
            starts.push(c);
        }
    }
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(ncols);
        ranges.push(s..e);
    }
    // A range without a value column joins the one before it.
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for r in ranges {
        let has_value = types[r.clone()].contains(&ColType::Value);
        match out.last_mut() {
            Some(last) if !has_value => last.end = r.end,
            _ => out.push(r),
        }
    }
    if out.len() > 1 && !types[out[0].clone()].contains(&ColType::Value) {
        let first = out.remove(0);
        out[0].start = first.start;
    }
    out
}

/// The columns `range` of `found` as a table of their own. A cell merged across the cut is
/// clipped to each side.
pub fn sub(found: &Found, range: std::ops::Range<usize>) -> Found {
    let (a, b) = (range.start, range.end);
    let clip = |row: &Vec<Slot>| -> Vec<Slot> {
        (a..b.min(row.len()))
            .map(|c| {
                let s = &row[c];
                // The span (c0..c1, end exclusive) is kept around its own column `c`
                // (a ≤ c < b): a slot whose span does not cover it (fuzzing found one
                // ending left of `a`) cannot underflow.
                Slot {
                    first_col: s.first_col || (c == a && s.c0 < a),
                    c0: s.c0.min(c).max(a) - a,
                    c1: s.c1.max(c + 1).min(b) - a,
                    ..s.clone()
                }
            })
            .collect()
    };
    let rows: Vec<Vec<Slot>> = found
        .rows
        .iter()
        .filter(|row| {
            // A row whose label cell runs on into the next sub-table, with no value here,
            // belongs to that sub-table.
            let runs_on = row.get(a).is_some_and(|s| s.c1 > b);
            let has_value = (a..b.min(row.len())).any(|c| row[c].first_row && row[c].first_col && is_number(&row[c].text));
            !runs_on || has_value
        })
        .map(clip)
        .collect();
    Found {
        xs: found.xs[a..=b.min(found.xs.len() - 1)].to_vec(),
        header: found.header[a..b.min(found.header.len())].to_vec(),
        header_rows: found.header_rows.iter().map(clip).collect(),
        rows,
        ..found.clone()
    }
}

/// The header path parts all columns of `found` share (`收入`, `支出/功能分类`).
pub fn common_header(found: &Found) -> Option<String> {
    let parts: Vec<Vec<&str>> = found.header.iter().map(|h| h.split('/').collect()).collect();
    let first = parts.first()?;
    let mut n = 0;
    while n + 1 < first.len() && parts.iter().all(|p| p.len() > n + 1 && p[n] == first[n]) {
        n += 1;
    }
    (n > 0).then(|| first[..n].join("/"))
}

/// Level of a subject code by its length (3 → 0, 5 → 1, 7 → 2 …).
pub fn code_level(code: &str) -> u32 {
    let n = code.len() as u32;
    if n >= 3 { (n - 3).div_ceil(2) } else { 0 }
}

fn frag_of(found: &Found, text: &str) -> Frag {
    Frag {
        text: text.to_string(),
        line: 0,
        last_line: 0,
        number: found.words.first().map(|w| w.number).unwrap_or(0),
        page: Some(found.page),
        x0: 0.0,
        x1: 0.0,
        width: 0.0,
        tail_width: 0.0,
        line_start: true,
        line_end: true,
        block_start: true,
        blank_before: false,
        lines_joined: 1,
    }
}

/// Steps 2–3: schema rows (and the number of labels carried down merged cells).
#[allow(clippy::needless_range_loop)] // a column index is a position in the grid
pub fn rows(found: &Found, ncode: usize, label: Option<usize>, diags: &mut Vec<Diagnostic>) -> (Vec<Row>, usize) {
    let ncols = found.xs.len().saturating_sub(1);
    let first_value = first_value_column(&found.rows, ncols, ncode, label);
    let mut carried = 0;
    let mut out: Vec<Row> = Vec::new();
    let mut coded: Vec<bool> = Vec::new();
    let mut raw_texts: Vec<String> = Vec::new();
    for r in &found.rows {
        if r.iter().all(|s| s.text.trim().is_empty()) {
            continue;
        }
        let mut code = String::new();
        let mut label_parts: Vec<String> = Vec::new();
        for c in 0..first_value.min(ncols) {
            let s = &r[c];
            if !s.first_col || s.text.trim().is_empty() {
                continue;
            }
            if c < ncode && s.c1 == c + 1 && is_code(&s.text) {
                code.push_str(s.text.trim());
            } else {
                if !s.first_row {
                    carried += 1;
                }
                label_parts.push(s.text.trim().to_string());
            }
        }
        let text = label_parts.join("");
        raw_texts.push(if code.is_empty() { text.clone() } else { String::new() });
        coded.push(!code.is_empty());
        let (code, label_text, _qz) = if code.is_empty() {
            rows::split_code(&text)
        } else {
            (Some(code), text.trim().to_string(), false)
        };
        let cells = (first_value..ncols)
            .map(|c| {
                let s = &r[c];
                if s.first_row && s.first_col { cell::parse(&s.text) } else { None }
            })
            .collect();
        out.push(Row { code, label: label_text, level: 0, parent: None, cells });
    }
    if coded.iter().any(|&c| c) {
        for i in 0..out.len() {
            if !coded[i] {
                continue;
            }
            let code = out[i].code.clone().unwrap_or_default();
            out[i].level = code_level(&code);
            out[i].parent =
                (0..i).rev().find(|&p| coded[p] && out[p].code.as_deref().is_some_and(|pc| pc.len() < code.len() && code.starts_with(pc)));
        }
    } else {
        let parsed: Vec<Parsed> = raw_texts
            .iter()
            .map(|text| {
                let (code, label, qizhong) = rows::split_code(text);
                Parsed { code, label, qizhong, raw: RawRow { text: text.clone(), values: Vec::new(), first: frag_of(found, text) } }
            })
            .collect();
        let full: Vec<Vec<Option<rust_decimal::Decimal>>> = out
            .iter()
            .map(|row| row.cells.iter().map(|c| c.as_ref().and_then(|c| arith::amount(&c.text))).collect())
            .collect();
        let levels = rows::hierarchy(&parsed, &full, diags);
        for (row, (level, parent)) in out.iter_mut().zip(levels) {
            row.level = level;
            row.parent = parent;
        }
    }
    (out, carried)
}

/// Step 4: columns for the table columns `from..` of `found`.
pub fn columns(found: &Found, from: usize) -> Vec<Column> {
    // A text column with no header cell of its own, right of one with a header, shares it:
    // a header printed once over a label column and the sub-label column beside it.
    let types = col_types(&found.rows, found.header.len());
    let mut header = found.header.clone();
    for c in 1..header.len() {
        if header[c].is_empty() && types[c] == ColType::Text && !header[c - 1].is_empty() {
            header[c] = header[c - 1].clone();
        }
    }
    let paths: Vec<String> = header.iter().skip(from).cloned().collect();
    let leaves: Vec<String> = paths
        .iter()
        .enumerate()
        .map(|(k, p)| if p.is_empty() { format!("列{}", from + k + 1) } else { p.rsplit('/').next().unwrap_or(p).to_string() })
        .collect();
    let mut cols = columns::columns(&leaves);
    let mut seen: Vec<String> = Vec::new();
    for (c, path) in cols.iter_mut().zip(&paths) {
        if !path.is_empty() {
            c.label = path.clone();
        }
        if let Some(k) = &c.key {
            let n = seen.iter().filter(|s| *s == k).count();
            seen.push(k.clone());
            if n > 0 {
                c.key = Some(format!("{k}_{}", n + 1));
            }
        }
    }
    cols
}

/// The whole step: a [`Table`], the diagnostics that say how it was read, and the printed
/// header words of the stub columns (consumed as structure: they name `code` and `label`).
pub fn table(found: &Found, name: String, unit: Option<String>) -> (Table, Vec<Diagnostic>, Vec<String>) {
    let ncols = found.xs.len().saturating_sub(1);
    let mut diags = Vec::new();
    let (ncode, label) = stub(&found.rows, ncols);
    let first_value = first_value_column(&found.rows, ncols, ncode, label);
    let at = Some(Position { page: Some(found.page), line: found.words.first().map(|w| w.number) });
    if first_value > 0 {
        let names: Vec<&str> = found.header.iter().take(first_value).map(|h| h.as_str()).filter(|h| !h.is_empty()).collect();
        diags.push(Diagnostic::info(
            "stub_columns",
            format!(
                "{} code column(s) and {} label column: printed headers “{}” became each row's code and label",
                ncode,
                if label.is_some() { "a" } else { "no" },
                names.join("”, “")
            ),
            at.clone(),
        ));
    }
    let (rows, carried) = rows(found, ncode, label, &mut diags);
    if carried > 0 {
        diags.push(Diagnostic::info(
            "merged_cell_carried",
            format!("{carried} row label(s) taken from a label cell merged over several rows"),
            at.clone(),
        ));
    }
    let cols = columns(found, first_value);
    let title = (!found.captions.is_empty()).then(|| found.captions.join(" "));
    let mut consumed: Vec<String> = Vec::new();
    for h in found.header.iter().take(first_value) {
        for part in h.split('/') {
            if !part.is_empty() && !consumed.iter().any(|c| c == part) {
                consumed.push(part.to_string());
            }
        }
    }
    (Table { name, title, unit, columns: cols, rows }, diags, consumed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(t: &str, c: usize) -> Slot {
        Slot { text: t.to_string(), first_row: true, first_col: true, last_row: true, c0: c, c1: c + 1 }
    }

    fn found(rows: Vec<Vec<Slot>>, header: &[&str]) -> Found {
        Found {
            page: 1,
            last_page: 1,
            top: 0.0,
            bottom: 0.0,
            xs: (0..=header.len()).map(|i| i as f32 * 10.0).collect(),
            captions: vec![],
            fields: vec![],
            header: header.iter().map(|s| s.to_string()).collect(),
            header_rows: vec![],
            rows,
            method: "lattice",
            repeated_header_dropped: vec![],
            dropped_header_text: vec![],
            words: vec![],
        }
    }

    #[test]
    fn split_subject_codes_join_and_nest() {
        let mut merged = slot("合计", 0);
        merged.c1 = 4;
        let cov = |c| Slot { first_col: false, ..merged.clone() }.with_col(c);
        let rows = vec![
            vec![merged.clone(), cov(1), cov(2), cov(3), slot("9.00", 4)],
            vec![slot("201", 0), slot("", 1), slot("", 2), slot("一般公共服务支出", 3), slot("9.00", 4)],
            vec![slot("201", 0), slot("03", 1), slot("", 2), slot("政府办公厅", 3), slot("9.00", 4)],
            vec![slot("201", 0), slot("03", 1), slot("01", 2), slot("行政运行", 3), slot("9.00", 4)],
        ];
        let f = found(rows, &["编码/类", "编码/款", "编码/项", "科目名称", "收入预算/合计"]);
        let (t, d, _) = table(&f, "table_1".into(), Some("元".into()));
        assert_eq!(t.columns.len(), 1);
        assert_eq!(t.columns[0].label, "收入预算/合计");
        assert_eq!(t.rows[0].label, "合计");
        assert_eq!(t.rows[0].code, None);
        assert_eq!(t.rows[3].code.as_deref(), Some("2010301"));
        assert_eq!((t.rows[1].level, t.rows[2].level, t.rows[3].level), (0, 1, 2));
        assert_eq!((t.rows[2].parent, t.rows[3].parent), (Some(1), Some(2)));
        assert!(d.iter().any(|d| d.code == "stub_columns" && d.message.contains("编码/类")));
    }

    #[test]
    fn numbered_rows_and_unique_keys() {
        let rows = vec![
            vec![slot("一、财政拨款", 0), slot("13.00", 1), slot("一、基本支出", 2), slot("6.00", 3)],
            vec![slot("1.一般公共预算", 0), slot("13.00", 1), slot("二、项目支出", 2), slot("7.00", 3)],
        ];
        let f = found(rows, &["收入/项目名称", "收入/金额", "支出/项目名称", "支出/金额"]);
        let (t, _, _) = table(&f, "table_1".into(), None);
        assert_eq!(t.columns.iter().map(|c| c.key.clone()).collect::<Vec<_>>(), [Some("amount".into()), None, Some("amount_2".into())]);
        assert_eq!(t.rows[0].code.as_deref(), Some("一"));
        assert_eq!(t.rows[1].parent, Some(0));
        assert_eq!(t.rows[1].cells[1].as_ref().map(|c| c.text.as_str()), Some("二、项目支出"));
    }

    #[test]
    fn side_by_side_halves() {
        let rows = vec![
            vec![slot("301", 0), slot("工资福利支出", 1), slot("95.36", 2), slot("302", 3), slot("商品和服务支出", 4), slot("10.23", 5)],
            vec![slot("30101", 0), slot("基本工资", 1), slot("14.12", 2), slot("30201", 3), slot("办公费", 4), slot("3.78", 5)],
        ];
        let f = found(rows, &["科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数"]);
        assert_eq!(side_by_side(&f), [0..3, 3..6]);
        let right = sub(&f, 3..6);
        let (t, _, _) = table(&right, "table_2".into(), None);
        assert_eq!(t.rows[1].code.as_deref(), Some("30201"));
        assert_eq!(t.rows[1].parent, Some(0));
        assert_eq!(t.columns[0].key.as_deref(), Some("final"));
        // A list of text columns is not split.
        let rows = vec![vec![slot("专项", 0), slot("办公设备", 1), slot("集中采购", 2), slot("5.00", 3)]];
        let f = found(rows, &["专项名称", "采购物品名称", "采购组织形式", "总计"]);
        assert_eq!(side_by_side(&f), [0..4]);
    }

    #[test]
    fn code_levels() {
        assert_eq!(code_level("201"), 0);
        assert_eq!(code_level("20101"), 1);
        assert_eq!(code_level("2010101"), 2);
        assert_eq!(code_level("30"), 0);
    }

    impl Slot {
        fn with_col(mut self, c: usize) -> Slot {
            let _ = c;
            self.first_col = false;
            self
        }
    }
}

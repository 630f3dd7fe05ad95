//! Step 5 — the text around a table: its head (table number, title, department, unit,
//! year) above it and its notes below it, and page furniture (page numbers).
//!
//! The words above a table on its page are read one by one: `部门：X` / `编制部门：X` /
//! `单位名称：X` give the department, `单位：万元` the unit, `公开01表` / `公开表三` the
//! printed table number (the annex's `label`), `（2023年度）` the year, a lone number at
//! the very top or bottom of the page is a page number. The remaining rows are title
//! candidates: the one nearest the table that reads like a table name (ends in 表, or
//! holds a title word) is the title; the largest-printed row otherwise. Other rows are
//! headings kept in the annex's notes. Below a table, rows up to the next table's head
//! are its notes (`注：本表反映…`, `说明：…本表无数据`).

use super::rows::{VRow, Word};
use regex::Regex;
use std::sync::LazyLock;

static DEPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:编制部门|编制单位|部门名称|单位名称|预算单位|填报单位|部门)\s*[:：]\s*(.*)$").unwrap()
});
static UNIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:金额)?单位\s*[:：]\s*(亿元|万元|千元|元)$").unwrap());
static NUMBER_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^公开\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})?\s*表\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})?$").unwrap()
});
static YEAR_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[（(]\s*((?:19|20)\d{2})\s*年度?\s*[）)]$").unwrap());
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年").unwrap());
static PAGE_NO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[-—－]\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[-—－])?$").unwrap());
static NOTE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:注|说明|备注)\s*\d*\s*[:：]").unwrap());

/// Words that make a row read like a table name.
const TITLE_WORDS: &[&str] = &["表", "情况", "明细", "汇总", "一览"];

/// What the rows above a table say.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Head {
    pub label: Option<String>,
    pub title: Option<String>,
    pub department: Option<String>,
    pub unit: Option<String>,
    pub year: Option<i32>,
    /// Other rows (section headings), as printed.
    pub headings: Vec<String>,
    /// Every word of the head.
    pub words: Vec<Word>,
    /// What was read as a field, with the words as printed: (printed, field).
    pub read: Vec<(String, &'static str)>,
}

impl Head {
    /// True when nothing but unit / department / page furniture stands above the table
    /// (a continued table repeats at most those).
    pub fn is_bare(&self) -> bool {
        self.title.is_none() && self.label.is_none() && self.headings.is_empty()
    }
}

/// Is this row a page number?
pub fn is_page_number(r: &VRow) -> bool {
    PAGE_NO.is_match(r.compact().trim())
}

/// Does this row open a note?
pub fn is_note(r: &VRow) -> bool {
    NOTE.is_match(r.compact().trim())
}

/// Read the head of a table spanning `x0..x1` from the rows above it (top to bottom).
pub fn read_head(rows: &[VRow], x0: f32, x1: f32) -> Head {
    let mut h = Head::default();
    let mut candidates: Vec<(usize, &VRow, String)> = Vec::new();
    for (k, r) in rows.iter().enumerate() {
        h.words.extend(r.words.iter().cloned());
        let mut rest: Vec<&str> = Vec::new();
        let mut i = 0;
        while i < r.words.len() {
            let t = r.words[i].text.trim();
            let c: String = t.chars().filter(|c| !c.is_whitespace()).collect();
            if let Some(m) = DEPT.captures(&c) {
                let mut v = m[1].to_string();
                let mut printed = t.to_string();
                if v.is_empty() && i + 1 < r.words.len() && !UNIT.is_match(r.words[i + 1].text.trim()) {
                    i += 1;
                    v = r.words[i].text.trim().to_string();
                    printed = format!("{printed}{v}");
                }
                h.read.push((printed, "department"));
                if !v.is_empty() && h.department.is_none() {
                    h.department = Some(v);
                }
            } else if let Some(m) = UNIT.captures(&c) {
                h.unit.get_or_insert(m[1].to_string());
                h.read.push((t.to_string(), "unit"));
            } else if NUMBER_LABEL.is_match(&c) {
                h.label.get_or_insert(c);
            } else if let Some(m) = YEAR_LINE.captures(&c) {
                h.year = h.year.or(m[1].parse().ok());
                h.read.push((t.to_string(), "year"));
            } else {
                rest.push(t);
            }
            i += 1;
        }
        if !rest.is_empty() {
            let text = rest.join(" ");
            if rest.len() == 1 && PAGE_NO.is_match(&text) {
                continue;
            }
            candidates.push((k, r, text));
        }
    }
    let titled = candidates.iter().rposition(|(_, _, t)| {
        let c: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        c.chars().count() >= 3 && c.chars().count() <= 60 && TITLE_WORDS.iter().any(|w| c.contains(w))
    });
    // Otherwise the largest-printed row, if it is centred over the table and shorter
    // than it (a paragraph of prose above a table is no title).
    let width = (x1 - x0).max(1.0);
    let centred = |r: &VRow| ((r.x0() + r.x1()) / 2.0 - (x0 + x1) / 2.0).abs() < 0.15 * width && r.x1() - r.x0() < 0.7 * width;
    let pick = titled.or_else(|| {
        candidates
            .iter()
            .enumerate()
            .max_by(|a, b| a.1 .1.size().total_cmp(&b.1 .1.size()).then(a.0.cmp(&b.0)))
            .filter(|(_, c)| centred(c.1))
            .map(|(i, _)| i)
    });
    // Other rows are headings; a row that runs to the right margin of the rows above the
    // table continues on the next one (a wrapped paragraph), so they are joined.
    let right = candidates.iter().map(|(_, r, _)| r.x1()).fold(f32::NEG_INFINITY, f32::max);
    let mut wrapped = false;
    for (i, (_, r, t)) in candidates.iter().enumerate() {
        if Some(i) == pick {
            h.title = Some(t.clone());
            wrapped = false;
            continue;
        }
        match h.headings.last_mut() {
            Some(last) if wrapped => *last = crate::heuristics::wrapped_join::join_text(last, t),
            _ => h.headings.push(t.clone()),
        }
        wrapped = r.x1() >= right - r.size() && r.words.len() == 1 && t.chars().count() >= 15;
    }
    if h.year.is_none() {
        // From the title, else from a heading above it (第二部分 2019年度部门预算表).
        h.year = h.title.iter().chain(&h.headings).find_map(|t| YEAR.captures(t)).and_then(|m| m[1].parse().ok());
    }
    h
}

/// Is this row head material of a table below it (a printed table number, or a row that
/// reads like a table name)?
pub fn is_head_row(r: &VRow) -> bool {
    let c = r.compact();
    NUMBER_LABEL.is_match(&c) || (c.chars().count() <= 60 && c.ends_with('表')) || r.words.iter().any(|w| NUMBER_LABEL.is_match(w.text.trim()))
}

/// Does this row print a table number, department, unit, a year line or a note — text
/// that is never part of a table body or header?
pub fn is_head_material(r: &VRow) -> bool {
    r.words.iter().any(|w| {
        let c: String = w.text.chars().filter(|c| !c.is_whitespace()).collect();
        DEPT.is_match(&c) || UNIT.is_match(&c) || NUMBER_LABEL.is_match(&c) || YEAR_LINE.is_match(&c)
    }) || is_note(r)
}

/// Split the rows between two tables (top to bottom) into the upper table's notes and the
/// lower table's head: notes are a run of rows that opens with `注：` / `说明：`.
pub fn split_between(rows: &[VRow]) -> usize {
    let mut k = 0;
    let mut in_note = false;
    while k < rows.len() {
        let r = &rows[k];
        if is_note(r) {
            in_note = true;
        } else if !in_note {
            break;
        } else {
            // A note continues while its rows are not head material.
            let c = r.compact();
            if DEPT.is_match(&c) || UNIT.is_match(&c) || NUMBER_LABEL.is_match(&c) || TITLE_WORDS.iter().any(|w| c.ends_with(w)) {
                break;
            }
        }
        k += 1;
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table_finder::rows::tests::line;
    use crate::table_finder::rows::{page_words, visual_rows};

    #[test]
    fn head_fields() {
        let lines = vec![
            line(1, 1, 560.0, &[("公开01表", 40.0, 80.0)]),
            line(2, 1, 530.0, &[("2019年收支预算总表", 200.0, 400.0)]),
            line(3, 1, 500.0, &[("部门：某某办公厅", 40.0, 140.0), ("单位：万元", 600.0, 650.0)]),
        ];
        let rows = visual_rows(page_words(&lines).remove(0).1);
        let h = read_head(&rows, 40.0, 650.0);
        assert_eq!(h.label.as_deref(), Some("公开01表"));
        assert_eq!(h.title.as_deref(), Some("2019年收支预算总表"));
        assert_eq!(h.department.as_deref(), Some("某某办公厅"));
        assert_eq!(h.unit.as_deref(), Some("万元"));
        assert_eq!(h.year, Some(2019));
        assert!(!h.is_bare());
    }

    #[test]
    fn notes_then_next_head() {
        let lines = vec![
            line(1, 1, 560.0, &[("注：本表反映部门本年度的总收支。", 40.0, 300.0)]),
            line(2, 1, 540.0, &[("说明：本年度没有此项支出，故本表无数据。", 40.0, 300.0)]),
            line(3, 1, 500.0, &[("收入决算表", 200.0, 300.0)]),
        ];
        let rows = visual_rows(page_words(&lines).remove(0).1);
        assert_eq!(split_between(&rows), 2);
    }

    #[test]
    fn page_numbers() {
        let lines = vec![line(1, 1, 20.0, &[("- 12 -", 300.0, 320.0)]), line(2, 1, 40.0, &[("25", 300.0, 320.0)])];
        let rows = visual_rows(page_words(&lines).remove(0).1);
        assert!(rows.iter().all(is_page_number));
    }
}

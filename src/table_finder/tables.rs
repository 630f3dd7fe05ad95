//! Step 3 — tables: a grid filled with the page's words, its header and body, and
//! continuation across pages.
//!
//! 1. [`fill`]: every word whose centre lies inside the grid goes to the cell holding its
//!    centre (or the nearest cell, for a word on a rule); a cell's words are joined in
//!    reading order ([`super::rows::join_words`]), so a multi-line cell is one text.
//! 2. [`structure`]: rows at the top that are one cell spanning the whole width are
//!    captions; then header rows run down to the first data row (a row holding a number,
//!    a subject code, or nothing at all); each column's label is the path of the distinct
//!    header cells above it, joined with `/` (`收入/项目名称`), each cell's own lines joined
//!    with no separator.
//! 3. [`continues`] / [`append`]: a table at the top of a page with no title above it,
//!    whose column boundaries match the previous page's last table, continues it; its
//!    header rows, when they repeat the previous header, are dropped.

use super::rows::{join_words, Word};
use super::{Grid, GridCell};
use crate::grammar::rows::is_value;

/// One grid position of a filled table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Slot {
    /// The text of the cell covering this position ("" when empty).
    pub text: String,
    /// The covering cell starts in this row.
    pub first_row: bool,
    /// The covering cell starts in this column.
    pub first_col: bool,
    /// The covering cell ends in this row.
    pub last_row: bool,
    /// The covering cell's column span.
    pub c0: usize,
    pub c1: usize,
}

/// A grid with its words placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Filled {
    pub grid: Grid,
    /// Per grid cell, its words.
    pub cell_words: Vec<Vec<Word>>,
}

/// Step 1: take the words inside `grid` out of `words` and place them in its cells.
pub fn fill(grid: Grid, words: &mut Vec<Word>) -> Filled {
    let mut cell_words: Vec<Vec<Word>> = vec![Vec::new(); grid.cells.len()];
    let mut rest = Vec::with_capacity(words.len());
    for w in words.drain(..) {
        let (x, y) = (w.cx(), w.cy());
        if !grid.contains(x, y, 1.0) || grid.cells.is_empty() {
            rest.push(w);
            continue;
        }
        let k = grid
            .cells
            .iter()
            .position(|c| grid.cell_contains(c, x, y))
            .unwrap_or_else(|| nearest(&grid, x, y));
        cell_words[k].push(w);
    }
    *words = rest;
    Filled { grid, cell_words }
}

fn nearest(g: &Grid, x: f32, y: f32) -> usize {
    let mut best = (f32::INFINITY, 0);
    for (k, c) in g.cells.iter().enumerate() {
        let (x0, x1, top, bottom) = g.cell_box(c);
        let dx = if x < x0 { x0 - x } else if x > x1 { x - x1 } else { 0.0 };
        let dy = if y > top { y - top } else if y < bottom { bottom - y } else { 0.0 };
        let d = dx * dx + dy * dy;
        if d < best.0 {
            best = (d, k);
        }
    }
    best.1
}

impl Filled {
    /// The text of every cell.
    pub fn texts(&self) -> Vec<String> {
        self.cell_words.iter().map(|w| join_words(w)).collect()
    }

    /// Every grid position with the cell covering it.
    pub fn slots(&self) -> Vec<Vec<Slot>> {
        let texts = self.texts();
        let mut out = vec![vec![Slot::default(); self.grid.ncols()]; self.grid.nrows()];
        for (k, c) in self.grid.cells.iter().enumerate() {
            for (r, row) in out.iter_mut().enumerate().take(c.r1).skip(c.r0) {
                for (col, s) in row.iter_mut().enumerate().take(c.c1).skip(c.c0) {
                    *s = Slot {
                        text: texts[k].clone(),
                        first_row: r == c.r0,
                        first_col: col == c.c0,
                        last_row: r + 1 == c.r1,
                        c0: c.c0,
                        c1: c.c1,
                    };
                }
            }
        }
        out
    }
}

/// A table with its header read, ready to become a [`crate::model::Table`].
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// First and last page.
    pub page: u32,
    pub last_page: u32,
    /// Top of the table on its first page, bottom on its last page (points, y up).
    pub top: f32,
    pub bottom: f32,
    /// Column boundaries (of the first page's grid).
    pub xs: Vec<f32>,
    /// Rows spanning the whole table above the header (a title printed inside the frame).
    pub captions: Vec<String>,
    /// Label–value rows of a form printed inside the frame above the header
    /// (`项目名称 | X | 项目性质 | Y`): (printed label, value) pairs.
    pub fields: Vec<(String, String)>,
    /// Per column, the header path (`收入/项目名称`); "" where no header cell stands.
    pub header: Vec<String>,
    /// The header rows themselves (restored as body rows when a continuation's "header"
    /// turns out to be body rows without numbers).
    pub header_rows: Vec<Vec<Slot>>,
    /// Body rows.
    pub rows: Vec<Vec<Slot>>,
    /// `lattice` or `stream`.
    pub method: &'static str,
    /// Pages whose repeated header rows were dropped.
    pub repeated_header_dropped: Vec<u32>,
    /// The texts of the dropped header cells, as printed.
    pub dropped_header_text: Vec<String>,
    /// Every word the table holds.
    pub words: Vec<Word>,
}

fn is_code(t: &str) -> bool {
    let t = t.trim();
    (1..=9).contains(&t.len()) && t.chars().all(|c| c.is_ascii_digit())
}

fn is_number(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty() && !crate::cell::is_blank(t) && is_value(t)
}

/// Is row `r` a body row (holds a number or a subject code, or is empty)?
fn is_body_row(row: &[Slot], prev: Option<&[Slot]>, soft: bool) -> bool {
    let ncols = row.len();
    let spans_all = |s: &Slot| s.c0 == 0 && s.c1 >= ncols;
    if row.iter().all(|s| s.text.trim().is_empty() || crate::cell::is_blank(&s.text)) {
        return true;
    }
    if row.iter().any(|s| s.first_row && s.first_col && !spans_all(s) && (is_number(&s.text) || is_code(&s.text))) {
        return true;
    }
    if !soft {
        return false;
    }
    // Below the first header row: a total row, a numbered row, or an empty-table remark
    // starts the body even without numbers (a table printed with no data). The row's first
    // cell with text must be one row high and stand in the first column or under a header
    // cell of its own column alone (小计 under a merged group is a header).
    let first = row
        .iter()
        .enumerate()
        .find(|(_, s)| !s.text.trim().is_empty())
        .filter(|(c, s)| {
            s.first_row
                && s.last_row
                && s.first_col
                && (*c == 0 || prev.is_some_and(|p| p.get(*c).is_some_and(|q| q.c1 - q.c0 == 1 && !q.text.trim().is_empty())))
        })
        .map(|(_, s)| s.text.trim())
        .unwrap_or("");
    let c: String = first.chars().filter(|c| !c.is_whitespace()).collect();
    TOTAL_WORDS.iter().any(|w| c == *w)
        || EMPTY_REMARKS.iter().any(|w| c.contains(w))
        || crate::grammar::rows::split_code(&c).0.is_some_and(|code| !code.chars().all(|ch| ch.is_ascii_digit()))
}

/// Row labels that are totals in every budget table.
const TOTAL_WORDS: &[&str] = &["合计", "总计", "小计", "收入合计", "支出合计", "收入总计", "支出总计"];
/// Remarks printed inside a table that has no data.
const EMPTY_REMARKS: &[&str] = &["无数据", "为空", "空表"];

/// Step 2: captions, header and body of a filled grid.
pub fn structure(f: &Filled, method: &'static str) -> Found {
    let slots = f.slots();
    let ncols = f.grid.ncols();
    let mut r = 0;
    let mut captions = Vec::new();
    while r < slots.len() && ncols > 1 && slots[r].iter().all(|s| s.c0 == 0 && s.c1 >= ncols) {
        if slots[r][0].first_row && !slots[r][0].text.is_empty() {
            captions.push(slots[r][0].text.clone());
        }
        r += 1;
    }
    // Form rows: label–value pairs, opened by a known field label.
    let mut fields = Vec::new();
    let mut form = false;
    while r < slots.len() {
        let Some(pairs) = field_pairs(&slots[r]) else { break };
        if !form && crate::grammar::vocab::field_key(&pairs[0].0).is_none() {
            break;
        }
        form = true;
        fields.extend(pairs);
        r += 1;
    }
    let h0 = r;
    while r < slots.len() && !is_body_row(&slots[r], r.checked_sub(1).map(|p| slots[p].as_slice()), r > h0) {
        r += 1;
    }
    // No body row at all: a table printed with its header only (本表无数据); its rows with
    // text are all header, unless there is just one row of cells.
    let header_rows = h0..r;
    let header = header_paths(&slots[header_rows.clone()], ncols);
    let header_rows = header_rows.clone();
    let words: Vec<Word> = f.cell_words.iter().flatten().cloned().collect();
    Found {
        page: f.grid.page,
        last_page: f.grid.page,
        top: f.grid.top(),
        bottom: f.grid.bottom(),
        xs: f.grid.xs.clone(),
        captions,
        fields,
        header,
        header_rows: slots[header_rows].to_vec(),
        rows: slots[r..].to_vec(),
        method,
        repeated_header_dropped: Vec::new(),
        dropped_header_text: Vec::new(),
        words,
    }
}

/// A form row's (label, value) pairs: an even number of cells, each label short text and
/// no value a column header word (`项目名称 | 金额` is a header, not a field).
fn field_pairs(row: &[Slot]) -> Option<Vec<(String, String)>> {
    let cells: Vec<&str> = row.iter().filter(|s| s.first_row && s.first_col).map(|s| s.text.trim()).collect();
    if cells.len() < 2 || !cells.len().is_multiple_of(2) {
        return None;
    }
    let mut out = Vec::new();
    for p in cells.chunks(2) {
        let (l, v) = (p[0], p[1]);
        let short = !l.is_empty() && l.chars().count() <= 10 && !is_number(l) && !is_code(l);
        if !short || crate::grammar::columns::is_header_word(v) || v.is_empty() {
            return None;
        }
        out.push((l.to_string(), v.to_string()));
    }
    Some(out)
}

/// Per column, the distinct header cells above it, top to bottom, joined with `/`.
pub fn header_paths(rows: &[Vec<Slot>], ncols: usize) -> Vec<String> {
    (0..ncols)
        .map(|c| {
            let mut parts: Vec<&str> = Vec::new();
            for row in rows {
                let s = &row[c];
                let t = s.text.trim();
                if t.is_empty() || (!s.first_row && parts.last() == Some(&t)) {
                    continue;
                }
                if parts.last() != Some(&t) {
                    parts.push(t);
                }
            }
            parts.join("/")
        })
        .collect()
}

/// Step 3a: does `next` (first table of its page, no title above it) continue `prev`?
/// Same number of columns with boundaries within a few points, on the next page.
pub fn continues(prev: &Found, next: &Found) -> bool {
    if next.page != prev.last_page + 1 || prev.xs.len() != next.xs.len() || !next.captions.is_empty() {
        return false;
    }
    let tol = 3.0;
    prev.xs.iter().zip(&next.xs).all(|(a, b)| (a - b).abs() <= tol)
}

/// Step 3b: append a continuation; its repeated header is dropped (recorded).
pub fn append(prev: &mut Found, next: Found) {
    if next.header.iter().any(|h| !h.is_empty()) {
        if next.header == prev.header {
            prev.repeated_header_dropped.push(next.page);
            for row in &next.header_rows {
                for s in row.iter().filter(|s| s.first_row && s.first_col && !s.text.is_empty()) {
                    prev.dropped_header_text.push(s.text.clone());
                }
            }
        } else {
            // Not a repeat: rows without numbers at the top of the continued page.
            prev.rows.extend(next.header_rows);
        }
    }
    prev.last_page = next.last_page;
    prev.bottom = next.bottom;
    prev.rows.extend(next.rows);
    prev.words.extend(next.words);
}

impl Grid {
    /// Is (x, y) inside the grid, `tol` points of slack?
    pub fn contains(&self, x: f32, y: f32, tol: f32) -> bool {
        x >= self.x0() - tol && x <= self.x1() + tol && y <= self.top() + tol && y >= self.bottom() - tol
    }
    /// (x0, x1, top, bottom) of a cell.
    pub fn cell_box(&self, c: &GridCell) -> (f32, f32, f32, f32) {
        let g = |v: &[f32], i: usize| v.get(i).copied().unwrap_or(0.0);
        (g(&self.xs, c.c0), g(&self.xs, c.c1), g(&self.ys, c.r0), g(&self.ys, c.r1))
    }
    pub fn cell_contains(&self, c: &GridCell, x: f32, y: f32) -> bool {
        let (x0, x1, top, bottom) = self.cell_box(c);
        x >= x0 && x < x1 && y <= top && y > bottom
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table_finder::lattice;
    use crate::table_finder::rows::page_words;
    use crate::table_finder::rows::tests::line;
    use crate::token::Rule;

    fn r(x0: f32, y0: f32, x1: f32, y1: f32) -> Rule {
        Rule { page: 1, x0, y0, x1, y1 }
    }

    /// 收入 (merged over two columns) / 项目 金额 / rows.
    fn ruled() -> (Vec<Rule>, Vec<crate::token::Line>) {
        let mut rules = vec![];
        for y in [100.0, 80.0, 60.0, 40.0, 20.0] {
            rules.push(r(10.0, y, 210.0, y));
        }
        rules.push(r(10.0, 20.0, 10.0, 100.0));
        rules.push(r(110.0, 20.0, 110.0, 80.0));
        rules.push(r(210.0, 20.0, 210.0, 100.0));
        let lines = vec![
            line(1, 1, 45.0, &[("一、财政", 15.0, 60.0), ("13.00", 170.0, 200.0)]),
            line(2, 1, 87.0, &[("收入", 90.0, 130.0)]),
            line(3, 1, 67.0, &[("项目", 40.0, 60.0), ("金额", 150.0, 170.0)]),
            line(4, 1, 25.0, &[("1.拨款", 15.0, 50.0), ("13.00", 170.0, 200.0)]),
            line(5, 1, 150.0, &[("表题", 15.0, 50.0)]),
        ];
        (rules, lines)
    }

    #[test]
    fn header_paths_and_body() {
        let (rules, lines) = ruled();
        let g = lattice::grids(&rules, 1).remove(0);
        let mut words = page_words(&lines).remove(0).1;
        let f = fill(g, &mut words);
        assert_eq!(words.len(), 1, "the word outside the grid stays");
        let t = structure(&f, "lattice");
        assert_eq!(t.captions, ["收入"], "a row spanning the whole frame is a caption");
        assert_eq!(t.header, ["项目", "金额"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0][0].text, "一、财政");
        assert_eq!(t.rows[1][1].text, "13.00");
    }

    #[test]
    fn header_path_of_merged_group() {
        let s = |t: &str, first_row: bool, c0: usize, c1: usize, c: usize| Slot {
            text: t.into(),
            first_row,
            first_col: c == c0,
            last_row: true,
            c0,
            c1,
        };
        let rows = vec![
            vec![s("项目", true, 0, 1, 0), s("支出", true, 1, 3, 1), s("支出", true, 1, 3, 2)],
            vec![s("项目", false, 0, 1, 0), s("公务用车运行维护费", true, 1, 2, 1), s("金额", true, 2, 3, 2)],
        ];
        assert_eq!(header_paths(&rows, 3), ["项目", "支出/公务用车运行维护费", "支出/金额"]);
    }

    #[test]
    fn form_rows_are_pairs() {
        let s = |t: &str, c: usize| Slot { text: t.into(), first_row: true, first_col: true, last_row: true, c0: c, c1: c + 1 };
        let row = vec![s("项目名称", 0), s("社区服务中心", 1), s("项目性质", 2), s("阶段性项目", 3)];
        assert_eq!(
            field_pairs(&row),
            Some(vec![("项目名称".into(), "社区服务中心".into()), ("项目性质".into(), "阶段性项目".into())])
        );
        // A two-column header is no form row.
        assert_eq!(field_pairs(&[s("项目名称", 0), s("金额", 1)]), None);
        assert_eq!(field_pairs(&[s("合计", 0), s("1.00", 1), s("2.00", 2)]), None);
    }

    #[test]
    fn empty_table_keeps_its_header() {
        let (rules, mut lines) = ruled();
        lines.retain(|l| l.number == 2 || l.number == 3);
        let g = lattice::grids(&rules, 1).remove(0);
        let mut words = page_words(&lines).remove(0).1;
        let t = structure(&fill(g, &mut words), "lattice");
        assert_eq!(t.header, ["项目", "金额"]);
        assert!(t.rows.iter().flatten().all(|s| s.text.is_empty()));
    }

    #[test]
    fn continuation_drops_repeated_header() {
        let (rules, lines) = ruled();
        let g = lattice::grids(&rules, 1).remove(0);
        let mut words = page_words(&lines).remove(0).1;
        let mut a = structure(&fill(g.clone(), &mut words), "lattice");
        let mut b = a.clone();
        b.page = 2;
        b.last_page = 2;
        assert!(!continues(&a, &b), "a table with its own caption starts anew");
        b.captions.clear();
        assert!(continues(&a, &b));
        append(&mut a, b);
        assert_eq!(a.rows.len(), 4);
        assert_eq!(a.repeated_header_dropped, [2]);
        let mut c = a.clone();
        c.page = 4;
        assert!(!continues(&a, &c), "a page apart");
    }
}

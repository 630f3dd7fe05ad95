//! Text copied from a web page's table (“flattened” text) → [`Grid`]s.
//!
//! A browser copies an HTML table as its cells in document order, each followed by a `|`
//! (a cell's own line breaks kept), an empty cell as a lone `|`, and often a line of pipes
//! only (`||||`) where a row ends. What the copy loses is the spans: a cell spanning rows
//! is printed once, in its first row. The steps, each a function:
//! 1. [`cells`]: the text cut into cells and row ends; the lines before the first `|` are
//!    free lines (marker, title, unit);
//! 2. [`rows`]: cells grouped into rows at the row ends; a run holding an indicator header
//!    and more cells than it is cut into rows of the header's width (forms that print every
//!    cell, empty ones included);
//! 3. [`to_grid`]: rows aligned to the right (the cells a row lacks are the spanning labels
//!    at its left), one grid.
//!
//! Hand-written: no crate reads this format; the rules are ours.

use super::{Grid, GridCell, GridDoc, Origin};
use crate::forms::columns;

/// Is this copied table text whose rows can be rebuilt? Most of its non-empty lines start
/// or end with a `|`, and it marks row ends (lines of pipes only). A copy without row ends
/// (its line breaks fall inside rows) is read as a text dump.
pub fn is_flat_table(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let piped = lines.iter().filter(|l| l.starts_with('|') || l.ends_with('|')).count();
    let row_ends = lines.iter().filter(|l| l.len() >= 2 && l.chars().all(|c| c == '|')).count();
    lines.len() >= 8 && piped * 3 >= lines.len() && row_ends >= 2
}

/// One item of the copy.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A line before the table.
    Free(String),
    /// A cell's printed lines (empty for an empty cell).
    Cell(Vec<String>),
    /// A line of pipes only: the end of a row.
    RowEnd,
}

/// Step 1: the copy as free lines, cells and row ends.
pub fn cells(text: &str) -> Vec<Item> {
    let mut out = Vec::new();
    let mut started = false;
    let mut cur: Vec<String> = Vec::new();
    for raw in text.lines() {
        let line = raw.trim();
        if !started && !line.contains('|') {
            if !line.is_empty() {
                out.push(Item::Free(line.to_string()));
            }
            continue;
        }
        if !started && line == "|" {
            // The first cell's text stands on the line before its `|`.
            if let Some(Item::Free(t)) = out.last().cloned() {
                out.pop();
                cur.push(t);
            }
        }
        started = true;
        if line.len() >= 2 && line.chars().all(|c| c == '|') {
            if !cur.is_empty() {
                out.push(Item::Cell(std::mem::take(&mut cur)));
            }
            out.push(Item::RowEnd);
            continue;
        }
        // Every `|` closes the cell before it, across line ends: what stands between two
        // pipes is a cell, empty when it is only white space (`10 |` ⏎ `| 时效` holds one).
        let pieces: Vec<&str> = line.split('|').collect();
        for (k, p) in pieces.iter().enumerate() {
            let p = p.trim();
            if !p.is_empty() {
                cur.push(p.to_string());
            }
            if k + 1 < pieces.len() {
                out.push(Item::Cell(std::mem::take(&mut cur)));
            }
        }
    }
    if !cur.is_empty() {
        out.push(Item::Cell(cur));
    }
    out
}

/// How many cells at the start of `row` form an indicator header (the last cell that maps
/// to an indicator key, when at least three do), or `None`.
fn header_width(row: &[Vec<String>]) -> Option<usize> {
    let mapped: Vec<usize> = row
        .iter()
        .enumerate()
        .filter(|(_, c)| columns::indicator_key(&c.join("")).is_some())
        .map(|(i, _)| i)
        .take_while(|&i| i < 16)
        .collect();
    (mapped.len() >= 3).then(|| mapped[mapped.len() - 1] + 1)
}

/// Step 2: cells grouped into rows.
pub fn rows(items: &[Item]) -> Vec<Vec<Vec<String>>> {
    let mut runs: Vec<Vec<Vec<String>>> = vec![Vec::new()];
    for it in items {
        match it {
            Item::Cell(c) => runs.last_mut().map(|r| r.push(c.clone())).unwrap_or_default(),
            Item::RowEnd => runs.push(Vec::new()),
            Item::Free(_) => {}
        }
    }
    let mut out = Vec::new();
    let mut width: Option<usize> = None;
    for run in runs.into_iter().filter(|r| r.iter().any(|c| !c.is_empty())) {
        match header_width(&run) {
            Some(w) if run.len() > w => {
                out.push(run[..w].to_vec());
                out.extend(run[w..].chunks(w).map(<[Vec<String>]>::to_vec));
                width = Some(w);
            }
            Some(w) => {
                width = Some(w);
                out.push(run);
            }
            None => match width {
                // After a header: a long run of cells is rows of its width.
                Some(w) if run.len() > w + w / 2 => out.extend(run.chunks(w).map(<[Vec<String>]>::to_vec)),
                _ => out.push(run),
            },
        }
    }
    out
}

/// Step 3: rows aligned right in one grid.
pub fn to_grid(rows: &[Vec<Vec<String>>]) -> Option<Grid> {
    let ncols = rows.iter().map(Vec::len).max()?;
    let mut cells = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let shift = ncols - row.len();
        for (k, c) in row.iter().enumerate() {
            cells.push(GridCell { row: r, col: shift + k, rowspan: 1, colspan: 1, lines: c.clone(), bbox: None });
        }
    }
    Some(Grid::of_columns(Origin::Html, rows.len(), ncols, cells))
}

/// Read copied table text: the free lines before the table, then the table.
pub fn read(text: &str) -> GridDoc {
    let items = cells(text);
    let mut grids: Vec<Grid> = items
        .iter()
        .filter_map(|i| match i {
            Item::Free(t) => Some(Grid::line(t.clone(), None, None, 0.0, 1.0, Origin::Html)),
            _ => None,
        })
        .collect();
    let mut diagnostics = Vec::new();
    let rows = rows(&items);
    if let Some(g) = to_grid(&rows) {
        diagnostics.push(crate::model::Diagnostic::info(
            "flat_table_read",
            format!("copied table text read as {} row(s) of up to {} cells, rows aligned right (cells spanning rows are printed once)", g.nrows, g.ncols),
            None,
        ));
        grids.push(g);
    }
    GridDoc { grids, pages: None, diagnostics }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[Vec<Vec<String>>]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.join("")).collect()).collect()
    }

    #[test]
    fn cells_rows_and_row_ends() {
        let t = "附件1\n标题\n项目名称\n|\n春节走访\n|\n||||\n预算执行情况\n(20分)\n|\n|\n预算数\n|\n|||\n";
        let items = cells(t);
        assert_eq!(items[0], Item::Free("附件1".into()));
        let r = texts(&rows(&items));
        assert_eq!(r, [vec!["项目名称", "春节走访"], vec!["预算执行情况(20分)", "", "预算数"]]);
    }

    #[test]
    fn a_run_after_an_indicator_header_is_cut_at_its_width() {
        let mut t = String::from("a |\nb |\n||\n");
        for c in ["", "一级指标", "二级指标", "三级指标", "分值", "得分", "", "产出", "数量", "人数", "5", "5", "", "", "", "质量", "5", "4"] {
            t.push_str(&format!("{c} |\n"));
        }
        let r = texts(&rows(&cells(&t)));
        assert_eq!(r.len(), 4, "{r:?}");
        assert_eq!(r[2], ["", "产出", "数量", "人数", "5", "5"]);
        assert_eq!(r[3], ["", "", "", "质量", "5", "4"]);
    }

    #[test]
    fn only_copies_that_mark_row_ends_are_read_as_tables() {
        let marked = "a |\nb |\n||||\nc |\nd |\n|||\ne |\nf |\n||\n";
        assert!(is_flat_table(marked));
        let unmarked = "| a | b |\n|\n| c | d |\n|\n| e |\n| f |\n| g |\n| h |\n";
        assert!(!is_flat_table(unmarked));
        assert!(!is_flat_table("附件1\n2024年度项目支出绩效自评表\n项目名称 业务工作经费项目\n"));
    }

    #[test]
    fn short_rows_align_right() {
        let rows = vec![vec![vec!["一级".to_string()], vec!["二级".into()], vec!["得分".into()]], vec![vec!["数量".to_string()], vec!["5".into()]]];
        let g = to_grid(&rows).unwrap();
        assert_eq!(g.cells[3].col, 1);
        assert_eq!(g.cells[4].col, 2);
    }
}

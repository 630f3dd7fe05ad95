//! Step 2b — stream: column boundaries from text alignment (pages without ruling lines).
//!
//! 1. [`is_tabular`]: a visual row is tabular when it holds at least two words, one of
//!    them a number (an amount, a percentage, a dash), and no leader dots (a table of
//!    contents is not a table);
//! 2. [`regions`]: runs of tabular rows, allowing up to two text-only rows inside a run
//!    (section rows, wrapped labels), make a table body when they hold three tabular rows
//!    or more; up to three rows right above it (no wider gap than three lines) whose words
//!    sit over the body's columns are its header;
//! 3. [`columns`]: the body words' horizontal extents are projected onto the x axis; every
//!    gap in that projection separates two columns (numbers are right-aligned and labels
//!    left-aligned, so the gaps are where the columns are);
//! 4. [`to_grid`]: column boundaries at the middle of each gap, row boundaries halfway
//!    between rows, one cell per row and column — the same [`Grid`] the lattice step
//!    gives, so the rest of the pipeline is shared.

use super::rows::VRow;
use super::{Grid, GridCell};
use crate::grammar::rows::is_value;

/// Minimum tabular rows for a table body.
const MIN_ROWS: usize = 3;
/// Text-only rows allowed inside a run.
const MAX_GAP_ROWS: usize = 2;
/// Header rows looked for above a body (a header cell's lines are centred, so one printed
/// header row can take several visual rows).
const MAX_HEADER_ROWS: usize = 6;
/// Alignment tolerance (points) of the words of one column.
const ALIGN: f32 = 2.0;
/// A word longer than this (characters) is prose, not a cell.
const MAX_WORD: usize = 30;

/// Step 1.
pub fn is_tabular(r: &VRow) -> bool {
    if r.words.len() < 2 || r.words.iter().any(|w| w.text.contains("……") || w.text.contains("...") || w.text.chars().count() > MAX_WORD) {
        return false;
    }
    // A number counts when it stands apart from text: at least one character's width from
    // a text word on either side (digits inside prose sit a space away from the words
    // around them); numbers side by side may be closer.
    (1..r.words.len()).any(|k| {
        let w = &r.words[k];
        let em = w.size.max(1.0);
        let p = &r.words[k - 1];
        let before = is_value(&p.text) || w.x0 - p.x1 >= em;
        let after = r.words.get(k + 1).is_none_or(|n| is_value(&n.text) || n.x0 - w.x1 >= em);
        is_value(&w.text) && before && after
    })
}

/// Step 2: (header rows, body rows) as index ranges into `rows`.
pub fn regions(rows: &[VRow]) -> Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        if !is_tabular(&rows[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        let mut count = 1;
        let mut j = i + 1;
        let mut gap = 0;
        while j < rows.len() {
            if is_tabular(&rows[j]) {
                count += 1;
                end = j + 1;
                gap = 0;
            } else if aligned(&rows[j], &rows[start..end]) {
                // A row without numbers whose words all start where words of the run's
                // rows start (a label printed alone in its column) stays in the table.
                end = j + 1;
                gap = 0;
            } else {
                gap += 1;
                if gap > MAX_GAP_ROWS {
                    break;
                }
            }
            j += 1;
        }
        if count >= MIN_ROWS {
            let body_x0 = rows[start..end].iter().map(|r| r.x0()).fold(f32::INFINITY, f32::min);
            let body_x1 = rows[start..end].iter().map(|r| r.x1()).fold(f32::NEG_INFINITY, f32::max);
            let mut h = start;
            while h > 0 && start - h < MAX_HEADER_ROWS {
                let r = &rows[h - 1];
                let below = &rows[h];
                let gap = r.cy - below.cy;
                // A header row has several words (it may reach past the body: headers of
                // columns left empty); a lone word is a title unless it stands within the
                // body's extent.
                let size = r.size().max(below.size());
                let lone_inside = r.words.len() == 1
                    && ((r.x0() >= body_x0 - 5.0 && r.x1() <= body_x1 + 5.0) || gap <= 1.5 * size);
                let inside = (r.words.len() >= 2 || lone_inside) && !super::heads::is_head_material(r);
                let prev_end = out.last().map(|(_, b): &(std::ops::Range<usize>, std::ops::Range<usize>)| b.end).unwrap_or(0);
                if h - 1 < prev_end || gap > 2.5 * size || !inside {
                    break;
                }
                h -= 1;
            }
            out.push((h..start, start..end));
        }
        i = end.max(i + 1);
    }
    out
}

/// Do all words of `r` start (or end, for right-aligned numbers) where some word of
/// `rows` does, within 2 points?
fn aligned(r: &VRow, rows: &[VRow]) -> bool {
    let tol = 2.0;
    r.words.iter().all(|w| {
        rows.iter()
            .flat_map(|o| o.words.iter())
            .any(|o| (o.x0 - w.x0).abs() <= tol || (o.x1 - w.x1).abs() <= tol && is_value(&w.text))
    }) && !super::heads::is_head_material(r)
}

/// Step 3: column boundaries from the body rows' words. Numbers are grouped by their
/// right edge and text by its left edge (within [`ALIGN`] points); groups whose extents
/// overlap are one column (an indented label, a centred word). Two columns of numbers that
/// almost touch stay apart because their right edges differ.
pub fn columns(body: &[VRow], header: &[VRow]) -> Vec<f32> {
    struct Group {
        lo: f32,
        hi: f32,
        anchor: f32,
        right: bool,
    }
    let mut words: Vec<&super::rows::Word> = body.iter().flat_map(|r| r.words.iter()).collect();
    words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut groups: Vec<Group> = Vec::new();
    for w in words {
        let right = is_value(&w.text);
        let anchor = if right { w.x1 } else { w.x0 };
        match groups.iter_mut().find(|g| g.right == right && (g.anchor - anchor).abs() <= ALIGN) {
            Some(g) => {
                g.lo = g.lo.min(w.x0);
                g.hi = g.hi.max(w.x1);
            }
            None => groups.push(Group { lo: w.x0, hi: w.x1, anchor, right }),
        }
    }
    // A header word over no body column belongs to the nearest body column when that one
    // has no header word over it (a header centred beside right-aligned numbers); else it
    // opens a column of its own (a column left empty).
    let hwords: Vec<&super::rows::Word> = header.iter().flat_map(|r| r.words.iter()).collect();
    let nbody = groups.len();
    for w in &hwords {
        if groups.iter().any(|g| w.x0 < g.hi && w.x1 > g.lo) {
            continue;
        }
        let dist = |g: &Group| if w.x1 <= g.lo { g.lo - w.x1 } else { w.x0 - g.hi };
        let nearest = (0..nbody).min_by(|&a, &b| dist(&groups[a]).total_cmp(&dist(&groups[b])));
        let headed = |g: &Group| hwords.iter().any(|h| h.x0 < g.hi && h.x1 > g.lo);
        match nearest {
            Some(k) if !headed(&groups[k]) => {
                groups[k].lo = groups[k].lo.min(w.x0);
                groups[k].hi = groups[k].hi.max(w.x1);
            }
            _ => groups.push(Group { lo: w.x0, hi: w.x1, anchor: w.x0, right: false }),
        }
    }
    groups.sort_by(|a, b| a.lo.total_cmp(&b.lo));
    let mut merged: Vec<(f32, f32)> = Vec::new();
    for g in groups {
        match merged.last_mut() {
            Some(m) if g.lo < m.1 - ALIGN => m.1 = m.1.max(g.hi),
            _ => merged.push((g.lo, g.hi)),
        }
    }
    // A column no word's centre falls in (a header word that straddles two columns) is
    // merged into its neighbour.
    let centres: Vec<f32> = body.iter().chain(header).flat_map(|r| r.words.iter().map(|w| w.cx())).collect();
    if merged.len() > 1 {
        merged.retain(|m| centres.iter().any(|&c| c >= m.0 && c <= m.1));
    }
    let mut xs = Vec::with_capacity(merged.len() + 1);
    if let Some(f) = merged.first() {
        xs.push(f.0 - 1.0);
    }
    for w in merged.windows(2) {
        xs.push((w[0].1 + w[1].0) / 2.0);
    }
    if let Some(l) = merged.last() {
        xs.push(l.1 + 1.0);
    }
    xs
}

/// Step 4: a one-cell-per-position grid over `rows` with column boundaries `xs`.
pub fn to_grid(page: u32, rows: &[VRow], mut xs: Vec<f32>) -> Grid {
    // Header words may reach past the body's columns.
    if let Some(f) = xs.first_mut() {
        *f = f.min(rows.iter().map(|r| r.x0()).fold(f32::INFINITY, f32::min) - 1.0);
    }
    if let Some(l) = xs.last_mut() {
        *l = l.max(rows.iter().map(|r| r.x1()).fold(f32::NEG_INFINITY, f32::max) + 1.0);
    }
    let mut ys = Vec::with_capacity(rows.len() + 1);
    if let Some(f) = rows.first() {
        ys.push(f.top() + 1.0);
    }
    for w in rows.windows(2) {
        ys.push((w[0].bottom().min(w[0].cy) + w[1].top().max(w[1].cy)) / 2.0);
    }
    if let Some(l) = rows.last() {
        ys.push(l.bottom() - 1.0);
    }
    let ncols = xs.len().saturating_sub(1);
    let cells = (0..rows.len())
        .flat_map(|r| (0..ncols).map(move |c| GridCell { r0: r, r1: r + 1, c0: c, c1: c + 1 }))
        .collect();
    Grid { page, xs, ys, cells }
}

/// All stream grids of one page's rows, top to bottom.
pub fn grids(page: u32, rows: &[VRow]) -> Vec<Grid> {
    regions(rows)
        .into_iter()
        .filter_map(|(h, b)| {
            let xs = columns(&rows[b.clone()], &rows[h.clone()]);
            (xs.len() >= 3).then(|| to_grid(page, &rows[h.start..b.end], xs))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table_finder::rows::tests::line;
    use crate::table_finder::rows::{page_words, visual_rows};
    use crate::table_finder::tables::{fill, structure};

    #[test]
    fn columns_from_alignment() {
        let lines = vec![
            line(1, 1, 700.0, &[("说明文字一段，没有数字。", 50.0, 400.0)]),
            line(2, 1, 660.0, &[("项目", 60.0, 80.0), ("预算数", 200.0, 230.0), ("决算数", 300.0, 330.0)]),
            line(3, 1, 640.0, &[("合计", 50.0, 70.0), ("1,234.00", 190.0, 232.0), ("99.00", 310.0, 332.0)]),
            line(4, 1, 620.0, &[("一、基本支出", 50.0, 110.0), ("34.00", 205.0, 232.0), ("9.00", 315.0, 332.0)]),
            line(5, 1, 600.0, &[("二、项目支出", 50.0, 110.0), ("1,200.00", 190.0, 232.0), ("90.00", 310.0, 332.0)]),
            line(6, 1, 560.0, &[("注：本表反映……", 50.0, 200.0)]),
        ];
        let rows = visual_rows(page_words(&lines).remove(0).1);
        let g = grids(1, &rows);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].ncols(), 3);
        assert_eq!(g[0].nrows(), 4);
        let mut words = page_words(&lines).remove(0).1;
        let t = structure(&fill(g[0].clone(), &mut words), "stream");
        assert_eq!(t.header, ["项目", "预算数", "决算数"]);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[2][1].text, "1,200.00");
        assert_eq!(words.len(), 2, "prose and note stay outside");
    }

    #[test]
    fn touching_number_columns_stay_apart() {
        let lines = vec![
            line(1, 1, 640.0, &[("合计", 50.0, 70.0), ("82,096,797.42", 150.0, 210.0), ("82,096,797.42", 210.5, 270.0)]),
            line(2, 1, 620.0, &[("行政运行", 50.0, 90.0), ("12,029,501.84", 150.0, 210.0), ("9,501.84", 235.0, 270.0)]),
            line(3, 1, 600.0, &[("事业运行", 60.0, 100.0), ("807,295.58", 164.0, 210.0), ("807,295.58", 224.0, 270.0)]),
        ];
        let rows = visual_rows(page_words(&lines).remove(0).1);
        let g = grids(1, &rows);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].ncols(), 3, "{:?}", g[0].xs);
    }

    #[test]
    fn prose_is_not_a_table() {
        let lines: Vec<_> = (0..6)
            .map(|k| line(k + 1, 1, 700.0 - 20.0 * k as f32, &[("一段说明文字，其中有2019年的数字12.5万元。", 50.0, 400.0)]))
            .collect();
        let rows = visual_rows(page_words(&lines).remove(0).1);
        assert!(grids(1, &rows).is_empty());
    }
}

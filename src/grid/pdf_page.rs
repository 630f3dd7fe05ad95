//! A PDF page's glyphs and ruling lines → [`Grid`]s, by position alone.
//!
//! The steps, each a function:
//! 1. [`lattice`](crate::table_finder::lattice): the page's ruling lines → ruled cell grids
//!    (edges, snap, intersections, cells, tables; merged cells as spans);
//! 2. [`place`]: each glyph goes to the cell whose box holds its centre;
//! 3. [`text_lines`]: a cell's glyphs (or the free glyphs of the page) are cut into lines
//!    by baseline and ordered by x: the text a reader sees, whatever order the content
//!    stream drew it in;
//! 4. text outside every ruled table becomes one-cell grids of origin [`Origin::Line`],
//!    one per visual line.
//!
//! Hand-written: the rules are small and ours; the lattice step follows the classic
//! edge-intersection method (see `table_finder::lattice`).

use super::{BBox, Grid, GridCell, GridDoc, Origin};
use crate::table_finder::lattice;
use crate::token::{Line, PlacedGlyph, Rule, Token};

/// Tolerances of the geometry steps, in ems of the glyphs concerned (never fixed points).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeometrySettings {
    /// Positional lines: a gap wider than this many ems cuts a token.
    pub token_gap_em: f32,
    /// Positional lines: a baseline step down of more than this many font sizes leaves a
    /// blank line (a paragraph or row break).
    pub paragraph_em: f32,
    /// Two glyphs whose baselines differ by at most this many ems sit on one line.
    pub same_line_em: f32,
    /// A gap wider than this many ems between two glyphs of one line, with no space glyph
    /// drawn, still reads as a space (text outside tables: columns of a caption line).
    pub space_gap_em: f32,
    /// The glyph centre's height above the baseline, in ems (CJK fonts: about 0.35).
    pub centre_em: f32,
}

impl Default for GeometrySettings {
    fn default() -> Self {
        GeometrySettings { token_gap_em: 0.25, paragraph_em: 1.5, same_line_em: 0.5, space_gap_em: 1.0, centre_em: 0.35 }
    }
}

/// All grids of one page, top to bottom: ruled tables and free lines.
pub fn page_grids(glyphs: &[&PlacedGlyph], rules: &[Rule], page: u32, s: &GeometrySettings) -> (Vec<Grid>, usize) {
    let mut lattices = lattice::grids(rules, page);
    let closed: usize = lattices.iter_mut().map(close_open_cells).sum();
    let (placed, free) = place(glyphs, &lattices, s);
    let mut out: Vec<Grid> = Vec::new();
    for (lg, cells) in lattices.iter().zip(placed) {
        let mut gcells = Vec::with_capacity(lg.cells.len());
        for (c, gl) in lg.cells.iter().zip(cells) {
            let bbox = BBox { x0: lg.xs[c.c0], y0: lg.ys[c.r1], x1: lg.xs[c.c1], y1: lg.ys[c.r0] };
            let lines = text_lines(&gl, s, false).into_iter().map(|l| l.text).collect();
            gcells.push(GridCell { row: c.r0, col: c.c0, rowspan: c.r1 - c.r0, colspan: c.c1 - c.c0, lines, bbox: Some(bbox) });
        }
        out.push(Grid {
            origin: Origin::Lattice,
            page: Some(page),
            name: None,
            nrows: lg.nrows(),
            ncols: lg.ncols(),
            cells: gcells,
            xs: lg.xs.clone(),
            top: lg.top(),
        });
    }
    for l in text_lines(&free, s, true) {
        let bbox = BBox { x0: l.x0, y0: l.y - 0.12 * l.size, x1: l.x1, y1: l.y + 0.88 * l.size };
        out.push(Grid::line(l.text, Some(page), Some(bbox), l.x0, l.x1, Origin::Line));
    }
    out.sort_by(|a, b| b.top.total_cmp(&a.top));
    (out, closed)
}

/// A whole PDF as grids, page by page, and the share of its printed (non-space) glyphs
/// that lie inside ruled cells: how far the page geometry alone says where text belongs.
pub fn document(glyphs: &[PlacedGlyph], rules: &[Rule], pages: u32, s: &GeometrySettings) -> (GridDoc, f32) {
    let mut by_page: std::collections::BTreeMap<u32, Vec<&PlacedGlyph>> = std::collections::BTreeMap::new();
    for g in glyphs {
        by_page.entry(g.page).or_default().push(g);
    }
    let mut doc = GridDoc { grids: Vec::new(), pages: Some(pages), diagnostics: Vec::new() };
    let (mut inside, mut all) = (0usize, 0usize);
    for (page, gs) in by_page {
        let (grids, closed) = page_grids(&gs, rules, page, s);
        if closed > 0 {
            doc.diagnostics.push(crate::model::Diagnostic::info(
                "open_cells_closed",
                format!("{closed} cell(s) of a ruled table drawn without all four borders (a merged label cut by a page break) closed by the table's frame"),
                Some(crate::model::Position { page: Some(page), line: None }),
            ));
        }
        for g in &grids {
            let n: usize = g.cells.iter().map(|c| c.lines.iter().map(|l| l.chars().filter(|c| !c.is_whitespace()).count()).sum::<usize>()).sum();
            all += n;
            if g.origin == Origin::Lattice {
                inside += n;
            }
        }
        doc.grids.extend(grids);
    }
    (doc, if all == 0 { 0.0 } else { inside as f32 / all as f32 })
}

/// Step 1b: slots of a ruled grid that no drawn cell covers become cells, one per vertical
/// run in each column. An office suite draws no bottom border under a merged label that a
/// page break cuts (nor a top border over its continuation), so the lattice finds no cell
/// there; the label's text still lies inside the table's frame, in that column.
/// Returns how many cells it made.
pub fn close_open_cells(lg: &mut crate::table_finder::Grid) -> usize {
    let (nr, nc) = (lg.nrows(), lg.ncols());
    if nr == 0 || nc == 0 || nr.saturating_mul(nc) > MAX_SLOTS {
        return 0;
    }
    let before = lg.cells.len();
    let mut taken = vec![false; nr * nc];
    for c in &lg.cells {
        for r in c.r0..c.r1.min(nr) {
            for k in c.c0..c.c1.min(nc) {
                taken[r * nc + k] = true;
            }
        }
    }
    for k in 0..nc {
        let mut r = 0;
        while r < nr {
            if taken[r * nc + k] {
                r += 1;
                continue;
            }
            let r0 = r;
            while r < nr && !taken[r * nc + k] {
                r += 1;
            }
            lg.cells.push(crate::table_finder::GridCell { r0, r1: r, c0: k, c1: k + 1 });
        }
    }
    lg.cells.sort_by_key(|c| (c.r0, c.c0));
    lg.cells.len() - before
}

/// Slots (rows × columns) of one ruled grid beyond which it is not indexed (hostile input).
const MAX_SLOTS: usize = 200_000;

/// For each slot of a ruled grid, the cell covering it.
fn slot_index(lg: &crate::table_finder::Grid) -> Vec<Option<usize>> {
    let nc = lg.ncols();
    let mut idx = vec![None; lg.nrows().saturating_mul(nc).min(MAX_SLOTS)];
    for (k, c) in lg.cells.iter().enumerate() {
        for r in c.r0..c.r1 {
            for col in c.c0..c.c1 {
                if let Some(slot) = idx.get_mut(r * nc + col) {
                    slot.get_or_insert(k);
                }
            }
        }
    }
    idx
}

/// Step 2: the glyphs of each cell of each lattice (same order as `lattices` and their
/// cells), and the glyphs no cell holds.
#[allow(clippy::type_complexity)]
pub fn place<'g>(
    glyphs: &[&'g PlacedGlyph],
    lattices: &[crate::table_finder::Grid],
    s: &GeometrySettings,
) -> (Vec<Vec<Vec<&'g PlacedGlyph>>>, Vec<&'g PlacedGlyph>) {
    let mut placed: Vec<Vec<Vec<&PlacedGlyph>>> = lattices.iter().map(|g| vec![Vec::new(); g.cells.len()]).collect();
    let mut free = Vec::new();
    let index: Vec<Vec<Option<usize>>> = lattices.iter().map(slot_index).collect();
    'glyph: for &g in glyphs {
        let (cx, cy) = (g.x + g.adv / 2.0, g.y + s.centre_em * g.size);
        for (li, lg) in lattices.iter().enumerate() {
            if cx < lg.x0() || cx > lg.x1() || cy > lg.top() || cy < lg.bottom() {
                continue;
            }
            // Column and row by binary search on the grid's boundaries.
            let col = lg.xs.partition_point(|&x| x <= cx).saturating_sub(1);
            let row = lg.ys.partition_point(|&y| y >= cy).saturating_sub(1);
            if let Some(&Some(k)) = index[li].get(row * lg.ncols() + col.min(lg.ncols().saturating_sub(1))) {
                placed[li][k].push(g);
                continue 'glyph;
            }
        }
        free.push(g);
    }
    (placed, free)
}

/// Glyphs grouped by baseline, top to bottom, each group left to right. The order is a
/// total order on position (y, x, text): the drawing order never matters.
pub fn baselines<'g>(glyphs: &[&'g PlacedGlyph], s: &GeometrySettings) -> Vec<Vec<&'g PlacedGlyph>> {
    let mut gs: Vec<&PlacedGlyph> = glyphs.to_vec();
    gs.sort_by(|a, b| b.y.total_cmp(&a.y).then(by_position(a, b)));
    let mut lines: Vec<Vec<&PlacedGlyph>> = Vec::new();
    let mut line_y = f32::NAN;
    for g in gs {
        let tol = s.same_line_em * g.size.max(1.0);
        match lines.last_mut() {
            Some(l) if (line_y - g.y).abs() <= tol => l.push(g),
            _ => {
                line_y = g.y;
                lines.push(vec![g]);
            }
        }
    }
    for l in &mut lines {
        l.sort_by(|a, b| by_position(a, b));
    }
    lines
}

/// A total order on glyphs that uses every field (x, then text, size, advance, y): two
/// glyphs it ties are identical, so no result can depend on the order they were drawn in.
fn by_position(a: &PlacedGlyph, b: &PlacedGlyph) -> std::cmp::Ordering {
    a.x.total_cmp(&b.x)
        .then_with(|| a.text.cmp(&b.text))
        .then_with(|| a.size.total_cmp(&b.size))
        .then_with(|| a.adv.total_cmp(&b.adv))
        .then_with(|| a.y.total_cmp(&b.y))
}

/// A PDF's text as lines rebuilt from position (for the line grammars, when a page has no
/// ruled table): baselines top to bottom, tokens cut where the gap between two glyphs is
/// wider than `token_gap_em` or a space is drawn, a blank line where the baseline steps
/// down by more than `paragraph_em` font sizes.
pub fn positional_lines(glyphs: &[PlacedGlyph], s: &GeometrySettings) -> Vec<Line> {
    let mut by_page: std::collections::BTreeMap<u32, Vec<&PlacedGlyph>> = std::collections::BTreeMap::new();
    for g in glyphs {
        by_page.entry(g.page).or_default().push(g);
    }
    let mut out: Vec<Line> = Vec::new();
    for (page, gs) in by_page {
        let mut prev_y: Option<f32> = None;
        for l in baselines(&gs, s) {
            let size = l.iter().map(|g| g.size).fold(0.0f32, f32::max).max(1.0);
            let y = l[0].y;
            if prev_y.is_some_and(|p| p - y > s.paragraph_em * size) {
                out.push(Line { number: out.len() + 1, page: Some(page), y: None, size: None, starts_block: false, tokens: Vec::new() });
            }
            prev_y = Some(y);
            let mut tokens: Vec<Token> = Vec::new();
            let mut cur: Option<Token> = None;
            for g in &l {
                let space = g.text.chars().all(char::is_whitespace);
                let gap = cur.as_ref().is_some_and(|t| g.x - t.x1 > s.token_gap_em * g.size);
                if space || gap {
                    tokens.extend(cur.take());
                }
                if space {
                    continue;
                }
                let t = cur.get_or_insert_with(|| Token { text: String::new(), x0: g.x, x1: g.x, y: Some(g.y) });
                t.text.extend(g.text.chars().filter(|c| !c.is_control()));
                t.x1 = g.x + g.adv;
            }
            tokens.extend(cur);
            if !tokens.is_empty() {
                out.push(Line { number: out.len() + 1, page: Some(page), y: Some(y), size: Some(size), starts_block: false, tokens });
            }
        }
    }
    out
}

/// One visual line of text.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    /// Baseline.
    pub y: f32,
    pub size: f32,
}

/// Step 3: glyphs → lines, top to bottom, each left to right. Space glyphs inside a line
/// are kept as one space; with `gaps`, a wide gap with no space glyph is a space too.
pub fn text_lines(glyphs: &[&PlacedGlyph], s: &GeometrySettings, gaps: bool) -> Vec<TextLine> {
    let mut out = Vec::new();
    for l in baselines(glyphs, s) {
        let mut text = String::new();
        let mut space = false;
        let (mut x0, mut x1, mut prev_end) = (f32::NAN, f32::NAN, f32::NAN);
        let size = l.iter().map(|g| g.size).fold(0.0f32, f32::max);
        for g in &l {
            if g.text.chars().all(char::is_whitespace) {
                space = !text.is_empty();
                continue;
            }
            // The same glyph drawn twice on itself (fake bold) is one glyph.
            if !prev_end.is_nan() && g.x < prev_end - 0.5 * g.adv.max(0.1) && text.ends_with(g.text.as_str()) {
                continue;
            }
            if !text.is_empty() && (space || gaps && g.x - prev_end > s.space_gap_em * g.size) {
                text.push(' ');
            }
            space = false;
            if x0.is_nan() {
                x0 = g.x;
            }
            text.extend(g.text.chars().filter(|c| !c.is_control()));
            prev_end = g.x + g.adv;
            x1 = prev_end;
        }
        if !text.is_empty() {
            out.push(TextLine { text, x0, x1, y: l[0].y, size });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(x: f32, y: f32, t: &str) -> PlacedGlyph {
        PlacedGlyph { page: 1, x, y, adv: 10.0, size: 10.0, text: t.into() }
    }

    #[test]
    fn lines_come_from_positions_not_from_drawing_order() {
        let glyphs = [g(20.0, 100.0, "标"), g(0.0, 88.0, "二"), g(0.0, 100.0, "指"), g(10.0, 100.0, " "), g(10.0, 88.0, "行")];
        let a: Vec<&PlacedGlyph> = glyphs.iter().collect();
        let mut b = a.clone();
        b.reverse();
        let s = GeometrySettings::default();
        let la = text_lines(&a, &s, false);
        assert_eq!(la, text_lines(&b, &s, false));
        assert_eq!(la.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(), ["指 标", "二行"]);
    }

    #[test]
    fn glyphs_go_to_the_cell_that_holds_them() {
        // A 1×2 ruled table: cells [0,100] and [100,200] between y 80 and 120.
        let r = |x0, y0, x1, y1| Rule { page: 1, x0, y0, x1, y1 };
        let rules = vec![
            r(0.0, 120.0, 200.0, 120.0),
            r(0.0, 80.0, 200.0, 80.0),
            r(0.0, 80.0, 0.0, 120.0),
            r(100.0, 80.0, 100.0, 120.0),
            r(200.0, 80.0, 200.0, 120.0),
        ];
        let glyphs = [g(110.0, 95.0, "值"), g(10.0, 95.0, "名"), g(10.0, 130.0, "附")];
        let refs: Vec<&PlacedGlyph> = glyphs.iter().collect();
        let (grids, _) = page_grids(&refs, &rules, 1, &GeometrySettings::default());
        assert_eq!(grids.len(), 2, "{grids:?}");
        assert_eq!(grids[0].origin, Origin::Line);
        assert_eq!(grids[0].cells[0].text(), "附");
        assert_eq!(grids[1].cells.iter().map(GridCell::text).collect::<Vec<_>>(), ["名", "值"]);
    }
}

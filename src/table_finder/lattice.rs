//! Step 2a — lattice: ruling lines → cell grids (pages that draw their table rules).
//!
//! The steps follow the classic edge-intersection method (as pdfplumber's `table.py`
//! spells it out), each its own function:
//! 1. [`edges`]: the page's rules as horizontal and vertical edges, tiny pieces dropped;
//! 2. [`snap`]: edges within [`SNAP`] points of one another are moved to their mean
//!    position, then collinear pieces are joined when their gap is at most [`JOIN`];
//! 3. [`intersections`]: the points where a horizontal and a vertical edge cross (or
//!    touch, within [`SNAP`]);
//! 4. [`cells`]: from each intersection, the smallest rectangle whose four corners are
//!    intersections and whose four sides are drawn;
//! 5. [`group`]: cells sharing a corner belong to one table;
//! 6. [`to_grid`]: each table's distinct x and y boundaries make its grid; a cell spanning
//!    several grid columns or rows is a merged cell.

use super::Grid;
use super::GridCell;
use crate::token::Rule;

/// Edges within this many points are snapped together.
pub const SNAP: f32 = 2.0;
/// Collinear pieces with a gap up to this many points are joined.
pub const JOIN: f32 = 2.0;
/// Pages with more candidate intersections than this are not read as lattices.
const MAX_INTERSECTIONS: usize = 250_000;
/// Edges shorter than this are ignored (dots, glyph-like strokes).
const MIN_LEN: f32 = 3.0;

/// A horizontal (`at` = y, span in x) or vertical (`at` = x, span in y) edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    pub at: f32,
    pub lo: f32,
    pub hi: f32,
}

/// Step 1: the rules of `page` as (horizontal, vertical) edges.
pub fn edges(rules: &[Rule], page: u32) -> (Vec<Edge>, Vec<Edge>) {
    let mut h = Vec::new();
    let mut v = Vec::new();
    for r in rules.iter().filter(|r| r.page == page) {
        let (dx, dy) = ((r.x1 - r.x0).abs(), (r.y1 - r.y0).abs());
        if ![r.x0, r.x1, r.y0, r.y1].iter().all(|c| c.is_finite()) {
            continue;
        }
        if dy <= dx && dx >= MIN_LEN {
            h.push(Edge { at: (r.y0 + r.y1) / 2.0, lo: r.x0.min(r.x1), hi: r.x0.max(r.x1) });
        } else if dx < dy && dy >= MIN_LEN {
            v.push(Edge { at: (r.x0 + r.x1) / 2.0, lo: r.y0.min(r.y1), hi: r.y0.max(r.y1) });
        }
    }
    (h, v)
}

/// Step 2: snap edges to shared positions and join collinear pieces. Returns the edges
/// grouped by position: (position, joined spans), positions ascending.
pub fn snap(mut edges: Vec<Edge>) -> Vec<(f32, Vec<(f32, f32)>)> {
    edges.sort_by(|a, b| a.at.total_cmp(&b.at));
    let mut groups: Vec<Vec<Edge>> = Vec::new();
    for e in edges {
        match groups.last_mut() {
            Some(g) if e.at - g[g.len() - 1].at <= SNAP => g.push(e),
            _ => groups.push(vec![e]),
        }
    }
    groups
        .into_iter()
        .map(|mut g| {
            let at = g.iter().map(|e| e.at).sum::<f32>() / g.len() as f32;
            g.sort_by(|a, b| a.lo.total_cmp(&b.lo));
            let mut spans: Vec<(f32, f32)> = Vec::new();
            for e in g {
                match spans.last_mut() {
                    Some(s) if e.lo <= s.1 + JOIN => s.1 = s.1.max(e.hi),
                    _ => spans.push((e.lo, e.hi)),
                }
            }
            (at, spans)
        })
        .collect()
}

/// Snapped edges of one page: horizontal lines top to bottom (y descending), vertical
/// lines left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct Lines {
    pub h: Vec<(f32, Vec<(f32, f32)>)>,
    pub v: Vec<(f32, Vec<(f32, f32)>)>,
}

impl Lines {
    pub fn of_page(rules: &[Rule], page: u32) -> Lines {
        let (h, v) = edges(rules, page);
        let mut h = snap(h);
        h.reverse();
        Lines { h, v: snap(v) }
    }

    fn covers(spans: &[(f32, f32)], a: f32, b: f32) -> bool {
        let (lo, hi) = (a.min(b), a.max(b));
        spans.iter().any(|s| s.0 <= lo + SNAP && s.1 >= hi - SNAP)
    }

    /// Is horizontal line `j` drawn from vertical line `i0` to `i1`?
    pub fn h_connects(&self, j: usize, i0: usize, i1: usize) -> bool {
        Self::covers(&self.h[j].1, self.v[i0].0, self.v[i1].0)
    }

    /// Is vertical line `i` drawn from horizontal line `j0` to `j1`?
    pub fn v_connects(&self, i: usize, j0: usize, j1: usize) -> bool {
        Self::covers(&self.v[i].1, self.h[j0].0, self.h[j1].0)
    }
}

/// Step 3: intersection matrix, `[i][j]` for vertical line i and horizontal line j.
pub fn intersections(l: &Lines) -> Vec<Vec<bool>> {
    (0..l.v.len())
        .map(|i| (0..l.h.len()).map(|j| l.h_connects(j, i, i) && l.v_connects(i, j, j)).collect())
        .collect()
}

/// A cell as (left line, top line, right line, bottom line) indices into [`Lines`].
pub type CellIdx = (usize, usize, usize, usize);

/// Step 4: the smallest drawn rectangle from each intersection as top-left corner.
#[allow(clippy::needless_range_loop)] // indices name the lines on both axes
pub fn cells(l: &Lines, x: &[Vec<bool>]) -> Vec<CellIdx> {
    let mut out = Vec::new();
    for i in 0..l.v.len() {
        for j in 0..l.h.len() {
            if !x[i][j] {
                continue;
            }
            // A line not drawn down to j2 is not drawn further down either: stop there
            // (likewise to the right), which keeps this linear in the lines a cell spans.
            'found: for j2 in j + 1..l.h.len() {
                if !l.v_connects(i, j, j2) {
                    break;
                }
                if !x[i][j2] {
                    continue;
                }
                for i2 in i + 1..l.v.len() {
                    if !l.h_connects(j, i, i2) {
                        break;
                    }
                    if !x[i2][j] {
                        continue;
                    }
                    if x[i2][j2] && l.v_connects(i2, j, j2) && l.h_connects(j2, i, i2) {
                        out.push((i, j, i2, j2));
                        break 'found;
                    }
                }
            }
        }
    }
    out
}

/// Step 5: cells that share a corner form one table; tables of one cell are dropped.
pub fn group(cells: &[CellIdx]) -> Vec<Vec<CellIdx>> {
    let n = cells.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut a: usize) -> usize {
        while p[a] != a {
            p[a] = p[p[a]];
            a = p[a];
        }
        a
    }
    let corners = |c: &CellIdx| [(c.0, c.1), (c.0, c.3), (c.2, c.1), (c.2, c.3)];
    let mut owner: std::collections::HashMap<(usize, usize), usize> = std::collections::HashMap::new();
    for (k, c) in cells.iter().enumerate() {
        for p in corners(c) {
            match owner.get(&p) {
                Some(&o) => {
                    let (a, b) = (find(&mut parent, o), find(&mut parent, k));
                    if a != b {
                        parent[b] = a;
                    }
                }
                None => {
                    owner.insert(p, k);
                }
            }
        }
    }
    let mut groups: Vec<(usize, Vec<CellIdx>)> = Vec::new();
    for (k, c) in cells.iter().enumerate() {
        let r = find(&mut parent, k);
        match groups.iter_mut().find(|(g, _)| *g == r) {
            Some((_, v)) => v.push(*c),
            None => groups.push((r, vec![*c])),
        }
    }
    groups.into_iter().map(|(_, v)| v).filter(|v| v.len() > 1).collect()
}

/// Step 6: a group of cells as a [`Grid`].
pub fn to_grid(l: &Lines, page: u32, cells: &[CellIdx]) -> Grid {
    let mut is: Vec<usize> = cells.iter().flat_map(|c| [c.0, c.2]).collect();
    let mut js: Vec<usize> = cells.iter().flat_map(|c| [c.1, c.3]).collect();
    is.sort_unstable();
    is.dedup();
    js.sort_unstable();
    js.dedup();
    let col = |i: usize| is.iter().position(|&x| x == i).unwrap_or(0);
    let row = |j: usize| js.iter().position(|&x| x == j).unwrap_or(0);
    let mut gc: Vec<GridCell> =
        cells.iter().map(|c| GridCell { r0: row(c.1), r1: row(c.3), c0: col(c.0), c1: col(c.2) }).collect();
    gc.sort_by_key(|c| (c.r0, c.c0));
    Grid { page, xs: is.iter().map(|&i| l.v[i].0).collect(), ys: js.iter().map(|&j| l.h[j].0).collect(), cells: gc }
}

/// All lattice grids of one page, top to bottom.
pub fn grids(rules: &[Rule], page: u32) -> Vec<Grid> {
    let l = Lines::of_page(rules, page);
    // A page drawn as graph paper (or hostile input) is no table grid: the stream step reads it.
    if l.h.len() < 2 || l.v.len() < 2 || l.h.len() * l.v.len() > MAX_INTERSECTIONS {
        return Vec::new();
    }
    let x = intersections(&l);
    let c = cells(&l, &x);
    let mut out: Vec<Grid> = group(&c).iter().map(|g| to_grid(&l, page, g)).collect();
    out.sort_by(|a, b| b.top().total_cmp(&a.top()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn r(x0: f32, y0: f32, x1: f32, y1: f32) -> Rule {
        Rule { page: 1, x0, y0, x1, y1 }
    }

    /// A 3×2 ruled table whose first row is one merged header cell.
    pub fn merged_header() -> Vec<Rule> {
        vec![
            r(10.0, 100.0, 210.0, 100.0),
            r(10.0, 80.0, 210.0, 80.0),
            r(10.0, 60.0, 210.0, 60.0),
            r(10.0, 40.0, 210.0, 40.0),
            r(10.0, 40.0, 10.0, 100.0),
            r(110.5, 40.0, 110.5, 80.0), // stops under the merged header
            r(210.0, 40.0, 210.0, 100.0),
        ]
    }

    #[test]
    fn merged_cells_span_grid_columns() {
        let g = grids(&merged_header(), 1);
        assert_eq!(g.len(), 1);
        let g = &g[0];
        assert_eq!(g.xs.len(), 3);
        assert_eq!(g.ys.len(), 4);
        assert_eq!(g.cells.len(), 5);
        assert_eq!(g.cells[0], GridCell { r0: 0, r1: 1, c0: 0, c1: 2 });
        assert_eq!(g.cells[1], GridCell { r0: 1, r1: 2, c0: 0, c1: 1 });
    }

    #[test]
    fn pieces_are_snapped_and_joined() {
        let mut rules = merged_header();
        // The bottom rule drawn in two pieces, slightly off.
        rules[3] = r(10.0, 40.6, 110.0, 40.6);
        rules.push(r(110.3, 39.7, 210.0, 39.7));
        let g = grids(&rules, 1);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].cells.len(), 5);
    }

    #[test]
    fn graph_paper_is_bounded() {
        let mut rules = Vec::new();
        for k in 0..600 {
            let v = k as f32 * 1.5;
            rules.push(r(0.0, v, 900.0, v));
            rules.push(r(v, 0.0, v, 900.0));
        }
        let t = std::time::Instant::now();
        let _ = grids(&rules, 1);
        assert!(t.elapsed().as_secs() < 5);
    }

    #[test]
    fn underlines_make_no_table() {
        let rules = vec![r(10.0, 100.0, 200.0, 100.0), r(10.0, 80.0, 200.0, 80.0)];
        assert!(grids(&rules, 1).is_empty());
    }

    #[test]
    fn two_tables_on_one_page() {
        let mut rules = merged_header();
        for q in merged_header() {
            rules.push(Rule { y0: q.y0 - 200.0, y1: q.y1 - 200.0, ..q });
        }
        let g = grids(&rules, 1);
        assert_eq!(g.len(), 2);
        assert!(g[0].top() > g[1].top());
    }
}

//! The one table representation the form grammars read: a [`Grid`] of cells with row and
//! column spans, each cell's text as its printed lines, its box and its page.
//!
//! Every input that carries its table structure ends here:
//! * [`pdf_page`]: a PDF page's glyphs and ruling lines, placed by position only (the
//!   order in which the content stream draws them never matters); text outside any ruled
//!   table becomes one-cell grids of origin [`Origin::Line`];
//! * [`sheet`]: a workbook sheet (xlsx / xls), merged regions as spans;
//! * [`html`]: an HTML page's content tables, `rowspan` / `colspan` as spans.
//!
//! A document is a [`GridDoc`]: its grids in reading order (page by page, top to bottom).
//! The grammars ([`crate::forms`]) read it through [`GridDoc::rows`], one [`Row`] per grid
//! row, each cell with its horizontal extent in one coordinate per document (points for a
//! PDF, column indices for a sheet or a page), so a table continued on another page or in
//! another grid lines up with the header it continues.

pub mod docx;
pub mod flat_text;
pub mod html;
pub mod pdf_page;
pub mod sheet;

/// Where a grid came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A ruled table on a PDF page (cells from the intersections of its ruling lines).
    Lattice,
    /// A line of PDF text outside any ruled table, as a one-cell grid.
    Line,
    /// A workbook sheet.
    Sheet,
    /// An HTML `<table>`, or a paragraph of an HTML page.
    Html,
}

/// A box on a page, PDF points, y up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// One cell: rows `row .. row + rowspan`, columns `col .. col + colspan`.
#[derive(Debug, Clone, PartialEq)]
pub struct GridCell {
    pub row: usize,
    pub col: usize,
    pub rowspan: usize,
    pub colspan: usize,
    /// The printed lines of the cell, top to bottom (a wrapped cell has several).
    pub lines: Vec<String>,
    /// The cell's box (PDF only).
    pub bbox: Option<BBox>,
}

impl GridCell {
    /// The cell's text: its lines joined as SPEC says ([`join_lines`]), trimmed.
    pub fn text(&self) -> String {
        join_lines(&self.lines)
    }
}

/// One table (or one line of text) of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub origin: Origin,
    /// 1-based page (PDF), else `None`.
    pub page: Option<u32>,
    /// The sheet's name (workbooks).
    pub name: Option<String>,
    pub nrows: usize,
    pub ncols: usize,
    pub cells: Vec<GridCell>,
    /// Left edge of each column and the right edge of the last (`ncols + 1` values), in the
    /// document's horizontal coordinate.
    pub xs: Vec<f32>,
    /// Top of the grid (PDF points, y up), for reading order; 0 elsewhere.
    pub top: f32,
}

impl Grid {
    /// A table whose horizontal coordinate is the column index (workbooks, HTML, Word,
    /// copied text): column `i` spans `i..i + 1`.
    pub fn of_columns(origin: Origin, nrows: usize, ncols: usize, cells: Vec<GridCell>) -> Grid {
        Grid { origin, page: None, name: None, nrows, ncols, cells, xs: (0..=ncols).map(|i| i as f32).collect(), top: 0.0 }
    }

    /// A one-cell grid holding one line of text.
    pub fn line(text: String, page: Option<u32>, bbox: Option<BBox>, x0: f32, x1: f32, origin: Origin) -> Grid {
        Grid {
            origin,
            page,
            name: None,
            nrows: 1,
            ncols: 1,
            cells: vec![GridCell { row: 0, col: 0, rowspan: 1, colspan: 1, lines: vec![text], bbox }],
            xs: vec![x0, x1],
            top: bbox.map(|b| b.y1).unwrap_or(0.0),
        }
    }
}

/// Join a cell's printed lines: no separator between Chinese (or any non-Latin) ends, one
/// space between two Latin letters or digits; each line trimmed of ASCII and ideographic
/// spaces first.
pub fn join_lines(lines: &[String]) -> String {
    let mut out = String::new();
    for l in lines {
        let l = l.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
        if l.is_empty() {
            continue;
        }
        if let (Some(a), Some(b)) = (out.chars().last(), l.chars().next())
            && a.is_ascii_alphabetic()
            && b.is_ascii_alphabetic()
        {
            out.push(' ');
        }
        out.push_str(l);
    }
    out
}

/// A document's grids in reading order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GridDoc {
    pub grids: Vec<Grid>,
    /// Pages (PDF) or sheets read.
    pub pages: Option<u32>,
    /// What the reader decided while building the grids (cells closed, sheets skipped …).
    pub diagnostics: Vec<crate::model::Diagnostic>,
}

/// One cell as seen from one row it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct RowCell {
    /// Horizontal extent in the document's coordinate (see [`Grid::xs`]).
    pub x0: f32,
    pub x1: f32,
    pub text: String,
    /// This row is the cell's first row (a merged cell covers later rows too).
    pub first: bool,
    /// The cell spans more than one row.
    pub merged_down: bool,
    /// (grid index, cell index): the same cell seen from several rows has one id.
    pub id: (usize, usize),
    /// The cell's first row within its grid.
    pub row0: usize,
    /// The cell runs down to its grid's last row (a label cut by a page break ends there).
    pub bottom: bool,
}

/// One row of a grid with every cell that covers it, left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub grid: usize,
    pub row: usize,
    pub page: Option<u32>,
    pub origin: Origin,
    /// The sheet name, for workbook rows.
    pub sheet: Option<String>,
    pub cells: Vec<RowCell>,
}

impl Row {
    /// Non-empty cells whose first row this is.
    pub fn own(&self) -> impl Iterator<Item = &RowCell> {
        self.cells.iter().filter(|c| c.first && !c.text.is_empty())
    }
    /// The row's non-empty texts joined by one space.
    pub fn text(&self) -> String {
        self.own().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" ")
    }
    /// True when no cell starting in this row holds text.
    pub fn is_empty(&self) -> bool {
        self.own().next().is_none()
    }
    /// A line of free text, or a row whose only text is one cell.
    pub fn single(&self) -> Option<&RowCell> {
        let mut it = self.cells.iter().filter(|c| !c.text.is_empty());
        let first = it.next()?;
        if it.next().is_none() && first.first { Some(first) } else { None }
    }
}

impl GridDoc {
    /// Every row of every grid, in reading order.
    pub fn rows(&self) -> Vec<Row> {
        let mut out = Vec::new();
        for (g, grid) in self.grids.iter().enumerate() {
            let texts: Vec<String> = grid.cells.iter().map(GridCell::text).collect();
            let mut by_row: Vec<Vec<usize>> = vec![Vec::new(); grid.nrows];
            for (k, c) in grid.cells.iter().enumerate() {
                for r in c.row..(c.row + c.rowspan).min(grid.nrows) {
                    by_row[r].push(k);
                }
            }
            for (r, ks) in by_row.into_iter().enumerate() {
                let mut cells: Vec<RowCell> = ks
                    .into_iter()
                    .map(|k| {
                        let c = &grid.cells[k];
                        let x = |i: usize| grid.xs.get(i.min(grid.ncols)).copied().unwrap_or(i as f32);
                        RowCell {
                            x0: x(c.col),
                            x1: x(c.col + c.colspan),
                            text: texts[k].clone(),
                            first: c.row == r,
                            merged_down: c.rowspan > 1,
                            id: (g, k),
                            row0: c.row,
                            bottom: c.row + c.rowspan >= grid.nrows,
                        }
                    })
                    .collect();
                cells.sort_by(|a, b| a.x0.total_cmp(&b.x0));
                out.push(Row { grid: g, row: r, page: grid.page, origin: grid.origin, sheet: grid.name.clone(), cells });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_join_without_separator_except_between_latin_words() {
        let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_lines(&l(&["产出指标", "(50分)"])), "产出指标(50分)");
        assert_eq!(join_lines(&l(&["绩", "效", "指", "标"])), "绩效指标");
        assert_eq!(join_lines(&l(&["1,9", "92.23"])), "1,992.23");
        assert_eq!(join_lines(&l(&["Open", "Data"])), "Open Data");
        assert_eq!(join_lines(&l(&[" 年度\u{3000}", "", "资金 "])), "年度资金");
    }

    #[test]
    fn merged_cells_are_seen_from_every_row_they_cover() {
        let cell = |row, col, rowspan, text: &str| GridCell { row, col, rowspan, colspan: 1, lines: vec![text.into()], bbox: None };
        let g = Grid {
            origin: Origin::Sheet,
            page: None,
            name: None,
            nrows: 2,
            ncols: 2,
            cells: vec![cell(0, 0, 2, "产出指标"), cell(0, 1, 1, "a"), cell(1, 1, 1, "b")],
            xs: vec![0.0, 1.0, 2.0],
            top: 0.0,
        };
        let rows = GridDoc { grids: vec![g], pages: None, diagnostics: Vec::new() }.rows();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].cells.len(), 2);
        assert!(!rows[1].cells[0].first);
        assert_eq!(rows[1].cells[0].text, "产出指标");
        assert_eq!(rows[1].text(), "b");
    }
}

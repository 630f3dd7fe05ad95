//! Workbook sheets (xlsx, xls) → [`Grid`]s, through calamine.
//!
//! A sheet is one grid: its used range, each merged region one cell with its spans (the
//! value of its top-left cell), each line break inside a cell one printed line. Hidden
//! sheets and sheets with no text are skipped, and a diagnostic says which.

use super::{Grid, GridCell, GridDoc, Origin};
use crate::model::Diagnostic;
use calamine::{Data, Dimensions, Reader, SheetVisible, Sheets};
use std::io::Cursor;

/// Cells one sheet may hold (rows × columns of its used range) before it is refused.
pub const MAX_SHEET_CELLS: usize = 2_000_000;

/// Which workbook format the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Book {
    Xlsx,
    Xls,
}

/// Read every visible, non-empty sheet of a workbook. A panic inside the workbook crate on
/// malformed data is caught here and becomes an error, like any other unreadable file.
pub fn read(bytes: &[u8], book: Book) -> Result<GridDoc, String> {
    match std::panic::catch_unwind(|| read_inner(bytes, book)) {
        Ok(r) => r,
        Err(_) => Err("the workbook reader failed on malformed data".to_string()),
    }
}

fn read_inner(bytes: &[u8], book: Book) -> Result<GridDoc, String> {
    let cursor = Cursor::new(bytes.to_vec());
    let mut wb: Sheets<Cursor<Vec<u8>>> = match book {
        Book::Xlsx => Sheets::Xlsx(calamine::open_workbook_from_rs(cursor).map_err(|e| format!("not a readable xlsx workbook: {e}"))?),
        Book::Xls => Sheets::Xls(calamine::open_workbook_from_rs(cursor).map_err(|e| format!("not a readable xls workbook: {e}"))?),
    };
    let sheets = wb.sheets_metadata().to_vec();
    let mut doc = GridDoc { grids: Vec::new(), pages: Some(0), diagnostics: Vec::new() };
    let diags = &mut doc.diagnostics;
    let mut grids = Vec::new();
    for sh in sheets {
        if sh.visible != SheetVisible::Visible {
            diags.push(Diagnostic::info("sheet_skipped", format!("sheet “{}” is hidden: not read", sh.name), None));
            continue;
        }
        let range = match wb.worksheet_range(&sh.name) {
            Ok(r) => r,
            Err(e) => {
                diags.push(Diagnostic::warning("sheet_skipped", format!("sheet “{}” could not be read: {e}", sh.name), None));
                continue;
            }
        };
        let merges: Vec<Dimensions> = match &mut wb {
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&sh.name).unwrap_or_default(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(&sh.name).unwrap_or_default(),
            _ => Vec::new(),
        };
        let (h, w) = range.get_size();
        if h.saturating_mul(w) > MAX_SHEET_CELLS {
            diags.push(Diagnostic::warning(
                "limit_reached",
                format!("sheet “{}” has {h} × {w} cells, over {MAX_SHEET_CELLS}: not read", sh.name),
                None,
            ));
            continue;
        }
        match to_grid(&range, &merges, &sh.name) {
            Some(g) => grids.push(g),
            None => diags.push(Diagnostic::info("sheet_skipped", format!("sheet “{}” holds no text: not read", sh.name), None)),
        }
    }
    doc.pages = Some(grids.len() as u32);
    doc.grids = grids;
    Ok(doc)
}

/// The text of a cell value as a spreadsheet shows it by default.
pub fn value_text(v: &Data) -> String {
    match v {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        other => other.to_string(),
    }
}

/// One sheet's used range and merged regions as a grid; `None` when it holds no text.
pub fn to_grid(range: &calamine::Range<Data>, merges: &[Dimensions], name: &str) -> Option<Grid> {
    let (r0, c0) = range.start()?;
    let (r1, c1) = range.end()?;
    // The grid covers the used range and every merged region.
    let top = merges.iter().map(|d| d.start.0).fold(r0, u32::min);
    let left = merges.iter().map(|d| d.start.1).fold(c0, u32::min);
    let bottom = merges.iter().map(|d| d.end.0).fold(r1, u32::max);
    let right = merges.iter().map(|d| d.end.1).fold(c1, u32::max);
    let (nrows, ncols) = ((bottom - top + 1) as usize, (right - left + 1) as usize);
    if nrows.saturating_mul(ncols) > MAX_SHEET_CELLS {
        return None;
    }
    let text_at = |r: u32, c: u32| range.get_value((r, c)).map(value_text).unwrap_or_default();
    let mut covered = vec![false; nrows * ncols];
    let mut cells = Vec::new();
    let mut any = false;
    let mut push = |row: u32, col: u32, rs: usize, cs: usize, text: String, cells: &mut Vec<GridCell>| {
        let lines: Vec<String> = text.split('\n').map(|l| l.trim_end_matches('\r').to_string()).collect();
        any |= !text.trim().is_empty();
        cells.push(GridCell { row: (row - top) as usize, col: (col - left) as usize, rowspan: rs, colspan: cs, lines, bbox: None });
    };
    for d in merges {
        if d.end.0 < d.start.0 || d.end.1 < d.start.1 {
            continue;
        }
        let (rs, cs) = ((d.end.0 - d.start.0 + 1) as usize, (d.end.1 - d.start.1 + 1) as usize);
        for r in d.start.0..=d.end.0 {
            for c in d.start.1..=d.end.1 {
                covered[(r - top) as usize * ncols + (c - left) as usize] = true;
            }
        }
        push(d.start.0, d.start.1, rs, cs, text_at(d.start.0, d.start.1), &mut cells);
    }
    for r in top..=bottom {
        for c in left..=right {
            if !covered[(r - top) as usize * ncols + (c - left) as usize] {
                push(r, c, 1, 1, text_at(r, c), &mut cells);
            }
        }
    }
    if !any {
        return None;
    }
    cells.sort_by_key(|c| (c.row, c.col));
    Some(Grid { name: Some(name.to_string()), ..Grid::of_columns(Origin::Sheet, nrows, ncols, cells) })
}

//! Form grammars on [`Grid`](crate::grid::Grid)s: one path for every input that carries
//! its table structure (ruled PDFs, workbooks, HTML pages).
//!
//! [`annexes`] reads a [`GridDoc`] row by row:
//! 1. **segment** ([`segments`]): an annex starts at a `附件N` row, at a new workbook sheet,
//!    or at a form title after a finished form. Markers and titles are found by position
//!    above their table, whatever order a PDF drew them in;
//! 2. **head**: title, year (title or `（2024年度）`), unit (`单位：万元` or the funds
//!    caption), classified by title words and structure ([`crate::classify`]);
//! 3. **grammar**: self-evaluation and performance-goals forms by [`self_eval`], columns by
//!    header words ([`columns`]); basic-data and budget-execution tables through the
//!    crate's table grammars fed with the grid's exact cells ([`tables`]);
//! 4. **accounting**: every printed cell is found in the output or reported.

pub mod blocks;
pub mod columns;
pub mod fields;
pub mod self_eval;
pub mod tables;

use crate::classify::{self, Basis};
use crate::grid::{GridDoc, Row};
use crate::model::{Annex, AnnexSource, Diagnostic, Kind, Position};
use crate::token::{Line, Token};
use regex::Regex;
use std::sync::LazyLock;

static MARKER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^附\s*件\s*(\d{1,3}(?:\s*[-－—–]\s*\d{1,3})?)\s*[:：]?\s*(.*)$").unwrap());
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年").unwrap());

/// One annex's rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub id: Option<String>,
    /// Title text printed in the marker's own cell (`附件2 2024年度…`), if any.
    pub inline_title: Option<String>,
}

/// White space removed (labels and headers are compared without it).
pub(crate) fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The annex id of a marker row (`附件3-1`), and any text after the marker.
pub fn marker(row: &Row) -> Option<(String, String)> {
    let c = row.single()?;
    let m = MARKER.captures(c.text.trim())?;
    let id: String = m[1].chars().filter(|c| c.is_ascii_digit() || *c == '-' || matches!(c, '－' | '—' | '–')).map(|c| if c.is_ascii_digit() { c } else { '-' }).collect();
    Some((id, m[2].trim().to_string()))
}

/// Is this row a form's title (one cell naming a form)?
fn is_title_row(row: &Row) -> bool {
    row.single().is_some_and(|c| {
        let t = compact(&c.text);
        classify::by_title(&t).is_some() && t.chars().count() <= 60 && !t.contains(['：', ':'])
    })
}

/// Step 1: cut the rows into annexes.
pub fn segments(rows: &[Row]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut body_seen = false;
    for (i, row) in rows.iter().enumerate() {
        let new_sheet = i > 0 && row.sheet != rows[i - 1].sheet;
        let m = marker(row);
        let title = is_title_row(row);
        let starts = out.is_empty() || m.is_some() || new_sheet || title && body_seen;
        // A marker right after a title-only start joins it (the title was drawn above it).
        if starts {
            if let Some(last) = out.last_mut() {
                last.end = i;
            }
            let (id, inline_title) = match m {
                Some((id, t)) => (Some(id), (!t.is_empty()).then_some(t)),
                None => (None, None),
            };
            out.push(Segment { start: i, end: rows.len(), id, inline_title });
            body_seen = false;
        }
        if !row.is_empty() && row.single().is_none() {
            body_seen = true;
        }
    }
    out
}

/// Read every annex of a grid document. Returns the annexes and document-level diagnostics.
pub fn annexes(doc: &GridDoc) -> (Vec<Annex>, Vec<Diagnostic>) {
    annexes_of(&doc.rows())
}

/// [`annexes`] on rows already taken from their grids ([`GridDoc::rows`]).
pub fn annexes_of(rows: &[Row]) -> (Vec<Annex>, Vec<Diagnostic>) {
    let rows = rows;
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for seg in segments(rows) {
        let span = &rows[seg.start..seg.end];
        let annex = build(span, &seg);
        let empty = annex.tables.is_empty() && annex.indicators.is_empty();
        if annex.kind == Kind::PerformanceGoals && annex.indicators.is_empty() {
            let at = span.first().and_then(|r| r.sheet.clone()).unwrap_or_default();
            let pos = span.first().map(|r| Position { page: r.page, line: Some(r.row + 1) });
            let sheet = if at.is_empty() { String::new() } else { format!(" (sheet “{at}”)") };
            diags.push(Diagnostic::info("empty_template", format!("a {} form with no filled indicator row{sheet}: not an annex", annex.kind.as_str()), pos.clone()));
            // What the template's fields do print stays on record.
            let text: Vec<String> = span.iter().filter(|r| !r.is_empty()).map(Row::text).collect();
            diags.push(Diagnostic::warning("unplaced_text", format!("text of an empty template{sheet}, in no annex: “{}”", text.join(" ")), pos));
            continue;
        }
        if seg.id.is_none() && empty {
            for r in span.iter().filter(|r| !r.is_empty()) {
                diags.push(Diagnostic::warning(
                    "unplaced_text",
                    format!("text in no annex: “{}”", r.text()),
                    Some(Position { page: r.page, line: Some(r.row + 1) }),
                ));
            }
            continue;
        }
        out.push(annex);
    }
    (out, diags)
}

/// The self-evaluation and performance-goals forms of a book (a 部门预算 / 决算 PDF without
/// 附件 markers) that own their pages: each form found by its title, read from ruled cells,
/// with its indicators, and no other text on its pages. Returns them with their pages.
pub fn forms_owning_pages(rows: &[Row]) -> Vec<(Annex, Vec<u32>)> {
    let mut out = Vec::new();
    for seg in segments(rows) {
        let span = &rows[seg.start..seg.end];
        let Some(title) = span.iter().find(|r| is_title_row(r)) else { continue };
        let kind = title.single().and_then(|c| classify::by_title(&compact(&c.text)));
        if !kind.is_some_and(|k| k.is_self_evaluation() || k == Kind::PerformanceGoals) {
            continue;
        }
        let mut pages: Vec<u32> = span.iter().filter_map(|r| r.page).collect();
        pages.dedup();
        let owns = rows.iter().filter(|r| !r.is_empty() && r.page.is_some_and(|p| pages.contains(&p))).count()
            == span.iter().filter(|r| !r.is_empty()).count();
        let ruled = span.iter().filter(|r| r.origin == crate::grid::Origin::Lattice).count() * 2 > span.len();
        if !owns || !ruled {
            continue;
        }
        let annex = build(span, &seg);
        if !annex.indicators.is_empty() {
            out.push((annex, pages));
        }
    }
    out
}

/// The rows of `span` as text lines (one line per row, one token per cell), for the
/// accounting of printed text.
pub fn as_lines(span: &[Row]) -> Vec<Line> {
    span.iter()
        .enumerate()
        .map(|(k, r)| Line {
            number: k + 1,
            page: r.page,
            y: None,
            size: None,
            starts_block: true,
            tokens: r
                .own()
                .flat_map(|c| c.text.split_whitespace().map(|w| Token { text: w.to_string(), x0: c.x0, x1: c.x1, y: None }).collect::<Vec<_>>())
                .collect(),
        })
        .collect()
}

/// Steps 2–4 for one annex.
fn build(span: &[Row], seg: &Segment) -> Annex {
    let mut annex = Annex::empty(seg.id.clone(), seg.id.as_ref().map(|i| format!("附件{i}")));
    let pages: Vec<u32> = span.iter().filter_map(|r| r.page).collect();
    annex.source = AnnexSource {
        pages: pages.iter().min().zip(pages.iter().max()).map(|(a, b)| vec![*a, *b]),
        lines: None,
    };
    let mut body: Vec<Row> = Vec::with_capacity(span.len());
    let mut title = seg.inline_title.clone();
    let mut year = None;
    for (k, r) in span.iter().enumerate() {
        if k == 0 && seg.id.is_some() {
            continue;
        }
        let head = body.iter().filter(|b| !b.is_empty()).count() < 2;
        if head && is_title_row(r) && seg.inline_title.is_none() {
            // Two titles in a row (a web page's heading, then the form's own): the one
            // nearer the table is the form's; the other is kept as text.
            if let Some(t) = title.replace(r.single().map(|c| c.text.trim().to_string()).unwrap_or_default()) {
                body.push(Row { cells: vec![crate::grid::RowCell { text: t, ..r.cells[0].clone() }], ..r.clone() });
            }
            continue;
        }
        if head && let Some(y) = r.single().and_then(|c| crate::segment::year_line(&compact(&c.text))) {
            year = Some(y);
            continue;
        }
        body.push(r.clone());
    }
    annex.year = title.as_deref().and_then(|t| YEAR.captures(t)).and_then(|m| m[1].parse().ok()).or(year);
    if annex.year.is_none() {
        annex.year = title.as_deref().and_then(|t| crate::segment::year_line(&compact(t)));
    }
    let text: String = body.iter().map(|r| compact(&r.text())).collect();
    let (mut kind, basis) = classify::classify(title.as_deref(), &text);
    if basis == Basis::Structure {
        annex.diagnostics.push(Diagnostic::info(
            "kind_by_structure",
            format!("{}: kind {} decided from the labels the annex prints", title.as_deref().map_or("no title".to_string(), |t| format!("title “{t}” names no known form")), kind.as_str()),
            None,
        ));
    }
    annex.title = title;
    let used = match kind {
        _ if kind.is_self_evaluation() || kind == Kind::PerformanceGoals => {
            let used = self_eval::build(&mut annex, &body);
            let name = annex.fields.as_ref().and_then(|f| f.get("project_name")).and_then(|v| v.as_str()).map(str::to_string);
            let refined = classify::refine(kind, name.as_deref());
            if refined != kind {
                annex.diagnostics.push(Diagnostic::info("kind_by_structure", format!("项目支出名称 “{}” names a 基金: kind {}", name.unwrap_or_default(), refined.as_str()), None));
                kind = refined;
            }
            used
        }
        _ => tables::build(&mut annex, kind, &body),
    };
    annex.kind = kind;
    for (r, u) in body.iter().zip(&used) {
        if !u && !r.is_empty() {
            annex.diagnostics.push(Diagnostic::warning(
                "unplaced_text",
                format!("text not placed in any part of the annex: “{}”", r.text()),
                Some(Position { page: r.page, line: Some(r.row + 1) }),
            ));
        }
    }
    crate::accounting::account(&mut annex, &as_lines(span));
    annex
}

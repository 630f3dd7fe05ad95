//! # annex2json
//!
//! Turns published Chinese government budget-performance disclosures (部门整体支出绩效自评表,
//! 项目支出绩效自评表, 基金支出绩效自评表, 绩效评价基础数据表, 预算支出情况表 …) into typed JSON,
//! schema `annex2json/1` (see `docs/SCHEMA.md` and [`model`]).
//!
//! ```no_run
//! let doc = annex2json::extract("corpus/hunan-rst-2024/source.txt")?;
//! for a in &doc.annexes {
//!     println!("{:?} {} {} indicators", a.label, a.kind.as_str(), a.indicators.len());
//! }
//! # Ok::<(), annex2json::Error>(())
//! ```
//!
//! The pipeline, one module per step:
//! 1. **read** — [`text_reader`] (text dumps) or [`pdf`] (PDF text layer) produce one
//!    positioned-token [`token::Layout`];
//! 2. **segment** — [`segment`] splits it at `附件N` markers and reads titles, years, units;
//! 3. **classify** — [`classify`] assigns each annex its [`model::Kind`];
//! 4. **rebuild** — per-kind grammars in [`grammar`] rebuild fields, tables, goals and
//!    indicators, using the named recovery steps in [`heuristics`];
//! 5. **normalize and check** — [`cell`] normalizes cells; [`checks`] verifies the
//!    tables' own arithmetic and the document's consistency.

pub mod accounting;
pub mod cell;
pub mod checks;
pub mod classify;
pub mod error;
pub mod forms;
pub mod grammar;
pub mod grid;
pub mod heuristics;
pub mod limits;
pub mod model;
pub mod pdf;
pub mod radicals;
pub mod segment;
pub mod sniff;
pub mod summary;
pub mod table_finder;
pub mod text_reader;
pub mod token;

pub use error::{Error, Result};
pub use limits::Limits;
pub use model::Document;

use model::{Diagnostic, Source};
use sha2::{Digest, Sha256};
use std::path::Path;
use token::{Layout, XUnit};

/// Is this input a PDF? (What [`sniff::sniff`] says: `%PDF-` within its first KiB, or a
/// PDF's objects with its header cut off.)
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    sniff::sniff(bytes) == Ok(sniff::Format::Pdf)
}

/// Extract a document from a file: a PDF (by its `%PDF-` signature) or a text dump.
///
/// Errors name the file and the cause; a panic anywhere inside is caught and returned as
/// [`Error::Internal`], so one bad file never takes a batch down.
pub fn extract(path: impl AsRef<Path>) -> Result<Document> {
    extract_with(path, &Limits::default())
}

/// Extract a document from bytes already in memory; `name` is recorded as `source.file`.
/// Uses the default [`Limits`]; an encrypted PDF the empty password does not open is
/// [`Error::Encrypted`].
pub fn extract_bytes(bytes: &[u8], name: &str) -> Result<Document> {
    extract_bytes_with(bytes, name, &Limits::default())
}

/// The pipeline itself, behind the panic boundary, under whatever limits are in scope.
fn extract_bytes_unchecked(bytes: &[u8], name: &str) -> Result<Document> {
    let owned = bytes.to_vec();
    let name_owned = name.to_string();
    let run = move || -> Result<Document> {
        let format = sniff::sniff(&owned).map_err(|cause| Error::Unsupported { path: name_owned.clone().into(), cause })?;
        let source = |pages| Source {
            file: name_owned.clone(),
            format: format.as_str().to_string(),
            sha256: hex::encode(Sha256::digest(&owned)),
            pages,
        };
        let unsupported = |cause: String| Error::Unsupported { path: name_owned.clone().into(), cause };
        match format {
            sniff::Format::Pdf => {
                let layout = pdf::read(&owned).map_err(|cause| Error::Pdf { path: name_owned.clone().into(), cause })?;
                let src = source(layout.pages);
                Ok(from_pdf(layout, src))
            }
            sniff::Format::Xlsx | sniff::Format::Xls => {
                let book = if format == sniff::Format::Xlsx { grid::sheet::Book::Xlsx } else { grid::sheet::Book::Xls };
                let doc = grid::sheet::read(&owned, book).map_err(unsupported)?;
                Ok(from_grids(&doc, source(None), Vec::new()))
            }
            sniff::Format::Html => {
                let (text, diags) = text_reader::decode(&owned);
                Ok(from_grids(&grid::html::read(&text), source(None), diags))
            }
            sniff::Format::Docx => {
                let doc = grid::docx::read(&owned).map_err(unsupported)?;
                Ok(from_grids(&doc, source(None), Vec::new()))
            }
            sniff::Format::Text => {
                // Text copied from a web page's table (cells closed by `|`) has its cells;
                // any other text is a dump of a PDF's lines.
                let (text, diags) = text_reader::decode(&owned);
                if grid::flat_text::is_flat_table(&text) {
                    return Ok(from_grids(&grid::flat_text::read(&text), source(None), diags));
                }
                Ok(from_layout(text_reader::read(&owned), source(None)))
            }
        }
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(r) => r,
        Err(p) => {
            let cause = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_string());
            Err(Error::Internal { path: name.into(), cause })
        }
    }
}

/// [`extract`] under explicit resource [`Limits`]: an input over `max_file_bytes` is
/// refused before it is read; the other limits bound the reading (see [`limits`]); an
/// encrypted PDF that the empty password does not open is [`Error::Encrypted`].
pub fn extract_with(path: impl AsRef<Path>, limits: &Limits) -> Result<Document> {
    let path = path.as_ref();
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > limits.max_file_bytes {
        let cause = format!("{len} bytes, over the limit max_file_bytes = {}", limits.max_file_bytes);
        return Err(Error::Unsupported { path: path.to_path_buf(), cause });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    extract_bytes_with(&bytes, &name, limits).map_err(|e| e.with_path(path))
}

/// [`extract_bytes`] under explicit resource [`Limits`] (see [`extract_with`]).
pub fn extract_bytes_with(bytes: &[u8], name: &str, limits: &Limits) -> Result<Document> {
    if bytes.len() as u64 > limits.max_file_bytes {
        let cause = format!("{} bytes, over the limit max_file_bytes = {}", bytes.len(), limits.max_file_bytes);
        return Err(Error::Unsupported { path: name.into(), cause });
    }
    match limits::scoped(limits, || extract_bytes_unchecked(bytes, name)) {
        Err(Error::Pdf { path, cause }) if cause == pdf::ENCRYPTED => Err(Error::Encrypted { path }),
        r => r,
    }
}

/// The reading chosen for a PDF: when most of its printed text lies inside ruled cells,
/// the page geometry says where every word belongs and the grid grammars read it
/// ([`forms`]); otherwise (borderless prints, 部门预算 tables without markers) the
/// positioned-line grammars do. The choice is reported as `reading_chosen`.
pub fn from_pdf(layout: Layout, source: Source) -> Document {
    // No ruling line at all: no cell can be read from geometry (the borderless prints).
    if layout.rules.is_empty() {
        return from_layout(layout, source);
    }
    let settings = grid::pdf_page::GeometrySettings::default();
    let (doc, ruled) = grid::pdf_page::document(&layout.glyphs, &layout.rules, layout.pages.unwrap_or(0), &settings);
    let marked = layout.lines.iter().any(|l| segment::marker_of(l).is_some());
    // A document that opens with a form title (a single form, no marker); a 部门预算 book
    // opens with its cover and prose, and keeps the positional table reading.
    let rows = doc.rows();
    let titled = rows.iter().filter(|r| !r.is_empty()).take(5).any(|r| r.single().is_some_and(|c| classify::by_title(&c.text).is_some()));
    if ruled >= RULED_SHARE && (marked || titled) {
        let mut diags = layout.diagnostics;
        diags.push(model::Diagnostic::info(
            "reading_chosen",
            format!("{:.0}% of the printed text lies in ruled cells: read from the page grid", ruled * 100.0),
            None,
        ));
        return from_rows(&doc, &rows, source, diags);
    }
    // A book (部门预算 / 决算) that holds forms: each form that owns its pages is read from
    // the grid; the book's other pages keep the positional reading.
    let forms = forms::forms_owning_pages(&rows);
    if forms.is_empty() {
        return from_layout(layout, source);
    }
    let taken: Vec<u32> = forms.iter().flat_map(|(_, p)| p.iter().copied()).collect();
    let lines = layout.lines.iter().filter(|l| l.page.is_none_or(|p| !taken.contains(&p))).cloned().collect();
    let mut out = from_layout(Layout { lines, ..layout }, source);
    for (mut a, pages) in forms {
        checks::annex(&mut a);
        a.diagnostics.push(model::Diagnostic::info(
            "reading_chosen",
            format!("a {} form on page(s) {pages:?} of a book: read from its page grid, the book's other pages by position", a.kind.as_str()),
            None,
        ));
        out.annexes.push(a);
    }
    let first_page = |a: &model::Annex| a.source.pages.as_ref().and_then(|p| p.first().copied()).unwrap_or(u32::MAX);
    out.annexes.sort_by_key(first_page);
    out
}

/// The share of a PDF's text inside ruled cells from which its grid is read.
pub const RULED_SHARE: f32 = 0.5;

/// Grammars and checks on a grid document (ruled PDF, workbook, HTML page).
pub fn from_grids(doc: &grid::GridDoc, source: Source, diagnostics: Vec<Diagnostic>) -> Document {
    from_rows(doc, &doc.rows(), source, diagnostics)
}

/// [`from_grids`] on the document's rows already taken.
fn from_rows(doc: &grid::GridDoc, rows: &[grid::Row], source: Source, mut diagnostics: Vec<Diagnostic>) -> Document {
    let (mut annexes, more) = forms::annexes_of(rows);
    diagnostics.extend(doc.diagnostics.iter().cloned());
    diagnostics.extend(more);
    checks::document(&mut annexes, &mut diagnostics);
    for a in &mut annexes {
        checks::annex(a);
    }
    Document { schema: model::SCHEMA.to_string(), source, annexes, diagnostics }
}

/// Run segmentation, grammars and checks on a layout.
pub fn from_layout(layout: Layout, source: Source) -> Document {
    let em = grammar::frag::em(layout.unit);
    let lines = segment::split_glued_markers(layout.lines);
    let marked = heuristics::wrapped_join::is_block_marked(&lines);
    let style = grammar::Style { marked, em, rules: &layout.rules, positional: true };
    let segs = segment::segments(&lines);
    // A PDF with no 附件 marker (部门预算/决算): one annex per table found by position.
    let positional = layout.unit == XUnit::Points && segs.iter().all(|s| s.id.is_none());
    let found = if positional { table_finder::annexes(&lines, &layout.rules) } else { Default::default() };
    let segs = if positional { Vec::new() } else { segs };
    let mut annexes: Vec<model::Annex> = segs.iter().map(|s| grammar::build_annex(&lines, s, style)).collect();
    let mut diagnostics: Vec<Diagnostic> = layout.diagnostics;
    annexes.extend(found.annexes);
    diagnostics.extend(found.diagnostics);
    // Text before the first marker yields an annex only when it holds a recognizable table;
    // otherwise its lines are reported, not dropped.
    for (seg, a) in segs.iter().zip(&annexes) {
        if a.id.is_none() && a.tables.is_empty() && a.indicators.is_empty() {
            for l in &lines[seg.start..seg.end] {
                if !l.is_blank() {
                    diagnostics.push(Diagnostic::warning(
                        "unplaced_text",
                        format!("text before the first annex marker, in no table: “{}”", l.text()),
                        Some(model::Position { page: l.page, line: Some(l.number) }),
                    ));
                }
            }
        }
    }
    annexes.retain(|a| a.id.is_some() || !a.tables.is_empty() || !a.indicators.is_empty());
    checks::document(&mut annexes, &mut diagnostics);
    for a in &mut annexes {
        checks::annex(a);
    }
    Document { schema: model::SCHEMA.to_string(), source, annexes, diagnostics }
}

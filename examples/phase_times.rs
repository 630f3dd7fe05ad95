//! Time the steps of the PDF path on one file (`cargo run --release --example phase_times -- FILE`):
//! where the time goes, for docs/PERFORMANCE.md.
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: phase_times FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    let t = Instant::now();
    let layout = annex2json::pdf::read(&bytes).expect("a PDF");
    let read = t.elapsed();
    let t = Instant::now();
    let s = annex2json::grid::pdf_page::GeometrySettings::default();
    let (doc, share) = annex2json::grid::pdf_page::document(&layout.glyphs, &layout.rules, layout.pages.unwrap_or(0), &s);
    let grid = t.elapsed();
    let t = Instant::now();
    let rows = doc.rows();
    let row_view = t.elapsed();
    let t = Instant::now();
    let forms = annex2json::forms::forms_owning_pages(&rows);
    let owning = t.elapsed();
    let t = Instant::now();
    let (annexes, _) = annex2json::forms::annexes_of(&rows);
    let grammars = t.elapsed();
    let source = annex2json::model::Source { file: path.clone(), format: "pdf".into(), sha256: String::new(), pages: layout.pages };
    let t = Instant::now();
    let d = annex2json::from_pdf(layout, source);
    let whole = t.elapsed();
    println!(
        "{} pages, ruled share {share:.2}: read {read:?}, grid {grid:?}, rows {row_view:?} ({} rows), forms owning pages {owning:?} ({}), grid grammars {grammars:?} ({} annexes), from_pdf {whole:?} ({} annexes)",
        d.source.pages.unwrap_or(0),
        rows.len(),
        forms.len(),
        annexes.len(),
        d.annexes.len()
    );
}

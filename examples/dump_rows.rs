//! Print the grid rows of a ruled PDF, workbook or HTML page, one line per row: a
//! debugging aid for the geometry step (`cargo run --example dump_rows -- FILE`).
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump_rows FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).expect("readable file");
    let doc = match annex2json::sniff::sniff(&bytes) {
        Ok(annex2json::sniff::Format::Pdf) => {
            let l = annex2json::pdf::read(&bytes).expect("a PDF");
            annex2json::grid::pdf_page::document(&l.glyphs, &l.rules, l.pages.unwrap_or(0), &Default::default()).0
        }
        Ok(annex2json::sniff::Format::Xlsx) => annex2json::grid::sheet::read(&bytes, annex2json::grid::sheet::Book::Xlsx).expect("a workbook"),
        Ok(annex2json::sniff::Format::Html) => annex2json::grid::html::read(&String::from_utf8_lossy(&bytes)),
        other => {
            eprintln!("not a grid input: {other:?}");
            std::process::exit(1);
        }
    };
    for r in doc.rows() {
        let cells: Vec<String> = r
            .cells
            .iter()
            .map(|c| format!("{}{}[{:.0}-{:.0}{}]", if c.first { "" } else { "^" }, c.text, c.x0, c.x1, if c.bottom { "_" } else { "" }))
            .collect();
        println!("p{:?} g{} r{} {}", r.page, r.grid, r.row, cells.join(" | "));
    }
}

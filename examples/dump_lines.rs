//! Print a PDF's lines rebuilt from glyph positions, with each token's x extent and the
//! baseline: a debugging aid for the geometry steps (`cargo run --example dump_lines -- FILE [PAGE]`).
fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: dump_lines FILE [PAGE]");
        std::process::exit(2);
    };
    let page: Option<u32> = args.next().and_then(|p| p.parse().ok());
    let bytes = std::fs::read(&path).expect("readable file");
    let l = annex2json::pdf::read(&bytes).expect("a PDF");
    let s = annex2json::grid::pdf_page::GeometrySettings::default();
    for line in annex2json::grid::pdf_page::positional_lines(&l.glyphs, &s) {
        if page.is_some_and(|p| line.page != Some(p)) || line.tokens.is_empty() {
            continue;
        }
        let toks: Vec<String> = line.tokens.iter().map(|t| format!("{}[{:.0}-{:.0}]", t.text, t.x0, t.x1)).collect();
        println!("p{} y{:.1} {}", line.page.unwrap_or(0), line.y.unwrap_or(0.0), toks.join(" "));
    }
}

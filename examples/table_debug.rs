//! Debug view for the positional table finder: rules per page, then (with --tables) the
//! tables found on each page. `cargo run --example table_debug -- FILE.pdf [--rules]`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: table_debug FILE.pdf [--rules]");
        std::process::exit(2);
    };
    let show_rules = std::env::args().any(|a| a == "--rules");
    let bytes = std::fs::read(&path).unwrap_or_default();
    let layout = match annex2json::pdf::read(&bytes) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let pages = layout.pages.unwrap_or(0);
    for p in 1..=pages {
        let rs: Vec<_> = layout.rules.iter().filter(|r| r.page == p).collect();
        let h = rs.iter().filter(|r| (r.y0 - r.y1).abs() < 0.5).count();
        println!("page {p}: {} rules ({} horizontal, {} vertical)", rs.len(), h, rs.len() - h);
        if show_rules {
            for r in rs {
                println!("   {:.1},{:.1} – {:.1},{:.1}", r.x0, r.y0, r.x1, r.y1);
            }
        }
    }
}

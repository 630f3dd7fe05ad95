//! Debug view for the positional table finder: rules per page, and with `--page N` the
//! grids found on that page with their cell texts.
//! `cargo run --example table_debug -- FILE.pdf [--rules] [--page N]`

use annex2json::table_finder::{lattice, rows, tables};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: table_debug FILE.pdf [--rules] [--page N]");
        std::process::exit(2);
    };
    let show_rules = args.iter().any(|a| a == "--rules");
    let stream_only = args.iter().any(|a| a == "--stream");
    let only: Option<u32> = args.iter().position(|a| a == "--page").and_then(|i| args.get(i + 1)).and_then(|s| s.parse().ok());
    let bytes = std::fs::read(path).unwrap_or_default();
    let layout = match annex2json::pdf::read(&bytes) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    if stream_only && only.is_some() {
        for (p, mut words) in rows::page_words(&layout.lines) {
            if only != Some(p) {
                continue;
            }
            let vr = rows::visual_rows(words.clone());
            if std::env::var("TF_ROWS").is_ok() {
                for r in &vr {
                    println!("  row cy={:.1} size={:.1} tab={} | {}", r.cy, r.size(), annex2json::table_finder::stream::is_tabular(r), r.text());
                }
            }
            for g in annex2json::table_finder::stream::grids(p, &vr) {
                println!("  stream grid {}x{} xs {:?}", g.nrows(), g.ncols(), g.xs.iter().map(|x| x.round()).collect::<Vec<_>>());
                let f = tables::fill(g, &mut words);
                for (r, row) in f.slots().iter().enumerate() {
                    let cells: Vec<String> = row.iter().map(|s| s.text.clone()).collect();
                    println!("   {r:2} | {}", cells.join(" | "));
                }
            }
        }
        return;
    }
    if stream_only {
        // The stream step alone: the tables found when the ruling lines are ignored.
        let out = annex2json::table_finder::annexes(&layout.lines, &[]);
        for a in &out.annexes {
            for t in &a.tables {
                println!("{:?} p{:?}: {} cols {:?}, {} rows", a.title, a.source.pages, t.columns.len(),
                    t.columns.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), t.rows.len());
            }
        }
        println!("{} unplaced on pages without a table", out.diagnostics.iter().filter(|d| d.code == "unplaced_text").count());
        return;
    }
    for (p, mut words) in rows::page_words(&layout.lines) {
        if only.is_some_and(|o| o != p) {
            continue;
        }
        let rs: Vec<_> = layout.rules.iter().filter(|r| r.page == p).collect();
        let h = rs.iter().filter(|r| (r.y0 - r.y1).abs() < 0.5).count();
        println!("page {p}: {} rules ({} horizontal, {} vertical)", rs.len(), h, rs.len() - h);
        if show_rules {
            for r in &rs {
                println!("   {:.1},{:.1} – {:.1},{:.1}", r.x0, r.y0, r.x1, r.y1);
            }
        }
        if only.is_none() {
            continue;
        }
        for g in lattice::grids(&layout.rules, p) {
            println!("  grid {}x{} xs {:?}", g.nrows(), g.ncols(), g.xs.iter().map(|x| x.round()).collect::<Vec<_>>());
            let f = tables::fill(g, &mut words);
            for (r, row) in f.slots().iter().enumerate() {
                let cells: Vec<String> = row
                    .iter()
                    .map(|s| if s.first_row && s.first_col { s.text.clone() } else if s.text.is_empty() { String::new() } else { "^".into() })
                    .collect();
                println!("   {r:2} | {}", cells.join(" | "));
            }
        }
        for r in rows::visual_rows(words) {
            println!("  outside: {}", r.text());
        }
    }
}

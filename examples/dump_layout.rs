//! Print the positioned-token layout of an input in text-dump style, one line per
//! baseline: a leading space marks a block start, `|` separates tokens, and a blank line
//! is printed where the reader saw one. Useful to see what the grammars see.
//!
//! `cargo run --example dump_layout -- corpus/hunan-rst-2024-render-ruled/source.pdf`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump_layout FILE [--xy]");
        std::process::exit(2);
    };
    let xy = std::env::args().any(|a| a == "--xy");
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let layout = if annex2json::looks_like_pdf(&bytes) {
        match annex2json::pdf::read(&bytes) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        }
    } else {
        annex2json::text_reader::read(&bytes)
    };
    for l in &layout.lines {
        let mut s = String::new();
        if l.starts_block {
            s.push(' ');
        }
        for (i, t) in l.tokens.iter().enumerate() {
            if i > 0 {
                s.push('|');
            }
            if xy {
                s.push_str(&format!("[{:.0}-{:.0}]", t.x0, t.x1));
            }
            s.push_str(&t.text);
        }
        if xy {
            println!("p{:?} y{:?} {s}", l.page, l.y.map(|y| y.round()));
        } else {
            println!("{s}");
        }
    }
    for d in &layout.diagnostics {
        eprintln!("{}: {}", d.code, d.message);
    }
}

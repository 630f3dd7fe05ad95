//! The PDF reader against the corpus: line texts of the rendered PDFs vs their text dumps,
//! and the real PDFs read cleanly (no U+FFFD, no Kangxi radicals, every page has text).
//!
//! `PDF_DIFF=1 cargo test --test pdf_reader -- --nocapture` prints the differing lines.

use annex2json::pdf;
use std::path::PathBuf;

fn corpus(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus").join(rel)
}

fn norm(s: &str) -> String {
    annex2json::radicals::fold(&s.chars().filter(|c| !c.is_whitespace()).collect::<String>())
}

/// Longest common subsequence of equal lines; returns the matched pairs.
fn lcs(a: &[String], b: &[String]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    let mut t = vec![0u32; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i * (m + 1) + j] = if a[i] == b[j] {
                t[(i + 1) * (m + 1) + j + 1] + 1
            } else {
                t[(i + 1) * (m + 1) + j].max(t[i * (m + 1) + j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n && j < m {
        if a[i] == b[j] {
            out.push((i, j));
            i += 1;
            j += 1;
        } else if t[(i + 1) * (m + 1) + j] >= t[i * (m + 1) + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// Share of lines (dump and PDF together) that match in order, and among matched lines the
/// share whose tokens equal the dump's space-separated words.
fn match_ratio(name: &str) -> (f64, f64) {
    let bytes = std::fs::read(corpus(&format!("{name}/source.pdf"))).expect("pdf");
    let layout = pdf::read(&bytes).expect("read");
    let dump = std::fs::read_to_string(corpus(&format!("{name}/source.txt"))).expect("txt");
    let dump_lines: Vec<&str> = dump.lines().filter(|l| !norm(l).is_empty()).collect();
    let want: Vec<String> = dump_lines.iter().map(|l| norm(l)).collect();
    let pdf_lines: Vec<&annex2json::token::Line> =
        layout.lines.iter().filter(|l| !norm(&l.compact()).is_empty()).collect();
    let got: Vec<String> = pdf_lines.iter().map(|l| norm(&l.compact())).collect();
    for l in &layout.lines {
        assert!(!l.compact().chars().any(is_radical), "radical in {:?}", l.compact());
    }
    let pairs = lcs(&want, &got);
    let ratio = 2.0 * pairs.len() as f64 / (want.len() + got.len()) as f64;
    let same_tokens = pairs
        .iter()
        .filter(|&&(i, j)| {
            let words: Vec<String> = dump_lines[i].split_whitespace().map(annex2json::radicals::fold).collect();
            let toks: Vec<String> = pdf_lines[j].tokens.iter().map(|t| t.text.clone()).collect();
            words == toks
        })
        .count();
    let token_ratio = same_tokens as f64 / pairs.len().max(1) as f64;
    println!(
        "{name}: {} dump lines, {} PDF lines, {} matched, ratio {ratio:.4}; tokens as in the dump: {token_ratio:.4}",
        want.len(),
        got.len(),
        pairs.len()
    );
    if std::env::var_os("PDF_DIFF").is_some() {
        let (mut i, mut j) = (0, 0);
        for &(pi, pj) in pairs.iter().chain(std::iter::once(&(want.len(), got.len()))) {
            while i < pi {
                println!("  - {}", want[i]);
                i += 1;
            }
            while j < pj {
                println!("  + {}", got[j]);
                j += 1;
            }
            i += 1;
            j += 1;
        }
    }
    (ratio, token_ratio)
}

// Measured: ruled 0.9989 (the dump runs the last line of a page into the next page's first
// line; we never join pages), borderless 1.0000; tokens 1.0 on both.
#[test]
fn ruled_matches_dump() {
    let (lines, tokens) = match_ratio("hunan-rst-2024-render-ruled");
    assert!(lines >= 0.99 && tokens >= 0.98, "{lines} {tokens}");
}

#[test]
fn borderless_matches_dump() {
    let (lines, tokens) = match_ratio("hunan-rst-2024-render-borderless");
    assert!(lines >= 0.99 && tokens >= 0.98, "{lines} {tokens}");
}

fn is_radical(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x2FD5)
}

#[test]
fn real_pdfs_read_cleanly() {
    let dir = corpus("real");
    let mut names: Vec<_> = std::fs::read_dir(&dir).expect("dir").filter_map(|e| e.ok()).map(|e| e.path()).collect();
    names.sort();
    assert!(names.len() >= 6);
    for p in names.iter().filter(|p| p.extension().is_some_and(|e| e == "pdf")) {
        let bytes = std::fs::read(p).expect("pdf");
        let layout = pdf::read(&bytes).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let pages = layout.pages.expect("pages");
        let mut with_text = std::collections::BTreeSet::new();
        let mut chars = 0usize;
        for l in &layout.lines {
            for t in &l.tokens {
                assert!(!t.text.contains('\u{FFFD}'), "{}: U+FFFD in {:?}", p.display(), t.text);
                assert!(!t.text.chars().any(is_radical), "{}: radical in {:?}", p.display(), t.text);
                chars += t.text.chars().count();
            }
            with_text.insert(l.page.expect("page"));
        }
        println!(
            "{}: {pages} pages, {} lines, {chars} chars, {} rules, {} diagnostics",
            p.file_name().unwrap().to_string_lossy(),
            layout.lines.len(),
            layout.rules.len(),
            layout.diagnostics.len()
        );
        for d in layout.diagnostics.iter().take(5) {
            println!("   {}: {}", d.code, d.message);
        }
        for page in 1..=pages {
            assert!(with_text.contains(&page), "{}: page {page} has no text", p.display());
        }
    }
}

//! Cross-check against poppler's `pdftotext` (skipped when it is not installed): every
//! page of the corpus PDFs must carry the same characters (as a multiset, spaces ignored,
//! radicals folded) in our reading as in poppler's.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

fn bag(s: &str) -> HashMap<char, i64> {
    let mut m = HashMap::new();
    for c in annex2json::radicals::fold(s).chars().filter(|c| !c.is_whitespace()) {
        *m.entry(c).or_insert(0) += 1;
    }
    m
}

#[test]
fn pages_match_pdftotext() {
    if Command::new("pdftotext").arg("-v").output().is_err() {
        eprintln!("pdftotext not installed; skipped");
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(root.join("real")).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.push(root.join("hunan-rst-2024-render-ruled/source.pdf"));
    files.push(root.join("hunan-rst-2024-render-borderless/source.pdf"));
    files.sort();
    let mut worst = 0.0f64;
    for f in files.iter().filter(|p| p.extension().is_some_and(|e| e == "pdf")) {
        let layout = annex2json::pdf::read(&std::fs::read(f).unwrap()).unwrap();
        let (mut missing, mut extra, mut total) = (0i64, 0i64, 0i64);
        for page in 1..=layout.pages.unwrap() {
            let out = Command::new("pdftotext")
                .args(["-q", "-f", &page.to_string(), "-l", &page.to_string(), "-enc", "UTF-8"])
                .arg(f)
                .arg("-")
                .output()
                .unwrap();
            let theirs = bag(&String::from_utf8_lossy(&out.stdout));
            let ours_text: String = layout.lines.iter().filter(|l| l.page == Some(page)).map(|l| l.compact()).collect();
            let ours = bag(&ours_text);
            let mut page_missing = Vec::new();
            for (c, n) in &theirs {
                total += n;
                let d = n - ours.get(c).copied().unwrap_or(0);
                if d > 0 {
                    missing += d;
                    page_missing.push((*c, d));
                }
            }
            for (c, n) in &ours {
                let d = n - theirs.get(c).copied().unwrap_or(0);
                if d > 0 {
                    extra += d;
                }
            }
            if !page_missing.is_empty() && std::env::var_os("PDF_DIFF").is_some() {
                println!("  page {page} missing {page_missing:?}");
            }
        }
        let r = (missing + extra) as f64 / total.max(1) as f64;
        worst = worst.max(r);
        println!(
            "{}: {total} chars in pdftotext, {missing} missing, {extra} extra",
            f.file_name().unwrap().to_string_lossy()
        );
    }
    assert!(worst < 0.001, "character mismatch ratio {worst}");
}

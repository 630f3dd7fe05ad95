//! Both paths on every corpus PDF: pdf-extract (a dev-dependency, run behind
//! `catch_unwind` because it panics on common Chinese font setups) makes a text dump of
//! each PDF in the dump style the corpus uses; the text path extracts that dump and the
//! PDF path extracts the PDF itself. Then:
//!
//! * the text path must succeed on every dump pdf-extract could make;
//! * for documents with hand-checked `expected/` annexes, the two paths' JSON must agree
//!   fact by fact (the PDF path's output scored as truth against the text path's), and
//!   each must score at least its document's floor on its own.

mod score;

use serde_json::Value;
use std::path::{Path, PathBuf};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

fn corpus_pdfs() -> Vec<PathBuf> {
    let root = Path::new(MANIFEST_DIR).join("corpus");
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&root) else { return out };
    for e in entries.flatten() {
        let p = e.path();
        if p.join("source.pdf").is_file() {
            out.push(p.join("source.pdf"));
        }
        if p.file_name().is_some_and(|n| n == "real") {
            if let Ok(real) = std::fs::read_dir(&p) {
                out.extend(real.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "pdf")));
            }
        }
    }
    out.sort();
    out
}

/// pdf-extract's dump of a PDF, or why it could not make one.
fn dump(bytes: &[u8]) -> Result<String, String> {
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let r = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes));
    std::panic::set_hook(prev);
    match r {
        Ok(Ok(s)) => Ok(s),
        Ok(Err(e)) => Err(format!("error: {e}")),
        Err(_) => Err("panicked".to_string()),
    }
}

#[test]
fn text_path_and_pdf_path_agree() {
    let mut report = String::new();
    let mut failures = Vec::new();
    for pdf in corpus_pdfs() {
        let name = pdf.strip_prefix(MANIFEST_DIR).unwrap_or(&pdf).display().to_string();
        let bytes = std::fs::read(&pdf).expect("corpus PDF readable");
        let text = match dump(&bytes) {
            Ok(t) => t,
            Err(why) => {
                report.push_str(&format!("{name}: pdf-extract gave no dump ({why}); PDF path only\n"));
                if let Err(e) = annex2json::extract_bytes(&bytes, "source.pdf") {
                    failures.push(format!("{name}: PDF path failed: {e}"));
                }
                continue;
            }
        };
        let via_text = match annex2json::extract_bytes(text.as_bytes(), "dump.txt") {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{name}: text path failed on pdf-extract's dump: {e}"));
                continue;
            }
        };
        let via_pdf = match annex2json::extract_bytes(&bytes, "source.pdf") {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{name}: PDF path failed: {e}"));
                continue;
            }
        };
        let t: Value = serde_json::to_value(&via_text).expect("serializable");
        let p: Value = serde_json::to_value(&via_pdf).expect("serializable");
        let agree = score::score(&score::output_from_value(&p), &score::output_from_value(&t));
        let all = agree.categories.iter().find(|c| c.name == "ALL").map(|c| c.f1).unwrap_or(0.0);
        report.push_str(&format!(
            "{name}: {} annexes via text, {} via PDF; agreement F1 {all:.4}\n",
            via_text.annexes.len(),
            via_pdf.annexes.len()
        ));
        let expected = pdf.parent().map(|d| d.join("expected"));
        if let Some(exp) = expected.filter(|e| e.is_dir()) {
            let truth = score::load_truth(&exp).expect("expected annexes load");
            for (label, doc) in [("text", &t), ("pdf", &p)] {
                let r = score::score(&truth, &score::output_from_value(doc));
                let f1 = r.categories.iter().find(|c| c.name == "ALL").map(|c| c.f1).unwrap_or(0.0);
                report.push_str(&format!("    {label} path vs expected: ALL F1 {f1:.4}\n"));
                if f1 < 0.99 {
                    failures.push(format!("{name}: {label} path scores {f1:.4} < 0.99 against expected/"));
                }
            }
            if all < 0.99 {
                failures.push(format!("{name}: the two paths agree only at F1 {all:.4}"));
            }
        }
    }
    eprintln!("{report}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

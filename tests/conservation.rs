//! Text conservation: every non-whitespace character of the input appears in the output.
//!
//! For every corpus document (`corpus/*/source.txt`, `corpus/*/source.pdf`,
//! `corpus/real/*.pdf`) the input's characters are counted as a multiset:
//! - a text dump: the decoded file text, Kangxi radicals folded ([`radicals::fold`]);
//! - a PDF: the text of the tokens of [`annex2json::pdf::read`]'s lines (folded likewise).
//!
//! The output's characters are those of every string of the serialized Document: cells,
//! labels, titles, `fields` keys and values, goals, indicators, notes, signoff, column
//! labels, and the messages of the diagnostics that carry input text ([`TEXT_CARRIERS`]:
//! `unplaced_text` with what could not be placed, `structure_text` with the labels read as
//! structure, …). Left out are the strings the program makes up rather than reads —
//! `schema`, `source` (file name, sha256), `kind`, column `key`s, diagnostic
//! `level`/`code`, `checks`, and the messages of other diagnostics, which only quote text
//! already placed — so that a hash, a computed sum or a quotation cannot stand in for a
//! lost character. (The percentage counting every message is printed beside it.)
//!
//! Conserved = Σ_c min(in[c], out[c]) / Σ_c in[c]. The test prints it per document with the
//! first missing characters in context, and fails when a document falls below its floor in
//! [`FLOORS`]. The target is 100%; **floors only go up**: raise one when the grammars
//! improve (the test prints `floor could rise to …`), never lower it.

use annex2json::radicals;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// Measured floors (percent conserved, rounded down to 0.1), by path under `corpus/`.
/// A document not listed must conserve 100%. Every corpus document does (strict count,
/// see the module docs): text the grammars consume as structure is on record in a
/// `structure_text` diagnostic, text they cannot place in `unplaced_text`.
const FLOORS: &[(&str, f64)] = &[];

fn corpus() -> PathBuf {
    Path::new(MANIFEST_DIR).join("corpus")
}

fn inputs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let dirs = std::fs::read_dir(corpus()).into_iter().flatten().chain(std::fs::read_dir(corpus().join("forms")).into_iter().flatten());
    for e in dirs.flatten() {
        let p = e.path();
        if !p.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&p).into_iter().flatten().flatten() {
            let f = f.path();
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name == "source.txt" || f.extension().is_some_and(|x| ["pdf", "xlsx", "xls", "docx", "html"].iter().any(|e| x == *e)) {
                out.push(f);
            }
        }
    }
    out.sort();
    out
}

/// The input's text, one string per line (for the context of a missing character).
fn input_lines(bytes: &[u8]) -> Result<Vec<String>, String> {
    // A workbook or an HTML page: its text is every cell its reader finds, one per line.
    let grid_text = |doc: annex2json::grid::GridDoc| -> Vec<String> {
        doc.grids.iter().flat_map(|g| g.cells.iter().map(|c| c.lines.join(" "))).filter(|t| !t.trim().is_empty()).collect()
    };
    match annex2json::sniff::sniff(bytes) {
        Ok(annex2json::sniff::Format::Xlsx) => return annex2json::grid::sheet::read(bytes, annex2json::grid::sheet::Book::Xlsx).map(grid_text),
        Ok(annex2json::sniff::Format::Xls) => return annex2json::grid::sheet::read(bytes, annex2json::grid::sheet::Book::Xls).map(grid_text),
        Ok(annex2json::sniff::Format::Docx) => return annex2json::grid::docx::read(bytes).map(grid_text),
        Ok(annex2json::sniff::Format::Html) => return Ok(grid_text(annex2json::grid::html::read(&String::from_utf8_lossy(bytes)))),
        // Copied table text: its `|` are the cells' separators (markup), not text.
        Ok(annex2json::sniff::Format::Text) if annex2json::grid::flat_text::is_flat_table(&String::from_utf8_lossy(bytes)) => {
            return Ok(String::from_utf8_lossy(bytes).lines().map(|l| l.replace('|', " ")).collect());
        }
        _ => {}
    }
    if annex2json::looks_like_pdf(bytes) {
        let layout = annex2json::pdf::read(bytes)?;
        Ok(layout
            .lines
            .iter()
            .map(|l| {
                let parts: Vec<&str> = l.tokens.iter().map(|t| t.text.as_str()).collect();
                radicals::fold(&parts.join(" "))
            })
            .collect())
    } else {
        let (text, _) = annex2json::text_reader::decode(bytes);
        Ok(text.lines().map(radicals::fold).collect())
    }
}

/// The diagnostics whose message carries input text the grammar did not put in a part of
/// the annex (what it could not place, what it read as structure, what it dropped). Other
/// diagnostics only quote text that is already in the output; counting them would let a
/// quotation stand in for a lost character.
const TEXT_CARRIERS: &[&str] = &[
    "unplaced_text",
    "structure_text",
    "page_header_dropped",
    "repeated_header_dropped",
    "undecodable_text",
];

/// Collect the output's strings (see the module docs for what is left out). With `strict`,
/// only the messages of [`TEXT_CARRIERS`] diagnostics count.
fn output_strings(v: &Value, key: Option<&str>, strict: bool, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        // Numbers keep their printed digits (arbitrary precision), so they count as printed.
        Value::Number(n) => out.push(n.to_string()),
        Value::Array(xs) => {
            for x in xs {
                output_strings(x, key, strict, out);
            }
        }
        Value::Object(m) => {
            if strict
                && key == Some("diagnostics")
                && let Some(Value::String(code)) = m.get("code")
                && !TEXT_CARRIERS.contains(&code.as_str())
            {
                return;
            }
            for (k, x) in m {
                // Field labels and extra indicator columns are printed labels, kept as keys.
                if matches!(key, Some("fields" | "extra")) {
                    out.push(k.clone());
                }
                match (key, k.as_str()) {
                    (None, "schema" | "source") => continue,
                    (_, "kind" | "checks") => continue,
                    (Some("diagnostics"), "level" | "code") => continue,
                    (Some("columns"), "key") => continue,
                    (Some("fields"), _) => out.push(k.clone()),
                    _ => {}
                }
                output_strings(x, Some(k.as_str()), strict, out);
            }
        }
        _ => {}
    }
}

fn count(s: &str, into: &mut HashMap<char, i64>) {
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        *into.entry(c).or_default() += 1;
    }
}

struct Measure {
    total: i64,
    kept: i64,
    /// The first input words found nowhere in the output, with line number and context.
    missing: Vec<String>,
    missing_chars: i64,
    /// The characters missing most often, `、×58`.
    by_char: String,
}

fn measure(lines: &[String], out: &HashMap<char, i64>, blob: &str) -> Measure {
    let mut input: HashMap<char, i64> = HashMap::new();
    for l in lines {
        count(l, &mut input);
    }
    let total: i64 = input.values().sum();
    let kept: i64 = input
        .iter()
        .map(|(c, n)| (*n).min(*out.get(c).unwrap_or(&0)))
        .sum();
    // Where: the input's words (whitespace-separated runs) that occur nowhere in the
    // output, first ones first, with their line.
    let mut missing = Vec::new();
    for (li, l) in lines.iter().enumerate() {
        let lost: Vec<&str> = l
            .split_whitespace()
            .filter(|w| !blob.contains(*w))
            .collect();
        if lost.is_empty() {
            continue;
        }
        if missing.len() >= 15 {
            break;
        }
        let shown: String = lost.join(" ").chars().take(60).collect();
        let ctx: String = l
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(50)
            .collect();
        missing.push(format!("line {}: “{shown}” (in “{ctx}”)", li + 1));
    }
    let mut short: Vec<(char, i64)> = input
        .iter()
        .map(|(c, n)| (*c, n - out.get(c).unwrap_or(&0)))
        .filter(|(_, d)| *d > 0)
        .collect();
    short.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let by_char: Vec<String> = short
        .iter()
        .take(25)
        .map(|(c, n)| format!("{c}×{n}"))
        .collect();
    Measure {
        total,
        kept,
        missing,
        missing_chars: total - kept,
        by_char: by_char.join(" "),
    }
}

#[test]
fn every_character_of_the_input_is_in_the_output() {
    let mut report = String::new();
    let mut failures = Vec::new();
    let files = inputs();
    assert!(!files.is_empty(), "no corpus inputs");
    for p in files {
        let rel = p.strip_prefix(corpus()).unwrap_or(&p).display().to_string();
        let Ok(bytes) = std::fs::read(&p) else {
            continue;
        };
        let lines = match input_lines(&bytes) {
            Ok(l) => l,
            Err(e) => {
                let _ = writeln!(report, "{rel}: input unreadable ({e}), skipped");
                continue;
            }
        };
        let doc = match annex2json::extract_bytes(&bytes, &rel) {
            Ok(d) => d,
            Err(e) => {
                let _ = writeln!(report, "{rel}: extract failed ({e}), skipped");
                continue;
            }
        };
        let json = serde_json::to_value(&doc).expect("serialize");
        let tally = |strict: bool| {
            let mut strings = Vec::new();
            output_strings(&json, None, strict, &mut strings);
            let mut out: HashMap<char, i64> = HashMap::new();
            let mut blob = String::new();
            for s in &strings {
                let f = radicals::fold(s);
                count(&f, &mut out);
                blob.extend(f.chars().filter(|c| !c.is_whitespace()));
                blob.push('\u{1}');
            }
            (out, blob)
        };
        let (out, blob) = tally(true);
        let m = measure(&lines, &out, &blob);
        let (lenient, lenient_blob) = tally(false);
        let ml = measure(&lines, &lenient, &lenient_blob);
        let lenient_pct = if ml.total == 0 {
            100.0
        } else {
            100.0 * ml.kept as f64 / ml.total as f64
        };
        let pct = if m.total == 0 {
            100.0
        } else {
            100.0 * m.kept as f64 / m.total as f64
        };
        let floor = FLOORS
            .iter()
            .find(|(f, _)| *f == rel)
            .map(|(_, x)| *x)
            .unwrap_or(100.0);
        let _ = writeln!(
            report,
            "{rel}: {pct:.2}% conserved ({} of {} characters, {} missing; {lenient_pct:.2}% counting every diagnostic message); floor {floor:.1}",
            m.kept, m.total, m.missing_chars
        );
        if !m.by_char.is_empty() {
            let _ = writeln!(report, "    most missing: {}", m.by_char);
        }
        for x in &m.missing {
            let _ = writeln!(report, "    {x}");
        }
        let rounded = (pct * 10.0).floor() / 10.0;
        if rounded > floor {
            let _ = writeln!(report, "    floor could rise to {rounded:.1}");
        }
        if pct + 1e-9 < floor {
            failures.push(format!("{rel}: {pct:.2}% < floor {floor:.1}"));
        }
    }
    println!("{report}");
    let dir = Path::new(MANIFEST_DIR).join("target/tmp");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join("conservation.txt"), &report);
    assert!(
        failures.is_empty(),
        "text lost below the floor:\n{}",
        failures.join("\n")
    );
}

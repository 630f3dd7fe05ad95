//! Golden tests: every bundled document that has hand-checked `expected/` annexes is
//! extracted from each of its sources (`source.txt`, `source.pdf`), scored with the fact
//! scorer (the Rust port of `tools/score.py`, see `tests/score/mod.rs`) and
//!
//! 1. fails when its ALL F1 falls below the floor in `corpus/<doc>/floor.txt`
//!    (floors only ever go up; an `Err` from `extract` scores 0 and fails only if the
//!    floor is above 0);
//! 2. snapshots its full output as pretty JSON (`tests/snapshots/golden__<doc>__<src>.snap`),
//!    so every change of output is reviewed. Accept intended changes with
//!    `INSTA_UPDATE=always cargo test --test golden` (or `cargo insta review`) and read the
//!    diff of `tests/snapshots/` before committing.
//!
//! The per-category score tables and first misses are printed (see them with
//! `cargo test --test golden -- --nocapture`) and written to `target/tmp/golden-scores.txt`;
//! a one-line-per-source summary always goes to stderr.

mod score;

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

const SOURCES: [&str; 7] = ["source.txt", "source.pdf", "source.web.pdf", "source.xlsx", "source.xls", "source.web.html", "source.docx"];
const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// One source of one document with `expected/`.
struct Case {
    doc: String,
    dir: PathBuf,
    source: &'static str,
}

impl Case {
    fn name(&self) -> String {
        format!("{}/{}", self.doc, self.source)
    }
    /// `hunan-rst-2024__txt`.
    fn snapshot(&self) -> String {
        format!("{}__{}", self.doc, self.source.trim_start_matches("source."))
    }
}

fn cases() -> Vec<Case> {
    // corpus/<doc>/ and corpus/forms/<doc>/ (the office prints, workbooks and other
    // provinces' forms read through the grid; the older suites scan corpus/<doc>/ only).
    let corpus = Path::new(MANIFEST_DIR).join("corpus");
    let mut docs: Vec<PathBuf> = [corpus.clone(), corpus.join("forms")]
        .iter()
        .flat_map(|root| std::fs::read_dir(root).into_iter().flatten().flatten().map(|e| e.path()))
        .filter(|p| p.join("expected").is_dir())
        .collect();
    docs.sort();
    let mut out = Vec::new();
    for dir in docs {
        let doc = dir.file_name().unwrap().to_string_lossy().into_owned();
        for source in SOURCES {
            if dir.join(source).is_file() {
                out.push(Case { doc: doc.clone(), dir: dir.clone(), source });
            }
        }
    }
    out
}

/// `corpus/<doc>/floor.txt`: `<source> <F1>` per line, `#` comments.
fn read_floors(dir: &Path) -> Result<BTreeMap<String, f64>, String> {
    let path = dir.join("floor.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e} (every document with expected/ needs one)", path.display()))?;
    let mut floors = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap().trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let (Some(src), Some(f), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("{}:{}: expected `<source> <F1>`", path.display(), i + 1));
        };
        let f: f64 = f.parse().map_err(|_| format!("{}:{}: bad F1 {f:?}", path.display(), i + 1))?;
        if !(0.0..=1.0).contains(&f) || !SOURCES.contains(&src) {
            return Err(format!("{}:{}: bad line {line:?}", path.display(), i + 1));
        }
        floors.insert(src.to_string(), f);
    }
    Ok(floors)
}

/// Machine-independent text: the checkout's path replaced by `$CARGO_MANIFEST_DIR`.
fn redact(s: &str) -> String {
    s.replace(MANIFEST_DIR, "$CARGO_MANIFEST_DIR")
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default()
}

#[test]
fn golden() {
    let cases = cases();
    assert!(!cases.is_empty(), "no corpus/<doc>/expected");
    let mut report = String::new();
    let mut summary = String::new();
    let mut failures: Vec<String> = Vec::new();
    let mut snapshot_failures: Vec<String> = Vec::new();

    for case in &cases {
        let path = case.dir.join(case.source);
        let floor = match read_floors(&case.dir) {
            Ok(f) => match f.get(case.source) {
                Some(f) => *f,
                None => {
                    failures.push(format!("{}: no floor for {} in floor.txt", case.name(), case.source));
                    0.0
                }
            },
            Err(e) => {
                failures.push(e);
                0.0
            }
        };
        let _ = writeln!(report, "== {} (floor {floor:.3})", case.name());

        let started = std::time::Instant::now();
        let result = std::panic::catch_unwind(|| annex2json::extract(&path));
        let secs = started.elapsed().as_secs_f64();
        let (f1, recovery, snapshot) = match result {
            Err(p) => {
                let msg = format!("extract panicked: {}", panic_text(&*p));
                let _ = writeln!(report, "{msg}");
                failures.push(format!("{}: {msg} (extract must return Err, not panic)", case.name()));
                (0.0, 0.0, None)
            }
            Ok(Err(e)) => {
                let msg = redact(&e.to_string());
                let _ = writeln!(report, "extract error: {msg}\n(scored as F1 0)");
                (0.0, 0.0, Some(format!("extract error: {msg}\n")))
            }
            Ok(Ok(doc)) => {
                let value: Value = serde_json::to_value(&doc).expect("Document serializes");
                match score::score_document(&case.dir.join("expected"), &value) {
                    Ok(r) => {
                        let _ = write!(report, "{}", r.table());
                        for m in r.misses.iter().take(8) {
                            let _ = writeln!(report, "  {m}");
                        }
                        if r.misses.len() > 8 {
                            let _ = writeln!(report, "  … {} misses in all", r.misses.len());
                        }
                        let pretty = serde_json::to_string_pretty(&value).unwrap();
                        (r.all().f1, r.indicator_recovery, Some(redact(&pretty) + "\n"))
                    }
                    Err(e) => {
                        failures.push(format!("{}: cannot load expected/: {e}", case.name()));
                        (0.0, 0.0, None)
                    }
                }
            }
        };
        let _ = writeln!(report, "({secs:.2}s)\n");
        let _ = writeln!(summary, "{:58} F1 {f1:.4}  floor {floor:.3}  indicator_recovery {recovery:.4}", case.name());
        if f1 < floor {
            failures.push(format!("{}: ALL F1 {f1:.4} is below its floor {floor:.3}", case.name()));
        } else if f1 >= floor + 0.01 {
            let _ = writeln!(summary, "{:58} floor could rise to {:.3}", "", (f1 * 1000.0).floor() / 1000.0);
        }

        if let Some(snapshot) = snapshot {
            let name = case.snapshot();
            let r = std::panic::catch_unwind(AssertUnwindSafe(|| {
                insta::with_settings!({ omit_expression => true, description => format!("annex2json::extract(\"corpus/{}\")", case.name()) }, {
                    insta::assert_snapshot!(name.clone(), snapshot);
                });
            }));
            if r.is_err() {
                snapshot_failures.push(name);
            }
        }
    }

    let text = format!("{report}== summary\n{summary}");
    println!("{text}");
    // The summary also goes straight to stderr, past libtest's capture, so CI logs show it.
    let _ = std::io::Write::write_all(&mut std::io::stderr(), format!("\ngolden scores (ALL F1, floor):\n{summary}\n").as_bytes());
    let _ = std::fs::write(Path::new(env!("CARGO_TARGET_TMPDIR")).join("golden-scores.txt"), &text);

    if !snapshot_failures.is_empty() {
        failures.push(format!(
            "output changed or has no snapshot: {}. Review with `cargo insta review`, or accept with \
             `INSTA_UPDATE=always cargo test --test golden` and read `git diff tests/snapshots/`.",
            snapshot_failures.join(", ")
        ));
    }
    assert!(failures.is_empty(), "golden test failed:\n  {}", failures.join("\n  "));
}

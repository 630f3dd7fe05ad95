//! The command line as a whole process: exit codes, error lines, `-o` layout, and output that
//! does not depend on `-j` (issue 6; SPEC "Command line").

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_annex2json");
const SEED: &str = "corpus/hunan-rst-2024/source.txt";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A private copy of the binary: other builds in the same target folder (people working in
/// the tree while tests run) must not swap it between the runs a test compares.
fn bin() -> &'static Path {
    static COPY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    COPY.get_or_init(|| {
        let d =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-bin-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let p = d.join(Path::new(BIN).file_name().unwrap());
        std::fs::copy(BIN, &p).expect("copy the binary");
        p
    })
}

fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .current_dir(root())
        .args(args)
        .output()
        .expect("run annex2json")
}

/// A fresh, empty scratch folder under target/tmp.
fn scratch(name: &str) -> PathBuf {
    let d =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Every file under `dir`, as (relative path, bytes), sorted.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(base: &Path, d: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push((
                    p.strip_prefix(base).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn stderr_lines(o: &Output) -> Vec<String> {
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bad_file_does_not_stop_the_batch() {
    let out = scratch("missing");
    let missing = "corpus/no-such-dir/missing.pdf";
    let o = run(&[SEED, missing, "-o", out.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    // The good file's output is written …
    let sub = out.join("hunan-rst-2024-source");
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sub.join("document.json")).unwrap()).unwrap();
    let n = doc["annexes"].as_array().unwrap().len();
    assert!(n >= 10, "{n} annexes");
    let annex_files = std::fs::read_dir(&sub)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("annex-")
        })
        .count();
    assert_eq!(annex_files, n);
    // … nothing for the missing one, and nothing on stdout with -o.
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
    assert!(o.stdout.is_empty());
    // Exactly one error line, naming the missing file; then the summary line.
    let lines = stderr_lines(&o);
    let errors: Vec<_> = lines.iter().filter(|l| l.contains(missing)).collect();
    assert_eq!(errors.len(), 1, "{lines:?}");
    assert!(
        errors[0].starts_with(&format!("annex2json: {missing}: ")),
        "{}",
        errors[0]
    );
    let last = lines.last().unwrap();
    assert!(
        last.starts_with("annex2json: 2 files, ")
            && last.contains(" 1 failure,")
            && last.ends_with(" s"),
        "{last}"
    );
    assert!(last.contains(&format!(" {n} annexes,")), "{last}");
    assert_eq!(lines.len(), 2, "{lines:?}");
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn output_does_not_depend_on_jobs() {
    let inputs = [
        SEED,
        "corpus/hunan-rst-2024-render-ruled-pdftotext-raw/source.txt",
        "corpus/real/jiangsu-npc-office-2019-budget.pdf",
        "corpus/hunan-rst-2024-render-borderless-pdftotext-raw/source.txt",
    ];
    for format in ["json", "ndjson"] {
        let mut outs = Vec::new();
        for j in ["1", "2", "3"] {
            let mut args = vec!["-j", j, "--format", format];
            args.extend(inputs);
            let o = run(&args);
            assert_eq!(
                o.status.code(),
                Some(0),
                "stderr: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            assert!(!o.stdout.is_empty());
            outs.push(o.stdout);
        }
        assert!(
            outs.iter().all(|o| *o == outs[0]),
            "--format {format}: stdout differs between -j 1, 2, 3"
        );
        if format == "ndjson" {
            for l in String::from_utf8(outs[0].clone()).unwrap().lines() {
                serde_json::from_str::<serde_json::Value>(l).expect("one JSON annex per line");
            }
        }
    }
    // JSON documents come in input order.
    let o = run(&[
        "-j",
        "2",
        SEED,
        "corpus/real/jiangsu-npc-office-2019-budget.pdf",
    ]);
    let docs: Vec<serde_json::Value> = serde_json::Deserializer::from_slice(&o.stdout)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["source"]["file"], "source.txt");
    assert_eq!(
        docs[1]["source"]["file"],
        "jiangsu-npc-office-2019-budget.pdf"
    );
    // And the -o trees are byte-identical.
    let (a, b) = (scratch("j1"), scratch("j2"));
    let mut args1 = vec!["-j", "1", "-o", a.to_str().unwrap()];
    args1.extend(inputs);
    let mut args2 = vec!["-j", "2", "-o", b.to_str().unwrap()];
    args2.extend(inputs);
    assert_eq!(run(&args1).status.code(), Some(0));
    assert_eq!(run(&args2).status.code(), Some(0));
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 10);
    assert!(ta == tb, "-o trees differ between -j 1 and -j 2");
    let _ = (std::fs::remove_dir_all(a), std::fs::remove_dir_all(b));
}

#[test]
fn folders_are_walked_and_stems_kept_apart() {
    // Two inputs named source.txt in folders of the same name must not overwrite each other.
    let src = scratch("walk-src");
    for sub in ["a/x", "b/x"] {
        std::fs::create_dir_all(src.join(sub)).unwrap();
        std::fs::copy(root().join(SEED), src.join(sub).join("source.txt")).unwrap();
    }
    std::fs::write(src.join("a/notes.json"), "{}").unwrap(); // not taken from a folder
    let out = scratch("walk-out");
    let o = run(&[
        "-j",
        "2",
        "-o",
        out.to_str().unwrap(),
        src.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut subs: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    subs.sort();
    assert_eq!(subs, ["x-source", "x-source-2"]);
    assert!(
        stderr_lines(&o)
            .last()
            .unwrap()
            .starts_with("annex2json: 2 files, ")
    );
    let _ = (std::fs::remove_dir_all(src), std::fs::remove_dir_all(out));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["--no-such-flag", SEED][..],
        &["-j", "0", SEED][..],
        &["--format", "xml", SEED][..],
    ] {
        let o = run(args);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.stdout.is_empty());
    }
    let o = run(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(
        help.contains("Examples:") && help.contains("-j") && help.contains("--check"),
        "{help}"
    );
}

#[test]
fn not_a_pdf_is_one_error_line() {
    // A file that says it is a PDF but is not: one error line, exit 1, no panic output.
    let dir = scratch("badpdf");
    let bad = dir.join("broken.pdf");
    std::fs::write(&bad, b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage").unwrap();
    let o = run(&[bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let lines = stderr_lines(&o);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with(&format!("annex2json: {}: ", bad.display())),
        "{lines:?}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn check_prints_summaries_not_json() {
    let o = run(&[
        "--check",
        "-j",
        "2",
        SEED,
        "corpus/real/jiangsu-npc-office-2019-budget.pdf",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(!text.trim_start().starts_with('{'), "{text}");
    let a = text.find("source.txt").expect("first document's summary");
    let b = text
        .find("jiangsu-npc-office-2019-budget.pdf")
        .expect("second document's summary");
    assert!(a < b, "summaries in input order");
}

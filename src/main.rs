//! The `annex2json` command line: extract files and folders of disclosures to JSON, in parallel.
//!
//! Inputs are taken in the order given; a folder contributes its `.pdf` and `.txt` files (any
//! case), walked recursively in file-name order. Files are extracted on a local rayon pool of
//! `-j N` threads, and results are printed or written in input order, so output never depends
//! on `-j`. A bad file costs one error line on stderr and exit status 1 at the end; the other
//! inputs are still processed.

use clap::{Parser, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::{BTreeMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

/// The pipeline makes and drops many small strings and vectors: with glibc's malloc, allocation
/// was about 30% of the run time. mimalloc (its v2 line: v3 kept more memory resident, 90+ MB
/// on a 500-page PDF) takes 20-25% off the CPU time for 5-10 MB more peak memory
/// (docs/PERFORMANCE.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Json,
    Ndjson,
}

/// Turn Chinese budget-performance disclosures (PDF or text dump) into JSON (schema annex2json/1).
#[derive(Parser, Debug)]
#[command(
    name = "annex2json",
    version,
    after_help = "Examples:\n  annex2json corpus/hunan-rst-2024/source.txt\n  annex2json corpus/*/source.pdf -o out/\n  annex2json reports/ -o out/ -j 4          # every .pdf/.txt under reports/, 4 threads\n  annex2json report.pdf --format ndjson | jq .kind\n  annex2json report.pdf --check             # readable summary and checks instead of JSON\n\nFolders are walked recursively for .pdf, .txt, .xlsx, .xls, .docx, .html and .htm files; files named explicitly are read\nwhatever their extension. Output is in input order whatever -j is. A summary line (files,\nannexes, failures, seconds) ends the run on stderr.\n\nExit status: 0 on success, 1 when an input could not be read, 2 on usage errors."
)]
struct Cli {
    /// Input files (PDFs or text dumps) or folders to walk for .pdf and .txt files.
    #[arg(required = true, value_name = "DIR_OR_FILE")]
    inputs: Vec<PathBuf>,
    /// Write DIR/<stem>/annex-<id>.json per annex plus DIR/<stem>/document.json.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    output: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Output format on standard output.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Print a readable summary of each document (annexes, tables, checks) instead of JSON.
    #[arg(long)]
    check: bool,
}

/// Longest file-name component we produce, in bytes (NAME_MAX is 255 on common file systems;
/// room is left for `annex-`, `.json` and a `-N` uniqueness suffix).
const MAX_COMPONENT_BYTES: usize = 120;

/// A file-name component made safe: no separators, no `..`, no control characters, not
/// empty, at most [`MAX_COMPONENT_BYTES`] bytes. Joined to a folder it always names an entry
/// directly inside that folder.
fn safe_component(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    while out.starts_with('.') {
        out.replace_range(0..1, "_");
    }
    if out.len() > MAX_COMPONENT_BYTES {
        let mut end = MAX_COMPONENT_BYTES;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
    }
    // Trailing dots and spaces are dropped by some file systems (two names would meet).
    while out.ends_with(['.', ' ']) {
        out.pop();
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

fn stem_of(p: &Path) -> String {
    // Use the parent folder's name when the file is a generic `source.*`.
    let stem = p
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parent = p
        .parent()
        .and_then(|d| d.file_name())
        .map(|s| s.to_string_lossy().into_owned());
    match parent {
        Some(par) if stem == "source" => format!("{par}-{stem}"),
        _ => stem,
    }
}

/// Make `name` unique among `taken` (compared case-insensitively, for case-insensitive file
/// systems) by appending `-2`, `-3`, …; records the result in `taken`.
fn unique(name: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(name.to_lowercase()) {
        return name;
    }
    for n in 2.. {
        let suffix = format!("-{n}");
        let mut base = name.clone();
        while base.len() + suffix.len() > MAX_COMPONENT_BYTES {
            base.pop();
        }
        let cand = base + &suffix;
        if taken.insert(cand.to_lowercase()) {
            return cand;
        }
    }
    unreachable!("an unbounded counter always finds a free name")
}

/// Output folder names, one per input, in input order: safe and pairwise distinct.
fn output_names(inputs: &[PathBuf]) -> Vec<String> {
    let mut taken = HashSet::new();
    inputs
        .iter()
        .map(|p| unique(safe_component(&stem_of(p)), &mut taken))
        .collect()
}

/// Is this a file a folder walk takes? (`.pdf`, `.txt`, `.xlsx`, `.xls`, `.docx`, `.html`, `.htm`, any case.)
fn wanted_in_folder(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["pdf", "txt", "xlsx", "xls", "docx", "html", "htm"].iter().any(|w| e.eq_ignore_ascii_case(w)))
}

/// One thing the command line named, expanded: a file to extract, or a problem met while
/// walking a folder (reported in place, in input order).
enum Item {
    File(PathBuf),
    WalkError(String),
}

fn expand(args: &[PathBuf]) -> Vec<Item> {
    let mut items = Vec::new();
    for arg in args {
        if !arg.is_dir() {
            items.push(Item::File(arg.clone()));
            continue;
        }
        let before = items.len();
        for entry in walkdir::WalkDir::new(arg)
            .follow_links(true)
            .sort_by_file_name()
        {
            match entry {
                Ok(e) if e.file_type().is_file() && wanted_in_folder(e.path()) => {
                    items.push(Item::File(e.into_path()))
                }
                Ok(_) => {}
                Err(e) => {
                    let at = e.path().unwrap_or(arg).display().to_string();
                    let cause = e
                        .io_error()
                        .map(|io| io.to_string())
                        .unwrap_or_else(|| e.to_string());
                    items.push(Item::WalkError(format!(
                        "{at}: cannot read folder: {cause}"
                    )));
                }
            }
        }
        if items.len() == before {
            eprintln!(
                "annex2json: {}: no .pdf or .txt files in this folder",
                arg.display()
            );
        }
    }
    items
}

/// What one input produced: text for standard output (in input order), or the error line.
struct Outcome {
    stdout: String,
    annexes: usize,
    error: Option<String>,
}

struct Job<'a> {
    format: Format,
    check: bool,
    output: Option<&'a Path>,
}

fn to_json<T: serde::Serialize>(v: &T, pretty: bool) -> Result<String, String> {
    if pretty {
        serde_json::to_string_pretty(v)
    } else {
        serde_json::to_string(v)
    }
    .map_err(|e| format!("cannot serialize: {e}"))
}

fn write_outputs(sub: &Path, doc: &annex2json::Document) -> Result<(), String> {
    let io = |what: &Path, e: std::io::Error| format!("cannot write {}: {e}", what.display());
    std::fs::create_dir_all(sub).map_err(|e| io(sub, e))?;
    let mut taken = HashSet::new();
    taken.insert("document".to_string()); // never clashes (files are annex-*), but cheap to be sure
    for (i, a) in doc.annexes.iter().enumerate() {
        let id = a.id.clone().unwrap_or_else(|| format!("noid{}", i + 1));
        let name = unique(format!("annex-{}", safe_component(&id)), &mut taken);
        let f = sub.join(format!("{name}.json"));
        std::fs::write(&f, to_json(a, true)? + "\n").map_err(|e| io(&f, e))?;
    }
    let f = sub.join("document.json");
    std::fs::write(&f, to_json(doc, true)? + "\n").map_err(|e| io(&f, e))
}

fn process(job: &Job, input: &Path, out_name: &str) -> Outcome {
    let doc = match annex2json::extract(input) {
        Ok(d) => d,
        // The library's errors already read `<file>: <cause>`.
        Err(e) => {
            return Outcome {
                stdout: String::new(),
                annexes: 0,
                error: Some(e.to_string()),
            };
        }
    };
    let annexes = doc.annexes.len();
    let fail = |cause: String| Outcome {
        stdout: String::new(),
        annexes,
        error: Some(format!("{}: {cause}", input.display())),
    };
    if let Some(dir) = job.output
        && let Err(cause) = write_outputs(&dir.join(out_name), &doc)
    {
        return fail(cause);
    }
    let stdout = if job.check {
        let mut s = annex2json::summary::render(&doc);
        if !s.ends_with('\n') {
            s.push('\n');
        }
        s
    } else if job.output.is_some() {
        String::new()
    } else {
        let r = match job.format {
            Format::Json => to_json(&doc, true).map(|s| s + "\n"),
            Format::Ndjson => doc
                .annexes
                .iter()
                .map(|a| to_json(a, false).map(|s| s + "\n"))
                .collect(),
        };
        match r {
            Ok(s) => s,
            Err(cause) => return fail(cause),
        }
    };
    Outcome {
        stdout,
        annexes,
        error: None,
    }
}

/// Process `items` on `jobs` threads, handing each outcome to `emit` in input order.
/// Workers take items in order from a shared counter, so at most about `jobs` finished
/// outcomes wait for an earlier one: memory stays bounded on long batches.
fn run(
    items: &[Item],
    names: &[String],
    job: &Job,
    jobs: usize,
    mut emit: impl FnMut(Outcome),
) -> Result<(), String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| format!("cannot start threads: {e}"))?;
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            pool.scope(|s| {
                for _ in 0..jobs {
                    let tx = tx.clone();
                    let next = &next;
                    s.spawn(move |_| {
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(item) = items.get(i) else { break };
                            let outcome = match item {
                                Item::WalkError(msg) => Outcome {
                                    stdout: String::new(),
                                    annexes: 0,
                                    error: Some(msg.clone()),
                                },
                                Item::File(p) => {
                                    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(
                                        || process(job, p, &names[i]),
                                    ));
                                    r.unwrap_or_else(|_| Outcome {
                                        stdout: String::new(),
                                        annexes: 0,
                                        error: Some(format!(
                                            "{}: internal error while writing output",
                                            p.display()
                                        )),
                                    })
                                }
                            };
                            if tx.send((i, outcome)).is_err() {
                                break;
                            }
                        }
                    });
                }
            });
            drop(tx);
        });
        let mut pending = BTreeMap::new();
        let mut want = 0;
        for (i, o) in rx {
            pending.insert(i, o);
            while let Some(o) = pending.remove(&want) {
                emit(o);
                want += 1;
            }
        }
    });
    Ok(())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // Panics inside the library are caught and reported as one error line naming the file;
    // the default hook's multi-line report would only interleave with other output
    // (ANNEX2JSON_PANIC_TRACE=1 keeps it, for debugging).
    if std::env::var_os("ANNEX2JSON_PANIC_TRACE").is_none() {
        std::panic::set_hook(Box::new(|_| {}));
    }
    let start = Instant::now();
    let items = expand(&cli.inputs);
    let files: Vec<PathBuf> = items
        .iter()
        .map(|i| {
            if let Item::File(p) = i {
                p.clone()
            } else {
                PathBuf::new()
            }
        })
        .collect();
    let names = output_names(&files);
    let n_files = items.iter().filter(|i| matches!(i, Item::File(_))).count();
    let jobs = cli
        .jobs
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .min(items.len().max(1));

    let bar = if std::io::stderr().is_terminal() && items.len() > 1 {
        let b =
            ProgressBar::with_draw_target(Some(items.len() as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{bar:30} {pos}/{len} files  {elapsed_precise}  eta {eta}  {wide_msg}",
        ) {
            b.set_style(style);
        }
        b
    } else {
        ProgressBar::hidden()
    };

    let job = Job {
        format: cli.format,
        check: cli.check,
        output: cli.output.as_deref(),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut failures, mut annexes, mut stdout_broken) = (0usize, 0usize, false);
    let r = run(&items, &names, &job, jobs, |o| {
        annexes += o.annexes;
        if let Some(err) = &o.error {
            failures += 1;
            bar.suspend(|| eprintln!("annex2json: {err}"));
        }
        if !o.stdout.is_empty() && !stdout_broken && out.write_all(o.stdout.as_bytes()).is_err() {
            stdout_broken = true;
        }
        bar.inc(1);
    });
    bar.finish_and_clear();
    if out.flush().is_err() {
        stdout_broken = true;
    }
    if let Err(e) = r {
        eprintln!("annex2json: {e}");
        return ExitCode::from(1);
    }
    if stdout_broken {
        eprintln!("annex2json: cannot write to standard output");
        failures += 1;
    }
    eprintln!(
        "annex2json: {n_files} file{}, {annexes} annex{}, {failures} failure{}, {:.2} s",
        if n_files == 1 { "" } else { "s" },
        if annexes == 1 { "" } else { "es" },
        if failures == 1 { "" } else { "s" },
        start.elapsed().as_secs_f64()
    );
    if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `dir.join(name)` stays directly inside `dir`: one normal component, nothing else.
    fn stays_inside(name: &str) {
        use std::path::Component;
        let comps: Vec<_> = Path::new(name).components().collect();
        assert_eq!(comps.len(), 1, "{name:?} is not one component");
        assert!(
            matches!(comps[0], Component::Normal(_)),
            "{name:?} is not a normal component"
        );
        assert!(
            !name.contains('\0') && !name.contains('/') && !name.contains('\\'),
            "{name:?}"
        );
        assert!(
            !name.is_empty() && name.len() <= 255,
            "{name:?} is longer than NAME_MAX"
        );
        let dir = Path::new("/out");
        assert_eq!(dir.join(name).parent(), Some(dir), "{name:?}");
    }

    #[test]
    fn safe_component_never_escapes() {
        let long_cjk = "绩".repeat(200);
        let long_ascii = "a".repeat(1000);
        let nasty = [
            "..",
            ".",
            "../x",
            "../../etc/passwd",
            "..\\..\\windows",
            "/etc/passwd",
            "/",
            "C:\\x",
            "C:",
            "a\0b",
            "\0",
            "",
            " ",
            "...",
            "a/../b",
            "\n",
            "x.",
            long_cjk.as_str(),
            long_ascii.as_str(),
        ];
        for s in nasty {
            let c = safe_component(s);
            assert!(c.len() <= MAX_COMPONENT_BYTES, "{c:?}");
            stays_inside(&c);
            stays_inside(&format!("annex-{c}.json"));
        }
        assert_eq!(safe_component("1"), "1");
        assert_eq!(safe_component("附件2"), "附件2");
        assert_eq!(safe_component("../x"), "_._x");
        assert_eq!(safe_component("a\0b"), "a_b");
        // Truncation respects UTF-8 boundaries (3-byte ideographs).
        assert_eq!(safe_component(&long_cjk).len(), 120);
        assert!(safe_component(&"a".repeat(1000)).len() <= MAX_COMPONENT_BYTES);
    }

    #[test]
    fn stems_of_odd_inputs_are_safe() {
        for p in [
            "..",
            "/",
            "/etc/passwd",
            "../source.txt",
            "../../x/source.pdf",
            "a/../source.txt",
            "",
            "./.hidden.pdf",
        ] {
            let name = safe_component(&stem_of(Path::new(p)));
            stays_inside(&name);
        }
        assert_eq!(
            stem_of(Path::new("corpus/hunan-rst-2024/source.txt")),
            "hunan-rst-2024-source"
        );
        assert_eq!(stem_of(Path::new("corpus/real/a.pdf")), "a");
    }

    #[test]
    fn output_names_are_unique() {
        let inputs: Vec<PathBuf> = [
            "a/report.pdf",
            "b/report.pdf",
            "report.txt",
            "c/REPORT.pdf",
            "x/source.pdf",
            "y/x/source.pdf",
            "report-2.pdf",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let names = output_names(&inputs);
        assert_eq!(
            names,
            [
                "report",
                "report-2",
                "report-3",
                "REPORT-4",
                "x-source",
                "x-source-2",
                "report-2-2"
            ]
        );
        let lower: HashSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(lower.len(), names.len());
        // Long names stay within the limit when suffixed.
        let long: Vec<PathBuf> = (0..3)
            .map(|_| PathBuf::from(format!("{}.pdf", "报".repeat(100))))
            .collect();
        for n in output_names(&long) {
            stays_inside(&n);
        }
    }

    #[test]
    fn folder_walk_takes_pdf_and_txt() {
        assert!(wanted_in_folder(Path::new("a/b.PDF")));
        assert!(wanted_in_folder(Path::new("b.txt")));
        assert!(!wanted_in_folder(Path::new("b.json")));
        assert!(!wanted_in_folder(Path::new("pdf")));
    }
}

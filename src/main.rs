//! The `annex2json` command line: extract one or more inputs to JSON.

use clap::{Parser, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
    after_help = "Examples:\n  annex2json corpus/hunan-rst-2024/source.txt\n  annex2json corpus/*/source.pdf -o out/\n  annex2json report.pdf --format ndjson | jq .kind\n\nExit status: 0 on success, 1 when an input could not be read, 2 on usage errors."
)]
struct Cli {
    /// Input files: PDFs or text dumps.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Write DIR/<stem>/annex-<id>.json per annex plus DIR/<stem>/document.json.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    output: Option<PathBuf>,
    /// Output format on standard output.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
}

/// A file-name component made safe: no separators, no `..`, no control characters.
fn safe_component(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') { '_' } else { c })
        .collect();
    while out.starts_with('.') {
        out.replace_range(0..1, "_");
    }
    if out.is_empty() {
        out.push('_');
    }
    out.chars().take(120).collect()
}

fn stem_of(p: &Path) -> String {
    // Use the parent folder's name when the file is a generic `source.*`.
    let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let parent = p.parent().and_then(|d| d.file_name()).map(|s| s.to_string_lossy().into_owned());
    match parent {
        Some(par) if stem == "source" => format!("{par}-{stem}"),
        _ => stem,
    }
}

fn write_outputs(dir: &Path, input: &Path, doc: &annex2json::Document) -> std::io::Result<()> {
    let sub = dir.join(safe_component(&stem_of(input)));
    std::fs::create_dir_all(&sub)?;
    for (i, a) in doc.annexes.iter().enumerate() {
        let id = a.id.clone().unwrap_or_else(|| format!("noid{}", i + 1));
        let f = sub.join(format!("annex-{}.json", safe_component(&id)));
        std::fs::write(f, serde_json::to_string_pretty(a).map_err(std::io::Error::other)? + "\n")?;
    }
    std::fs::write(sub.join("document.json"), serde_json::to_string_pretty(doc).map_err(std::io::Error::other)? + "\n")
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
    let mut failed = false;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for input in &cli.inputs {
        match annex2json::extract(input) {
            Ok(doc) => {
                if let Some(dir) = &cli.output {
                    if let Err(e) = write_outputs(dir, input, &doc) {
                        eprintln!("annex2json: {}: cannot write output: {e}", input.display());
                        failed = true;
                    }
                    continue;
                }
                let r = match cli.format {
                    Format::Json => serde_json::to_string_pretty(&doc).map(|s| writeln!(out, "{s}")),
                    Format::Ndjson => doc
                        .annexes
                        .iter()
                        .map(|a| serde_json::to_string(a).map(|s| writeln!(out, "{s}")))
                        .find(|r| r.is_err() || r.as_ref().is_ok_and(|w| w.is_err()))
                        .unwrap_or(Ok(Ok(()))),
                };
                if !matches!(r, Ok(Ok(()))) {
                    eprintln!("annex2json: {}: cannot write output", input.display());
                    failed = true;
                }
            }
            Err(e) => {
                eprintln!("annex2json: {e}");
                failed = true;
            }
        }
    }
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

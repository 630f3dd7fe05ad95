//! PDF path on every corpus PDF (corpus/*/source.pdf, corpus/real/*.pdf), throughput in pages
//! (issue 6):
//! - `pdf_glyphs/<name>`: glyph extraction and line layout alone, `annex2json::pdf::read`;
//! - `pdf_end_to_end/<name>`: bytes → Document, `annex2json::extract_bytes`.
//!
//! Run: `cargo bench --bench pdf_path` (a few minutes on 2 cores); one PDF:
//! `cargo bench --bench pdf_path -- jiangsu-npc`.

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// (short name, bytes, pages) of each corpus PDF, in a stable order.
fn corpus_pdfs() -> Vec<(String, Vec<u8>, u64)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paths: Vec<(String, PathBuf)> = Vec::new();
    if let Ok(dirs) = std::fs::read_dir(&root) {
        for d in dirs.flatten() {
            let p = d.path().join("source.pdf");
            if p.is_file() {
                paths.push((d.file_name().to_string_lossy().into_owned(), p));
            }
        }
    }
    if let Ok(files) = std::fs::read_dir(root.join("real")) {
        for f in files.flatten() {
            let p = f.path();
            if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
                let stem = p
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                paths.push((format!("real/{stem}"), p));
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .filter_map(|(name, p)| {
            let bytes = std::fs::read(&p).ok()?;
            let pages = annex2json::pdf::read(&bytes)
                .ok()?
                .pages
                .unwrap_or(1)
                .max(1) as u64;
            Some((name, bytes, pages))
        })
        .collect()
}

fn configure<M: criterion::measurement::Measurement>(g: &mut criterion::BenchmarkGroup<'_, M>) {
    // Flat sampling: iterations take tens of milliseconds, so 10 samples of a few iterations
    // each fit the time without criterion's linear-sampling warnings.
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
}

fn pdf_path(c: &mut Criterion) {
    let pdfs = corpus_pdfs();
    assert!(!pdfs.is_empty(), "no corpus PDFs found");

    let mut g = c.benchmark_group("pdf_glyphs");
    configure(&mut g);
    for (name, bytes, pages) in &pdfs {
        g.throughput(Throughput::Elements(*pages));
        g.bench_function(name.as_str(), |b| {
            b.iter(|| annex2json::pdf::read(black_box(bytes)).expect("PDF reads"))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("pdf_end_to_end");
    configure(&mut g);
    for (name, bytes, pages) in &pdfs {
        g.throughput(Throughput::Elements(*pages));
        g.bench_function(name.as_str(), |b| {
            b.iter(|| {
                annex2json::extract_bytes(black_box(bytes), "source.pdf").expect("PDF extracts")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, pdf_path);
criterion_main!(benches);

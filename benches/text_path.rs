//! Text path end to end: a text dump → Document, via `annex2json::extract_bytes` (issue 6).
//!
//! The seed dump (corpus/hunan-rst-2024/source.txt) has no page breaks, so its throughput is
//! in bytes; the pdftotext dumps of the rendered PDFs end each page with a form feed, so
//! theirs is in pages.
//!
//! Run: `cargo bench --bench text_path`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

fn read(rel: &str) -> Option<Vec<u8>> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).ok()
}

fn text_path(c: &mut Criterion) {
    let mut g = c.benchmark_group("text_path");
    g.sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));

    let seed = read("corpus/hunan-rst-2024/source.txt")
        .expect("seed dump corpus/hunan-rst-2024/source.txt");
    g.throughput(Throughput::Bytes(seed.len() as u64));
    g.bench_function("seed/hunan-rst-2024", |b| {
        b.iter(|| {
            annex2json::extract_bytes(black_box(&seed), "source.txt").expect("seed dump extracts")
        })
    });

    for name in [
        "hunan-rst-2024-render-ruled-pdftotext-raw",
        "hunan-rst-2024-render-borderless-pdftotext-raw",
    ] {
        let Some(bytes) = read(&format!("corpus/{name}/source.txt")) else {
            continue;
        };
        let pages = bytes.iter().filter(|&&b| b == b'\x0c').count().max(1) as u64;
        g.throughput(Throughput::Elements(pages));
        g.bench_function(format!("pdftotext-dump/{name}"), |b| {
            b.iter(|| {
                annex2json::extract_bytes(black_box(&bytes), "source.txt").expect("dump extracts")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, text_path);
criterion_main!(benches);

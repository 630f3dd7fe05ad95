//! The PDF path: bytes made to start with `%PDF-`, through the reader and the whole
//! pipeline. A panic inside lopdf is caught by `pdf::read` and is no crash; a panic in our
//! interpreter, layout, table finder or grammars is (the pipeline after the reader runs here
//! without the catch_unwind net of `extract_bytes`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = Vec::with_capacity(data.len() + 9);
    if !data.starts_with(b"%PDF-") {
        bytes.extend_from_slice(b"%PDF-1.4\n");
    }
    bytes.extend_from_slice(data);
    let limits = annex2json::Limits { max_file_bytes: 1 << 20, ..annex2json::Limits::default() };
    let Ok(layout) = annex2json::pdf::read_with(&bytes, &limits) else { return };
    let source = annex2json::model::Source {
        file: "fuzz.pdf".into(),
        format: "pdf".into(),
        sha256: String::new(),
        pages: layout.pages,
    };
    let doc = annex2json::from_layout(layout, source);
    let _ = serde_json::to_vec(&doc);
    // And the public entry point, which must return (Ok or Err), never unwind.
    let _ = annex2json::extract_bytes_with(&bytes, "fuzz.pdf", &limits);
});

//! The text path: arbitrary bytes that are not a PDF, through the whole pipeline
//! (decode, tokenize, segment, grammars, checks) and the JSON serializer.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if annex2json::looks_like_pdf(data) {
        return;
    }
    let layout = annex2json::text_reader::read(data);
    let _ = layout.lines.len();
    // extract_bytes catches panics at the API boundary; call the pipeline without that
    // net too, so a panic in our own code is a crash here.
    let source = annex2json::model::Source {
        file: "fuzz.txt".into(),
        format: "text".into(),
        sha256: String::new(),
        pages: layout.pages,
    };
    let doc = annex2json::from_layout(layout, source);
    let _ = serde_json::to_vec(&doc);
});

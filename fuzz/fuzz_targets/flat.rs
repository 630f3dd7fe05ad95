//! Copied web-table text: through the flattened-text reader and the grid grammars, whether
//! or not it passes the format test.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = annex2json::grid::flat_text::is_flat_table(&text);
    let doc = annex2json::grid::flat_text::read(&text);
    let _ = serde_json::to_vec(&annex2json::forms::annexes(&doc).0);
});

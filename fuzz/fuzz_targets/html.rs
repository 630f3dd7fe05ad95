//! HTML pages: text through the HTML reader (scraper) and the grid grammars.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let doc = annex2json::grid::html::read(&text);
    let _ = serde_json::to_vec(&annex2json::forms::annexes(&doc).0);
});

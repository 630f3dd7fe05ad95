//! Office files: bytes through the xlsx and xls readers (calamine), the docx reader, and the
//! grid grammars.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for book in [annex2json::grid::sheet::Book::Xlsx, annex2json::grid::sheet::Book::Xls] {
        if let Ok(doc) = annex2json::grid::sheet::read(data, book) {
            let _ = serde_json::to_vec(&annex2json::forms::annexes(&doc).0);
        }
    }
    if let Ok(doc) = annex2json::grid::docx::read(data) {
        let _ = serde_json::to_vec(&annex2json::forms::annexes(&doc).0);
    }
});

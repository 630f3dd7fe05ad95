//! Office files: bytes through the xlsx and xls readers (calamine), the docx reader, and the
//! grid grammars.
//!
//! calamine panics on some malformed workbooks; `grid::sheet::read` catches that and returns
//! an error, as `extract` does for every file. libFuzzer's panic hook would abort on the
//! caught panic too, so the readers run under a silent hook; our grammars run under the
//! fuzzer's, where any panic of ours is a crash.
#![no_main]
use libfuzzer_sys::fuzz_target;

/// Run `f` with the default (non-aborting, silent) panic hook, then restore the fuzzer's.
fn caught<T>(f: impl FnOnce() -> T) -> T {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = f();
    std::panic::set_hook(hook);
    out
}

fuzz_target!(|data: &[u8]| {
    for book in [annex2json::grid::sheet::Book::Xlsx, annex2json::grid::sheet::Book::Xls] {
        if let Ok(doc) = caught(|| annex2json::grid::sheet::read(data, book)) {
            let _ = serde_json::to_vec(&annex2json::forms::annexes(&doc).0);
        }
    }
    if let Ok(doc) = annex2json::grid::docx::read(data) {
        let _ = serde_json::to_vec(&annex2json::forms::annexes(&doc).0);
    }
});

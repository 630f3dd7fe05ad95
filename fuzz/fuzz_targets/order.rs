//! Drawing order: a PDF whose glyphs are drawn in another order (a permutation seeded by
//! the input) must read the same wherever it is read from its page grid. A difference is a
//! crash: some step depends on the content stream's order.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = annex2json::Limits { max_file_bytes: 1 << 20, ..annex2json::Limits::default() };
    let Ok(layout) = annex2json::pdf::read_with(data, &limits) else { return };
    let source = annex2json::model::Source { file: "fuzz.pdf".into(), format: "pdf".into(), sha256: String::new(), pages: layout.pages };
    let base = annex2json::from_pdf(layout.clone(), source.clone());
    if !base.diagnostics.iter().any(|d| d.code == "reading_chosen") {
        return;
    }
    let mut seed = data.iter().fold(0x9E37_79B9_7F4A_7C15u64, |h, &b| (h ^ b as u64).wrapping_mul(0x100_0000_01B3)) | 1;
    let mut shuffled = layout;
    for i in (1..shuffled.glyphs.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        shuffled.glyphs.swap(i, (seed % (i as u64 + 1)) as usize);
    }
    let other = annex2json::from_pdf(shuffled, source);
    assert_eq!(serde_json::to_string(&base).unwrap(), serde_json::to_string(&other).unwrap(), "the drawing order changed the output");
});

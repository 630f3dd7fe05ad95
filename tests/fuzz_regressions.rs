//! Inputs the fuzzers (`fuzz/`, issue 7) found to crash, hang or allocate without bound,
//! kept as regression tests. Each must now return quickly with bounded memory.

use annex2json::pdf::cmap::CMap;
use std::time::{Duration, Instant};

fn quick<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let r = f();
    let took = t.elapsed();
    assert!(took < Duration::from_secs(2), "{what}: took {took:?}");
    r
}

/// fuzz/cmap: a few KB of `bfrange`s over 4-byte codes asked for a 65 536-entry expansion
/// each (570 MB RSS after 3 minutes of fuzzing). The entries one CMap may hold are capped.
#[test]
fn cmap_bfrange_expansion_is_capped() {
    let mut src = b"begincmap 1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange\n".to_vec();
    src.extend_from_slice(b"400 beginbfrange\n");
    for i in 0..400u32 {
        src.extend_from_slice(format!("<{:04X}0000> <{:04X}FFFF> <0041>\n", i, i).as_bytes());
    }
    src.extend_from_slice(b"endbfrange endcmap\n");
    let cm = quick("cmap bfrange", || CMap::parse(&src));
    assert!(cm.unicode.len() <= 1 << 18, "{} entries", cm.unicode.len());
    // The ranges before the cap still map.
    assert_eq!(cm.unicode(0x0000_0001, 4), Some("B"));
}

/// A long `bfrange` destination is copied once per code of the range; such ranges are
/// skipped.
#[test]
fn cmap_bfrange_long_destination_is_skipped() {
    let dst = "0041".repeat(2000);
    let src = format!("1 beginbfrange <0000> <FFFF> <{dst}> endbfrange 1 beginbfchar <0001> <0042> endbfchar");
    let cm = quick("cmap long dst", || CMap::parse(src.as_bytes()));
    assert!(cm.unicode.len() <= 1, "{} entries", cm.unicode.len());
    assert_eq!(cm.unicode(1, 2), Some("B"));
}

//! Text input (issue 7): invalid UTF-8, UTF-16 with a BOM, GB18030/GBK dumps, CRLF, form
//! feeds, and a 100 MB file. Encodings are checked end to end: the corpus dump in another
//! encoding or with other line ends gives the same annexes as the UTF-8 original.

use annex2json::{Document, Limits};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

/// Counts allocated bytes, for the 100 MB test's peak.
struct Counting;
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator and only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            PEAK.fetch_max(CURRENT.fetch_add(l.size(), Relaxed) + l.size(), Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        CURRENT.fetch_sub(l.size(), Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const SOURCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/hunan-rst-2024/source.txt");

fn source() -> String {
    std::fs::read_to_string(SOURCE).unwrap()
}

fn extract(bytes: &[u8]) -> Document {
    annex2json::extract_bytes(bytes, "source.txt").unwrap()
}

/// The annexes as JSON (what must not depend on the encoding).
fn annexes(d: &Document) -> serde_json::Value {
    serde_json::to_value(&d.annexes).unwrap()
}

fn codes(d: &Document) -> Vec<&str> {
    d.diagnostics.iter().map(|x| x.code.as_str()).collect()
}

#[test]
fn gb18030_and_gbk_dumps_are_detected_and_decode_to_the_same_annexes() {
    let src = source();
    let utf8 = extract(src.as_bytes());
    assert!(!utf8.annexes.is_empty());
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&src);
    assert!(!unmappable);
    let d = extract(&gb);
    assert!(codes(&d).contains(&"encoding_detected"), "{:?}", codes(&d));
    assert!(!codes(&d).contains(&"undecodable_text"));
    assert_eq!(annexes(&d), annexes(&utf8));
    // GBK (the older subset): the corpus text is all in it.
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&src);
    assert!(!unmappable);
    assert_eq!(annexes(&extract(&gbk)), annexes(&utf8));
}

#[test]
fn utf16_with_a_bom_decodes_to_the_same_annexes() {
    let utf8 = extract(source().as_bytes());
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for u in source().encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
        be.extend_from_slice(&u.to_be_bytes());
    }
    assert_eq!(annexes(&extract(&le)), annexes(&utf8));
    assert_eq!(annexes(&extract(&be)), annexes(&utf8));
    // A UTF-8 BOM is skipped.
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(source().as_bytes());
    assert_eq!(annexes(&extract(&bom)), annexes(&utf8));
    // Odd length and a lone surrogate: reported, not a panic.
    let mut bad = le.clone();
    bad.extend_from_slice(&[0x00, 0xD8, 0x41]);
    let d = extract(&bad);
    assert!(codes(&d).contains(&"undecodable_text"));
}

#[test]
fn invalid_utf8_is_reported_and_the_rest_kept() {
    let utf8 = extract(source().as_bytes());
    // A few stray bytes in a UTF-8 file: still UTF-8, the bad bytes reported.
    let mut s = source().into_bytes();
    let at = s.iter().position(|b| *b == b'\n').unwrap();
    s.splice(at..at, [0xFF, 0xC3, 0x28]);
    let d = extract(&s);
    assert!(codes(&d).contains(&"undecodable_text"), "{:?}", codes(&d));
    assert!(!codes(&d).contains(&"encoding_detected"));
    assert_eq!(d.annexes.len(), utf8.annexes.len());
    // Pure garbage is no text: refused by the format sniffing, never read as text.
    let garbage: Vec<u8> = (0..20_000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    let t = std::time::Instant::now();
    assert!(matches!(annex2json::extract_bytes(&garbage, "x.bin"), Err(annex2json::Error::Unsupported { .. })));
    assert!(t.elapsed().as_millis() < 100);
    // Truncated in the middle of a multi-byte character.
    let s = source();
    let b = s.as_bytes();
    let cut = (1..b.len()).find(|&i| !s.is_char_boundary(i)).unwrap();
    extract(&b[..cut]);
}

#[test]
fn crlf_and_form_feeds() {
    let utf8 = extract(source().as_bytes());
    let crlf = source().replace('\n', "\r\n");
    assert_eq!(annexes(&extract(crlf.as_bytes())), annexes(&utf8));
    // Form feeds between lines (as pdftotext writes between pages) start new pages.
    let src = source();
    let mut paged = String::new();
    for (i, l) in src.lines().enumerate() {
        if i > 0 && i % 40 == 0 {
            paged.push('\u{c}');
        }
        paged.push_str(l);
        paged.push('\n');
    }
    let d = extract(paged.as_bytes());
    assert_eq!(d.annexes.len(), utf8.annexes.len());
    // Form feeds, CRs and NULs anywhere.
    let noisy = source().replace("。", "。\u{c}\r\u{0}");
    extract(noisy.as_bytes());
    // Old Mac line ends only (CR): one long line, no panic.
    extract(source().replace('\n', "\r").as_bytes());
}

#[test]
fn max_text_bytes_cuts_the_text_with_a_diagnostic() {
    let l = Limits { max_text_bytes: 1000, ..Limits::default() };
    let d = annex2json::extract_bytes_with(source().as_bytes(), "s.txt", &l).unwrap();
    assert!(d.diagnostics.iter().any(|x| x.code == "limit_reached" && x.message.contains("max_text_bytes")));
    let l = Limits { max_file_bytes: 1000, ..Limits::default() };
    assert!(annex2json::extract_bytes_with(source().as_bytes(), "s.txt", &l).is_err());
}

/// A 100 MB dump (the corpus dump repeated 2 200 times: 33 000 annexes) read from a file in
/// a temp dir. Ignored by default: it takes minutes in a debug build. Run it with
/// `cargo test --release --test text_input -- --ignored --nocapture`.
#[test]
#[ignore = "minutes in a debug build; run with --release -- --ignored"]
fn a_100_mb_text_file() {
    let dir = std::env::temp_dir().join(format!("annex2json-100mb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.txt");
    let one = source();
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let mut n = 0;
        while n < 100 << 20 {
            f.write_all(one.as_bytes()).unwrap();
            n += one.len();
        }
    }
    let base = CURRENT.load(Relaxed);
    PEAK.store(base, Relaxed);
    let t = Instant::now();
    let r = annex2json::extract(&path);
    let took = t.elapsed();
    // Other tests of this file may run at the same time: the peak is an upper bound.
    let peak = PEAK.load(Relaxed).saturating_sub(base);
    std::fs::remove_dir_all(&dir).ok();
    let d = r.unwrap();
    eprintln!(
        "100 MB text: {took:.2?}, peak {} MB allocated, {} annexes, {} diagnostics",
        peak >> 20,
        d.annexes.len(),
        d.diagnostics.len()
    );
    assert!(d.annexes.len() > 1000);
}

//! Generator for `src/pdf/generated/adobe_gb1.bin`: Adobe's predefined Chinese (Adobe-GB1)
//! CMaps, compiled to compact code→CID ranges, plus a CID→Unicode table.
//!
//! Run from the repository root, with Debian's `poppler-data` installed:
//!
//! ```text
//! cargo run --manifest-path tools/gen-adobe-gb1/Cargo.toml -- \
//!     /usr/share/poppler/cMap/Adobe-GB1 src/pdf/generated/adobe_gb1.bin
//! ```
//!
//! Inputs are only Adobe's CMap files (BSD-3-Clause, see `src/pdf/generated/LICENSE-Adobe-CMaps.md`):
//! the encoding CMaps listed in [`CMAPS`], `Adobe-GB1-UCS2` (CID → UCS-2) and
//! `UniGB-UTF32-H` (Unicode → CID, inverted to fill CIDs `Adobe-GB1-UCS2` leaves out, e.g.
//! those outside the BMP). poppler-data's `cidToUnicode/Adobe-GB1` is deliberately not
//! used: it is GPL-2 licensed.
//!
//! The CMap parser is the crate's own (`src/pdf/cmap.rs`), included by path.
//!
//! Binary layout (`v` = unsigned LEB128 varint, `z` = zigzag varint):
//! ```text
//! "GB1T" u8 version=2
//! v cmap count, then per CMap:
//!   v name length, name; v usecmap-name length, usecmap name; u8 wmode
//!   v code-space count, per range: u8 len, v lo, v hi
//!   v cid-range count, per range (sorted by len, lo):
//!     u8 len, v (lo - previous hi of same len), v (hi - lo), z (cid - previous cid)
//! v cid→unicode run count, per run:
//!   v (first cid - previous run's end), v count, z (first code point - previous first)
//! ```

#[path = "../../../src/pdf/cmap.rs"]
#[allow(dead_code)]
mod cmap;

use cmap::{CMap, CidRange};
use std::collections::BTreeMap;

/// The predefined encoding CMaps the reader supports.
const CMAPS: &[&str] = &[
    "UniGB-UCS2-H",
    "UniGB-UCS2-V",
    "UniGB-UTF16-H",
    "UniGB-UTF16-V",
    "GBK-EUC-H",
    "GBK-EUC-V",
    "GB-EUC-H",
    "GB-EUC-V",
    "GBpc-EUC-H",
    "GBpc-EUC-V",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: gen-adobe-gb1 <poppler cMap/Adobe-GB1 dir> <output .bin>");
        std::process::exit(2);
    }
    let dir = std::path::Path::new(&args[1]);
    let read = |name: &str| -> CMap {
        let data = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        CMap::parse(&data)
    };

    let mut out = Vec::new();
    out.extend_from_slice(b"GB1T");
    out.push(2);
    v(&mut out, CMAPS.len() as u64);
    for name in CMAPS {
        let cm = read(name);
        let mut ranges: Vec<CidRange> = Vec::new();
        for r in &cm.cid_ranges {
            if let Some(last) = ranges.last_mut() {
                if last.len == r.len
                    && last.hi.checked_add(1) == Some(r.lo)
                    && last.cid + (last.hi - last.lo) + 1 == r.cid
                {
                    last.hi = r.hi;
                    continue;
                }
            }
            ranges.push(*r);
        }
        put_str(&mut out, name);
        put_str(&mut out, cm.usecmap.as_deref().unwrap_or(""));
        out.push(cm.wmode);
        v(&mut out, cm.codespace.len() as u64);
        for c in &cm.codespace {
            out.push(c.len);
            v(&mut out, c.lo as u64);
            v(&mut out, c.hi as u64);
        }
        v(&mut out, ranges.len() as u64);
        let (mut prev_len, mut prev_hi, mut prev_cid) = (0u8, 0i64, 0i64);
        for r in &ranges {
            if r.len != prev_len {
                prev_len = r.len;
                prev_hi = -1;
            }
            out.push(r.len);
            v(&mut out, (r.lo as i64 - prev_hi - 1) as u64);
            v(&mut out, (r.hi - r.lo) as u64);
            z(&mut out, r.cid as i64 - prev_cid);
            prev_hi = r.hi as i64;
            prev_cid = r.cid as i64;
        }
        eprintln!("{name}: {} cid ranges ({} before merging)", ranges.len(), cm.cid_ranges.len());
    }

    // CID → Unicode.
    let mut map: BTreeMap<u32, u32> = BTreeMap::new();
    let ucs2 = read("Adobe-GB1-UCS2");
    for (k, s) in &ucs2.unicode {
        let cid = (*k & 0xffff_ffff) as u32;
        let mut chars = s.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if cid != 0 && c != '\u{fffd}' {
                map.insert(cid, c as u32);
            }
        }
    }
    let from_ucs2 = map.len();
    let utf32 = read("UniGB-UTF32-H");
    for r in &utf32.cid_ranges {
        for k in 0..=(r.hi - r.lo) {
            let cid = r.cid + k;
            let u = r.lo + k;
            if cid != 0 && char::from_u32(u).is_some() {
                map.entry(cid).or_insert(u);
            }
        }
    }
    eprintln!("cid→unicode: {} from Adobe-GB1-UCS2, {} in all", from_ucs2, map.len());
    let mut runs: Vec<(u32, u16, u32)> = Vec::new();
    for (&cid, &u) in &map {
        if let Some(last) = runs.last_mut() {
            if last.0 + last.1 as u32 == cid && last.2 + last.1 as u32 == u && last.1 < u16::MAX {
                last.1 += 1;
                continue;
            }
        }
        runs.push((cid, 1, u));
    }
    v(&mut out, runs.len() as u64);
    let (mut end, mut prev_u) = (0u32, 0i64);
    for (cid, n, u) in &runs {
        v(&mut out, (cid - end) as u64);
        v(&mut out, *n as u64);
        z(&mut out, *u as i64 - prev_u);
        end = cid + *n as u32;
        prev_u = *u as i64;
    }
    eprintln!("{} runs; {} bytes", runs.len(), out.len());
    std::fs::write(&args[2], out).unwrap_or_else(|e| panic!("{}: {e}", args[2]));
}

fn v(out: &mut Vec<u8>, mut x: u64) {
    loop {
        let b = (x & 0x7f) as u8;
        x >>= 7;
        if x == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn z(out: &mut Vec<u8>, x: i64) {
    v(out, ((x << 1) ^ (x >> 63)) as u64);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    v(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

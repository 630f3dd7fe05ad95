//! Our own CMap parser (PDF 32000-1 §9.7.5 and §9.10.3, Adobe Technical Note #5014).
//!
//! Written by hand because no maintained crate parses both kinds of CMap we meet:
//! lopdf's `ToUnicodeCMap` reads `bfchar`/`bfrange` only (no `cidchar`/`cidrange`, no
//! `usecmap`, no `/WMode`), and `adobe-cmap-parser` panics on malformed input. This file
//! has no dependency on the rest of the crate so that `tools/gen-adobe-gb1` can include it
//! to compile Adobe's predefined CMaps into `src/pdf/generated/`.
//!
//! One [`CMap`] holds
//! * the code space (`begincodespacerange`), used to cut a string into codes of 1–4 bytes;
//! * code → CID mappings (`cidchar`, `cidrange`, `notdefchar`/`notdefrange` are ignored);
//! * code → Unicode mappings (`bfchar`, `bfrange` with a string or an array destination);
//! * the name given to `usecmap`, resolved by the caller ([`CMap::set_parent`]);
//! * `/WMode` (1 = vertical).

use std::collections::HashMap;

/// Cap on the codes one `bfrange` or `cidrange` may expand to (against hostile input).
const MAX_RANGE: u32 = 0x1_0000;
/// Cap on the code → text entries `bfrange`s may expand to in one CMap: a few bytes of
/// `<00000000> <0000FFFF> <0041>` lines would otherwise ask for gigabytes (fuzzing found
/// it). Real ToUnicode CMaps map at most the 65 536 two-byte codes.
const MAX_UNICODE_ENTRIES: usize = 1 << 18;
/// Longest `bfrange` destination string, in bytes (16 UTF-16 units): each code of the
/// range gets its own copy.
const MAX_RANGE_DST: usize = 32;

/// A code-space range: codes of `len` bytes whose bytes each lie between the bytes of
/// `lo` and `hi` (big-endian).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeSpace {
    pub len: u8,
    pub lo: u32,
    pub hi: u32,
}

impl CodeSpace {
    fn contains(&self, bytes: &[u8]) -> bool {
        if bytes.len() != self.len as usize {
            return false;
        }
        for (i, b) in bytes.iter().enumerate() {
            let shift = 8 * (self.len as usize - 1 - i);
            let lo = ((self.lo >> shift) & 0xff) as u8;
            let hi = ((self.hi >> shift) & 0xff) as u8;
            if *b < lo || *b > hi {
                return false;
            }
        }
        true
    }
}

/// A `cidrange` entry: codes `lo..=hi` of `len` bytes map to `cid + (code - lo)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CidRange {
    pub len: u8,
    pub lo: u32,
    pub hi: u32,
    pub cid: u32,
}

/// A parsed CMap.
#[derive(Debug, Clone, Default)]
pub struct CMap {
    pub name: Option<String>,
    pub usecmap: Option<String>,
    pub wmode: u8,
    pub codespace: Vec<CodeSpace>,
    /// Sorted by `(len, lo)` once [`CMap::finish`] ran.
    pub cid_ranges: Vec<CidRange>,
    /// Code → text, keyed by `(len << 32) | code`.
    pub unicode: HashMap<u64, String>,
    parent: Option<std::sync::Arc<CMap>>,
}

fn key(len: u8, code: u32) -> u64 {
    ((len as u64) << 32) | code as u64
}

/// A lexical token of the PostScript subset CMaps use.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Hex(Vec<u8>),
    Str(Vec<u8>),
    Name(String),
    Int(i64),
    Real,
    ArrOpen,
    ArrClose,
    Word(String),
}

fn lex(data: &[u8]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    let n = data.len();
    let is_delim = |c: u8| b"()<>[]{}/%".contains(&c) || c.is_ascii_whitespace() || c == 0;
    while i < n {
        let c = data[i];
        if c.is_ascii_whitespace() || c == 0 {
            i += 1;
        } else if c == b'%' {
            while i < n && data[i] != b'\n' && data[i] != b'\r' {
                i += 1;
            }
        } else if c == b'<' {
            if i + 1 < n && data[i + 1] == b'<' {
                i += 2; // dictionary open: not needed
                continue;
            }
            i += 1;
            let mut digits = Vec::new();
            while i < n && data[i] != b'>' {
                if data[i].is_ascii_hexdigit() {
                    digits.push(data[i]);
                }
                i += 1;
            }
            i += 1;
            if digits.len() % 2 == 1 {
                digits.push(b'0');
            }
            let bytes = digits.chunks(2).map(|p| (hexval(p[0]) << 4) | hexval(p[1])).collect();
            out.push(Tok::Hex(bytes));
        } else if c == b'>' {
            i += 1; // '>>'
            if i < n && data[i] == b'>' {
                i += 1;
            }
        } else if c == b'(' {
            i += 1;
            let mut depth = 1;
            let mut s = Vec::new();
            while i < n {
                let d = data[i];
                if d == b'\\' && i + 1 < n {
                    let e = data[i + 1];
                    i += 2;
                    match e {
                        b'n' => s.push(b'\n'),
                        b'r' => s.push(b'\r'),
                        b't' => s.push(b'\t'),
                        b'b' => s.push(8),
                        b'f' => s.push(12),
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            let mut k = 0;
                            while k < 2 && i < n && (b'0'..=b'7').contains(&data[i]) {
                                v = v * 8 + (data[i] - b'0') as u32;
                                i += 1;
                                k += 1;
                            }
                            s.push(v as u8);
                        }
                        b'\n' => {}
                        b'\r' => {
                            if i < n && data[i] == b'\n' {
                                i += 1;
                            }
                        }
                        other => s.push(other),
                    }
                    continue;
                }
                if d == b'(' {
                    depth += 1;
                } else if d == b')' {
                    depth -= 1;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                s.push(d);
                i += 1;
            }
            out.push(Tok::Str(s));
        } else if c == b'[' {
            out.push(Tok::ArrOpen);
            i += 1;
        } else if c == b']' {
            out.push(Tok::ArrClose);
            i += 1;
        } else if c == b'{' || c == b'}' || c == b')' {
            i += 1;
        } else if c == b'/' {
            i += 1;
            let start = i;
            while i < n && !is_delim(data[i]) {
                i += 1;
            }
            out.push(Tok::Name(String::from_utf8_lossy(&data[start..i]).into_owned()));
        } else {
            let start = i;
            while i < n && !is_delim(data[i]) {
                i += 1;
            }
            if i == start {
                i += 1;
                continue;
            }
            let w = &data[start..i];
            let s = String::from_utf8_lossy(w).into_owned();
            if let Ok(v) = s.parse::<i64>() {
                out.push(Tok::Int(v));
            } else if s.parse::<f64>().is_ok() {
                out.push(Tok::Real);
            } else {
                out.push(Tok::Word(s));
            }
        }
    }
    out
}

fn hexval(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

fn be(bytes: &[u8]) -> Option<(u8, u32)> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    let mut v = 0u32;
    for b in bytes {
        v = (v << 8) | *b as u32;
    }
    Some((bytes.len() as u8, v))
}

/// Decode a UTF-16BE destination string; `None` when it holds unpaired surrogates or is
/// empty, so that a broken entry never turns into U+FFFD.
pub fn utf16be(bytes: &[u8]) -> Option<String> {
    if bytes.is_empty() {
        return None;
    }
    if bytes.len() == 1 {
        return char::from_u32(bytes[0] as u32).map(|c| c.to_string());
    }
    let units: Vec<u16> =
        bytes.chunks(2).map(|p| if p.len() == 2 { ((p[0] as u16) << 8) | p[1] as u16 } else { p[0] as u16 }).collect();
    let mut s = String::new();
    for r in char::decode_utf16(units) {
        match r {
            Ok(c) if c != '\u{FFFD}' => s.push(c),
            _ => return None,
        }
    }
    Some(s)
}

/// Add `delta` to the last UTF-16 unit of a `bfrange` destination.
fn bump(dst: &[u8], delta: u32) -> Vec<u8> {
    let mut v = dst.to_vec();
    let n = v.len();
    if n >= 2 {
        let last = ((v[n - 2] as u32) << 8 | v[n - 1] as u32).wrapping_add(delta);
        v[n - 2] = (last >> 8) as u8;
        v[n - 1] = last as u8;
    } else if n == 1 {
        v[0] = v[0].wrapping_add(delta as u8);
    }
    v
}

impl CMap {
    /// Parse CMap source text. Never fails: what cannot be read is skipped.
    pub fn parse(data: &[u8]) -> CMap {
        let toks = lex(data);
        let mut cm = CMap::default();
        let mut i = 0;
        let n = toks.len();
        while i < n {
            match &toks[i] {
                Tok::Word(w) => match w.as_str() {
                    "begincodespacerange" => {
                        i += 1;
                        while i + 1 < n && !matches!(&toks[i], Tok::Word(_)) {
                            if let (Tok::Hex(a), Tok::Hex(b)) = (&toks[i], &toks[i + 1])
                                && let (Some((la, lo)), Some((lb, hi))) = (be(a), be(b))
                                && la == lb
                            {
                                cm.codespace.push(CodeSpace { len: la, lo, hi });
                            }
                            i += 2;
                        }
                        continue;
                    }
                    "beginbfchar" => {
                        i += 1;
                        while i + 1 < n && !matches!(&toks[i], Tok::Word(_)) {
                            if let Tok::Hex(src) = &toks[i]
                                && let Some((len, code)) = be(src)
                            {
                                let dst = match &toks[i + 1] {
                                    Tok::Hex(d) => utf16be(d),
                                    Tok::Name(nm) => glyph_name_text(nm),
                                    _ => None,
                                };
                                if let Some(d) = dst {
                                    cm.unicode.insert(key(len, code), d);
                                }
                            }
                            i += 2;
                        }
                        continue;
                    }
                    "beginbfrange" => {
                        i += 1;
                        while i + 2 < n && !matches!(&toks[i], Tok::Word(_)) {
                            let (lo, hi) = match (&toks[i], &toks[i + 1]) {
                                (Tok::Hex(a), Tok::Hex(b)) => (be(a), be(b)),
                                _ => (None, None),
                            };
                            match &toks[i + 2] {
                                Tok::Hex(dst) => {
                                    if let (Some((len, lo)), Some((_, hi))) = (lo, hi)
                                        && hi >= lo
                                        && hi - lo < MAX_RANGE
                                        && dst.len() <= MAX_RANGE_DST
                                    {
                                        for k in 0..=(hi - lo) {
                                            if cm.unicode.len() >= MAX_UNICODE_ENTRIES {
                                                break;
                                            }
                                            if let Some(s) = utf16be(&bump(dst, k)) {
                                                cm.unicode.insert(key(len, lo + k), s);
                                            }
                                        }
                                    }
                                    i += 3;
                                }
                                Tok::ArrOpen => {
                                    let mut j = i + 3;
                                    let mut k = 0u32;
                                    while j < n && toks[j] != Tok::ArrClose {
                                        if let (Tok::Hex(d), Some((len, lo))) = (&toks[j], lo)
                                            && let Some(s) = utf16be(d)
                                        {
                                            cm.unicode.insert(key(len, lo.wrapping_add(k)), s);
                                        }
                                        k += 1;
                                        j += 1;
                                    }
                                    i = j + 1;
                                }
                                _ => i += 3,
                            }
                        }
                        continue;
                    }
                    "begincidchar" => {
                        i += 1;
                        while i + 1 < n && !matches!(&toks[i], Tok::Word(_)) {
                            if let (Tok::Hex(src), Tok::Int(cid)) = (&toks[i], &toks[i + 1])
                                && let (Some((len, code)), Ok(cid)) = (be(src), u32::try_from(*cid))
                            {
                                cm.cid_ranges.push(CidRange { len, lo: code, hi: code, cid });
                            }
                            i += 2;
                        }
                        continue;
                    }
                    "begincidrange" => {
                        i += 1;
                        while i + 2 < n && !matches!(&toks[i], Tok::Word(_)) {
                            if let (Tok::Hex(a), Tok::Hex(b), Tok::Int(cid)) = (&toks[i], &toks[i + 1], &toks[i + 2])
                                && let (Some((len, lo)), Some((_, hi)), Ok(cid)) = (be(a), be(b), u32::try_from(*cid))
                                && hi >= lo
                            {
                                cm.cid_ranges.push(CidRange { len, lo, hi, cid });
                            }
                            i += 3;
                        }
                        continue;
                    }
                    "usecmap" => {
                        if i > 0
                            && let Tok::Name(nm) = &toks[i - 1]
                        {
                            cm.usecmap = Some(nm.clone());
                        }
                    }
                    _ => {}
                },
                Tok::Name(nm) if nm == "WMode" => {
                    if let Some(Tok::Int(v)) = toks.get(i + 1) {
                        cm.wmode = (*v == 1) as u8;
                    }
                }
                Tok::Name(nm) if nm == "CMapName" => {
                    if let Some(Tok::Name(v)) = toks.get(i + 1) {
                        cm.name = Some(v.clone());
                    }
                }
                _ => {}
            }
            i += 1;
        }
        cm.finish();
        cm
    }

    /// Sort the CID ranges for binary search. Later entries of equal start win.
    pub fn finish(&mut self) {
        self.cid_ranges.sort_by_key(|r| (r.len, r.lo));
    }

    /// Attach the CMap named by `usecmap`: lookups that fail here fall through to it.
    pub fn set_parent(&mut self, parent: std::sync::Arc<CMap>) {
        if self.codespace.is_empty() {
            self.codespace = parent.codespace.clone();
        }
        self.parent = Some(parent);
    }

    fn codespace_all(&self) -> &[CodeSpace] {
        if self.codespace.is_empty()
            && let Some(p) = &self.parent
        {
            return p.codespace_all();
        }
        &self.codespace
    }

    /// Cut `bytes` into codes `(code, byte length)` following the code space. Bytes that
    /// fit no code-space range are taken as codes of the shortest length in use (or one
    /// byte), as PDF readers commonly do.
    pub fn codes(&self, bytes: &[u8]) -> Vec<(u32, u8)> {
        let cs = self.codespace_all();
        let mut out = Vec::with_capacity(bytes.len());
        let shortest = cs.iter().map(|c| c.len).min().unwrap_or(1).max(1) as usize;
        let mut i = 0;
        while i < bytes.len() {
            let mut took = 0;
            for len in 1..=4usize {
                if i + len > bytes.len() {
                    break;
                }
                if cs.iter().any(|c| c.contains(&bytes[i..i + len])) {
                    took = len;
                    break;
                }
            }
            if took == 0 {
                took = shortest.min(bytes.len() - i);
            }
            let mut v = 0u32;
            for b in &bytes[i..i + took] {
                v = (v << 8) | *b as u32;
            }
            out.push((v, took as u8));
            i += took;
        }
        out
    }

    /// The CID of a code, if this CMap (or its parent) maps it.
    pub fn cid(&self, code: u32, len: u8) -> Option<u32> {
        let rs = &self.cid_ranges;
        // Last range that starts at or before (len, code).
        let idx = rs.partition_point(|r| (r.len, r.lo) <= (len, code));
        let mut j = idx;
        // Ranges may nest; scan back a little for one that contains the code.
        let mut steps = 0;
        while j > 0 && steps < 64 {
            j -= 1;
            steps += 1;
            let r = rs[j];
            if r.len != len {
                break;
            }
            if code >= r.lo && code <= r.hi {
                return r.cid.checked_add(code - r.lo);
            }
        }
        self.parent.as_ref().and_then(|p| p.cid(code, len))
    }

    /// The text of a code from `bfchar`/`bfrange`, if mapped here or in the parent.
    pub fn unicode(&self, code: u32, len: u8) -> Option<&str> {
        match self.unicode.get(&key(len, code)) {
            Some(s) => Some(s.as_str()),
            None => self.parent.as_ref().and_then(|p| p.unicode(code, len)),
        }
    }

    /// True when the CMap maps any code to text.
    pub fn has_unicode(&self) -> bool {
        !self.unicode.is_empty() || self.parent.as_ref().is_some_and(|p| p.has_unicode())
    }

    /// True when vertical (`/WMode 1`) here or in the parent.
    pub fn vertical(&self) -> bool {
        self.wmode == 1
    }
}

/// Text for the glyph names a `bfchar` destination may carry (`/uniXXXX`, `/uXXXX`).
pub fn glyph_name_text(name: &str) -> Option<String> {
    let hex = name.strip_prefix("uni").or_else(|| name.strip_prefix('u'))?;
    if hex.len() < 4 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let mut s = String::new();
    if name.starts_with("uni") {
        for chunk in hex.as_bytes().chunks(4) {
            let v = u32::from_str_radix(std::str::from_utf8(chunk).ok()?, 16).ok()?;
            s.push(char::from_u32(v)?);
        }
    } else {
        s.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfchar_and_codespace() {
        let src = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
            1 begincodespacerange <0000> <FFFF> endcodespacerange
            2 beginbfchar <0003> <0020> <6b10> <9644> endbfchar
            endcmap";
        let cm = CMap::parse(src);
        assert_eq!(cm.codes(&[0x6b, 0x10, 0, 3]), vec![(0x6b10, 2), (3, 2)]);
        assert_eq!(cm.unicode(0x6b10, 2), Some("附"));
        assert_eq!(cm.unicode(3, 2), Some(" "));
        assert_eq!(cm.unicode(4, 2), None);
    }

    #[test]
    fn bfrange_string_and_array() {
        let src = b"begincmap 1 begincodespacerange <00> <FF> endcodespacerange
            2 beginbfrange <20> <22> <0041>
            <30> <32> [<4E00> <D835DC00> <0066006C>] endbfrange endcmap";
        let cm = CMap::parse(src);
        assert_eq!(cm.unicode(0x21, 1), Some("B"));
        assert_eq!(cm.unicode(0x22, 1), Some("C"));
        assert_eq!(cm.unicode(0x30, 1), Some("一"));
        assert_eq!(cm.unicode(0x31, 1), Some("\u{1D400}"));
        assert_eq!(cm.unicode(0x32, 1), Some("fl"));
    }

    #[test]
    fn mixed_codespace_lengths() {
        let src = b"2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange
            1 begincidrange <8140> <817E> 10 endcidrange
            1 begincidchar <41> 34 endcidchar";
        let cm = CMap::parse(src);
        assert_eq!(cm.codes(&[0x41, 0x81, 0x41, 0x42]), vec![(0x41, 1), (0x8141, 2), (0x42, 1)]);
        assert_eq!(cm.cid(0x8141, 2), Some(11));
        assert_eq!(cm.cid(0x41, 1), Some(34));
        assert_eq!(cm.cid(0x42, 1), None);
    }

    #[test]
    fn usecmap_and_wmode() {
        let parent = CMap::parse(
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange
            1 begincidrange <4e00> <4e10> 100 endcidrange",
        );
        let mut child = CMap::parse(
            b"/Parent usecmap /CMapName /Child def /WMode 1 def
            1 begincidchar <3001> 575 endcidchar",
        );
        assert_eq!(child.usecmap.as_deref(), Some("Parent"));
        assert_eq!(child.name.as_deref(), Some("Child"));
        assert!(child.vertical());
        child.set_parent(std::sync::Arc::new(parent));
        assert_eq!(child.cid(0x3001, 2), Some(575));
        assert_eq!(child.cid(0x4e01, 2), Some(101));
        assert_eq!(child.codes(&[0x4e, 0x01]), vec![(0x4e01, 2)]);
    }

    #[test]
    fn broken_input_does_not_panic() {
        for src in [&b"beginbfrange <00> [<41"[..], b"begincidrange <00>", b"<<<<(((", b"beginbfchar <> <>", b"%"] {
            let cm = CMap::parse(src);
            let _ = cm.codes(b"\x00\x01\xff");
        }
        // Unpaired surrogate is dropped rather than turned into U+FFFD.
        let cm = CMap::parse(b"1 beginbfchar <01> <D800> endbfchar");
        assert_eq!(cm.unicode(1, 1), None);
    }

    #[test]
    fn mutated_cmaps_do_not_panic() {
        let base: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def /WMode 1 def
            2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange
            2 beginbfchar <0001> <4E00> <41> /uni4E2D endbfchar
            2 beginbfrange <0010> <00FF> <0030> <20> <22> [<41> <D800> <0042>] endbfrange
            1 begincidrange <8140> <FEFE> 4294967290 endcidrange 1 begincidchar <20> 1 endcidchar
            /Parent usecmap endcmap";
        let mut seed = 0x1234_5678_9abc_def0u64;
        let mut rnd = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..1000 {
            let mut b = base.to_vec();
            for _ in 0..(1 + rnd() % 6) {
                let i = (rnd() as usize) % b.len();
                match rnd() % 3 {
                    0 => b[i] = b"<>[]()/0123456789ABCDEFabcdef \n%"[(rnd() % 32) as usize],
                    1 => {
                        let j = (i + (rnd() % 16) as usize).min(b.len());
                        b.drain(i..j);
                    }
                    _ => b.insert(i, rnd() as u8),
                }
                if b.is_empty() {
                    b.push(b'<');
                }
            }
            let cm = CMap::parse(&b);
            for (code, len) in cm.codes(&[0x81, 0x40, 0xfe, 0xfe, 0x20, 0x00, 0x01, 0xff]) {
                let _ = cm.cid(code, len);
                let _ = cm.unicode(code, len);
            }
        }
    }
}

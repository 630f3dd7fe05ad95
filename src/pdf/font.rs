//! PDF fonts: string bytes → codes → (text, advance width).
//!
//! lopdf parses the objects and gives us the standard encodings' tables and the glyph-name
//! list (through [`lopdf::Dictionary::get_font_encoding`]); ttf-parser reads embedded
//! TrueType `cmap` tables and CFF built-in encodings. What no crate does for us is written
//! here by hand: composite (Type0) fonts with their CMaps and `/W` `/W2` width arrays,
//! `/Differences` applied name by name, Type 1 built-in encodings, the choice of text
//! source per code (ToUnicode → Unicode CMap → Adobe-GB1 CID table → embedded TrueType
//! cmap; for simple fonts ToUnicode → encoding → symbolic TrueType cmap), Type3
//! `/FontMatrix` scaling, and vertical metrics.
//!
//! A code whose text cannot be found is returned with `text: None`; the caller reports it
//! (`undecodable_text`) — we never emit U+FFFD.

use super::cmap::CMap;
use super::predefined;
use lopdf::{Dictionary, Document, Object};
use std::collections::HashMap;
use std::sync::Arc;

/// Cap on the codes one `/W` range may describe.
const MAX_W_RANGE: i64 = 0x1_0000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontKind {
    Simple,
    Type3,
    Type0,
}

/// One code of a shown string.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub code: u32,
    /// Byte length of the code (word spacing applies to the 1-byte code 32 only).
    pub len: u8,
    pub text: Option<String>,
    /// Horizontal advance in text-space units per unit font size (w0 / 1000).
    pub width: f32,
    /// Vertical advance (w1, negative = downwards) per unit font size, vertical fonts only.
    pub vadvance: f32,
}

/// A loaded font.
#[derive(Debug)]
pub struct Font {
    pub name: String,
    pub kind: FontKind,
    /// Type0: code → CID. `None` = Identity (2-byte codes, CID = code).
    encoding_cmap: Option<Arc<CMap>>,
    /// Type0 with a UniGB-UCS2/UTF16 CMap: the code bytes are UTF-16BE text.
    unicode_codes: bool,
    to_unicode: Option<CMap>,
    /// Simple fonts: per-byte text from the font's encoding.
    simple_enc: Option<Vec<Option<String>>>,
    /// Simple: code → width; Type0: CID → width. In glyph units (1/1000 em; Type3: glyph space).
    widths: HashMap<u32, f32>,
    default_width: f32,
    /// Vertical writing (Identity-V or a -V CMap).
    pub vertical: bool,
    /// DW2 w1 (default -1000) and per-CID W2 w1.
    vdefault: f32,
    vwidths: HashMap<u32, f32>,
    /// CIDs are Adobe-GB1 CIDs we can map to Unicode.
    gb1: bool,
    /// Embedded TrueType: glyph id → char from its `cmap` table.
    gid_unicode: Option<HashMap<u16, char>>,
    /// Simple embedded TrueType: byte → char through its (3,0)/(1,0) and Unicode cmaps.
    symbolic: Option<HashMap<u8, char>>,
    /// CIDToGIDMap stream (None = Identity).
    cid_to_gid: Option<Vec<u16>>,
    /// Type3 glyph-space → text-space scale (x), others 0.001.
    scale_x: f32,
    /// Size factor for the em: Type3 |FontMatrix d| × 1000, others 1.
    pub em_factor: f32,
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().map(|o| deref(doc, o))
}

fn get_dict<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    match get(doc, d, key)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn get_name<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    get(doc, d, key)?.as_name().ok()
}

pub(crate) fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

fn stream_bytes(doc: &Document, o: &Object) -> Option<Vec<u8>> {
    match deref(doc, o) {
        Object::Stream(s) => s
            .decompressed_content_with_limit(crate::limits::current().max_decompressed_stream_bytes)
            .ok()
            .or_else(|| if s.dict.has(b"Filter") { None } else { Some(s.content.clone()) }),
        _ => None,
    }
}

/// Load a CMap stream, resolving `usecmap` against the predefined CMaps.
fn load_cmap_stream(doc: &Document, o: &Object) -> Option<CMap> {
    let data = stream_bytes(doc, o)?;
    let mut cm = CMap::parse(&data);
    let parent_name = cm.usecmap.clone().or_else(|| {
        // A CMap stream may name its parent in the stream dictionary.
        if let Object::Stream(s) = deref(doc, o) {
            s.dict.get(b"UseCMap").ok().and_then(|u| u.as_name().ok()).map(|n| String::from_utf8_lossy(n).into_owned())
        } else {
            None
        }
    });
    if let Some(p) = parent_name.and_then(|n| predefined::cmap(&n)) {
        cm.set_parent(p);
    }
    Some(cm)
}

impl Font {
    /// Load a font dictionary. Never fails: a broken font decodes nothing and the caller
    /// reports its glyphs as undecodable.
    pub fn load(doc: &Document, dict: &Dictionary) -> Font {
        let subtype = get_name(doc, dict, b"Subtype").unwrap_or(b"");
        let kind = match subtype {
            b"Type0" => FontKind::Type0,
            b"Type3" => FontKind::Type3,
            _ => FontKind::Simple,
        };
        let name = get_name(doc, dict, b"BaseFont")
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_else(|| String::from_utf8_lossy(subtype).into_owned());
        let mut f = Font {
            name,
            kind,
            encoding_cmap: None,
            unicode_codes: false,
            to_unicode: dict.get(b"ToUnicode").ok().and_then(|o| load_cmap_stream(doc, o)),
            simple_enc: None,
            widths: HashMap::new(),
            default_width: 0.0,
            vertical: false,
            vdefault: -1000.0,
            vwidths: HashMap::new(),
            gb1: false,
            gid_unicode: None,
            symbolic: None,
            cid_to_gid: None,
            scale_x: 0.001,
            em_factor: 1.0,
        };
        match kind {
            FontKind::Type0 => f.load_type0(doc, dict),
            FontKind::Simple | FontKind::Type3 => f.load_simple(doc, dict),
        }
        // A ToUnicode that is itself a predefined name (seen in the wild): treat like an
        // encoding-level Unicode CMap.
        if let Some(Object::Name(n)) = dict.get(b"ToUnicode").ok().map(|o| deref(doc, o))
            && predefined::is_unicode_cmap(&String::from_utf8_lossy(n))
        {
            f.unicode_codes = true;
        }
        f
    }

    fn load_simple(&mut self, doc: &Document, dict: &Dictionary) {
        if self.kind == FontKind::Type3
            && let Some(Object::Array(m)) = get(doc, dict, b"FontMatrix")
        {
            let m: Vec<f32> = m.iter().filter_map(|o| num(deref(doc, o))).collect();
            if m.len() == 6 && m[0] != 0.0 {
                self.scale_x = m[0];
                self.em_factor = (m[3].abs() * 1000.0).clamp(0.001, 1000.0);
            }
        }
        let first = (get(doc, dict, b"FirstChar").and_then(num).unwrap_or(0.0) as i64).clamp(0, 255);
        if let Some(Object::Array(ws)) = get(doc, dict, b"Widths") {
            for (i, w) in ws.iter().enumerate().take(256) {
                if let Some(w) = num(deref(doc, w)) {
                    self.widths.insert((first + i as i64).clamp(0, 255) as u32, w);
                }
            }
        }
        let desc = get_dict(doc, dict, b"FontDescriptor");
        self.default_width = desc
            .and_then(|d| get(doc, d, b"MissingWidth"))
            .and_then(num)
            .unwrap_or(if self.widths.is_empty() && self.kind == FontKind::Simple { 500.0 } else { 0.0 });
        // Per-byte text from the encoding: the base encoding's table and the glyph-name list
        // come from lopdf; /Differences are applied here name by name, because lopdf drops
        // the whole array (falling back to StandardEncoding) on one name it does not know.
        if dict.has(b"Encoding") || self.to_unicode.is_none() {
            let named_base = match get(doc, dict, b"Encoding") {
                Some(n @ Object::Name(_)) => Some(n.clone()),
                Some(Object::Dictionary(enc)) => {
                    get(doc, enc, b"BaseEncoding").filter(|b| b.as_name().is_ok()).cloned()
                }
                _ => None,
            };
            // No named base encoding: the font program's built-in encoding, if embedded
            // (TeX math and symbol fonts put "period" at 0x3A, "bullet" at 0x0F…).
            let builtin = if named_base.is_none() { desc.and_then(|d| builtin_encoding(doc, d)) } else { None };
            let mut table = match builtin {
                Some(t) => t,
                None => lopdf_table(named_base),
            };
            if let Some(Object::Dictionary(enc)) = get(doc, dict, b"Encoding")
                && let Some(Object::Array(diffs)) = get(doc, enc, b"Differences")
            {
                let mut code = 0i64;
                for o in diffs.iter().take(1024) {
                    match deref(doc, o) {
                        Object::Integer(c) => code = *c,
                        Object::Name(n) => {
                            if (0..256).contains(&code) {
                                table[code as usize] = glyph_text(n);
                            }
                            code += 1;
                        }
                        _ => {}
                    }
                }
            }
            self.simple_enc = Some(table);
        }
        // Embedded TrueType without ToUnicode: its cmap can tell symbolic codes apart.
        if self.to_unicode.is_none()
            && let Some(d) = desc
        {
            let data = d.get(b"FontFile2").ok().and_then(|o| stream_bytes(doc, o));
            self.symbolic = data.and_then(|b| truetype_symbolic_map(&b));
        }
    }

    fn load_type0(&mut self, doc: &Document, dict: &Dictionary) {
        // Encoding: a predefined CMap name or an embedded CMap stream.
        let mut enc_name = String::new();
        match dict.get(b"Encoding").ok().map(|o| deref(doc, o)) {
            Some(Object::Name(n)) => {
                enc_name = String::from_utf8_lossy(n).into_owned();
                match enc_name.as_str() {
                    "Identity-H" => {}
                    "Identity-V" => self.vertical = true,
                    other => {
                        if let Some(cm) = predefined::cmap(other) {
                            self.vertical = cm.vertical();
                            self.encoding_cmap = Some(cm);
                        }
                        self.unicode_codes = predefined::is_unicode_cmap(other);
                    }
                }
            }
            Some(o @ Object::Stream(_)) => {
                if let Some(cm) = load_cmap_stream(doc, o) {
                    self.vertical = cm.vertical();
                    enc_name = cm.name.clone().unwrap_or_default();
                    self.encoding_cmap = Some(Arc::new(cm));
                }
            }
            _ => {}
        }
        let desc_font = match get(doc, dict, b"DescendantFonts") {
            Some(Object::Array(a)) => a.first().map(|o| deref(doc, o)).and_then(|o| o.as_dict().ok()),
            Some(Object::Dictionary(d)) => Some(d),
            _ => None,
        };
        let Some(cf) = desc_font else {
            self.default_width = 1000.0;
            return;
        };
        self.default_width = get(doc, cf, b"DW").and_then(num).unwrap_or(1000.0);
        if let Some(Object::Array(w)) = get(doc, cf, b"W") {
            parse_w(doc, w, 1, |cid, v| {
                self.widths.insert(cid, v[0]);
            });
        }
        if let Some(Object::Array(dw2)) = get(doc, cf, b"DW2")
            && let Some(w1) = dw2.get(1).and_then(|o| num(deref(doc, o)))
        {
            self.vdefault = w1;
        }
        if self.vertical
            && let Some(Object::Array(w2)) = get(doc, cf, b"W2")
        {
            parse_w(doc, w2, 3, |cid, v| {
                self.vwidths.insert(cid, v[0]);
            });
        }
        let ordering = get_dict(doc, cf, b"CIDSystemInfo")
            .and_then(|si| get(doc, si, b"Ordering"))
            .and_then(|o| o.as_str().ok().map(|s| s.to_vec()))
            .unwrap_or_default();
        let cid_subtype = get_name(doc, cf, b"Subtype").unwrap_or(b"");
        let fdesc = get_dict(doc, cf, b"FontDescriptor");
        let ff2 = fdesc.and_then(|d| d.get(b"FontFile2").ok());
        let embedded = fdesc.is_some_and(|d| d.has(b"FontFile2") || d.has(b"FontFile3") || d.has(b"FontFile"));
        let gb_cmap = enc_name.contains("GB");
        // CIDs are Adobe-GB1 CIDs when the encoding CMap is a GB one, or when the
        // collection is GB1 and the CIDs are not glyph ids of an embedded TrueType.
        self.gb1 = gb_cmap || (ordering == b"GB1" && (cid_subtype == b"CIDFontType0" || !embedded));
        if cid_subtype == b"CIDFontType2" {
            if let Ok(o) = cf.get(b"CIDToGIDMap")
                && let Some(b) = stream_bytes(doc, o)
            {
                self.cid_to_gid = Some(
                    b.chunks(2).map(|p| if p.len() == 2 { u16::from_be_bytes([p[0], p[1]]) } else { 0 }).collect(),
                );
            }
            let need = self.to_unicode.as_ref().is_none_or(|t| !t.has_unicode());
            if need {
                self.gid_unicode = ff2.and_then(|o| stream_bytes(doc, o)).and_then(|b| truetype_gid_map(&b));
            }
        }
    }

    /// Cut a shown string into codes and decode each.
    pub fn decode(&self, bytes: &[u8]) -> Vec<Decoded> {
        let codes: Vec<(u32, u8)> = match self.kind {
            FontKind::Type0 => match (&self.encoding_cmap, &self.to_unicode) {
                (Some(cm), _) => cm.codes(bytes),
                (None, _) => bytes
                    .chunks(2)
                    .map(|p| if p.len() == 2 { (((p[0] as u32) << 8) | p[1] as u32, 2) } else { (p[0] as u32, 1) })
                    .collect(),
            },
            _ => bytes.iter().map(|b| (*b as u32, 1)).collect(),
        };
        codes.into_iter().map(|(code, len)| self.decode_code(code, len)).collect()
    }

    fn decode_code(&self, code: u32, len: u8) -> Decoded {
        let cid = match self.kind {
            FontKind::Type0 => match &self.encoding_cmap {
                Some(cm) => cm.cid(code, len).unwrap_or(0),
                None => code,
            },
            _ => code,
        };
        let text = self.text_of(code, len, cid);
        let w = self.widths.get(&cid).copied().unwrap_or(self.default_width);
        let width = if self.kind == FontKind::Type3 { w * self.scale_x } else { w / 1000.0 };
        let vadvance =
            if self.vertical { self.vwidths.get(&cid).copied().unwrap_or(self.vdefault) / 1000.0 } else { 0.0 };
        Decoded { code, len, text, width, vadvance }
    }

    fn text_of(&self, code: u32, len: u8, cid: u32) -> Option<String> {
        if let Some(tu) = &self.to_unicode
            && let Some(s) = tu.unicode(code, len)
            && usable(s)
        {
            return Some(s.to_string());
        }
        if self.kind == FontKind::Type0 {
            if self.unicode_codes {
                let bytes: Vec<u8> = (0..len).rev().map(|i| (code >> (8 * i as u32)) as u8).collect();
                if let Some(s) = super::cmap::utf16be(&bytes).filter(|s| usable(s)) {
                    return Some(s);
                }
            }
            if self.gb1
                && let Some(c) = predefined::gb1_unicode(cid)
            {
                return Some(c.to_string());
            }
            if let Some(m) = &self.gid_unicode {
                let gid = match &self.cid_to_gid {
                    Some(t) => t.get(cid as usize).copied().unwrap_or(0),
                    None => cid.min(u16::MAX as u32) as u16,
                };
                if let Some(c) = m.get(&gid) {
                    return Some(c.to_string());
                }
            }
            return None;
        }
        if let Some(Some(s)) = self.simple_enc.as_ref().map(|t| t.get(code as usize).cloned().flatten()) {
            return Some(s);
        }
        // Symbolic TrueType without a usable encoding: the byte → glyph → Unicode path
        // through the embedded font's own cmap tables.
        self.symbolic.as_ref().and_then(|m| m.get(&(code as u8))).map(|c| c.to_string())
    }
}

/// The 256-entry text table lopdf gives for a simple font whose `/Encoding` is `enc`
/// (a name, or absent = StandardEncoding).
fn lopdf_table(enc: Option<Object>) -> Vec<Option<String>> {
    let mut d = lopdf::dictionary! { "Type" => "Font", "Subtype" => "Type1" };
    if let Some(e) = enc.filter(|e| matches!(e, Object::Name(_))) {
        d.set("Encoding", e);
    }
    let doc = Document::new();
    match d.get_font_encoding(&doc) {
        Ok(enc) => (0..=255u8).map(|b| enc.bytes_to_string(&[b]).ok().filter(|s| usable(s))).collect(),
        Err(_) => vec![None; 256],
    }
}

/// The built-in encoding of an embedded Type 1 (`/FontFile`, read from the clear-text
/// `dup code /name put` entries) or CFF (`/FontFile3`, through ttf-parser) font program.
fn builtin_encoding(doc: &Document, desc: &Dictionary) -> Option<Vec<Option<String>>> {
    let mut names: Vec<Option<Vec<u8>>> = vec![None; 256];
    if let Ok(o) = desc.get(b"FontFile") {
        let data = stream_bytes(doc, o)?;
        // The clear-text part ends at `eexec`.
        let end = data.windows(5).position(|w| w == b"eexec").unwrap_or(data.len().min(1 << 16));
        let clear = &data[..end];
        let start = clear.windows(9).position(|w| w == b"/Encoding")?;
        let words: Vec<&[u8]> =
            clear[start + 9..].split(|b| b.is_ascii_whitespace()).filter(|w| !w.is_empty()).take(4096).collect();
        if words.first() == Some(&&b"StandardEncoding"[..]) {
            return None;
        }
        for w in words.windows(4) {
            if w[0] == b"dup"
                && w[3] == b"put"
                && w[2].first() == Some(&b'/')
                && let Some(code) =
                    std::str::from_utf8(w[1]).ok().and_then(|c| c.parse::<usize>().ok()).filter(|c| *c < 256)
            {
                names[code] = Some(w[2][1..].to_vec());
            }
            if w[0] == b"readonly" || (w[0] == b"def" && names.iter().any(Option::is_some)) {
                break;
            }
        }
    } else if let Ok(o) = desc.get(b"FontFile3") {
        let data = stream_bytes(doc, o)?;
        let cff = ttf_parser::cff::Table::parse(&data)?;
        for code in 0..=255u8 {
            if let Some(name) = cff.glyph_index(code).and_then(|g| cff.glyph_name(g)) {
                names[code as usize] = Some(name.as_bytes().to_vec());
            }
        }
    } else {
        return None;
    }
    if names.iter().all(Option::is_none) {
        return None;
    }
    Some(names.into_iter().map(|n| n.and_then(|n| if n == b".notdef" { None } else { glyph_text(&n) })).collect())
}

/// Text of a glyph name: `uniXXXX` / `uXXXX` forms, else lopdf's glyph list.
fn glyph_text(name: &[u8]) -> Option<String> {
    if let Some(t) = super::cmap::glyph_name_text(&String::from_utf8_lossy(name)).filter(|s| usable(s)) {
        return Some(t);
    }
    let enc = lopdf::dictionary! { "Differences" => vec![Object::Integer(65), Object::Name(name.to_vec())] };
    let d = lopdf::dictionary! { "Type" => "Font", "Subtype" => "Type1", "Encoding" => enc };
    let doc = Document::new();
    let e = d.get_font_encoding(&doc).ok()?;
    let s = e.bytes_to_string(b"A").ok()?;
    // An unknown name leaves lopdf on StandardEncoding, where 65 is 'A' — only trust it
    // when the name really is "A".
    (usable(&s) && (s != "A" || name == b"A")).then_some(s)
}

/// Text worth emitting: non-empty, no U+FFFD, not only control characters.
fn usable(s: &str) -> bool {
    !s.is_empty() && !s.contains('\u{FFFD}') && s.chars().any(|c| !c.is_control())
}

/// Parse a `/W` (n = 1) or `/W2` (n = 3) array: `c [v…]` and `cfirst clast v…` forms.
fn parse_w(doc: &Document, w: &[Object], n: usize, mut put: impl FnMut(u32, &[f32])) {
    let mut i = 0;
    let mut guard = 0usize;
    while i < w.len() && guard < 1_000_000 {
        guard += 1;
        // Codes beyond 32 bits are garbage; clamping keeps the arithmetic below in range.
        let Some(first) = num(deref(doc, &w[i])).map(|v| (v as i64).clamp(-1, u32::MAX as i64)) else {
            i += 1;
            continue;
        };
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(vals)) => {
                let vals: Vec<f32> = vals.iter().filter_map(|o| num(deref(doc, o))).collect();
                for (k, chunk) in vals.chunks(n).enumerate() {
                    if chunk.len() == n && first >= 0 && first + (k as i64) <= u32::MAX as i64 {
                        put((first + k as i64) as u32, chunk);
                    }
                }
                i += 2;
            }
            Some(o) => {
                let last = num(o).map(|v| (v as i64).clamp(-1, u32::MAX as i64)).unwrap_or(first);
                let vals: Vec<f32> = (0..n).filter_map(|k| w.get(i + 2 + k).and_then(|o| num(deref(doc, o)))).collect();
                if vals.len() == n && first >= 0 && last >= first && last - first < MAX_W_RANGE {
                    for c in first..=last {
                        put(c as u32, &vals);
                    }
                }
                i += 2 + n;
            }
            None => break,
        }
    }
}

/// Glyph id → character from an embedded TrueType's Unicode `cmap` subtables. Where two
/// code points share a glyph, a unified ideograph beats a Kangxi / CJK radical or a
/// compatibility ideograph.
fn truetype_gid_map(data: &[u8]) -> Option<HashMap<u16, char>> {
    let face = ttf_parser::Face::parse(data, 0).ok()?;
    let cmap = face.tables().cmap?;
    let mut map: HashMap<u16, char> = HashMap::new();
    let secondary =
        |c: char| matches!(c as u32, 0x2E80..=0x2FDF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F | 0xE000..=0xF8FF);
    for sub in cmap.subtables {
        if !sub.is_unicode() {
            continue;
        }
        let mut n = 0usize;
        sub.codepoints(|cp| {
            n += 1;
            if n > 200_000 {
                return;
            }
            let (Some(c), Some(gid)) = (char::from_u32(cp), sub.glyph_index(cp)) else {
                return;
            };
            if gid.0 == 0 || c.is_control() {
                return;
            }
            match map.get(&gid.0) {
                Some(old) if !secondary(*old) || secondary(c) => {}
                _ => {
                    map.insert(gid.0, c);
                }
            }
        });
    }
    (!map.is_empty()).then_some(map)
}

/// Byte → character for a simple embedded TrueType: byte → glyph through the (3,0)
/// symbol subtable (codes 0xF000 + byte) or the (1,0) Macintosh subtable, then glyph →
/// character through the font's Unicode subtables.
fn truetype_symbolic_map(data: &[u8]) -> Option<HashMap<u8, char>> {
    let gids = truetype_gid_map(data)?;
    let face = ttf_parser::Face::parse(data, 0).ok()?;
    let cmap = face.tables().cmap?;
    let mut out = HashMap::new();
    for b in 0..=255u8 {
        for sub in cmap.subtables {
            if sub.is_unicode() {
                continue;
            }
            let gid = sub.glyph_index(0xF000 + b as u32).or_else(|| sub.glyph_index(b as u32));
            if let Some(c) = gid.and_then(|g| gids.get(&g.0)) {
                out.insert(b, *c);
                break;
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

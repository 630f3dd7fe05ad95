//! Content-stream interpreter: page content (and the Form XObjects it draws) → positioned
//! glyphs and ruling lines.
//!
//! lopdf parses the file and tokenizes content streams ([`lopdf::content::Content`]); the
//! interpretation — graphics and text state, text matrices, glyph placement, marked
//! content with `/ActualText`, Form XObjects, path painting — is written here by hand:
//! lopdf's own text extraction keeps no positions, and pdf-extract (which does) panics on
//! malformed input and cannot be steered. The operator semantics follow PDF 32000-1 §8–9.
//!
//! Every operand is checked; loops and recursion are bounded.

use super::font::{Font, num};
use crate::limits::Limits;
use crate::model::{Diagnostic, Position};
use crate::token::Rule;
use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::sync::Arc;

/// Affine matrix `[a b c d e f]`, PDF row-vector convention.
pub type M = [f64; 6];
const ID: M = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
const MAX_GSTACK: usize = 4096;
const MAX_GLYPHS: usize = 4_000_000;
const MAX_RULES_PER_PAGE: usize = 50_000;
/// Content bytes decoded into operations at once. lopdf's strict decode allocates about
/// 500 bytes per operation at its peak (1 MiB of `BT ET` lines: 184 MB), so a larger
/// stream is decoded in pieces cut after `ET`; a stretch with no `ET` longer than this is
/// interpreted as it is parsed, never held whole.
const DECODE_CHUNK: usize = 256 << 10;
/// Work units a Form XObject draw costs besides its content bytes and operations (the
/// lookup, decompression and set-up of each draw).
const FORM_DRAW_WORK: usize = 100;
/// Subpaths one path may collect before it is painted.
const MAX_SUBPATHS: usize = 100_000;

/// `a × b`: apply `a`, then `b`.
pub fn mul(a: &M, b: &M) -> M {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn translate(tx: f64, ty: f64) -> M {
    [1.0, 0.0, 0.0, 1.0, tx, ty]
}

fn apply(m: &M, x: f64, y: f64) -> (f64, f64) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

/// One shown glyph, in user space of its page (y up).
#[derive(Debug, Clone)]
pub struct Glyph {
    pub page: u32,
    /// Left end of the glyph's baseline.
    pub x: f32,
    pub y: f32,
    /// Advance width along the baseline, in points.
    pub adv: f32,
    /// Font size in points after all transformations.
    pub size: f32,
    /// Baseline angle in degrees (0 = horizontal, left to right).
    pub rotation: f32,
    /// `None` when the font could not tell the text.
    pub text: Option<String>,
    /// First glyph of a string operand (`Tj`, each string of `TJ`, `'`, `"`).
    pub show_start: bool,
    pub font: Arc<str>,
}

#[derive(Clone)]
struct GState {
    ctm: M,
    font: Option<Arc<Font>>,
    fs: f64,
    tc: f64,
    tw: f64,
    th: f64,
    tl: f64,
    rise: f64,
    fill_white: bool,
    stroke_white: bool,
}

impl Default for GState {
    fn default() -> Self {
        GState {
            ctm: ID,
            font: None,
            fs: 0.0,
            tc: 0.0,
            tw: 0.0,
            th: 1.0,
            tl: 0.0,
            rise: 0.0,
            fill_white: false,
            stroke_white: false,
        }
    }
}

#[derive(Default)]
struct SubPath {
    pts: Vec<(f64, f64)>,
    closed: bool,
    curved: bool,
    rect: bool,
}

#[derive(Hash, PartialEq, Eq, Clone, Copy)]
enum FontKey {
    Id(ObjectId),
    Ptr(usize),
}

/// Marked-content entry: `Some` when it carries `/ActualText`, with the index of the first
/// glyph emitted inside it.
struct Marked {
    actual: Option<(String, usize)>,
}

/// The interpreter's output for a whole document.
pub struct Output {
    pub glyphs: Vec<Glyph>,
    pub rules: Vec<Rule>,
    pub diagnostics: Vec<Diagnostic>,
    pub pages: u32,
}

struct Interp<'a> {
    doc: &'a Document,
    fonts: HashMap<FontKey, Arc<Font>>,
    glyphs: Vec<Glyph>,
    rules: Vec<Rule>,
    page_rules: usize,
    /// The visible page (CropBox within MediaBox), in display coordinates.
    visible: Option<[f64; 4]>,
    /// Text drawn outside the visible page: (x, y, text).
    offpage: Vec<(f32, f32, String)>,
    diagnostics: Vec<Diagnostic>,
    page: u32,
    forms: Vec<ObjectId>,
    limits: Limits,
    /// Work done so far against `limits.max_content_ops`: operations interpreted plus
    /// bytes of shown strings.
    work: usize,
    /// Bytes of glyph text kept so far, against `limits.max_text_bytes`.
    text_bytes: usize,
    /// Limits already reported (each once per document).
    reported: Vec<&'static str>,
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn nums(ops: &[Object]) -> Vec<f64> {
    ops.iter().filter_map(|o| num(o).map(|v| v as f64)).collect()
}

/// Decode a PDF text string (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding).
fn text_string(b: &[u8]) -> Option<String> {
    if b.starts_with(&[0xfe, 0xff]) {
        super::cmap::utf16be(&b[2..]).or_else(|| (b.len() == 2).then(String::new))
    } else if b.starts_with(&[0xef, 0xbb, 0xbf]) {
        std::str::from_utf8(&b[3..]).ok().map(str::to_string)
    } else {
        Some(lopdf::decode_text_string(&Object::String(b.to_vec(), lopdf::StringFormat::Literal)).ok()?)
    }
}

/// Read every page of `doc` under the [`Limits`] in force on this thread.
pub fn run(doc: &Document) -> Output {
    run_with(doc, &crate::limits::current())
}

/// Read the pages of `doc` (at most `limits.max_pages`) under explicit [`Limits`].
pub fn run_with(doc: &Document, limits: &Limits) -> Output {
    let mut it = Interp {
        doc,
        fonts: HashMap::new(),
        glyphs: Vec::new(),
        rules: Vec::new(),
        page_rules: 0,
        visible: None,
        offpage: Vec::new(),
        diagnostics: Vec::new(),
        page: 0,
        forms: Vec::new(),
        limits: *limits,
        work: 0,
        text_bytes: 0,
        reported: Vec::new(),
    };
    let pages = doc.get_pages();
    if pages.len() > limits.max_pages {
        let what = format!("only the first {} of {} pages were read", limits.max_pages, pages.len());
        it.diagnostics.push(crate::limits::reached("max_pages", what, None));
    }
    for (&no, &pid) in pages.iter().take(limits.max_pages) {
        if it.work >= limits.max_content_ops {
            break; // reported where it ran out
        }
        it.page = no;
        it.page_rules = 0;
        let mut res: Vec<&Dictionary> = Vec::new();
        if let Ok((direct, ids)) = doc.get_page_resources(pid) {
            if let Some(d) = direct {
                res.push(d);
            }
            for id in ids {
                if let Ok(d) = doc.get_dictionary(id) {
                    res.push(d);
                }
            }
        }
        let content = match doc.get_page_content_with_limit(pid, limits.max_decompressed_stream_bytes) {
            Ok(c) => c,
            Err(e) => {
                it.warn(format!("page {no}: content stream unreadable ({e})"));
                continue;
            }
        };
        let ctm = page_matrix(doc, pid);
        it.visible = visible_box(doc, pid, &ctm);
        let gs = GState { ctm, ..GState::default() };
        it.run_stream(&content, &res, gs, 0);
        it.report_offpage();
    }
    Output { glyphs: it.glyphs, rules: it.rules, diagnostics: it.diagnostics, pages: pages.len() as u32 }
}

/// Cut a content stream after `ET`s into pieces of at most [`DECODE_CHUNK`] bytes (a
/// longer stretch with no `ET` stays one piece). A stream up to that size is one piece.
fn chunks(content: &[u8]) -> Vec<&[u8]> {
    if content.len() <= DECODE_CHUNK {
        return vec![content];
    }
    let delim = |b: u8| b.is_ascii_whitespace() || b"()<>[]{}/%".contains(&b);
    let mut out = Vec::new();
    let (mut start, mut last_cut) = (0, 0);
    let mut i = 0;
    while i <= content.len() {
        let at_end = i == content.len();
        let cut = at_end
            || (content[i..].starts_with(b"ET")
                && (i == 0 || delim(content[i - 1]))
                && content.get(i + 2).is_none_or(|b| delim(*b)));
        if cut {
            let end = if at_end { i } else { i + 2 };
            if end - start > DECODE_CHUNK && last_cut > start {
                out.push(&content[start..last_cut]);
                start = last_cut;
            }
            last_cut = end;
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    if start < content.len() {
        out.push(&content[start..]);
    }
    out
}

/// Decode a content stream. lopdf's `Content::decode` silently stops at the first thing
/// it cannot parse, dropping the rest of the page; so parse strictly, and when that fails
/// decode piece by piece — cut after each `ET` — keeping every piece that parses and the
/// operations of a broken piece up to where it breaks. Returns the operations and the
/// number of broken pieces.
fn decode_lenient(content: &[u8]) -> (Vec<Operation>, usize) {
    if let Ok(c) = Content::decode_strict(content) {
        return (c.operations, 0);
    }
    let mut ops = Vec::new();
    let mut lost = 0;
    let delim = |b: u8| b.is_ascii_whitespace() || b"()<>[]{}/%".contains(&b);
    let mut start = 0;
    let mut i = 0;
    while i <= content.len() {
        let at_end = i == content.len();
        let cut = at_end
            || (content[i..].starts_with(b"ET")
                && (i == 0 || delim(content[i - 1]))
                && content.get(i + 2).is_none_or(|b| delim(*b)));
        if cut {
            let end = if at_end { i } else { i + 2 };
            let piece = &content[start..end];
            if !piece.iter().all(u8::is_ascii_whitespace) {
                match Content::decode_strict(piece) {
                    Ok(c) => ops.extend(c.operations),
                    Err(_) => {
                        lost += 1;
                        ops.extend(Content::decode_iter(piece).map_while(Result::ok));
                    }
                }
            }
            start = end;
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    (ops, lost)
}

/// An inheritable page attribute (`/Rotate`, `/MediaBox`), looked up the page tree.
fn page_attr<'a>(doc: &'a Document, page: ObjectId, key: &[u8]) -> Option<&'a Object> {
    let mut d = doc.get_dictionary(page).ok()?;
    for _ in 0..64 {
        if let Ok(o) = d.get(key) {
            return Some(deref(doc, o));
        }
        d = d.get(b"Parent").ok().and_then(|p| p.as_reference().ok()).and_then(|id| doc.get_dictionary(id).ok())?;
    }
    None
}

/// The initial CTM of a page: identity, or for a page with `/Rotate` the rotation that
/// maps user space to the page as displayed (origin at the displayed lower-left corner),
/// so that text reads left to right on horizontal baselines as a reader sees it.
fn page_matrix(doc: &Document, page: ObjectId) -> M {
    let rot = page_attr(doc, page, b"Rotate").and_then(num).map(|r| (r as i64).rem_euclid(360)).unwrap_or(0);
    let mb: Vec<f64> = match page_attr(doc, page, b"MediaBox") {
        Some(Object::Array(a)) => a.iter().filter_map(|o| num(deref(doc, o)).map(|v| v as f64)).collect(),
        _ => Vec::new(),
    };
    let (llx, lly, urx, ury) = if mb.len() == 4 {
        (mb[0].min(mb[2]), mb[1].min(mb[3]), mb[0].max(mb[2]), mb[1].max(mb[3]))
    } else {
        (0.0, 0.0, 612.0, 792.0)
    };
    match rot {
        90 => [0.0, -1.0, 1.0, 0.0, -lly, urx],
        180 => [-1.0, 0.0, 0.0, -1.0, urx, ury],
        270 => [0.0, 1.0, -1.0, 0.0, ury, -llx],
        _ => ID,
    }
}

/// A page box as `[x0, y0, x1, y1]`.
fn page_box(doc: &Document, page: ObjectId, key: &[u8]) -> Option<[f64; 4]> {
    let Some(Object::Array(a)) = page_attr(doc, page, key) else { return None };
    let v: Vec<f64> = a.iter().filter_map(|o| num(deref(doc, o)).map(|v| v as f64)).collect();
    (v.len() == 4).then(|| [v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
}

/// The visible area of a page (CropBox clipped to MediaBox) mapped by the page matrix.
fn visible_box(doc: &Document, page: ObjectId, m: &M) -> Option<[f64; 4]> {
    let mb = page_box(doc, page, b"MediaBox")?;
    let b = match page_box(doc, page, b"CropBox") {
        Some(c) => [c[0].max(mb[0]), c[1].max(mb[1]), c[2].min(mb[2]), c[3].min(mb[3])],
        None => mb,
    };
    if b[2] <= b[0] || b[3] <= b[1] {
        return None;
    }
    let (ax, ay) = apply(m, b[0], b[1]);
    let (bx, by) = apply(m, b[2], b[3]);
    Some([ax.min(bx), ay.min(by), ax.max(bx), ay.max(by)])
}

impl<'a> Interp<'a> {
    /// True when a glyph lies wholly outside the visible page (with a little slack).
    fn outside(&self, x: f64, y: f64, adv: f64, size: f64) -> bool {
        let Some(b) = self.visible else { return false };
        let slack = 1.0;
        x + adv.max(0.0) < b[0] - slack || x > b[2] + slack || y + size < b[1] - slack || y - size * 0.3 > b[3] + slack
    }

    /// One `unplaced_text` diagnostic per page for the text drawn off the visible page.
    fn report_offpage(&mut self) {
        if self.offpage.is_empty() {
            return;
        }
        let items = std::mem::take(&mut self.offpage);
        let mut text = String::new();
        for (_, _, t) in &items {
            text.push_str(t);
        }
        let (x, y) = (items[0].0, items[0].1);
        let text = crate::radicals::fold(&text);
        let msg = format!(
            "page {}: text drawn outside the visible page was left out ({} glyphs, from x={x:.1} y={y:.1}): {text}",
            self.page,
            items.len()
        );
        let at = Some(Position { page: Some(self.page), line: None });
        self.diagnostics.push(Diagnostic::warning("unplaced_text", msg, at));
    }

    fn warn(&mut self, msg: String) {
        // The same complaint once per page (a missing font may be selected a thousand times).
        let at = Some(Position { page: Some(self.page), line: None });
        if self.diagnostics.iter().rev().take(64).any(|d| d.message == msg && d.at == at) {
            return;
        }
        self.diagnostics.push(Diagnostic::warning("undecodable_text", msg, at));
    }

    /// Find `name` in resource category `cat` (`Font`, `XObject`, `Properties`).
    fn resource(&self, res: &[&'a Dictionary], cat: &[u8], name: &[u8]) -> Option<(Option<ObjectId>, &'a Object)> {
        for d in res {
            let Ok(c) = d.get(cat) else { continue };
            let c = deref(self.doc, c);
            let Ok(c) = c.as_dict() else { continue };
            if let Ok(o) = c.get(name) {
                return match o {
                    Object::Reference(id) => self.doc.get_object(*id).ok().map(|t| (Some(*id), t)),
                    _ => Some((None, o)),
                };
            }
        }
        None
    }

    fn font(&mut self, res: &[&'a Dictionary], name: &[u8]) -> Option<Arc<Font>> {
        let (id, o) = self.resource(res, b"Font", name)?;
        let dict = o.as_dict().ok()?;
        let key = match id {
            Some(id) => FontKey::Id(id),
            None => FontKey::Ptr(dict as *const Dictionary as usize),
        };
        if let Some(f) = self.fonts.get(&key) {
            return Some(f.clone());
        }
        let f = Arc::new(Font::load(self.doc, dict));
        self.fonts.insert(key, f.clone());
        Some(f)
    }

    /// Report reaching limit `name` (once per document).
    fn limit(&mut self, name: &'static str, what: &str) {
        if !self.reported.contains(&name) {
            self.reported.push(name);
            let what = format!("page {}: {what}; the rest of the document was not read", self.page);
            self.diagnostics.push(crate::limits::reached(name, what, Some(self.page)));
        }
    }

    /// Count one unit of work; false once `max_content_ops` is used up.
    fn step(&mut self) -> bool {
        if self.work >= self.limits.max_content_ops {
            self.limit("max_content_ops", "too many content-stream operations");
            return false;
        }
        self.work += 1;
        true
    }

    fn lost_parts(&mut self, lost: usize) {
        if lost > 0 {
            self.warn(format!(
                "page {}: {lost} part(s) of a content stream do not parse; text in them may be lost",
                self.page
            ));
        }
    }

    fn run_stream(&mut self, content: &[u8], res: &[&'a Dictionary], gs0: GState, depth: usize) {
        let mut gs = gs0;
        let mut stack: Vec<GState> = Vec::new();
        let mut tm = ID;
        let mut tlm = ID;
        let mut path: Vec<SubPath> = Vec::new();
        let mut marked: Vec<Marked> = Vec::new();
        let pieces = chunks(content);
        let whole = pieces.len() == 1 && content.len() <= DECODE_CHUNK;
        let mut lost = 0;
        'pieces: for piece in pieces {
            if piece.len() <= DECODE_CHUNK {
                let (ops, l) = decode_lenient(piece);
                if whole {
                    self.lost_parts(l);
                } else {
                    lost += l;
                }
                for op in &ops {
                    if !self.step() {
                        break 'pieces;
                    }
                    self.op(op, res, &mut gs, &mut stack, &mut tm, &mut tlm, &mut path, &mut marked, depth);
                }
            } else {
                for op in Content::decode_iter(piece) {
                    let Ok(op) = op else {
                        lost += 1;
                        break;
                    };
                    if !self.step() {
                        break 'pieces;
                    }
                    self.op(&op, res, &mut gs, &mut stack, &mut tm, &mut tlm, &mut path, &mut marked, depth);
                }
            }
        }
        self.lost_parts(lost);
        // Unclosed ActualText spans still apply.
        while let Some(m) = marked.pop() {
            self.close_marked(m);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn op(
        &mut self,
        op: &Operation,
        res: &[&'a Dictionary],
        gs: &mut GState,
        stack: &mut Vec<GState>,
        tm: &mut M,
        tlm: &mut M,
        path: &mut Vec<SubPath>,
        marked: &mut Vec<Marked>,
        depth: usize,
    ) {
        let o = &op.operands;
        let n = nums(o);
        match op.operator.as_str() {
            "q" if stack.len() < MAX_GSTACK => {
                stack.push(gs.clone());
            }
            "Q" => {
                if let Some(s) = stack.pop() {
                    *gs = s;
                }
            }
            "cm" if n.len() == 6 => {
                let m = [n[0], n[1], n[2], n[3], n[4], n[5]];
                gs.ctm = mul(&m, &gs.ctm);
            }
            "g" => gs.fill_white = n.first() == Some(&1.0),
            "G" => gs.stroke_white = n.first() == Some(&1.0),
            "rg" => gs.fill_white = n.len() == 3 && n.iter().all(|v| *v >= 1.0),
            "RG" => gs.stroke_white = n.len() == 3 && n.iter().all(|v| *v >= 1.0),
            "k" => gs.fill_white = n.len() == 4 && n.iter().all(|v| *v <= 0.0),
            "K" => gs.stroke_white = n.len() == 4 && n.iter().all(|v| *v <= 0.0),
            "sc" | "scn" | "cs" => gs.fill_white = false,
            "SC" | "SCN" | "CS" => gs.stroke_white = false,
            "BT" => {
                *tm = ID;
                *tlm = ID;
            }
            "Tf" => {
                if let Some(name) = o.first().and_then(|x| x.as_name().ok()) {
                    gs.font = self.font(res, name);
                    if gs.font.is_none() {
                        self.warn(format!("page {}: font /{} not found", self.page, String::from_utf8_lossy(name)));
                    }
                }
                if let Some(s) = o.get(1).and_then(num) {
                    gs.fs = s as f64;
                }
            }
            "Tc" if !n.is_empty() => gs.tc = n[0],
            "Tw" if !n.is_empty() => gs.tw = n[0],
            "Tz" if !n.is_empty() => gs.th = n[0] / 100.0,
            "TL" if !n.is_empty() => gs.tl = n[0],
            "Ts" if !n.is_empty() => gs.rise = n[0],
            "Td" if n.len() == 2 => {
                *tlm = mul(&translate(n[0], n[1]), tlm);
                *tm = *tlm;
            }
            "TD" if n.len() == 2 => {
                gs.tl = -n[1];
                *tlm = mul(&translate(n[0], n[1]), tlm);
                *tm = *tlm;
            }
            "Tm" if n.len() == 6 => {
                *tlm = [n[0], n[1], n[2], n[3], n[4], n[5]];
                *tm = *tlm;
            }
            "T*" => {
                *tlm = mul(&translate(0.0, -gs.tl), tlm);
                *tm = *tlm;
            }
            "Tj" => {
                if let Some(Object::String(s, _)) = o.first() {
                    self.show(s, gs, tm);
                }
            }
            "'" => {
                *tlm = mul(&translate(0.0, -gs.tl), tlm);
                *tm = *tlm;
                if let Some(Object::String(s, _)) = o.first() {
                    self.show(s, gs, tm);
                }
            }
            "\"" if o.len() == 3 => {
                if let (Some(aw), Some(ac)) = (num(&o[0]), num(&o[1])) {
                    gs.tw = aw as f64;
                    gs.tc = ac as f64;
                }
                *tlm = mul(&translate(0.0, -gs.tl), tlm);
                *tm = *tlm;
                if let Object::String(s, _) = &o[2] {
                    self.show(s, gs, tm);
                }
            }
            "TJ" => {
                if let Some(Object::Array(items)) = o.first() {
                    for it in items {
                        match it {
                            Object::String(s, _) => self.show(s, gs, tm),
                            other => {
                                if let Some(adj) = num(other) {
                                    let d = -(adj as f64) / 1000.0 * gs.fs;
                                    let vertical = gs.font.as_ref().is_some_and(|f| f.vertical);
                                    *tm = if vertical {
                                        mul(&translate(0.0, d), tm)
                                    } else {
                                        mul(&translate(d * gs.th, 0.0), tm)
                                    };
                                }
                            }
                        }
                    }
                }
            }
            "BMC" => marked.push(Marked { actual: None }),
            "BDC" => {
                let props = match o.get(1) {
                    Some(Object::Dictionary(d)) => Some(d),
                    Some(Object::Name(nm)) => self.resource(res, b"Properties", nm).and_then(|(_, p)| p.as_dict().ok()),
                    Some(Object::Reference(id)) => self.doc.get_dictionary(*id).ok(),
                    _ => None,
                };
                let actual = props
                    .and_then(|p| p.get(b"ActualText").ok())
                    .map(|a| deref(self.doc, a))
                    .and_then(|a| a.as_str().ok())
                    .and_then(text_string)
                    .map(|t| (t, self.glyphs.len()));
                marked.push(Marked { actual });
            }
            "EMC" => {
                if let Some(m) = marked.pop() {
                    self.close_marked(m);
                }
            }
            "Do" => {
                if let Some(name) = o.first().and_then(|x| x.as_name().ok()) {
                    self.do_xobject(name, res, gs, depth);
                }
            }
            // Paths. A path is kept until painted: bounded, or `0 0 m` repeated makes
            // one heap allocation per operation.
            "m" | "l" | "c" | "v" | "y" | "re" if path.len() >= MAX_SUBPATHS => {}
            "m" if n.len() == 2 => {
                let p = apply(&gs.ctm, n[0], n[1]);
                path.push(SubPath { pts: vec![p], ..SubPath::default() });
            }
            "l" if n.len() == 2 => {
                let p = apply(&gs.ctm, n[0], n[1]);
                match path.last_mut() {
                    Some(sp) if !sp.closed => sp.pts.push(p),
                    _ => path.push(SubPath { pts: vec![p], ..SubPath::default() }),
                }
            }
            "c" | "v" | "y" if n.len() >= 4 => {
                let p = apply(&gs.ctm, n[n.len() - 2], n[n.len() - 1]);
                match path.last_mut() {
                    Some(sp) if !sp.closed => {
                        sp.pts.push(p);
                        sp.curved = true;
                    }
                    _ => path.push(SubPath { pts: vec![p], curved: true, ..SubPath::default() }),
                }
            }
            "h" => {
                if let Some(sp) = path.last_mut() {
                    sp.closed = true;
                }
            }
            "re" if n.len() == 4 => {
                let (x, y, w, h) = (n[0], n[1], n[2], n[3]);
                let pts = vec![
                    apply(&gs.ctm, x, y),
                    apply(&gs.ctm, x + w, y),
                    apply(&gs.ctm, x + w, y + h),
                    apply(&gs.ctm, x, y + h),
                ];
                path.push(SubPath { pts, closed: true, curved: false, rect: true });
            }
            "S" | "s" => {
                if op.operator == "s"
                    && let Some(sp) = path.last_mut()
                {
                    sp.closed = true;
                }
                if !gs.stroke_white {
                    self.stroke_rules(path);
                }
                path.clear();
            }
            "f" | "F" | "f*" => {
                if !gs.fill_white {
                    self.fill_rules(path);
                }
                path.clear();
            }
            "B" | "B*" | "b" | "b*" => {
                if !gs.fill_white {
                    self.fill_rules(path);
                }
                if !gs.stroke_white {
                    self.stroke_rules(path);
                }
                path.clear();
            }
            "n" => path.clear(),
            _ => {}
        }
    }

    fn close_marked(&mut self, m: Marked) {
        let Some((text, start)) = m.actual else {
            return;
        };
        if start >= self.glyphs.len() {
            return;
        }
        let span = self.glyphs.split_off(start);
        let first = &span[0];
        // Only merge glyphs of one baseline; the replacement spans them all.
        let last = &span[span.len() - 1];
        let mut g = first.clone();
        let end = (last.x + last.adv).max(first.x + first.adv);
        g.adv = (end - first.x).max(0.0);
        g.text = if text.is_empty() { None } else { Some(text) };
        if g.text.is_none() {
            // ActualText "" marks artifacts such as hyphens: drop the glyphs.
            return;
        }
        self.glyphs.push(g);
    }

    fn do_xobject(&mut self, name: &[u8], res: &[&'a Dictionary], gs: &GState, depth: usize) {
        let Some((id, obj)) = self.resource(res, b"XObject", name) else {
            return;
        };
        let Ok(stream) = obj.as_stream() else { return };
        let is_form = stream.dict.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) == Some(b"Form");
        if !is_form {
            return;
        }
        if depth >= self.limits.max_nesting || id.is_some_and(|id| self.forms.contains(&id)) {
            self.warn(format!(
                "page {}: Form XObject /{} nested too deep or recursive",
                self.page,
                String::from_utf8_lossy(name)
            ));
            return;
        }
        let content = match stream.decompressed_content_with_limit(self.limits.max_decompressed_stream_bytes) {
            Ok(c) => c,
            Err(_) if !stream.dict.has(b"Filter") => stream.content.clone(),
            Err(e) => {
                self.warn(format!(
                    "page {}: Form XObject /{} unreadable ({e})",
                    self.page,
                    String::from_utf8_lossy(name)
                ));
                return;
            }
        };
        let mut inner = gs.clone();
        if let Ok(Object::Array(m)) = stream.dict.get(b"Matrix").map(|m| deref(self.doc, m)) {
            let m = nums(m);
            if m.len() == 6 {
                inner.ctm = mul(&[m[0], m[1], m[2], m[3], m[4], m[5]], &gs.ctm);
            }
        }
        let own = stream.dict.get(b"Resources").ok().map(|r| deref(self.doc, r)).and_then(|r| r.as_dict().ok());
        let mut inner_res: Vec<&'a Dictionary> = Vec::new();
        if let Some(r) = own {
            inner_res.push(r);
        }
        inner_res.extend_from_slice(res);
        if let Some(id) = id {
            self.forms.push(id);
        }
        // Decoding a form is work too, each time it is drawn (a form drawing a form ten
        // times, ten levels deep, is a "form bomb").
        self.work = self.work.saturating_add(FORM_DRAW_WORK + content.len());
        self.run_stream(&content, &inner_res, inner, depth + 1);
        if id.is_some() {
            self.forms.pop();
        }
    }

    fn show(&mut self, bytes: &[u8], gs: &GState, tm: &mut M) {
        let Some(font) = gs.font.clone() else {
            if !bytes.is_empty() {
                self.warn(format!("page {}: text shown with no font selected", self.page));
            }
            return;
        };
        // Each shown byte is a unit of work.
        let budget = self.limits.max_content_ops.saturating_sub(self.work);
        let bytes = if bytes.len() > budget {
            self.limit("max_content_ops", "too many content-stream operations and shown bytes");
            &bytes[..budget]
        } else {
            bytes
        };
        self.work += bytes.len();
        let fname: Arc<str> = Arc::from(font.name.as_str());
        let mut first = true;
        for d in font.decode(bytes) {
            let m2 = mul(tm, &gs.ctm);
            let scale = (m2[0] * m2[3] - m2[1] * m2[2]).abs().sqrt();
            let xscale = (m2[0] * m2[0] + m2[1] * m2[1]).sqrt();
            let trm = mul(&[gs.fs * gs.th, 0.0, 0.0, gs.fs, 0.0, gs.rise], &m2);
            let (mut x, mut y) = (trm[4], trm[5]);
            let adv = d.width as f64 * gs.fs * gs.th * xscale;
            if font.vertical {
                // Vertical origin is the top centre of the glyph box.
                let (dx, dy) =
                    apply(&[m2[0], m2[1], m2[2], m2[3], 0.0, 0.0], -(d.width as f64) / 2.0 * gs.fs, -0.88 * gs.fs);
                x += dx;
                y += dy;
            }
            let size = gs.fs.abs() * scale * font.em_factor as f64;
            if self.outside(x, y, adv, size) {
                if let Some(t) = d.text.clone()
                    && !t.chars().all(char::is_whitespace)
                    && self.offpage.len() < 10_000
                {
                    self.offpage.push((x as f32, y as f32, t));
                }
            } else if self.text_bytes + d.text.as_ref().map_or(0, String::len) > self.limits.max_text_bytes {
                self.limit("max_text_bytes", "too much text");
            } else if self.glyphs.len() < MAX_GLYPHS && x.is_finite() && y.is_finite() && size.is_finite() {
                self.text_bytes += d.text.as_ref().map_or(0, String::len);
                self.glyphs.push(Glyph {
                    page: self.page,
                    x: x as f32,
                    y: y as f32,
                    adv: if adv.is_finite() { adv as f32 } else { 0.0 },
                    size: size as f32,
                    rotation: m2[1].atan2(m2[0]).to_degrees() as f32,
                    text: d.text,
                    show_start: first,
                    font: fname.clone(),
                });
            }
            first = false;
            let word = if d.code == 32 && d.len == 1 { gs.tw } else { 0.0 };
            if font.vertical {
                let ty = d.vadvance as f64 * gs.fs + gs.tc + word;
                *tm = mul(&translate(0.0, ty), tm);
            } else {
                let tx = (d.width as f64 * gs.fs + gs.tc + word) * gs.th;
                *tm = mul(&translate(tx, 0.0), tm);
            }
        }
    }

    fn push_rule(&mut self, x0: f64, y0: f64, x1: f64, y1: f64) {
        if self.page_rules >= MAX_RULES_PER_PAGE || ![x0, y0, x1, y1].iter().all(|v| v.is_finite()) {
            return;
        }
        self.page_rules += 1;
        self.rules.push(Rule { page: self.page, x0: x0 as f32, y0: y0 as f32, x1: x1 as f32, y1: y1 as f32 });
    }

    /// Thin filled rectangles (either side ≤ 3 pt, the other ≥ 2 pt) are rules.
    fn fill_rules(&mut self, path: &[SubPath]) {
        for sp in path {
            if sp.curved || sp.pts.len() < 4 || !(sp.rect || sp.closed || sp.pts.len() == 5) {
                continue;
            }
            let pts = &sp.pts[..4];
            let axis = (0..4).all(|i| {
                let (a, b) = (pts[i], pts[(i + 1) % 4]);
                (a.0 - b.0).abs() < 0.01 || (a.1 - b.1).abs() < 0.01
            });
            if !axis {
                continue;
            }
            let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            for p in pts {
                x0 = x0.min(p.0);
                y0 = y0.min(p.1);
                x1 = x1.max(p.0);
                y1 = y1.max(p.1);
            }
            let (w, h) = (x1 - x0, y1 - y0);
            if h <= 3.0 && w >= 2.0 && w >= h {
                let yc = (y0 + y1) / 2.0;
                self.push_rule(x0, yc, x1, yc);
            } else if w <= 3.0 && h >= 2.0 {
                let xc = (x0 + x1) / 2.0;
                self.push_rule(xc, y0, xc, y1);
            }
        }
    }

    /// Stroked horizontal and vertical straight segments are rules.
    fn stroke_rules(&mut self, path: &[SubPath]) {
        for sp in path {
            if sp.curved || sp.pts.len() < 2 {
                continue;
            }
            let n = sp.pts.len();
            let segs = if sp.closed { n } else { n - 1 };
            for i in 0..segs {
                let (a, b) = (sp.pts[i], sp.pts[(i + 1) % n]);
                let (dx, dy) = ((b.0 - a.0).abs(), (b.1 - a.1).abs());
                if dy < 0.5 && dx >= 1.0 {
                    let y = (a.1 + b.1) / 2.0;
                    self.push_rule(a.0.min(b.0), y, a.0.max(b.0), y);
                } else if dx < 0.5 && dy >= 1.0 {
                    let x = (a.0 + b.0) / 2.0;
                    self.push_rule(x, a.1.min(b.1), x, a.1.max(b.1));
                }
            }
        }
    }
}

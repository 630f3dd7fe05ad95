//! Broken and hostile PDFs (issue 7), generated here: truncated files, bad xrefs, broken
//! object streams, encryption, a FlateDecode bomb, deep nesting, page-tree cycles, huge
//! pages, wrong operand counts, broken ToUnicode CMaps, form and glyph bombs.
//!
//! Each goes through [`annex2json::extract_bytes_with`] with the default [`Limits`]
//! ([`test_limits`]: a smaller work limit in a debug build) and
//! must give a clear error or a best-effort document, within 2 s of CPU time (debug build;
//! wall time where CPU time cannot be read) and with
//! under 256 MB allocated at the peak, measured by a counting global allocator. The cases
//! run one at a time (a mutex) so the peaks do not mix.

use annex2json::{Error, Limits};
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

struct Counting;
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator and only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(l.size(), Relaxed) + l.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        CURRENT.fetch_sub(l.size(), Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            if new >= l.size() {
                let now = CURRENT.fetch_add(new - l.size(), Relaxed) + (new - l.size());
                PEAK.fetch_max(now, Relaxed);
            } else {
                CURRENT.fetch_sub(l.size() - new, Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

static SERIAL: Mutex<()> = Mutex::new(());

/// CPU time of this process, all threads (lopdf parses objects on rayon's threads)
/// (Linux: /proc/self/stat, in clock ticks of 10 ms), so that other processes on a busy
/// machine do not count; `None` elsewhere. The cases hold [`SERIAL`] while they work, so
/// other tests of this file do not count either.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// The bound on each case's CPU time (wall time where CPU time cannot be read).
const MAX_TIME: Duration = Duration::from_secs(2);
/// Wall time may run longer on a loaded machine, but not without end.
const MAX_WALL_TIME: Duration = Duration::from_secs(30);
const MAX_MEMORY: usize = 256 << 20;

/// The default limits, but in a debug build a work limit scaled to what a debug build
/// does in 2 s: there lopdf's content parser (nom, unoptimized) takes about 10 µs per
/// operation, 18 s per million, against well under 1 µs in release. Every case but the
/// work-limit ones (form bomb, long string, millions of operations) is far below either.
/// `cargo test --release --test broken_pdfs` checks the true defaults.
fn test_limits() -> Limits {
    if cfg!(debug_assertions) { Limits { max_content_ops: 100_000, ..Limits::default() } } else { Limits::default() }
}

/// What came out of one case.
struct Outcome {
    result: Result<annex2json::Document, Error>,
    /// Text of the document's layout lines (PDF reader output), "" when unreadable.
    text: String,
}

impl Outcome {
    fn doc(&self) -> &annex2json::Document {
        match &self.result {
            Ok(d) => d,
            Err(e) => panic!("expected a document, got {e}"),
        }
    }
    fn has_diag(&self, code: &str) -> bool {
        self.result.as_ref().is_ok_and(|d| d.diagnostics.iter().any(|x| x.code == code))
    }
}

/// Extract `bytes` under the default limits, checking time and memory; then read the
/// layout text (not measured) for assertions on what was recovered.
fn run(name: &str, bytes: &[u8]) -> Outcome {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let base = CURRENT.load(Relaxed);
    PEAK.store(base, Relaxed);
    let t = Instant::now();
    let cpu0 = cpu_time();
    let result = annex2json::extract_bytes_with(bytes, name, &test_limits());
    let wall = t.elapsed();
    let took = match (cpu0, cpu_time()) {
        (Some(a), Some(b)) => b.saturating_sub(a),
        _ => wall,
    };
    let peak = PEAK.load(Relaxed).saturating_sub(base);
    let what = match &result {
        Ok(d) => format!("ok, {} annexes, {} diagnostics", d.annexes.len(), d.diagnostics.len()),
        Err(e) => format!("error: {e}"),
    };
    eprintln!(
        "{name}: {took:.2?} CPU ({wall:.2?} wall), peak {:.1} MB, {} input bytes: {what}",
        peak as f64 / 1048576.0,
        bytes.len()
    );
    assert!(took < MAX_TIME, "{name}: took {took:?} CPU");
    assert!(wall < MAX_WALL_TIME, "{name}: took {wall:?}");
    assert!(peak < MAX_MEMORY, "{name}: {peak} bytes allocated at the peak");
    let text = annex2json::limits::scoped(&test_limits(), || annex2json::pdf::read(bytes))
        .map(|l| l.lines.iter().map(|l| l.text()).collect::<Vec<_>>().join("\n"))
        .unwrap_or_default();
    Outcome { result, text }
}

// ---- building PDFs ---------------------------------------------------------------------

/// A stream object with `extra` dictionary entries.
fn stream(extra: &str, data: &[u8]) -> Vec<u8> {
    let mut o = format!("<< /Length {}{} >>\nstream\n", data.len(), extra).into_bytes();
    o.extend_from_slice(data);
    o.extend_from_slice(b"\nendstream");
    o
}

fn zlib(data: &[u8]) -> Vec<u8> {
    // Stored (uncompressed) deflate blocks: enough for FlateDecode, no compressor needed.
    let mut out = vec![0x78, 0x01];
    let chunks: Vec<&[u8]> = if data.is_empty() { vec![&[][..]] } else { data.chunks(65535).collect() };
    for (i, c) in chunks.iter().enumerate() {
        out.push(if i + 1 == chunks.len() { 1 } else { 0 });
        let n = c.len() as u16;
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&(!n).to_le_bytes());
        out.extend_from_slice(c);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + x as u32) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

/// A classic PDF from numbered objects (1 = catalog), with a correct xref table.
fn build(objs: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", i + 1).unwrap();
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).unwrap();
    for o in offsets {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    write!(out, "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objs.len() + 1).unwrap();
    out
}

const TO_UNICODE: &str = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
    1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
    2 beginbfchar <0001> <9884> <0002> <7B97> endbfchar\n\
    1 beginbfrange <0010> <0019> <0030> endbfrange\n\
    endcmap CMapName currentdict /CMap defineresource pop end end";

const CONTENT: &[u8] = b"BT /F1 12 Tf 72 720 Td (Hello budget) Tj ET\n\
    BT /F2 12 Tf 72 700 Td <000100020011001200130014> Tj ET\n\
    0.5 w 72 690 m 540 690 l S\n";

/// The objects of a good one-page PDF: catalog, pages, page, content, a simple font, a
/// Type0 font with its CIDFont and ToUnicode. Objects are 1-based: `objs[k]` is `k+1 0 R`.
fn good_objects(content: &[u8]) -> Vec<Vec<u8>> {
    vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>".to_vec(),
        stream(" /Filter /FlateDecode", &zlib(content)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [7 0 R] /ToUnicode 8 0 R >>".to_vec(),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>".to_vec(),
        stream("", TO_UNICODE.as_bytes()),
    ]
}

fn good_pdf() -> Vec<u8> {
    build(&good_objects(CONTENT))
}

/// `good_objects` with page content `content` and object `k` (1-based) replaced.
fn with(content: &[u8], replace: &[(usize, Vec<u8>)]) -> Vec<u8> {
    let mut objs = good_objects(content);
    for (k, o) in replace {
        objs[k - 1] = o.clone();
    }
    build(&objs)
}

const GOOD_TEXT: [&str; 2] = ["Hello", "预算1234"];

fn assert_good_text(name: &str, o: &Outcome) {
    for t in GOOD_TEXT {
        assert!(o.text.replace(['|', ' '], "").contains(&t.replace(' ', "")), "{name}: “{t}” not in {:?}", o.text);
    }
}

// ---- the cases -------------------------------------------------------------------------

#[test]
fn the_good_pdf_reads() {
    let o = run("good", &good_pdf());
    o.doc();
    assert_good_text("good", &o);
}

#[test]
fn truncated_files() {
    let good = good_pdf();
    for cut in [0, 5, 9, 20, good.len() / 4, good.len() / 2, good.len() * 3 / 4, good.len() - 40, good.len() - 1] {
        let o = run(&format!("truncated at {cut} of {}", good.len()), &good[..cut]);
        if cut >= good.len() - 40 {
            // Only the xref or trailer is gone: lopdf rebuilds it by scanning the objects.
            assert_good_text("truncated tail", &o);
        }
    }
    let real = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/real/jiangsu-npc-office-2019-budget.pdf")).unwrap();
    for part in [1, 2, 3] {
        let cut = real.len() * part / 4;
        run(&format!("corpus PDF truncated at {cut} of {}", real.len()), &real[..cut]);
    }
}

#[test]
fn bad_xref() {
    let good = good_pdf();
    let xref = good.windows(6).rposition(|w| w == b"\nxref\n").unwrap() + 1;
    let startxref = good.windows(9).rposition(|w| w == b"startxref").unwrap();
    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
    // Every offset off by 7.
    let mut shifted = good[..xref].to_vec();
    let table = String::from_utf8(good[xref..].to_vec()).unwrap();
    let table: String = table
        .lines()
        .map(|l| match l.strip_suffix(" 00000 n ") {
            Some(off) => format!("{:010} 00000 n \n", off.parse::<u64>().unwrap() + 7),
            None => format!("{l}\n"),
        })
        .collect();
    shifted.extend_from_slice(table.as_bytes());
    cases.push(("offsets off by 7", shifted));
    // startxref points past the end, or at garbage.
    let mut past = good[..startxref].to_vec();
    past.extend_from_slice(b"startxref\n99999999\n%%EOF\n");
    cases.push(("startxref past the end", past));
    let mut garbage = good[..xref].to_vec();
    garbage.extend_from_slice(b"xref\n0 9\nthis is no table at all\n");
    garbage.extend_from_slice(&good[good.windows(7).rposition(|w| w == b"trailer").unwrap()..]);
    cases.push(("garbage xref rows", garbage));
    // No xref and no trailer at all.
    cases.push(("no xref, no trailer", good[..xref].to_vec()));
    // A huge object count and a negative offset.
    let mut huge = good[..xref].to_vec();
    huge.extend_from_slice(b"xref\n0 4000000000\n-000000001 00000 n \n");
    huge.extend_from_slice(&good[good.windows(7).rposition(|w| w == b"trailer").unwrap()..]);
    cases.push(("xref claims 4e9 objects", huge));
    // /Prev loops back to the same xref.
    let mut prev_loop = good[..xref].to_vec();
    prev_loop.extend_from_slice(&good[xref..startxref]);
    let s = String::from_utf8(prev_loop[xref..].to_vec()).unwrap().replace("/Root 1 0 R", &format!("/Root 1 0 R /Prev {xref}"));
    prev_loop.truncate(xref);
    prev_loop.extend_from_slice(s.as_bytes());
    write!(prev_loop, "startxref\n{xref}\n%%EOF\n").unwrap();
    cases.push(("xref /Prev points to itself", prev_loop));
    for (name, bytes) in cases {
        let o = run(name, &bytes);
        assert_good_text(name, &o);
    }
}

/// A PDF 1.5 file whose page, fonts and ToUnicode live in an object stream, indexed by an
/// xref stream. `mangle` edits the object stream's dictionary and data.
fn objstm_pdf(mangle: impl Fn(&mut String, &mut Vec<u8>)) -> Vec<u8> {
    objstm_pdf_data(mangle, None)
}

/// [`objstm_pdf`] with the object stream's compressed data replaced by `compressed`.
fn objstm_pdf_data(mangle: impl Fn(&mut String, &mut Vec<u8>), compressed: Option<&[u8]>) -> Vec<u8> {
    let objs = good_objects(CONTENT);
    // In the object stream: 3 (page), 5, 6, 7 (fonts). Outside: 1, 2, 4, 8 (streams).
    let inside = [3usize, 5, 6, 7];
    let mut header = String::new();
    let mut body = Vec::new();
    for k in inside {
        header.push_str(&format!("{k} {} ", body.len()));
        body.extend_from_slice(&objs[k - 1]);
        body.push(b'\n');
    }
    let mut data = header.clone().into_bytes();
    data.extend_from_slice(&body);
    let mut dict = format!(" /Type /ObjStm /N {} /First {} /Filter /FlateDecode", inside.len(), header.len());
    let mut raw = data;
    mangle(&mut dict, &mut raw);
    let objstm = stream(&dict, &compressed.map_or_else(|| zlib(&raw), <[u8]>::to_vec));
    // Layout: 1, 2, 4, 8 as plain objects, 9 = object stream, 10 = xref stream.
    let mut out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = [0usize; 11];
    for k in [1usize, 2, 4, 8] {
        offsets[k] = out.len();
        writeln!(out, "{k} 0 obj").unwrap();
        out.extend_from_slice(&objs[k - 1]);
        out.extend_from_slice(b"\nendobj\n");
    }
    offsets[9] = out.len();
    out.extend_from_slice(b"9 0 obj\n");
    out.extend_from_slice(&objstm);
    out.extend_from_slice(b"\nendobj\n");
    offsets[10] = out.len();
    let mut rows = Vec::new();
    #[allow(clippy::needless_range_loop)] // k is the object number, not just an index
    for k in 0..=10usize {
        let (t, f1, f2): (u8, u32, u16) = if k == 0 {
            (0, 0, 65535)
        } else if let Some(i) = inside.iter().position(|&x| x == k) {
            (2, 9, i as u16)
        } else {
            (1, offsets[k] as u32, 0)
        };
        rows.push(t);
        rows.extend_from_slice(&f1.to_be_bytes());
        rows.extend_from_slice(&f2.to_be_bytes());
    }
    let xref = stream(" /Type /XRef /Size 11 /W [1 4 2] /Root 1 0 R", &rows);
    out.extend_from_slice(b"10 0 obj\n");
    out.extend_from_slice(&xref);
    write!(out, "\nendobj\nstartxref\n{}\n%%EOF\n", offsets[10]).unwrap();
    out
}

#[test]
fn broken_object_streams() {
    let o = run("object stream, intact", &objstm_pdf(|_, _| {}));
    assert_good_text("object stream, intact", &o);
    type Mangle = Box<dyn Fn(&mut String, &mut Vec<u8>)>;
    let cases: Vec<(&str, Mangle)> = vec![
        ("objstm /N 1e9", Box::new(|d, _| *d = d.replace("/N 4", "/N 1000000000"))),
        ("objstm /N -1", Box::new(|d, _| *d = d.replace("/N 4", "/N -1"))),
        ("objstm /First past the end", Box::new(|d, _| *d = d.replace("/First ", "/First 9999"))),
        ("objstm /First negative", Box::new(|d, _| *d = d.replace("/First ", "/First -"))),
        ("objstm offsets garbage", Box::new(|_, r| r[..8].copy_from_slice(b"x y z w "))),
        ("objstm offsets out of range", Box::new(|_, r| {
            let s = String::from_utf8_lossy(r).replacen("3 0 ", "3 999999 ", 1);
            *r = s.into_bytes();
        })),
        ("objstm data cut short", Box::new(|_, r| r.truncate(r.len() / 2))),
        ("objstm not a stream type", Box::new(|d, _| *d = d.replace("/ObjStm", "/XObject"))),
        ("objstm unknown filter", Box::new(|d, _| *d = d.replace("/FlateDecode", "/NoSuchDecode"))),
    ];
    for (name, m) in cases {
        let o = run(name, &objstm_pdf(m));
        // Best effort: whatever was readable, never a panic.
        let _ = o.text;
    }
    // Corrupt compressed data of the object stream itself.
    let mut bytes = objstm_pdf(|_, _| {});
    let at = bytes.windows(6).position(|w| w == b"9 0 obj").map(|p| p + 60).unwrap_or(100);
    for b in &mut bytes[at..at + 40] {
        *b ^= 0x5a;
    }
    run("objstm compressed data corrupt", &bytes);
}

fn encrypted(user: &str) -> Vec<u8> {
    use lopdf::{EncryptionState, EncryptionVersion, Permissions};
    let mut doc = lopdf::Document::load_mem(&good_pdf()).unwrap();
    let id = lopdf::Object::String(b"0123456789abcdef".to_vec(), lopdf::StringFormat::Hexadecimal);
    doc.trailer.set("ID", lopdf::Object::Array(vec![id.clone(), id]));
    let state = EncryptionState::try_from(EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password: user,
        key_length: 128,
        permissions: Permissions::all(),
    })
    .unwrap();
    doc.encrypt(&state).unwrap();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn encrypted_files() {
    // The empty user password opens it: read like any other.
    let o = run("encrypted, empty user password", &encrypted(""));
    assert_good_text("encrypted, empty user password", &o);
    // A real user password: a clear error.
    let o = run("encrypted, user password", &encrypted("secret"));
    assert!(matches!(o.result, Err(Error::Encrypted { .. })), "{:?}", o.result.as_ref().err());
    // A broken /Encrypt dictionary.
    let good = good_pdf();
    let s = String::from_utf8_lossy(&good).replace("/Root 1 0 R", "/Root 1 0 R /Encrypt << /Filter /Standard /V 99 /R 99 >>");
    let o = run("encrypt dictionary broken", s.as_bytes());
    assert!(o.result.is_err() || o.has_diag("no_text"), "an unreadable /Encrypt is an error or reported");
}

/// A zlib stream inflating to `n` zero bytes, built by hand: one fixed-Huffman block with a
/// literal 0 and then length-258, distance-1 copies (13 bits per 258 bytes).
fn flate_bomb(n: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        len: u32,
    }
    impl Bits {
        fn put(&mut self, v: u32, n: u32) {
            self.acc |= (v as u64) << self.len;
            self.len += n;
            while self.len >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.len -= 8;
            }
        }
        /// Huffman codes go most significant bit first.
        fn code(&mut self, c: u32, n: u32) {
            let mut r = 0;
            for i in 0..n {
                r |= ((c >> i) & 1) << (n - 1 - i);
            }
            self.put(r, n);
        }
    }
    let mut b = Bits { out: vec![0x78, 0x01], acc: 0, len: 0 };
    b.put(1, 1); // final block
    b.put(1, 2); // fixed Huffman
    b.code(0x30, 8); // literal 0
    let copies = (n - 1) / 258;
    for _ in 0..copies {
        b.code(0b1100_0101, 8); // length symbol 285 = 258
        b.code(0, 5); // distance code 0 = 1
    }
    for _ in 0..(n - 1 - copies * 258) {
        b.code(0x30, 8);
    }
    b.code(0, 7); // end of block (256)
    b.put(0, 7); // pad to a byte
    let mut out = b.out;
    let (a, bb) = (1u32, (n % 65521) as u32);
    out.extend_from_slice(&((bb << 16) | a).to_be_bytes());
    out
}

#[test]
fn flate_bomb_is_bounded() {
    let bomb = flate_bomb(1 << 30); // 1 GiB of zeros from about 6.5 MB
    let s = |extra: &str| stream(&format!(" /Filter /FlateDecode{extra}"), &bomb);
    // As the page content.
    let o = run("flate bomb as page content", &with(CONTENT, &[(4, s(""))]));
    assert!(o.has_diag("undecodable_text"), "the unreadable page is reported");
    // As the ToUnicode CMap: the font decodes nothing, the rest of the page reads.
    let o = run("flate bomb as ToUnicode", &with(CONTENT, &[(8, s(""))]));
    assert!(o.text.contains("Hello"), "{:?}", o.text);
    // As an object stream: loading fails with the limit.
    let o = run("flate bomb as object stream", &objstm_pdf_data(|_, _| {}, Some(&bomb)));
    assert!(o.text.is_empty() || !o.text.contains("预算"), "the fonts were in the bomb");
    let mut bytes = good_pdf();
    let tail = format!(
        "9 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length {} /Filter /FlateDecode >>\nstream\n",
        bomb.len()
    );
    let at = bytes.windows(6).rposition(|w| w == b"\nxref\n").unwrap() + 1;
    let mut mid = tail.into_bytes();
    mid.extend_from_slice(&bomb);
    mid.extend_from_slice(b"\nendstream\nendobj\n");
    bytes.splice(at..at, mid);
    // The xref is now off; lopdf rebuilds it and meets the bomb while loading.
    run("flate bomb as a stray object stream", &bytes);
    // As a Form XObject: that form is skipped, the page's own text reads.
    let o = run("flate bomb as a Form XObject", &{
        let content = b"q /X1 Do Q BT /F1 12 Tf 72 720 Td (Hello budget) Tj ET";
        let mut objs = good_objects(content);
        objs[2] = b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /X1 9 0 R >> >> /Contents 4 0 R >>".to_vec();
        objs.push(s(" /Type /XObject /Subtype /Form /BBox [0 0 612 792]"));
        build(&objs)
    });
    assert!(o.text.contains("Hello"), "{:?}", o.text);
}

#[test]
fn deeply_nested_arrays_and_dictionaries() {
    let depth = 100_000;
    let arr = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let dict = |n: usize| format!("{}{}", "<< /A ".repeat(n), ">>".repeat(n));
    // In the content stream, as an operand.
    let mut content = format!("{} TJ {} Tj ", arr(depth), dict(depth)).into_bytes();
    content.extend_from_slice(CONTENT);
    run("nested arrays in content", &with(&content, &[]));
    // In objects: the page's resources, an unclosed array, the font's widths.
    let page = format!("<< /Type /Page /Parent 2 0 R /X {} /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>", dict(depth));
    run("nested dictionaries in the page", &with(CONTENT, &[(3, page.into_bytes())]));
    let font = format!("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Widths {} >>", arr(depth));
    let o = run("nested arrays in widths", &with(CONTENT, &[(5, font.into_bytes())]));
    let _ = o.text;
    let open = format!("<< /Type /Font /Subtype /Type1 /Widths {}", "[".repeat(depth));
    run("unclosed nested array", &with(CONTENT, &[(5, open.into_bytes())]));
    // Nested in the trailer.
    let good = good_pdf();
    let s = String::from_utf8_lossy(&good).replace("/Root 1 0 R", &format!("/Root 1 0 R /Info {}", arr(depth)));
    run("nested array in the trailer", s.as_bytes());
}

#[test]
fn page_tree_cycles() {
    type Replace = Vec<(usize, Vec<u8>)>;
    let cases: Vec<(&str, Replace)> = vec![
        ("kids include their parent", vec![(2, b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>".to_vec())]),
        ("kids include the catalog", vec![(2, b"<< /Type /Pages /Kids [3 0 R 1 0 R] /Count 2 >>".to_vec())]),
        (
            "two Pages nodes in a loop",
            vec![
                (2, b"<< /Type /Pages /Kids [3 0 R 9 0 R] /Count 2 >>".to_vec()),
            ],
        ),
        ("page is its own parent", vec![(3, b"<< /Type /Page /Parent 3 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>".to_vec())]),
        ("count lies", vec![(2, b"<< /Type /Pages /Kids [3 0 R 3 0 R 3 0 R] /Count 2000000000 >>".to_vec())]),
    ];
    for (name, rep) in cases {
        let mut objs = good_objects(CONTENT);
        for (k, o) in rep {
            objs[k - 1] = o;
        }
        objs.push(b"<< /Type /Pages /Kids [2 0 R 9 0 R] /Parent 2 0 R /Count 1 >>".to_vec());
        let o = run(name, &build(&objs));
        if name == "page is its own parent" {
            // lopdf finds no page under the root then: an empty document, with diagnostics.
            assert!(!o.doc().diagnostics.is_empty());
        } else {
            assert!(o.text.contains("Hello"), "{name}: {:?}", o.text);
        }
    }
    // Inherited attributes looked up a cyclic parent chain.
    let mut objs = good_objects(CONTENT);
    objs[1] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 9 0 R >>".to_vec();
    objs.push(b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>".to_vec());
    run("parent chain loops (no MediaBox)", &build(&objs));
}

#[test]
fn huge_page_dimensions() {
    let boxes = [
        "[0 0 1e30 1e30]",
        "[0 0 3.4e38 3.4e38]",
        "[-1e30 -1e30 1e30 1e30]",
        "[0 0 99999999999999999999 5]",
        "[0 0 0 0]",
        "[1 2 3]",
        "[0 0 612 792] /Rotate 90 /UserUnit 75000",
        "[0 0 14400 14400] /CropBox [-1e30 0 1e30 1e30] /Rotate -270",
    ];
    for b in boxes {
        let page = format!("<< /Type /Page /Parent 2 0 R /MediaBox {b} /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>");
        let content = [
            CONTENT,
            b"BT /F1 1e30 Tf 1e30 0 0 1e30 1e30 1e30 Tm (Huge) Tj ET 1e30 1e30 m -1e30 1e30 l S 0 0 1e30 1 re f\n",
            b"BT /F1 12 Tf 1e38 0 0 1e38 0 0 Tm (x) Tj 1e38 0 Td (y) Tj ET q 1e38 0 0 1e38 0 0 cm 0 0 m 1 0 l S Q\n",
        ]
        .concat();
        run(&format!("MediaBox {b}"), &with(&content, &[(3, page.into_bytes())]));
    }
}

#[test]
fn wrong_operand_counts() {
    let content: &[u8] = b"Tf 12 Tf /F1 Tf /F9 12 Tf (x) Tj\n\
        BT /F1 Tf (no size) Tj ET\n\
        BT 1 2 3 cm 1 2 3 4 5 cm /F1 12 Tf 1 2 3 Td (a) 1 Tj 1 TJ [1 [2 (b)] << /A 1 >>] TJ ET\n\
        BT /F1 12 Tf Tm 1 Tm 1 2 3 4 5 6 7 Tm (c) (d) Tj 1 2 ' \" 1 \" (e) 1 2 \" ET\n\
        BT /F1 12 Tf 1 Tz 1e300 Tc 1e300 Tw -1e300 TL T* (f) ' 0 Tz (g) Tj ET\n\
        re 1 re 1 2 3 re m l c v y 1 2 3 c h S f B b* n W W* sh Do /Nope Do 1 Do\n\
        q q q Q Q Q Q Q Q cs 1 scn /P BDC EMC EMC EMC BMC /P 1 BDC BI /W 1 /H 1 ID x EI\n\
        d0 d1 1 2 3 4 5 6 d1 gs /GS9 gs ri i j J M w 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 cm\n";
    let mut all = content.to_vec();
    all.extend_from_slice(CONTENT);
    let o = run("wrong operand counts", &with(&all, &[]));
    assert!(o.text.contains("Hello"), "{:?}", o.text);
}

#[test]
fn broken_to_unicode() {
    let bad: Vec<(&str, Vec<u8>)> = vec![
        ("ToUnicode is an integer", b"42".to_vec()),
        ("ToUnicode is garbage", stream("", b"\x00\xff begincmap beginbfchar <zz> <0041> endbfchar <<<<>>>> [[[ ")),
        ("ToUnicode bfrange over all codes", stream("", b"1 beginbfrange <0000> <FFFF> <D800> endbfrange 1 beginbfrange <0000> <FFFFFFFF> <0041> endbfrange")),
        ("ToUnicode unclosed sections", stream("", b"1 begincodespacerange <00> 1 beginbfchar <0001> 1 beginbfrange <0001> [ <0041> <0042>")),
        ("ToUnicode odd hex and bad surrogates", stream("", b"2 beginbfchar <001> <D834> <0002> <DC00DC00> endbfchar")),
        ("ToUnicode usecmap of itself", stream(" /UseCMap 8 0 R", b"/Self usecmap /Identity-H usecmap 1 beginbfchar <0001> <0041> endbfchar")),
        ("ToUnicode bad filter", stream(" /Filter /FlateDecode", b"not zlib at all")),
        ("ToUnicode filter chain", stream(" /Filter [/FlateDecode /ASCIIHexDecode /LZWDecode /RunLengthDecode /DCTDecode]", b"junk")),
        ("ToUnicode 4-byte codespace", stream("", b"1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange 1 beginbfchar <00000001> <0041> endbfchar")),
    ];
    for (name, obj) in bad {
        let o = run(name, &with(CONTENT, &[(8, obj)]));
        // The simple font's text is unaffected; the Type0 font's is reported when lost.
        assert!(o.text.contains("Hello"), "{name}: {:?}", o.text);
        let d = o.doc();
        assert!(
            o.text.contains("预算") || d.diagnostics.iter().any(|x| x.code == "undecodable_text"),
            "{name}: lost text is reported"
        );
    }
    // The ToUnicode stream referenced but missing.
    let mut objs = good_objects(CONTENT);
    objs[5] = b"<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /DescendantFonts [7 0 R] /ToUnicode 99 0 R >>".to_vec();
    run("ToUnicode missing", &build(&objs));
}

#[test]
fn form_and_glyph_bombs_stop_at_the_work_limit() {
    // Ten levels of Form XObjects, each drawing the next ten times: 10^10 draws.
    let mut objs = good_objects(b"/X9 Do BT /F1 12 Tf 72 720 Td (Hello budget) Tj ET");
    let mut xobjects = String::new();
    for k in 0..10 {
        xobjects.push_str(&format!("/X{k} {} 0 R ", 9 + k));
    }
    objs[2] = format!(
        "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> /XObject << {xobjects}>> >> /Contents 4 0 R >>"
    )
    .into_bytes();
    for k in 0..10 {
        let body = if k == 0 {
            b"BT /F1 12 Tf 10 10 Td (x) Tj ET".to_vec()
        } else {
            format!("/X{} Do ", k - 1).repeat(10).into_bytes()
        };
        objs.push(stream(" /Type /XObject /Subtype /Form /BBox [0 0 612 792]", &body));
    }
    let o = run("form bomb", &build(&objs));
    assert!(o.has_diag("limit_reached"));
    // One string of 8 MB shown with a one-byte font.
    let mut content = b"BT /F1 1 Tf 0 0 Td (".to_vec();
    content.extend(std::iter::repeat_n(b'a', 8 << 20));
    content.extend_from_slice(b") Tj ET");
    let o = run("8 MB string", &with(&content, &[]));
    let _ = o.doc();
    // 2 million path operations in one content stream with no ET: interpreted as parsed
    // (decoded whole they took about 500 bytes each, 1 GB).
    let content = b"0 0 m\n".repeat(2_000_000);
    let o = run("2 million operations", &with(&content, &[]));
    assert!(o.has_diag("limit_reached"));
    // The same as text objects (cut after ET into 256 KiB pieces, each decoded whole).
    let content = b"BT ET\n".repeat(2_000_000);
    let o = run("2 million text objects", &with(&content, &[]));
    assert!(o.has_diag("limit_reached"));
    // Many pages.
    let mut objs = good_objects(CONTENT);
    let n = 6_000;
    let kids: String = (0..n).map(|k| format!("{} 0 R ", 9 + k)).collect();
    objs[1] = format!("<< /Type /Pages /Kids [{kids}] /Count {n} /MediaBox [0 0 612 792] >>").into_bytes();
    for _ in 0..n {
        objs.push(b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_vec());
    }
    let o = run("6 000 pages", &build(&objs));
    assert!(o.has_diag("limit_reached"));
}

#[test]
fn limits_are_configurable() {
    let small = Limits { max_pages: 1, max_content_ops: 3, ..Limits::default() };
    let d = annex2json::extract_bytes_with(&good_pdf(), "x.pdf", &small).unwrap();
    assert!(d.diagnostics.iter().any(|x| x.code == "limit_reached" && x.message.contains("max_content_ops")));
    let tiny = Limits { max_file_bytes: 10, ..Limits::default() };
    assert!(matches!(annex2json::extract_bytes_with(&good_pdf(), "x.pdf", &tiny), Err(Error::Unsupported { .. })));
    let stream_cap = Limits { max_decompressed_stream_bytes: 16, ..Limits::default() };
    let d = annex2json::extract_bytes_with(&good_pdf(), "x.pdf", &stream_cap).unwrap();
    assert!(d.diagnostics.iter().any(|x| x.code == "undecodable_text"), "{:?}", d.diagnostics);
    let text_cap = Limits { max_text_bytes: 3, ..Limits::default() };
    let d = annex2json::extract_bytes_with(&good_pdf(), "x.pdf", &text_cap).unwrap();
    assert!(d.diagnostics.iter().any(|x| x.code == "limit_reached" && x.message.contains("max_text_bytes")));
}

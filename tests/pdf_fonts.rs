//! The PDF reader on small PDFs built inside each test: one per font / encoding case,
//! plus the text operators, Form XObjects, ActualText, rules and line cutting.

use annex2json::pdf;
use annex2json::token::Layout;
use lopdf::{Dictionary, Document, Object, Stream, dictionary};

/// A one-page PDF under construction.
struct Pdf {
    doc: Document,
    fonts: Dictionary,
    xobjects: Dictionary,
}

impl Pdf {
    fn new() -> Pdf {
        Pdf { doc: Document::with_version("1.7"), fonts: Dictionary::new(), xobjects: Dictionary::new() }
    }

    fn stream(&mut self, dict: Dictionary, data: &[u8]) -> Object {
        Object::Reference(self.doc.add_object(Stream::new(dict, data.to_vec())))
    }

    fn obj(&mut self, o: impl Into<Object>) -> Object {
        Object::Reference(self.doc.add_object(o.into()))
    }

    fn font(&mut self, name: &str, dict: Dictionary) {
        let r = self.obj(dict);
        self.fonts.set(name, r);
    }

    /// A Type0 font with one CIDFontType2 descendant.
    fn type0(&mut self, name: &str, encoding: Object, cid_font: Dictionary, to_unicode: Option<&str>) {
        let desc = self.obj(cid_font);
        let mut d = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Test", "Encoding" => encoding,
            "DescendantFonts" => vec![desc],
        };
        if let Some(tu) = to_unicode {
            let s = self.stream(Dictionary::new(), tu.as_bytes());
            d.set("ToUnicode", s);
        }
        self.font(name, d);
    }

    fn finish(self, content: &str) -> Vec<u8> {
        self.finish_with(content, Dictionary::new())
    }

    fn finish_with(mut self, content: &str, page_extra: Dictionary) -> Vec<u8> {
        let pages_id = self.doc.new_object_id();
        let contents = self.stream(Dictionary::new(), content.as_bytes());
        let resources = dictionary! { "Font" => self.fonts.clone(), "XObject" => self.xobjects.clone() };
        let mut page = dictionary! {
            "Type" => "Page", "Parent" => pages_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => contents, "Resources" => resources,
        };
        page.extend(&page_extra);
        let page = self.obj(page);
        self.doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page], "Count" => 1 }),
        );
        let catalog = self.doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        self.doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        self.doc.save_to(&mut out).expect("save");
        out
    }
}

fn cid_font(extra: Dictionary) -> Dictionary {
    let mut d = dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "Test",
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
        "DW" => 1000,
    };
    d.extend(&extra);
    d
}

fn gb1_cid_font(extra: Dictionary) -> Dictionary {
    let mut d = dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light",
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("GB1"), "Supplement" => 4 },
    };
    d.extend(&extra);
    d
}

/// Read, check for U+FFFD, drop blank lines (tested on their own).
fn read(bytes: &[u8]) -> Layout {
    let mut l = pdf::read(bytes).expect("read");
    l.lines.retain(|l| !l.is_blank());
    for line in &l.lines {
        for t in &line.tokens {
            assert!(!t.text.contains('\u{FFFD}'), "U+FFFD in {:?}", t.text);
        }
    }
    l
}

/// Texts of the non-blank lines.
fn texts(l: &Layout) -> Vec<String> {
    l.lines.iter().filter(|l| !l.is_blank()).map(|l| l.text()).collect()
}

const TU_HEAD: &str = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n";
const TU_TAIL: &str = "endcmap CMapName currentdict /CMap defineresource pop end end";

#[test]
fn identity_h_tounicode_bfchar() {
    let mut p = Pdf::new();
    let tu = format!("{TU_HEAD}2 beginbfchar <0001> <9644> <0002> <4EF6> endbfchar\n{TU_TAIL}");
    p.type0("F1", "Identity-H".into(), cid_font(Dictionary::new()), Some(&tu));
    let l = read(&p.finish("BT /F1 12 Tf 1 0 0 1 72 700 Tm <00010002> Tj ET"));
    assert_eq!(texts(&l), vec!["附件"]);
    let t = &l.lines[0].tokens[0];
    assert!((t.x0 - 72.0).abs() < 0.01 && (t.x1 - 96.0).abs() < 0.01, "{t:?}");
    assert_eq!(l.lines[0].y, Some(700.0));
    assert_eq!(l.lines[0].size, Some(12.0));
    assert!(l.diagnostics.is_empty());
}

#[test]
fn identity_h_tounicode_bfrange_both_forms() {
    let mut p = Pdf::new();
    let tu = format!(
        "{TU_HEAD}2 beginbfrange <0010> <0012> <0030>\n<0020> <0022> [<5E74> <5EA6> <D840DC00>] endbfrange\n{TU_TAIL}"
    );
    p.type0("F1", "Identity-H".into(), cid_font(Dictionary::new()), Some(&tu));
    let l = read(&p.finish("BT /F1 10 Tf 50 500 Td <001000110012> Tj <0020 0021 0022> Tj ET"));
    assert_eq!(texts(&l), vec!["012年度\u{20000}"]);
}

#[test]
fn cid_widths_both_w_forms() {
    let mut p = Pdf::new();
    let tu = format!("{TU_HEAD}1 beginbfrange <0001> <0006> <0041> endbfrange\n{TU_TAIL}");
    // CIDs 1,2: 500 and 600 (array form); 3..5: 250 (range form); 6: DW 1000.
    let w = vec![1.into(), vec![500.into(), 600.into()].into(), 3.into(), 5.into(), 250.into()];
    p.type0("F1", "Identity-H".into(), cid_font(dictionary! { "W" => w }), Some(&tu));
    let l = read(&p.finish("BT /F1 10 Tf 100 500 Td <000100020003000400050006> Tj ET"));
    let t = &l.lines[0].tokens[0];
    assert_eq!(t.text, "ABCDEF");
    // 5 + 6 + 3 × 2.5 + 10 = 28.5
    assert!((t.x1 - t.x0 - 28.5).abs() < 0.01, "{t:?}");
}

#[test]
fn predefined_unigb_ucs2_h() {
    let mut p = Pdf::new();
    p.type0("F1", "UniGB-UCS2-H".into(), gb1_cid_font(Dictionary::new()), None);
    let l = read(&p.finish("BT /F1 12 Tf 72 700 Td <4E2D65870031> Tj ET"));
    assert_eq!(texts(&l), vec!["中文1"]);
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
}

#[test]
fn predefined_unigb_ucs2_widths_by_cid() {
    // Widths are keyed by CID: find 中's CID through the CMap, give it 500.
    let cm = annex2json::pdf::predefined::cmap("UniGB-UCS2-H").unwrap();
    let cid = cm.cid(0x4e2d, 2).unwrap() as i64;
    let mut p = Pdf::new();
    p.type0(
        "F1",
        "UniGB-UCS2-H".into(),
        gb1_cid_font(dictionary! { "W" => vec![cid.into(), vec![500.into()].into()] }),
        None,
    );
    let l = read(&p.finish("BT /F1 10 Tf 0 0 Td <4E2D4E2D> Tj ET"));
    let t = &l.lines[0].tokens[0];
    assert!((t.x1 - t.x0 - 10.0).abs() < 0.01, "{t:?}");
}

#[test]
fn predefined_gbk_euc_h() {
    let mut p = Pdf::new();
    p.type0("F1", "GBK-EUC-H".into(), gb1_cid_font(Dictionary::new()), None);
    // 中 D6D0, 文 CEC4, then single-byte 'A'.
    let l = read(&p.finish("BT /F1 12 Tf 72 700 Td <D6D0CEC441> Tj ET"));
    assert_eq!(texts(&l), vec!["中文A"]);
}

#[test]
fn predefined_gb_euc_h_and_utf16() {
    let mut p = Pdf::new();
    p.type0("F1", "GB-EUC-H".into(), gb1_cid_font(Dictionary::new()), None);
    p.type0("F2", "UniGB-UTF16-H".into(), gb1_cid_font(Dictionary::new()), None);
    let l = read(&p.finish("BT /F1 12 Tf 72 700 Td <D6D0> Tj /F2 12 Tf 0 -40 Td <65870032> Tj ET"));
    assert_eq!(texts(&l), vec!["中", "文2"]);
}

#[test]
fn simple_font_differences() {
    let mut p = Pdf::new();
    p.font(
        "F1",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => dictionary! { "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => vec![65.into(), "B".into(), "C".into(), 200.into(), "uni4E2D".into(), "u2F00".into()] },
            "FirstChar" => 65, "Widths" => vec![600.into(), 600.into(), 600.into()],
        },
    );
    let l = read(&p.finish("BT /F1 10 Tf 72 700 Td (ABC\\351\\310\\311) Tj ET"));
    // \\310 = 200 → uni4E2D; \\311 → u2F00 (Kangxi radical one), folded to 一.
    assert_eq!(texts(&l), vec!["BCCé中一"]);
}

#[test]
fn type3_font_matrix() {
    let mut p = Pdf::new();
    let proc_a = p.stream(Dictionary::new(), b"50 0 d0");
    let tu = format!(
        "{}1 beginbfchar <01> <7EDF> endbfchar\n{TU_TAIL}",
        "begincmap 1 begincodespacerange <00> <FF> endcodespacerange\n"
    );
    let tu = p.stream(Dictionary::new(), tu.as_bytes());
    p.font(
        "F1",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type3",
            "FontBBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
            "FontMatrix" => vec![0.01.into(), 0.into(), 0.into(), 0.01.into(), 0.into(), 0.into()],
            "CharProcs" => dictionary! { "a" => proc_a },
            "Encoding" => dictionary! { "Type" => "Encoding", "Differences" => vec![1.into(), "a".into()] },
            "FirstChar" => 1, "LastChar" => 1, "Widths" => vec![50.into()],
            "ToUnicode" => tu,
        },
    );
    let l = read(&p.finish("BT /F1 20 Tf 10 10 Td <0101> Tj ET"));
    let t = &l.lines[0].tokens[0];
    assert_eq!(t.text, "统统");
    // Width 50 glyph units × 0.01 = 0.5 em; two glyphs at 20 pt = 20 pt.
    assert!((t.x1 - t.x0 - 20.0).abs() < 0.01, "{t:?}");
}

#[test]
fn form_xobject_text_with_matrix() {
    let mut p = Pdf::new();
    let tu = format!("{TU_HEAD}1 beginbfchar <0001> <8868> endbfchar\n{TU_TAIL}");
    p.type0("F1", "Identity-H".into(), cid_font(Dictionary::new()), Some(&tu));
    let fonts = p.fonts.clone();
    let form = p.stream(
        dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 500.into(), 500.into()],
            "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 100.into(), 50.into()],
            "Resources" => dictionary! { "Font" => fonts } },
        b"BT /F1 10 Tf 5 5 Td <0001> Tj ET /Fm0 Do",
    );
    p.xobjects.set("Fm0", form);
    let l = read(&p.finish("q 1 0 0 1 0 100 cm /Fm0 Do Q"));
    assert_eq!(texts(&l), vec!["表"]);
    let t = &l.lines[0].tokens[0];
    assert!((t.x0 - 105.0).abs() < 0.01, "{t:?}");
    assert_eq!(l.lines[0].y, Some(155.0));
    // The form draws itself: reported, not followed.
    assert!(l.diagnostics.iter().any(|d| d.message.contains("recursive")));
}

#[test]
fn quote_operators() {
    let mut p = Pdf::new();
    p.font("F1", dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" });
    let l = read(&p.finish("BT /F1 10 Tf 14 TL 72 700 Td (one) Tj (two) ' 3 0 (three) \" ET"));
    assert_eq!(texts(&l), vec!["one", "two", "three"]);
    assert_eq!(l.lines.iter().map(|l| l.y.unwrap()).collect::<Vec<_>>(), vec![700.0, 686.0, 672.0]);
    // Tc = 0 (from ") keeps three one token; Tw = 3 applies to spaces only.
    assert_eq!(l.lines[2].tokens.len(), 1);
}

#[test]
fn actual_text_replaces_glyphs() {
    let mut p = Pdf::new();
    let tu = format!("{TU_HEAD}2 beginbfchar <0001> <2ED4> <0002> <0041> endbfchar\n{TU_TAIL}");
    p.type0("F1", "Identity-H".into(), cid_font(Dictionary::new()), Some(&tu));
    // The glyph maps to a radical; ActualText says 门 (U+95E8).
    let l = read(
        &p.finish("BT /F1 10 Tf 72 700 Td <0002> Tj /Span << /ActualText <FEFF95E8> >> BDC 10 0 Td <0001> Tj EMC ET"),
    );
    assert_eq!(texts(&l), vec!["A门"]);
}

#[test]
fn truetype_cmap_fallback_without_tounicode() {
    // The ruled corpus PDF's CID TrueType fonts carry a cmap: strip every ToUnicode and
    // the text must come out the same.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/hunan-rst-2024-render-ruled/source.pdf");
    let bytes = std::fs::read(path).expect("corpus pdf");
    let mut doc = Document::load_mem(&bytes).expect("load");
    let mut stripped = 0;
    for o in doc.objects.values_mut() {
        if let Ok(d) = o.as_dict_mut()
            && d.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Type0")
            && d.remove(b"ToUnicode").is_some()
        {
            stripped += 1;
        }
    }
    assert!(stripped > 0);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    let with = read(&bytes);
    let without = read(&out);
    assert_eq!(texts(&with), texts(&without));
    assert!(without.diagnostics.is_empty());
}

#[test]
fn undecodable_text_is_reported() {
    let mut p = Pdf::new();
    // Identity-H, no ToUnicode, no embedded font: nothing tells the text.
    p.type0("F1", "Identity-H".into(), cid_font(Dictionary::new()), None);
    let tu = format!("{TU_HEAD}1 beginbfchar <0001> <0041> endbfchar\n{TU_TAIL}");
    p.type0("F2", "Identity-H".into(), cid_font(Dictionary::new()), Some(&tu));
    let l = read(&p.finish("BT /F1 10 Tf 72 700 Td <12341235> Tj /F2 10 Tf <0001> Tj ET"));
    assert_eq!(texts(&l), vec!["A"]);
    let d = l.diagnostics.iter().find(|d| d.code == "undecodable_text").expect("diagnostic");
    assert_eq!(d.at.as_ref().and_then(|a| a.page), Some(1));
    assert_eq!(d.at.as_ref().and_then(|a| a.line), Some(l.lines[0].number));
    assert!(d.message.contains("2 glyph"), "{}", d.message);
}

#[test]
fn vertical_identity_v() {
    let mut p = Pdf::new();
    let tu = format!("{TU_HEAD}2 beginbfchar <0001> <7EDF> <0002> <8BA1> endbfchar\n{TU_TAIL}");
    p.type0("F1", "Identity-V".into(), cid_font(Dictionary::new()), Some(&tu));
    let l = read(&p.finish("BT /F1 10 Tf 100 700 Td <0001> Tj <0002> Tj ET"));
    // Each vertical glyph sits 10 pt lower: one line per character.
    assert_eq!(texts(&l), vec!["统", "计"]);
    let (y0, y1) = (l.lines[0].y.unwrap(), l.lines[1].y.unwrap());
    assert!((y0 - y1 - 10.0).abs() < 0.01, "{y0} {y1}");
}

#[test]
fn tokens_blocks_and_rules() {
    let mut p = Pdf::new();
    p.font("F1", dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
        "FirstChar" => 32, "Widths" => vec![500.into(); 95] });
    let content = "0 0 0 rg 50 600 200 0.5 re f 1 1 1 rg 50 500 200 0.5 re f \
        0 0 0 RG 100 550 m 100 650 l S 50 700 m 80 720 l S \
        BT /F1 10 Tf 60 610 Td (ab) Tj 12 0 Td (cd) Tj 50 0 Td (ef) Tj ET \
        BT /F1 10 Tf 200 640 Td (gh) Tj ET";
    let l = read(&p.finish(content));
    // "ab" and "cd" are 2 pt apart (< 0.25 em): one token; "ef" is far: a new token.
    assert_eq!(l.lines[0].tokens.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(), vec!["abcd", "ef"]);
    assert!(!l.lines[0].starts_block);
    // A jump up and to the right: new line, flagged as a block start.
    assert_eq!(l.lines[1].text(), "gh");
    assert!(l.lines[1].starts_block);
    // Black thin rect → horizontal rule; white one ignored; vertical stroke → rule; diagonal ignored.
    assert_eq!(l.rules.len(), 2, "{:?}", l.rules);
    assert!(l.rules.iter().any(|r| r.y0 == r.y1 && (r.y0 - 600.25).abs() < 0.01 && r.x0 == 50.0 && r.x1 == 250.0));
    assert!(l.rules.iter().any(|r| r.x0 == 100.0 && r.x1 == 100.0 && r.y0 == 550.0 && r.y1 == 650.0));
}

#[test]
fn garbage_never_panics() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/real/jiangsu-npc-office-2019-budget.pdf");
    let bytes = std::fs::read(path).expect("corpus pdf");
    assert!(pdf::read(b"").is_err());
    assert!(pdf::read(b"%PDF-1.4\n%%EOF").is_err() || pdf::read(b"%PDF-1.4\n%%EOF").is_ok());
    // Truncations and byte flips of a real file: Ok or Err, never a panic.
    let mut seed = 0x2545F4914F6CDD1Du64;
    for i in 0..24 {
        let mut b = bytes.clone();
        if i % 2 == 0 {
            b.truncate(bytes.len() * (i + 1) / 25);
        } else {
            for _ in 0..64 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let k = (seed as usize) % b.len();
                b[k] = (seed >> 32) as u8;
            }
        }
        let _ = pdf::read(&b);
    }
}

#[test]
fn hostile_content_is_bounded() {
    let mut p = Pdf::new();
    p.font("F1", dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let mut content = String::new();
    for _ in 0..10_000 {
        content.push_str("q ");
    }
    content.push_str("BT /F1 1e30 Tf 1e30 0 0 1e30 0 0 Tm (x) Tj /Nope 10 Tf (y) Tj ET Q Q Q EMC EMC /X Do 1 2 re f");
    let l = read(&p.finish(&content));
    assert!(l.lines.len() <= 2);
}

#[test]
fn rotated_page_reads_as_displayed() {
    let mut p = Pdf::new();
    p.font("F1", dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
        "FirstChar" => 32, "Widths" => vec![500.into(); 95] });
    // /Rotate 90: text drawn upwards (rotated 90° counter-clockwise) reads left to right.
    let content = "BT /F1 10 Tf 0 1 -1 0 100 50 Tm (abc) Tj 0 1 -1 0 80 50 Tm (def) Tj ET";
    let l = read(&p.finish_with(content, dictionary! { "Rotate" => 90 }));
    assert_eq!(texts(&l), vec!["abc", "def"]);
    let t = &l.lines[0].tokens[0];
    // Displayed x = user y; displayed y = 595 - user x.
    assert!((t.x0 - 50.0).abs() < 0.01 && (t.x1 - 65.0).abs() < 0.01, "{t:?}");
    assert_eq!(l.lines[0].y, Some(495.0));
    assert_eq!(l.lines[1].y, Some(515.0));
}

#[test]
fn blank_lines_where_the_dumps_have_them() {
    let mut p = Pdf::new();
    p.font("F1", dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
        "FirstChar" => 32, "Widths" => vec![500.into(); 95] });
    // 12 pt down and back left: a plain line break. 40 pt down and back left: a blank line
    // between. 40 pt down but to the right: a line break only.
    let content = "BT /F1 10 Tf 100 700 Td (a) Tj 0 -12 Td (b) Tj 0 -40 Td (c) Tj 200 -40 Td (d) Tj ET";
    let l = pdf::read(&p.finish(content)).expect("read");
    let shape: Vec<String> = l.lines.iter().map(|l| l.text()).collect();
    assert_eq!(shape, vec!["", "", "a", "b", "", "c", "d"]);
    assert_eq!(l.lines.iter().map(|l| l.number).collect::<Vec<_>>(), (1..=7).collect::<Vec<_>>());
    assert!(l.lines[6].starts_block);
}

#[test]
fn text_off_the_page_is_reported_not_placed() {
    let mut p = Pdf::new();
    p.font("F1", dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" });
    let l = read(&p.finish("BT /F1 10 Tf 72 700 Td (seen) Tj 700 0 Td (hidden) Tj ET"));
    assert_eq!(texts(&l), vec!["seen"]);
    let d = l.diagnostics.iter().find(|d| d.code == "unplaced_text").expect("diagnostic");
    assert!(d.message.contains("hidden"), "{}", d.message);
}

#[test]
fn type1_builtin_encoding() {
    let mut p = Pdf::new();
    // Clear-text part of an embedded Type 1 program with its own encoding (as TeX's math
    // fonts have: period at 0x3A, bullet at 0x0F); the encrypted part is never needed.
    let program = b"%!PS-AdobeFont-1.0: CMSY10\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n\
dup 15 /bullet put\ndup 58 /period put\ndup 65 /uni4E2D put\nreadonly def\ncurrentdict end\ncurrentfile eexec\n\x00\x01";
    let ff = p.stream(dictionary! { "Length1" => program.len() as i64 - 2, "Length2" => 2, "Length3" => 0 }, program);
    let fd = p.obj(dictionary! { "Type" => "FontDescriptor", "FontName" => "CMSY10", "Flags" => 4, "FontFile" => ff });
    p.font(
        "F1",
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "CMSY10", "FontDescriptor" => fd,
        "FirstChar" => 0, "Widths" => vec![500.into(); 256] },
    );
    let l = read(&p.finish("BT /F1 10 Tf 72 700 Td (\\017:A) Tj ET"));
    assert_eq!(texts(&l), vec!["•.中"]);
}

#[test]
fn undecodable_diagnostics_are_capped() {
    // A real PDF whose subset fonts carry no cmap: without ToUnicode nothing decodes.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/real/jiangsu-npc-office-2019-budget.pdf");
    let mut doc = Document::load_mem(&std::fs::read(path).expect("corpus pdf")).expect("load");
    for o in doc.objects.values_mut() {
        if let Ok(d) = o.as_dict_mut() {
            d.remove(b"ToUnicode");
        }
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    let l = read(&out);
    assert!(l.lines.is_empty());
    let und: Vec<_> = l.diagnostics.iter().filter(|d| d.code == "undecodable_text").collect();
    assert_eq!(und.len(), 101);
    assert!(und[100].message.contains("more lines"), "{}", und[100].message);
}

#[test]
fn broken_content_keeps_what_parses() {
    let mut p = Pdf::new();
    p.font("F1", dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" });
    let content = "BT /F1 10 Tf 72 700 Td (one) Tj ET\nBT /F1 10 Tf 72 680 Td (two) Tj ) ] >> <zz ET\nBT /F1 10 Tf 72 660 Td (three) Tj ET";
    let l = read(&p.finish(content));
    let t = texts(&l);
    assert!(t.contains(&"one".to_string()) && t.contains(&"three".to_string()), "{t:?}");
}

#[test]
fn missing_font_reported_once_per_page() {
    let p = Pdf::new();
    let content = "BT /Nope 10 Tf 72 700 Td (a) Tj /Nope 10 Tf (b) Tj /Nope 10 Tf (c) Tj ET";
    let l = read(&p.finish(content));
    assert!(l.lines.is_empty());
    let n = l.diagnostics.iter().filter(|d| d.message.contains("/Nope")).count();
    assert_eq!(n, 1, "{:?}", l.diagnostics);
}

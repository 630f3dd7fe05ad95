//! Formats by content: every bundled format is read as what it is (`source.format`), and
//! every other file is refused at once, with a sentence saying what it looks like.

use annex2json::Error;
use std::io::Write;
use std::time::{Duration, Instant};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

fn refused(bytes: &[u8], what: &str) {
    let t = Instant::now();
    let r = annex2json::extract_bytes(bytes, "x.bin");
    let took = t.elapsed();
    match r {
        Err(Error::Unsupported { cause, .. }) => assert!(cause.contains(what), "{what}: {cause}"),
        other => panic!("{what}: not refused: {other:?}"),
    }
    assert!(took < Duration::from_millis(100), "{what}: {took:?}");
}

#[test]
fn other_files_are_refused_fast_with_what_they_are() {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(std::iter::repeat_n(0u8, 200_000));
    refused(&png, "PNG");
    // A real ZIP archive holding a text file, no office parts.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("notes.txt", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all("附件1 不是表格".as_bytes()).unwrap();
    refused(&zip.finish().unwrap().into_inner(), "ZIP");
    // A Word 97–2003 document: OLE2 header and a WordDocument stream name.
    let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    doc.extend(std::iter::repeat_n(0u8, 512));
    doc.extend("WordDocument".encode_utf16().flat_map(|u| u.to_le_bytes()));
    refused(&doc, ".doc");
    // A megabyte of noise.
    let noise: Vec<u8> = (0..1_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    refused(&noise, "binary");
}

#[test]
fn a_pdf_cut_before_its_header_is_never_read_as_text() {
    let pdf = std::fs::read(format!("{MANIFEST_DIR}/corpus/forms/suixi-2019/source.pdf")).unwrap();
    for cut in [9, 200, 2000] {
        match annex2json::extract_bytes(&pdf[cut..], "cut.pdf") {
            Ok(d) => assert_eq!(d.source.format, "pdf", "cut {cut}"),
            Err(e) => assert!(matches!(e, Error::Pdf { .. } | Error::Unsupported { .. }), "cut {cut}: {e}"),
        }
    }
}

#[test]
fn every_bundled_format_is_read_as_what_it_is() {
    let f = |p: &str| format!("{MANIFEST_DIR}/corpus/{p}");
    for (path, format) in [
        ("forms/suixi-2019/source.pdf", "pdf"),
        ("forms/suixi-2019/source.xlsx", "xlsx"),
        ("forms/suixi-2019/source.xls", "xls"),
        ("forms/yongde-2022/source.docx", "docx"),
        ("forms/suixi-2019/source.web.html", "html"),
        ("forms/suixi-2019/source.txt", "text"),
        ("hunan-rst-2024/source.txt", "text"),
    ] {
        let d = annex2json::extract(f(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(d.source.format, format, "{path}");
        assert!(!d.annexes.is_empty(), "{path}");
    }
    // The xls copy's hidden sheet is skipped and said to be.
    let d = annex2json::extract(f("forms/suixi-2019/source.xls")).unwrap();
    assert!(d.diagnostics.iter().any(|x| x.code == "sheet_skipped" && x.message.contains("hidden")));
}

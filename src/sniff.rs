//! What an input is, by its content (never its name): PDF, xlsx, xls, docx, HTML or text;
//! anything else is refused at once with a sentence saying what it looks like.

/// An input format the crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Xlsx,
    Xls,
    Docx,
    Html,
    Text,
}

impl Format {
    /// The name written as `source.format`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Docx => "docx",
            Format::Html => "html",
            Format::Text => "text",
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

/// Decide the format of `bytes`; `Err` says what the bytes look like when no reader takes
/// them. Looks at most at the first and last 64 KiB, so it answers in microseconds.
pub fn sniff(bytes: &[u8]) -> Result<Format, String> {
    let head = &bytes[..bytes.len().min(65_536)];
    if head[..head.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return Ok(Format::Pdf);
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        let tail = &bytes[bytes.len().saturating_sub(65_536)..];
        let has = |n: &[u8]| contains(head, n) || contains(tail, n);
        return if has(b"xl/workbook") || has(b"xl/worksheets") {
            Ok(Format::Xlsx)
        } else if has(b"word/document") {
            Ok(Format::Docx)
        } else {
            Err("a ZIP archive without workbook or Word parts".into())
        };
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return if contains(head, &utf16le("Workbook")) || contains(head, &utf16le("Book")) {
            Ok(Format::Xls)
        } else if contains(head, &utf16le("WordDocument")) {
            Err("a Word 97–2003 document (.doc): save it as .docx or PDF".into())
        } else {
            Err("an OLE2 compound file that holds no workbook".into())
        };
    }
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"II*\x00", "a TIFF image"),
        (b"MM\x00*", "a TIFF image"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xBC\xAF", "a 7-Zip archive"),
        (b"\x7FELF", "an executable"),
        (b"MZ", "a Windows executable"),
        (b"{\\rtf", "an RTF document"),
    ];
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| head.starts_with(sig)) {
        return Err((*what).to_string());
    }
    // A PDF whose first bytes are cut off still has its objects: read it as a PDF (the PDF
    // reader then says what is wrong), never as text.
    if contains(head, b" obj") && contains(head, b"endobj") {
        return Ok(Format::Pdf);
    }
    if is_html(head) {
        return Ok(Format::Html);
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Ok(Format::Text);
    }
    let control = head.iter().filter(|&&b| b < 0x09 || (0x0E..0x20).contains(&b) && b != 0x1B).count();
    if control * 100 > head.len().max(1) {
        return Err(format!("binary data ({control} control bytes in the first {} bytes), not a PDF, workbook, HTML page or text", head.len()));
    }
    Ok(Format::Text)
}

/// `<!doctype html`, `<html`, `<table` … after an optional BOM and white space.
fn is_html(head: &[u8]) -> bool {
    let s = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = s.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(s.len());
    let s = &s[start..s.len().min(start + 64)];
    let lower: Vec<u8> = s.iter().map(u8::to_ascii_lowercase).collect();
    ["<!doctype html", "<html", "<table", "<head", "<body", "<meta", "<?xml version=\"1.0\"?><html"]
        .iter()
        .any(|p| lower.starts_with(p.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Ok(Format::Pdf));
        assert_eq!(sniff("\u{feff}  <!DOCTYPE html><html>".as_bytes()), Ok(Format::Html));
        assert_eq!(sniff("<table><tr><td>1</td></tr></table>".as_bytes()), Ok(Format::Html));
        assert_eq!(sniff("附件1\n2024年度项目支出绩效自评表".as_bytes()), Ok(Format::Text));
        assert_eq!(sniff(b"1 0 obj << >> endobj trailer"), Ok(Format::Pdf));
    }

    #[test]
    fn other_files_are_refused_with_what_they_look_like() {
        assert!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0").unwrap_err().contains("PNG"));
        assert!(sniff(b"PK\x03\x04\x14\0\0\0hello.txt").unwrap_err().contains("ZIP"));
        let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        doc.extend(utf16le("WordDocument"));
        assert!(sniff(&doc).unwrap_err().contains(".doc"));
        let noise: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        assert!(sniff(&noise).unwrap_err().contains("binary"));
    }
}

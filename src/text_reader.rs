//! The text-dump reader: bytes of a text dump → [`Layout`].
//!
//! A text dump (such as `corpus/hunan-rst-2024/source.txt`) holds one text line per
//! baseline in content-stream order. Each line becomes a [`Line`]; runs of spaces split it
//! into [`Token`]s whose x-extent is measured in display columns (a CJK character counts
//! two, measured per grapheme with `unicode-segmentation` and `unicode-width` in its CJK
//! context, where ambiguous-width punctuation such as “ ” is wide). A form feed
//! starts a new page. A line that begins with a single space marks a position jump in the
//! source PDF (the dump writer's convention) and gets [`Line::starts_block`].
//!
//! Decoding: UTF-8 (a BOM is skipped), UTF-16 with a BOM, UTF-8 with a few invalid bytes
//! (replaced), else GB18030 when the bytes are not UTF-8 (detected by trying UTF-8 first).
//! Undecodable bytes are reported, not dropped silently. The decoded text is cut at
//! [`crate::Limits::max_text_bytes`].

use crate::model::{Diagnostic, Position};
use crate::radicals;
use crate::token::{Layout, Line, Token, XUnit};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Decode a text dump's bytes to a string, with a diagnostic when the encoding was guessed
/// or bytes had to be replaced.
pub fn decode(bytes: &[u8]) -> (String, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (String::from_utf8_lossy(rest).into_owned(), diags);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let enc = if bytes[0] == 0xFF { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
        let (s, _, bad) = enc.decode(bytes);
        if bad {
            diags.push(Diagnostic::warning(
                "undecodable_text",
                "UTF-16 input holds invalid code units; they were replaced by U+FFFD",
                None,
            ));
        }
        return (s.into_owned(), diags);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), diags),
        // UTF-8 with a few bad bytes (a damaged or concatenated file) stays UTF-8: decoding
        // it all as GB18030 would garble every character to save a few.
        Err(_) if mostly_utf8(bytes) => {
            diags.push(Diagnostic::warning(
                "undecodable_text",
                "input is UTF-8 with some invalid bytes; they were replaced by U+FFFD",
                None,
            ));
            (String::from_utf8_lossy(bytes).into_owned(), diags)
        }
        Err(_) => {
            let (s, _, bad) = encoding_rs::GB18030.decode(bytes);
            diags.push(Diagnostic::info(
                "encoding_detected",
                "input is not UTF-8; decoded as GB18030",
                None,
            ));
            if bad {
                diags.push(Diagnostic::warning(
                    "undecodable_text",
                    "input is neither UTF-8 nor valid GB18030; invalid bytes were replaced by U+FFFD",
                    None,
                ));
            }
            (s.into_owned(), diags)
        }
    }
}

/// True when the invalid UTF-8 in `bytes` is rare: at most 3 bad sequences, or at most
/// one per 100 bytes of valid multi-byte UTF-8. GBK/GB18030 text has a bad sequence at
/// nearly every Chinese character.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut bad, mut good_multi) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good_multi += chunk.valid().bytes().filter(|b| *b >= 0x80).count();
        if !chunk.invalid().is_empty() {
            bad += 1;
        }
    }
    bad <= 3 || bad * 100 <= good_multi
}

/// Display width of a string in columns (CJK = 2).
pub fn width(s: &str) -> f32 {
    s.graphemes(true).map(|g| UnicodeWidthStr::width_cjk(g).max(1) as f32).sum()
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\u{3000}' || c == '\u{a0}'
}

/// Split one dump line into tokens at runs of spaces, measuring display columns.
pub fn tokenize(line: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut x = 0.0f32;
    let mut cur = String::new();
    let mut cur_x0 = 0.0f32;
    for g in line.graphemes(true) {
        let w = UnicodeWidthStr::width_cjk(g).max(1) as f32;
        if g.chars().all(is_space) {
            if !cur.is_empty() {
                tokens.push(Token { text: radicals::fold(&cur), x0: cur_x0, x1: x, y: None });
                cur.clear();
            }
        } else {
            if cur.is_empty() {
                cur_x0 = x;
            }
            cur.push_str(g);
        }
        x += w;
    }
    if !cur.is_empty() {
        tokens.push(Token { text: radicals::fold(&cur), x0: cur_x0, x1: x, y: None });
    }
    tokens
}

/// Read a text dump into a [`Layout`].
pub fn read(bytes: &[u8]) -> Layout {
    let (mut text, mut diagnostics) = decode(bytes);
    let max = crate::limits::current().max_text_bytes;
    if text.len() > max {
        let mut cut = max;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let what = format!("the text was cut after {cut} of {} bytes", text.len());
        text.truncate(cut);
        diagnostics.push(crate::limits::reached("max_text_bytes", what, None));
    }
    let mut lines = Vec::new();
    let mut page = 1u32;
    let mut saw_ff = false;
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        // Form feeds separate pages: the text after one starts the next page, on a Line of
        // its own that keeps the source line number.
        for (k, part) in raw.split('\u{c}').enumerate() {
            if k > 0 {
                saw_ff = true;
                page += 1;
                if part.is_empty() {
                    continue;
                }
            }
            if part.contains('\u{fffd}') {
                diagnostics.push(Diagnostic::warning(
                    "undecodable_text",
                    format!("line {} holds U+FFFD replacement characters", i + 1),
                    Some(Position { page: None, line: Some(i + 1) }),
                ));
            }
            let starts_block = part.starts_with(' ') && !part.starts_with("  ");
            lines.push(Line {
                number: i + 1,
                page: Some(page),
                y: None,
                size: None,
                starts_block,
                tokens: tokenize(part),
            });
        }
    }
    if !saw_ff {
        for l in &mut lines {
            l.page = None;
        }
    }
    Layout { unit: XUnit::Columns, pages: None, lines, rules: Vec::new(), glyphs: Vec::new(), diagnostics }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_on_space_runs_and_measure_cjk_as_two() {
        let t = tokenize("三公经费 159.32      229.50");
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].text, "三公经费");
        assert_eq!((t[0].x0, t[0].x1), (0.0, 8.0));
        assert_eq!((t[1].x0, t[1].x1), (9.0, 15.0));
        assert_eq!(t[2].x0, 21.0);
    }

    #[test]
    fn ideographic_space_splits_and_is_trimmed() {
        let t = tokenize("年度资金总额　 4,876.30");
        assert_eq!(t[0].text, "年度资金总额");
        assert_eq!(t[1].text, "4,876.30");
    }

    #[test]
    fn single_leading_space_marks_a_block_start() {
        let l = read(" 按照“简材\n料、减环\n  缩进".as_bytes());
        assert!(l.lines[0].starts_block);
        assert!(!l.lines[1].starts_block);
        assert!(!l.lines[2].starts_block);
    }

    #[test]
    fn crlf_form_feed_and_gb18030() {
        let l = read("a\r\nb\u{c}c\n".as_bytes());
        assert_eq!(l.lines[0].tokens[0].text, "a");
        assert_eq!(l.lines[1].text(), "b");
        assert_eq!(l.lines[1].page, Some(1));
        assert_eq!(l.lines[2].text(), "c");
        assert_eq!(l.lines[2].page, Some(2));
        let (gbk, _, _) = encoding_rs::GB18030.encode("附件1 单位：万元");
        let l = read(&gbk);
        assert_eq!(l.lines[0].text(), "附件1 单位：万元");
        assert!(l.diagnostics.iter().any(|d| d.code == "encoding_detected"));
    }

    #[test]
    fn utf16_with_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "附件2".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(read(&b).lines[0].text(), "附件2");
    }

    #[test]
    fn kangxi_radicals_fold_in_tokens() {
        // Depends on the generated radical table.
        let t = tokenize("部⻔整体⽀出");
        assert_eq!(t[0].text, radicals::fold("部⻔整体⽀出"));
    }
}

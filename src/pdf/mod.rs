//! The PDF reader: content streams → positioned glyphs → [`Layout`].
//!
//! * [`interpreter`] runs each page's content stream (and its Form XObjects) and yields
//!   glyphs with position, advance, size and rotation, plus ruling lines;
//! * [`font`] decodes shown strings: Type0 (Identity and predefined Chinese CMaps),
//!   simple and Type3 fonts, ToUnicode, embedded TrueType `cmap` fallback;
//! * [`cmap`] is our CMap parser, [`predefined`] the compiled Adobe-GB1 CMaps;
//! * [`layout`] cuts glyphs into lines and tokens the way the text dumps do;
//! * [`rules`] merges ruling-line pieces into whole lines.
//!
//! lopdf does the file parsing, decompression and content tokenizing.

pub mod cmap;
pub mod font;
pub mod interpreter;
pub mod layout;
pub mod predefined;
pub mod rules;

use crate::limits::Limits;
use crate::token::{Layout, PlacedGlyph, XUnit};

/// The cause [`read`] returns for an encrypted PDF that the empty password does not open
/// ([`crate::extract_with`] turns it into [`crate::Error::Encrypted`]). lopdf tries the
/// empty password itself; a PDF that opens with it is read like any other.
pub const ENCRYPTED: &str = "the PDF is encrypted and the empty password does not open it";

/// Read a PDF's text layer into a [`Layout`], under the [`Limits`] in force on this thread
/// ([`crate::limits::current`]). Errors are returned as a plain cause string;
/// [`crate::extract`] wraps it with the file name.
pub fn read(bytes: &[u8]) -> Result<Layout, String> {
    read_with(bytes, &crate::limits::current())
}

/// [`read`] under explicit [`Limits`].
pub fn read_with(bytes: &[u8], limits: &Limits) -> Result<Layout, String> {
    // Our code does not panic on input data; this guards against a panic inside a
    // dependency on a malformed file, turning it into an error.
    let run = || crate::limits::scoped(limits, || read_inner(bytes, limits));
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(r) => r,
        Err(_) => Err("the PDF reader failed on malformed data".to_string()),
    }
}

fn read_inner(bytes: &[u8], limits: &Limits) -> Result<Layout, String> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(format!("{} bytes, over the limit max_file_bytes = {}", bytes.len(), limits.max_file_bytes));
    }
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(limits.max_decompressed_stream_bytes),
        ..lopdf::LoadOptions::default()
    };
    let doc = lopdf::Document::load_mem_with_options(bytes, options).map_err(|e| format!("not a readable PDF: {e}"))?;
    if doc.is_encrypted() {
        return Err(ENCRYPTED.to_string());
    }
    let out = interpreter::run_with(&doc, limits);
    let mut diagnostics = out.diagnostics;
    if out.glyphs.is_empty() {
        // Never an empty result without a word: a damaged file (no page tree found, pages
        // unreadable) or one without a text layer (scanned).
        let msg = format!("no text was read from the PDF ({} page(s) found): damaged, or scanned without a text layer", out.pages);
        diagnostics.push(crate::model::Diagnostic::warning("no_text", msg, None));
    }
    let glyphs = out
        .glyphs
        .iter()
        .map(|g| PlacedGlyph {
            page: g.page,
            x: g.x,
            y: g.y,
            adv: g.adv,
            size: g.size,
            text: g.text.as_deref().map(fold_inline).unwrap_or_default(),
        })
        .collect();
    let lines = layout::lines(out.glyphs, &mut diagnostics);
    Ok(Layout { unit: XUnit::Points, pages: Some(out.pages), lines, rules: rules::merge(out.rules), glyphs, diagnostics })
}

/// A glyph's text with Kangxi radicals folded, without allocating for short texts.
fn fold_inline(t: &str) -> smol_str::SmolStr {
    let mut c = t.chars();
    match (c.next(), c.next()) {
        (Some(ch), None) => {
            let mut buf = [0u8; 4];
            smol_str::SmolStr::new_inline(crate::radicals::fold_char(ch).encode_utf8(&mut buf))
        }
        _ => smol_str::SmolStr::new(crate::radicals::fold(t)),
    }
}

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

use crate::token::{Layout, XUnit};

/// Read a PDF's text layer into a [`Layout`]. Errors are returned as a plain cause string;
/// [`crate::extract`] wraps it with the file name.
pub fn read(bytes: &[u8]) -> Result<Layout, String> {
    // Our code does not panic on input data; this guards against a panic inside a
    // dependency on a malformed file, turning it into an error.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_inner(bytes))) {
        Ok(r) => r,
        Err(_) => Err("the PDF reader failed on malformed data".to_string()),
    }
}

fn read_inner(bytes: &[u8]) -> Result<Layout, String> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| format!("not a readable PDF: {e}"))?;
    if doc.is_encrypted() {
        return Err("the PDF is encrypted".to_string());
    }
    let out = interpreter::run(&doc);
    let mut diagnostics = out.diagnostics;
    let lines = layout::lines(out.glyphs, &mut diagnostics);
    Ok(Layout { unit: XUnit::Points, pages: Some(out.pages), lines, rules: rules::merge(out.rules), diagnostics })
}

//! The PDF reader: content streams → positioned glyphs → [`Layout`].
//!
//! (Being built; see issue 4.)

use crate::token::Layout;

/// Read a PDF's text layer into a [`Layout`]. Errors are returned as a plain cause string;
/// [`crate::extract`] wraps it with the file name.
pub fn read(_bytes: &[u8]) -> Result<Layout, String> {
    Err("the PDF reader is not built yet".to_string())
}

//! Resource limits for hostile or broken input.
//!
//! Every input is untrusted: a 1 KB PDF can hold a Flate stream that inflates to gigabytes,
//! a content stream can draw a Form XObject a million times, a text dump can be 100 MB.
//! [`Limits`] bounds the work and memory one extraction may use. A limit that is reached
//! never panics and never fails silently: either the whole input is refused with an error
//! ([`Limits::max_file_bytes`]), or extraction goes on with what was read so far and the
//! document carries a `limit_reached` warning naming the limit.
//!
//! The defaults keep each case of the broken-PDF corpus in `tests/broken_pdfs.rs` under
//! 2 s (debug build) and 256 MB allocated, and are far above what real budget
//! disclosures need (the corpus PDFs: 12–43 pages, at most 92 000 units of content work).
//!
//! ```no_run
//! let limits = annex2json::Limits { max_pages: 50, ..annex2json::Limits::default() };
//! let doc = annex2json::extract_with("big.pdf", &limits)?;
//! # Ok::<(), annex2json::Error>(())
//! ```

use std::cell::Cell;

/// Bounds on the work one extraction may do. See the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted at all, in bytes (default 256 MiB). Larger inputs are
    /// refused with [`crate::Error::Unsupported`] before they are read into memory.
    pub max_file_bytes: u64,
    /// Pages of a PDF that are read (default 5 000); later pages are skipped with a
    /// `limit_reached` warning.
    pub max_pages: usize,
    /// Largest size one PDF stream may decompress to, in bytes (default 32 MiB): object
    /// streams while the file is loaded, each page's content (all its streams together),
    /// each Form XObject, font program and CMap. A stream over it is a decompression bomb:
    /// loading fails if it is an object stream, otherwise that stream is skipped with a
    /// warning.
    pub max_decompressed_stream_bytes: usize,
    /// Work units of content-stream interpretation in one PDF (default 2 000 000): one per
    /// operation, one per byte of a shown string, and and 100 plus one per byte of a
    /// Form XObject's content each time the form is drawn (so a form drawing a form ten times, ten levels
    /// deep, stops early). The corpus PDFs need 700–4 000 per page.
    pub max_content_ops: usize,
    /// Nesting depth of Form XObjects inside each other (default 32). lopdf bounds the
    /// nesting of arrays and dictionaries itself when it parses the file, and the
    /// interpreter the graphics-state stack (`q`, 4096).
    pub max_nesting: usize,
    /// Text kept from one input, in bytes of UTF-8 (default 256 MiB): the decoded text
    /// of a text dump is cut there, and a PDF stops collecting glyphs once their text
    /// reaches it.
    pub max_text_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 256 << 20,
            max_pages: 5_000,
            max_decompressed_stream_bytes: 32 << 20,
            max_content_ops: 2_000_000,
            max_nesting: 32,
            max_text_bytes: 256 << 20,
        }
    }
}

impl Limits {
    /// No practical limit (for trusted input only).
    pub fn unlimited() -> Self {
        Limits {
            max_file_bytes: u64::MAX,
            max_pages: usize::MAX,
            max_decompressed_stream_bytes: usize::MAX,
            max_content_ops: usize::MAX,
            max_nesting: 4096,
            max_text_bytes: usize::MAX,
        }
    }
}

thread_local! {
    static CURRENT: Cell<Option<Limits>> = const { Cell::new(None) };
}

/// The limits in force on this thread: those of the innermost [`scoped`] call, else the
/// defaults. Lets code deep in the readers (font loading) see the caller's limits without
/// threading them through every signature.
pub fn current() -> Limits {
    CURRENT.with(|c| c.get()).unwrap_or_default()
}

/// Run `f` with `limits` in force on this thread (restored afterwards, also on panic).
pub fn scoped<R>(limits: &Limits, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Limits>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(CURRENT.with(|c| c.replace(Some(*limits))));
    f()
}

/// The `limit_reached` warning for limit `name`.
pub fn reached(name: &str, what: impl std::fmt::Display, page: Option<u32>) -> crate::model::Diagnostic {
    crate::model::Diagnostic::warning(
        "limit_reached",
        format!("{what} (limit {name}; see annex2json::Limits)"),
        page.map(|p| crate::model::Position { page: Some(p), line: None }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoped_limits_nest_and_restore() {
        assert_eq!(current(), Limits::default());
        let small = Limits { max_pages: 3, ..Limits::default() };
        scoped(&small, || {
            assert_eq!(current().max_pages, 3);
            let inner = Limits { max_pages: 1, ..small };
            scoped(&inner, || assert_eq!(current().max_pages, 1));
            assert_eq!(current().max_pages, 3);
        });
        assert_eq!(current(), Limits::default());
        let r = std::panic::catch_unwind(|| scoped(&small, || panic!("x")));
        assert!(r.is_err());
        assert_eq!(current(), Limits::default());
    }
}

//! Errors as data: every failure names the file and the cause.

use std::path::PathBuf;

/// Why an input could not be extracted at all. Problems inside a readable input are
/// [`crate::model::Diagnostic`]s instead, and extraction goes on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read from disk.
    #[error("{path}: cannot read: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// The file is a PDF that could not be parsed.
    #[error("{path}: not a readable PDF: {cause}")]
    Pdf { path: PathBuf, cause: String },
    /// The PDF is encrypted and the empty password does not open it.
    #[error("{path}: encrypted PDF; cannot decrypt with the empty password")]
    Encrypted { path: PathBuf },
    /// The input is neither a PDF nor text.
    #[error("{path}: unsupported input: {cause}")]
    Unsupported { path: PathBuf, cause: String },
    /// A panic inside a dependency, caught at the API boundary.
    #[error("{path}: internal error while extracting: {cause}")]
    Internal { path: PathBuf, cause: String },
}

impl Error {
    /// The same error, naming `path` as the file.
    pub fn with_path(self, path: &std::path::Path) -> Error {
        let p = path.to_path_buf();
        match self {
            Error::Io { source, .. } => Error::Io { path: p, source },
            Error::Pdf { cause, .. } => Error::Pdf { path: p, cause },
            Error::Encrypted { .. } => Error::Encrypted { path: p },
            Error::Unsupported { cause, .. } => Error::Unsupported { path: p, cause },
            Error::Internal { cause, .. } => Error::Internal { path: p, cause },
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, Error>;

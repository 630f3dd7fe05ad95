//! The positioned-token representation that both readers produce.
//!
//! The text-dump reader ([`crate::text_reader`]) and the PDF reader ([`crate::pdf`]) both
//! turn their input into a [`Layout`]: lines in reading (content-stream) order, each a
//! sequence of [`Token`]s with a horizontal extent. Everything downstream — annex
//! segmentation, table reconstruction, the per-kind grammars — works on a `Layout` only,
//! so both inputs go through the same code.
//!
//! Horizontal positions are in [`XUnit`]s: display columns for a text dump (a CJK
//! character counts two), PDF points for a PDF. Code that compares positions must only
//! compare positions within one layout.

/// The unit of [`Token::x0`] / [`Token::x1`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XUnit {
    /// Display columns of a monospaced rendering of the text dump (CJK = 2 columns).
    Columns,
    /// PDF user-space points.
    Points,
}

/// A run of text with no internal gap wider than a word space.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The text, Kangxi radicals already folded (see [`crate::radicals`]).
    pub text: String,
    /// Left edge.
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// The token's own baseline y (PDF points), when the reader knows it: a PDF line may
    /// hold tokens on slightly different baselines (stacked header words drawn left to
    /// right). `None` for a text dump.
    pub y: Option<f32>,
}

/// One baseline of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based line number in the text dump, or the running line index for a PDF.
    pub number: usize,
    /// 1-based page number (PDF, or a text dump with form feeds).
    pub page: Option<u32>,
    /// Baseline y (PDF points, top of page = larger y), `None` for a text dump.
    pub y: Option<f32>,
    /// Font size in points (PDF only).
    pub size: Option<f32>,
    /// True when the line starts at a new position jump rather than continuing the
    /// previous text flow (a text dump marks this with a leading space).
    pub starts_block: bool,
    pub tokens: Vec<Token>,
}

impl Line {
    /// The line's text with single spaces between tokens.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for (i, t) in self.tokens.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(&t.text);
        }
        s
    }

    /// The line's text with no separator between tokens.
    pub fn compact(&self) -> String {
        self.tokens.iter().map(|t| t.text.as_str()).collect()
    }

    /// True when the line holds no token.
    pub fn is_blank(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Right edge of the last token.
    pub fn x1(&self) -> f32 {
        self.tokens.last().map(|t| t.x1).unwrap_or(0.0)
    }

    /// Left edge of the first token.
    pub fn x0(&self) -> f32 {
        self.tokens.first().map(|t| t.x0).unwrap_or(0.0)
    }
}

/// A horizontal or vertical ruling line (PDF only), in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub page: u32,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// One glyph placed on its page (PDF only): what the geometry steps ([`crate::grid`]) read.
/// Its place in the content stream is not kept: nothing downstream may depend on it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    pub page: u32,
    /// Left end of the baseline (points).
    pub x: f32,
    /// Baseline y (points, up).
    pub y: f32,
    /// Advance width (points).
    pub adv: f32,
    /// Font size (points).
    pub size: f32,
    /// The glyph's text (Kangxi radicals folded); empty when the font does not give it.
    /// Inline (no allocation) for the usual one or few characters.
    pub text: smol_str::SmolStr,
}

/// A whole input as positioned lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub unit: XUnit,
    /// Page count (PDF), `None` for a text dump.
    pub pages: Option<u32>,
    pub lines: Vec<Line>,
    /// Ruling lines found on the pages (empty for a text dump).
    pub rules: Vec<Rule>,
    /// Every glyph with its position (PDF; empty for a text dump).
    pub glyphs: Vec<PlacedGlyph>,
    /// Diagnostics raised while reading (undecodable text, broken fonts…).
    pub diagnostics: Vec<crate::model::Diagnostic>,
}

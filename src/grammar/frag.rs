//! Fragments: the tokens of a span of lines, with what the grammars need to know about
//! where each one sits (first or last on its line, after a blank line, block start).

use crate::token::{Line, XUnit};

/// One token of the input, or several joined into one cell by
/// [`crate::heuristics::wrapped_join`].
#[derive(Debug, Clone, PartialEq)]
pub struct Frag {
    pub text: String,
    /// Index (into the annex's line slice) of the first and last line it spans.
    pub line: usize,
    pub last_line: usize,
    /// 1-based source line number of its first line.
    pub number: usize,
    pub page: Option<u32>,
    pub x0: f32,
    pub x1: f32,
    /// Width of the widest line it spans (for fullness judgements).
    pub width: f32,
    /// Width of its last line's piece (a wrapped cell is "full" when this fills the column).
    pub tail_width: f32,
    /// First token on its line.
    pub line_start: bool,
    /// Last token on its line.
    pub line_end: bool,
    /// Its line begins with a position jump (text-dump leading space, or PDF block start).
    pub block_start: bool,
    /// A blank line stands between it and the previous token.
    pub blank_before: bool,
    /// How many source lines were joined into it.
    pub lines_joined: usize,
}

impl Frag {
    pub fn position(&self) -> crate::model::Position {
        crate::model::Position { page: self.page, line: Some(self.number) }
    }
}

/// The fragments of `lines`, in order, one per token.
pub fn fragments(lines: &[Line]) -> Vec<Frag> {
    let mut out = Vec::new();
    let mut blank = false;
    let mut prev: Option<&Line> = None;
    for (i, l) in lines.iter().enumerate() {
        if l.is_blank() {
            blank = true;
            continue;
        }
        if let Some(p) = prev {
            blank |= paragraph_gap(p, l);
        }
        prev = Some(l);
        let n = l.tokens.len();
        for (k, t) in l.tokens.iter().enumerate() {
            let w = t.x1 - t.x0;
            out.push(Frag {
                text: t.text.clone(),
                line: i,
                last_line: i,
                number: l.number,
                page: l.page,
                x0: t.x0,
                x1: t.x1,
                width: w,
                tail_width: w,
                line_start: k == 0,
                line_end: k + 1 == n,
                block_start: k == 0 && l.starts_block,
                blank_before: k == 0 && blank,
                lines_joined: 1,
            });
        }
        blank = false;
    }
    out
}

/// One CJK character's width in the layout's unit: the tolerance for "fills the column".
pub fn em(unit: XUnit) -> f32 {
    match unit {
        XUnit::Columns => 2.0,
        XUnit::Points => 10.0,
    }
}

/// For positioned lines (PDF): does a paragraph break stand between `prev` and `line`?
/// The same rule the text dumps were written with: the baseline moves by more than one
/// and a half font sizes and the text goes back to the left of where `prev` ended.
pub fn paragraph_gap(prev: &Line, line: &Line) -> bool {
    match (prev.y, line.y, line.size.or(prev.size)) {
        (Some(py), Some(y), Some(size)) if size > 0.0 => {
            (y - py).abs() > 1.5 * size && line.x0() < prev.x1() || prev.page != line.page
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::Token;

    fn line(y: f32, x0: f32, x1: f32) -> Line {
        Line {
            number: 1,
            page: Some(1),
            y: Some(y),
            size: Some(10.0),
            starts_block: false,
            tokens: vec![Token { text: "字".into(), x0, x1, y: None }],
        }
    }

    #[test]
    fn a_big_step_down_to_the_left_is_a_paragraph_break() {
        assert!(paragraph_gap(&line(700.0, 50.0, 200.0), &line(680.0, 50.0, 100.0)));
        assert!(!paragraph_gap(&line(700.0, 50.0, 200.0), &line(688.0, 50.0, 100.0)));
        assert!(!paragraph_gap(&line(700.0, 50.0, 200.0), &line(680.0, 250.0, 300.0)));
        let f = fragments(&[line(700.0, 50.0, 200.0), line(680.0, 50.0, 100.0)]);
        assert!(f[1].blank_before);
    }
}

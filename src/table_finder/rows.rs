//! Step 1 — words and visual rows.
//!
//! A PDF's lines come in content-stream order, which is not visual order: a page's title is
//! often drawn last, and two side-by-side sub-tables interleave. This step takes every
//! token of a page as a positioned [`Word`] and regroups the words into visual rows by
//! their vertical centre, top to bottom, each row left to right.

use crate::token::Line;

/// Fallback font size (points) when a line carries none.
const DEFAULT_SIZE: f32 = 10.0;

/// One token with its full position.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    /// Baseline y (points, up).
    pub y: f32,
    /// Font size (points).
    pub size: f32,
    pub page: u32,
    /// Index of the source line in the slice the words were taken from.
    pub line: usize,
    /// The source line's 1-based number.
    pub number: usize,
}

impl Word {
    /// Vertical centre of the glyph box (CJK fonts: roughly 0.12 em below, 0.88 em above
    /// the baseline).
    pub fn cy(&self) -> f32 {
        self.y + 0.38 * self.size
    }
    /// Top of the glyph box.
    pub fn top(&self) -> f32 {
        self.y + 0.88 * self.size
    }
    /// Bottom of the glyph box.
    pub fn bottom(&self) -> f32 {
        self.y - 0.12 * self.size
    }
    /// Horizontal centre.
    pub fn cx(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
}

/// The words of `lines` grouped by page (pages ascending; lines without a page or a y,
/// i.e. blank lines and text dumps, give none).
pub fn page_words(lines: &[Line]) -> Vec<(u32, Vec<Word>)> {
    let mut out: Vec<(u32, Vec<Word>)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let (Some(page), Some(y)) = (l.page, l.y) else { continue };
        let size = l.size.filter(|s| s.is_finite() && *s > 0.5).unwrap_or(DEFAULT_SIZE);
        for t in &l.tokens {
            if t.text.trim().is_empty() {
                continue;
            }
            let w = Word { text: t.text.clone(), x0: t.x0, x1: t.x1, y: t.y.unwrap_or(y), size, page, line: i, number: l.number };
            match out.iter_mut().find(|(p, _)| *p == page) {
                Some((_, ws)) => ws.push(w),
                None => out.push((page, vec![w])),
            }
        }
    }
    out.sort_by_key(|(p, _)| *p);
    out
}

/// A visual row: words whose vertical centres lie within a fraction of their size of each
/// other, left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct VRow {
    /// Mean vertical centre.
    pub cy: f32,
    pub words: Vec<Word>,
}

impl VRow {
    /// The row's text, words separated by one space.
    pub fn text(&self) -> String {
        self.words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
    }
    /// The row's text with no separator.
    pub fn compact(&self) -> String {
        self.words.iter().map(|w| w.text.as_str()).collect()
    }
    pub fn x0(&self) -> f32 {
        self.words.iter().map(|w| w.x0).fold(f32::INFINITY, f32::min)
    }
    pub fn x1(&self) -> f32 {
        self.words.iter().map(|w| w.x1).fold(f32::NEG_INFINITY, f32::max)
    }
    pub fn top(&self) -> f32 {
        self.words.iter().map(|w| w.top()).fold(f32::NEG_INFINITY, f32::max)
    }
    pub fn bottom(&self) -> f32 {
        self.words.iter().map(|w| w.bottom()).fold(f32::INFINITY, f32::min)
    }
    /// The largest font size in the row.
    pub fn size(&self) -> f32 {
        self.words.iter().map(|w| w.size).fold(0.0, f32::max)
    }
}

/// Group words into visual rows, top to bottom. Two words share a row when their centres
/// are within 0.4 of the smaller font size.
pub fn visual_rows(mut words: Vec<Word>) -> Vec<VRow> {
    words.sort_by(|a, b| b.cy().total_cmp(&a.cy()).then(a.x0.total_cmp(&b.x0)));
    let mut rows: Vec<VRow> = Vec::new();
    for w in words {
        let joins = rows.last().is_some_and(|r| {
            let tol = 0.4 * r.words.iter().map(|x| x.size).fold(w.size, f32::min);
            (r.cy - w.cy()).abs() <= tol
        });
        if joins {
            let r = rows.last_mut().expect("checked");
            let n = r.words.len() as f32;
            r.cy = (r.cy * n + w.cy()) / (n + 1.0);
            r.words.push(w);
        } else {
            rows.push(VRow { cy: w.cy(), words: vec![w] });
        }
    }
    for r in &mut rows {
        r.words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    rows
}

/// Join the words of one cell into its text: visual lines top to bottom, each left to
/// right; no separator except one space between two Latin words.
pub fn join_words(words: &[Word]) -> String {
    let rows = visual_rows(words.to_vec());
    let mut s = String::new();
    for r in rows {
        for w in r.words {
            s = crate::heuristics::wrapped_join::join_text(&s, w.text.trim());
        }
    }
    s
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::token::Token;

    /// A PDF-style line for tests: tokens as (text, x0, x1).
    pub fn line(number: usize, page: u32, y: f32, toks: &[(&str, f32, f32)]) -> Line {
        Line {
            number,
            page: Some(page),
            y: Some(y),
            size: Some(10.0),
            starts_block: true,
            tokens: toks.iter().map(|(t, a, b)| Token { text: t.to_string(), x0: *a, x1: *b, y: Some(y) }).collect(),
        }
    }

    #[test]
    fn rows_follow_y_not_stream_order() {
        // The title is drawn last; a second sub-table's line interleaves.
        let lines = vec![
            line(1, 1, 500.0, &[("项目", 50.0, 70.0), ("金额", 150.0, 170.0)]),
            line(2, 1, 480.0, &[("合计", 50.0, 70.0), ("1.00", 150.0, 170.0)]),
            line(3, 1, 500.5, &[("支出", 300.0, 320.0)]),
            line(4, 1, 540.0, &[("收支预算总表", 100.0, 200.0)]),
        ];
        let pw = page_words(&lines);
        assert_eq!(pw.len(), 1);
        let rows = visual_rows(pw[0].1.clone());
        let texts: Vec<String> = rows.iter().map(|r| r.text()).collect();
        assert_eq!(texts, ["收支预算总表", "项目 金额 支出", "合计 1.00"]);
    }

    #[test]
    fn cell_words_join_without_separator() {
        let lines = vec![
            line(1, 1, 500.0, &[("公务用车", 10.0, 50.0)]),
            line(2, 1, 488.0, &[("运行维护", 10.0, 50.0)]),
            line(3, 1, 476.0, &[("费", 10.0, 20.0)]),
        ];
        let w = page_words(&lines).remove(0).1;
        assert_eq!(join_words(&w), "公务用车运行维护费");
    }
}

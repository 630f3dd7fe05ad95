//! Heuristic `deviation_split` for block-marked layouts: the text cells between two
//! indicator rows' closing scores are the previous row's deviation note (偏差原因分析及改进措施)
//! followed by the next row's name, target and actual.
//!
//! A deviation note is printed right under the score line of its row, with no blank line
//! and no block mark before it, while the next row starts after a blank line. So when the
//! first cell follows the previous row directly, the cells before the first one that
//! starts after a blank line are the note — provided three cells remain for the row.
//! Surplus cells (a cell with a space inside) are joined into the name, which is the one
//! cell that most often holds spaces; that choice is reported.

use crate::grammar::frag::Frag;
use crate::heuristics::wrapped_join::join_text;

/// Split a row's cells: (deviation of the previous row, [name, target, actual], note).
pub fn split_marked(frags: &[Frag], has_prev: bool) -> (Option<String>, Vec<Option<String>>, Option<String>) {
    let mut start = 0;
    if has_prev && frags.len() > 3 && !frags[0].blank_before && !frags[0].block_start {
        let j = (1..frags.len()).find(|&j| frags[j].blank_before).unwrap_or(frags.len() - 3);
        start = j.min(frags.len() - 3);
    }
    let dev = (start > 0).then(|| frags[..start].iter().fold(String::new(), |s, f| join_text(&s, &f.text)));
    let rest = &frags[start..];
    let mut note = None;
    let cells: Vec<Option<String>> = if rest.len() > 3 {
        let extra = rest.len() - 3;
        let name = rest[..=extra].iter().fold(String::new(), |s, f| join_text(&s, &f.text));
        note = Some(format!("{} surplus cell(s) joined into the name", extra));
        std::iter::once(Some(name)).chain(rest[extra + 1..].iter().map(|f| Some(f.text.clone()))).collect()
    } else {
        rest.iter().map(|f| Some(f.text.clone())).collect()
    };
    (dev, cells, note)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::frag::fragments;
    use crate::heuristics::wrapped_join::join_marked;
    use crate::text_reader;

    fn cells(s: &str) -> Vec<Frag> {
        join_marked(fragments(&text_reader::read(s.as_bytes()).lines)).0
    }

    #[test]
    fn note_before_the_blank_line_belongs_to_the_previous_row() {
        let f = cells("专业技术考试\n非税收入下降\n\n完成集训保障任务 ≥4期\n 2期集训\n");
        let (dev, c, _) = split_marked(&f, true);
        assert_eq!(dev.as_deref(), Some("专业技术考试非税收入下降"));
        assert_eq!(c, [Some("完成集训保障任务".into()), Some("≥4期".into()), Some("2期集训".into())]);
    }

    #[test]
    fn no_note_when_the_row_starts_after_a_blank() {
        let f = cells("\n名称 目标 实际");
        let (dev, c, _) = split_marked(&f, true);
        assert!(dev.is_none());
        assert_eq!(c.len(), 3);
    }
}

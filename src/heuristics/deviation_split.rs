//! Heuristic `deviation_split` for block-marked layouts: the text cells between two
//! indicator rows' closing scores are the previous row's deviation note (偏差原因分析及改进措施)
//! followed by the next row's name, target and actual.
//!
//! A deviation note is printed right after the score line of its row, with no blank line
//! before it (a PDF reader may mark it as a block start, since it sits to the right), while
//! the next row starts after a blank line. So when the
//! first cell follows the previous row directly, the cells before the first one that
//! starts after a blank line are the note — provided three cells remain for the row.
//! Surplus cells (a cell with a space inside) are joined into the name, which is the one
//! cell that most often holds spaces; that choice is reported.

use crate::grammar::frag::Frag;
use crate::heuristics::wrapped_join::join_text;

/// Split a row's cells: (deviation of the previous row, [name, target, actual], note).
pub fn split_marked(frags: &[Frag], has_prev: bool) -> (Option<String>, Vec<Option<String>>, Option<String>) {
    let mut start = 0;
    if has_prev && frags.len() > 3 && !frags[0].blank_before {
        let j = (1..frags.len()).find(|&j| frags[j].blank_before).unwrap_or(frags.len() - 3);
        start = j.min(frags.len() - 3);
    }
    let dev = (start > 0).then(|| frags[..start].iter().fold(String::new(), |s, f| join_text(&s, &f.text)));
    let rest = &frags[start..];
    let mut note = None;
    let mut cells: Vec<String> = rest.iter().map(|f| f.text.clone()).collect();
    let mut multi: Vec<bool> = rest.iter().map(|f| f.lines_joined > 1).collect();
    let mut merged = Vec::new();
    while cells.len() > 3 {
        let k = surplus_pair(&cells, &multi);
        merged.push(format!("“{}”+“{}”", cells[k], cells[k + 1]));
        let b = cells.remove(k + 1);
        multi.remove(k + 1);
        cells[k] = format!("{} {}", cells[k], b);
    }
    if !merged.is_empty() {
        note = Some(format!("more than three text cells; joined {} (a space inside a cell)", merged.join(", ")));
    }
    let cells: Vec<Option<String>> = cells.into_iter().map(Some).collect();
    (dev, cells, note)
}

/// Which adjacent pair of surplus cells is one cell with a space inside: a piece that
/// starts with closing punctuation or `%` continues the one before; otherwise the name's
/// two pieces when the name is a single line, else the last two pieces (the free-text
/// actual value).
pub fn surplus_pair(cells: &[String], multi_line: &[bool]) -> usize {
    let closing = |s: &str| s.starts_with(['%', '％', '，', '。', '、', '；', '：', '）', ')', '」', '”']);
    if let Some(k) = (1..cells.len()).find(|&k| closing(&cells[k])) {
        return k - 1;
    }
    if multi_line.first().copied().unwrap_or(false) { cells.len() - 2 } else { 0 }
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
    fn surplus_cells() {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(surplus_pair(&v(&["社保扶贫推进", "100%", "贫困人员参保率达100", "%，实现应保尽保"]), &[false; 4]), 2);
        assert_eq!(surplus_pair(&v(&["房屋等建筑", "物完好情况", "正常使用", "正常使用"]), &[false; 4]), 0);
        assert_eq!(surplus_pair(&v(&["着力打造人事考试品牌", "效果较好", "实施效果", "较好"]), &[true, false, false, false]), 2);
    }

    #[test]
    fn no_note_when_the_row_starts_after_a_blank() {
        let f = cells("\n名称 目标 实际");
        let (dev, c, _) = split_marked(&f, true);
        assert!(dev.is_none());
        assert_eq!(c.len(), 3);
    }
}

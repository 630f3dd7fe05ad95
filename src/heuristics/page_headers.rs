//! Heuristic `page_header_dropped`: the indicator table's header row (一级指标 二级指标 …
//! 偏差原因分析及改进措施, possibly split over lines and stacked) and its repeats after a
//! page break, together with repeated captions (绩效指标, 年度总体目标, 预期目标 …), are not
//! rows.
//!
//! A header starts at a cell that is one of the column words 一级指标 / 二级指标 / 三级指标;
//! from there every cell is header until the first level label (产出指标（50分）, 数量指标 …),
//! which the rows need and is kept. A header with no level label after it ends at the
//! first cell that is not a header word. Captions are dropped wherever they stand.

use crate::grammar::frag::Frag;
use crate::grammar::vocab;

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Drop header cells and repeated captions; returns the kept cells and how many were dropped.
pub fn drop_headers(cells: &[Frag]) -> (Vec<Frag>, usize) {
    let mut out = Vec::with_capacity(cells.len());
    let mut dropped = 0;
    let mut i = 0;
    while i < cells.len() {
        let t = squash(&cells[i].text);
        if vocab::is_section(&t) {
            dropped += 1;
            i += 1;
            continue;
        }
        if matches!(t.as_str(), "一级指标" | "二级指标" | "三级指标") {
            // Header mode: up to the first level label, at most 24 cells.
            let limit = (i + 24).min(cells.len());
            let label_at = (i + 1..limit).find(|&j| {
                let s = squash(&cells[j].text);
                vocab::is_level1(&s) || vocab::is_level2(&s)
            });
            let end = match label_at {
                Some(j) => j,
                None => (i + 1..cells.len())
                    .find(|&j| !vocab::is_indicator_header(&squash(&cells[j].text)))
                    .unwrap_or(cells.len()),
            };
            dropped += end - i;
            i = end;
            continue;
        }
        out.push(cells[i].clone());
        i += 1;
    }
    (out, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::frag::fragments;
    use crate::text_reader;

    fn run(s: &str) -> Vec<String> {
        drop_headers(&fragments(&text_reader::read(s.as_bytes()).lines)).0.into_iter().map(|f| f.text).collect()
    }

    #[test]
    fn stacked_header_up_to_the_first_level_label() {
        let s = "一级指标 二级指标 三级指标\n年度 实际\n分值 得分\n偏差原因\n指标值 完成值\n分析及\n改进措施\n产出指标（50分）\n数量指标\n人数 1 1";
        assert_eq!(run(s), ["产出指标（50分）", "数量指标", "人数", "1", "1"]);
    }

    #[test]
    fn repeated_captions_are_dropped() {
        assert_eq!(run("年度总体目标\n预期目标 实际完成情况\n绩效指标\n效益指标（30分）"), ["效益指标（30分）"]);
    }
}

//! The blocks of a self-evaluation or performance-goals form, found on grid rows by their
//! header words: the funds header (预算数 / 执行数 / 执行率 …), the goals header (预期目标 /
//! 实际完成情况), the indicator header (一级指标 … 得分), and the rows that end a form
//! (总分, sign-off, notes). A header cell that runs down into the rows below it (绩效指标,
//! 项目资金（万元）, 年度总体目标) is the block's caption, never a column.

use super::columns::{self, IndKey};
use super::compact;
use crate::grid::{Row, RowCell};
use crate::heuristics::column_by_arithmetic::amount;

/// One column of a block, by its horizontal extent and its printed label.
#[derive(Debug, Clone, PartialEq)]
pub struct Col {
    pub x0: f32,
    pub x1: f32,
    pub label: String,
}

/// How much of the narrower of two extents the other covers (0 to 1).
pub fn overlap(a0: f32, a1: f32, b0: f32, b1: f32) -> f32 {
    let inter = (a1.min(b1) - a0.max(b0)).max(0.0);
    let w = (a1 - a0).min(b1 - b0).max(1e-3);
    inter / w
}

/// The cell of `row` under column extent `x0..x1` (covering the row, first row or not).
pub fn cell_under<'r>(row: &'r Row, x0: f32, x1: f32) -> Option<&'r RowCell> {
    row.cells
        .iter()
        .map(|c| (overlap(c.x0, c.x1, x0, x1), c))
        .filter(|(o, _)| *o >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Cells of `row` that also cover the row after it (captions running down).
fn runs_down(row: &Row, next: Option<&Row>) -> Vec<(usize, usize)> {
    let Some(n) = next else { return Vec::new() };
    row.cells.iter().filter(|c| c.merged_down && n.cells.iter().any(|d| d.id == c.id)).map(|c| c.id).collect()
}


/// The indicator header at `rows[i]`: its columns (captions excluded) and how many header
/// rows it takes (a header with a grouped cell over sub-columns takes two).
pub fn indicator_header(rows: &[Row], i: usize) -> Option<(Vec<(Col, Option<IndKey>)>, usize)> {
    let row = &rows[i];
    if !is_indicator_header_row(row) {
        // The first row of a two-row header (绩效指标 | 年度指标值 | 实际完成值 | 分值 …, the
        // level columns named in the row below): header words, no numbers, a full header next.
        let words = row.own().filter(|c| columns::indicator_key(&c.text).is_some()).count();
        let next_is_header = rows.get(i + 1).is_some_and(is_indicator_header_row);
        if words >= 2 && next_is_header && row.own().all(|c| !is_number(&c.text)) {
            return indicator_header(rows, i + 1).map(|(cols, n)| (cols, n + 1));
        }
        return None;
    }
    let mut last = i;
    // A second header row: sub-columns under a grouped cell, no numbers.
    if let Some(next) = rows.get(i + 1)
        && next.own().next().is_some()
        && next.own().all(|c| !is_number(&c.text))
        && (is_indicator_header_row(next)
            || next.own().all(|c| row.cells.iter().any(|p| p.first && p.x1 - p.x0 > (c.x1 - c.x0) * 1.5 && overlap(p.x0, p.x1, c.x0, c.x1) > 0.9)))
    {
        last = i + 1;
    }
    let head = &rows[last];
    let captions = runs_down(head, rows.get(last + 1));
    let mut cols = Vec::new();
    let mut seen = Vec::new();
    for c in &head.cells {
        if captions.contains(&c.id) || seen.contains(&c.id) {
            continue;
        }
        seen.push(c.id);
        let label = c.text.clone();
        if label.is_empty() {
            continue;
        }
        cols.push((Col { x0: c.x0, x1: c.x1, label: label.clone() }, columns::indicator_key(&label)));
    }
    Some((cols, last - i + 1))
}

fn is_indicator_header_row(row: &Row) -> bool {
    let keys: Vec<IndKey> = row.cells.iter().filter_map(|c| columns::indicator_key(&c.text)).collect();
    let labels = keys.iter().any(|k| matches!(k, IndKey::Name | IndKey::Level1 | IndKey::Level2));
    let values = keys.iter().any(|k| matches!(k, IndKey::Target | IndKey::Actual | IndKey::Weight | IndKey::Score));
    let numbers = row.own().any(|c| is_number(&c.text));
    keys.len() >= 3 && labels && values && !numbers
}

/// Is this a printed amount or percentage (the crate's amount lexer)?
pub fn is_number(s: &str) -> bool {
    let t = compact(s);
    amount(&t).or_else(|| t.strip_suffix(['%', '％']).and_then(amount)).is_some()
}

/// The funds header at `row`: (caption cell, columns). At least two funds words.
pub fn funds_header(rows: &[Row], i: usize) -> Option<(Option<RowCell>, Vec<(Col, Option<&'static str>)>)> {
    let row = &rows[i];
    let keyed: Vec<&RowCell> = row.cells.iter().filter(|c| columns::funds_key(&c.text).is_some()).collect();
    if keyed.len() < 2 || is_indicator_header_row(row) || row.own().any(|c| is_number(&c.text)) {
        return None;
    }
    let first_x = keyed.iter().map(|c| c.x0).fold(f32::MAX, f32::min);
    let caption = row.cells.iter().find(|c| c.x1 <= first_x + 0.5 && !c.text.is_empty()).cloned();
    let mut cols = Vec::new();
    let mut seen = Vec::new();
    for c in row.cells.iter().filter(|c| c.x0 >= first_x - 0.5) {
        if seen.contains(&c.id) || c.text.is_empty() {
            continue;
        }
        seen.push(c.id);
        cols.push((Col { x0: c.x0, x1: c.x1, label: c.text.clone() }, columns::funds_key(&c.text)));
    }
    Some((caption, cols))
}

/// What a goals header column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoalKey {
    Expected,
    Actual,
    /// Another goal column (全年(调整)绩效目标): a field under its label.
    Other,
}

fn goal_key(label: &str) -> Option<GoalKey> {
    let s = compact(label);
    if s.contains("完成情况") || s.contains("实际完成") {
        Some(GoalKey::Actual)
    } else if s.contains("调整") && s.contains("目标") || s.contains("总目标") && !s.starts_with("年度") || s.contains("长期目标") {
        // 全年(调整)绩效目标, 项目总目标, 长期目标: goals of their own, kept as fields.
        Some(GoalKey::Other)
    } else if s.contains("预期目标") || s.contains("设定目标") || s.contains("初绩效目标") || matches!(s.as_str(), "年度目标" | "绩效目标" | "年度总体目标" | "年度绩效目标") {
        Some(GoalKey::Expected)
    } else {
        None
    }
}

/// The goals header at `rows[i]`: its columns (captions excluded), when it has an expected
/// goal and an actual one or another goal (a form that sets goals prints no actual).
pub fn goals_header(rows: &[Row], i: usize) -> Option<Vec<(Col, GoalKey)>> {
    let row = &rows[i];
    let captions = runs_down(row, rows.get(i + 1));
    let cols: Vec<(Col, GoalKey)> = row
        .cells
        .iter()
        .filter(|c| !captions.contains(&c.id) && c.first)
        .filter_map(|c| goal_key(&c.text).map(|k| (Col { x0: c.x0, x1: c.x1, label: c.text.clone() }, k)))
        .collect();
    let has = |k| cols.iter().any(|(_, g)| *g == k);
    (has(GoalKey::Expected) && (has(GoalKey::Actual) || has(GoalKey::Other))).then_some(cols)
}

/// A total row (总分, 合计, 自评总分, 项目总得分 …).
pub fn is_total_row(row: &Row) -> bool {
    row.own().next().is_some_and(|c| {
        let t = compact(&c.text);
        ["总分", "合计", "自评总分", "总得分", "项目总得分", "综合得分", "得分合计", "总计"].iter().any(|w| t.starts_with(w))
    })
}

/// A sign-off row (填表人 / 填报日期 / 联系电话 / 负责人).
pub fn is_signoff_row(row: &Row) -> bool {
    crate::grammar::signoff::is_signoff_line(&compact(&row.text()))
}

/// A note row: one cell opening with 说明： / 注： / 备注：.
pub fn is_note_row(row: &Row) -> bool {
    row.single().is_some_and(|c| crate::grammar::signoff::is_note_start(&compact(&c.text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(html: &str) -> Vec<Row> {
        crate::grid::html::read(html).rows()
    }

    #[test]
    fn a_two_row_header_starts_at_its_group_row() {
        let r = rows(
            "<table><tr><td colspan=3>绩效指标</td><td colspan=2>年度指标值</td><td rowspan=2>实际完成值</td><td rowspan=2>分值</td></tr>\
             <tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>指标性质</td><td>指标值</td></tr>\
             <tr><td>产出指标</td><td>数量指标</td><td>人数</td><td>≧</td><td>735</td><td>735</td><td>10</td></tr></table>",
        );
        let (cols, n) = indicator_header(&r, 0).expect("a header");
        assert_eq!(n, 2);
        let labels: Vec<&str> = cols.iter().map(|(c, _)| c.label.as_str()).collect();
        assert_eq!(labels, ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "实际完成值", "分值"]);
        assert_eq!(cols[4].1, Some(IndKey::Target));
    }

    #[test]
    fn a_caption_running_down_is_no_column() {
        let r = rows(
            "<table><tr><td rowspan=3>绩效指标</td><td>一级指标</td><td>三级指标</td><td>分值</td><td>得分</td></tr>\
             <tr><td>产出</td><td>人数</td><td>5</td><td>5</td></tr><tr><td>效益</td><td>满意度</td><td>5</td><td>4</td></tr></table>",
        );
        let (cols, n) = indicator_header(&r, 0).expect("a header");
        assert_eq!(n, 1);
        assert!(cols.iter().all(|(c, _)| c.label != "绩效指标"));
    }

    #[test]
    fn goals_headers_with_and_without_an_actual() {
        let r = rows("<table><tr><td>预期目标</td><td>实际完成情况</td></tr><tr><td>a</td><td>b</td></tr></table>");
        assert!(goals_header(&r, 0).is_some());
        let r = rows("<table><tr><td>项目总目标</td><td>年度总体目标</td></tr><tr><td>a</td><td>b</td></tr></table>");
        let g = goals_header(&r, 0).expect("a goals-setting form");
        assert_eq!(g.iter().map(|(_, k)| *k).collect::<Vec<_>>(), [GoalKey::Other, GoalKey::Expected]);
    }
}

//! Annex segmentation: split a [`Layout`] at `附件N` / `附件N-M` markers and read each
//! annex's title, year and unit.
//!
//! Steps:
//! 1. [`split_glued_markers`]: a marker printed at the end of another line (the dump
//!    writer glues `…单位负责人签字：李永军附件7` when the next page starts without a line
//!    break) is cut off into a line of its own. Only a marker whose number follows the
//!    previous one is accepted, so `详见附件2` in prose is not a marker.
//! 2. [`segments`]: one segment per marker; text before the first marker is a segment
//!    with no id when it is not blank.
//! 3. [`read_title`], [`read_year`], [`read_unit`] on each segment.

use crate::token::{Line, Token};
use regex::Regex;
use std::sync::LazyLock;

/// One annex's span of lines, with what was read from its head.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// `3-1` for `附件3-1`.
    pub id: Option<String>,
    /// `附件3-1`.
    pub label: Option<String>,
    /// Index into the line vector of the first line after the marker.
    pub start: usize,
    /// Index one past the last line.
    pub end: usize,
    /// Index of the marker line (if any).
    pub marker_line: Option<usize>,
    /// The title as printed (tokens joined with one space).
    pub title: Option<String>,
    /// Index of the title line.
    pub title_line: Option<usize>,
    /// The year read from the title or from a `（2024年度）` line.
    pub year: Option<i32>,
    /// True when `year` came from the title itself.
    pub year_from_title: bool,
    /// `万元`, `亿元`, `元`.
    pub unit: Option<String>,
}

impl Segment {
    /// A segment over lines `start..end` with nothing read yet.
    pub fn span(start: usize, end: usize) -> Segment {
        Segment {
            id: None,
            label: None,
            start,
            end,
            marker_line: None,
            title: None,
            title_line: None,
            year: None,
            year_from_title: false,
            unit: None,
        }
    }
}

static MARKER_ALONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^附件\s*(\d{1,3}(?:\s*[-－—–]\s*\d{1,3})?)\s*[:：]?$").unwrap());
static MARKER_GLUED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"附件(\d{1,3}(?:[-－—–]\d{1,3})?)$").unwrap());
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年").unwrap());
static YEAR_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[（(]?\s*((?:19|20)\d{2})\s*年度?\s*[）)]?$").unwrap());
static UNIT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:金额)?单位\s*[:：]\s*(亿元|万元|千元|元|万人|人)").unwrap()
});
static UNIT_PAREN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[（(]\s*(亿元|万元|千元|元)\s*[）)]").unwrap());

/// Words that make a line a title (the annex's table name).
const TITLE_WORDS: &[&str] = &[
    "自评表", "评价表", "数据表", "情况表", "明细表", "预算表", "决算表", "汇总表", "目标表",
    "收支表", "一览表", "统计表",
];

/// Labels that start a field line, never a title.
const FIELD_LABELS: &[&str] =
    &["填报单位", "项目支出名称", "项目名称", "主管部门", "实施单位", "省级预算部门名称", "单位："];

fn normalize_id(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if matches!(c, '－' | '—' | '–') { '-' } else { c })
        .collect()
}

/// Sort key of an annex id (`3-1` → (3,1)).
fn id_key(id: &str) -> (u32, u32) {
    let mut it = id.split('-').map(|p| p.parse::<u32>().unwrap_or(0));
    (it.next().unwrap_or(0), it.next().unwrap_or(0))
}

/// The id of a marker line, if the line is one.
pub fn marker_of(line: &Line) -> Option<String> {
    let c = line.compact();
    MARKER_ALONE.captures(&c).map(|m| normalize_id(&m[1]))
}

/// Step 1: cut markers glued to the end of another line into lines of their own.
pub fn split_glued_markers(lines: Vec<Line>) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    let mut last: Option<(u32, u32)> = None;
    for line in lines {
        if let Some(id) = marker_of(&line) {
            last = Some(id_key(&id));
            out.push(line);
            continue;
        }
        // `附件1 2024年度…自评表`: a marker token opening a line that goes on with a title.
        if line.tokens.len() > 1 {
            if let Some(m) = MARKER_ALONE.captures(&line.tokens[0].text) {
                let id = normalize_id(&m[1]);
                let rest: String = line.tokens[1..].iter().map(|t| t.text.as_str()).collect();
                if last.is_none_or(|l| id_key(&id) > l) && is_title_text(&rest) {
                    last = Some(id_key(&id));
                    let mut marker = line.clone();
                    marker.tokens.truncate(1);
                    let mut title = line;
                    title.tokens.remove(0);
                    title.starts_block = true;
                    out.push(marker);
                    out.push(title);
                    continue;
                }
            }
        }
        let glued = line.tokens.last().and_then(|t| {
            let m = MARKER_GLUED.captures(&t.text)?;
            let whole = m.get(0)?;
            let id = normalize_id(&m[1]);
            let before = &t.text[..whole.start()];
            let prose = before.ends_with('见') || before.ends_with('如') || before.ends_with('按');
            let follows = last.is_none_or(|l| id_key(&id) > l);
            (follows && !prose).then(|| (whole.start(), id))
        });
        match glued {
            Some((cut, id)) => {
                last = Some(id_key(&id));
                let mut head = line.clone();
                let tail_tok = {
                    let t = head.tokens.last_mut().expect("glued marker has a token");
                    let tail = t.text[cut..].to_string();
                    let frac = if t.text.is_empty() { 0.0 } else { cut as f32 / t.text.len() as f32 };
                    let xm = t.x0 + (t.x1 - t.x0) * frac;
                    let tok = Token { text: tail, x0: xm, x1: t.x1, y: t.y };
                    t.text.truncate(cut);
                    t.x1 = xm;
                    tok
                };
                if head.tokens.last().is_some_and(|t| t.text.is_empty()) {
                    head.tokens.pop();
                }
                let mut marker = line;
                marker.tokens = vec![tail_tok];
                marker.starts_block = true;
                out.push(head);
                out.push(marker);
            }
            None => out.push(line),
        }
    }
    out
}

/// Step 2: one segment per marker (plus a leading id-less segment when it holds text).
pub fn segments(lines: &[Line]) -> Vec<Segment> {
    let mut marks: Vec<(usize, String)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some(id) = marker_of(l) {
            marks.push((i, id));
        }
    }
    let mut segs: Vec<Segment> = Vec::new();
    let first = marks.first().map(|m| m.0).unwrap_or(lines.len());
    if lines[..first].iter().any(|l| !l.is_blank()) {
        segs.push(Segment::span(0, first));
    }
    for (k, (i, id)) in marks.iter().enumerate() {
        let end = marks.get(k + 1).map(|m| m.0).unwrap_or(lines.len());
        segs.push(Segment { id: Some(id.clone()), label: Some(format!("附件{id}")), marker_line: Some(*i), ..Segment::span(i + 1, end) });
    }
    let mut segs = split_by_titles(lines, segs);
    for s in &mut segs {
        read_title(lines, s);
        read_year(lines, s);
        s.unit = read_unit(&lines[s.start..s.end]);
    }
    segs
}

fn is_title_text(c: &str) -> bool {
    if FIELD_LABELS.iter().any(|f| c.starts_with(f)) {
        return false;
    }
    TITLE_WORDS.iter().any(|w| c.contains(w)) || (c.ends_with('表') && c.chars().count() >= 5)
}

/// Step 2b: text with no marker can still hold several forms one after another (a file
/// of project self-evaluations without 附件 numbers): an id-less segment is cut before
/// every further line that is a form title (a title whose words name a known kind).
fn split_by_titles(lines: &[Line], segs: Vec<Segment>) -> Vec<Segment> {
    let mut out = Vec::with_capacity(segs.len());
    for seg in segs {
        if seg.id.is_some() {
            out.push(seg);
            continue;
        }
        let titles: Vec<usize> = (seg.start..seg.end)
            .filter(|&i| {
                let c = lines[i].compact();
                c.chars().count() <= 40 && is_title_text(&c) && crate::classify::by_title(&c).is_some()
            })
            .collect();
        // Keep a title's own segment start: cut before each title but the first.
        let mut cuts: Vec<usize> = titles.into_iter().skip(1).collect();
        cuts.retain(|&c| c > seg.start);
        let mut start = seg.start;
        for c in cuts.into_iter().chain(std::iter::once(seg.end)) {
            let mut part = seg.clone();
            part.start = start;
            part.end = c;
            if lines[start..c].iter().any(|l| !l.is_blank()) {
                out.push(part);
            }
            start = c;
        }
    }
    out
}

/// Step 3a: the title is one of the first few non-blank lines of the segment that reads
/// like a table name. A title split over two lines is joined.
pub fn read_title(lines: &[Line], seg: &mut Segment) {
    let head: Vec<usize> =
        (seg.start..seg.end).filter(|&i| !lines[i].is_blank()).take(3).collect();
    for (n, &i) in head.iter().enumerate() {
        let c = lines[i].compact();
        if is_title_text(&c) {
            let mut title = lines[i].text();
            // A title whose first half sits on the line before (no title word there).
            if n > 0 {
                let p = head[n - 1];
                let pc = lines[p].compact();
                if !YEAR_LINE.is_match(&pc)
                    && !FIELD_LABELS.iter().any(|f| pc.starts_with(f))
                    && pc.chars().count() <= 30
                    && (pc.contains("年") || pc.contains("绩效") || pc.contains("支出"))
                {
                    title = format!("{}{}", lines[p].text(), title);
                }
            }
            seg.title = Some(title.trim().to_string());
            seg.title_line = Some(i);
            return;
        }
    }
}

/// Step 3b: the year from the title, else from a `（2024年度）` line near the top.
pub fn read_year(lines: &[Line], seg: &mut Segment) {
    if let Some(t) = &seg.title {
        if let Some(m) = YEAR.captures(t) {
            seg.year = m[1].parse().ok();
            seg.year_from_title = true;
            return;
        }
    }
    for i in (seg.start..seg.end).filter(|&i| !lines[i].is_blank()).take(4) {
        let c = lines[i].compact();
        if let Some(m) = YEAR_LINE.captures(&c) {
            seg.year = m[1].parse().ok();
            return;
        }
    }
}

/// Step 3c: the money unit, from `单位：万元` or else from a `（亿元）` in a header.
pub fn read_unit(lines: &[Line]) -> Option<String> {
    for l in lines {
        let c = l.compact();
        if let Some(m) = UNIT_LABEL.captures(&c) {
            return Some(m[1].to_string());
        }
    }
    // Headers are often split over lines: look at the joined text.
    let joined: String = lines.iter().map(|l| l.compact()).collect();
    UNIT_PAREN.captures(&joined).map(|m| m[1].to_string())
}

/// A year printed in a `（2024年度）` style line, for callers that scan elsewhere.
pub fn year_line(c: &str) -> Option<i32> {
    YEAR_LINE.captures(c).and_then(|m| m[1].parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text_reader;

    fn lines(s: &str) -> Vec<Line> {
        split_glued_markers(text_reader::read(s.as_bytes()).lines)
    }

    #[test]
    fn markers_split_annexes() {
        let l = lines("附件1\n\n2024年度部门整体支出绩效评价基础数据表\n单位：万元\n附件3-1\n2024年度项目支出绩效自评表\n");
        let s = segments(&l);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].id.as_deref(), Some("1"));
        assert_eq!(s[0].title.as_deref(), Some("2024年度部门整体支出绩效评价基础数据表"));
        assert_eq!(s[0].year, Some(2024));
        assert_eq!(s[0].unit.as_deref(), Some("万元"));
        assert_eq!(s[1].label.as_deref(), Some("附件3-1"));
    }

    #[test]
    fn glued_marker_is_cut_off() {
        let l = lines("附件6\n填表人:甲 单位负责人签字：李永军附件7\n（ 2024 年度）\n");
        let s = segments(&l);
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].id.as_deref(), Some("7"));
        assert!(l[1].compact().ends_with("李永军"));
        assert_eq!(s[1].title, None);
        assert_eq!(s[1].year, Some(2024));
    }

    #[test]
    fn prose_reference_is_not_a_marker() {
        let l = lines("附件2\n具体内容详见附件3\n");
        assert_eq!(segments(&l).len(), 1);
    }

    #[test]
    fn marker_and_title_on_one_line() {
        let l = lines("附件2 2024年度部门整体支出绩效自评表\n单位：万元\n");
        let s = segments(&l);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].id.as_deref(), Some("2"));
        assert_eq!(s[0].title.as_deref(), Some("2024年度部门整体支出绩效自评表"));
    }

    #[test]
    fn forms_without_markers_split_at_their_titles() {
        let l = lines("2024年度项目支出绩效自评表\n项目名称 甲\n总分 100 90\n2024年度项目支出绩效自评表\n项目名称 乙\n");
        let s = segments(&l);
        assert_eq!(s.len(), 2);
        assert!(s.iter().all(|s| s.id.is_none() && s.title.is_some()));
    }

    #[test]
    fn unit_from_parenthesised_header() {
        let l = lines("项目资金\n（亿元）\n");
        assert_eq!(read_unit(&l).as_deref(), Some("亿元"));
    }
}

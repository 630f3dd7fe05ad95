//! Heuristic `wrapped_join`: which line of a wrapped cell continues which.
//!
//! Two kinds of evidence, depending on what the input carries:
//!
//! * **Block marks.** Where the reader marks position jumps ([`Line::starts_block`]: the
//!   dump writer's leading space, or a PDF text-position jump), a wrapped cell's next line
//!   is printed *without* a jump, right under the previous one, while a new cell starts
//!   with one. [`join_marked`] joins a line onto the last fragment of the line before
//!   when the line carries no block mark and no blank line stands between them. Two
//!   exceptions keep numbers apart from the text after them: a complete decimal number
//!   (`0.95`) is not continued by a line that starts with a CJK character (that is the
//!   next cell, e.g. a deviation note after a score), and a line that opens with a
//!   comparator starts a new cell.
//! * **Fullness.** Without block marks, a line continues on the next one when it fills its
//!   column: [`fills`] compares its width with the widest line already seen in that column.
//!
//! Every join is counted; the grammar reports them as `wrapped_cell_joined` diagnostics.

use super::super::grammar::frag::Frag;
use crate::token::Line;

/// Does this layout mark block starts? True when a noticeable share of its non-blank lines
/// starts with a position jump (text dumps of the same writer mark every cell start).
pub fn is_block_marked(lines: &[Line]) -> bool {
    let nonblank = lines.iter().filter(|l| !l.is_blank()).count();
    let marked = lines.iter().filter(|l| l.starts_block).count();
    // The same writer separates rows by blank lines; block marks without them (a dump
    // whose blank lines were squeezed out) cannot tell a new row from a wrapped line.
    let blank = lines.len() - nonblank;
    nonblank > 0 && marked * 20 >= nonblank && marked >= 3 && blank * 50 >= nonblank
}

fn is_decimal_number(s: &str) -> bool {
    let s = s.trim_start_matches(['-', '−', '－']);
    let mut parts = s.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit() || c == ',')
        && frac.is_some_and(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
}

fn starts_cjk(s: &str) -> bool {
    s.chars().next().is_some_and(|c| ('\u{3400}'..='\u{9fff}').contains(&c) || c == '“' || c == '（')
}

fn starts_comparator(s: &str) -> bool {
    s.starts_with(['≥', '≧', '≤', '≦', '＞', '＜', '>', '<'])
}

/// Would a marked layout join fragment `b` (first on its line) onto `a` (last on the line
/// before)?
pub fn continues_marked(a: &Frag, b: &Frag) -> bool {
    if !b.line_start || !a.line_end || b.block_start || b.blank_before {
        return false;
    }
    if is_decimal_number(&a.text) && starts_cjk(&b.text) {
        return false;
    }
    if a.text.ends_with('%') && starts_cjk(&b.text) {
        return false;
    }
    !starts_comparator(&b.text)
}

/// Is frag `i` one of a run of at least three lines holding one character each — a
/// vertical label (项/目/资/金), which is a cell of its own, never the end of a wrapped cell?
fn vertical_run(frags: &[Frag]) -> Vec<bool> {
    let single = |f: &Frag| f.line_start && f.line_end && f.text.chars().count() == 1;
    let mut out = vec![false; frags.len()];
    let mut i = 0;
    while i < frags.len() {
        if single(&frags[i]) {
            let mut j = i;
            while j < frags.len() && single(&frags[j]) && (j == i || !frags[j].blank_before && !frags[j].block_start) {
                j += 1;
            }
            if j - i >= 3 {
                out[i..j].iter_mut().for_each(|v| *v = true);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// Join the fragments of a block-marked layout into cells. Returns the cells and how many
/// joins were made. A vertical label (three or more one-character lines) is a cell of its
/// own: it neither continues the cell above nor is continued by the line after it.
pub fn join_marked(frags: Vec<Frag>) -> (Vec<Frag>, usize) {
    let vertical = vertical_run(&frags);
    let mut out: Vec<Frag> = Vec::with_capacity(frags.len());
    let mut joins = 0;
    for (i, f) in frags.into_iter().enumerate() {
        if let Some(prev) = out.last_mut() {
            let boundary = i > 0 && vertical[i] != vertical[i - 1];
            if !boundary && continues_marked(prev, &f) {
                join_into(prev, f);
                joins += 1;
                continue;
            }
        }
        out.push(f);
    }
    (out, joins)
}

/// Join tokens of one line whose second piece opens with closing punctuation or `%`
/// (`贫困人员参保率达100 %，实现…`, `…的实现 。`): no cell starts with those, so the space
/// before them is inside a cell. Applies to every layout. Returns the joins made.
pub fn join_punctuation(frags: Vec<Frag>) -> (Vec<Frag>, usize) {
    let closing = |s: &str| s.starts_with(['%', '％', '，', '。', '、', '；', '：', '）', ')', '」', '』', '”']);
    let mut out: Vec<Frag> = Vec::with_capacity(frags.len());
    let mut joins = 0;
    for f in frags {
        if let Some(prev) = out.last_mut() {
            if !f.line_start && prev.last_line == f.line && closing(&f.text) {
                prev.text = format!("{} {}", prev.text, f.text);
                prev.x1 = f.x1;
                prev.width = prev.width.max(f.x1 - prev.x0);
                prev.tail_width = f.x1 - prev.x0;
                prev.line_end = f.line_end;
                joins += 1;
                continue;
            }
        }
        out.push(f);
    }
    (out, joins)
}

/// Append `b` to `a` as the next wrapped line of the same cell.
pub fn join_into(a: &mut Frag, b: Frag) {
    a.text = join_text(&a.text, &b.text);
    a.last_line = b.last_line;
    a.width = a.width.max(b.width);
    a.tail_width = b.tail_width;
    a.line_end = b.line_end;
    a.x1 = a.x1.max(b.x1);
    a.lines_joined += b.lines_joined;
}

/// Join two wrapped pieces of text: no separator, except one space between two Latin
/// words (SPEC "Cell": `text`).
pub fn join_text(a: &str, b: &str) -> String {
    let last = a.chars().last();
    let first = b.chars().next();
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
    if latin(last) && latin(first) {
        format!("{a} {b}")
    } else {
        format!("{a}{b}")
    }
}

/// Does a line of width `w` fill a column whose widest known line is `cap`? `tol` is one
/// character's width; a line within about half a character of the widest is full (a whole
/// character short means the next character would have fitted).
pub fn fills(w: f32, cap: f32, tol: f32) -> bool {
    cap > 0.0 && w >= cap - tol * 0.6
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::frag::fragments;
    use crate::text_reader;

    fn cells(s: &str) -> Vec<String> {
        let l = text_reader::read(s.as_bytes()).lines;
        join_marked(fragments(&l)).0.into_iter().map(|f| f.text).collect()
    }

    #[test]
    fn unmarked_next_line_continues_the_cell() {
        assert_eq!(
            cells("推进充分就业社区\n（村）建设\n 将更多社区\n（村）纳入当\n地建设计划\n 已完成 1.00 1.00"),
            ["推进充分就业社区（村）建设", "将更多社区（村）纳入当地建设计划", "已完成", "1.00", "1.00"]
        );
    }

    #[test]
    fn split_numbers_rejoin_and_blank_lines_break() {
        assert_eq!(cells("年度资金总额 10.0\n0 91.6\n3% 9.16\n\n其中"), ["年度资金总额", "10.00", "91.63%", "9.16", "其中"]);
        assert_eq!(cells("一、期初余额 1,992\n.23 1,99\n2.23\n 1,9\n92.\n23"), ["一、期初余额", "1,992.23", "1,992.23", "1,992.23"]);
    }

    #[test]
    fn a_score_is_not_continued_by_a_note() {
        assert_eq!(cells("名称 ≥4000 3,791.22 1.00 0.95\n专业技术考试\n非税收入"), ["名称", "≥4000", "3,791.22", "1.00", "0.95", "专业技术考试非税收入"]);
    }

    #[test]
    fn a_vertical_label_is_a_cell_of_its_own() {
        assert_eq!(cells("湖南省人力资源和社会保障厅\n（本级）\n项\n目\n资\n金\n 年初预算数"), ["湖南省人力资源和社会保障厅（本级）", "项目资金", "年初预算数"]);
        assert_eq!(cells("对持续推动改革影\n响"), ["对持续推动改革影响"]);
        assert_eq!(cells("全年执行数 分\n值\n 执\n行\n率 得分"), ["全年执行数", "分值", "执行率", "得分"]);
    }

    #[test]
    fn closing_punctuation_joins_its_token() {
        let l = text_reader::read("社保扶贫推进 100% 贫困人员参保率达100 %，实现应保尽保 1 1".as_bytes()).lines;
        let (f, n) = join_punctuation(fragments(&l));
        assert_eq!(n, 1);
        assert_eq!(f[2].text, "贫困人员参保率达100 %，实现应保尽保");
        assert!(!f[2].line_start && !f[2].line_end);
    }

    #[test]
    fn latin_words_get_a_space() {
        assert_eq!(join_text("ISO", "Standard"), "ISO Standard");
        assert_eq!(join_text("完成", "率"), "完成率");
    }

    #[test]
    fn fullness() {
        assert!(fills(40.0, 40.0, 2.0));
        assert!(fills(39.0, 40.0, 2.0));
        assert!(!fills(38.0, 40.0, 2.0), "a whole character short is not full");
        assert!(!fills(30.0, 40.0, 2.0));
    }

    #[test]
    fn detects_marked_layouts() {
        let marked = text_reader::read(" a\nb\n\n c\n d\ne".as_bytes()).lines;
        assert!(is_block_marked(&marked));
        let squeezed = text_reader::read(" a\nb\n c\n d\ne".as_bytes()).lines;
        assert!(!is_block_marked(&squeezed), "block marks without blank lines");
        let plain = text_reader::read("a\nb\nc\n".as_bytes()).lines;
        assert!(!is_block_marked(&plain));
    }
}

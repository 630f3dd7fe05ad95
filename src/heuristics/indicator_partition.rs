//! Heuristic `indicator_partition` for dumps without block marks: which of a row's lines
//! belong to the name, the target and the actual cell (and whether the first lines are the
//! previous row's deviation note).
//!
//! Tokens on one line are different cells (the dump separates cells on a baseline by
//! spaces); a line break is either a wrap inside a cell or the start of the next cell.
//! Each reading is costed:
//! * joining across a line break is free when the line before *fills* its column (its
//!   width reaches the widest line seen in that column, one character's tolerance), and
//!   costs up to 1 the shorter the line is (3 × the missing share of the width); it costs
//!   ½ more when the next line opens with a comparator or a digit (a value);
//! * cutting at a line break costs 1.5 when the line before fills its column, and up to 1
//!   for a line above 70 % of the width;
//! * a line wider than its column (plus two characters) costs 3;
//! * joining two tokens of one line (a space inside a cell) costs 4;
//! * a line opening with a comparator (≥ 大于 …) is a new cell: joining it costs 2;
//! * cutting after a mark or particle that cannot end a cell (`、` `，` `的` …) costs 1, and
//!   so does cutting between a number and a short unit line (`≥5700` / `万人`); joining
//!   after a sentence end (`。`) costs ½;
//! * joining two tokens of one line costs 4, a little more in later cells (a space inside
//!   a name is likelier than inside a short value);
//! * an actual value that opens with a comparator while the target holds none costs 1½;
//! * a target that the actual value restates word for word earns 2, one the actual
//!   value contains earns ½;
//! * reading the first lines as the previous row's deviation note costs 3, and is only
//!   considered for three or more whole lines of one width (a wrapped paragraph).
//!
//! Column widths are learned per table: first from rows printed on one line, then again
//! from the first pass's readings of every row. The cheapest reading wins; ties go to the
//! one found first (fewer lines in the name).

use crate::grammar::frag::Frag;
use crate::heuristics::wrapped_join::{fills, join_text};

/// Rows with more cells than this are not searched (see [`Solver::best`]).
pub const MAX_SEARCHED: usize = 40;
/// Longest deviation note considered, in lines.
pub const MAX_NOTE_LINES: usize = 16;

/// The learned column widths of one indicator table.
#[derive(Debug, Clone)]
pub struct Solver {
    /// Widest line seen in name / target / actual; 0 when unknown.
    pub caps: [f32; 3],
    pub em: f32,
}

#[derive(Debug, Clone)]
struct Reading {
    cost: f32,
    dev: usize,
    /// Group index (0 name, 1 target, 2 actual) of each frag after the deviation.
    groups: Vec<usize>,
}

fn starts_comparator(s: &str) -> bool {
    s.starts_with(['≥', '≧', '≤', '≦', '＞', '＜', '>', '<']) || s.starts_with("大于") || s.starts_with("不低于") || s.starts_with("不超过")
}

/// A line ending in a mark or particle that cannot end a cell (`、` `，` `的` …).
fn ends_open(s: &str) -> bool {
    s.ends_with(['、', '，', ',', '（', '(', '“', '：', '；', '的', '和', '及', '与', '或'])
}

fn ends_sentence(s: &str) -> bool {
    s.ends_with(['。', '！', '？'])
}

/// `持卡人数≥5700` / `万人`: a number's unit wrapped onto the next line.
fn unit_tail(prev: &str, next: &str) -> bool {
    prev.chars().last().is_some_and(|c| c.is_ascii_digit())
        && next.chars().count() <= 3
        && !next.chars().any(|c| c.is_ascii_digit())
        && !next.starts_with(['（', '('])
}

fn starts_value(s: &str) -> bool {
    s.starts_with(['≥', '≧', '≤', '≦', '＞', '＜', '>', '<']) || s.chars().next().is_some_and(|c| c.is_ascii_digit())
}

impl Solver {
    /// Learn column widths from a table's rows (each row = its text cells, before the
    /// weight and score).
    pub fn learn(rows: &[&[Frag]], _marked: bool, em: f32) -> Solver {
        let mut caps = [0.0f32; 3];
        for r in rows {
            if r.len() == 3 && r.iter().all(|f| f.line == r[0].line) {
                for (c, f) in r.iter().enumerate() {
                    caps[c] = caps[c].max(f.width);
                }
            }
        }
        let first = Solver { caps, em };
        // Second pass: widths from every row's best reading.
        let mut caps2 = caps;
        for r in rows {
            if let Some(best) = first.best(r, false) {
                for (f, &g) in r[best.dev..].iter().zip(&best.groups) {
                    if f.lines_joined == 1 {
                        caps2[g] = caps2[g].max(f.width);
                    }
                }
            }
        }
        Solver { caps: caps2, em }
    }

    fn cap(&self, g: usize) -> f32 {
        self.caps.get(g).copied().unwrap_or(0.0)
    }

    fn best(&self, frags: &[Frag], has_prev: bool) -> Option<Reading> {
        if frags.is_empty() {
            return None;
        }
        // The search below visits O(n²) readings per note length: past a few dozen cells the
        // row is not a row any more (run-on text, hostile input); read it plainly, first cell
        // name, second target, the rest actual.
        if frags.len() > MAX_SEARCHED {
            let groups = (0..frags.len()).map(|i| i.min(2)).collect();
            return Some(Reading { cost: f32::INFINITY, dev: 0, groups });
        }
        let mut best: Option<Reading> = None;
        let max_dev = if has_prev && frags.len() > 3 { (frags.len() - 3).min(MAX_NOTE_LINES) } else { 0 };
        for dev in 0..=max_dev {
            if dev > 0 {
                // A deviation note is whole lines, ending at a line end.
                if !frags[dev - 1].line_end || !frags[dev].line_start {
                    continue;
                }
                if frags[..dev].iter().any(|f| !(f.line_start && f.line_end)) {
                    continue;
                }
                // A note is a wrapped paragraph: at least three lines, all but the last
                // of nearly one width, the last no wider.
                if dev < 3 {
                    continue;
                }
                let head: Vec<f32> = frags[..dev - 1].iter().map(|f| f.width).collect();
                let lo = head.iter().copied().fold(f32::INFINITY, f32::min);
                let hi = head.iter().copied().fold(0.0f32, f32::max);
                if hi - lo > 1.01 * self.em || frags[dev - 1].width > hi + 0.01 {
                    continue;
                }
            }
            let rest = &frags[dev..];
            let groups_wanted = rest.len().min(3);
            let mut groups = Vec::with_capacity(rest.len());
            self.search(rest, 0, 0, groups_wanted, &mut groups, 0.0, dev, &mut best);
        }
        best
    }

    #[allow(clippy::too_many_arguments)]
    fn search(&self, rest: &[Frag], i: usize, g: usize, wanted: usize, groups: &mut Vec<usize>, cost: f32, dev: usize, best: &mut Option<Reading>) {
        if best.as_ref().is_some_and(|b| cost >= b.cost) {
            return;
        }
        if i == rest.len() {
            if g + 1 == wanted {
                let mut total = cost + if dev > 0 { 3.0 } else { 0.0 };
                // Echo: the actual value often restates the target word for word.
                if wanted == 3 {
                    let text = |k: usize| -> String {
                        rest.iter().zip(groups.iter()).filter(|(_, gg)| **gg == k).map(|(f, _)| f.text.as_str()).collect()
                    };
                    let (t, a) = (text(1), text(2));
                    // A comparator belongs to the target: an actual value that opens with
                    // one while the target holds none is likely the target itself.
                    if starts_comparator(&a) && !t.chars().any(|c| "≥≧≤≦＞＜><".contains(c)) {
                        total += 1.5;
                    }
                    if t.chars().count() >= 2 && t == a {
                        total -= 2.0;
                    } else if t.chars().count() >= 2 && a.contains(&t) {
                        total -= 0.5;
                    }
                }
                if best.as_ref().is_none_or(|b| total < b.cost) {
                    *best = Some(Reading { cost: total, dev, groups: groups.clone() });
                }
            }
            return;
        }
        let f = &rest[i];
        let cap = self.cap(g);
        let mut c = cost;
        if cap > 0.0 && f.width > cap + 2.0 * self.em {
            c += 3.0;
        }
        groups.push(g);
        if i + 1 == rest.len() {
            self.search(rest, i + 1, g, wanted, groups, c, dev, best);
        } else {
            let next = &rest[i + 1];
            let same_line = !next.line_start;
            let full = fills(f.width, cap, self.em);
            // How close the line comes to its column's width (graded: a line one or two
            // characters short of the widest is still probably wrapped).
            let ratio = if cap > 0.0 { f.width / cap } else { 0.5 };
            // Join: next frag stays in group g.
            let join_cost = if same_line {
                4.0 + 0.2 * g as f32
            } else {
                (if full { 0.0 } else { ((1.0 - ratio) * 3.0).clamp(0.0, 1.0) })
                    + if starts_comparator(&next.text) {
                        2.0
                    } else if starts_value(&next.text) {
                        0.5
                    } else {
                        0.0
                    }
                    + if ends_sentence(&f.text) { 0.5 } else { 0.0 }
            };
            // Cut: next frag starts group g+1.
            if g + 1 < wanted {
                let cut_cost = if same_line {
                    0.0
                } else {
                    (if full { 1.5 } else { ((ratio - 0.7) * 3.0).clamp(0.0, 1.0) })
                        + if ends_open(&f.text) { 1.0 } else { 0.0 }
                        + if unit_tail(&f.text, &next.text) { 1.0 } else { 0.0 }
                };
                self.search(rest, i + 1, g + 1, wanted, groups, c + cut_cost, dev, best);
            }
            self.search(rest, i + 1, g, wanted, groups, c + join_cost, dev, best);
        }
        groups.pop();
    }

    /// Split a row: (deviation of the previous row, [name, target, actual], note when the
    /// reading was a choice among several line breaks).
    pub fn split(&self, frags: &[Frag], has_prev: bool) -> (Option<String>, Vec<Option<String>>, Option<String>) {
        let Some(r) = self.best(frags, has_prev) else { return (None, vec![], None) };
        let dev = (r.dev > 0).then(|| frags[..r.dev].iter().fold(String::new(), |s, f| join_text(&s, &f.text)));
        let mut cells: Vec<Option<String>> = vec![None; 3];
        for (f, &g) in frags[r.dev..].iter().zip(&r.groups) {
            let cur = cells[g].take().unwrap_or_default();
            cells[g] = Some(join_text(&cur, &f.text));
        }
        let line_breaks = frags.windows(2).filter(|w| w[1].line_start).count();
        let note = (line_breaks > 0 && frags.len() > 3).then(|| {
            format!(
                "{} lines read as name/target/actual{} (column widths {:.0}/{:.0}/{:.0}, cost {:.1})",
                frags.len(),
                if r.dev > 0 { format!(" after {} line(s) of the previous row's deviation note", r.dev) } else { String::new() },
                self.caps[0],
                self.caps[1],
                self.caps[2],
                r.cost
            )
        });
        (dev, cells, note)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::frag::fragments;
    use crate::text_reader;

    fn frags(s: &str) -> Vec<Frag> {
        fragments(&text_reader::read(s.as_bytes()).lines)
    }

    /// Rows shaped like 附件2 of the Hunan dump: a 20-character name column, an 8-character
    /// target column and a 16-character actual column.
    fn table() -> Vec<Vec<Frag>> {
        vec![
            frags("督促调度全省疑点数据核查整改工作 是否完成 已完成"),
            frags("离校未就业高校毕业生实名登记工作跟踪回访 100.00% 100.00%"),
            frags("社会保险参保人员资格初审、待遇核定等工作\n完成率\n100.00% 100.00%"),
            frags("农村劳动力转移就业 新增40万人 新增43.1万人"),
            frags("城镇新增就业人数 ≥70万人 79.81万人，完成率114.01%。"),
            frags("规范管理沿街可供出租门面数量 扩大社保覆盖面 18个"),
        ]
    }

    #[test]
    fn a_full_line_continues_a_short_one_ends_the_name() {
        let t = table();
        let rows: Vec<&[Frag]> = t.iter().map(|r| r.as_slice()).collect();
        let s = Solver::learn(&rows, false, 2.0);
        let (dev, cells, _) = s.split(&t[2], false);
        assert!(dev.is_none());
        assert_eq!(cells, [Some("社会保险参保人员资格初审、待遇核定等工作完成率".into()), Some("100.00%".into()), Some("100.00%".into())]);
    }

    #[test]
    fn run_on_rows_are_read_plainly_and_fast() {
        let text: String = (0..500).map(|i| format!("第{i}行文字\n")).collect();
        let f = frags(&text);
        let s = Solver { caps: [20.0, 10.0, 10.0], em: 2.0 };
        let t = std::time::Instant::now();
        let (_, cells, _) = s.split(&f, true);
        assert!(t.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(cells[0].as_deref(), Some("第0行文字"));
        assert_eq!(cells[1].as_deref(), Some("第1行文字"));
    }

    #[test]
    fn a_wide_line_cannot_sit_in_a_narrow_column() {
        let mut t = table();
        t.push(frags("推进充分就业社区（村）建设\n将更多社区\n（村）纳入当地\n建设计划\n2024年将1519个社区（村）纳入建\n设计划"));
        let rows: Vec<&[Frag]> = t.iter().map(|r| r.as_slice()).collect();
        let s = Solver::learn(&rows, false, 2.0);
        let (_, cells, _) = s.split(t.last().unwrap(), false);
        assert_eq!(cells[0].as_deref(), Some("推进充分就业社区（村）建设"));
        assert_eq!(cells[1].as_deref(), Some("将更多社区（村）纳入当地建设计划"));
        assert_eq!(cells[2].as_deref(), Some("2024年将1519个社区（村）纳入建设计划"));
    }
}

//! Label–value rows: the grammar shared by every table whose rows are a label followed by
//! numbers (经费控制情况, 预算支出情况表, 项目资金, generic budget tables).
//!
//! Steps, each its own function:
//! 1. [`assemble`]: cells → raw rows. A text cell starts a row unless it continues the
//!    label of a row that has no values yet (see [`continues_label`]); value cells attach
//!    to the open row.
//! 2. [`split_code`]: a row's numbering prefix (`一、`, `（一）`, `1、`, `1.`, `（1）`) and
//!    `其中：` come off its label.
//! 3. [`hierarchy`]: levels and parents from the numbering ranks, `其中：` groups, and —
//!    for unnumbered rows under a numbered one — the arithmetic of the sums
//!    (`children_by_arithmetic`).
//! 4. [`place_values`]: the printed values go into columns; short rows by
//!    [`crate::heuristics::column_by_arithmetic`].

use super::frag::Frag;
use crate::cell;
use crate::heuristics::column_by_arithmetic::{self as arith, Context};
use crate::heuristics::wrapped_join;
use crate::model::{Cell, Diagnostic, Row};
use regex::Regex;
use rust_decimal::Decimal;
use std::sync::LazyLock;

/// A row before columns are decided.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    /// The label as printed (wrapped lines joined), with code and 其中 still on.
    pub text: String,
    pub values: Vec<String>,
    pub first: Frag,
}

static PERCENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[-−－]?\d[\d,]*(?:\.\d+)?\s*[%％]$").unwrap());
static CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<qz>其中\s*[:：]\s*)?(?:(?P<cn>[一二三四五六七八九十]+)\s*[、.．]|(?P<pcn>[（(]\s*[一二三四五六七八九十]+\s*[）)])[、.．]?|(?P<num>\d{1,2})\s*[、．.]|(?P<pnum>[（(]\s*\d{1,2}\s*[）)]))?",
    )
    .unwrap()
});

/// Is this cell a value (amount, percentage or dash) rather than a label?
pub fn is_value(s: &str) -> bool {
    let t = s.trim();
    cell::is_blank(t) || arith::amount(t).is_some() || PERCENT.is_match(t)
}

/// Numbering rank of a code: `一、` 0, `（一）` 1, `1、` 2, `（1）` 3.
fn rank(code: &str) -> u8 {
    let paren = code.starts_with(['（', '(']);
    let chinese = code.chars().any(|c| "一二三四五六七八九十".contains(c));
    match (chinese, paren) {
        (true, false) => 0,
        (true, true) => 1,
        (false, false) => 2,
        (false, true) => 3,
    }
}

/// Split `其中：` and a numbering prefix off a label: (code, label, is_qizhong).
/// `1.5万人` is not coded: a digit right after `1.` makes it a number.
pub fn split_code(text: &str) -> (Option<String>, String, bool) {
    let t = text.trim();
    let Some(m) = CODE.captures(t) else { return (None, t.to_string(), false) };
    let qz = m.name("qz").is_some();
    let end = m.get(0).map_or(0, |g| g.end());
    let code = ["cn", "pcn", "num", "pnum"]
        .iter()
        .find_map(|n| m.name(n))
        .map(|c| c.as_str().split_whitespace().collect::<String>());
    if m.name("num").is_some() && t[end..].starts_with(|c: char| c.is_ascii_digit()) {
        let rest = if qz { &t[m.name("qz").map_or(0, |g| g.end())..] } else { t };
        return (None, rest.trim().trim_end_matches(['：', ':']).to_string(), qz);
    }
    let label = t[end..].trim().trim_end_matches(['：', ':']).trim().to_string();
    (code, label, qz)
}

/// Does text cell `f` continue the label of the open row `row` (which has no values yet)?
/// In a block-marked layout wrapped lines were already joined, so a new text cell is a new
/// row; otherwise a line continues when it opens with a parenthesis, or when the label's
/// last line filled the widest label seen (`label_cap`) and the new line has no code.
pub fn continues_label(row: &RawRow, last: &Frag, f: &Frag, marked: bool, label_cap: f32, em: f32) -> bool {
    if marked || !f.line_start || row.text.is_empty() {
        return false;
    }
    // A numbered line or a 其中 line starts a row.
    let (code, _, qz) = split_code(&f.text);
    if code.is_some() || qz {
        return false;
    }
    // A parenthetical qualifier (`（省级专用）`) or a one- or two-character tail continues
    // the label, whatever its indentation.
    if f.text.starts_with(['（', '(']) && (!row.text.ends_with(['）', ')']) || f.text.chars().count() <= 8) {
        return true;
    }
    if f.text.chars().count() <= 2 && !is_value(&f.text) {
        return true;
    }
    // A template row label (年度资金总额, 上年结转资金 …) always starts a row, and so does a
    // line indented past the label's first line.
    if is_template_row(&f.text) || f.x0 > row.first.x0 + em * 0.9 {
        return false;
    }
    wrapped_join::fills(last.tail_width, label_cap, em)
}

/// Row labels of the national templates' funds blocks, which always start a row.
pub const TEMPLATE_ROWS: &[&str] =
    &["年度资金总额", "当年财政拨款", "上年结转资金", "其他资金", "财政拨款", "其他资金来源", "上年结余"];

fn is_template_row(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_start_matches("其中：").trim_start_matches("其中:");
    TEMPLATE_ROWS.contains(&t.trim_end_matches(['：', ':']))
}

/// Step 1: cells → raw rows. `stop` ends the table (returns the index of the cell that
/// stopped it).
pub fn assemble(cells: &[Frag], marked: bool, em: f32, stop: impl Fn(&Frag) -> bool) -> (Vec<RawRow>, usize, usize) {
    let label_cap = cells
        .iter()
        .filter(|f| !is_value(&f.text) && f.line_start)
        .map(|f| f.width)
        .fold(0.0f32, f32::max);
    let mut rows: Vec<RawRow> = Vec::new();
    let mut joins = 0;
    let mut last_label: Option<Frag> = None;
    let mut i = 0;
    while i < cells.len() {
        let f = &cells[i];
        if stop(f) {
            break;
        }
        if is_value(&f.text) {
            match rows.last_mut() {
                Some(r) => r.values.push(f.text.clone()),
                None => rows.push(RawRow { text: String::new(), values: vec![f.text.clone()], first: f.clone() }),
            }
        } else {
            let cont = match (rows.last(), &last_label) {
                (Some(r), Some(l)) if r.values.is_empty() => continues_label(r, l, f, marked, label_cap, em),
                _ => false,
            };
            if cont {
                let r = rows.last_mut().expect("checked");
                r.text = wrapped_join::join_text(&r.text, &f.text);
                joins += 1;
            } else {
                rows.push(RawRow { text: f.text.clone(), values: Vec::new(), first: f.clone() });
            }
            last_label = Some(f.clone());
        }
        i += 1;
    }
    (rows, i, joins)
}

/// A row with its code split off and its values parsed.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub code: Option<String>,
    pub label: String,
    pub qizhong: bool,
    pub raw: RawRow,
}

/// Step 2 on every raw row: code and `其中` split off the labels.
pub fn parse_all(raw: Vec<RawRow>) -> Vec<Parsed> {
    raw.into_iter()
        .map(|r| {
            let (code, label, qizhong) = split_code(&r.text);
            Parsed { code, label, qizhong, raw: r }
        })
        .collect()
}

/// Step 3: levels and parents. `amounts(i)` gives row i's values per column once placed
/// (used for the arithmetic of unnumbered rows); `ncols` columns.
pub fn hierarchy(rows: &[Parsed], full: &[Vec<Option<Decimal>>], diags: &mut Vec<Diagnostic>) -> Vec<(u32, Option<usize>)> {
    #[derive(Clone, Copy)]
    struct Frame {
        rank: i16,
        idx: usize,
        level: u32,
    }
    const QZ: i16 = 100;
    let mut out: Vec<(u32, Option<usize>)> = Vec::with_capacity(rows.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let r = &rows[i];
        if r.qizhong {
            // 其中：X is a child of the row above it (or of that row's parent when the row
            // above is itself in a 其中 group).
            let (level, parent) = match stack.last() {
                Some(f) if f.rank == QZ => (f.level, out[f.idx].1),
                _ => match i.checked_sub(1) {
                    Some(p) => (out[p].0 + 1, Some(p)),
                    None => (0, None),
                },
            };
            while stack.last().is_some_and(|f| f.rank == QZ) {
                stack.pop();
            }
            stack.push(Frame { rank: QZ, idx: i, level });
            out.push((level, parent));
            i += 1;
            continue;
        }
        if let Some(code) = &r.code {
            let rk = rank(code) as i16;
            while stack.last().is_some_and(|f| f.rank >= rk) {
                stack.pop();
            }
            let (level, parent) = match stack.last() {
                Some(f) => (f.level + 1, Some(f.idx)),
                None => (0, None),
            };
            stack.push(Frame { rank: rk, idx: i, level });
            out.push((level, parent));
            i += 1;
            continue;
        }
        // Unnumbered row.
        if let Some(f) = stack.last().copied() {
            if f.rank == QZ {
                // Continues the 其中 group unless it exceeds the group's parent.
                let parent = out[f.idx].1;
                let exceeds = parent.is_some_and(|p| exceeds_row(&full[i], &full[p]));
                if !exceeds {
                    out.push((f.level, parent));
                    i += 1;
                    continue;
                }
            } else if f.rank >= 0 && rows[f.idx].code.is_some() && f.idx + 1 == i {
                // A run of unnumbered rows right under a numbered row: its children when
                // the run adds up to it in some column.
                let mut j = i;
                while j < rows.len() && rows[j].code.is_none() && !rows[j].qizhong {
                    j += 1;
                }
                if let Some(col) = sums_to(&full[i..j], &full[f.idx]) {
                    diags.push(Diagnostic::info(
                        "children_by_arithmetic",
                        format!(
                            "rows {}–{} (unnumbered) placed under “{}”: they add up to it in column {}",
                            rows[i].label,
                            rows[j - 1].label,
                            rows[f.idx].label,
                            col + 1
                        ),
                        Some(rows[i].raw.first.position()),
                    ));
                    for _ in i..j {
                        out.push((f.level + 1, Some(f.idx)));
                    }
                    i = j;
                    continue;
                }
            }
        }
        stack.clear();
        stack.push(Frame { rank: -1, idx: i, level: 0 });
        out.push((0, None));
        i += 1;
    }
    out
}

fn exceeds_row(child: &[Option<Decimal>], parent: &[Option<Decimal>]) -> bool {
    child.iter().zip(parent).any(|(c, p)| match (c, p) {
        (Some(c), Some(p)) => *c > *p + arith::half_ulp(*p) && *c > Decimal::ZERO,
        (Some(c), None) => !c.is_zero(),
        _ => false,
    })
}

/// The first column in which `rows` add up exactly (to printed precision) to `parent`,
/// with at least two rows contributing.
fn sums_to(rows: &[Vec<Option<Decimal>>], parent: &[Option<Decimal>]) -> Option<usize> {
    for (c, p) in parent.iter().enumerate() {
        let Some(p) = p else { continue };
        let vals: Vec<Decimal> = rows.iter().filter_map(|r| r.get(c).copied().flatten()).collect();
        if vals.len() < 2 {
            continue;
        }
        let sum: Decimal = vals.iter().sum();
        let tol: Decimal = vals.iter().map(|v| arith::half_ulp(*v)).sum::<Decimal>() + arith::half_ulp(*p);
        if (sum - *p).abs() <= tol {
            return Some(c);
        }
    }
    None
}

/// Step 4: place a row's printed values into `ncols` columns. Percentages go to the rate
/// columns (`rate_cols`), amounts to the others; a short row is placed by arithmetic.
/// Returns the cells and, when arithmetic decided, a diagnostic message.
pub fn place_values(
    values: &[String],
    ncols: usize,
    rate_cols: &[usize],
    amount_cols: &[usize],
    ctx: &Context,
) -> (Vec<Option<Cell>>, Option<String>) {
    let mut cells: Vec<Option<Cell>> = vec![None; ncols];
    if values.len() == ncols {
        for (c, v) in values.iter().enumerate() {
            cells[c] = cell::parse(v);
        }
        return (cells, None);
    }
    let rates: Vec<&String> = values.iter().filter(|v| PERCENT.is_match(v.trim())).collect();
    let amounts: Vec<&String> = values.iter().filter(|v| !PERCENT.is_match(v.trim())).collect();
    let mut note = None;
    // Rates: in order into the rate columns, rightmost first when fewer.
    if !rates.is_empty() && !rate_cols.is_empty() {
        let off = rate_cols.len().saturating_sub(rates.len());
        for (k, v) in rates.iter().enumerate() {
            if let Some(&c) = rate_cols.get(off + k) {
                cells[c] = cell::parse(v);
            }
        }
    }
    let nums: Vec<Decimal> = amounts.iter().filter_map(|v| arith::amount(v)).collect();
    if nums.len() == amounts.len() {
        let mut ctx = ctx.clone();
        if let (Some((b, e, _)), Some(r)) = (ctx.rate, rates.first()) {
            let pct: String = r.trim().trim_end_matches(['%', '％']).replace(',', "");
            ctx.rate = pct.parse().ok().map(|p| (b, e, p));
        } else {
            ctx.rate = None;
        }
        if let Some(p) = arith::place(&nums, amount_cols, &ctx) {
            for (v, c) in amounts.iter().zip(&p.columns) {
                cells[*c] = cell::parse(v);
            }
            if p.by_arithmetic {
                note = Some(format!(
                    "{} value(s) for {} column(s): placed in columns {:?} because they fit the table's sums/rates",
                    amounts.len(),
                    amount_cols.len(),
                    p.columns.iter().map(|c| c + 1).collect::<Vec<_>>()
                ));
            }
            return (cells, note);
        }
    }
    // Fallback: left to right over the amount columns, dashes included.
    let mut it = amounts.iter();
    for &c in amount_cols {
        if let Some(v) = it.next() {
            cells[c] = cell::parse(v);
        }
    }
    (cells, note)
}

/// Two passes: provisional placement → hierarchy → placement with the parents' arithmetic.
pub fn place_and_nest(
    parsed: &[Parsed],
    cols: &[crate::model::Column],
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Vec<Option<Cell>>>, Vec<(u32, Option<usize>)>) {
    let n = cols.len();
    let rate_cols: Vec<usize> = cols
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.key.as_deref(), Some("progress" | "execution_rate" | "control_rate")))
        .map(|(i, _)| i)
        .collect();
    let amount_cols: Vec<usize> = (0..n).filter(|c| !rate_cols.contains(c)).collect();
    let budget = cols.iter().position(|c| matches!(c.key.as_deref(), Some("adjusted_budget"))).or_else(|| {
        cols.iter().position(|c| matches!(c.key.as_deref(), Some("budget" | "initial_budget" | "full_year_budget")))
    });
    let exec = cols.iter().position(|c| c.key.as_deref() == Some("executed"));
    let amounts_of = |cells: &[Option<Cell>]| -> Vec<Option<Decimal>> {
        cells.iter().map(|c| c.as_ref().and_then(|c| arith::amount(&c.text))).collect()
    };
    let rate_ctx = |_: usize| Context { remaining: vec![None; n], rate: budget.zip(exec).map(|(b, e)| (b, e, Decimal::ZERO)) };
    // Pass 1.
    let first: Vec<Vec<Option<Cell>>> = parsed
        .iter()
        .enumerate()
        .map(|(k, p)| place_values(&p.raw.values, n, &rate_cols, &amount_cols, &rate_ctx(k)).0)
        .collect();
    let amounts: Vec<Vec<Option<Decimal>>> = first.iter().map(|c| amounts_of(c)).collect();
    let levels = hierarchy(parsed, &amounts, diags);
    // Pass 2: short rows again, now knowing their parent and earlier siblings.
    let mut placed = Vec::with_capacity(parsed.len());
    let mut done: Vec<Vec<Option<Decimal>>> = Vec::with_capacity(parsed.len());
    for (k, p) in parsed.iter().enumerate() {
        let mut ctx = rate_ctx(k);
        if let Some(par) = levels[k].1 {
            // What the parent lacks: its value less every sibling already placed, and less
            // the later siblings whose columns are certain (they print every column).
            for c in 0..n {
                let before: Decimal = (par + 1..k).filter(|&s| levels[s].1 == Some(par)).filter_map(|s| done[s][c]).sum();
                let after: Decimal = (k + 1..parsed.len())
                    .filter(|&s| levels[s].1 == Some(par) && parsed[s].raw.values.len() == n)
                    .filter_map(|s| amounts[s][c])
                    .sum();
                ctx.remaining[c] = amounts[par][c].map(|v| v - before - after);
            }
        }
        let (cells, note) = place_values(&p.raw.values, n, &rate_cols, &amount_cols, &ctx);
        if let Some(note) = note {
            diags.push(Diagnostic::info("column_assigned_by_arithmetic", format!("row “{}”: {note}", p.label), Some(p.raw.first.position())));
        }
        done.push(amounts_of(&cells));
        placed.push(cells);
    }
    (placed, levels)
}

/// Build schema rows from parsed rows and their placed cells.
pub fn to_rows(parsed: &[Parsed], cells: Vec<Vec<Option<Cell>>>, levels: &[(u32, Option<usize>)]) -> Vec<Row> {
    parsed
        .iter()
        .zip(cells)
        .zip(levels)
        .map(|((p, cells), (level, parent))| Row {
            code: p.code.clone(),
            label: p.label.clone(),
            level: *level,
            parent: *parent,
            cells,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(split_code("一、期初余额"), (Some("一".into()), "期初余额".into(), false));
        assert_eq!(split_code("（一）收入小计"), (Some("（一）".into()), "收入小计".into(), false));
        assert_eq!(split_code("1.基本养老保险费收入"), (Some("1".into()), "基本养老保险费收入".into(), false));
        assert_eq!(split_code("1、公务用车购置和维护经费"), (Some("1".into()), "公务用车购置和维护经费".into(), false));
        assert_eq!(split_code("其中：公车购置"), (None, "公车购置".into(), true));
        assert_eq!(split_code("项目支出："), (None, "项目支出".into(), false));
        assert_eq!(split_code("2022年长株潭一体化发展资金"), (None, "2022年长株潭一体化发展资金".into(), false));
    }

    #[test]
    fn values() {
        assert!(is_value("1,581.02"));
        assert!(is_value("98.32%"));
        assert!(is_value("——"));
        assert!(is_value("-"));
        assert!(is_value("/"));
        assert!(!is_value("三公经费"));
    }

    fn parsed(labels: &[&str]) -> Vec<Parsed> {
        labels
            .iter()
            .map(|l| {
                let (code, label, qizhong) = split_code(l);
                let f = crate::grammar::frag::fragments(&crate::text_reader::read(l.as_bytes()).lines).remove(0);
                Parsed { code, label, qizhong, raw: RawRow { text: l.to_string(), values: vec![], first: f } }
            })
            .collect()
    }

    fn d(s: &str) -> Option<Decimal> {
        s.parse().ok()
    }

    #[test]
    fn hierarchy_of_a_budget_execution_table() {
        let p = parsed(&["一、期初余额", "二、收入合计", "（一）收入小计", "1.基本养老保险费收入", "（二）上级补助收入", "其中：中央调剂资金收入", "（三）下级上解收入", "三、支出合计"]);
        let full = vec![vec![None]; p.len()];
        let h = hierarchy(&p, &full, &mut vec![]);
        assert_eq!(h, [(0, None), (0, None), (1, Some(1)), (2, Some(2)), (1, Some(1)), (2, Some(4)), (1, Some(1)), (0, None)]);
    }

    #[test]
    fn unnumbered_rows_under_a_numbered_row_by_their_sum() {
        let p = parsed(&["项目支出", "3、省级专项资金", "就业补助专项", "长株潭资金", "4、其他事业发展资金", "公用经费", "其中：办公经费", "水费", "政府采购金额"]);
        let full = vec![
            vec![d("100")],
            vec![d("2387.28")],
            vec![d("2291.87")],
            vec![d("95.41")],
            vec![d("5")],
            vec![d("2582.00")],
            vec![d("65.25")],
            vec![d("569.78")],
            vec![d("3277.43")],
        ];
        let mut diags = vec![];
        let h = hierarchy(&p, &full, &mut diags);
        assert_eq!(h[2], (2, Some(1)));
        assert_eq!(h[3], (2, Some(1)));
        assert_eq!(h[4], (1, Some(0)));
        assert_eq!(h[5], (0, None));
        assert_eq!(h[6], (1, Some(5)));
        assert_eq!(h[7], (1, Some(5)));
        assert_eq!(h[8], (0, None));
        assert_eq!(diags.len(), 1);
    }
}

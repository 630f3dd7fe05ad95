//! Arithmetic checks and consistency diagnostics (the last step of the pipeline).
//!
//! [`annex`] records every arithmetic relation an annex's own tables imply as a
//! [`Check`] (SPEC "Check and Diagnostic") and adds a warning [`Diagnostic`] for each one
//! that fails. [`document`] compares the annexes with each other (title years, dated
//! column headers) and reports annexes without a title.
//!
//! ## Rules (`Check::rule`) and the diagnostic a failure raises
//!
//! | rule | relation | failure code |
//! |---|---|---|
//! | `sum_of_children` | a parent row = the sum of its child rows, per additive column | `sum_mismatch` |
//! | `part_within_whole` | an "of which" (其中) group: the sum of the parts ≤ the parent | `sum_mismatch` |
//! | `execution_rate` | 执行率 = 执行数 / 预算数 × 100 (the budget column the table uses is found from the numbers) | `rate_mismatch` |
//! | `progress_rate` | 预算执行进度(%) = 执行数 / 预算数 × 100, likewise | `rate_mismatch` |
//! | `control_rate` | 控制率 = 实际 / 编制 × 100 (staffing; 规模 / 投资概算控制率 in building_control) | `rate_mismatch` |
//! | `score_within_weight` | 得分 ≤ 分值, for every indicator and for the funds row | `score_exceeds_weight` |
//! | `funds_score` | funds 得分 = 分值 × 执行率, capped at 分值 | `rate_mismatch` |
//! | `total_score` | 总分 得分 = sum of the indicator scores (+ the funds score) | `total_mismatch` |
//! | `total_weight` | 总分 分值 = sum of the indicator weights (+ the funds weight) | `total_mismatch` |
//! | `level1_weight` | a level-1 weight `(50分)` = sum of its indicators' weights | `total_mismatch` |
//! | `closing_balance` | 期末滚存结余 = 期初余额 + 收入合计 − 支出合计, per column | `sum_mismatch` |
//! | `period_balance` | 当期收支结余 = 收入合计 − 支出合计, per column | `sum_mismatch` |
//!
//! Not arithmetic, so diagnostics only: `duplicate_row_code` (two sibling rows with one
//! numbering prefix), `duplicate_indicator` (one indicator name twice in an annex),
//! `title_year_mismatch`, `missing_title`.
//!
//! ## Tolerance
//! Printed numbers are rounded: a term printed `12.56` stands for anything in
//! `12.555..12.565`. A relation holds when the two sides differ by no more than half a
//! unit of the last printed digit of each term, summed over the terms (for a ratio, the
//! same bounds propagated through the division). Scores and weights are *assigned*, not
//! rounded measurements: sums of them (`total_score`, `total_weight`, `level1_weight`)
//! must hold exactly, up to the rounding of the printed total when it has fewer decimals
//! than its terms.
//!
//! ## "Of which" rows
//! A `其中：` row is a child of the row above it, but its parts need not exhaust the parent
//! (公用经费 其中 办公经费, 水费电费差旅费, 会议费培训费). The model does not keep the `其中`,
//! so a group of *unnumbered* children is read as an "of which" group (checked with
//! `part_within_whole`) when its sum falls short of the parent in some column and exceeds
//! it in none; otherwise as a full breakdown (`sum_of_children`). A group with a numbered
//! child is always a full breakdown.
//!
//! `where` names the place as `table/row label/column key` (`expense_control/三公经费/final_2023`),
//! `indicators/name/score`, `total/score`, `indicators/level1/weight`.
//!
//! Nothing here panics: all arithmetic is checked, and a relation whose terms cannot be
//! computed is skipped.

use crate::model::{Annex, Cell, Check, Diagnostic, Indicator, Kind, Table};
use rust_decimal::Decimal;
use std::collections::HashMap;

// ---------------------------------------------------------------------------------------
// Document level
// ---------------------------------------------------------------------------------------

/// Document-level diagnostics: a title year that disagrees with the report's year, dated
/// column headers that disagree with their annex's year, and annexes without a title.
///
/// The report's year is the year most annex titles carry (ties: the later year). Annexes
/// without a year of their own take it.
pub fn document(annexes: &mut [Annex], _diags: &mut [Diagnostic]) {
    let mut count: HashMap<i32, usize> = HashMap::new();
    for a in annexes.iter() {
        if let Some(y) = a.title.as_deref().and_then(first_year) {
            *count.entry(y).or_default() += 1;
        }
    }
    let doc_year = count.iter().max_by_key(|(y, n)| (**n, **y)).map(|(y, _)| *y);
    for a in annexes.iter_mut() {
        let label = annex_name(a);
        if a.title.is_none() && a.id.is_some() {
            a.diagnostics.push(Diagnostic::warning(
                "missing_title",
                format!("{label} has no title line; its kind was decided from its structure"),
                None,
            ));
        }
        if a.year.is_none() {
            a.year = doc_year;
        }
        let title_year = a.title.as_deref().and_then(first_year);
        if let (Some(y), Some(d), Some(t)) = (title_year, doc_year, &a.title) {
            if y != d {
                a.diagnostics.push(Diagnostic::warning(
                    "title_year_mismatch",
                    format!("{label}: title “{t}” says {y}, the rest of the document reports {d}"),
                    None,
                ));
            }
        }
        // Dated column headers: at least one must carry the annex's year (附件1 mixes
        // 2023年决算数 with 2024年预算数 on purpose; 附件14's 2023年年初预算数 in a 2024 table
        // does not).
        let Some(year) = title_year.or(a.year) else { continue };
        let mut found: Vec<String> = Vec::new();
        for t in &a.tables {
            let dated: Vec<(i32, &str)> =
                t.columns.iter().filter_map(|c| first_year(&c.label).map(|y| (y, c.label.as_str()))).collect();
            if !dated.is_empty() && dated.iter().all(|(y, _)| *y != year) {
                let heads: Vec<&str> = dated.iter().map(|(_, l)| *l).collect();
                found.push(format!(
                    "{label}: table {} has dated column headers ({}) but none of {year}, the annex's year",
                    t.name,
                    heads.join("、")
                ));
            }
        }
        for m in found {
            a.diagnostics.push(Diagnostic::warning("title_year_mismatch", m, None));
        }
    }
}

/// The first plausible year (`19xx`/`20xx` followed by 年) in a text.
fn first_year(s: &str) -> Option<i32> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i + 4 <= chars.len() {
        if chars[i..i + 4].iter().all(|c| c.is_ascii_digit()) {
            let before_digit = i > 0 && chars[i - 1].is_ascii_digit();
            let after = chars.get(i + 4).copied();
            if !before_digit && after.map(|c| c == '年').unwrap_or(false) {
                let y: String = chars[i..i + 4].iter().collect();
                if let Ok(y) = y.parse::<i32>() {
                    if (1900..2100).contains(&y) {
                        return Some(y);
                    }
                }
            }
        }
        i += 1;
    }
    None
}

fn annex_name(a: &Annex) -> String {
    a.label.clone().or_else(|| a.id.clone()).unwrap_or_else(|| "(annex without marker)".to_string())
}

// ---------------------------------------------------------------------------------------
// Annex level
// ---------------------------------------------------------------------------------------

/// Collects checks and the diagnostics their failures raise.
struct Sink {
    label: String,
    checks: Vec<Check>,
    diags: Vec<Diagnostic>,
}

impl Sink {
    #[allow(clippy::too_many_arguments)]
    fn record(&mut self, rule: &str, at: String, expected: String, computed: String, ok: bool, code: &str, why: impl FnOnce() -> String) {
        if !ok {
            self.diags.push(Diagnostic::warning(code, format!("{}: {}", self.label, why()), None));
        }
        self.checks.push(Check { rule: rule.to_string(), at, expected, computed, ok });
    }
}

/// Per-annex checks: every arithmetic relation of the annex's tables, indicators and total.
pub fn annex(a: &mut Annex) {
    let mut sink = Sink { label: annex_name(a), checks: Vec::new(), diags: Vec::new() };
    for t in &a.tables {
        sums(t, &mut sink);
        rates(t, &mut sink);
        if a.kind == Kind::BudgetExecution || t.name == "budget_execution" {
            balances(t, &mut sink);
        }
        funds_row(t, &mut sink);
        duplicate_codes(t, &mut sink);
    }
    indicators(a, &mut sink);
    a.checks.extend(sink.checks);
    a.diagnostics.extend(sink.diags);
}

// --- numbers and tolerance ---------------------------------------------------------------

/// The cell's exact value: its number when it states one without a comparator.
fn val(c: &Option<Cell>) -> Option<Decimal> {
    let c = c.as_ref()?;
    match c.cmp.as_deref() {
        None | Some("=") => c.number,
        _ => None,
    }
}

/// Half a unit of the last printed digit: `12.56` → `0.005`, `100` → `0.5`.
fn half_unit(d: Decimal) -> Decimal {
    let scale = d.scale().min(27);
    Decimal::new(5, scale + 1)
}

/// A decimal as text, trailing zeros kept as computed.
fn show(d: Decimal) -> String {
    d.to_string()
}

/// A computed value rounded for display next to a printed one of scale `printed`.
fn show_like(d: Decimal, printed: Decimal) -> String {
    d.round_dp(printed.scale().max(2)).to_string()
}

fn cell_at(t: &Table, row: usize, col: usize) -> Option<Decimal> {
    t.rows.get(row).and_then(|r| r.cells.get(col)).and_then(val)
}

fn col_name(t: &Table, col: usize) -> String {
    match t.columns.get(col) {
        Some(c) => c.key.clone().unwrap_or_else(|| c.label.clone()),
        None => format!("col{col}"),
    }
}

fn row_name(t: &Table, row: usize) -> String {
    match t.rows.get(row) {
        Some(r) if !r.label.is_empty() => r.label.clone(),
        Some(r) => r.code.clone().unwrap_or_else(|| format!("row{row}")),
        None => format!("row{row}"),
    }
}

fn place(t: &Table, row: usize, col: usize) -> String {
    format!("{}/{}/{}", t.name, row_name(t, row), col_name(t, col))
}

/// Does a column hold amounts that add up (not rates, scores, weights or percentages)?
fn additive(t: &Table, col: usize) -> bool {
    let Some(c) = t.columns.get(col) else { return false };
    if let Some(k) = c.key.as_deref() {
        if matches!(k, "execution_rate" | "progress" | "control_rate" | "weight" | "score") {
            return false;
        }
    }
    let l = &c.label;
    if ["率", "进度", "%", "％", "分值", "得分", "编码", "代码", "科目", "序号"].iter().any(|w| l.contains(w)) {
        return false;
    }
    // A column whose numbers are percentages does not add up either.
    !t.rows.iter().any(|r| r.cells.get(col).and_then(|c| c.as_ref()).and_then(|c| c.unit.as_deref()) == Some("%"))
}

// --- parent = sum of children --------------------------------------------------------------

fn sums(t: &Table, sink: &mut Sink) {
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); t.rows.len()];
    for (i, r) in t.rows.iter().enumerate() {
        if let Some(p) = r.parent {
            if p < t.rows.len() && p != i {
                kids[p].push(i);
            }
        }
    }
    let cols: Vec<usize> = (0..t.columns.len()).filter(|&c| additive(t, c)).collect();
    for (p, ks) in kids.iter().enumerate() {
        if ks.is_empty() {
            continue;
        }
        // Per column: (column, parent value, sum of the children, tolerance); only where the
        // parent and at least one child state a number.
        let mut rel: Vec<(usize, Decimal, Decimal, Decimal)> = Vec::new();
        for &c in &cols {
            let Some(pv) = cell_at(t, p, c) else { continue };
            let vals: Vec<Decimal> = ks.iter().filter_map(|&k| cell_at(t, k, c)).collect();
            if vals.is_empty() {
                continue;
            }
            let mut sum = Decimal::ZERO;
            let mut tol = half_unit(pv);
            let mut overflow = false;
            for v in &vals {
                match (sum.checked_add(*v), tol.checked_add(half_unit(*v))) {
                    (Some(s), Some(t)) => {
                        sum = s;
                        tol = t;
                    }
                    _ => overflow = true,
                }
            }
            if !overflow {
                rel.push((c, pv, sum, tol));
            }
        }
        if rel.is_empty() {
            continue;
        }
        let equal = |(_, pv, s, tol): &(usize, Decimal, Decimal, Decimal)| (*pv - *s).abs() <= *tol;
        let numbered = ks.iter().any(|&k| t.rows[k].code.is_some());
        // Unnumbered parts that never exceed the whole and fall short somewhere: "of which".
        // Parts that exceed the whole fit neither reading and are checked as a breakdown.
        let within = |(_, pv, s, tol): &(usize, Decimal, Decimal, Decimal)| *s <= *pv + *tol;
        let of_which = !numbered && !rel.iter().all(equal) && rel.iter().all(within);
        for (c, pv, s, tol) in rel {
            let at = place(t, p, c);
            let parent = row_name(t, p);
            let col = col_name(t, c);
            if of_which {
                let ok = s <= pv + tol;
                sink.record("part_within_whole", at, format!("<= {}", show(pv)), show(s), ok, "sum_mismatch", || {
                    format!("{}: the parts of “{parent}” add up to {s}, more than its {col} {pv}", t.name)
                });
            } else {
                let ok = (pv - s).abs() <= tol;
                sink.record("sum_of_children", at, show(pv), show(s), ok, "sum_mismatch", || {
                    format!("{}: “{parent}” {col} is {pv} but its rows add up to {s}", t.name)
                });
            }
        }
    }
}

// --- rates ---------------------------------------------------------------------------------

/// `100 × num / den` and its tolerance from the rounding of `num`, `den` and the printed rate.
fn ratio(num: Decimal, den: Decimal, printed: Decimal) -> Option<(Decimal, Decimal)> {
    if den.is_zero() {
        return None;
    }
    let hundred = Decimal::ONE_HUNDRED;
    let r = hundred.checked_mul(num)?.checked_div(den)?;
    let (dn, dd) = (half_unit(num), half_unit(den));
    // d(100 n / d) ≈ 100 (dn / |d| + |n| dd / d²), plus the printed rate's own rounding.
    let t1 = hundred.checked_mul(dn)?.checked_div(den.abs())?;
    let t2 = hundred.checked_mul(num.abs())?.checked_mul(dd)?.checked_div(den.checked_mul(den)?)?;
    // When the denominator is within its own rounding of zero the ratio is unbounded.
    if den.abs() <= dd {
        return None;
    }
    Some((r, t1.checked_add(t2)?.checked_add(half_unit(printed))?))
}

fn find_col(t: &Table, key: &str) -> Option<usize> {
    t.columns.iter().position(|c| c.key.as_deref() == Some(key))
}

fn find_label(t: &Table, words: &[&str]) -> Option<usize> {
    t.columns.iter().position(|c| words.iter().all(|w| c.label.contains(w)))
}

/// The budget-like columns of a table, in order of preference when the numbers cannot tell.
fn budget_cols(t: &Table) -> Vec<usize> {
    let mut out = Vec::new();
    for k in ["full_year_budget", "adjusted_budget", "budget", "initial_budget"] {
        if let Some(c) = find_col(t, k) {
            out.push(c);
        }
    }
    for (i, c) in t.columns.iter().enumerate() {
        let k = c.key.as_deref().unwrap_or("");
        if !out.contains(&i) && (k.contains("budget") || (c.key.is_none() && c.label.contains("预算数"))) {
            out.push(i);
        }
    }
    out
}

/// Check a rate column `rate` = `num` / one of `dens` × 100, choosing the denominator most
/// rows agree with (ties: the first in `dens`).
fn rate_column(t: &Table, rate: usize, num: usize, dens: &[usize], rule: &str, sink: &mut Sink) {
    if dens.is_empty() {
        return;
    }
    let mut best = dens[0];
    let mut best_n = 0usize;
    for &d in dens {
        let n = (0..t.rows.len())
            .filter(|&r| {
                match (cell_at(t, r, rate), cell_at(t, r, num), cell_at(t, r, d)) {
                    (Some(p), Some(n), Some(dv)) => ratio(n, dv, p).map(|(v, tol)| (v - p).abs() <= tol).unwrap_or(false),
                    _ => false,
                }
            })
            .count();
        if n > best_n {
            best = d;
            best_n = n;
        }
    }
    let (num_name, den_name, rate_name) = (col_name(t, num), col_name(t, best), col_name(t, rate));
    for r in 0..t.rows.len() {
        let (Some(p), Some(n), Some(dv)) = (cell_at(t, r, rate), cell_at(t, r, num), cell_at(t, r, best)) else { continue };
        let Some((v, tol)) = ratio(n, dv, p) else { continue };
        let ok = (v - p).abs() <= tol;
        let row = row_name(t, r);
        sink.record(rule, place(t, r, rate), show(p), show_like(v, p), ok, "rate_mismatch", || {
            format!(
                "{}: “{row}” {rate_name} is printed {p} but {num_name} {n} / {den_name} {dv} gives {}",
                t.name,
                show_like(v, p)
            )
        });
    }
}

fn rates(t: &Table, sink: &mut Sink) {
    let executed = find_col(t, "executed");
    if let Some(num) = executed {
        let dens = budget_cols(t);
        if let Some(rate) = find_col(t, "execution_rate") {
            rate_column(t, rate, num, &dens, "execution_rate", sink);
        }
        if let Some(rate) = find_col(t, "progress") {
            rate_column(t, rate, num, &dens, "progress_rate", sink);
        }
    }
    if let (Some(rate), Some(num), Some(den)) = (find_col(t, "control_rate"), find_col(t, "actual"), find_col(t, "authorized")) {
        rate_column(t, rate, num, &[den], "control_rate", sink);
    }
    // building_control: 规模控制率 = 实际规模 / 批复规模, 投资概算控制率 = 实际投资 / 预算投资.
    if let (Some(rate), Some(num), Some(den)) =
        (find_label(t, &["规模控制率"]), find_label(t, &["实际规模"]), find_label(t, &["批复规模"]))
    {
        rate_column(t, rate, num, &[den], "control_rate", sink);
    }
    if let (Some(rate), Some(num), Some(den)) =
        (find_label(t, &["投资", "控制率"]), find_label(t, &["实际投资"]), find_label(t, &["预算投资"]))
    {
        rate_column(t, rate, num, &[den], "control_rate", sink);
    }
}

// --- budget_execution balances -----------------------------------------------------------------

fn find_row(t: &Table, pred: impl Fn(&str) -> bool) -> Option<usize> {
    // Prefer top-level rows; fall back to any row.
    t.rows.iter().position(|r| r.level == 0 && pred(&r.label)).or_else(|| t.rows.iter().position(|r| pred(&r.label)))
}

fn balances(t: &Table, sink: &mut Sink) {
    let opening = find_row(t, |l| l.contains("期初") || l.contains("年初滚存") || l.contains("上年结余"));
    let income = find_row(t, |l| l.contains("收入合计"));
    let expense = find_row(t, |l| l.contains("支出合计"));
    let period = find_row(t, |l| l.contains("收支结余"));
    let closing = find_row(t, |l| l.contains("期末") || l.contains("年末滚存") || (l.contains("滚存结余") && !l.contains("年初")));
    let cols: Vec<usize> = (0..t.columns.len()).filter(|&c| additive(t, c)).collect();
    // (result row, [(term row, sign)], rule)
    let mut relations: Vec<(usize, Vec<(usize, i32)>, &str)> = Vec::new();
    if let (Some(c), Some(o), Some(i), Some(e)) = (closing, opening, income, expense) {
        if c != o {
            relations.push((c, vec![(o, 1), (i, 1), (e, -1)], "closing_balance"));
        }
    }
    if let (Some(p), Some(i), Some(e)) = (period, income, expense) {
        if Some(p) != closing {
            relations.push((p, vec![(i, 1), (e, -1)], "period_balance"));
        }
    }
    for (res, terms, rule) in relations {
        for &c in &cols {
            let Some(rv) = cell_at(t, res, c) else { continue };
            // Every term must be stated, or be empty while the others are not (an empty
            // 支出合计 is zero); at least one term must state a number.
            let vals: Vec<(Option<Decimal>, i32)> = terms.iter().map(|&(r, s)| (cell_at(t, r, c), s)).collect();
            if vals.iter().all(|(v, _)| v.is_none()) {
                continue;
            }
            let mut sum = Decimal::ZERO;
            let mut tol = half_unit(rv);
            let mut fail = false;
            for (v, s) in &vals {
                let Some(v) = v else { continue };
                let term = if *s < 0 { -*v } else { *v };
                match (sum.checked_add(term), tol.checked_add(half_unit(*v))) {
                    (Some(a), Some(b)) => {
                        sum = a;
                        tol = b;
                    }
                    _ => fail = true,
                }
            }
            if fail {
                continue;
            }
            let ok = (rv - sum).abs() <= tol;
            let formula: Vec<String> = terms
                .iter()
                .enumerate()
                .map(|(k, &(r, s))| {
                    let v = vals[k].0.map(show).unwrap_or_else(|| "(empty)".into());
                    format!("{}{} {v}", if k == 0 { "" } else if s < 0 { " − " } else { " + " }, row_name(t, r))
                })
                .collect();
            let (res_name, col) = (row_name(t, res), col_name(t, c));
            sink.record(rule, place(t, res, c), show(rv), show(sum), ok, "sum_mismatch", || {
                format!("{}: {col}: “{res_name}” is {rv} but {} gives {sum}", t.name, formula.concat())
            });
        }
    }
}

// --- the funds row ---------------------------------------------------------------------------

fn funds_row(t: &Table, sink: &mut Sink) {
    let (Some(wc), Some(sc)) = (find_col(t, "weight"), find_col(t, "score")) else { return };
    let rate_col = find_col(t, "execution_rate");
    for r in 0..t.rows.len() {
        let (Some(w), Some(s)) = (cell_at(t, r, wc), cell_at(t, r, sc)) else { continue };
        let row = row_name(t, r);
        sink.record("score_within_weight", place(t, r, sc), format!("<= {}", show(w)), show(s), s <= w, "score_exceeds_weight", || {
            format!("{}: “{row}” score {s} exceeds its weight {w}", t.name)
        });
        // funds score = weight × rate / 100, capped at the weight.
        let Some(rc) = rate_col else { continue };
        let Some(rate) = cell_at(t, r, rc) else { continue };
        let Some(raw) = w.checked_mul(rate).and_then(|x| x.checked_div(Decimal::ONE_HUNDRED)) else { continue };
        let exp = raw.min(w);
        let Some(tol) = w
            .abs()
            .checked_mul(half_unit(rate))
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
            .and_then(|x| x.checked_add(half_unit(s)))
        else {
            continue;
        };
        // Capped: any rate at or above 100% gives the full weight.
        let ok = (s - exp).abs() <= tol;
        let shown = show_like(exp, s);
        sink.record("funds_score", place(t, r, sc), show(s), shown.clone(), ok, "rate_mismatch", || {
            format!("{}: “{row}” score is {s} but weight {w} × execution rate {rate}% gives {shown}", t.name)
        });
    }
}

// --- duplicate codes -------------------------------------------------------------------------

fn duplicate_codes(t: &Table, sink: &mut Sink) {
    let mut seen: HashMap<(Option<usize>, &str), usize> = HashMap::new();
    for (i, r) in t.rows.iter().enumerate() {
        let Some(code) = r.code.as_deref() else { continue };
        if code.is_empty() {
            continue;
        }
        if let Some(&first) = seen.get(&(r.parent, code)) {
            let msg = format!(
                "{}: table {}: rows “{}” and “{}” both carry the code {code}",
                sink.label,
                t.name,
                row_name(t, first),
                row_name(t, i)
            );
            sink.diags.push(Diagnostic::warning("duplicate_row_code", msg, None));
        } else {
            seen.insert((r.parent, code), i);
        }
    }
}

// --- indicators and total --------------------------------------------------------------------

/// The funds row's weight and score (the first row of the `funds` table that states both).
fn funds_weight_score(a: &Annex) -> (Option<Decimal>, Option<Decimal>) {
    for t in a.tables.iter().filter(|t| t.name == "funds") {
        let (Some(wc), Some(sc)) = (find_col(t, "weight"), find_col(t, "score")) else { continue };
        for r in 0..t.rows.len() {
            let (w, s) = (cell_at(t, r, wc), cell_at(t, r, sc));
            if w.is_some() || s.is_some() {
                return (w, s);
            }
        }
    }
    (None, None)
}

/// Tolerance for a sum of assigned values printed as `total`: zero, unless the total is
/// printed with fewer decimals than the sum (then half a unit of its last digit).
fn total_tol(total: Decimal, sum: Decimal) -> Decimal {
    if total.scale() < sum.normalize().scale() { half_unit(total) } else { Decimal::ZERO }
}

fn sum_opt<'a>(it: impl Iterator<Item = &'a Option<Decimal>>) -> (Decimal, usize) {
    let mut s = Decimal::ZERO;
    let mut n = 0;
    for v in it.flatten() {
        if let Some(x) = s.checked_add(*v) {
            s = x;
            n += 1;
        }
    }
    (s, n)
}

fn indicators(a: &Annex, sink: &mut Sink) {
    let inds: &[Indicator] = &a.indicators;
    // 得分 ≤ 分值.
    for ind in inds {
        if let (Some(w), Some(s)) = (ind.weight, ind.score) {
            let name = ind.name.clone();
            sink.record(
                "score_within_weight",
                format!("indicators/{}/score", ind.name),
                format!("<= {}", show(w)),
                show(s),
                s <= w,
                "score_exceeds_weight",
                || format!("indicator “{name}”: score {s} exceeds its weight {w}"),
            );
        }
    }
    // The same indicator twice.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for ind in inds {
        let n = seen.entry(ind.name.as_str()).or_default();
        *n += 1;
        if *n == 2 && !ind.name.trim().is_empty() {
            let msg = format!("{}: indicator “{}” appears more than once", sink.label, ind.name);
            sink.diags.push(Diagnostic::warning("duplicate_indicator", msg, None));
        }
    }
    // Level-1 weights: consecutive runs of one level1 with a printed weight.
    let mut i = 0;
    while i < inds.len() {
        let (l1, lw) = (&inds[i].level1, inds[i].level1_weight);
        let mut j = i;
        while j < inds.len() && inds[j].level1 == *l1 && inds[j].level1_weight == lw {
            j += 1;
        }
        if let (Some(name), Some(lw)) = (l1, lw) {
            let (sum, n) = sum_opt(inds[i..j].iter().map(|x| &x.weight));
            if n > 0 {
                let ok = (lw - sum).abs() <= total_tol(lw, sum);
                let name = name.clone();
                sink.record("level1_weight", format!("indicators/{name}/weight"), show(lw), show(sum), ok, "total_mismatch", || {
                    format!("level-1 indicator “{name}” is weighted {lw} but its indicators' weights add up to {sum}")
                });
            }
        }
        i = j.max(i + 1);
    }
    // Total: weight and score, with or without the funds row (decided from the weights).
    let Some(total) = &a.total else { return };
    let (iw, nw) = sum_opt(inds.iter().map(|x| &x.weight));
    let (is, ns) = sum_opt(inds.iter().map(|x| &x.score));
    let (fw, fs) = funds_weight_score(a);
    let with_funds = match (total.weight, fw) {
        (Some(tw), Some(fw)) if nw > 0 => {
            let incl = iw.checked_add(fw).map(|x| (tw - x).abs() <= total_tol(tw, x)).unwrap_or(false);
            let excl = (tw - iw).abs() <= total_tol(tw, iw);
            incl || !excl
        }
        _ => fw.is_some() || fs.is_some(),
    };
    let plus = |sum: Decimal, f: Option<Decimal>| if with_funds { f.and_then(|f| sum.checked_add(f)).unwrap_or(sum) } else { sum };
    let what = if with_funds { "indicator and funds" } else { "indicator" };
    if let (Some(tw), true) = (total.weight, nw > 0) {
        let sum = plus(iw, fw);
        let ok = (tw - sum).abs() <= total_tol(tw, sum);
        sink.record("total_weight", "total/weight".into(), show(tw), show(sum), ok, "total_mismatch", || {
            format!("total weight is {tw} but the {what} weights add up to {sum}")
        });
    }
    if let (Some(ts), true) = (total.score, ns > 0) {
        let sum = plus(is, fs);
        let ok = (ts - sum).abs() <= total_tol(ts, sum);
        sink.record("total_score", "total/score".into(), show(ts), show(sum), ok, "total_mismatch", || {
            format!("total score is {ts} but the {what} scores add up to {sum}")
        });
    }
}

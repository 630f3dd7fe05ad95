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
//! | `sum_of_columns` | a 合计 column = the sum of its sibling columns under one header, per row (the parts found from the numbers) | `sum_mismatch` |
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

use crate::model::{Annex, Cell, Check, Diagnostic, Indicator, Kind, Position, Table};
use rust_decimal::Decimal;
use std::collections::HashMap;

// ---------------------------------------------------------------------------------------
// Document level
// ---------------------------------------------------------------------------------------

/// Document-level diagnostics: a title year that disagrees with the report's year, dated
/// column headers that disagree with their annex's year, and annexes without a title.
///
/// The report's year is the year most annexes carry in their titles (or, without one, in
/// the year line segmentation read; ties: the later year). Annexes without a year of their
/// own take it.
pub fn document(annexes: &mut [Annex], _diags: &mut [Diagnostic]) {
    let mut count: HashMap<i32, usize> = HashMap::new();
    for a in annexes.iter() {
        if let Some(y) = a.title.as_deref().and_then(first_year).or(a.year) {
            *count.entry(y).or_default() += 1;
        }
    }
    let doc_year = count
        .iter()
        .max_by_key(|(y, n)| (**n, **y))
        .map(|(y, _)| *y);
    for a in annexes.iter_mut() {
        let label = annex_name(a);
        let start = annex_start(a);
        if a.title.is_none() && a.id.is_some() {
            a.diagnostics.push(Diagnostic::warning(
                "missing_title",
                format!("{label} has no title line; its kind was decided from its structure"),
                start.clone(),
            ));
        }
        let title_year = a.title.as_deref().and_then(first_year);
        // The annex's own year: its title's, else the one segmentation read near its top
        // (a `（2023年度）` line).
        let own_year = title_year.or(a.year);
        if a.year.is_none() {
            a.year = doc_year;
        }
        if let (Some(y), Some(d)) = (own_year, doc_year)
            && y != d
        {
            let said = match (&a.title, title_year) {
                (Some(t), Some(_)) => format!("title “{t}” says {y}"),
                _ => format!("its year line says {y}"),
            };
            a.diagnostics.push(Diagnostic::warning(
                "title_year_mismatch",
                format!("{label}: {said}, the rest of the document reports {d}"),
                start.clone(),
            ));
        }
        // Dated column headers: at least one must carry the annex's year (附件1 mixes
        // 2023年决算数 with 2024年预算数 on purpose; 附件14's 2023年年初预算数 in a 2024 table
        // does not).
        let Some(year) = title_year.or(a.year) else {
            continue;
        };
        let mut found: Vec<String> = Vec::new();
        for t in &a.tables {
            let dated: Vec<(i32, &str)> = t
                .columns
                .iter()
                .filter_map(|c| first_year(&c.label).map(|y| (y, c.label.as_str())))
                .collect();
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
            a.diagnostics
                .push(Diagnostic::warning("title_year_mismatch", m, start.clone()));
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
                if let Ok(y) = y.parse::<i32>()
                    && (1900..2100).contains(&y)
                {
                    return Some(y);
                }
            }
        }
        i += 1;
    }
    None
}

/// Where an annex starts (its marker line), when known.
fn annex_start(a: &Annex) -> Option<Position> {
    let page = a.source.pages.as_ref().and_then(|p| p.first().copied());
    let line = a.source.lines.as_ref().and_then(|l| l.first().copied());
    if page.is_none() && line.is_none() {
        None
    } else {
        Some(Position { page, line })
    }
}

fn annex_name(a: &Annex) -> String {
    a.label
        .clone()
        .or_else(|| a.id.clone())
        .unwrap_or_else(|| "(annex without marker)".to_string())
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
    fn record(
        &mut self,
        rule: &str,
        at: String,
        expected: String,
        computed: String,
        ok: bool,
        code: &str,
        why: impl FnOnce() -> String,
    ) {
        if !ok {
            self.diags.push(Diagnostic::warning(
                code,
                format!("{}: {}", self.label, why()),
                None,
            ));
        }
        self.checks.push(Check {
            rule: rule.to_string(),
            at,
            expected,
            computed,
            ok,
        });
    }
}

/// Per-annex checks: every arithmetic relation of the annex's tables, indicators and total.
pub fn annex(a: &mut Annex) {
    let mut sink = Sink {
        label: annex_name(a),
        checks: Vec::new(),
        diags: Vec::new(),
    };
    for t in &a.tables {
        sums(t, &mut sink);
        column_totals(t, &mut sink);
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

/// `|a − b| ≤ tol`, false when the difference overflows.
fn close(a: Decimal, b: Decimal, tol: Decimal) -> bool {
    a.checked_sub(b).map(|d| d.abs() <= tol).unwrap_or(false)
}

/// `a ≤ b + tol` (true when `b + tol` overflows upwards).
fn at_most(a: Decimal, b: Decimal, tol: Decimal) -> bool {
    match b.checked_add(tol) {
        Some(x) => a <= x,
        None => tol > Decimal::ZERO,
    }
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

/// A weight or score: the cell's exact value unless it is a percentage.
fn points_at(t: &Table, row: usize, col: usize) -> Option<Decimal> {
    let cell = t.rows.get(row).and_then(|r| r.cells.get(col))?;
    if cell.as_ref().and_then(|x| x.unit.as_deref()) == Some("%") {
        None
    } else {
        val(cell)
    }
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

/// Where the table's first row stub ends: the index of the first column, after the row
/// labels, that is itself a stub — a column of words (most of its cells state no number)
/// or of codes (科目编码). Side-by-side tables (收入 | 支出 in one 收支总表) print a second
/// stub there, and the columns after it belong to *its* rows, not to the row tree of the
/// labels: no relation of the rows is checked on them.
fn stub_end(t: &Table) -> usize {
    for (i, c) in t.columns.iter().enumerate() {
        if c.label.contains("编码") || c.label.contains("代码") {
            return i;
        }
        let (mut words, mut numbers) = (0usize, 0usize);
        for r in &t.rows {
            match r.cells.get(i).and_then(|x| x.as_ref()) {
                Some(cell) if cell.number.is_some() => numbers += 1,
                Some(cell) if !cell.text.trim().is_empty() => words += 1,
                _ => {}
            }
        }
        if words > numbers {
            return i;
        }
    }
    t.columns.len()
}

/// Does a column hold amounts that add up (not rates, scores, weights or percentages)?
fn additive(t: &Table, col: usize) -> bool {
    let Some(c) = t.columns.get(col) else {
        return false;
    };
    if let Some(k) = c.key.as_deref()
        && matches!(
            k,
            "execution_rate" | "progress" | "control_rate" | "weight" | "score"
        )
    {
        return false;
    }
    let l = &c.label;
    if [
        "率", "进度", "%", "％", "分值", "得分", "编码", "代码", "科目", "序号",
    ]
    .iter()
    .any(|w| l.contains(w))
    {
        return false;
    }
    // A column whose numbers are percentages does not add up either.
    !t.rows.iter().any(|r| {
        r.cells
            .get(col)
            .and_then(|c| c.as_ref())
            .and_then(|c| c.unit.as_deref())
            == Some("%")
    })
}

// --- parent = sum of children --------------------------------------------------------------

fn sums(t: &Table, sink: &mut Sink) {
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); t.rows.len()];
    for (i, r) in t.rows.iter().enumerate() {
        if let Some(p) = r.parent
            && p < t.rows.len()
            && p != i
        {
            kids[p].push(i);
        }
    }
    let end = stub_end(t);
    let cols: Vec<usize> = (0..end).filter(|&c| additive(t, c)).collect();
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
        let equal = |(_, pv, s, tol): &(usize, Decimal, Decimal, Decimal)| close(*pv, *s, *tol);
        let numbered = ks.iter().any(|&k| t.rows[k].code.is_some());
        // Unnumbered parts that never exceed the whole and fall short somewhere: "of which".
        // Parts that exceed the whole fit neither reading and are checked as a breakdown.
        let within = |(_, pv, s, tol): &(usize, Decimal, Decimal, Decimal)| at_most(*s, *pv, *tol);
        let of_which = !numbered && !rel.iter().all(equal) && rel.iter().all(within);
        for (c, pv, s, tol) in rel {
            let at = place(t, p, c);
            let parent = row_name(t, p);
            let col = col_name(t, c);
            if of_which {
                let ok = at_most(s, pv, tol);
                sink.record(
                    "part_within_whole",
                    at,
                    format!("<= {}", show(pv)),
                    show(s),
                    ok,
                    "sum_mismatch",
                    || {
                        format!(
                            "{}: the parts of “{parent}” add up to {s}, more than its {col} {pv}",
                            t.name
                        )
                    },
                );
            } else {
                let ok = close(pv, s, tol);
                sink.record(
                    "sum_of_children",
                    at,
                    show(pv),
                    show(s),
                    ok,
                    "sum_mismatch",
                    || {
                        format!(
                            "{}: “{parent}” {col} is {pv} but its rows add up to {s}",
                            t.name
                        )
                    },
                );
            }
        }
    }
}

// --- a 合计 column = the sum of its sibling columns ---------------------------------------------

/// Is this header (its last `/` segment) a total: 合计, 小计, 总计, 本年支出合计…?
fn is_total_header(label: &str) -> bool {
    let last = label.rsplit('/').next().unwrap_or(label).trim();
    last.ends_with("合计") || last.ends_with("总计") || last.ends_with("小计")
}

fn header_prefix(label: &str) -> &str {
    label.rfind('/').map(|i| &label[..i]).unwrap_or("")
}

/// Per row, `total`'s value against the sum of `parts` (empty cells are zero): `None` when
/// the row states no total or no part.
fn row_sum(
    t: &Table,
    r: usize,
    total: usize,
    parts: &[usize],
) -> Option<(Decimal, Decimal, Decimal)> {
    let tv = cell_at(t, r, total)?;
    let vals: Vec<Decimal> = parts.iter().filter_map(|&c| cell_at(t, r, c)).collect();
    if vals.is_empty() {
        return None;
    }
    let mut sum = Decimal::ZERO;
    let mut tol = half_unit(tv);
    for v in vals {
        sum = sum.checked_add(v)?;
        tol = tol.checked_add(half_unit(v))?;
    }
    Some((tv, sum, tol))
}

/// A column headed 合计 (本年支出合计, 一般公共预算支出/合计…) is the sum of the columns beside
/// it under the same header (基本支出 + 项目支出…), row by row. The header does not say
/// which neighbours are the parts, so the relation is taken from the numbers: the longest
/// run of sibling columns (from the one next to the total: after it, else before it) that
/// most rows agree with. When no run has a majority the columns are not a breakdown and
/// nothing is checked; otherwise every row is.
fn column_totals(t: &Table, sink: &mut Sink) {
    let end = stub_end(t);
    for c in 0..end {
        let label = &t.columns[c].label;
        if !is_total_header(label) || !additive(t, c) {
            continue;
        }
        let prefix = header_prefix(label);
        let sibs: Vec<usize> = (0..end)
            .filter(|&j| {
                j != c
                    && header_prefix(&t.columns[j].label) == prefix
                    && !is_total_header(&t.columns[j].label)
                    && additive(t, j)
            })
            .collect();
        // The parts sit after a leading total (nearest first), or before a trailing one.
        let after: Vec<usize> = sibs.iter().copied().filter(|&j| j > c).collect();
        let before: Vec<usize> = sibs.iter().rev().copied().filter(|&j| j < c).collect();
        let mut chosen: Option<Vec<usize>> = None;
        'runs: for run in [&after, &before] {
            for k in (1..=run.len()).rev() {
                let parts = &run[..k];
                let (mut agree, mut rows) = (0usize, 0usize);
                for r in 0..t.rows.len() {
                    if let Some((tv, sum, tol)) = row_sum(t, r, c, parts) {
                        rows += 1;
                        if close(tv, sum, tol) {
                            agree += 1;
                        }
                    }
                }
                if rows > 0 && agree * 2 > rows {
                    chosen = Some(parts.to_vec());
                    break 'runs;
                }
            }
        }
        let Some(mut parts) = chosen else { continue };
        parts.sort_unstable();
        let names: Vec<String> = parts.iter().map(|&j| t.columns[j].label.clone()).collect();
        for r in 0..t.rows.len() {
            let Some((tv, sum, tol)) = row_sum(t, r, c, &parts) else {
                continue;
            };
            let ok = close(tv, sum, tol);
            let row = row_name(t, r);
            let names = names.join(" + ");
            sink.record(
                "sum_of_columns",
                place(t, r, c),
                show(tv),
                show(sum),
                ok,
                "sum_mismatch",
                || {
                    format!(
                        "{}: “{row}” {label} is {tv} but {names} add up to {sum}",
                        t.name
                    )
                },
            );
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
    let t2 = hundred
        .checked_mul(num.abs())?
        .checked_mul(dd)?
        .checked_div(den.checked_mul(den)?)?;
    // When the denominator is within its own rounding of zero the ratio is unbounded.
    if den.abs() <= dd {
        return None;
    }
    Some((r, t1.checked_add(t2)?.checked_add(half_unit(printed))?))
}

/// The column with this key, within the first row stub's columns (see [`stub_end`]).
fn find_col(t: &Table, key: &str) -> Option<usize> {
    let end = stub_end(t);
    t.columns[..end.min(t.columns.len())]
        .iter()
        .position(|c| c.key.as_deref() == Some(key))
}

/// The column whose label holds all these words, within the first row stub's columns.
fn find_label(t: &Table, words: &[&str]) -> Option<usize> {
    let end = stub_end(t);
    t.columns[..end.min(t.columns.len())]
        .iter()
        .position(|c| words.iter().all(|w| c.label.contains(w)))
}

/// The budget-like columns of a table, in order of preference when the numbers cannot tell.
fn budget_cols(t: &Table) -> Vec<usize> {
    let mut out = Vec::new();
    for k in [
        "full_year_budget",
        "adjusted_budget",
        "budget",
        "initial_budget",
    ] {
        if let Some(c) = find_col(t, k) {
            out.push(c);
        }
    }
    for (i, c) in t.columns.iter().enumerate().take(stub_end(t)) {
        let k = c.key.as_deref().unwrap_or("");
        if !out.contains(&i)
            && (k.contains("budget") || (c.key.is_none() && c.label.contains("预算数")))
        {
            out.push(i);
        }
    }
    out
}

/// Does a printed rate agree with the computed one? An 执行率 may also be printed capped
/// at 100% when more than the budget was spent (the score is capped likewise).
fn rate_ok(rule: &str, computed: Decimal, printed: Decimal, tol: Decimal) -> bool {
    close(computed, printed, tol)
        || (rule == "execution_rate" && printed == Decimal::ONE_HUNDRED && computed >= printed)
}

/// Check a rate column `rate` = `num` / one of `dens` × 100, choosing the denominator most
/// rows agree with (ties: the first in `dens`). The column is chosen on exact agreement
/// only: with the cap, any budget smaller than the spending would agree with a printed 100%.
fn rate_column(t: &Table, rate: usize, num: usize, dens: &[usize], rule: &str, sink: &mut Sink) {
    if dens.is_empty() {
        return;
    }
    let mut best = dens[0];
    let mut best_n = 0usize;
    for &d in dens {
        let n = (0..t.rows.len())
            .filter(
                |&r| match (cell_at(t, r, rate), cell_at(t, r, num), cell_at(t, r, d)) {
                    (Some(p), Some(n), Some(dv)) => ratio(n, dv, p)
                        .map(|(v, tol)| close(v, p, tol))
                        .unwrap_or(false),
                    _ => false,
                },
            )
            .count();
        if n > best_n {
            best = d;
            best_n = n;
        }
    }
    let (num_name, den_name, rate_name) = (col_name(t, num), col_name(t, best), col_name(t, rate));
    for r in 0..t.rows.len() {
        let (Some(p), Some(n), Some(dv)) =
            (cell_at(t, r, rate), cell_at(t, r, num), cell_at(t, r, best))
        else {
            continue;
        };
        let Some((v, tol)) = ratio(n, dv, p) else {
            continue;
        };
        let ok = rate_ok(rule, v, p, tol);
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
    if let (Some(rate), Some(num), Some(den)) = (
        find_col(t, "control_rate"),
        find_col(t, "actual"),
        find_col(t, "authorized"),
    ) {
        rate_column(t, rate, num, &[den], "control_rate", sink);
    }
    // building_control: 规模控制率 = 实际规模 / 批复规模, 投资概算控制率 = 实际投资 / 预算投资.
    if let (Some(rate), Some(num), Some(den)) = (
        find_label(t, &["规模控制率"]),
        find_label(t, &["实际规模"]),
        find_label(t, &["批复规模"]),
    ) {
        rate_column(t, rate, num, &[den], "control_rate", sink);
    }
    if let (Some(rate), Some(num), Some(den)) = (
        find_label(t, &["投资", "控制率"]),
        find_label(t, &["实际投资"]),
        find_label(t, &["预算投资"]),
    ) {
        rate_column(t, rate, num, &[den], "control_rate", sink);
    }
}

// --- budget_execution balances -----------------------------------------------------------------

fn find_row(t: &Table, pred: impl Fn(&str) -> bool) -> Option<usize> {
    // Prefer top-level rows; fall back to any row.
    t.rows
        .iter()
        .position(|r| r.level == 0 && pred(&r.label))
        .or_else(|| t.rows.iter().position(|r| pred(&r.label)))
}

/// A balance relation: result row, its terms (row, sign), rule name.
type Relation = (usize, Vec<(usize, i32)>, &'static str);

fn balances(t: &Table, sink: &mut Sink) {
    let opening = find_row(t, |l| {
        l.contains("期初") || l.contains("年初滚存") || l.contains("上年结余")
    });
    let income = find_row(t, |l| l.contains("收入合计"));
    let expense = find_row(t, |l| l.contains("支出合计"));
    let period = find_row(t, |l| l.contains("收支结余"));
    let closing = find_row(t, |l| {
        l.contains("期末")
            || l.contains("年末滚存")
            || (l.contains("滚存结余") && !l.contains("年初"))
    });
    let cols: Vec<usize> = (0..stub_end(t)).filter(|&c| additive(t, c)).collect();
    // (result row, [(term row, sign)], rule)
    let mut relations: Vec<Relation> = Vec::new();
    if let (Some(c), Some(o), Some(i), Some(e)) = (closing, opening, income, expense)
        && c != o
    {
        relations.push((c, vec![(o, 1), (i, 1), (e, -1)], "closing_balance"));
    }
    if let (Some(p), Some(i), Some(e)) = (period, income, expense)
        && Some(p) != closing
    {
        relations.push((p, vec![(i, 1), (e, -1)], "period_balance"));
    }
    for (res, terms, rule) in relations {
        for &c in &cols {
            let Some(rv) = cell_at(t, res, c) else {
                continue;
            };
            // Every term must be stated, or be empty while the others are not (an empty
            // 支出合计 is zero); at least one term must state a number.
            let vals: Vec<(Option<Decimal>, i32)> =
                terms.iter().map(|&(r, s)| (cell_at(t, r, c), s)).collect();
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
            let ok = close(rv, sum, tol);
            let formula: Vec<String> = terms
                .iter()
                .enumerate()
                .map(|(k, &(r, s))| {
                    let v = vals[k].0.map(show).unwrap_or_else(|| "(empty)".into());
                    format!(
                        "{}{} {v}",
                        if k == 0 {
                            ""
                        } else if s < 0 {
                            " − "
                        } else {
                            " + "
                        },
                        row_name(t, r)
                    )
                })
                .collect();
            let (res_name, col) = (row_name(t, res), col_name(t, c));
            sink.record(
                rule,
                place(t, res, c),
                show(rv),
                show(sum),
                ok,
                "sum_mismatch",
                || {
                    format!(
                        "{}: {col}: “{res_name}” is {rv} but {} gives {sum}",
                        t.name,
                        formula.concat()
                    )
                },
            );
        }
    }
}

// --- the funds row ---------------------------------------------------------------------------

fn funds_row(t: &Table, sink: &mut Sink) {
    let (Some(wc), Some(sc)) = (find_col(t, "weight"), find_col(t, "score")) else {
        return;
    };
    let rate_col = find_col(t, "execution_rate");
    for r in 0..t.rows.len() {
        let (Some(w), Some(s)) = (points_at(t, r, wc), points_at(t, r, sc)) else {
            continue;
        };
        let row = row_name(t, r);
        sink.record(
            "score_within_weight",
            place(t, r, sc),
            format!("<= {}", show(w)),
            show(s),
            s <= w,
            "score_exceeds_weight",
            || format!("{}: “{row}” score {s} exceeds its weight {w}", t.name),
        );
        // funds score = weight × rate / 100, capped at the weight.
        let Some(rc) = rate_col else { continue };
        let Some(rate) = cell_at(t, r, rc) else {
            continue;
        };
        let Some(raw) = w
            .checked_mul(rate)
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
        else {
            continue;
        };
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
        let ok = close(s, exp, tol);
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
        let Some(code) = r.code.as_deref() else {
            continue;
        };
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
            sink.diags
                .push(Diagnostic::warning("duplicate_row_code", msg, None));
        } else {
            seen.insert((r.parent, code), i);
        }
    }
}

// --- indicators and total --------------------------------------------------------------------

/// The funds row's weight and score: those of the first top-level row of the `funds`
/// table that states any number (年度资金总额). A percentage is no weight or score.
fn funds_weight_score(a: &Annex) -> (Option<Decimal>, Option<Decimal>) {
    for t in a.tables.iter().filter(|t| t.name == "funds") {
        let (Some(wc), Some(sc)) = (find_col(t, "weight"), find_col(t, "score")) else {
            continue;
        };
        for (r, row) in t.rows.iter().enumerate() {
            if row.level == 0 && row.cells.iter().any(|c| val(c).is_some()) {
                return (points_at(t, r, wc), points_at(t, r, sc));
            }
        }
    }
    (None, None)
}

/// Tolerance for a sum of assigned values printed as `total`: zero, unless the total is
/// printed with fewer decimals than the sum (then half a unit of its last digit).
fn total_tol(total: Decimal, sum: Decimal) -> Decimal {
    if total.scale() < sum.normalize().scale() {
        half_unit(total)
    } else {
        Decimal::ZERO
    }
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
            let msg = format!(
                "{}: indicator “{}” appears more than once",
                sink.label, ind.name
            );
            sink.diags
                .push(Diagnostic::warning("duplicate_indicator", msg, None));
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
            if n > 0 && n == j - i {
                let ok = close(lw, sum, total_tol(lw, sum));
                let name = name.clone();
                sink.record("level1_weight", format!("indicators/{name}/weight"), show(lw), show(sum), ok, "total_mismatch", || {
                    format!("level-1 indicator “{name}” is weighted {lw} but its indicators' weights add up to {sum}")
                });
            }
        }
        i = j.max(i + 1);
    }
    // Total: weight and score, with or without the funds row (decided from the weights).
    // A sum with a missing term (an indicator without its weight or score, a funds row the
    // form has but whose number is missing) is not checked.
    let Some(total) = &a.total else { return };
    let (iw, nw) = sum_opt(inds.iter().map(|x| &x.weight));
    let (is, ns) = sum_opt(inds.iter().map(|x| &x.score));
    let weights_complete = nw > 0 && inds.iter().all(|x| x.weight.is_some() || x.score.is_none());
    let scores_complete = ns > 0 && inds.iter().all(|x| x.score.is_some() || x.weight.is_none());
    let (fw, fs) = funds_weight_score(a);
    let has_funds_row = a.kind.is_self_evaluation() || a.tables.iter().any(|t| t.name == "funds");
    // Some(true): the total includes the funds row; Some(false): it does not; None: unknown.
    let with_funds: Option<bool> = match (total.weight, fw) {
        (Some(tw), Some(fw)) if weights_complete => {
            let incl = iw
                .checked_add(fw)
                .map(|x| close(tw, x, total_tol(tw, x)))
                .unwrap_or(false);
            let excl = close(tw, iw, total_tol(tw, iw));
            Some(incl || !excl)
        }
        (Some(tw), None) if weights_complete => {
            if close(tw, iw, total_tol(tw, iw)) {
                Some(false)
            } else if has_funds_row {
                None
            } else {
                Some(false)
            }
        }
        _ => {
            if fw.is_some() || fs.is_some() {
                Some(true)
            } else if has_funds_row {
                None
            } else {
                Some(false)
            }
        }
    };
    let Some(with_funds) = with_funds else { return };
    let what = if with_funds {
        "indicator and funds"
    } else {
        "indicator"
    };
    let plus = |sum: Decimal, f: Option<Decimal>| -> Option<Decimal> {
        if with_funds {
            f.and_then(|f| sum.checked_add(f))
        } else {
            Some(sum)
        }
    };
    if let (Some(tw), true, Some(sum)) = (total.weight, weights_complete, plus(iw, fw)) {
        let ok = close(tw, sum, total_tol(tw, sum));
        sink.record(
            "total_weight",
            "total/weight".into(),
            show(tw),
            show(sum),
            ok,
            "total_mismatch",
            || format!("total weight is {tw} but the {what} weights add up to {sum}"),
        );
    }
    if let (Some(ts), true, Some(sum)) = (total.score, scores_complete, plus(is, fs)) {
        let ok = close(ts, sum, total_tol(ts, sum));
        sink.record(
            "total_score",
            "total/score".into(),
            show(ts),
            show(sum),
            ok,
            "total_mismatch",
            || format!("total score is {ts} but the {what} scores add up to {sum}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, Row, Total};

    /// code, label, level, parent, cells.
    type RowSpec<'a> = (Option<&'a str>, &'a str, u32, Option<usize>, Vec<&'a str>);

    fn c(text: &str) -> Option<Cell> {
        crate::cell::parse(text)
    }

    fn table(name: &str, cols: &[(&str, &str)], rows: Vec<RowSpec>) -> Table {
        Table {
            name: name.into(),
            title: None,
            unit: None,
            columns: cols
                .iter()
                .map(|(k, l)| Column {
                    key: if k.is_empty() {
                        None
                    } else {
                        Some(k.to_string())
                    },
                    label: l.to_string(),
                })
                .collect(),
            rows: rows
                .into_iter()
                .map(|(code, label, level, parent, cells)| Row {
                    code: code.map(String::from),
                    label: label.into(),
                    level,
                    parent,
                    cells: cells
                        .into_iter()
                        .map(|x| if x.is_empty() { None } else { c(x) })
                        .collect(),
                })
                .collect(),
        }
    }

    fn annex_with(kind: Kind, tables: Vec<Table>) -> Annex {
        let mut a = Annex::empty(Some("1".into()), Some("附件1".into()));
        a.kind = kind;
        a.tables = tables;
        a
    }

    fn ind(l1: &str, l1w: &str, name: &str, w: &str, s: &str) -> Indicator {
        Indicator {
            level1: Some(l1.into()),
            level1_weight: l1w.parse().ok(),
            level2: None,
            name: name.into(),
            target: None,
            actual: None,
            weight: w.parse().ok(),
            score: s.parse().ok(),
            deviation: None,
            extra: Default::default(),
            core: None,
        }
    }

    fn failed(a: &Annex) -> Vec<String> {
        a.checks
            .iter()
            .filter(|c| !c.ok)
            .map(|c| format!("{} {}", c.rule, c.at))
            .collect()
    }
    fn passed(a: &Annex, rule: &str) -> usize {
        a.checks.iter().filter(|c| c.ok && c.rule == rule).count()
    }
    fn codes(a: &Annex) -> Vec<String> {
        a.diagnostics.iter().map(|d| d.code.clone()).collect()
    }

    const YEARS: [(&str, &str); 3] = [
        ("final_2023", "2023年决算数"),
        ("budget_2024", "2024年预算数"),
        ("final_2024", "2024年决算数"),
    ];

    #[test]
    fn half_units() {
        assert_eq!(
            half_unit("12.56".parse().unwrap()),
            "0.005".parse::<Decimal>().unwrap()
        );
        assert_eq!(
            half_unit("100".parse().unwrap()),
            "0.5".parse::<Decimal>().unwrap()
        );
        assert_eq!(first_year("2023年年初预算数"), Some(2023));
        assert_eq!(first_year("（ 2024 年度）"), None);
        assert_eq!(first_year("12023年"), None);
    }

    #[test]
    fn sum_of_children_holds_and_fails() {
        let t = table(
            "expense_control",
            &YEARS,
            vec![
                (
                    None,
                    "三公经费",
                    0,
                    None,
                    vec!["159.32", "229.50", "182.95"],
                ),
                (
                    Some("1"),
                    "公务用车购置和维护经费",
                    1,
                    Some(0),
                    vec!["135.12", "175.00", "127.45"],
                ),
                (
                    Some("2"),
                    "出国经费",
                    1,
                    Some(0),
                    vec!["12.56", "30.00", "48.50"],
                ),
                (
                    Some("3"),
                    "公务接待",
                    1,
                    Some(0),
                    vec!["11.64", "24.50", "7.00"],
                ),
            ],
        );
        let mut a = annex_with(Kind::BasicData, vec![t.clone()]);
        annex(&mut a);
        assert!(failed(&a).is_empty(), "{:?}", a.checks);
        assert_eq!(passed(&a, "sum_of_children"), 3);
        assert_eq!(a.checks[0].at, "expense_control/三公经费/final_2023");
        // A slip of 0.08: beyond 4 × 0.005.
        let mut t2 = t;
        t2.rows[0].cells[0] = c("159.40");
        let mut a = annex_with(Kind::BasicData, vec![t2]);
        annex(&mut a);
        assert_eq!(
            failed(&a),
            vec!["sum_of_children expense_control/三公经费/final_2023"]
        );
        assert_eq!(codes(&a), vec!["sum_mismatch"]);
    }

    #[test]
    fn rounding_within_tolerance() {
        // 79.251 vs 83.375 + 49.699 − 53.822 = 79.252: within 4 × 0.0005.
        let cols = [
            ("budget", "预算数"),
            ("executed", "实际执行数"),
            ("progress", "预算执行进度(%)"),
        ];
        let t = table(
            "budget_execution",
            &cols,
            vec![
                (
                    Some("一"),
                    "期初余额",
                    0,
                    None,
                    vec!["83.375", "83.375", "100.00%"],
                ),
                (
                    Some("二"),
                    "收入合计",
                    0,
                    None,
                    vec!["49.699", "49.757", "100.12%"],
                ),
                (
                    Some("三"),
                    "支出合计",
                    0,
                    None,
                    vec!["53.822", "53.600", "99.59%"],
                ),
                (
                    Some("四"),
                    "当期收支结余",
                    0,
                    None,
                    vec!["-4.123", "-3.843", "93.20%"],
                ),
                (
                    Some("五"),
                    "期末滚存结余",
                    0,
                    None,
                    vec!["79.251", "75.588", "95.38%"],
                ),
            ],
        );
        let mut a = annex_with(Kind::BudgetExecution, vec![t]);
        annex(&mut a);
        assert_eq!(
            failed(&a),
            vec!["closing_balance budget_execution/期末滚存结余/executed"]
        );
        assert_eq!(passed(&a, "closing_balance"), 1);
        assert_eq!(passed(&a, "period_balance"), 2);
        assert_eq!(passed(&a, "progress_rate"), 5);
        assert_eq!(codes(&a), vec!["sum_mismatch"]);
    }

    #[test]
    fn of_which_parts_within_parent() {
        let t = table(
            "expense_control",
            &YEARS,
            vec![
                (
                    None,
                    "公用经费",
                    0,
                    None,
                    vec!["2582.00", "2728.83", "2590.80"],
                ),
                (
                    None,
                    "办公经费",
                    1,
                    Some(0),
                    vec!["65.25", "69.50", "72.03"],
                ),
                (
                    None,
                    "会议费、培训费",
                    1,
                    Some(0),
                    vec!["23.67", "111.30", "71.34"],
                ),
            ],
        );
        let mut a = annex_with(Kind::BasicData, vec![t.clone()]);
        annex(&mut a);
        assert!(failed(&a).is_empty());
        assert_eq!(passed(&a, "part_within_whole"), 3);
        // Unnumbered parts that exceed the whole: checked as a breakdown, and fail.
        let mut t2 = t;
        t2.rows[1].cells[2] = c("2600.00");
        let mut a = annex_with(Kind::BasicData, vec![t2]);
        annex(&mut a);
        assert_eq!(failed(&a).len(), 3, "{:?}", a.checks);
        assert!(failed(&a).iter().all(|f| f.starts_with("sum_of_children")));
        // Numbered children are always a full breakdown.
        let t3 = table(
            "x",
            &[("amount", "金额")],
            vec![
                (Some("一"), "合计", 0, None, vec!["10.00"]),
                (Some("1"), "甲", 1, Some(0), vec!["4.00"]),
            ],
        );
        let mut a = annex_with(Kind::Unknown, vec![t3]);
        annex(&mut a);
        assert_eq!(failed(&a), vec!["sum_of_children x/合计/amount"]);
    }

    fn funds(score: &str, rate: &str) -> Table {
        let cols = [
            ("initial_budget", "年初预算数"),
            ("full_year_budget", "全年预算数"),
            ("executed", "全年执行数"),
            ("weight", "分值"),
            ("execution_rate", "执行率"),
            ("score", "得分"),
        ];
        table(
            "funds",
            &cols,
            vec![
                (
                    None,
                    "年度资金总额",
                    0,
                    None,
                    vec!["4,876.30", "6,863.74", "5,943.58", "10.00", rate, score],
                ),
                (
                    None,
                    "当年财政拨款",
                    1,
                    Some(0),
                    vec!["4,876.30", "6,303.39", "5,383.23", "", "85.40%", ""],
                ),
                (
                    None,
                    "上年结转资金",
                    1,
                    Some(0),
                    vec!["", "560.35", "560.35", "", "100.00%", ""],
                ),
                (None, "其他资金", 1, Some(0), vec!["", "", "", "", "", ""]),
            ],
        )
    }

    #[test]
    fn execution_rate_finds_its_budget_column() {
        let mut a = annex_with(Kind::ProjectSelfEvaluation, vec![funds("8.66", "86.59%")]);
        annex(&mut a);
        assert!(failed(&a).is_empty(), "{:?}", failed(&a));
        assert_eq!(passed(&a, "execution_rate"), 3);
        assert_eq!(passed(&a, "funds_score"), 1);
        assert_eq!(passed(&a, "score_within_weight"), 1);
        // A wrong rate.
        let mut a = annex_with(Kind::ProjectSelfEvaluation, vec![funds("8.66", "88.59%")]);
        annex(&mut a);
        assert!(
            failed(&a).contains(&"execution_rate funds/年度资金总额/execution_rate".to_string()),
            "{:?}",
            failed(&a)
        );
        assert!(codes(&a).contains(&"rate_mismatch".to_string()));
    }

    #[test]
    fn funds_score_is_weight_times_rate_capped() {
        // 10 × 86.59% = 8.659, printed 8.70.
        let mut a = annex_with(Kind::ProjectSelfEvaluation, vec![funds("8.70", "86.59%")]);
        annex(&mut a);
        assert_eq!(failed(&a), vec!["funds_score funds/年度资金总额/score"]);
        let d = a
            .diagnostics
            .iter()
            .find(|d| d.code == "rate_mismatch")
            .unwrap();
        assert!(d.message.contains("8.66"), "{}", d.message);
        // One decimal printed: 7.3 for 7.267 is within half a unit.
        let mut t = funds("7.3", "72.67%");
        t.rows[0].cells[1] = c("5,888.63");
        t.rows[0].cells[2] = c("4,279.49");
        t.rows.truncate(1);
        let mut a = annex_with(Kind::ProjectSelfEvaluation, vec![t]);
        annex(&mut a);
        assert!(failed(&a).is_empty(), "{:?}", failed(&a));
        // Capped: 102.7% gives the full weight.
        let mut t = funds("10", "102.70%");
        t.rows[0].cells[1] = c("101.89");
        t.rows[0].cells[2] = c("104.64");
        t.rows.truncate(1);
        let mut a = annex_with(Kind::FundSelfEvaluation, vec![t]);
        annex(&mut a);
        assert!(failed(&a).is_empty(), "{:?}", failed(&a));
        assert_eq!(passed(&a, "funds_score"), 1);
    }

    #[test]
    fn funds_score_within_weight() {
        let mut t = funds("12", "120.00%");
        t.rows.truncate(1);
        t.rows[0].cells[2] = c("8,236.49");
        let mut a = annex_with(Kind::ProjectSelfEvaluation, vec![t]);
        annex(&mut a);
        assert!(
            failed(&a).contains(&"score_within_weight funds/年度资金总额/score".to_string()),
            "{:?}",
            failed(&a)
        );
        assert!(codes(&a).contains(&"score_exceeds_weight".to_string()));
    }

    #[test]
    fn control_rate() {
        let cols = [
            ("authorized", "编制数"),
            ("actual", "2024年实际在职人数"),
            ("control_rate", "控制率"),
        ];
        let t = table(
            "staffing",
            &cols,
            vec![(
                None,
                "财政供养人员情况",
                0,
                None,
                vec!["370", "338", "91.35%"],
            )],
        );
        let mut a = annex_with(Kind::BasicData, vec![t.clone()]);
        annex(&mut a);
        assert_eq!(passed(&a, "control_rate"), 1);
        assert!(failed(&a).is_empty());
        let mut t2 = t;
        t2.rows[0].cells[2] = c("93.35%");
        let mut a = annex_with(Kind::BasicData, vec![t2]);
        annex(&mut a);
        assert_eq!(
            failed(&a),
            vec!["control_rate staffing/财政供养人员情况/control_rate"]
        );
    }

    fn self_eval(inds: Vec<Indicator>, total: (&str, &str), funds_score: &str) -> Annex {
        let mut t = funds(funds_score, "86.59%");
        t.rows.truncate(1);
        let mut a = annex_with(Kind::ProjectSelfEvaluation, vec![t]);
        a.indicators = inds;
        a.total = Some(Total {
            weight: total.0.parse().ok(),
            score: total.1.parse().ok(),
            grade: None,
        });
        a
    }

    #[test]
    fn indicator_scores_weights_and_totals() {
        let good = vec![
            ind("产出指标", "50", "甲", "30", "30"),
            ind("产出指标", "50", "乙", "20", "19.5"),
            ind("效益指标", "30", "丙", "30", "30"),
            ind("满意度指标", "10", "丁", "10", "9"),
        ];
        let mut a = self_eval(good.clone(), ("100", "97.16"), "8.66");
        annex(&mut a);
        assert!(failed(&a).is_empty(), "{:?}", failed(&a));
        assert_eq!(passed(&a, "score_within_weight"), 5);
        assert_eq!(passed(&a, "level1_weight"), 3);
        assert_eq!(passed(&a, "total_weight"), 1);
        assert_eq!(passed(&a, "total_score"), 1);
        // Score above weight, a level-1 weight that does not add up, totals off by 0.01.
        let mut bad = good;
        bad[1] = ind("产出指标", "50", "乙", "10", "19.5");
        bad.push(ind("满意度指标", "10", "丁", "10", "9"));
        let mut a = self_eval(bad, ("100", "97.17"), "8.66");
        annex(&mut a);
        let f = failed(&a);
        for want in [
            "score_within_weight indicators/乙/score",
            "level1_weight indicators/产出指标/weight",
            "level1_weight indicators/满意度指标/weight",
            "total_score total/score",
        ] {
            assert!(f.contains(&want.to_string()), "{want} not in {f:?}");
        }
        let cs = codes(&a);
        for want in [
            "score_exceeds_weight",
            "total_mismatch",
            "duplicate_indicator",
        ] {
            assert!(cs.contains(&want.to_string()), "{want} not in {cs:?}");
        }
    }

    #[test]
    fn total_without_funds_when_weights_say_so() {
        let inds = vec![
            ind("产出指标", "60", "甲", "60", "60"),
            ind("效益指标", "40", "乙", "40", "38"),
        ];
        let mut a = self_eval(inds, ("100", "98"), "8.66");
        annex(&mut a);
        assert!(failed(&a).is_empty(), "{:?}", failed(&a));
        assert_eq!(passed(&a, "total_score"), 1);
    }

    #[test]
    fn rounded_total_tolerance() {
        // A total printed without decimals may round the sum of decimal scores.
        let inds = vec![ind("产出指标", "90", "甲", "90", "88.6")];
        let mut a = self_eval(inds, ("100", "97"), "8.66");
        annex(&mut a);
        assert!(failed(&a).is_empty(), "{:?}", failed(&a));
    }

    #[test]
    fn duplicate_row_codes_among_siblings() {
        let t = table(
            "budget_execution",
            &[("executed", "执行数")],
            vec![
                (Some("四"), "当期收支结余", 0, None, vec![""]),
                (Some("五"), "基金结余提取", 0, None, vec![""]),
                (Some("五"), "期末滚存结余", 0, None, vec![""]),
                (Some("1"), "甲", 1, Some(0), vec![""]),
                (Some("1"), "乙", 1, Some(1), vec![""]),
            ],
        );
        let mut a = annex_with(Kind::BudgetExecution, vec![t]);
        annex(&mut a);
        assert_eq!(codes(&a), vec!["duplicate_row_code"]);
        assert!(a.diagnostics[0].message.contains("五"));
    }

    #[test]
    fn document_years_and_titles() {
        let mut a1 = annex_with(Kind::BasicData, vec![]);
        a1.title = Some("2024年度部门整体支出绩效评价基础数据表".into());
        a1.tables = vec![table("expense_control", &YEARS, vec![])];
        let mut a2 = Annex::empty(Some("4".into()), Some("附件4".into()));
        a2.title = Some("2023年度项目支出绩效自评表".into());
        let mut a3 = Annex::empty(Some("7".into()), Some("附件7".into()));
        a3.title = None;
        let mut a4 = Annex::empty(Some("14".into()), Some("附件14".into()));
        a4.title = Some("2024年城乡居民社会养老保险基金预算支出情况表".into());
        a4.tables = vec![table(
            "budget_execution",
            &[
                ("initial_budget", "2023年年初预算数"),
                ("executed", "累计执行数"),
            ],
            vec![],
        )];
        let mut a5 = Annex::empty(Some("2".into()), Some("附件2".into()));
        a5.title = Some("2024年度部门整体支出绩效自评表".into());
        let mut a6 = Annex::empty(Some("6".into()), Some("附件6".into()));
        a6.title = Some("城镇企业养老保险基金支出绩效自评表".into());
        a6.year = Some(2023);
        let mut v = vec![a1, a2, a3, a4, a5, a6];
        document(&mut v, &mut []);
        assert_eq!(codes(&v[5]), vec!["title_year_mismatch"]);
        assert!(v[5].diagnostics[0].message.contains("year line says 2023"));
        assert!(codes(&v[0]).is_empty(), "{:?}", v[0].diagnostics);
        assert_eq!(codes(&v[1]), vec!["title_year_mismatch"]);
        assert_eq!(codes(&v[2]), vec!["missing_title"]);
        assert_eq!(v[2].year, Some(2024));
        assert_eq!(codes(&v[3]), vec!["title_year_mismatch"]);
        assert!(v[3].diagnostics[0].message.contains("2023年年初预算数"));
        assert!(codes(&v[4]).is_empty());
    }

    #[test]
    fn never_panics_on_odd_input() {
        let t = table(
            "funds",
            &[
                ("executed", "执行数"),
                ("budget", "预算数"),
                ("execution_rate", "执行率"),
                ("weight", "分值"),
                ("score", "得分"),
            ],
            vec![
                (
                    None,
                    "a",
                    0,
                    Some(0),
                    vec!["79228162514264337593543950335", "0", "100%", "10", "10"],
                ),
                (
                    None,
                    "b",
                    1,
                    Some(99),
                    vec!["0.0000000000000000000000000001", "0.00", "1%", "0", "0"],
                ),
                (
                    None,
                    "c",
                    1,
                    Some(0),
                    vec![
                        "79228162514264337593543950335",
                        "79228162514264337593543950335",
                        "",
                        "",
                        "",
                    ],
                ),
            ],
        );
        let mut a = annex_with(Kind::ProjectSelfEvaluation, vec![t]);
        a.total = Some(Total {
            weight: Some(Decimal::MAX),
            score: None,
            grade: None,
        });
        a.indicators = vec![ind(
            "x",
            "79228162514264337593543950335",
            "y",
            "79228162514264337593543950335",
            "1",
        )];
        annex(&mut a);
    }

    #[test]
    fn progress_and_period_balance_fail_when_off() {
        let cols = [
            ("initial_budget", "年初预算数"),
            ("adjusted_budget", "调整后预算数"),
            ("executed", "实际执行数"),
            ("progress", "预算执行进度(%)"),
        ];
        // progress against the adjusted budget: 1599.34 / 1626.72 = 98.32%.
        let t = table(
            "budget_execution",
            &cols,
            vec![
                (
                    Some("二"),
                    "收入合计",
                    0,
                    None,
                    vec!["1,581.02", "1,626.72", "1,599.34", "98.32%"],
                ),
                (
                    Some("三"),
                    "支出合计",
                    0,
                    None,
                    vec!["1,681.73", "1,626.53", "1,587.23", "97.58%"],
                ),
                (
                    Some("四"),
                    "当期收支结余",
                    0,
                    None,
                    vec!["-100.72", "0.25", "12.11", "91.00%"],
                ),
            ],
        );
        let mut a = annex_with(Kind::BudgetExecution, vec![t]);
        annex(&mut a);
        assert_eq!(
            failed(&a),
            vec![
                "progress_rate budget_execution/当期收支结余/progress",
                "period_balance budget_execution/当期收支结余/adjusted_budget",
            ]
        );
        assert_eq!(passed(&a, "progress_rate"), 2);
        assert_eq!(passed(&a, "period_balance"), 2);
        let at = &a
            .checks
            .iter()
            .find(|c| c.rule == "progress_rate" && c.ok)
            .unwrap()
            .at;
        assert_eq!(at, "budget_execution/收入合计/progress");
    }

    #[test]
    fn total_weight_fails_when_off() {
        let inds = vec![
            ind("产出指标", "50", "甲", "40", "40"),
            ind("满意度指标", "30", "乙", "10", "10"),
        ];
        let mut a = self_eval(inds, ("100", "58.66"), "8.66");
        annex(&mut a);
        let f = failed(&a);
        assert!(
            f.contains(&"total_weight total/weight".to_string()),
            "{f:?}"
        );
        assert!(!f.contains(&"total_score total/score".to_string()), "{f:?}");
    }

    #[test]
    fn building_control_rates() {
        let cols = [
            ("", "批复规模（㎡）"),
            ("", "实际规模（㎡）"),
            ("", "规模控制率"),
            ("", "预算投资（万元）"),
            ("", "实际投资（万元）"),
            ("", "投资概算控制率"),
        ];
        let t = table(
            "building_control",
            &cols,
            vec![(
                None,
                "办公楼",
                0,
                None,
                vec!["1000", "950", "95.00%", "200.00", "210.00", "100.00%"],
            )],
        );
        let mut a = annex_with(Kind::BasicData, vec![t]);
        annex(&mut a);
        assert_eq!(passed(&a, "control_rate"), 1);
        assert_eq!(
            failed(&a),
            vec!["control_rate building_control/办公楼/投资概算控制率"]
        );
        // Rates, areas and money side by side: nothing is summed.
        assert_eq!(a.checks.len(), 2);
    }

    #[test]
    fn execution_rate_may_be_capped_at_100() {
        let mut t = funds("10.00", "100.00%");
        t.rows.truncate(1);
        t.rows[0].cells[0] = c("938.76");
        t.rows[0].cells[1] = c("1,058.46");
        t.rows[0].cells[2] = c("1,061.91");
        let mut a = annex_with(Kind::ProjectSelfEvaluation, vec![t.clone()]);
        annex(&mut a);
        assert!(failed(&a).is_empty(), "{:?}", failed(&a));
        assert_eq!(passed(&a, "execution_rate"), 1);
        // Spent less than the budget: 100% is wrong.
        t.rows[0].cells[2] = c("1,000.00");
        let mut a = annex_with(Kind::ProjectSelfEvaluation, vec![t]);
        annex(&mut a);
        assert!(
            failed(&a).contains(&"execution_rate funds/年度资金总额/execution_rate".to_string())
        );
    }

    #[test]
    fn side_by_side_stub_columns_are_not_summed_on_the_left_rows() {
        // 收支总表: 收入 rows on the left, 支出 rows (their own labels) on the right.
        let t = table(
            "table_1",
            &[
                ("budget", "本年收入/预算数"),
                ("", "本年支出/项目"),
                ("budget_2", "本年支出/预算数"),
            ],
            vec![
                (
                    Some("一"),
                    "财政拨款收入",
                    0,
                    None,
                    vec!["91.00", "一、一般公共服务支出", "82.00"],
                ),
                (
                    Some("1"),
                    "一般公共预算资金",
                    1,
                    Some(0),
                    vec!["91.00", "二、社会保障和就业支出", "4.00"],
                ),
                (
                    Some("2"),
                    "政府性基金",
                    1,
                    Some(0),
                    vec!["", "三、卫生健康支出", "5.00"],
                ),
            ],
        );
        let mut a = annex_with(Kind::Unknown, vec![t]);
        annex(&mut a);
        assert!(failed(&a).is_empty(), "{:?}", failed(&a));
        assert_eq!(passed(&a, "sum_of_children"), 1);
        assert_eq!(a.checks[0].at, "table_1/财政拨款收入/budget");
    }

    #[test]
    fn total_column_is_the_sum_of_its_siblings() {
        let cols = [
            ("", "支出/合计"),
            ("", "支出/基本支出"),
            ("", "支出/项目支出"),
            ("", "年末结转和结余"),
        ];
        let t = table(
            "table_2",
            &cols,
            vec![
                (
                    None,
                    "合计",
                    0,
                    None,
                    vec!["307.82", "105.58", "202.24", "9.00"],
                ),
                (
                    None,
                    "一般公共服务支出",
                    0,
                    None,
                    vec!["264.87", "62.63", "202.24", ""],
                ),
                (
                    None,
                    "行政运行",
                    0,
                    None,
                    vec!["51.32", "51.32", "", "3.00"],
                ),
                (
                    None,
                    "社会保障和就业支出",
                    0,
                    None,
                    vec!["10.82", "10.80", "", ""],
                ),
            ],
        );
        let mut a = annex_with(Kind::Unknown, vec![t]);
        annex(&mut a);
        assert_eq!(passed(&a, "sum_of_columns"), 3);
        assert_eq!(
            failed(&a),
            vec!["sum_of_columns table_2/社会保障和就业支出/支出/合计"]
        );
        // A total column whose neighbours are no breakdown: nothing checked.
        let cols = [("", "合计"), ("", "人数")];
        let t = table(
            "t",
            &cols,
            vec![
                (None, "a", 0, None, vec!["10.00", "3"]),
                (None, "b", 0, None, vec!["20.00", "4"]),
            ],
        );
        let mut a = annex_with(Kind::Unknown, vec![t]);
        annex(&mut a);
        assert!(a.checks.is_empty(), "{:?}", a.checks);
    }
}

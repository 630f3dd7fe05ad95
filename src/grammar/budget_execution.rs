//! Grammar of the 预算支出情况表 / 收支情况表 (table `budget_execution`): a head of fields
//! (填报单位 / 实施单位 / 单位), a header (项目 | 年初预算数 | 调整后预算数 | 执行数 |
//! 预算执行进度(%)), and coded rows 一、期初余额 … 五、期末滚存结余.

use super::columns;
use super::frag::Frag;
use super::rows::{self, Parsed};
use super::self_evaluation::parse_fields;
use crate::heuristics::column_by_arithmetic::{self as arith, Context};
use crate::heuristics::vertical_labels::merge_known;
use crate::model::{Annex, Cell, Diagnostic, Table};
use rust_decimal::Decimal;

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn is_item_header(s: &str) -> bool {
    matches!(squash(s).as_str(), "项目" | "项" | "目" | "科目" | "项目名称" | "科目名称" | "收支项目")
}

/// Build the `budget_execution` table (and fields) of `annex` from its cells.
pub fn build(annex: &mut Annex, cells: Vec<Frag>, marked: bool, em: f32) -> Vec<Frag> {
    let known = |s: &str| columns::base_key(s).is_some() || s == "项目";
    let (cells, _) = merge_known(cells, &known, 8);
    let header_at = cells.iter().position(|c| is_item_header(&c.text)).or_else(|| cells.iter().position(|c| columns::is_header_word(&squash(&c.text))));
    let Some(h) = header_at else {
        let (fields, rest) = parse_fields(&cells, &mut annex.diagnostics);
        annex.fields = Some(fields);
        return rest;
    };
    let (fields, mut unplaced) = parse_fields(&cells[..h], &mut annex.diagnostics);
    annex.fields = Some(fields);
    // Header cells: up to the first coded row (a header printed in pieces may hold bare
    // digits such as `20` / `24`), or up to the first value when no coded row follows soon.
    let coded = (h..cells.len().min(h + 60)).find(|&k| rows::split_code(&cells[k].text).0.is_some());
    let mut i = h;
    let mut labels = Vec::new();
    while i < cells.len() {
        let t = &cells[i].text;
        if Some(i) == coded || coded.is_none() && rows::is_value(t) || rows::split_code(t).0.is_some() {
            break;
        }
        if !is_item_header(t) {
            labels.push(squash(t));
        }
        i += 1;
    }
    if labels.iter().any(|l| columns::base_key(l).is_none()) {
        if let Some(split) = columns::split_concatenated(&labels) {
            annex.diagnostics.push(Diagnostic::info(
                "header_rejoined",
                format!("header printed in {} pieces read as {}", labels.len(), split.join(" | ")),
                cells.get(h).map(|c| c.position()),
            ));
            labels = split;
        }
    }
    let cols = columns::columns(&labels);
    let (raw, stop, _joins) = rows::assemble(&cells[i..], marked, em, |_| false);
    unplaced.extend(cells[i + stop..].iter().cloned());
    let parsed: Vec<Parsed> = rows::parse_all(raw);
    let (placed, levels) = place_and_nest(&parsed, &cols, &mut annex.diagnostics);
    annex.tables.push(Table {
        name: "budget_execution".into(),
        title: None,
        unit: annex.unit.clone(),
        columns: cols,
        rows: rows::to_rows(&parsed, placed, &levels),
    });
    unplaced
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
        .map(|(k, p)| rows::place_values(&p.raw.values, n, &rate_cols, &amount_cols, &rate_ctx(k)).0)
        .collect();
    let amounts: Vec<Vec<Option<Decimal>>> = first.iter().map(|c| amounts_of(c)).collect();
    let levels = rows::hierarchy(parsed, &amounts, diags);
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
        let (cells, note) = rows::place_values(&p.raw.values, n, &rate_cols, &amount_cols, &ctx);
        if let Some(note) = note {
            diags.push(Diagnostic::info("column_assigned_by_arithmetic", format!("row “{}”: {note}", p.label), Some(p.raw.first.position())));
        }
        done.push(amounts_of(&cells));
        placed.push(cells);
    }
    (placed, levels)
}

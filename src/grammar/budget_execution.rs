//! Grammar of the 预算支出情况表 / 收支情况表 (table `budget_execution`): a head of fields
//! (填报单位 / 实施单位 / 单位), a header (项目 | 年初预算数 | 调整后预算数 | 执行数 |
//! 预算执行进度(%)), and coded rows 一、期初余额 … 五、期末滚存结余.

use super::columns;
use super::frag::Frag;
use super::rows::{self, Parsed};
use super::self_evaluation::parse_fields;
use crate::heuristics::vertical_labels::merge_known;
use crate::model::{Annex, Diagnostic, Table};

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
    let (placed, levels) = rows::place_and_nest(&parsed, &cols, &mut annex.diagnostics);
    annex.tables.push(Table {
        name: "budget_execution".into(),
        title: None,
        unit: annex.unit.clone(),
        columns: cols,
        rows: rows::to_rows(&parsed, placed, &levels),
    });
    unplaced
}


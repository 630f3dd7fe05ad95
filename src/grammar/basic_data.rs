//! Grammar of the 绩效评价基础数据表 (kind `basic_data`): three blocks, each opened by its
//! caption — 财政供养人员情况 (`staffing`), 经费控制情况 (`expense_control`) and 楼堂馆所控制
//! 情况 (`building_control`) — plus the head fields and a trailing 厉行节约保障措施 field.

use super::columns;
use super::frag::Frag;
use super::rows::{self, Parsed};
use super::self_evaluation::parse_fields;
use crate::cell;
use crate::model::{Annex, Row, Table};

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

const STAFFING: &str = "财政供养人员情况";
const EXPENSE: &str = "经费控制情况";
const BUILDING: &str = "楼堂馆所控制情况";
const THRIFT: &str = "厉行节约保障措施";

fn caption_at(cells: &[Frag], word: &str) -> Option<usize> {
    cells.iter().position(|c| squash(&c.text).starts_with(word))
}

/// Build the basic-data tables of `annex`; returns the cells it could not place.
pub fn build(annex: &mut Annex, cells: Vec<Frag>, marked: bool, em: f32) -> Vec<Frag> {
    let s = caption_at(&cells, STAFFING);
    let e = caption_at(&cells, EXPENSE);
    let b = caption_at(&cells, BUILDING);
    let t = caption_at(&cells, THRIFT);
    let first = [s, e, b, t].iter().flatten().copied().min().unwrap_or(cells.len());
    let (mut fields, mut unplaced) = parse_fields(&cells[..first], &mut annex.diagnostics);
    let marks: Vec<usize> = [s, e, b, t, Some(cells.len())].iter().flatten().copied().collect();
    let end_of = |i: usize| marks.iter().copied().filter(|&m| m > i).min().unwrap_or(cells.len());

    if let Some(s) = s {
        let block = &cells[s..end_of(s)];
        let mut labels = Vec::new();
        let mut values = Vec::new();
        for c in &block[1..] {
            if rows::is_value(&c.text) {
                values.push(c.text.clone());
            } else {
                labels.push(squash(&c.text));
            }
        }
        let cols = columns::columns(&labels);
        let mut row_cells: Vec<Option<crate::model::Cell>> = values.iter().map(|v| cell::parse(v)).collect();
        row_cells.resize(cols.len(), None);
        if row_cells.len() > cols.len() {
            unplaced.extend(block.iter().filter(|c| rows::is_value(&c.text)).skip(cols.len()).cloned());
            row_cells.truncate(cols.len());
        }
        annex.tables.push(Table {
            name: "staffing".into(),
            title: Some(STAFFING.into()),
            unit: None,
            columns: cols,
            rows: vec![Row { code: None, label: STAFFING.into(), level: 0, parent: None, cells: row_cells }],
        });
    }
    if let Some(e) = e {
        let block = &cells[e..end_of(e)];
        let mut i = 1;
        let mut labels = Vec::new();
        while i < block.len() && columns::is_header_word(&squash(&block[i].text)) {
            labels.push(squash(&block[i].text));
            i += 1;
        }
        let cols = columns::columns(&labels);
        let (raw, stop, _) = rows::assemble(&block[i..], marked, em, |_| false);
        unplaced.extend(block[i + stop..].iter().cloned());
        let parsed: Vec<Parsed> = rows::parse_all(raw);
        let (placed, levels) = rows::place_and_nest(&parsed, &cols, &mut annex.diagnostics);
        annex.tables.push(Table {
            name: "expense_control".into(),
            title: Some(EXPENSE.into()),
            unit: annex.unit.clone(),
            columns: cols,
            rows: rows::to_rows(&parsed, placed, &levels),
        });
    }
    if let Some(b) = b {
        let block = &cells[b..end_of(b)];
        // Header pieces: a parenthesised piece or a lone character belongs to the piece
        // before it; a `（2024年完工项目）` qualifier belongs to the caption.
        let mut title = squash(&block[0].text);
        let mut labels: Vec<String> = Vec::new();
        let mut values = Vec::new();
        for c in &block[1..] {
            let t = squash(&c.text);
            if rows::is_value(&t) {
                values.push(t);
            } else if t.starts_with(['（', '(']) && (t.contains('年') || t.contains("项目")) {
                title.push_str(&t);
            } else if (t.starts_with(['（', '(']) || t.chars().count() == 1) && !labels.is_empty() {
                let last = labels.last_mut().expect("non-empty");
                last.push_str(&t);
            } else {
                labels.push(t);
            }
        }
        let cols = columns::columns(&labels);
        let mut rows_out = Vec::new();
        if !values.is_empty() {
            let mut cells_v: Vec<Option<crate::model::Cell>> = values.iter().map(|v| cell::parse(v)).collect();
            cells_v.resize(cols.len().max(cells_v.len()), None);
            rows_out.push(Row { code: None, label: title.clone(), level: 0, parent: None, cells: cells_v });
        }
        annex.tables.push(Table { name: "building_control".into(), title: Some(title), unit: None, columns: cols, rows: rows_out });
    }
    if let Some(t) = t {
        let block = &cells[t..end_of(t)];
        let v: String = block[1..].iter().map(|c| c.text.as_str()).collect();
        fields.insert(THRIFT.into(), if v.is_empty() { serde_json::Value::Null } else { serde_json::Value::String(v) });
    }
    annex.fields = Some(fields);
    unplaced
}

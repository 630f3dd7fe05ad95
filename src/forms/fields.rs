//! Label–value fields of a form's head (项目名称 | 春节走访慰问经费 | 主管部门 | …), read
//! from one grid row at a time: a label cell and the cell after it, or `label：value` in
//! one cell (several per cell: `填报单位：… 实施单位：… 单位：万元`). Known labels get the
//! schema keys (`project_name`, `department`, `implementer`), others keep their printed
//! label. A checkbox value (`1、部门预算项目 R 2、市直专项 □`) is the ticked item's text.

use super::compact;
use crate::grammar::vocab;
use crate::grid::RowCell;
use regex::Regex;
use serde_json::{Map, Value};
use std::sync::LazyLock;

static INLINE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"([^\s:：]{1,14})\s*[:：]\s*").unwrap());
static CHECKBOX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\d+\s*[、.．]\s*)?([^□☑■√✓✔£R\d、]+?)\s*([□☑■√✓✔£]|R(?:\s|$))").unwrap());

/// What one row gave.
#[derive(Debug, Default, PartialEq)]
pub struct RowFields {
    /// (key, value) in printed order.
    pub pairs: Vec<(String, Option<String>)>,
    /// A unit printed as `单位：万元`.
    pub unit: Option<String>,
}


/// The key a printed label is stored under.
pub fn key_of(label: &str) -> String {
    let l = compact(label);
    let l = l.trim_end_matches([':', '：']);
    vocab::field_key(l).unwrap_or(l).to_string()
}

/// The ticked item of a checkbox value, or the value itself.
pub fn checkbox_value(v: &str) -> String {
    if !v.contains(['□', '☑', '■', '√', '✓', '✔', '£']) {
        return v.to_string();
    }
    for m in CHECKBOX.captures_iter(v) {
        let mark = m[2].trim();
        if matches!(mark, "☑" | "■" | "√" | "✓" | "✔" | "R") {
            return m[1].trim().to_string();
        }
    }
    v.to_string()
}

/// `label：value` pieces of one cell; `None` when the cell holds none.
pub fn inline_pairs(text: &str) -> Option<Vec<(String, String)>> {
    let caps: Vec<_> = INLINE.captures_iter(text).collect();
    if caps.is_empty() || caps[0].get(0)?.start() != 0 {
        return None;
    }
    let mut out = Vec::new();
    for (i, m) in caps.iter().enumerate() {
        let end = caps.get(i + 1).map(|n| n.get(0).map_or(text.len(), |g| g.start())).unwrap_or(text.len());
        let start = m.get(0)?.end();
        out.push((m[1].to_string(), text[start..end.max(start)].trim().to_string()));
    }
    Some(out)
}

/// Read the fields of one row from its own cells (empty ones included: an empty value is
/// a field whose value is null).
pub fn read_row(cells: &[&RowCell]) -> RowFields {
    let mut out = RowFields::default();
    let mut i = 0;
    while i < cells.len() {
        let t = cells[i].text.trim();
        if t.is_empty() {
            i += 1;
            continue;
        }
        // `项目名称：` alone in its cell: a label whose value is the next cell; so is
        // `其中：财政资金` (其中 marks a sub-item, it is no label).
        let t = t.strip_prefix("其中：").or_else(|| t.strip_prefix("其中:")).unwrap_or(t);
        let bare_label = inline_pairs(t).is_some_and(|p| p.len() == 1 && p[0].1.is_empty());
        if let Some(pairs) = inline_pairs(t).filter(|_| !bare_label) {
            for (l, v) in pairs {
                if matches!(compact(&l).as_str(), "单位" | "金额单位" | "计量单位") {
                    out.unit = Some(v.trim_end_matches(['）', ')']).to_string()).filter(|u| !u.is_empty());
                } else {
                    let v = checkbox_value(&v);
                    out.pairs.push((key_of(&l), (!v.is_empty()).then_some(v)));
                }
            }
            i += 1;
            continue;
        }
        let value = cells.get(i + 1).map(|c| c.text.trim().to_string());
        // A label is text, not a number; its value is the next cell (null when empty or absent).
        if super::blocks::is_number(t) {
            i += 1;
            continue;
        }
        let v = value.filter(|v| !v.is_empty()).map(|v| checkbox_value(&v));
        out.pairs.push((key_of(t), v));
        i += 2;
    }
    out
}

/// Merge a row's pairs into the annex's field map (a key already filled keeps its value).
pub fn merge(map: &mut Map<String, Value>, pairs: Vec<(String, Option<String>)>) {
    for (k, v) in pairs {
        let empty = map.get(&k).is_none_or(Value::is_null);
        if empty {
            map.insert(k, v.map(Value::String).unwrap_or(Value::Null));
        }
    }
}

/// A field map with the three schema keys present (null until filled).
pub fn new_map() -> Map<String, Value> {
    let mut m = Map::new();
    for k in ["project_name", "department", "implementer"] {
        m.insert(k.to_string(), Value::Null);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(texts: &[&str]) -> Vec<RowCell> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| RowCell { x0: i as f32, x1: i as f32 + 1.0, text: t.to_string(), first: true, merged_down: false, id: (0, i), row0: 0, bottom: false })
            .collect()
    }

    fn read(texts: &[&str]) -> RowFields {
        let c = cells(texts);
        read_row(&c.iter().collect::<Vec<_>>())
    }

    #[test]
    fn label_value_pairs_with_schema_keys() {
        let f = read(&["主管部门", "永德县教育体育局", "实施单位", "永德县明朗中学"]);
        assert_eq!(f.pairs, [("department".into(), Some("永德县教育体育局".into())), ("implementer".into(), Some("永德县明朗中学".into()))]);
        let f = read(&["主管部门", "", "实施单位", "天长市水利局"]);
        assert_eq!(f.pairs[0], ("department".into(), None));
    }

    #[test]
    fn a_label_with_its_colon_takes_the_next_cell() {
        let f = read(&["项目名称：", "社区工作站经费", "申请单位：", "深圳市宝安区松岗街道办事处"]);
        assert_eq!(f.pairs[0], ("project_name".into(), Some("社区工作站经费".into())));
        assert_eq!(f.pairs[1], ("申请单位".into(), Some("深圳市宝安区松岗街道办事处".into())));
        let f = read(&["其中：财政资金", "4,100,000.00"]);
        assert_eq!(f.pairs, [("财政资金".into(), Some("4,100,000.00".into()))]);
    }

    #[test]
    fn several_inline_pairs_and_the_unit() {
        let f = read(&["填报单位：湖南省人力资源和社会保障厅    实施单位：湖南省社会保险服务中心    单位：亿元"]);
        assert_eq!(f.unit.as_deref(), Some("亿元"));
        assert_eq!(f.pairs.len(), 2);
        assert_eq!(f.pairs[1], ("implementer".into(), Some("湖南省社会保险服务中心".into())));
    }

    #[test]
    fn checkbox_gives_the_ticked_item() {
        assert_eq!(checkbox_value("1、部门预算项目 R 2、市直专项 □ 3、市对下转移支付项目 □"), "部门预算项目");
        assert_eq!(checkbox_value("1、持续性项目 □ 2、新增性项目 ☑"), "新增性项目");
        assert_eq!(checkbox_value("无"), "无");
        assert_eq!(key_of("项目实施单位："), "implementer");
        assert_eq!(key_of("负责人及电话"), "负责人及电话");
    }
}

//! Cell normalization (in progress).

use crate::model::Cell;

/// Normalize one printed cell; `None` when it is empty or a dash.
pub fn parse(text: &str) -> Option<Cell> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    Some(Cell { text: t.to_string(), cmp: None, number: None, unit: None })
}

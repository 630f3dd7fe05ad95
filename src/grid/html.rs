//! HTML pages → [`Grid`]s, through scraper (html5ever).
//!
//! Content tables (tables with no table inside them) become grids, their `rowspan` /
//! `colspan` spans; a layout table (one that holds other tables) is walked into. Text
//! outside the content tables becomes one-line grids, one per block (`p`, `div`, `h1`…,
//! `li`, `br`), so markers, titles and units above a table and sign-offs below it are read
//! as in a PDF. Scripts, styles and the head are skipped.

use super::{Grid, GridCell, GridDoc, Origin};
use ego_tree::NodeRef;
use scraper::{Html, Node};

/// Rows × columns one table may span before it is cut (hostile `rowspan="100000"`).
pub const MAX_TABLE_CELLS: usize = 1_000_000;
/// Largest `rowspan` / `colspan` honoured.
const MAX_SPAN: usize = 1000;

/// Read an HTML page's content tables and the text around them, in document order.
pub fn read(text: &str) -> GridDoc {
    let html = Html::parse_document(text);
    let mut w = Walker { grids: Vec::new(), line: String::new() };
    w.walk(html.tree.root());
    w.flush();
    GridDoc { grids: w.grids, pages: None, diagnostics: Vec::new() }
}

struct Walker {
    grids: Vec<Grid>,
    line: String,
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "ul" | "ol" | "br" | "section" | "article" | "header"
            | "footer" | "tr" | "table" | "blockquote" | "pre" | "center" | "dd" | "dt" | "hr" | "body"
    )
}

fn is_skipped(name: &str) -> bool {
    matches!(name, "script" | "style" | "head" | "noscript" | "template" | "iframe" | "object" | "svg" | "select" | "button")
}

impl Walker {
    fn flush(&mut self) {
        let t = collapse(&self.line);
        self.line.clear();
        if !t.is_empty() {
            let x1 = t.chars().count() as f32;
            self.grids.push(Grid::line(t, None, None, 0.0, x1.max(1.0), Origin::Html));
        }
    }

    fn walk(&mut self, node: NodeRef<'_, Node>) {
        match node.value() {
            Node::Text(t) => self.line.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if is_skipped(name) {
                    return;
                }
                if name == "table" && !has_table_inside(node) {
                    self.flush();
                    if let Some(g) = table_grid(node) {
                        self.grids.push(g);
                    }
                    return;
                }
                let block = is_block(name);
                if block {
                    self.flush();
                }
                for c in node.children() {
                    self.walk(c);
                }
                if block {
                    self.flush();
                }
            }
            _ => {
                for c in node.children() {
                    self.walk(c);
                }
            }
        }
    }
}

fn has_table_inside(table: NodeRef<'_, Node>) -> bool {
    table.descendants().skip(1).any(|d| matches!(d.value(), Node::Element(e) if e.name() == "table"))
}

/// HTML white space collapsed to one space (no-break spaces kept as spaces), trimmed.
fn collapse(s: &str) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() && c != '\u{3000}' {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// A cell's printed lines: its text cut at `<br>` and block elements.
fn cell_lines(cell: NodeRef<'_, Node>) -> Vec<String> {
    fn go(n: NodeRef<'_, Node>, cur: &mut String, out: &mut Vec<String>) {
        match n.value() {
            Node::Text(t) => cur.push_str(t),
            Node::Element(e) if is_skipped(e.name()) => {}
            Node::Element(e) => {
                let block = is_block(e.name());
                if block {
                    out.push(std::mem::take(cur));
                }
                for c in n.children() {
                    go(c, cur, out);
                }
                if block {
                    out.push(std::mem::take(cur));
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in cell.children() {
        go(c, &mut cur, &mut out);
    }
    out.push(cur);
    out.into_iter().map(|l| collapse(&l)).filter(|l| !l.is_empty()).collect()
}

fn span_attr(e: &scraper::node::Element, name: &str) -> usize {
    e.attr(name).and_then(|v| v.trim().parse::<usize>().ok()).unwrap_or(1).clamp(1, MAX_SPAN)
}

/// The rows of a table (`tr` directly under it or under its `thead` / `tbody` / `tfoot`).
fn table_rows(table: NodeRef<'_, Node>) -> Vec<NodeRef<'_, Node>> {
    let mut rows = Vec::new();
    for c in table.children() {
        if let Node::Element(e) = c.value() {
            match e.name() {
                "tr" => rows.push(c),
                "thead" | "tbody" | "tfoot" => {
                    rows.extend(c.children().filter(|r| matches!(r.value(), Node::Element(e) if e.name() == "tr")));
                }
                _ => {}
            }
        }
    }
    rows
}

/// One content table as a grid: the HTML table model's slot filling (each cell takes the
/// next free slot of its row; spans reserve slots in later rows).
fn table_grid(table: NodeRef<'_, Node>) -> Option<Grid> {
    let rows = table_rows(table);
    let mut taken: Vec<Vec<bool>> = Vec::new();
    let mut cells = Vec::new();
    let mut ncols = 0usize;
    for (r, tr) in rows.iter().enumerate() {
        let mut col = 0usize;
        for td in tr.children() {
            let Node::Element(e) = td.value() else { continue };
            if e.name() != "td" && e.name() != "th" {
                continue;
            }
            let (rs, cs) = (span_attr(e, "rowspan"), span_attr(e, "colspan"));
            while taken.get(r).is_some_and(|row| row.get(col).copied().unwrap_or(false)) {
                col += 1;
            }
            let rs = rs.min(rows.len() - r);
            if (r + rs).saturating_mul(col + cs) > MAX_TABLE_CELLS {
                break;
            }
            for rr in r..r + rs {
                if taken.len() <= rr {
                    taken.resize(rr + 1, Vec::new());
                }
                if taken[rr].len() < col + cs {
                    taken[rr].resize(col + cs, false);
                }
                for cc in col..col + cs {
                    taken[rr][cc] = true;
                }
            }
            cells.push(GridCell { row: r, col, rowspan: rs, colspan: cs, lines: cell_lines(td), bbox: None });
            col += cs;
            ncols = ncols.max(col);
        }
    }
    if cells.is_empty() {
        return None;
    }
    Some(Grid {
        origin: Origin::Html,
        page: None,
        name: None,
        nrows: rows.len(),
        ncols,
        cells,
        xs: (0..=ncols).map(|i| i as f32).collect(),
        top: 0.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_take_their_slots_and_text_around_the_table_is_kept() {
        let doc = read(
            "<html><head><script>x()</script></head><body><div>附件1</div><p>标题</p><table>\
             <tr><td rowspan=2>产出<br>指标</td><td>a</td></tr><tr><td>b</td></tr></table><p>填表人：张三</p></body></html>",
        );
        let texts: Vec<String> = doc.grids.iter().map(|g| g.cells.iter().map(GridCell::text).collect::<Vec<_>>().join("|")).collect();
        assert_eq!(texts, ["附件1", "标题", "产出指标|a|b", "填表人：张三"]);
        let t = &doc.grids[2];
        assert_eq!((t.cells[2].row, t.cells[2].col), (1, 1));
        assert_eq!(t.cells[0].lines, ["产出", "指标"]);
    }

    #[test]
    fn a_layout_table_is_walked_into() {
        let doc = read("<table><tr><td>导航</td><td><table><tr><td>1</td><td>2</td></tr></table></td></tr></table>");
        assert_eq!(doc.grids.len(), 2);
        assert_eq!(doc.grids[1].ncols, 2);
    }
}

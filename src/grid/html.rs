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
/// Element nesting walked into; deeper content is read as the text of its ancestor at this
/// depth (hostile pages nest thousands deep; the walk must not exhaust the stack).
const MAX_DEPTH: usize = 200;

/// Element nesting beyond which a page is not parsed as HTML (the tree builder's work grows
/// with the square of the depth: 20 000 nested tags take minutes) but read as text lines.
pub const MAX_PARSE_DEPTH: usize = 1000;

/// The deepest element nesting of a page, by a linear scan of its tags (void elements and
/// `<… />` do not nest).
pub fn nesting_depth(text: &str) -> usize {
    const VOID: &[&str] = &["br", "img", "meta", "link", "input", "hr", "col", "area", "base", "wbr", "source", "track", "param", "embed"];
    let (mut depth, mut max) = (0usize, 0usize);
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(k) = b[i..].iter().position(|&c| c == b'<') {
        i += k + 1;
        match b.get(i) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let end = b[i..].iter().position(|&c| c == b'>').map_or(b.len(), |e| i + e);
                let tag = &text[i..end];
                let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
                if !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
                    depth += 1;
                    max = max.max(depth);
                }
            }
            _ => {}
        }
    }
    max
}

/// Read an HTML page's content tables and the text around them, in document order.
pub fn read(text: &str) -> GridDoc {
    let depth = nesting_depth(text);
    if depth > MAX_PARSE_DEPTH {
        return as_text_lines(text, depth);
    }
    let html = Html::parse_document(text);
    let mut w = Walker { grids: Vec::new(), line: String::new() };
    w.walk(html.tree.root(), 0);
    w.flush();
    GridDoc { grids: w.grids, pages: None, diagnostics: Vec::new() }
}

/// A page too deeply nested to parse: its markup dropped, its text kept line by line.
fn as_text_lines(text: &str, depth: usize) -> GridDoc {
    let mut plain = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                plain.push('\n');
            }
            _ if !in_tag => plain.push(c),
            _ => {}
        }
    }
    let grids = plain
        .lines()
        .map(collapse)
        .filter(|l| !l.is_empty())
        .map(|l| Grid::line(l, None, None, 0.0, 1.0, Origin::Html))
        .collect();
    let diagnostics = vec![crate::model::Diagnostic::warning(
        "limit_reached",
        format!("the page nests its elements {depth} deep (over {MAX_PARSE_DEPTH}): read as text lines, not as HTML tables"),
        None,
    )];
    GridDoc { grids, pages: None, diagnostics }
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

    fn walk(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        if depth >= MAX_DEPTH {
            self.line.push_str(&flat_text(node));
            return;
        }
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
                    self.walk(c, depth + 1);
                }
                if block {
                    self.flush();
                }
            }
            _ => {
                for c in node.children() {
                    self.walk(c, depth + 1);
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

/// All text under `node`, without recursion (for content nested past [`MAX_DEPTH`]).
fn flat_text(node: NodeRef<'_, Node>) -> String {
    node.descendants().filter_map(|d| if let Node::Text(t) = d.value() { Some(&**t) } else { None }).collect::<Vec<_>>().join(" ")
}

/// A cell's printed lines: its text cut at `<br>` and block elements.
fn cell_lines(cell: NodeRef<'_, Node>) -> Vec<String> {
    fn go(n: NodeRef<'_, Node>, cur: &mut String, out: &mut Vec<String>, depth: usize) {
        if depth >= MAX_DEPTH {
            cur.push_str(&flat_text(n));
            return;
        }
        match n.value() {
            Node::Text(t) => cur.push_str(t),
            Node::Element(e) if is_skipped(e.name()) => {}
            Node::Element(e) => {
                let block = is_block(e.name());
                if block {
                    out.push(std::mem::take(cur));
                }
                for c in n.children() {
                    go(c, cur, out, depth + 1);
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
        go(c, &mut cur, &mut out, 0);
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
    Some(Grid::of_columns(Origin::Html, rows.len(), ncols, cells))
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
    fn deep_nesting_is_read_without_exhausting_the_stack() {
        // Under the parse limit: walked with a bounded depth on a small stack.
        let deep = format!("{}深{}", "<div><span>".repeat(400), "</span></div>".repeat(400));
        assert_eq!(nesting_depth(&deep), 800);
        let doc = std::thread::Builder::new().stack_size(256 * 1024).spawn(move || read(&deep)).unwrap().join().unwrap();
        assert_eq!(doc.grids.len(), 1);
        // Over it: read as text at once, and said.
        let deeper = format!("{}深<br>{}", "<div>".repeat(50_000), "</div>".repeat(50_000));
        let t = std::time::Instant::now();
        let doc = read(&deeper);
        assert!(t.elapsed().as_secs() < 2);
        assert_eq!(doc.grids.len(), 1);
        assert_eq!(doc.diagnostics[0].code, "limit_reached");
    }

    #[test]
    fn a_layout_table_is_walked_into() {
        let doc = read("<table><tr><td>导航</td><td><table><tr><td>1</td><td>2</td></tr></table></td></tr></table>");
        assert_eq!(doc.grids.len(), 2);
        assert_eq!(doc.grids[1].ncols, 2);
    }
}

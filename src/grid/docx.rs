//! Word documents (docx) → [`Grid`]s, through zip and quick-xml.
//!
//! `word/document.xml` is read in document order: each body paragraph (`w:p`) is a line
//! (附件N, the title, 单位：, the sign-off), each table (`w:tbl`) a grid. A cell (`w:tc`)
//! spans the grid columns of its `w:gridSpan`; a cell marked `w:vMerge` without
//! `restart` continues the cell above it in the same columns (its rowspan grows). Each
//! paragraph of a cell is one of its lines. A table nested in a cell gives its text to
//! that cell.
//!
//! Hostile input: the part's decompressed size is capped ([`MAX_PART_BYTES`]), the XML is
//! read as a stream (no entity expansion, no recursion).

use super::{Grid, GridCell, GridDoc, Origin};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::io::{Cursor, Read};

/// Largest decompressed `word/document.xml` read (a zip bomb stops here).
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// Largest `w:gridSpan` honoured.
const MAX_SPAN: usize = 256;

/// Read a docx's body paragraphs and tables, in document order.
pub fn read(bytes: &[u8]) -> Result<GridDoc, String> {
    let xml = document_xml(bytes)?;
    Ok(parse(&xml))
}

/// The decompressed `word/document.xml`.
fn document_xml(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a readable docx (zip): {e}"))?;
    let mut part = zip.by_name("word/document.xml").map_err(|_| "a ZIP archive without word/document.xml".to_string())?;
    if part.size() > MAX_PART_BYTES {
        return Err(format!("word/document.xml is {} bytes decompressed, over {MAX_PART_BYTES}", part.size()));
    }
    let mut xml = Vec::new();
    (&mut part).take(MAX_PART_BYTES + 1).read_to_end(&mut xml).map_err(|e| format!("word/document.xml unreadable: {e}"))?;
    if xml.len() as u64 > MAX_PART_BYTES {
        return Err(format!("word/document.xml decompresses past {MAX_PART_BYTES} bytes"));
    }
    Ok(xml)
}

/// A table being read: rows of (grid column, span, vMerge continue, lines).
#[derive(Default)]
struct Table {
    rows: Vec<Vec<(usize, usize, bool, Vec<String>)>>,
}

#[derive(Default)]
struct State {
    grids: Vec<Grid>,
    /// Tables open (a nested table is read into its outer cell).
    tables: Vec<Table>,
    /// The current cell: (span, vMerge continue, lines).
    cell: Option<(usize, bool, Vec<String>)>,
    para: String,
    in_text: bool,
    /// Depth of tables nested inside the current cell (their rows and cells are transparent).
    nested: usize,
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

impl State {
    fn end_paragraph(&mut self) {
        let text = std::mem::take(&mut self.para);
        match self.cell.as_mut() {
            Some((_, _, lines)) => lines.push(text),
            None if self.tables.is_empty() => {
                let t = text.trim();
                if !t.is_empty() {
                    self.grids.push(Grid::line(t.to_string(), None, None, 0.0, 1.0, Origin::Html));
                }
            }
            None => {}
        }
    }

    fn start(&mut self, e: &BytesStart<'_>) {
        match e.name().as_ref() {
            "w:tbl" if self.cell.is_some() => self.nested += 1,
            "w:tbl" => self.tables.push(Table::default()),
            "w:tr" | "w:tc" if self.nested > 0 => {}
            "w:tr" if self.cell.is_none() => {
                if let Some(t) = self.tables.last_mut() {
                    t.rows.push(Vec::new());
                }
            }
            "w:tc" if self.cell.is_none() && !self.tables.is_empty() => self.cell = Some((1, false, Vec::new())),
            "w:t" => self.in_text = true,
            _ => {}
        }
    }

    fn empty(&mut self, e: &BytesStart<'_>) {
        match e.name().as_ref() {
            "w:gridSpan" => {
                if let (Some(c), Some(v)) = (self.cell.as_mut(), attr(e, "w:val")) {
                    c.0 = v.parse::<usize>().unwrap_or(1).clamp(1, MAX_SPAN);
                }
            }
            "w:vMerge" => {
                if let Some(c) = self.cell.as_mut() {
                    c.1 = attr(e, "w:val").is_none_or(|v| v != "restart");
                }
            }
            "w:tab" => self.para.push(' '),
            "w:br" | "w:cr" => {
                let t = std::mem::take(&mut self.para);
                if let Some((_, _, lines)) = self.cell.as_mut() {
                    lines.push(t);
                } else {
                    self.para = t + " ";
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if self.nested > 0 && matches!(name, "w:tbl" | "w:tr" | "w:tc") {
            // A nested table's text went into the outer cell, paragraph by paragraph.
            if name == "w:tbl" {
                self.nested -= 1;
            }
            return;
        }
        match name {
            "w:t" => self.in_text = false,
            "w:p" => self.end_paragraph(),
            "w:tc" => {
                if let (Some((span, cont, lines)), Some(t)) = (self.cell.take(), self.tables.last_mut())
                    && let Some(row) = t.rows.last_mut()
                {
                    let col = row.last().map_or(0, |c| c.0 + c.1);
                    row.push((col, span, cont, lines));
                }
            }
            "w:tbl" if self.cell.is_none() => {
                if let Some(t) = self.tables.pop()
                    && let Some(g) = to_grid(t)
                {
                    self.grids.push(g);
                }
            }
            _ => {}
        }
    }
}

/// The XML of a document part → its grids.
fn parse(xml: &[u8]) -> GridDoc {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut st = State::default();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => st.start(&e),
            Ok(Event::Empty(e)) => {
                st.start(&e);
                st.empty(&e);
                let name = e.name().as_ref().to_string();
                if name == "w:p" || name == "w:tc" {
                    st.end(&name);
                }
            }
            Ok(Event::End(e)) => st.end(e.name().as_ref()),
            Ok(Event::Text(t)) if st.in_text => st.para.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) if st.in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    st.para.push(c);
                } else {
                    let c = match r.xml10_content().as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        _ => continue,
                    };
                    st.para.push(c);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    GridDoc { grids: st.grids, pages: None, diagnostics: Vec::new() }
}

/// A read table as a grid: `vMerge` continuation cells grow the cell above them.
fn to_grid(t: Table) -> Option<Grid> {
    let ncols = t.rows.iter().filter_map(|r| r.last().map(|c| c.0 + c.1)).max()?;
    let mut cells: Vec<GridCell> = Vec::new();
    for (r, row) in t.rows.iter().enumerate() {
        for (col, span, cont, lines) in row {
            if *cont
                && let Some(above) = cells.iter_mut().rev().find(|c| c.col == *col && c.row + c.rowspan == r)
            {
                above.rowspan += 1;
                continue;
            }
            cells.push(GridCell { row: r, col: *col, rowspan: 1, colspan: *span, lines: lines.clone(), bbox: None });
        }
    }
    Some(Grid::of_columns(Origin::Html, t.rows.len(), ncols, cells))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<w:document xmlns:w="x"><w:body>
        <w:p><w:r><w:t>附件1</w:t></w:r></w:p>
        <w:p><w:r><w:t>项目支出</w:t></w:r><w:r><w:t>绩效自评表</w:t></w:r></w:p>
        <w:tbl>
          <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>产出</w:t></w:r></w:p><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc>
                <w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>A&amp;B</w:t></w:r></w:p></w:tc></w:tr>
          <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr>
        </w:tbl>
        <w:p><w:r><w:t>填表人：张三</w:t></w:r></w:p>
    </w:body></w:document>"#;

    #[test]
    fn paragraphs_tables_spans_and_merges() {
        let doc = parse(DOC.as_bytes());
        let texts: Vec<String> = doc.grids.iter().map(|g| g.cells.iter().map(GridCell::text).collect::<Vec<_>>().join("|")).collect();
        assert_eq!(texts, ["附件1", "项目支出绩效自评表", "产出指标|A&B|1|2", "填表人：张三"]);
        let t = &doc.grids[2];
        assert_eq!((t.nrows, t.ncols), (2, 3));
        assert_eq!((t.cells[0].rowspan, t.cells[1].colspan, t.cells[2].col), (2, 2, 1));
    }

    #[test]
    fn a_nested_table_gives_its_text_to_its_cell() {
        let xml = r#"<w:document><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>外</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>内</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc>
            <w:tc><w:p><w:r><w:t>右</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"#;
        let doc = parse(xml.as_bytes());
        assert_eq!(doc.grids.len(), 1);
        assert_eq!(doc.grids[0].cells.iter().map(GridCell::text).collect::<Vec<_>>(), ["外内", "右"]);
    }

    #[test]
    fn not_a_docx_is_an_error() {
        assert!(read(b"PK\x03\x04 not really").is_err());
    }
}

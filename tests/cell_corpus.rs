//! Re-parses the `text` of every hand-checked cell in `corpus/*/expected/*.json`
//! (table cells and indicator targets/actuals) and compares `cmp`, `number` (value and
//! printed scale) and `unit` with the expected values.

use std::path::{Path, PathBuf};

use annex2json::cell;
use annex2json::model::Cell;
use serde_json::Value;

fn expected_files() -> Vec<PathBuf> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files = Vec::new();
    let forms = std::fs::read_dir(corpus.join("forms")).into_iter().flatten();
    for doc in std::fs::read_dir(&corpus).expect("corpus/").chain(forms).flatten() {
        let dir = doc.path().join("expected");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// The completion a form's side columns give an indicator cell (SPEC "Other templates"): a
/// comparator column (指标性质 `≧`) sets a target's missing `cmp`; a unit column (度量单位)
/// sets a target's missing unit, and an actual's when the actual is a bare number.
fn side_columns(ind: &Value, k: &str, mut c: Cell) -> Cell {
    for (label, v) in ind["extra"].as_object().into_iter().flatten() {
        let Some(v) = v.as_str() else { continue };
        if annex2json::forms::columns::is_unit_column(label) {
            let bare = c.text.trim().parse::<f64>().is_ok();
            if c.number.is_some() && c.unit.is_none() && (k == "target" || bare) {
                c.unit = Some(v.trim().to_string());
            }
        } else if let Some(cmp) = annex2json::forms::columns::comparator_column(v)
            && k == "target"
            && c.number.is_some()
            && c.cmp.is_none()
        {
            c.cmp = Some(cmp.to_string());
        }
    }
    c
}

/// Every non-null cell of an annex, with where it was found.
fn cells(annex: &Value, out: &mut Vec<(String, Value)>) {
    for t in annex["tables"].as_array().into_iter().flatten() {
        let name = t["name"].as_str().unwrap_or("?");
        for (ri, r) in t["rows"].as_array().into_iter().flatten().enumerate() {
            for (ci, c) in r["cells"].as_array().into_iter().flatten().enumerate() {
                if !c.is_null() {
                    out.push((format!("{name}[{ri}][{ci}]"), c.clone()));
                }
            }
        }
    }
    for (i, ind) in annex["indicators"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        for k in ["target", "actual"] {
            if !ind[k].is_null() {
                out.push((format!("indicators[{i}].{k}"), ind[k].clone()));
            }
        }
    }
}

#[test]
fn corpus_cells_agree() {
    let files = expected_files();
    assert!(!files.is_empty(), "no expected files under corpus/");
    let (mut total, mut mismatches) = (0usize, Vec::new());
    for f in &files {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        let mut found = Vec::new();
        cells(&v, &mut found);
        // Indicator cells, by where they were found, with their indicator (for its side columns).
        let mut side: std::collections::HashMap<String, (Value, &str)> = std::collections::HashMap::new();
        for (i, ind) in v["indicators"].as_array().into_iter().flatten().enumerate() {
            for k in ["target", "actual"] {
                side.insert(format!("indicators[{i}].{k}"), (ind.clone(), k));
            }
        }
        for (at, c) in found {
            total += 1;
            let want: Cell = serde_json::from_value(c.clone())
                .unwrap_or_else(|e| panic!("{}: {at}: bad cell {c}: {e}", f.display()));
            let got = cell::parse(&want.text).map(|g| match side.get(&at) {
                Some((ind, k)) => side_columns(ind, k, g),
                None => g,
            });
            let ok = match &got {
                None => false,
                Some(g) => {
                    g.text == want.text
                        && g.cmp == want.cmp
                        && g.unit == want.unit
                        && match (g.number, want.number) {
                            // Same value and same printed digits (scale).
                            (Some(a), Some(b)) => a == b && a.to_string() == b.to_string(),
                            (None, None) => true,
                            _ => false,
                        }
                }
            };
            if !ok {
                let rel = f.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(f);
                mismatches.push(format!(
                    "{}: {at}\n  text     {:?}\n  expected cmp={:?} number={:?} unit={:?}\n  got      {:?}",
                    rel.display(),
                    want.text,
                    want.cmp,
                    want.number.map(|n| n.to_string()),
                    want.unit,
                    got.map(|g| (g.cmp, g.number.map(|n| n.to_string()), g.unit, g.text)),
                ));
            }
        }
    }
    let agree = total - mismatches.len();
    eprintln!("cell corpus: {agree}/{total} cells agree");
    assert!(
        mismatches.is_empty(),
        "{} of {total} cells disagree:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

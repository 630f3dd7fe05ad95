//! The fact scorer, a faithful Rust port of the project's reference `tools/score.py`.
//!
//! Use it from an integration test with `mod score;`. Tests never need Python: the
//! cross-check against `score.py` (`tests/score_selftest.rs`, ignored by default) is the
//! only place Python is run, and only when asked for.
//!
//! What it measures (identical to `score.py`): each annex is flattened into *facts*
//! `(category, key…) → normalized value`; a fact of the output is a hit when the truth has
//! the same key with the same value. Per category and overall (`ALL`) we report precision,
//! recall and F1, each rounded to 4 places, plus `indicator_recovery`, the share of truth
//! indicators whose name, target text, actual text, weight and score all come out right.
//!
//! Categories: `meta`, `fields`, `structure`, `cells`, `ind_labels` (with `core`), `ind_text`,
//! `ind_numbers`, `ind_extra`, `goals`, `total` (with `grade`), `signoff`. A category that has no fact on either side
//! is not reported (as in `score.py`).
//!
//! Normalization: text loses every whitespace character (Python's `\s` plus U+3000);
//! numbers compare as decimals (`100.00` = `100`), written in plain notation after
//! `normalize()`; a cell compares as `"#" + number` when it has a number, else as its text.
//! Absent, `null`, `""` and `"None"` values are no facts at all.
//!
//! Python semantics are reproduced where they matter for the score: `str()` of JSON values
//! (integers vs decimals, `True`, `None`), Python truthiness (`x or {}`), dict insertion order
//! with last-write-wins for duplicate keys, `round(x, 4)`, and `Decimal`'s 28-digit context.

#![allow(dead_code)]

use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// Python-like values
// ---------------------------------------------------------------------------------------------

/// A fact value or key part, compared with Python's `==` semantics.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum P {
    None,
    Str(String),
    /// A JSON number or bool, as its exact decimal value (Python: `1 == Decimal("1.0") == True`).
    Num(String),
    /// A list or object, as JSON text.
    Other(String),
}

impl P {
    fn from_opt(s: Option<String>) -> P {
        s.map_or(P::None, P::Str)
    }

    /// A raw JSON value used as-is by score.py (`c.get("cmp")`, a table's `name`…).
    fn raw(v: &Value) -> P {
        match v {
            Value::Null => P::None,
            Value::String(s) => P::Str(s.clone()),
            Value::Bool(b) => P::Num(if *b { "1" } else { "0" }.into()),
            Value::Number(n) => match parse_decimal(&n.to_string()) {
                Some(Dec::Finite { neg, coeff, exp }) => P::Num(plain(neg, &coeff, exp, false)),
                _ => P::Other(n.to_string()),
            },
            other => P::Other(other.to_string()),
        }
    }

    /// JSON text for strings and None, `<other>` for anything else (used to compare misses
    /// with score.py's in the cross-check).
    pub fn json_text(&self) -> String {
        match self {
            P::None => "null".into(),
            P::Str(s) => serde_json::to_string(s).unwrap(),
            _ => "<other>".into(),
        }
    }

    /// True for the values score.py drops: `None`, `""`, `"None"`.
    fn is_empty_fact(&self) -> bool {
        matches!(self, P::None) || matches!(self, P::Str(s) if s.is_empty() || s == "None")
    }
}

impl std::fmt::Display for P {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            P::None => f.write_str("None"),
            P::Str(s) | P::Num(s) | P::Other(s) => f.write_str(s),
        }
    }
}

static NULL: Value = Value::Null;

/// `obj.get(key)`, `None` (null) for a missing key or a non-object.
fn get<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.as_object().and_then(|m| m.get(key)).unwrap_or(&NULL)
}

/// Python truthiness of a JSON value.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => !matches!(parse_decimal(&n.to_string()), Some(Dec::Finite { ref coeff, .. }) if coeff == "0"),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// `x or {}` for a value iterated as a dict.
fn as_dict(v: &Value) -> Option<&Map<String, Value>> {
    if truthy(v) { v.as_object() } else { None }
}

/// `x or []` for a value iterated as a list.
fn as_list(v: &Value) -> &[Value] {
    match v {
        Value::Array(a) => a,
        _ => &[],
    }
}

/// A JSON number token without `.`, `e`, `E` is a Python `int`; any other is a `Decimal`.
fn is_int_token(s: &str) -> bool {
    !s.contains(['.', 'e', 'E'])
}

/// Python `str(x)` of a JSON value as loaded by `json.load(..., parse_float=Decimal)`;
/// `None` for null.
pub fn py_str(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(if *b { "True" } else { "False" }.into()),
        Value::Number(n) => Some(py_num_str(&n.to_string())),
        other => Some(py_repr(other)),
    }
}

fn py_num_str(tok: &str) -> String {
    if is_int_token(tok) {
        // Python int: "-0" is 0; JSON integers have no "+" and no leading zeros.
        let t = tok.trim_start_matches('-');
        if t.bytes().all(|b| b == b'0') { "0".into() } else { tok.into() }
    } else {
        match parse_decimal(tok) {
            Some(d) => d.to_sci_string(),
            None => tok.into(),
        }
    }
}

/// Python `repr()` of a loaded JSON value (only used inside `str()` of lists and dicts).
fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Number(n) => {
            let t = n.to_string();
            if is_int_token(&t) { py_num_str(&t) } else { format!("Decimal('{}')", py_num_str(&t)) }
        }
        Value::String(s) => py_repr_str(s),
        Value::Array(a) => format!("[{}]", a.iter().map(py_repr).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => format!(
            "{{{}}}",
            o.iter().map(|(k, v)| format!("{}: {}", py_repr_str(k), py_repr(v))).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn py_repr_str(s: &str) -> String {
    let q = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::new();
    out.push(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            // Not `str.isprintable()`: controls, separators other than ' ', common format chars.
            c if c.is_control()
                || (c != ' ' && is_py_space(c))
                || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}') =>
            {
                let u = c as u32;
                let _ = if u < 0x100 { write!(out, "\\x{u:02x}") } else { write!(out, "\\u{u:04x}") };
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

// ---------------------------------------------------------------------------------------------
// Text and number normalization
// ---------------------------------------------------------------------------------------------

/// Python's `[\s\u3000]` for `str` patterns (`str.isspace()`): Rust's `char::is_whitespace`
/// plus the four information separators U+001C..U+001F.
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `norm_text`: `str(x)` with every whitespace character removed; `None` for null.
pub fn norm_text(v: &Value) -> Option<String> {
    py_str(v).map(|s| strip_ws(&s))
}

pub fn strip_ws(s: &str) -> String {
    s.chars().filter(|c| !is_py_space(*c)).collect()
}

/// `row_key`: normalized label less one leading `其中:` / `其中：`.
pub fn row_key(label: &Value) -> String {
    let s = norm_text(label).unwrap_or_default();
    for p in ["其中:", "其中："] {
        if let Some(rest) = s.strip_prefix(p) {
            return rest.to_string();
        }
    }
    s
}

/// A parsed Python `Decimal`.
#[derive(Clone, Debug, PartialEq)]
pub enum Dec {
    /// `coeff` has no leading zeros (`"0"` for zero).
    Finite { neg: bool, coeff: String, exp: i64 },
    Inf { neg: bool },
    NaN { neg: bool, diag: String },
    SNaN,
}

/// Python's `Decimal(str)` grammar: surrounding whitespace stripped, underscores ignored,
/// Unicode (full-width, Arabic-Indic…) digits accepted, case-insensitive `e`/`Inf`/`NaN`.
pub fn parse_decimal(s: &str) -> Option<Dec> {
    let s: String = s
        .trim_matches(is_py_space)
        .chars()
        .filter(|&c| c != '_')
        .map(|c| match unicode_digit(c) {
            Some(d) => char::from(b'0' + d),
            None => c,
        })
        .collect();
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, &s[..]),
    };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(Dec::Inf { neg });
    }
    if let Some(diag) = lower.strip_prefix("nan") {
        return diag.bytes().all(|b| b.is_ascii_digit()).then(|| Dec::NaN { neg, diag: diag.into() });
    }
    if let Some(diag) = lower.strip_prefix("snan") {
        return diag.bytes().all(|b| b.is_ascii_digit()).then_some(Dec::SNaN);
    }
    let (mant, exp) = match lower.find('e') {
        Some(i) => {
            let e = &lower[i + 1..];
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (&lower[..i], e.parse::<i64>().ok()?)
        }
        None => (&lower[..], 0),
    };
    let (int, frac) = match mant.find('.') {
        Some(i) => (&mant[..i], &mant[i + 1..]),
        None => (mant, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{int}{frac}");
    let coeff = digits.trim_start_matches('0');
    let coeff = if coeff.is_empty() { "0" } else { coeff };
    Some(Dec::Finite { neg, coeff: coeff.into(), exp: exp - frac.len() as i64 })
}

/// Unicode decimal digits that Python's `Decimal()` accepts, for the scripts a Chinese
/// document may hold (full-width) and the common others.
fn unicode_digit(c: char) -> Option<u8> {
    const ZEROS: [u32; 6] = [0xFF10, 0x0660, 0x06F0, 0x0966, 0x09E6, 0x1D7CE];
    if c.is_ascii_digit() {
        return None;
    }
    let u = c as u32;
    ZEROS.iter().find(|&&z| (z..z + 10).contains(&u)).map(|z| (u - z) as u8)
}

impl Dec {
    /// Python `str(Decimal)` (the to-sci-string conversion).
    pub fn to_sci_string(&self) -> String {
        match self {
            Dec::Inf { neg } => format!("{}Infinity", if *neg { "-" } else { "" }),
            Dec::NaN { neg, diag } => format!("{}NaN{}", if *neg { "-" } else { "" }, diag),
            Dec::SNaN => "sNaN".into(),
            Dec::Finite { neg, coeff, exp } => {
                let n = coeff.len() as i64;
                let left = exp + n;
                let dot = if *exp <= 0 && left > -6 { left } else { 1 };
                let (ip, fp) = if dot <= 0 {
                    ("0".to_string(), format!(".{}{}", "0".repeat((-dot) as usize), coeff))
                } else if dot >= n {
                    (format!("{}{}", coeff, "0".repeat((dot - n) as usize)), String::new())
                } else {
                    (coeff[..dot as usize].to_string(), format!(".{}", &coeff[dot as usize..]))
                };
                let e = if left == dot { String::new() } else { format!("E{:+}", left - dot) };
                format!("{}{}{}{}", if *neg { "-" } else { "" }, ip, fp, e)
            }
        }
    }
}

/// Plain (fixed-point) notation of `(-1)^neg × coeff × 10^exp`, trailing fraction zeros
/// stripped; `signed_zero` keeps the sign of a negative zero (`-0`), as Python does.
fn plain(neg: bool, coeff: &str, exp: i64, signed_zero: bool) -> String {
    let mut coeff = coeff.to_string();
    let mut exp = exp;
    if coeff == "0" {
        return if neg && signed_zero { "-0".into() } else { "0".into() };
    }
    while exp < 0 && coeff.ends_with('0') {
        coeff.pop();
        exp += 1;
    }
    let n = coeff.len() as i64;
    let body = if exp >= 0 {
        format!("{}{}", coeff, "0".repeat(exp as usize))
    } else if n + exp > 0 {
        let k = (n + exp) as usize;
        format!("{}.{}", &coeff[..k], &coeff[k..])
    } else {
        format!("0.{}{}", "0".repeat((-(n + exp)) as usize), coeff)
    };
    format!("{}{}", if neg { "-" } else { "" }, body)
}

/// `Decimal.normalize()` then `format(…, "f")` with the default context (28 digits,
/// ROUND_HALF_EVEN). The common case goes through `rust_decimal`; values it cannot hold
/// exactly (more than 28 digits, out of range) take the same steps on the digit string.
pub fn normalize_decimal(d: &Dec) -> Option<String> {
    match d {
        Dec::Inf { neg } => Some(format!("{}Infinity", if *neg { "-" } else { "" })),
        Dec::NaN { neg, diag } => Some(format!("{}NaN{}", if *neg { "-" } else { "" }, diag)),
        Dec::SNaN => None, // Python raises InvalidOperation here
        Dec::Finite { neg, coeff, exp } => {
            if coeff == "0" {
                return Some(if *neg { "-0".into() } else { "0".into() });
            }
            if coeff.len() <= 28 {
                if let Ok(x) = rust_decimal::Decimal::from_str_exact(&plain(*neg, coeff, *exp, true)) {
                    return Some(x.normalize().to_string());
                }
            }
            // Round to 28 significant digits, half to even.
            let (mut c, mut e) = (coeff.clone(), *exp);
            if c.len() > 28 {
                let drop = c.len() - 28;
                let (keep, rest) = c.split_at(28);
                let half = format!("5{}", "0".repeat(rest.len() - 1));
                let up = match rest.cmp(half.as_str()) {
                    std::cmp::Ordering::Greater => true,
                    std::cmp::Ordering::Less => false,
                    std::cmp::Ordering::Equal => (keep.as_bytes()[27] - b'0') % 2 == 1,
                };
                let mut k: Vec<u8> = keep.bytes().collect();
                if up {
                    let mut i = k.len();
                    loop {
                        if i == 0 {
                            k.insert(0, b'1');
                            k.pop();
                            e += 1;
                            break;
                        }
                        i -= 1;
                        if k[i] == b'9' {
                            k[i] = b'0';
                        } else {
                            k[i] += 1;
                            break;
                        }
                    }
                }
                c = String::from_utf8(k).unwrap();
                e += drop as i64;
            }
            while c.len() > 1 && c.ends_with('0') {
                c.pop();
                e += 1;
            }
            Some(plain(*neg, &c, e, true))
        }
    }
}

/// `norm_num`: `format(Decimal(str(n)).normalize(), "f")`, `"bad:" + str(n)` when
/// `Decimal()` refuses it; `None` for null.
pub fn norm_num(v: &Value) -> Option<String> {
    let s = match v {
        Value::Null => return None,
        Value::Number(n) => py_num_str(&n.to_string()),
        other => py_str(other).unwrap(),
    };
    match parse_decimal(&s).as_ref().and_then(normalize_decimal) {
        Some(x) => Some(x),
        None => Some(format!("bad:{s}")),
    }
}

/// `cell_value`: a cell's number as `"#" + norm_num`, else its normalized text, else `None`.
pub fn cell_value(c: &Value) -> Option<String> {
    match c {
        Value::Null => None,
        Value::String(_) => norm_text(c),
        Value::Number(_) | Value::Bool(_) => norm_num(c),
        Value::Object(_) => {
            let n = get(c, "number");
            if !n.is_null() {
                return Some(format!("#{}", norm_num(n).unwrap()));
            }
            norm_text(get(c, "text")).filter(|t| !t.is_empty())
        }
        Value::Array(_) => None, // score.py would crash on `c.get`
    }
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

/// Annexes keyed by id, in Python dict order (first insertion position, last value wins).
#[derive(Clone, Debug, Default)]
pub struct Annexes(pub Vec<(String, Value)>);

impl Annexes {
    fn insert(&mut self, key: String, a: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(e) => e.1 = a,
            None => self.0.push((key, a)),
        }
    }
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.0.iter().map(|(_, v)| v)
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Output annexes from a list, keyed by `id` or `_noid<i>`.
    pub fn from_list(list: &[Value]) -> Annexes {
        let mut out = Annexes::default();
        for (i, a) in list.iter().enumerate() {
            let id = get(a, "id");
            let key = if id.is_null() { format!("_noid{i}") } else { py_str(id).unwrap() };
            out.insert(key, a.clone());
        }
        out
    }
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `load_truth`: every `annex-*.json` of `dir`, in file-name order, keyed by `str(id)`.
pub fn load_truth(dir: &Path) -> Result<Annexes, String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().and_then(|e| e.file_name().into_string().ok()))
        .filter(|f| f.starts_with("annex-") && f.ends_with(".json"))
        .collect();
    names.sort();
    let mut out = Annexes::default();
    for f in names {
        let a = read_json(&dir.join(&f))?;
        out.insert(py_str(get(&a, "id")).unwrap_or_else(|| "None".into()), a);
    }
    Ok(out)
}

/// Output annexes from a serialized Document (`{"annexes": [...]}`) or one bare Annex.
pub fn output_from_value(doc: &Value) -> Annexes {
    match doc.as_object().and_then(|o| o.get("annexes")) {
        Some(list) => Annexes::from_list(as_list(list)),
        None => Annexes::from_list(std::slice::from_ref(doc)),
    }
}

/// `load_output` for a path: a document.json (or ndjson) file, or a folder holding
/// `document.json` files (searched recursively) or else `*.json` annex / document files.
/// Folder entries are taken in sorted path order (score.py takes `os.walk` order for
/// document.json files, which only matters when two documents share annex ids).
pub fn load_output(path: &Path) -> Result<Annexes, String> {
    if !path.exists() {
        return Ok(Annexes::default());
    }
    let mut list = Vec::new();
    if path.is_dir() {
        let mut cands = Vec::new();
        walk(path, &mut cands);
        cands.sort();
        let docs: Vec<_> = cands.iter().filter(|c| c.file_name().is_some_and(|f| f == "document.json")).collect();
        if !docs.is_empty() {
            for d in docs {
                list.extend(as_list(get(&read_json(d)?, "annexes")).iter().cloned());
            }
        } else {
            for c in &cands {
                let obj = read_json(c)?;
                match obj.as_object() {
                    Some(o) if o.contains_key("annexes") => list.extend(as_list(&o["annexes"]).iter().cloned()),
                    Some(_) => list.push(obj),
                    None => {}
                }
            }
        }
    } else {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let text = text.trim_matches(is_py_space);
        match serde_json::from_str::<Value>(text) {
            Ok(obj) => return Ok(output_from_value(&obj)),
            Err(_) => {
                for l in text.lines().filter(|l| !l.trim_matches(is_py_space).is_empty()) {
                    list.push(serde_json::from_str(l).map_err(|e| format!("{}: {e}", path.display()))?);
                }
            }
        }
    }
    Ok(Annexes::from_list(&list))
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.to_string_lossy().ends_with(".json") {
            out.push(p);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Facts
// ---------------------------------------------------------------------------------------------

/// One fact: category, key, value.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    pub cat: &'static str,
    pub key: Vec<P>,
    pub value: P,
}

fn s(x: &str) -> P {
    P::Str(x.to_string())
}

/// `facts(annex)`: every non-empty fact of one annex, in score.py's order.
pub fn facts(annex: &Value) -> Vec<Fact> {
    let aid = py_str(get(annex, "id")).unwrap_or_else(|| "None".into());
    let mut f: Vec<Fact> = Vec::new();
    let mut push = |cat: &'static str, key: Vec<P>, value: P| f.push(Fact { cat, key, value });
    let a = || s(&aid);

    for k in ["kind", "year", "unit", "title"] {
        push("meta", vec![a(), s(k)], P::from_opt(norm_text(get(annex, k))));
    }
    if let Some(fields) = as_dict(get(annex, "fields")) {
        for (k, v) in fields {
            push("fields", vec![a(), s(k)], P::from_opt(norm_text(v)));
        }
    }
    for t in as_list(get(annex, "tables")) {
        let tname = P::raw(get(t, "name"));
        let ckeys: Vec<P> = as_list(get(t, "columns"))
            .iter()
            .map(|c| {
                let k = get(c, "key");
                if truthy(k) { P::raw(k) } else { P::from_opt(norm_text(get(c, "label"))) }
            })
            .collect();
        let rows = as_list(get(t, "rows"));
        let mut seen: HashMap<String, usize> = HashMap::new();
        for r in rows {
            let rk = row_key(get(r, "label"));
            let n = seen.entry(rk.clone()).or_default();
            *n += 1;
            let rid = s(&format!("{rk}#{n}"));
            let pl = py_int(get(r, "parent"))
                .filter(|&p| p >= 0 && (p as usize) < rows.len())
                .map(|p| row_key(get(&rows[p as usize], "label")));
            let key = |what: &str| vec![a(), tname.clone(), rid.clone(), s(what)];
            push("structure", key("level"), P::Str(py_str(get(r, "level")).unwrap_or_else(|| "None".into())));
            push("structure", key("parent"), P::from_opt(pl));
            push("structure", key("code"), P::from_opt(norm_text(get(r, "code"))));
            for (j, c) in as_list(get(r, "cells")).iter().enumerate() {
                let ck = ckeys.get(j).cloned().unwrap_or_else(|| P::Str(format!("col{j}")));
                if let Some(v) = cell_value(c) {
                    push("cells", vec![a(), tname.clone(), rid.clone(), ck], P::Str(v));
                }
            }
        }
    }
    let mut seen: HashMap<Option<String>, usize> = HashMap::new();
    for ind in as_list(get(annex, "indicators")) {
        let nk = norm_text(get(ind, "name"));
        let n = seen.entry(nk.clone()).or_default();
        *n += 1;
        let iid = format!("{}#{}", nk.as_deref().unwrap_or("None"), n);
        let key = |what: &str| vec![a(), s(&iid), s(what)];
        for k in ["level1", "level2"] {
            push("ind_labels", key(k), P::from_opt(norm_text(get(ind, k))));
        }
        push("ind_labels", key("level1_weight"), P::from_opt(norm_num(get(ind, "level1_weight"))));
        for k in ["target", "actual"] {
            let c = get(ind, k);
            let has = truthy(c);
            push("ind_text", key(k), if has { P::from_opt(norm_text(get(c, "text"))) } else { P::None });
            if has && !get(c, "number").is_null() {
                push("ind_numbers", key(&format!("{k}.number")), P::from_opt(norm_num(get(c, "number"))));
                push("ind_numbers", key(&format!("{k}.cmp")), P::raw(get(c, "cmp")));
                push("ind_numbers", key(&format!("{k}.unit")), P::raw(get(c, "unit")));
            }
        }
        for k in ["weight", "score"] {
            push("ind_numbers", key(k), P::from_opt(norm_num(get(ind, k))));
        }
        push("ind_text", key("deviation"), P::from_opt(norm_text(get(ind, "deviation"))));
        // `core` when set (`str(bool(core))` in score.py), `extra` per printed label.
        let core = get(ind, "core");
        if !core.is_null() {
            push("ind_labels", key("core"), P::Str(if truthy(core) { "True" } else { "False" }.into()));
        }
        if let Some(extra) = as_dict(get(ind, "extra")) {
            for (lab, v) in extra {
                let lab = norm_text(&Value::String(lab.clone()));
                push("ind_extra", vec![a(), s(&iid), P::from_opt(lab)], P::from_opt(norm_text(v)));
            }
        }
    }
    if let Some(g) = as_dict(get(annex, "goals")) {
        for k in ["expected", "actual"] {
            if let Some(v) = g.get(k).filter(|v| truthy(v)) {
                push("goals", vec![a(), s(k)], P::from_opt(norm_text(v)));
            }
        }
    }
    if let Some(t) = as_dict(get(annex, "total")) {
        for k in ["weight", "score"] {
            if let Some(v) = t.get(k).filter(|v| !v.is_null()) {
                push("total", vec![a(), s(k)], P::from_opt(norm_num(v)));
            }
        }
        if let Some(g) = t.get("grade").filter(|v| truthy(v)) {
            push("total", vec![a(), s("grade")], P::from_opt(norm_text(g)));
        }
    }
    if let Some(so) = as_dict(get(annex, "signoff")) {
        for (k, v) in so {
            push("signoff", vec![a(), s(k)], P::from_opt(norm_text(v)));
        }
    }
    f.retain(|x| !x.value.is_empty_fact());
    f
}

/// `isinstance(x, int)` for a loaded JSON value (bool is an int in Python).
fn py_int(v: &Value) -> Option<i128> {
    match v {
        Value::Bool(b) => Some(*b as i128),
        Value::Number(n) => {
            let t = n.to_string();
            if is_int_token(&t) { t.parse().ok() } else { None }
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

/// An insertion-ordered map (Python dict) of fact key → value.
#[derive(Default)]
struct FactMap {
    order: Vec<Vec<P>>,
    map: HashMap<Vec<P>, P>,
}

impl FactMap {
    fn set(&mut self, k: Vec<P>, v: P) {
        if self.map.insert(k.clone(), v).is_none() {
            self.order.push(k);
        }
    }
    fn len(&self) -> usize {
        self.order.len()
    }
    fn iter(&self) -> impl Iterator<Item = (&Vec<P>, &P)> {
        self.order.iter().map(|k| (k, &self.map[k]))
    }
}

/// One line of the score table.
#[derive(Clone, Debug, PartialEq)]
pub struct Category {
    pub name: String,
    pub truth: usize,
    pub output: usize,
    pub hit: usize,
    /// Rounded to 4 places, as score.py's `round(x, 4)`.
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// A truth fact the output did not reproduce.
#[derive(Clone, Debug, PartialEq)]
pub struct Miss {
    pub cat: String,
    pub key: Vec<P>,
    pub truth: P,
    pub output: Option<P>,
}

impl std::fmt::Display for Miss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let key: Vec<String> = self.key.iter().map(|p| p.to_string()).collect();
        write!(f, "MISS {:11} {}  want {}  got {}", self.cat, key.join(" / "), self.truth, self.output.as_ref().map_or("-".into(), |p| p.to_string()))
    }
}

/// The result of [`score`]: what `score.py --json` prints, plus the misses.
#[derive(Clone, Debug)]
pub struct Report {
    /// The categories present, sorted by name, then `ALL`.
    pub categories: Vec<Category>,
    /// Rounded to 4 places.
    pub indicator_recovery: f64,
    pub misses: Vec<Miss>,
}

/// Python's `round(x, 4)` for a float (correctly rounded, ties to even).
pub fn round4(x: f64) -> f64 {
    format!("{x:.4}").parse().unwrap()
}

/// `score(truth, output)` and `indicator_recovery(truth, output)`.
pub fn score(truth: &Annexes, output: &Annexes) -> Report {
    let mut t: BTreeMap<&'static str, FactMap> = BTreeMap::new();
    let mut o: BTreeMap<&'static str, FactMap> = BTreeMap::new();
    for a in truth.values() {
        for x in facts(a) {
            t.entry(x.cat).or_default().set(x.key, x.value);
        }
    }
    for a in output.values() {
        for x in facts(a) {
            o.entry(x.cat).or_default().set(x.key, x.value);
        }
    }
    let empty = FactMap::default();
    let mut cats: Vec<&'static str> = t.keys().chain(o.keys()).copied().collect();
    cats.sort();
    cats.dedup();
    let mut categories = Vec::new();
    let mut misses = Vec::new();
    let (mut tt, mut to, mut th) = (0, 0, 0);
    for c in cats {
        let (tc, oc) = (t.get(c).unwrap_or(&empty), o.get(c).unwrap_or(&empty));
        let hit = oc.iter().filter(|(k, v)| tc.map.get(*k) == Some(*v)).count();
        categories.push(make_category(c, tc.len(), oc.len(), hit));
        tt += tc.len();
        to += oc.len();
        th += hit;
        for (k, v) in tc.iter() {
            let got = oc.map.get(k);
            if got != Some(v) {
                misses.push(Miss { cat: c.to_string(), key: k.clone(), truth: v.clone(), output: got.cloned() });
            }
        }
    }
    categories.push(make_category("ALL", tt, to, th));
    Report { categories, indicator_recovery: round4(indicator_recovery(truth, output)), misses }
}

fn make_category(name: &str, truth: usize, output: usize, hit: usize) -> Category {
    let p = if output > 0 { hit as f64 / output as f64 } else { 0.0 };
    let r = if truth > 0 { hit as f64 / truth as f64 } else { 0.0 };
    let f1 = if p + r != 0.0 { round4(2.0 * p * r / (p + r)) } else { 0.0 };
    Category { name: name.to_string(), truth, output, hit, precision: round4(p), recall: round4(r), f1 }
}

/// Unrounded share of truth indicators whose name, target text, actual text, weight and
/// score all come out right (a multiset match).
pub fn indicator_recovery(truth: &Annexes, output: &Annexes) -> f64 {
    type K = (Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);
    fn key(ind: &Value) -> K {
        let (t, a) = (get(ind, "target"), get(ind, "actual"));
        let (t, a) = (if truthy(t) { t } else { &NULL }, if truthy(a) { a } else { &NULL });
        (
            norm_text(get(ind, "name")),
            norm_text(get(t, "text")),
            norm_text(get(a, "text")),
            norm_num(get(ind, "weight")),
            norm_num(get(ind, "score")),
        )
    }
    fn count(x: &Annexes) -> HashMap<K, usize> {
        let mut m = HashMap::new();
        for a in x.values() {
            for i in as_list(get(a, "indicators")) {
                *m.entry(key(i)).or_default() += 1;
            }
        }
        m
    }
    let (want, have) = (count(truth), count(output));
    let n: usize = want.values().sum();
    if n == 0 {
        return 1.0;
    }
    let got: usize = want.iter().map(|(k, c)| (*c).min(have.get(k).copied().unwrap_or(0))).sum();
    got as f64 / n as f64
}

impl Report {
    /// The `ALL` line.
    pub fn all(&self) -> &Category {
        self.categories.last().expect("ALL is always present")
    }

    pub fn get(&self, name: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.name == name)
    }

    /// The table score.py prints, byte for byte.
    pub fn table(&self) -> String {
        let mut out = format!("{:12} {:>6} {:>6} {:>6} {:>7} {:>7} {:>7}\n", "category", "truth", "out", "hit", "P", "R", "F1");
        for c in &self.categories {
            let _ = writeln!(out, "{:12} {:6} {:6} {:6} {:7.3} {:7.3} {:7.3}", c.name, c.truth, c.output, c.hit, c.precision, c.recall, c.f1);
        }
        let _ = writeln!(out, "indicator_recovery: {:?}", self.indicator_recovery);
        out
    }

    /// What `score.py --json` prints, as a Value.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        for c in &self.categories {
            let mut r = Map::new();
            r.insert("truth".into(), c.truth.into());
            r.insert("output".into(), c.output.into());
            r.insert("hit".into(), c.hit.into());
            r.insert("precision".into(), Value::from(c.precision));
            r.insert("recall".into(), Value::from(c.recall));
            r.insert("f1".into(), Value::from(c.f1));
            m.insert(c.name.clone(), Value::Object(r));
        }
        m.insert("indicator_recovery".into(), Value::from(self.indicator_recovery));
        Value::Object(m)
    }
}

/// Score a serialized Document against a folder of truth annexes.
pub fn score_document(expected_dir: &Path, doc: &Value) -> Result<Report, String> {
    Ok(score(&load_truth(expected_dir)?, &output_from_value(doc)))
}

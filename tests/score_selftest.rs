//! Tests of the fact scorer (`tests/score/mod.rs`), the Rust port of `tools/score.py`.
//!
//! The default tests need no Python: their expected answers were taken from score.py and
//! written down here. `matches_score_py` (ignored by default) runs score.py itself on
//! thousands of randomly mutated outputs and demands identical results:
//!
//! ```sh
//! SCORE_PY=../shared/tools/score.py cargo test --test score_selftest -- --ignored --nocapture
//! ```

mod score;

use score::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Every corpus document that has `expected/`.
fn expected_dirs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .chain(std::fs::read_dir(corpus().join("forms")).into_iter().flatten())
        .flatten()
        .map(|e| e.path().join("expected"))
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

fn num(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

fn truth_list(dir: &Path) -> Vec<Value> {
    load_truth(dir).unwrap().values().cloned().collect()
}

#[test]
fn normalization_matches_python() {
    // [JSON literal, norm_text, norm_num, cell_value] as score.py computes them.
    let cases: &[(&str, Option<&str>, Option<&str>, Option<&str>)] = &[
        ("4876.30", Some("4876.30"), Some("4876.3"), Some("4876.3")),
        ("100.00", Some("100.00"), Some("100"), Some("100")),
        ("100", Some("100"), Some("100"), Some("100")),
        ("-0", Some("0"), Some("0"), Some("0")),
        ("-0.0", Some("-0.0"), Some("-0"), Some("-0")),
        ("1e5", Some("1E+5"), Some("100000"), Some("100000")),
        ("1.5E-7", Some("1.5E-7"), Some("0.00000015"), Some("0.00000015")),
        ("0.0000001", Some("1E-7"), Some("0.0000001"), Some("0.0000001")),
        ("\"96.44\"", Some("96.44"), Some("96.44"), Some("96.44")),
        ("\" 1_000 \"", Some("1_000"), Some("1000"), Some("1_000")),
        ("\"１２.５\"", Some("１２.５"), Some("12.5"), Some("１２.５")),
        ("\"abc\"", Some("abc"), Some("bad:abc"), Some("abc")),
        ("true", Some("True"), Some("bad:True"), Some("bad:True")),
        ("null", None, None, None),
        ("12345678901234567890123456789012", Some("12345678901234567890123456789012"), Some("12345678901234567890123456790000"), Some("12345678901234567890123456790000")),
        ("12345678901234567890123456789", Some("12345678901234567890123456789"), Some("12345678901234567890123456790"), Some("12345678901234567890123456790")),
        (
            "0.000000000000000000000000000000123456789012345678901234567890125",
            Some("1.23456789012345678901234567890125E-31"),
            Some("0.0000000000000000000000000000001234567890123456789012345679"),
            Some("0.0000000000000000000000000000001234567890123456789012345679"),
        ),
        ("99999999999999999999999999999999", Some("99999999999999999999999999999999"), Some("100000000000000000000000000000000"), Some("100000000000000000000000000000000")),
        ("\"NaN\"", Some("NaN"), Some("NaN"), Some("NaN")),
        ("\"-Infinity\"", Some("-Infinity"), Some("-Infinity"), Some("-Infinity")),
        ("[1, 2.50, \"x\"]", Some("[1,Decimal('2.50'),'x']"), Some("bad:[1, Decimal('2.50'), 'x']"), None),
        ("{\"a\": null}", Some("{'a':None}"), Some("bad:{'a': None}"), None),
        ("\"5.\"", Some("5."), Some("5"), Some("5.")),
        ("\".5\"", Some(".5"), Some("0.5"), Some(".5")),
        ("2024", Some("2024"), Some("2024"), Some("2024")),
        ("2024.0", Some("2024.0"), Some("2024"), Some("2024")),
    ];
    for (lit, text, n, cell) in cases {
        let v = num(lit);
        assert_eq!(norm_text(&v).as_deref(), *text, "norm_text({lit})");
        assert_eq!(norm_num(&v).as_deref(), *n, "norm_num({lit})");
        if !v.is_array() {
            assert_eq!(cell_value(&v).as_deref(), *cell, "cell_value({lit})");
        }
    }
    // Cells: number first, else text; whitespace of every kind removed.
    assert_eq!(cell_value(&json!({"text": "≥5,441.47万人", "number": num("5441.470")})).as_deref(), Some("#5441.47"));
    assert_eq!(cell_value(&json!({"text": " 完成\u{3000}率 \n", "number": null})).as_deref(), Some("完成率"));
    assert_eq!(cell_value(&json!({"text": " \u{3000}", "number": null})), None);
    assert_eq!(norm_text(&json!("a\u{1c}b\u{a0}c\u{2028}d\u{200b}")).as_deref(), Some("abcd\u{200b}"));
    assert_eq!(row_key(&json!("其中：  工资")), "工资");
    assert_eq!(row_key(&json!("其中:其中：工资")), "其中：工资");
}

#[test]
fn round4_is_pythons_round() {
    // Python: round(1/32, 4) == 0.0312 (a true tie, to even); round(2/3, 4) == 0.6667.
    assert_eq!(round4(1.0 / 32.0), 0.0312);
    assert_eq!(round4(3.0 / 32.0), 0.0938);
    assert_eq!(round4(2.0 / 3.0), 0.6667);
    assert_eq!(round4(0.0), 0.0);
}

#[test]
fn expected_scores_perfectly_against_itself() {
    let dirs = expected_dirs();
    assert!(!dirs.is_empty(), "no corpus/*/expected");
    for d in dirs {
        let truth = load_truth(&d).unwrap();
        let doc = json!({"schema": "annex2json/1", "annexes": truth_list(&d)});
        let r = score(&truth, &output_from_value(&doc));
        let all = r.all();
        assert!(all.truth > 30, "{}: {} facts", d.display(), all.truth);
        assert_eq!((all.precision, all.recall, all.f1), (1.0, 1.0, 1.0), "{}", d.display());
        assert_eq!(r.indicator_recovery, 1.0);
        assert!(r.misses.is_empty());
        // The hunan documents (14 annexes) hold every category; a one-form document fewer.
        if d.components().any(|c| c.as_os_str() == "forms") && !d.display().to_string().contains("hunan") {
            continue;
        }
        assert!(all.truth > 1000, "{}: {} facts", d.display(), all.truth);
        for c in ["meta", "fields", "structure", "cells", "ind_labels", "ind_text", "ind_numbers", "goals", "total", "signoff"] {
            assert!(r.get(c).is_some(), "{}: category {c} missing", d.display());
        }
    }
}

#[test]
fn empty_output_scores_zero() {
    let d = &expected_dirs()[0];
    let r = score(&load_truth(d).unwrap(), &output_from_value(&json!({"annexes": []})));
    assert_eq!(r.all().output, 0);
    assert_eq!(r.all().f1, 0.0);
    assert_eq!(r.indicator_recovery, 0.0);
}

/// The same mutation as the Python-built document behind `PY_TABLE` below.
fn mutated_hunan() -> Value {
    let d = corpus().join("hunan-rst-2024/expected");
    let all = truth_list(&d);
    let mut out: Vec<Value> = all.iter().filter(|a| a["id"] != "2").cloned().collect();
    for a in out.iter_mut() {
        if a["id"] == "3-1" {
            a["tables"][0]["rows"][0]["cells"][0]["number"] = num("4876.31");
            a["title"] = json!(" 2024 年度项目支出绩效自评表\u{3000}");
            a["indicators"][0]["weight"] = num("2.000");
        }
        if a["id"] == "5" {
            a["indicators"].as_array_mut().unwrap().truncate(3);
        }
    }
    let mut b = all.iter().find(|a| a["id"] == "4").unwrap().clone();
    b["id"] = Value::Null;
    out.push(b);
    json!({"annexes": out})
}

/// `python3 tools/score.py corpus/hunan-rst-2024/expected <mutated_hunan()>`, verbatim.
const PY_TABLE: &str = "\
category      truth    out    hit       P       R      F1
cells           371    373    361   0.968   0.973   0.970
fields           33     35     32   0.914   0.970   0.941
goals            16     16     14   0.875   0.875   0.875
ind_labels      705    507    435   0.858   0.617   0.718
ind_numbers    1044    782    677   0.866   0.648   0.742
ind_text        472    338    290   0.858   0.614   0.716
meta             55     55     51   0.927   0.927   0.927
signoff          48     48     44   0.917   0.917   0.917
structure       357    357    350   0.980   0.980   0.980
total            16     16     14   0.875   0.875   0.875
ALL            3117   2527   2268   0.897   0.728   0.804
indicator_recovery: 0.617
";

#[test]
fn table_matches_score_py_byte_for_byte() {
    let d = corpus().join("hunan-rst-2024/expected");
    let r = score_document(&d, &mutated_hunan()).unwrap();
    assert_eq!(r.table(), PY_TABLE);
    // One changed cell number: exactly one cells miss in 3-1's funds table.
    let cell_misses: Vec<_> = r.misses.iter().filter(|m| m.cat == "cells" && m.key[0] == P::Str("3-1".into())).collect();
    assert_eq!(cell_misses.len(), 1, "{cell_misses:?}");
    assert_eq!(cell_misses[0].truth, P::Str("#4876.3".into()));
}

#[test]
fn load_output_reads_document_folder_and_ndjson() {
    let doc = mutated_hunan();
    let dir = std::env::temp_dir().join(format!("annex2json-score-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("doc/x")).unwrap();
    std::fs::write(dir.join("doc/x/document.json"), serde_json::to_string(&doc).unwrap()).unwrap();
    let nd: Vec<String> = doc["annexes"].as_array().unwrap().iter().map(|a| serde_json::to_string(a).unwrap()).collect();
    std::fs::write(dir.join("out.ndjson"), nd.join("\n")).unwrap();
    let truth = load_truth(&corpus().join("hunan-rst-2024/expected")).unwrap();
    for p in [dir.join("doc"), dir.join("doc/x/document.json"), dir.join("out.ndjson")] {
        let r = score(&truth, &load_output(&p).unwrap());
        assert_eq!(r.table(), PY_TABLE, "{}", p.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------------
// Cross-check against score.py itself (ignored by default: needs python3 and SCORE_PY)
// ---------------------------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

#[derive(Clone, Debug)]
enum Seg {
    K(String),
    I(usize),
}

fn all_paths(v: &Value, cur: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    out.push(cur.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                cur.push(Seg::K(k.clone()));
                all_paths(x, cur, out);
                cur.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                cur.push(Seg::I(i));
                all_paths(x, cur, out);
                cur.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(v: &'a mut Value, path: &[Seg]) -> &'a mut Value {
    path.iter().fold(v, |v, s| match s {
        Seg::K(k) => &mut v[k.as_str()],
        Seg::I(i) => &mut v[*i],
    })
}

/// Numbers that equal the given one in value but are printed differently, and neighbours.
fn number_variants(tok: &str) -> Vec<String> {
    let mut v = vec![format!("{tok}0"), format!("-{tok}"), "-0.0".into(), "-0".into(), "1e2".into(), "1.00E+2".into(), "0.0".into()];
    if tok.contains('.') {
        v.push(tok.trim_end_matches('0').trim_end_matches('.').to_string());
        let last = tok.chars().last().unwrap();
        let bumped = if last == '9' { '0' } else { (last as u8 + 1) as char };
        v.push(format!("{}{}", &tok[..tok.len() - 1], bumped));
    } else {
        v.push(format!("{tok}.0"));
        v.push(format!("{tok}.00"));
        v.push(format!("{tok}e0"));
    }
    v.retain(|s| serde_json::from_str::<Value>(s).is_ok_and(|x| x.is_number()));
    v
}

fn mutate(doc: &mut Value, rng: &mut Rng) {
    let annexes = doc["annexes"].as_array_mut().unwrap();
    // Annex-level changes now and then.
    match rng.below(40) {
        0 if !annexes.is_empty() => {
            let i = rng.below(annexes.len());
            annexes[i]["id"] = Value::Null;
            return;
        }
        1 if !annexes.is_empty() => {
            let i = rng.below(annexes.len());
            let a = annexes[i].clone();
            annexes.push(a);
            return;
        }
        2 if !annexes.is_empty() => {
            let i = rng.below(annexes.len());
            annexes.remove(i);
            return;
        }
        3 if !annexes.is_empty() => {
            let i = rng.below(annexes.len());
            annexes[i]["id"] = json!(rng.below(3) + 1);
            return;
        }
        _ => {}
    }
    let mut paths = Vec::new();
    all_paths(doc, &mut Vec::new(), &mut paths);
    let path = rng.pick(&paths[1..]).clone();
    let node = at(doc, &path);
    let ws = ["  ", "\u{3000}", "\n", "\u{1c}", "\u{a0}", "\t"];
    *node = match node.clone() {
        Value::Number(n) => {
            let tok = n.to_string();
            let vars = number_variants(&tok);
            match rng.below(6) {
                0 => json!(tok),
                1 => Value::Null,
                2 => json!(true),
                _ => num(rng.pick(&vars).as_str()),
            }
        }
        Value::String(s) => {
            let chars: Vec<char> = s.chars().collect();
            match rng.below(9) {
                0 | 1 => {
                    let k = rng.below(chars.len() + 1);
                    let mut c = chars.clone();
                    c.insert(k, rng.pick(&ws).chars().next().unwrap());
                    Value::String(c.into_iter().collect())
                }
                2 => json!(""),
                3 => json!("None"),
                4 => json!(format!("其中：{s}")),
                5 if !chars.is_empty() => {
                    let mut c = chars.clone();
                    let k = rng.below(c.len());
                    c[k] = 'X';
                    Value::String(c.into_iter().collect())
                }
                6 => Value::Null,
                7 => num(*rng.pick(&["1", "2.50", "0", "-0.0"])),
                _ => Value::String(format!("{s} ")),
            }
        }
        Value::Null => match rng.below(4) {
            0 => json!("x"),
            1 => json!("None"),
            2 => num("0"),
            _ => json!({"text": "5万人", "cmp": ">=", "number": num("5"), "unit": "万人"}),
        },
        Value::Bool(b) => json!(!b),
        Value::Array(mut a) => {
            match rng.below(5) {
                0 if !a.is_empty() => {
                    let i = rng.below(a.len());
                    a.remove(i);
                }
                1 if !a.is_empty() => {
                    let i = rng.below(a.len());
                    let x = a[i].clone();
                    a.insert(i, x);
                }
                2 if a.len() > 1 => {
                    let (i, j) = (rng.below(a.len()), rng.below(a.len()));
                    a.swap(i, j);
                }
                3 => a.clear(),
                _ => a.reverse(),
            }
            Value::Array(a)
        }
        Value::Object(mut m) => {
            let keys: Vec<String> = m.keys().cloned().collect();
            match rng.below(4) {
                0 if !keys.is_empty() => {
                    m.remove(rng.pick(&keys));
                    Value::Object(m)
                }
                1 => json!({}),
                2 => Value::Null,
                _ => {
                    m.insert("extra".into(), json!("多出来"));
                    Value::Object(m)
                }
            }
        }
    };
}

fn python_batch(score_py: &str, jobs: &[(PathBuf, PathBuf)]) -> Vec<Value> {
    const SCRIPT: &str = r#"
import importlib.util, json, os, sys
spec = importlib.util.spec_from_file_location("score", os.environ["SCORE_PY"])
S = importlib.util.module_from_spec(spec); spec.loader.exec_module(S)
r = lambda x: json.dumps(x, ensure_ascii=False) if x is None or isinstance(x, str) else "<other>"
for line in sys.stdin:
    truth_dir, out_path = json.loads(line)
    try:
        truth = S.load_truth(truth_dir)
        output = S.load_output(out_path) if os.path.exists(out_path) else {}
        res, misses = S.score(truth, output)
        res["indicator_recovery"] = round(S.indicator_recovery(truth, output), 4)
        misses = [[c, [r(x) for x in k], r(v), r(o)] for c, k, v, o in misses]
        print(json.dumps({"res": res, "misses": misses}, ensure_ascii=False))
    except Exception as e:
        print(json.dumps({"error": repr(e)}))
"#;
    use std::io::Write;
    let mut child = std::process::Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .env("SCORE_PY", score_py)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    let input: String = jobs.iter().map(|(t, o)| format!("{}\n", json!([t, o]))).collect();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn rust_result(r: &Report) -> Value {
    let misses: Vec<Value> = r
        .misses
        .iter()
        .map(|m| json!([m.cat, m.key.iter().map(P::json_text).collect::<Vec<_>>(), m.truth.json_text(), m.output.as_ref().map_or("null".into(), P::json_text)]))
        .collect();
    json!({"res": r.to_json(), "misses": misses})
}

/// Compare numbers by value (Python prints `1.0`, we may print `1`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().zip(y).all(|((ka, va), (kb, vb))| ka == kb && same(va, vb)),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        _ => a == b,
    }
}

#[test]
#[ignore = "needs python3 and SCORE_PY=path/to/score.py"]
fn matches_score_py() {
    let score_py = std::env::var("SCORE_PY").expect("set SCORE_PY to tools/score.py");
    let trials: usize = std::env::var("TRIALS").ok().and_then(|t| t.parse().ok()).unwrap_or(200);
    let work = std::env::temp_dir().join(format!("annex2json-score-xcheck-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut jobs = Vec::new();
    let mut mine = Vec::new();
    for d in expected_dirs() {
        let base = json!({"annexes": truth_list(&d)});
        let truth = load_truth(&d).unwrap();
        for t in 0..trials {
            let mut doc = base.clone();
            let n = match t % 10 {
                0 => 0,
                1..=6 => 1 + rng.below(4),
                7 | 8 => 10 + rng.below(30),
                _ => 100 + rng.below(200),
            };
            for _ in 0..n {
                mutate(&mut doc, &mut rng);
            }
            let dir = work.join(format!("{}-{t}", d.parent().unwrap().file_name().unwrap().to_string_lossy()));
            std::fs::create_dir_all(&dir).unwrap();
            let text = serde_json::to_string(&doc).unwrap();
            // Alternate the three shapes load_output accepts.
            let out_path = match t % 3 {
                0 => {
                    std::fs::write(dir.join("document.json"), &text).unwrap();
                    dir.clone()
                }
                1 => {
                    let p = dir.join("doc.json");
                    std::fs::write(&p, &text).unwrap();
                    p
                }
                _ => {
                    let p = dir.join("doc.ndjson");
                    let lines: Vec<String> = doc["annexes"].as_array().unwrap().iter().map(|a| serde_json::to_string(a).unwrap()).collect();
                    std::fs::write(&p, lines.join("\n")).unwrap();
                    p
                }
            };
            let from_file = score(&truth, &load_output(&out_path).unwrap());
            let from_value = score(&truth, &output_from_value(&doc));
            assert_eq!(from_file.table(), from_value.table(), "{}", out_path.display());
            mine.push((rust_result(&from_value), from_value.table()));
            jobs.push((d.clone(), out_path));
        }
    }
    let theirs = python_batch(&score_py, &jobs);
    assert_eq!(theirs.len(), jobs.len());
    let (mut compared, mut py_errors, mut facts, mut misses) = (0, 0, 0u64, 0u64);
    let mut f1s = Vec::new();
    for (i, ((m, table), t)) in mine.iter().zip(&theirs).enumerate() {
        if t.get("error").is_some() {
            py_errors += 1; // score.py itself crashed on this malformed output
            continue;
        }
        assert!(same(&m["res"], &t["res"]), "trial {i} ({}):\nrust {}\npython {}", jobs[i].1.display(), m["res"], t["res"]);
        assert_eq!(m["misses"], t["misses"], "trial {i} ({}): misses differ", jobs[i].1.display());
        compared += 1;
        facts += m["res"]["ALL"]["output"].as_u64().unwrap();
        misses += m["misses"].as_array().unwrap().len() as u64;
        f1s.push(m["res"]["ALL"]["f1"].as_f64().unwrap());
        // The printed table, byte for byte, for a sample.
        if i % 25 == 0 {
            let out = std::process::Command::new("python3").arg(&score_py).arg(&jobs[i].0).arg(&jobs[i].1).output().unwrap();
            assert_eq!(String::from_utf8(out.stdout).unwrap(), *table, "trial {i}: table differs");
        }
    }
    f1s.sort_by(f64::total_cmp);
    println!(
        "score.py cross-check: {compared} outputs identical (per-category counts, P/R/F1, indicator_recovery, every miss), \
         {py_errors} skipped where score.py crashes; {facts} output facts, {misses} misses; ALL F1 from {} to {}",
        f1s.first().unwrap(),
        f1s.last().unwrap()
    );
    assert!(compared >= jobs.len() * 3 / 4, "too few comparable trials");
    let _ = std::fs::remove_dir_all(&work);
}

//! `-o DIR` never writes outside DIR (issue 7), whatever the input names (`../x.txt`,
//! absolute paths, `..txt`, backslashes, newlines) or the annex markers in the documents
//! (`附件../../evil`) contain. The binary runs as a whole process in a scratch tree; every
//! file in that tree before and after is compared, and everything new must be inside DIR.
//! (The segmenter reads digit ids only, so hostile markers become ordinary ids or text;
//! `safe_component` on arbitrary ids is unit-tested in src/main.rs.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

const BIN: &str = env!("CARGO_BIN_EXE_annex2json");
const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/hunan-rst-2024/source.txt");

/// Every file under `dir` with its length and modification time.
fn files(dir: &Path) -> BTreeMap<PathBuf, (u64, SystemTime)> {
    fn walk(d: &Path, out: &mut BTreeMap<PathBuf, (u64, SystemTime)>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            if m.is_dir() {
                walk(&p, out);
            } else {
                out.insert(p, (m.len(), m.modified().unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, &mut out);
    out
}

/// Text whose annex markers carry hostile ids.
fn hostile_text() -> String {
    let seed = std::fs::read_to_string(SEED).unwrap();
    let mut s = String::new();
    for id in ["../../../evil", "/tmp/evil", "..", "1/../../2", "..\\..\\3", "a\nb", ""] {
        s.push_str(&format!("附件{id}\n"));
        s.push_str(&seed[..seed.len().min(3000)].chars().take(800).collect::<String>());
        s.push('\n');
    }
    s.push_str(&seed);
    s
}

#[test]
fn output_stays_inside_the_output_folder() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("paths-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    // The process runs two levels down, so `../` and `../../` stay inside `root`.
    let cwd = root.join("a").join("b");
    std::fs::create_dir_all(&cwd).unwrap();
    std::fs::create_dir_all(root.join("abs")).unwrap();
    let seed = std::fs::read(SEED).unwrap();
    let hostile = hostile_text();
    let inputs: Vec<(PathBuf, &[u8])> = vec![
        (root.join("a").join("x.txt"), &seed),
        (root.join("y.txt"), hostile.as_bytes()),
        (root.join("abs").join("source.txt"), &seed),
        (cwd.join("..txt"), &seed),
        (cwd.join("...txt"), &seed),
        (cwd.join("..\\..\\bs.txt"), &seed),
        (cwd.join("new\nline.txt"), &seed),
        (cwd.join(" .txt"), &seed),
    ];
    for (p, b) in &inputs {
        std::fs::write(p, b).unwrap();
    }
    let args: Vec<String> = vec![
        "../x.txt".into(),
        "../../y.txt".into(),
        root.join("abs").join("source.txt").display().to_string(),
        "..txt".into(),
        "...txt".into(),
        "..\\..\\bs.txt".into(),
        "new\nline.txt".into(),
        " .txt".into(),
        // The same file twice, by two names.
        "./../x.txt".into(),
    ];
    for out in ["out", "../out2"] {
        let before = files(&root);
        let status = Command::new(BIN).current_dir(&cwd).args(&args).arg("-o").arg(out).output().unwrap();
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
        let dir = cwd.join(out).canonicalize().unwrap();
        let after = files(&root);
        let mut written = 0;
        for (p, meta) in &after {
            if before.get(p) == Some(meta) {
                continue;
            }
            let p = p.canonicalize().unwrap();
            assert!(p.starts_with(&dir), "-o {out}: {} written outside {}", p.display(), dir.display());
            written += 1;
        }
        // One folder per input (9 names, all distinct), each with document.json.
        let docs = after.keys().filter(|p| p.starts_with(&dir) && p.ends_with("document.json")).count();
        assert_eq!(docs, args.len(), "-o {out}");
        assert!(written > docs, "-o {out}: annex files written");
        let removed: Vec<&PathBuf> = before.keys().filter(|p| !after.contains_key(*p)).collect();
        assert!(removed.is_empty(), "-o {out}: removed {removed:?}");
    }
    // Nothing escaped above the scratch root either.
    let parent = root.parent().unwrap();
    for name in ["evil", "out", "out2", "3", "2", "annex-evil.json"] {
        assert!(!parent.join(name).exists(), "{name} appeared next to the scratch root");
    }
    std::fs::remove_dir_all(&root).ok();
}

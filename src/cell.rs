//! Cell normalization (SPEC "Cell").
//!
//! [`parse`] turns one printed cell into a [`Cell`]: the text as printed (radicals folded,
//! outer spaces trimmed), plus the cell's one quantity when it ends in exactly one:
//!
//! ```text
//! [leading words] [comparator] NUMBER [unit (≤ 4 chars)] [以内|以上|以下] [。]
//! ```
//!
//! * The number keeps its printed digits (`100.00` keeps scale 2); thousands separators
//!   (`1,581.02`) are dropped; a leading `-` / `−` / `－` makes it negative.
//! * A cell with more than one number (`40.4万人,完成率134.67%。`, `现场34，线上31场`),
//!   with text after its unit (`共计483人的专武干部培训`) or with no Arabic digits
//!   (`每周一次`) gets no number, unit or comparator.
//! * Comparators: `>=` (≥ ≧ ⩾ >= 大于等于 不低于 不少于 不小于 …), `<=` (≤ ≦ ⩽ <= 不超过
//!   不高于 …, and the suffixes 以内 / 以下), `>` (＞ > 超 超过 大于 高于 多于), `<` (＜ < 少于
//!   小于 低于), `=` (= ＝ 等于). Words such as `控制在` or `达` give no comparator.
//!   The suffix `以上` reads as `>=` (in Chinese usage 以上/以下/以内 include the number).

use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::model::Cell;
use crate::radicals;

/// One number as printed: digits with optional `,` thousands groups and decimals.
/// ASCII or full-width digits.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:(?:[0-9０-９]{1,3}(?:,[0-9０-９]{3})+|[0-9０-９]+)(?:[.．][0-9０-９]+)?|[.．][0-9０-９]+)",
    )
        .expect("NUMBER regex")
});

/// Comparator words and symbols that may stand right before the number, longest first
/// where one is a suffix of another.
const PREFIX_CMPS: &[(&str, &str)] = &[
    ("大于或等于", ">="),
    ("小于或等于", "<="),
    ("大于等于", ">="),
    ("小于等于", "<="),
    ("不低于", ">="),
    ("不少于", ">="),
    ("不小于", ">="),
    ("不超过", "<="),
    ("不高于", "<="),
    ("不多于", "<="),
    ("不大于", "<="),
    ("超过", ">"),
    ("大于", ">"),
    ("高于", ">"),
    ("多于", ">"),
    ("少于", "<"),
    ("小于", "<"),
    ("低于", "<"),
    ("等于", "="),
    ("超", ">"),
    (">=", ">="),
    ("<=", "<="),
    ("≥", ">="),
    ("≧", ">="),
    ("⩾", ">="),
    ("≤", "<="),
    ("≦", "<="),
    ("⩽", "<="),
    ("＞", ">"),
    (">", ">"),
    ("＜", "<"),
    ("<", "<"),
    ("＝", "="),
    ("=", "="),
];

/// Suffixes allowed after the unit, with the comparator they imply.
const SUFFIX_CMPS: &[(&str, &str)] = &[("以内", "<="), ("以下", "<="), ("以上", ">=")];

/// Characters that print a minus sign before a number.
const MINUS: &[char] = &['-', '−', '－', '﹣'];

/// Characters that make up a "dash" cell (`——`, `—`, `-`, `/`), meaning empty.
const DASHES: &[char] = &[
    '-', '—', '–', '―', '─', '━', '－', '−', '﹣', '/', '／', '～', '~',
];

/// Non-letter characters a unit may contain.
const UNIT_SYMBOLS: &[char] = &[
    '%', '％', '‰', '‱', '℃', '°', '㎡', '㎞', '㎏', '²', '³', '/', '／',
];

/// Maximum length of a unit, in characters.
const MAX_UNIT_CHARS: usize = 4;

/// Trim spaces (ASCII, ideographic U+3000, NBSP…) from both ends.
fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{FEFF}')
}

/// True when the printed cell means "no value": empty, only spaces, or only dashes
/// (`——`, `—`, `-`, `/`).
pub fn is_blank(text: &str) -> bool {
    text.chars()
        .filter(|c| !(c.is_whitespace() || *c == '\u{3000}' || *c == '\u{FEFF}'))
        .all(|c| DASHES.contains(&c))
}

/// Normalize one printed cell; `None` when it is empty or a dash.
pub fn parse(text: &str) -> Option<Cell> {
    if is_blank(text) {
        return None;
    }
    let text = trim(&radicals::fold(text)).to_string();
    let (cmp, number, unit) = match quantity(&text) {
        Some(q) => (q.cmp.map(str::to_string), Some(q.number), q.unit),
        None => (None, None, None),
    };
    Some(Cell {
        text,
        cmp,
        number,
        unit,
    })
}

/// The one quantity a cell ends in.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// `>=`, `<=`, `>`, `<`, `=`, or `None`.
    pub cmp: Option<&'static str>,
    /// The number, digits as printed, separators dropped.
    pub number: Decimal,
    /// The unit as printed (`%`, `万人`, `余课时`), if any.
    pub unit: Option<String>,
}

/// Read the one quantity `text` ends in (see the module docs); `None` when it states
/// none, more than one, or has text after it. `text` should already be trimmed and folded.
pub fn quantity(text: &str) -> Option<Quantity> {
    let mut numbers = NUMBER.find_iter(text);
    let m = numbers.next()?;
    if numbers.next().is_some() {
        return None;
    }

    // After the number: [spaces] [unit] [以内|以下|以上] [。]
    let mut rest = text[m.end()..].trim_end();
    if let Some(r) = rest.strip_suffix('。') {
        rest = r.trim_end();
    }
    let mut cmp = None;
    for &(word, c) in SUFFIX_CMPS {
        if let Some(r) = rest.strip_suffix(word) {
            rest = r.trim_end();
            cmp = Some(c);
            break;
        }
    }
    let unit = trim(rest);
    // A unit printed in parentheses after its number: `≥13459.00(平方米)`, `=100.00(%)`.
    let unit = unit.strip_prefix(['(', '（']).and_then(|u| u.strip_suffix([')', '）'])).map(trim).unwrap_or(unit);
    if unit.chars().count() > MAX_UNIT_CHARS
        || !unit
            .chars()
            .all(|c| c.is_alphabetic() || UNIT_SYMBOLS.contains(&c))
        || unit.starts_with(['/', '／'])
    {
        return None;
    }
    let unit = (!unit.is_empty()).then(|| unit.to_string());

    // Before the number: [leading words] [comparator] [sign] [spaces]
    let mut before = trim(&text[..m.start()]);
    let mut negative = false;
    if let Some(r) = before.strip_suffix(MINUS) {
        negative = true;
        before = trim(r);
    } else if let Some(r) = before.strip_suffix(['+', '＋']) {
        before = trim(r);
    }
    for &(word, c) in PREFIX_CMPS {
        if let Some(r) = before.strip_suffix(word) {
            // `不等于`, `不超` and the like negate a plain word: no comparator from it.
            if !r.ends_with('不') || word.starts_with('不') {
                cmp = Some(c);
            }
            break;
        }
    }

    let digits: String = m
        .as_str()
        .chars()
        .filter(|&c| c != ',')
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            c => c,
        })
        .collect();
    let mut number = Decimal::from_str(&digits).ok()?;
    if negative {
        number.set_sign_negative(true);
    }
    Some(Quantity { cmp, number, unit })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(printed, cmp, number as printed, unit)`; `number` "" means no quantity.
    fn check(printed: &str, cmp: Option<&str>, number: &str, unit: Option<&str>) {
        let c = parse(printed).unwrap_or_else(|| panic!("{printed:?} parsed as blank"));
        let got = (
            c.cmp.as_deref(),
            c.number.map(|n| n.to_string()).unwrap_or_default(),
            c.unit.as_deref(),
        );
        assert_eq!(got, (cmp, number.to_string(), unit), "{printed:?}");
        if number.is_empty() {
            assert!(c.cmp.is_none() && c.unit.is_none(), "{printed:?}");
        }
    }

    #[test]
    fn a_unit_in_parentheses_after_the_number() {
        let c = parse("≥13459.00(平方米)").unwrap();
        assert_eq!((c.cmp.as_deref(), c.number.map(|n| n.to_string()), c.unit.as_deref()), (Some(">="), Some("13459.00".into()), Some("平方米")));
        let c = parse("=100.00(%)").unwrap();
        assert_eq!((c.cmp.as_deref(), c.unit.as_deref()), (Some("="), Some("%")));
        assert!(parse("完成(部分)").unwrap().number.is_none());
    }

    #[test]
    fn blanks_and_dashes() {
        for s in [
            "",
            " ",
            "\u{3000}",
            "\u{3000} \u{3000}",
            "——",
            "—",
            "-",
            "/",
            " —— ",
            "\u{3000}—\u{3000}",
            "－",
            "／",
            "— —",
            "--",
        ] {
            assert_eq!(parse(s), None, "{s:?}");
            assert!(is_blank(s), "{s:?}");
        }
        assert!(!is_blank("0"));
        assert!(!is_blank("-1"));
    }

    #[test]
    fn text_trimmed_and_folded() {
        let c = parse("\u{3000} 部⻔整体⽀出 \u{3000}").unwrap();
        assert_eq!(c.text, "部门整体支出");
        assert_eq!(c.number, None);
        // Inner spaces and full-width punctuation stay as printed.
        assert_eq!(parse(" 实施效果 较好 ").unwrap().text, "实施效果 较好");
        assert_eq!(parse("现场34，线上31场").unwrap().text, "现场34，线上31场");
        let c = parse("⼈员≥400⼈").unwrap();
        assert_eq!(c.text, "人员≥400人");
        assert_eq!(c.unit.as_deref(), Some("人"));
    }

    #[test]
    fn plain_numbers_and_separators() {
        check("4,876.30", None, "4876.30", None);
        check("6,863.74", None, "6863.74", None);
        check("1,581.02", None, "1581.02", None);
        check("100.00", None, "100.00", None);
        check("10.00", None, "10.00", None);
        check("0.100", None, "0.100", None);
        check("-261.10", None, "-261.10", None);
        check("-100.72", None, "-100.72", None);
        check("-3.843", None, "-3.843", None);
        check("106566人", None, "106566", Some("人"));
        check("0.90亿元", None, "0.90", Some("亿元"));
        check("932.92亿元", None, "932.92", Some("亿元"));
        check("1306万", None, "1306", Some("万"));
        check("１２３．５０", None, "123.50", None);
    }

    #[test]
    fn percent() {
        check("100.00%", None, "100.00", Some("%"));
        check("100%", None, "100", Some("%"));
        check("0%", None, "0", Some("%"));
        check("-2.42%", None, "-2.42", Some("%"));
        check("1700.00%", None, "1700.00", Some("%"));
        check("64.45%", None, "64.45", Some("%"));
        check("参训率100%", None, "100", Some("%"));
        check("100 %", None, "100", Some("%"));
    }

    #[test]
    fn units() {
        check("1027.98万人", None, "1027.98", Some("万人"));
        check("新增40万人", None, "40", Some("万人"));
        check("新增43.1万人", None, "43.1", Some("万人"));
        check("完成978余课时", None, "978", Some("余课时"));
        check("9.3万余人", None, "9.3", Some("万余人"));
        check("149万科次", None, "149", Some("万科次"));
        check("13个月", None, "13", Some("个月"));
        check("16.92个月", None, "16.92", Some("个月"));
        check("11600卷", None, "11600", Some("卷"));
        check("144项", None, "144", Some("项"));
        check("18个", None, "18", Some("个"));
        check("1次", None, "1", Some("次"));
        check("21名", None, "21", Some("名"));
        check("2家", None, "2", Some("家"));
        check("38批次", None, "38", Some("批次"));
        check("4.54万本", None, "4.54", Some("万本"));
        check("55000件", None, "55000", Some("件"));
        check("发文28篇", None, "28", Some("篇"));
        check("开展安全大检查12次", None, "12", Some("次"));
        check("达5万次", None, "5", Some("万次"));
        check("省级和14市州", None, "14", Some("市州"));
        check("≥4期", Some(">="), "4", Some("期"));
        check("≥33场", Some(">="), "33", Some("场"));
        check("5项。", None, "5", Some("项"));
    }

    #[test]
    fn comparators() {
        check("≥5,441.47万人", Some(">="), "5441.47", Some("万人"));
        check("≥4,848.35万人", Some(">="), "4848.35", Some("万人"));
        check("持卡人数≥5700万人", Some(">="), "5700", Some("万人"));
        check("≥95.00%", Some(">="), "95.00", Some("%"));
        check("≥10", Some(">="), "10", None);
        check("≧15%", Some(">="), "15", Some("%"));
        check("大于等于600", Some(">="), "600", None);
        check("大于等于524", Some(">="), "524", None);
        check("不低于90%", Some(">="), "90", Some("%"));
        check("≤100.00%", Some("<="), "100.00", Some("%"));
        check("≦100%", Some("<="), "100", Some("%"));
        check("6小时以内", Some("<="), "6", Some("小时"));
        check("不超过5个工作日", Some("<="), "5", Some("个工作日"));
        check("发放稳岗返还超10亿元", Some(">"), "10", Some("亿元"));
        check("发放稳岗返还超9亿元", Some(">"), "9", Some("亿元"));
        check(">0", Some(">"), "0", None);
        check("＜100.00%", Some("<"), "100.00", Some("%"));
        check("＜4.5%", Some("<"), "4.5", Some("%"));
        check("＜50%", Some("<"), "50", Some("%"));
        check("<3", Some("<"), "3", None);
        check("每年故障少于2次", Some("<"), "2", Some("次"));
        check("=100%", Some("="), "100", Some("%"));
        check("＝100%", Some("="), "100", Some("%"));
        check("控制在5.50%", None, "5.50", Some("%"));
        check("不少于3次", Some(">="), "3", Some("次"));
        check("3次以上", Some(">="), "3", Some("次"));
        check("≥6个月", Some(">="), "6", Some("个月"));
        check("不等于5", None, "5", None);
    }

    #[test]
    fn no_single_quantity() {
        for s in [
            "40.4万人,完成率134.67%。",
            "79.81万人，完成率114.01%。",
            "9.7万人，完成率97%。",
            "现场34，线上31场",
            "共计483人的专武干部培训",
            "1000余学员的理论授课任务",
            "2024年将1519个社区（村）纳入建设计划",
            "13500件，涉及金额7.58亿元",
            "截至2024年底5,458.08万人,完成率100.31%",
            "失业率平均值5.30%，控制在5.50%的目标范围内",
            "≧15%，达成初步就业意向17598人次，总参线下人数74536人,24%",
            "中高级代收代报419人，初级认定80人，中级工程评审165人",
            "已完成21个，3个项目收尾工作",
            "贫困人员参保率达100 %，实现应保尽保",
            "开展补贴性职业培训28.22万人，完成率70.55%",
            "聚焦“4x4”现代化产业体系",
            "每周一次",
            "观看点击量达数十万次",
            "效果明显",
            "根据部门自评材料评定。",
            "2期全省新任职武装部长集训、1期招录专武干部集训、1期新招录专武干部集训",
        ] {
            check(s, None, "", None);
        }
    }

    #[test]
    fn weird_input_never_panics() {
        let long_digits = "9".repeat(200);
        let many = "1,".repeat(1000);
        let weird = [
            "\0",
            "%",
            "。",
            "以内",
            "≥",
            "≥。",
            "-.",
            ".5",
            "5.",
            "1,23",
            "1,234,",
            ",123",
            "−",
            "－5",
            "+5",
            "＋",
            "不",
            "不超",
            "超",
            "0.0000000000000000000000000000001",
            "79228162514264337593543950336",
            "\u{FEFF}",
            "\u{200B}",
            "⺀⿕⻿",
            "\u{10FFFF}",
            "１,２３４",
            "٣",
            "5以内以内",
            "5。。",
            "≥≥5",
            "5％",
            "5//",
            "5/人",
            "5元/人",
        ];
        for s in weird
            .iter()
            .copied()
            .chain([long_digits.as_str(), many.as_str()])
        {
            let _ = parse(s);
            let _ = quantity(s);
            let _ = is_blank(s);
        }
        assert_eq!(parse(&long_digits).unwrap().number, None);
        assert_eq!(parse("5元/人").unwrap().unit.as_deref(), Some("元/人"));
        assert_eq!(
            parse(".5")
                .unwrap()
                .number
                .map(|n| n.to_string())
                .as_deref(),
            Some("0.5")
        );
    }
}

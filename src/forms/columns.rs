//! Columns by their printed header words: which model key an indicator column or a funds
//! column feeds. Never by position or count: the same form prints a dozen column sets
//! across provinces, and an unknown column keeps its printed label (`extra`, or a funds
//! column with `key: null`).
//!
//! Before mapping, a header is *squashed*: white space removed, and trailing parenthesised
//! qualifiers that do not change the column's meaning — `(A)`, `(B)`, `(B/A)`, `（分）`,
//! `(%)`, `(20分*执行率)` — cut off. The printed label is kept as printed.

/// What an indicator column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndKey {
    Level1,
    Level2,
    Name,
    Target,
    Actual,
    Weight,
    Score,
    Deviation,
}

impl IndKey {
    /// The model field name (for diagnostics).
    pub fn as_str(self) -> &'static str {
        match self {
            IndKey::Level1 => "level1",
            IndKey::Level2 => "level2",
            IndKey::Name => "name",
            IndKey::Target => "target",
            IndKey::Actual => "actual",
            IndKey::Weight => "weight",
            IndKey::Score => "score",
            IndKey::Deviation => "deviation",
        }
    }
}

/// White space removed and trailing qualifiers in parentheses cut off, repeatedly:
/// `年初目标值(A)` → `年初目标值`, `得分\n(20分*执行率)` → `得分`, `指标权重（分）` → `指标权重`.
pub fn squash(label: &str) -> String {
    let mut s: String = label.chars().filter(|c| !c.is_whitespace()).collect();
    while s.ends_with([')', '）']) {
        match s.rfind(['(', '（']) {
            Some(o) if o > 0 => s.truncate(o),
            _ => break,
        }
    }
    s
}

/// The key of an indicator column from its header, `None` when the header is not one the
/// contract maps (the column goes to `extra`).
pub fn indicator_key(label: &str) -> Option<IndKey> {
    let full: String = label.chars().filter(|c| !c.is_whitespace()).collect();
    if full.starts_with("指标名称") {
        return Some(IndKey::Name);
    }
    let s = squash(label);
    let s = s.as_str();
    if s.is_empty() {
        return None;
    }
    let key = match s {
        "一级指标" => IndKey::Level1,
        "二级指标" | "分解目标" => IndKey::Level2,
        "三级指标" | "指标名称" | "指标" | "指标内容" | "绩效指标名称" => IndKey::Name,
        _ if s.contains("原因") || s.contains("改进措施") || matches!(s, "说明" | "备注") => IndKey::Deviation,
        _ if s.contains("权重") || s.ends_with("分值") => IndKey::Weight,
        _ if (s.ends_with("得分") || matches!(s, "自评分" | "评分" | "自评得分"))
            && !s.contains("系数")
            && !s.contains("方法") =>
        {
            IndKey::Score
        }
        _ if is_actual(s) => IndKey::Actual,
        _ if is_target(s) => IndKey::Target,
        _ => return None,
    };
    Some(key)
}

/// 实际完成值, 完成值, 全年实际值, 年终完成值, 实际完成指标值 …: a value that was reached.
fn is_actual(s: &str) -> bool {
    let valued = s.ends_with('值') || s.ends_with("情况");
    valued && (s.contains("完成") || s.contains("实际") || s.contains('完') && !s.contains("目标"))
}

/// 年度指标值, 指标值, 年初目标值, 预期指标值, 目标值 …: a value that was set (not an
/// adjusted one: 调整指标值 stays its own column).
fn is_target(s: &str) -> bool {
    (s.ends_with("指标值") || s.ends_with("目标值") || s == "计划值" || s == "预期值")
        && !s.contains("调整")
        && !s.contains("实际")
}

/// A comparator printed in its own column (指标性质 `≥` …): `Some(cmp)` for a comparator,
/// `Some(None)`-like words (定性, 定量…) give `None`.
pub fn comparator_column(text: &str) -> Option<&'static str> {
    match text.trim() {
        "=" | "═" | "＝" | "等于" => Some("="),
        "≥" | "≧" | ">=" | "＞＝" | "大于等于" | "不低于" | "不少于" => Some(">="),
        "≤" | "≦" | "<=" | "＜＝" | "小于等于" | "不高于" | "不超过" => Some("<="),
        ">" | "＞" | "大于" => Some(">"),
        "<" | "＜" | "小于" => Some("<"),
        _ => None,
    }
}

/// Is this column a unit column (度量单位, 计量单位, 单位)?
pub fn is_unit_column(label: &str) -> bool {
    let s = squash(label);
    s.ends_with("单位") && s.chars().count() <= 4
}

/// Is this column a core-indicator mark (是否核心指标)?
pub fn is_core_column(label: &str) -> bool {
    squash(label).contains("核心")
}

/// The key of a funds (budget block) column from its header, `None` when unknown.
pub fn funds_key(label: &str) -> Option<&'static str> {
    let s = squash(label);
    let s = s.as_str();
    let key = match s {
        _ if s.contains("执行率") && s.contains("权重") => "weight",
        _ if s.contains("执行率") && s.contains("得分") => "score",
        _ if s.contains("执行率") || s.contains("执行进度") => "execution_rate",
        _ if s.contains("调整") && s.contains("预算") || s.contains('整') && s.contains("预算数") => "adjusted_budget",
        _ if s.starts_with("年初预算") => "initial_budget",
        _ if s.ends_with("预算数") || s == "预算" || s == "全年预算" => "full_year_budget",
        _ if s.ends_with("执行数") || s.contains("实际执行") || s.contains("累计执行") || s == "实际支出" => "executed",
        _ if s == "分值" || s == "权重" => "weight",
        _ if s == "得分" || s == "评分" => "score",
        _ => return None,
    };
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use IndKey::*;

    fn keys(headers: &[&str]) -> Vec<Option<IndKey>> {
        headers.iter().map(|h| indicator_key(h)).collect()
    }

    #[test]
    fn national_template_hunan() {
        assert_eq!(
            keys(&["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]),
            [Some(Level1), Some(Level2), Some(Name), Some(Target), Some(Actual), Some(Weight), Some(Score), Some(Deviation)]
        );
    }

    #[test]
    fn yunnan_targets_with_letters_and_a_score_formula() {
        assert_eq!(
            keys(&["一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分"]),
            [Some(Level1), Some(Level2), Some(Name), Some(Target), Some(Actual), Some(Score)]
        );
        assert_eq!(funds_key("得分\n(20分*执行率)"), Some("score"));
        assert_eq!(funds_key("预算数(A)"), Some("full_year_budget"));
        assert_eq!(funds_key("执行数(B)"), Some("executed"));
        assert_eq!(funds_key("执行率(B/A)"), Some("execution_rate"));
    }

    #[test]
    fn county_form_with_wrapped_headers() {
        assert_eq!(
            keys(&["一级\n指标", "二级\n指标", "三级指标", "年度指标\n值", "全年\n完成值", "未完成原因和\n改进措施"]),
            [Some(Level1), Some(Level2), Some(Name), Some(Target), Some(Actual), Some(Deviation)]
        );
    }

    #[test]
    fn weight_before_target_and_yearly_actual() {
        assert_eq!(
            keys(&["分值", "年度指标值", "全年实际值", "得分", "未完成原因及拟采取的改进措施"]),
            [Some(Weight), Some(Target), Some(Actual), Some(Score), Some(Deviation)]
        );
    }

    #[test]
    fn chongqing_columns_with_extras() {
        assert_eq!(
            keys(&["指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "年成值全完值", "得分系数(%)", "指标权重(分)", "指标得分(分)", "是否核心指标"]),
            [Some(Name), None, None, Some(Target), None, Some(Actual), None, Some(Weight), Some(Score), None]
        );
        assert!(is_unit_column("计量单位"));
        assert!(is_core_column("是否核心指标"));
        assert_eq!(funds_key("全年(调整)预算数"), Some("adjusted_budget"));
        assert_eq!(funds_key("执行率权重"), Some("weight"));
        assert_eq!(funds_key("执行率得分(分)"), Some("score"));
    }

    #[test]
    fn sub_columns_of_a_target_group() {
        assert_eq!(keys(&["指标性质", "指标值", "度量单位"]), [None, Some(Target), None]);
        assert_eq!(comparator_column("≧"), Some(">="));
        assert_eq!(comparator_column("═"), Some("="));
        assert_eq!(comparator_column("定性指标"), None);
    }

    #[test]
    fn other_words_stay_unmapped() {
        assert_eq!(keys(&["复核分", "得分计算方法", "评价标准", "指标解释"]), [None, None, None, None]);
        assert_eq!(squash("指标权重（分）"), "指标权重");
        assert_eq!(indicator_key("指标名称（三级指标）"), Some(Name));
    }
}

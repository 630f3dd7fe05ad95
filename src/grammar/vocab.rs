//! Structure words of the national self-evaluation templates (财政部 部门整体/项目支出绩效
//! 自评表 and the provincial forms derived from them). Grammars recognise a table's parts
//! by these words; none of them is specific to one document.

use regex::Regex;
use std::sync::LazyLock;

/// Level-2 indicator names (二级指标) of the national indicator framework.
pub const LEVEL2: &[&str] = &[
    "数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
    "可持续影响指标", "服务对象满意度指标", "经济成本指标", "社会成本指标", "生态环境成本指标",
    "满意度指标", "效益指标",
];

/// Level-1 indicator names (一级指标) printed without a weight.
pub const LEVEL1: &[&str] = &["产出指标", "效益指标", "满意度指标", "成本指标", "效果指标", "管理指标"];

/// Header words of the indicator table (dropped, also when repeated after a page break).
pub const INDICATOR_HEADER: &[&str] = &[
    "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施",
    "偏差原因分析及改进", "指标值", "完成值", "年度", "实际", "偏差原因", "分析及", "改进措施", "措施",
    "年度目标值", "实际完成情况", "预期指标值", "全年实际值", "全年指标值", "权重",
];

/// Captions and section words that are dropped wherever they repeat.
pub const SECTION: &[&str] = &["绩效指标", "年度总体目标", "预期目标", "实际完成情况", "总体目标", "年度绩效目标", "项目绩效目标"];

/// Field labels of the self-evaluation head, with their schema key.
pub const FIELDS: &[(&str, &str)] = &[
    ("项目支出名称", "project_name"),
    ("项目名称", "project_name"),
    ("基金名称", "project_name"),
    ("主管部门", "department"),
    ("省级预算部门名称", "department"),
    ("预算部门名称", "department"),
    ("部门名称", "department"),
    ("填报单位", "department"),
    ("实施单位", "implementer"),
];

/// Words that open the funds block (the merged caption cell).
pub const FUNDS_CAPTION: &[&str] = &["项目资金", "年度预算申请", "年度资金", "预算申请", "资金情况", "基金资金"];

static LEVEL1_WEIGHT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([^\d\s（()）]{2,6}?)\s*[（(]\s*(\d{1,3}(?:\.\d+)?)\s*分\s*[）)]$").unwrap());

/// A level-1 label with its printed weight: `产出指标（50分）` → ("产出指标", "50"). The
/// name is 2–6 characters with no digits and is not itself a caption (`绩效指标…`).
pub fn level1_with_weight(s: &str) -> Option<(String, String)> {
    let m = LEVEL1_WEIGHT.captures(s)?;
    let name = m[1].to_string();
    if name.starts_with("绩效") || SECTION.iter().any(|w| name.contains(w)) {
        return None;
    }
    Some((name, m[2].to_string()))
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn is_level2(s: &str) -> bool {
    LEVEL2.contains(&squash(s).as_str())
}

pub fn is_level1(s: &str) -> bool {
    let s = squash(s);
    LEVEL1.contains(&s.as_str()) || level1_with_weight(&s).is_some()
}

pub fn is_indicator_header(s: &str) -> bool {
    INDICATOR_HEADER.contains(&squash(s).as_str())
}

pub fn is_section(s: &str) -> bool {
    SECTION.contains(&squash(s).as_str())
}

/// The schema key of a field label printed exactly as a national template prints it.
fn exact_field_key(s: &str) -> Option<&'static str> {
    let s = squash(s);
    let s = s.trim_end_matches(['：', ':']);
    FIELDS.iter().find(|(w, _)| *w == s).map(|(_, k)| *k)
}

/// The schema key of a field label: the national labels, and their provincial variants by
/// their ending (专项资金名称, 县级主管部门, 项目实施单位).
pub fn field_key(s: &str) -> Option<&'static str> {
    if let Some(k) = exact_field_key(s) {
        return Some(k);
    }
    let s = squash(s);
    let s = s.trim_end_matches(['：', ':']);
    let n = s.chars().count();
    if n > 12 {
        None
    } else if s.ends_with("项目名称") || s.ends_with("资金名称") || s.ends_with("项目支出名称") {
        Some("project_name")
    } else if s.ends_with("主管部门") {
        Some("department")
    } else if s.ends_with("实施单位") {
        Some("implementer")
    } else {
        None
    }
}

/// Is this text a funds caption (`项目资金（万元）`, `年度预算申请（万元）`)?
pub fn is_funds_caption(s: &str) -> bool {
    let s = squash(s);
    FUNDS_CAPTION.iter().any(|w| s.starts_with(w)) && s.chars().count() <= 14
}

/// Any structure word a vertical or wrapped label may spell.
pub fn is_structure_word(s: &str) -> bool {
    let q = squash(s);
    is_level1(&q)
        || is_level2(&q)
        || is_section(&q)
        || exact_field_key(&q).is_some()
        || is_funds_caption(&q) && (q.ends_with('）') || q.ends_with(')'))
        || matches!(q.as_str(), "一级指标" | "二级指标" | "三级指标" | "偏差原因分析及改进措施" | "总分")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_labels() {
        assert_eq!(level1_with_weight("产出指标（50分）"), Some(("产出指标".into(), "50".into())));
        assert_eq!(level1_with_weight("产出效益(30分)"), Some(("产出效益".into(), "30".into())));
        assert_eq!(level1_with_weight("绩效指标产出指标(50分)"), None);
        assert_eq!(level1_with_weight("1.00效益指标(30分)"), None);
        assert!(is_level2("服务对象满意度指标"));
        assert!(is_level2("社会效益 指标"));
        assert!(!is_level2("就业人数"));
        assert!(is_funds_caption("项目资金（亿元）"));
        assert!(is_funds_caption("年度预算申请（万元）"));
        assert_eq!(field_key("项目支出名称"), Some("project_name"));
        assert_eq!(field_key("实施单位："), Some("implementer"));
        assert_eq!(field_key("专项资金名称"), Some("project_name"));
        assert_eq!(field_key("县级主管部门"), Some("department"));
        assert_eq!(field_key("项目实施单位"), Some("implementer"));
    }
}

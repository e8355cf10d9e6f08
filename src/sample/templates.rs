//! The catalogue templates (事项 as a district's 事项目录 lists them) and the catalogue of
//! the eight districts made from them, with per-district variation and the planted slips.

use super::{District, Rng};

/// A catalogue template, instantiated per district.
struct Template {
    code: &'static str,
    name: &'static str,
    department: &'static str,
    category: &'static str,
    legal: Option<i32>,
    unit: &'static str,
    promised: i32,
    depth: i32,
    visits: i32,
    weight: f64,
    /// Share of cases with a 特别程序 (inspection, expert review …).
    suspends: f64,
}

#[allow(clippy::too_many_arguments)] // one row of the template table, field by field
const fn t(
    code: &'static str,
    name: &'static str,
    department: &'static str,
    category: &'static str,
    legal: Option<i32>,
    promised: i32,
    depth: i32,
    visits: i32,
    weight: f64,
) -> Template {
    Template {
        code,
        name,
        department,
        category,
        legal,
        unit: "工作日",
        promised,
        depth,
        visits,
        weight,
        suspends: 0.0,
    }
}

const TEMPLATES: &[Template] = &[
    t(
        "370000000101",
        "公司设立登记",
        "市场监管局",
        "行政许可",
        Some(6),
        0,
        4,
        0,
        8.0,
    ),
    t(
        "370000000102",
        "个体工商户设立登记",
        "市场监管局",
        "行政许可",
        Some(15),
        0,
        4,
        0,
        10.0,
    ),
    t(
        "370000000103",
        "食品经营许可",
        "市场监管局",
        "行政许可",
        Some(20),
        5,
        4,
        0,
        6.0,
    ),
    t(
        "370000000104",
        "药品零售企业经营许可",
        "市场监管局",
        "行政许可",
        Some(30),
        10,
        3,
        1,
        2.0,
    ),
    t(
        "370000000105",
        "特种设备使用登记",
        "市场监管局",
        "行政许可",
        Some(15),
        3,
        4,
        0,
        2.0,
    ),
    t(
        "370000000201",
        "建设工程规划许可证核发",
        "自然资源局",
        "行政许可",
        Some(20),
        7,
        3,
        1,
        1.5,
    ),
    t(
        "370000000301",
        "建筑工程施工许可证核发",
        "住建局",
        "行政许可",
        Some(15),
        3,
        4,
        0,
        2.0,
    ),
    t(
        "370000000302",
        "商品房预售许可",
        "住建局",
        "行政许可",
        Some(20),
        10,
        3,
        1,
        1.0,
    ),
    t(
        "370000000303",
        "城镇污水排入排水管网许可",
        "住建局",
        "行政许可",
        Some(20),
        10,
        4,
        0,
        0.6,
    ),
    t(
        "370000000401",
        "道路货物运输经营许可",
        "交通运输局",
        "行政许可",
        Some(20),
        5,
        4,
        0,
        2.0,
    ),
    t(
        "370000000402",
        "出租汽车驾驶员从业资格证核发",
        "交通运输局",
        "行政许可",
        Some(20),
        5,
        4,
        0,
        1.5,
    ),
    Template {
        suspends: 0.25,
        ..t(
            "370000000501",
            "医疗机构执业登记",
            "卫健局",
            "行政许可",
            Some(45),
            15,
            3,
            1,
            1.0,
        )
    },
    t(
        "370000000502",
        "公共场所卫生许可",
        "卫健局",
        "行政许可",
        Some(20),
        3,
        4,
        0,
        3.0,
    ),
    Template {
        unit: "自然日",
        ..t(
            "370000000601",
            "民办学校设立审批",
            "教育局",
            "行政许可",
            Some(90),
            60,
            2,
            2,
            0.3,
        )
    },
    t(
        "370000000701",
        "最低生活保障对象认定",
        "民政局",
        "行政确认",
        Some(30),
        15,
        3,
        1,
        1.5,
    ),
    t(
        "370000000702",
        "结婚登记",
        "民政局",
        "行政确认",
        None,
        0,
        2,
        1,
        3.0,
    ),
    t(
        "370000000703",
        "高龄津贴发放",
        "民政局",
        "行政给付",
        Some(20),
        5,
        4,
        0,
        1.0,
    ),
    t(
        "370000000801",
        "失业保险金申领",
        "人社局",
        "行政给付",
        Some(10),
        0,
        4,
        0,
        3.0,
    ),
    t(
        "370000000802",
        "职业资格证书核发",
        "人社局",
        "行政确认",
        Some(20),
        5,
        4,
        0,
        1.0,
    ),
    t(
        "370000000803",
        "社会保障卡申领",
        "人社局",
        "公共服务",
        None,
        0,
        4,
        0,
        4.0,
    ),
    t(
        "370000000901",
        "城乡居民基本医疗保险参保登记",
        "医保局",
        "公共服务",
        None,
        0,
        4,
        0,
        3.0,
    ),
    t(
        "370000000902",
        "异地就医备案",
        "医保局",
        "公共服务",
        None,
        0,
        4,
        0,
        2.0,
    ),
    t(
        "370000001001",
        "取水许可",
        "水利局",
        "行政许可",
        Some(40),
        15,
        3,
        1,
        0.5,
    ),
    t(
        "370000001101",
        "排污许可",
        "生态环境局",
        "行政许可",
        Some(20),
        10,
        4,
        0,
        0.6,
    ),
    Template {
        suspends: 0.2,
        ..t(
            "370000001102",
            "建设项目环境影响报告表审批",
            "生态环境局",
            "行政许可",
            Some(30),
            15,
            3,
            1,
            0.6,
        )
    },
    t(
        "370000001201",
        "户外广告设施设置审批",
        "综合执法局",
        "行政许可",
        Some(20),
        5,
        4,
        0,
        0.8,
    ),
    t(
        "370000001301",
        "烟草专卖零售许可",
        "烟草专卖局",
        "行政许可",
        Some(20),
        10,
        4,
        0,
        1.0,
    ),
    t(
        "370000001401",
        "犬只登记",
        "公安局",
        "行政确认",
        Some(20),
        20,
        2,
        1,
        0.8,
    ),
    t(
        "370000001402",
        "户口迁移",
        "公安局",
        "行政确认",
        Some(20),
        20,
        3,
        1,
        1.0,
    ),
    t(
        "370000001501",
        "对未取得许可从事经营活动的处罚",
        "市场监管局",
        "行政处罚",
        Some(90),
        90,
        1,
        1,
        0.0,
    ),
];

/// One district's catalogue row.
#[derive(Debug, Clone)]
pub struct Matter {
    pub region: &'static str,
    pub code: &'static str,
    pub name: &'static str,
    pub department: &'static str,
    pub category: &'static str,
    pub legal: Option<i32>,
    pub legal_unit: &'static str,
    pub promised: i32,
    pub unit: &'static str,
    pub is_instant: bool,
    pub depth: i32,
    pub visits: i32,
    pub(super) weight: f64,
    pub(super) suspends: f64,
    /// 高青县's declared-but-unused 全程网办: cases mostly at the window.
    pub(super) unused_online: bool,
}

/// The catalogue of a city's districts, with per-district variation, and with `stories`
/// (淄博市's) the planted slips.
pub fn catalogue(rng: &mut Rng, districts: &[District], stories: bool) -> Vec<Matter> {
    let mut out = Vec::new();
    for &District {
        code: region, name, ..
    } in districts
    {
        for tpl in TEMPLATES {
            let mut m = Matter {
                region,
                code: tpl.code,
                name: tpl.name,
                department: tpl.department,
                category: tpl.category,
                legal: tpl.legal,
                legal_unit: tpl.unit,
                promised: tpl.promised,
                unit: tpl.unit,
                is_instant: tpl.promised == 0,
                depth: tpl.depth,
                visits: tpl.visits,
                weight: tpl.weight,
                suspends: tpl.suspends,
                unused_online: false,
            };
            // Districts differ a little: a day or two shorter promises, a level less online.
            if m.promised > 3 && rng.chance(0.3) {
                m.promised -= 1 + rng.below(2) as i32;
            }
            if m.depth == 4 && rng.chance(0.06) {
                m.depth = 3;
                m.visits = 1;
            }
            match (if stories { name } else { "" }, tpl.name) {
                ("沂源县", "取水许可") => m.legal = Some(880),
                ("临淄区", "烟草专卖零售许可") => m.promised = 25,
                ("桓台县", "建设项目环境影响报告表审批") => {
                    m.promised = 22;
                    m.is_instant = true;
                }
                ("淄川区", "食品经营许可") => m.visits = 1,
                (
                    "高青县",
                    "食品经营许可"
                    | "道路货物运输经营许可"
                    | "公共场所卫生许可"
                    | "户外广告设施设置审批",
                ) => {
                    m.unused_online = true;
                }
                _ => {}
            }
            if tpl.name == "民办学校设立审批" {
                m.unit = "工作日"; // promised in working days, legal in calendar days
            }
            out.push(m);
        }
    }
    out
}

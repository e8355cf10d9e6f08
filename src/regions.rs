//! Region names from the GB/T 2260 administrative division code table (docs/SPEC.md §2.4),
//! bundled for the whole country and overridable by a user file
//! (`region_code,region_name`), since codes change when districts merge or are renamed.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::error::{Error, Result};
use crate::ingest::values::{Problem, Reason};

/// The bundled table (see its header for source and date).
pub const BUNDLED_TABLE: &str = include_str!("../data/regions/gbt2260.csv");

#[derive(Debug, Clone)]
pub struct Regions {
    names: HashMap<String, String>,
    /// Normalised district (and city) name → codes, for data written with names.
    by_name: HashMap<String, Vec<String>>,
    /// Provinces and cities by normalised name, longest first (long and short forms:
    /// 山东省 and 山东, 德州市 and 德州), to strip them off the front of a full name.
    prefixes: Vec<(String, String)>,
}

/// Where the data belongs: the cities (4-digit prefixes) and provinces (2-digit) of the
/// region codes around it, which settle a name that exists in several places.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegionScope {
    pub cities: BTreeSet<String>,
    pub provinces: BTreeSet<String>,
}

impl RegionScope {
    /// The scope of these district codes.
    pub fn of<'a>(codes: impl IntoIterator<Item = &'a str>) -> RegionScope {
        let mut scope = RegionScope::default();
        for c in codes {
            if c.len() >= 4 && c.is_ascii() {
                scope.cities.insert(c[..4].to_owned());
                scope.provinces.insert(c[..2].to_owned());
            }
        }
        scope
    }

    pub fn is_empty(&self) -> bool {
        self.cities.is_empty()
    }

    pub fn extend(&mut self, other: &RegionScope) {
        self.cities.extend(other.cities.iter().cloned());
        self.provinces.extend(other.provinces.iter().cloned());
    }
}

/// Placeholder names of the city level (municipalities, province-administered counties).
fn placeholder(name: &str) -> bool {
    matches!(
        name,
        "市辖区" | "县" | "省直辖县级行政区划" | "自治区直辖县级行政区划" | "省直辖县级行政单位"
    )
}

/// A name as it is compared: NFKC, without spaces and the separators people put between
/// province, city and district (`山东省/德州市/德城区`, `山东省-德州市`).
fn name_key(name: &str) -> String {
    crate::ingest::vocabulary::fold(name)
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | ',' | '，' | '、' | '>' | '|' | '.' | '。'))
        .collect()
}

/// The short form of a province or city name: 山东省 → 山东, 德州市 → 德州,
/// 内蒙古自治区 → 内蒙古, 广西壮族自治区 → 广西.
fn short_name(name: &str) -> Option<&str> {
    for suffix in [
        "壮族自治区",
        "回族自治区",
        "维吾尔自治区",
        "自治区",
        "特别行政区",
        "省",
        "市",
    ] {
        if let Some(s) = name.strip_suffix(suffix) {
            if s.chars().count() >= 2 {
                return Some(s);
            }
        }
    }
    None
}

impl Regions {
    pub fn load(override_file: Option<&Path>) -> Result<Self> {
        let mut names = HashMap::new();
        parse_into(
            &mut names,
            BUNDLED_TABLE,
            Path::new("data/regions/gbt2260.csv"),
        )?;
        if let Some(path) = override_file {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            let (text, _) =
                crate::ingest::read::decode(bytes).map_err(|m| Error::input(path, m))?;
            parse_into(&mut names, &String::from_utf8_lossy(&text), path)?;
        }
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        let mut prefixes = Vec::new();
        let mut codes: Vec<&String> = names.keys().collect();
        codes.sort();
        for code in codes {
            let name = &names[code];
            if code.ends_with("0000") {
                prefixes.push((name_key(name), code.clone()));
                prefixes.extend(short_name(name).map(|s| (name_key(s), code.clone())));
            } else if code.ends_with("00") {
                if placeholder(name) {
                    continue;
                }
                prefixes.push((name_key(name), code.clone()));
                prefixes.extend(short_name(name).map(|s| (name_key(s), code.clone())));
                by_name
                    .entry(name_key(name))
                    .or_default()
                    .push(code.clone());
            } else {
                by_name
                    .entry(name_key(name))
                    .or_default()
                    .push(code.clone());
            }
        }
        prefixes.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.cmp(b)));
        Ok(Regions {
            names,
            by_name,
            prefixes,
        })
    }

    /// The full name of a code: 山东省淄博市张店区 (placeholders such as 市辖区 left out).
    pub fn full_name(&self, code: &str) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if code.len() == 6 && code.is_ascii() {
            for prefix in [format!("{}0000", &code[..2]), format!("{}00", &code[..4])] {
                if prefix != code {
                    if let Some(n) = self.name(&prefix).filter(|n| !placeholder(n)) {
                        parts.push(n);
                    }
                }
            }
        }
        parts.push(self.name(code).unwrap_or(code));
        parts.concat()
    }

    /// The district code a region name stands for (德城区, 德州市德城区, 山东省德州市德城区,
    /// 山东德州德城区), within `scope` when the name exists in several places. An unknown
    /// or ambiguous name is a reason that names the candidates.
    pub fn resolve_name(
        &self,
        text: &str,
        scope: &RegionScope,
    ) -> std::result::Result<String, Reason> {
        let key = name_key(text);
        let mut rest = key.as_str();
        let mut within: Option<String> = None;
        // A district's own name first (大同县 must not lose 大同 as a city); else strip a
        // province, then a city, off the front.
        if !self.by_name.contains_key(rest) {
            for _ in 0..2 {
                let found = self.prefixes.iter().find(|(p, code)| {
                    rest.starts_with(p.as_str())
                        && within.as_deref().is_none_or(|w| code.starts_with(w))
                });
                let Some((p, code)) = found else {
                    break;
                };
                if rest.len() == p.len() {
                    // The name is a province or a city itself.
                    return Ok(code.clone());
                }
                rest = &rest[p.len()..];
                within = Some(if code.ends_with("0000") {
                    code[..2].to_owned()
                } else {
                    code[..4].to_owned()
                });
                if self.by_name.contains_key(rest) {
                    break;
                }
            }
        }
        let mut candidates: Vec<&String> = self
            .by_name
            .get(rest)
            .map(|v| v.iter().collect())
            .unwrap_or_default();
        if let Some(w) = &within {
            candidates.retain(|c| c.starts_with(w.as_str()));
        }
        if candidates.len() > 1 {
            let in_city: Vec<&String> = candidates
                .iter()
                .copied()
                .filter(|c| scope.cities.contains(&c[..4]))
                .collect();
            let in_province: Vec<&String> = candidates
                .iter()
                .copied()
                .filter(|c| scope.provinces.contains(&c[..2]))
                .collect();
            if !in_city.is_empty() {
                candidates = in_city;
            } else if !in_province.is_empty() {
                candidates = in_province;
            }
        }
        match candidates.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(Reason::new(
                Problem::UnknownRegionName,
                format!(
                    "未知的行政区划名称 unknown region name '{}' (not a GB/T 2260 name: write the 6-digit code, or the full name such as 山东省淄博市张店区)",
                    text.trim()
                ),
            )),
            many => Err(Reason::new(
                Problem::AmbiguousRegionName,
                format!(
                    "行政区划名称不唯一 ambiguous region name '{}': {} — write the full name or the code",
                    text.trim(),
                    many.iter()
                        .map(|c| format!("{} {c}", self.full_name(c)))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            )),
        }
    }

    pub fn name(&self, code: &str) -> Option<&str> {
        self.names.get(code).map(String::as_str)
    }

    pub fn contains(&self, code: &str) -> bool {
        self.names.contains_key(code)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Every code and name, sorted by code.
    pub fn sorted(&self) -> Vec<(&str, &str)> {
        let mut all: Vec<(&str, &str)> = self
            .names
            .iter()
            .map(|(c, n)| (c.as_str(), n.as_str()))
            .collect();
        all.sort();
        all
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// The city (地级) code of a district code: `370303` → `370300`.
pub fn city_of(code: &str) -> String {
    // By characters: a key read from a user's --indicators table may be any text.
    format!("{}00", code.chars().take(4).collect::<String>())
}

/// The leading digits every district code inside an area shares: `370000` → `37`,
/// `370300` → `3703`, a district's code itself.
pub fn area_prefix(code: &str) -> &str {
    if code.len() == 6 && code.is_ascii() && code.ends_with("0000") {
        &code[..2]
    } else if code.len() == 6 && code.is_ascii() && code.ends_with("00") {
        &code[..4]
    } else {
        code
    }
}

/// The province code of a district code: `370303` → `370000`.
pub fn province_of(code: &str) -> String {
    format!("{}0000", code.chars().take(2).collect::<String>())
}

fn parse_into(names: &mut HashMap<String, String>, text: &str, path: &Path) -> Result<()> {
    for (i, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') || line.starts_with("region_code") {
            continue;
        }
        let (code, name) = line.split_once(',').ok_or_else(|| {
            Error::input(
                path,
                format!(
                    "row {}: expected region_code,region_name, got '{line}'",
                    i + 1
                ),
            )
        })?;
        let code = code.trim();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::input(
                path,
                format!("row {}: region code '{code}' is not 6 digits", i + 1),
            ));
        }
        names.insert(code.to_owned(), name.trim().trim_matches('"').to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zibo_and_its_eight_districts() {
        let r = Regions::load(None).unwrap();
        assert!(r.len() > 3000, "the whole country, about 3,200 entries");
        let expect = [
            ("370000", "山东省"),
            ("370300", "淄博市"),
            ("370302", "淄川区"),
            ("370303", "张店区"),
            ("370304", "博山区"),
            ("370305", "临淄区"),
            ("370306", "周村区"),
            ("370321", "桓台县"),
            ("370322", "高青县"),
            ("370323", "沂源县"),
        ];
        for (code, name) in expect {
            assert_eq!(r.name(code), Some(name), "{code}");
        }
        assert_eq!(city_of("370303"), "370300");
        assert_eq!(province_of("370303"), "370000");
        assert_eq!(city_of("张店区"), "张店区00");
        assert_eq!(province_of("张"), "张0000");
    }

    #[test]
    fn names_resolve_to_codes_within_the_data_s_scope() {
        let r = Regions::load(None).unwrap();
        let none = RegionScope::default();
        for name in [
            "德城区",
            "德州市德城区",
            "山东省德州市德城区",
            "山东德州德城区",
            "山东省/德州市/德城区",
            " 德州市 德城区 ",
        ] {
            assert_eq!(r.resolve_name(name, &none), Ok("371402".into()), "{name}");
        }
        assert_eq!(r.resolve_name("淄博市", &none), Ok("370300".into()));
        assert_eq!(r.resolve_name("北京市朝阳区", &none), Ok("110105".into()));
        // 朝阳区 is in 北京 and in 长春: ambiguous alone, settled by the scope.
        let e = r.resolve_name("朝阳区", &none).unwrap_err();
        assert_eq!(e.problem, Problem::AmbiguousRegionName);
        assert!(e.message.contains("北京市朝阳区 110105"), "{}", e.message);
        assert!(
            e.message.contains("吉林省长春市朝阳区 220104"),
            "{}",
            e.message
        );
        let changchun = RegionScope::of(["220102"]);
        assert_eq!(r.resolve_name("朝阳区", &changchun), Ok("220104".into()));
        let e = r.resolve_name("德城", &none).unwrap_err();
        assert_eq!(e.problem, Problem::UnknownRegionName);
        assert_eq!(r.full_name("370303"), "山东省淄博市张店区");
        assert_eq!(r.full_name("110105"), "北京市朝阳区");
    }

    #[test]
    fn user_file_renames_and_adds() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("r.csv");
        std::fs::write(
            &f,
            "region_code,region_name\n370303,张店区（新）\n379901,测试新区\n",
        )
        .unwrap();
        let r = Regions::load(Some(&f)).unwrap();
        assert_eq!(r.name("370303"), Some("张店区（新）"));
        assert!(r.contains("379901"));
    }
}

//! Region names from the GB/T 2260 administrative division code table (SPEC §2.4),
//! bundled for the whole country and overridable by a user file
//! (`region_code,region_name`), since codes change when districts merge or are renamed.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, Result};

/// The bundled table (see its header for source and date).
pub const BUNDLED_TABLE: &str = include_str!("../data/regions/gbt2260.csv");

#[derive(Debug, Clone)]
pub struct Regions {
    names: HashMap<String, String>,
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
        Ok(Regions { names })
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
    format!("{}00", &code[..4.min(code.len())])
}

/// The province code of a district code: `370303` → `370000`.
pub fn province_of(code: &str) -> String {
    format!("{}0000", &code[..2.min(code.len())])
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

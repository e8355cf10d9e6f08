//! The repository carries its own specification: every `docs/SPEC.md §n` that code, help
//! text or documents cite names a section that is there, and nothing cites the upstream
//! "SPEC §n" a clone does not contain.

use super::*;

/// The repository's own text files: sources, queries, scripts, documents, settings.
fn text_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for top in [
        "src", "tests", "queries", "docs", "bench", "spark", "data", "schemes", ".ci",
    ] {
        let mut stack = vec![root().join(top)];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                let name = e.file_name().to_string_lossy().into_owned();
                if p.is_dir() {
                    if name != "node_modules" && name != "fixtures" {
                        stack.push(p);
                    }
                } else if ["rs", "sql", "md", "py", "toml", "sh", "mjs", "csv"]
                    .iter()
                    .any(|x| name.ends_with(&format!(".{x}")))
                    || top == ".ci"
                {
                    out.push(p);
                }
            }
        }
    }
    out.extend(["README.md", "Cargo.toml"].map(|f| root().join(f)));
    out
}

/// The section numbers of docs/SPEC.md: `## 4. Indicators` → "4", `### 3.1 …` → "3.1".
fn sections(spec: &str) -> Vec<String> {
    spec.lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("### ").or_else(|| l.strip_prefix("## "))?;
            let number = rest.split_whitespace().next()?.trim_end_matches('.');
            number
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
                .then(|| number.to_owned())
        })
        .collect()
}

#[test]
fn every_reference_to_the_specification_names_a_section_of_docs_spec() {
    let spec = std::fs::read_to_string(root().join("docs/SPEC.md")).unwrap();
    let known = sections(&spec);
    assert!(
        known.contains(&"4".to_owned()) && known.contains(&"3.1".to_owned()),
        "{known:?}"
    );
    let cite = "docs/SPEC.md §";
    let mut missing = Vec::new();
    let mut upstream = Vec::new();
    let mut cited = 0;
    for file in text_files() {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let shown = file
            .strip_prefix(root())
            .unwrap_or(&file)
            .display()
            .to_string();
        if shown == "tests/it/docs.rs" {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find(cite) {
                let number: String = rest[at + cite.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                let number = number.trim_end_matches('.').to_owned();
                cited += 1;
                if !known.contains(&number) {
                    missing.push(format!("{shown}:{}: §{number}", n + 1));
                }
                rest = &rest[at + cite.len()..];
            }
            // A bare "SPEC §4" points at the upstream file, which a clone does not have.
            if line.contains("SPEC §") {
                upstream.push(format!("{shown}:{}: {line}", n + 1));
            }
        }
    }
    assert!(
        cited > 50,
        "only {cited} references found: is the walk right?"
    );
    assert!(
        missing.is_empty(),
        "no such section in docs/SPEC.md:\n{missing:#?}"
    );
    assert!(
        upstream.is_empty(),
        "cite docs/SPEC.md instead:\n{upstream:#?}"
    );
}

//! Where the header is in the first rows of an export, and what it says: exports put a
//! title row (淄博市办件明细表), export-info rows (导出时间：…, 导出人：…) and merged
//! group headers (基本信息 / 办理信息 over the real headers) above the header, and some
//! split one header over two rows (办件编号 merged down two rows beside 时间 over
//! 受理时间 / 办结时间). Shared by every reader, CSV and spreadsheets alike.

/// Rows looked at for the header (title rows come first).
pub const HEAD_ROWS: usize = 12;

/// The header rows found in the first rows of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderBlock {
    /// The last header row (0-based); data start on the next row.
    pub last: usize,
    /// One header text per column.
    pub headers: Vec<String>,
}

/// Finds the header among `rows` (the first rows of a table, row by row; `None` is an
/// empty cell). `is_header` tells whether a header text names a known column.
///
/// The header row is the first with at least two known headers (else the first row). A
/// row right below it that names known columns where the header row does not (the
/// sub-headers under a group header) is a second header row. A column whose header rows
/// are empty takes the text of the row above (a header merged down from a group row),
/// when that row is not a title (it has two or more filled cells). Per column, the
/// lowest known header wins, else the lowest text.
pub fn header_block(rows: &[Vec<Option<String>>], is_header: &dyn Fn(&str) -> bool) -> HeaderBlock {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let cell = |r: usize, c: usize| -> &str {
        rows.get(r)
            .and_then(|row| row.get(c))
            .and_then(|v| v.as_deref())
            .map_or("", str::trim)
    };
    let known = |r: usize, c: usize| {
        let t = cell(r, c);
        !t.is_empty() && is_header(t)
    };
    let filled = |r: usize| (0..width).filter(|&c| !cell(r, c).is_empty()).count();
    let head = rows.len().min(HEAD_ROWS);
    let first = (0..head)
        .find(|&r| (0..width).filter(|&c| known(r, c)).count() >= 2)
        .unwrap_or(0);
    let mut last = first;
    if first + 1 < rows.len() && (0..width).any(|c| known(first + 1, c) && !known(first, c)) {
        last = first + 1;
    }
    let above = (first > 0 && filled(first - 1) >= 2).then(|| first - 1);
    let headers = (0..width)
        .map(|c| {
            let rows_up = (above.unwrap_or(first)..=last).rev();
            let texts: Vec<&str> = rows_up
                .map(|r| cell(r, c))
                .filter(|t| !t.is_empty())
                .collect();
            let in_block = (first..=last).any(|r| !cell(r, c).is_empty());
            let candidates: Vec<&str> = if in_block {
                (first..=last)
                    .rev()
                    .map(|r| cell(r, c))
                    .filter(|t| !t.is_empty())
                    .collect()
            } else {
                texts
            };
            candidates
                .iter()
                .find(|t| is_header(t))
                .or(candidates.first())
                .map_or(String::new(), |t| (*t).to_owned())
        })
        .collect();
    HeaderBlock { last, headers }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[&[&str]]) -> Vec<Vec<Option<String>>> {
        text.iter()
            .map(|r| {
                r.iter()
                    .map(|c| (!c.is_empty()).then(|| (*c).to_owned()))
                    .collect()
            })
            .collect()
    }

    fn known(h: &str) -> bool {
        ["办件编号", "事项编码", "受理时间", "办结时间", "办件状态"].contains(&h)
    }

    #[test]
    fn title_and_export_info_rows_are_passed_over() {
        let r = rows(&[
            &["淄博市办件明细表", "", ""],
            &["导出时间：2025-12-31", "导出人：张三", ""],
            &["办件编号", "事项编码", "受理时间"],
            &["A1", "M1", "2025-01-02"],
        ]);
        let b = header_block(&r, &known);
        assert_eq!(b.last, 2);
        assert_eq!(b.headers, ["办件编号", "事项编码", "受理时间"]);
    }

    #[test]
    fn a_group_header_over_sub_headers_makes_a_two_row_header() {
        let r = rows(&[
            &["办件编号", "事项编码", "时间", "", "办件状态"],
            &["", "", "受理时间", "办结时间", ""],
            &["A1", "M1", "2025-01-02", "", "在办"],
        ]);
        let b = header_block(&r, &known);
        assert_eq!(b.last, 1);
        assert_eq!(
            b.headers,
            ["办件编号", "事项编码", "受理时间", "办结时间", "办件状态"]
        );
    }

    #[test]
    fn a_header_merged_down_from_the_group_row_is_taken_from_above() {
        let r = rows(&[
            &["办件编号", "办理信息", "", ""],
            &["", "事项编码", "受理时间", "办件状态"],
            &["A1", "M1", "2025-01-02", "在办"],
        ]);
        let b = header_block(&r, &known);
        assert_eq!(b.last, 1);
        assert_eq!(b.headers, ["办件编号", "事项编码", "受理时间", "办件状态"]);
    }

    #[test]
    fn plain_header_and_no_header() {
        let r = rows(&[&["办件编号", "受理时间"], &["A1", "2025-01-02"]]);
        assert_eq!(header_block(&r, &known).last, 0);
        let r = rows(&[&["x", "y"], &["1", "2"]]);
        let b = header_block(&r, &known);
        assert_eq!(
            (b.last, b.headers),
            (0, vec!["x".to_owned(), "y".to_owned()])
        );
    }
}

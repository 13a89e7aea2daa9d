//! The report as CSV: one line per figure (`section,id,name,metric,value`), so a
//! spreadsheet can filter and pivot it; the same figures as the JSON.

use serde_json::Value;

/// Flattens a report's JSON into CSV lines.
pub fn to_csv(report: &Value) -> String {
    let mut out = String::from("section,id,name,metric,value\n");
    let Some(top) = report.as_object() else {
        return out;
    };
    for (key, value) in top {
        match value {
            Value::Array(rows) => {
                for row in rows {
                    let id = text(
                        row.get("id")
                            .or_else(|| row.get("reason"))
                            .or_else(|| row.get("type")),
                    );
                    let name = text(row.get("name"));
                    let mut lines = Vec::new();
                    flatten("", row, &mut lines);
                    for (metric, v) in lines {
                        if matches!(metric.as_str(), "id" | "name" | "reason" | "type") {
                            continue;
                        }
                        line(&mut out, key, &id, &name, &metric, &v);
                    }
                }
            }
            Value::Object(_) => {
                let mut lines = Vec::new();
                flatten(key, value, &mut lines);
                for (metric, v) in lines {
                    line(&mut out, "total", "", "", &metric, &v);
                }
            }
            other => line(&mut out, "report", "", "", key, &text(Some(other))),
        }
    }
    out
}

fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        other => out.push((prefix.to_owned(), text(Some(other)))),
    }
}

fn text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn line(out: &mut String, section: &str, id: &str, name: &str, metric: &str, value: &str) {
    let fields = [section, id, name, metric, value].map(|f| quote(&neutralise(f)));
    out.push_str(&fields.join(","));
    out.push('\n');
}

/// The characters that make a spreadsheet read a cell as a formula (OWASP, "CSV
/// Injection"): an agent's pause reason `=HYPERLINK(…)` must reach the supervisor as text.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell that a spreadsheet would run as a formula, made text by a leading `'`; a plain
/// number (`-12.5`) is data and stays as it is.
fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(FORMULA_STARTS)
        && !(cell.parse::<f64>().is_ok()
            && cell
                .chars()
                .all(|c| c.is_ascii_digit() || ".-+eE".contains(c)));
    if risky {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Quotes a field when it holds a comma, a quote or a line break (RFC 4180).
fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_formula_start_is_made_text_and_numbers_stay_numbers() {
        for start in FORMULA_STARTS {
            let cell = format!("{start}HYPERLINK(\"http://x\",\"y\")");
            let safe = neutralise(&cell);
            assert_eq!(safe, format!("'{cell}"), "{start:?}");
        }
        assert_eq!(neutralise("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(neutralise("-2+3"), "'-2+3");
        assert_eq!(neutralise("-inf"), "'-inf");
        for data in ["-12.5", "+3", "780.0", "almuerzo", "", "a=b"] {
            assert_eq!(neutralise(data), data);
        }
    }

    #[test]
    fn a_pause_reason_reaches_the_spreadsheet_as_text() {
        let report =
            json!({"pauses": [{"reason": "=HYPERLINK(\"http://evil\",\"ver\")", "count": 1}]});
        let csv = to_csv(&report);
        assert!(
            csv.contains("\npauses,\"'=HYPERLINK(\"\"http://evil\"\",\"\"ver\"\")\",,count,1\n"),
            "{csv}"
        );
        let report = json!({"pauses": [{"reason": "@SUM(A1)", "count": -1}]});
        assert!(to_csv(&report).contains("\npauses,'@SUM(A1),,count,-1\n"));
    }
}

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
    let fields = [section, id, name, metric, value].map(quote);
    out.push_str(&fields.join(","));
    out.push('\n');
}

/// Quotes a field when it holds a comma, a quote or a line break (RFC 4180).
fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

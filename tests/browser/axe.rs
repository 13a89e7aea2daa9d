//! axe-core (from npm; `.ci/run` installs it under `target/axe`) run inside the pages:
//! the accessibility gate of every screen and state.

use crate::harness::Browser;
use std::path::{Path, PathBuf};

/// Where `.ci/run` installs axe-core.
fn axe_source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/axe/node_modules/axe-core/axe.min.js")
}

/// Whether axe-core is installed; without it the test says so and skips, except in CI.
pub fn axe_available(test: &str) -> bool {
    if axe_source().exists() {
        return true;
    }
    let hint = "npm install --prefix target/axe axe-core@4";
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: axe-core missing; run {hint}"
    );
    eprintln!("{test}: skipped, axe-core missing ({hint})");
    false
}

/// The critical and serious violations axe finds on the page as it stands, each as
/// "rule: target (summary)".
pub async fn violations(b: &Browser, state: &str) -> Vec<String> {
    let source = std::fs::read_to_string(axe_source()).unwrap();
    // Injected through WebDriver, which the page's Content-Security-Policy does not
    // govern; the pages themselves stay free of inline scripts.
    b.client
        .execute(
            &format!("if (!window.axe) {{ {source} }} return true;"),
            vec![],
        )
        .await
        .unwrap();
    let result = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then((r) => done(r.violations), (e) => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));",
            vec![],
        )
        .await
        .unwrap();
    let mut found = Vec::new();
    for v in result.as_array().cloned().unwrap_or_default() {
        let impact = v["impact"].as_str().unwrap_or("");
        if !matches!(impact, "critical" | "serious") {
            continue;
        }
        let targets: Vec<String> = v["nodes"]
            .as_array()
            .map(|n| n.iter().map(|node| node["target"].to_string()).collect())
            .unwrap_or_default();
        found.push(format!(
            "{state}: {} ({impact}) {}: {}",
            v["id"].as_str().unwrap_or("?"),
            v["help"].as_str().unwrap_or(""),
            targets.join(", ")
        ));
    }
    found
}

//! Charts as a reader's browser draws them: headless Chromium loads the
//! report, and `tests/fixtures/chart-overlap.js` measures every chart text
//! with the browser's own boxes. Skips where Chromium is not installed.

use super::{chromium, coquille};
use std::path::Path;

const PROBE: &str = include_str!("../fixtures/chart-overlap.js");

/// Headless Chromium with no network chatter and a profile in `dir`.
fn headless(chromium: &str, dir: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(chromium);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", dir.join("profile").display()));
    c
}

/// The demo's report set, written under `dir`.
fn demo_set(dir: &Path) -> std::path::PathBuf {
    let out = dir.join("demo");
    coquille()
        .args(["demo", "--out"])
        .arg(&out)
        .assert()
        .success();
    out
}

/// Run Chromium; its output on failure.
fn run(c: &mut std::process::Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A4 pages in a PDF Chromium printed.
fn pdf_pages(pdf: &[u8]) -> usize {
    pdf.windows(12)
        .filter(|w| w.starts_with(b"/Type /Page") && w[11] != b's')
        .count()
}

/// What the probe found on one page.
#[derive(Debug, serde::Deserialize)]
struct Probe {
    charts: usize,
    texts: usize,
    problems: Vec<serde_json::Value>,
}

/// Write `html` with `script` run at the end of its body (a fragment such as an SVG gets a
/// page around it) to `dir/stem.html`; returns the file.
fn page_with_script(dir: &Path, stem: &str, html: &str, script: &str) -> std::path::PathBuf {
    let page = match html.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &html[..at], &html[at..]),
        None => format!("<!DOCTYPE html><html><body>{html}{script}</body></html>"),
    };
    let file = dir.join(format!("{stem}.html"));
    std::fs::write(&file, page).unwrap();
    file
}

/// Load `html` (a page) in Chromium with the probe and read its findings.
fn probe(chromium: &str, dir: &Path, name: &str, html: &str) -> Probe {
    let file = page_with_script(
        dir,
        &format!("{name}.probe"),
        html,
        &format!("<script>{PROBE}</script>"),
    );
    let dom = run(headless(chromium, dir)
        .args([
            "--window-size=1280,2000",
            "--virtual-time-budget=15000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", file.display())));
    let marker = "<pre id=\"chart-overlap\">{";
    let at = dom
        .rfind(marker)
        .unwrap_or_else(|| panic!("{name}: the probe wrote nothing"));
    let json = &dom[at + marker.len() - 1..];
    let json = &json[..json.find("</pre>").unwrap()];
    let json = json
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}: {json}"))
}

#[test]
fn the_probe_sees_text_that_overlaps_leaves_its_chart_or_runs_past_its_bar() {
    let Some(chromium) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let svg = r##"<svg width="300" height="100" viewBox="0 0 300 100" xmlns="http://www.w3.org/2000/svg" aria-label="bad">
<rect x="0" y="0" width="300" height="100" fill="#fff"/>
<text x="10" y="30" font-size="14" font-family="sans-serif">first caption here</text>
<text x="60" y="30" font-size="14" font-family="sans-serif">second one</text>
<rect x="10" y="50" width="40" height="20" fill="#d55e00"/>
<text x="12" y="65" font-size="14" font-family="sans-serif">too long for the bar</text>
<text x="250" y="95" font-size="14" font-family="sans-serif">off the edge</text>
</svg>"##;
    let found = probe(chromium, dir.path(), "bad", svg);
    let kinds: std::collections::BTreeSet<&str> = found
        .problems
        .iter()
        .filter_map(|p| p["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        ["leaves the chart", "overlaps text", "runs past a shape"]
            .into_iter()
            .collect(),
        "{:?}",
        found.problems
    );
}

#[test]
fn demo_charts_fit_in_chromium_in_english_and_in_french() {
    let Some(chromium) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = demo_set(dir.path());
    let mut pages: Vec<(String, String)> = Vec::new();
    for page in ["report.html", "report.fr.html", "kasbah-cloud/report.html"] {
        pages.push((
            page.replace('/', "-"),
            std::fs::read_to_string(out.join(page)).unwrap(),
        ));
    }
    // The standalone SVG files carry their own font: one page holds them all.
    let mut files: Vec<_> = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    files.sort();
    assert!(files.len() >= 4);
    let all: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    pages.push(("charts".into(), all));
    for (name, html) in &pages {
        let found = probe(chromium, dir.path(), name, html);
        assert!(
            found.charts >= 3 && found.texts >= 60,
            "{name}: only {} charts and {} texts measured",
            found.charts,
            found.texts
        );
        assert!(
            found.problems.is_empty(),
            "{name}: {} chart texts collide in Chromium: {:#?}",
            found.problems.len(),
            &found.problems[..found.problems.len().min(10)]
        );
    }
}

/// Print `html` to A4 in Chromium with everything after its `#summary`
/// element removed; returns the number of pages.
fn summary_pages(chromium: &str, dir: &Path, name: &str, html: &str) -> usize {
    const TRIM: &str = "<script>(() => { let n = document.getElementById('summary'); if (!n) { document.body.textContent = 'no summary'; return; } while (n && n !== document.body) { while (n.nextSibling) n.nextSibling.remove(); n = n.parentNode; } })();</script>";
    assert!(html.contains("id=\"summary\""), "{name}: no #summary");
    let file = page_with_script(dir, &format!("{name}.summary"), html, TRIM);
    let pdf = dir.join(format!("{name}.summary.pdf"));
    run(headless(chromium, dir)
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", file.display())));
    pdf_pages(&std::fs::read(&pdf).unwrap())
}

#[test]
fn the_executive_summary_prints_on_one_a4_page() {
    let Some(chromium) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = demo_set(dir.path());
    for page in [
        "report.html",
        "report.fr.html",
        "kasbah-cloud/report.html",
        "nimbus-direct/report.html",
    ] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        let name = page.replace('/', "-");
        let pages = summary_pages(chromium, dir.path(), &name, &html);
        assert_eq!(
            pages, 1,
            "{page}: the executive summary takes {pages} A4 pages"
        );
    }
}

/// Look at the report as its reader would: the HTML at desktop width, and
/// printed to A4.
#[test]
fn chromium_renders_the_html_report_on_screen_and_on_a4() {
    let Some(chromium) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = demo_set(dir.path());
    for page in ["report.html", "report.fr.html"] {
        let url = format!("file://{}", out.join(page).display());
        let png = dir.path().join(format!("{page}.png"));
        let pdf = dir.path().join(format!("{page}.pdf"));
        run(headless(chromium, dir.path())
            .arg("--window-size=1280,2000")
            .arg(format!("--screenshot={}", png.display()))
            .arg(&url));
        let bytes = std::fs::read(&png).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 20_000,
            "{page}: no real screenshot"
        );
        run(headless(chromium, dir.path())
            .arg("--no-pdf-header-footer")
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(&url));
        let pdf = std::fs::read(&pdf).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        // The summary, the comparison, then at least a page per bid (print CSS breaks before each).
        let pages = pdf_pages(&pdf);
        assert!(pages >= 5, "{page}: only {pages} A4 pages");
    }
}

//! What a CI pipeline feeds coquille: folders of uploads, standard input, and the files it
//! should not be given (a tender).

use super::coquille;
use serde_json::Value;
use std::path::Path;

fn root(p: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

#[test]
fn a_folder_gives_one_result_per_sbom_and_skips_the_rest_with_a_count() {
    let out = coquille()
        .args(["analyze", "--home", "MA", "--format", "json"])
        .arg(root("tests/fixtures/real"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["bid"]["id"].as_str().unwrap())
        .collect();
    // Every JSON and XML SBOM of the fixtures, one result each, in path order.
    assert!(ids.len() >= 9, "{ids:?}");
    assert!(
        ids.iter().all(|id| id.contains("tests/fixtures/real/")),
        "{ids:?}"
    );
    // Folders are walked in name order: `npm/` before `npm-saas/`.
    let at = |p: &str| ids.iter().position(|id| id.ends_with(p)).unwrap();
    assert!(
        at("real/npm/bom.json") < at("real/npm-saas/bom.json"),
        "{ids:?}"
    );
    assert!(
        at("real/cargo/bom.xml") < at("real/npm/bom.json"),
        "{ids:?}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("neither an SBOM nor a bid manifest: skipped"),
        "{stderr}"
    );
}

#[test]
fn a_folder_of_bids_keeps_each_manifests_sboms_inside_its_bid() {
    let out = coquille()
        .args(["analyze", "--home", "MA", "--format", "json"])
        .arg(root("demo"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["bid"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["kasbah-cloud", "maghreb-open-cloud", "nimbus-direct"]);
}

#[test]
fn standard_input_is_an_input() {
    let sbom = std::fs::read(root("tests/fixtures/real/npm/bom.json")).unwrap();
    let out = coquille()
        .args(["analyze", "--home", "MA", "--format", "json", "-"])
        .write_stdin(sbom)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["inputs"][0]["path"], "(stdin)");
    assert_eq!(r["bid"]["title"], "coquille-fixture-npm 1.0.0");
}

#[test]
fn a_tender_given_to_check_names_the_tender_command() {
    let out = coquille()
        .args(["check", "--policy", "ma-sensitive"])
        .arg(root("demo/tender.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("coquille tender"), "{e}");
}

/// Copy a demo bid folder (manifest and SBOMs) to `to`.
fn copy_bid(name: &str, to: &Path) {
    let from = root("demo").join(name);
    std::fs::create_dir_all(to.join("sboms")).unwrap();
    for e in std::fs::read_dir(from.join("sboms")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join("sboms").join(e.file_name())).unwrap();
    }
    std::fs::copy(from.join("bid.toml"), to.join("bid.toml")).unwrap();
}

#[test]
fn diff_sees_a_layer_change_engines_a_worse_verdict_and_removed_components() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    copy_bid("maghreb-open-cloud", &old);
    copy_bid("maghreb-open-cloud", &new);
    let bid = new.join("bid.toml");
    let text = std::fs::read_to_string(&bid).unwrap();
    let changed = text
        .replace(
            "vendor = \"Nokia\"\nproduct = \"Nokia 7220 IXR data-centre switches\"\noperator = \"bidder\"\nsites = [{ country = \"MA\", city = \"Rabat\" }]\nlicence = \"proprietary\"\nrequires_vendor_online = false",
            "vendor = \"huawei\"\nproduct = \"Huawei data-centre switches\"\noperator = \"bidder\"\nsites = [{ country = \"MA\", city = \"Rabat\" }]\nlicence = \"proprietary\"\nrequires_vendor_online = true",
        );
    assert_ne!(changed, text, "the demo bid changed: update this test");
    std::fs::write(&bid, changed).unwrap();
    // One component fewer in the new version's OpenStack SBOM.
    let sbom = new.join("sboms/openstack.cdx.json");
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&sbom).unwrap()).unwrap();
    let gone = doc["components"].as_array_mut().unwrap().pop().unwrap();
    std::fs::write(&sbom, serde_json::to_vec(&doc).unwrap()).unwrap();

    let out = coquille()
        .args(["diff", "--format", "json"])
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    let net = d["layer_changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["layer"] == "network")
        .unwrap_or_else(|| panic!("{:#}", d["layer_changes"]));
    assert!(
        net["old_engines"].as_str().unwrap().contains("(FI)"),
        "{net:#}"
    );
    assert!(
        net["new_engines"].as_str().unwrap().contains("(CN)"),
        "{net:#}"
    );
    assert_eq!(
        (net["old_control"].as_str(), net["new_control"].as_str()),
        (Some("foreign-supply"), Some("foreign"))
    );
    let key = gone["purl"]
        .as_str()
        .unwrap()
        .split('@')
        .next()
        .unwrap()
        .to_string();
    let removed = d["controller_changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["component"] == key.as_str())
        .unwrap_or_else(|| panic!("{key}: {:#}", d["controller_changes"]));
    assert_eq!(
        (removed["change"].as_str(), removed["new"].is_null()),
        (Some("removed"), true)
    );
    assert_eq!(
        d["verdict"],
        serde_json::json!(["sovereign", "local-shell"])
    );
    assert_eq!(d["verdict_worse"], true);
    // A worse verdict fails the gate, with either flag; the same version twice passes.
    for flag in ["--fail-on-new-foreign", "--fail-on-verdict-worse"] {
        let code = |a: &Path, b: &Path| {
            coquille()
                .args(["diff", flag])
                .arg(a)
                .arg(b)
                .output()
                .unwrap()
                .status
                .code()
        };
        assert_eq!(code(&old, &new), Some(1), "{flag}");
        assert_eq!(code(&old, &old), Some(0), "{flag}");
    }
    // Markdown when asked.
    let md = coquille()
        .args(["diff", "--format", "md"])
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.starts_with("### "), "{md}");
    assert!(md.contains("\n- layer network: "), "{md}");
}

/// `check --format json` of `inputs` with extra arguments: (exit code, document).
fn check_json(inputs: &[&Path], extra: &[&str]) -> (i32, Value) {
    let out = coquille()
        .current_dir(inputs[0].parent().unwrap())
        .args(["check", "--policy", "ma-sensitive", "--format", "json"])
        .args(extra)
        .args(inputs)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), v)
}

#[test]
fn a_baseline_passes_what_was_known_and_fails_what_is_new() {
    let dir = tempfile::tempdir().unwrap();
    let bom = dir.path().join("bom.json");
    std::fs::copy(root("tests/fixtures/real/npm/bom.json"), &bom).unwrap();
    let (code, base) = check_json(&[&bom], &[]);
    assert_eq!(code, 1, "the fixture calls foreign clouds");
    let base_file = dir.path().join("base.json");
    std::fs::write(&base_file, serde_json::to_vec(&base).unwrap()).unwrap();
    let baseline = base_file.to_str().unwrap();
    // Unchanged: every deny finding is known, the check passes.
    let (code, v) = check_json(&[&bom], &["--baseline", baseline]);
    assert_eq!(code, 0, "{v:#}");
    assert!(
        v["bids"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["known"] == true)
    );
    // A new foreign dependency: the new findings fail, the known ones do not.
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&bom).unwrap()).unwrap();
    doc["components"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "type": "library", "bom-ref": "hw", "name": "@huaweicloud/huaweicloud-sdk-obs",
            "version": "3.24.9", "purl": "pkg:npm/%40huaweicloud/huaweicloud-sdk-obs@3.24.9",
            "licenses": [{"license": {"id": "Apache-2.0"}}]
        }));
    std::fs::write(&bom, serde_json::to_vec(&doc).unwrap()).unwrap();
    let (code, v) = check_json(&[&bom], &["--baseline", baseline]);
    let new: Vec<&Value> = v["bids"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["known"] != true && f["severity"] == "deny")
        .collect();
    assert_eq!(code, 1, "{new:#?}");
    assert!(
        new.iter()
            .any(|f| f["message"].as_str().unwrap().contains("Huawei")),
        "{new:#?}"
    );
}

#[test]
fn exceptions_beside_the_inputs_allow_with_their_reason_and_expire() {
    let dir = tempfile::tempdir().unwrap();
    let bom = dir.path().join("bom.json");
    std::fs::copy(root("tests/fixtures/real/npm-web/bom.json"), &bom).unwrap();
    let (code, v) = check_json(&[&bom], &["-D", "foreign-supply"]);
    assert_eq!(code, 1, "{v:#}");
    std::fs::write(
        dir.path().join("coquille.toml"),
        "schema = \"coquille.project/1\"\n[[exceptions]]\ncode = \"foreign-supply\"\nsubject = \"application\"\nreason = \"Next.js accepted by the architecture board\"\nexpires = \"2099-12-31\"\n",
    )
    .unwrap();
    let (code, v) = check_json(&[&bom], &["-D", "foreign-supply"]);
    assert_eq!(code, 0, "{v:#}");
    let f = v["bids"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "foreign-supply")
        .unwrap();
    assert!(
        f["exception"]
            .as_str()
            .unwrap()
            .contains("architecture board"),
        "{f:#}"
    );
    // Expired: the finding fails again, and the exception is a finding of its own.
    std::fs::write(
        dir.path().join("coquille.toml"),
        "schema = \"coquille.project/1\"\n[[exceptions]]\ncode = \"foreign-supply\"\nreason = \"Next.js accepted\"\nexpires = \"2020-01-01\"\n",
    )
    .unwrap();
    let (code, v) = check_json(&[&bom], &["-D", "foreign-supply"]);
    assert_eq!(code, 1);
    assert!(
        v["bids"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "exception-expired")
    );
}

/// The `coquille …` commands of a workflow file (a `run:` step or a `script:` item).
fn workflow_commands(file: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(root(file)).unwrap();
    text.lines()
        .map(|l| {
            l.trim()
                .trim_start_matches("- ")
                .trim_start_matches("run: ")
        })
        .filter(|l| l.starts_with("coquille "))
        .map(|l| l.split_whitespace().skip(1).map(str::to_string).collect())
        .collect()
}

/// Run a workflow's coquille steps in a folder holding `sboms/` copied from `fixture`:
/// (exit code of the last step, the folder).
fn run_workflow(file: &str, fixture: &str) -> (Option<i32>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sboms")).unwrap();
    std::fs::copy(root(fixture), dir.path().join("sboms/bom.json")).unwrap();
    std::fs::write(dir.path().join("sboms/README.txt"), "not an SBOM").unwrap();
    let steps = workflow_commands(file);
    assert!(!steps.is_empty(), "{file} has no coquille step");
    let mut code = None;
    for args in steps {
        let out = coquille()
            .current_dir(dir.path())
            .args(&args)
            .output()
            .unwrap();
        code = out.status.code();
        assert_ne!(
            code,
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    (code, dir)
}

#[test]
fn the_shipped_workflows_run_and_write_what_the_ci_reads() {
    // GitHub Actions: SARIF for code scanning, Markdown for the job summary, JUnit.
    let (code, dir) = run_workflow("ci/github/coquille.yml", "tests/fixtures/real/npm/bom.json");
    assert_eq!(code, Some(1), "foreign clouds fail ma-sensitive");
    let sarif: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("coquille.sarif")).unwrap()).unwrap();
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    let md = std::fs::read_to_string(dir.path().join("coquille.md")).unwrap();
    assert!(
        md.contains("❌ fail") && md.contains("**Decided by**"),
        "{md}"
    );
    assert!(dir.path().join("coquille.junit.xml").is_file());
    let (code, dir) = run_workflow(
        "ci/github/coquille.yml",
        "tests/fixtures/real/npm-web/bom.json",
    );
    assert_eq!(code, Some(0));
    let md = std::fs::read_to_string(dir.path().join("coquille.md")).unwrap();
    assert!(md.contains("1 of 1 results pass"), "{md}");
    // GitLab CI: JUnit report, JSON and Markdown artifacts.
    let (code, dir) = run_workflow(
        "ci/gitlab/coquille.gitlab-ci.yml",
        "tests/fixtures/real/npm/bom.json",
    );
    assert_eq!(code, Some(1));
    let junit = std::fs::read_to_string(dir.path().join("coquille.junit.xml")).unwrap();
    assert!(junit.contains("<failure"), "{junit}");
    let json: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("coquille.json")).unwrap()).unwrap();
    assert_eq!(json["passed"], false);
}

#[test]
fn output_flags_are_checked_before_any_work() {
    let out = coquille()
        .args(["check", "--policy", "ma-sensitive", "--output", "pdf=x.pdf"])
        .arg(root("tests/fixtures/real/npm-web/bom.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not text, json, md, sarif, junit"));
}

/// `python3` with the `duckdb` module, or why not.
fn duckdb_python() -> Result<(), String> {
    let out = std::process::Command::new("python3")
        .args(["-c", "import duckdb"])
        .output()
        .map_err(|e| format!("python3 unavailable ({e})"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err("the duckdb Python module is not installed".into())
    }
}

#[test]
fn a_portfolio_is_one_line_per_result_and_the_documented_duckdb_queries_answer() {
    let dir = tempfile::tempdir().unwrap();
    let out = coquille()
        .current_dir(dir.path())
        .args([
            "analyze",
            "--home",
            "MA",
            "--quiet",
            "--output",
            "jsonl=results-0.jsonl",
            "--output",
            "components-jsonl=components-0.jsonl",
            "--out",
            "set",
        ])
        .arg(root("tests/fixtures/real"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "--quiet");
    let results = std::fs::read_to_string(dir.path().join("results-0.jsonl")).unwrap();
    let lines: Vec<Value> = results
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.len() >= 9);
    assert!(lines.iter().all(|l| l["schema"] == "coquille.result/1"));
    let portfolio = std::fs::read_to_string(dir.path().join("set/portfolio.csv")).unwrap();
    assert_eq!(portfolio.lines().count(), lines.len() + 1, "{portfolio}");
    assert!(portfolio.starts_with("path,title,verdict,engines"));
    if let Err(why) = duckdb_python() {
        eprintln!("skipping the DuckDB queries: {why}");
        return;
    }
    let script = r#"
import duckdb, json, sys
sql = open(sys.argv[1]).read()
out = {}
for part in sql.split("-- name: ")[1:]:
    name, body = part.split("\n", 1)
    out[name.strip()] = [list(r) for r in duckdb.sql(body).fetchall()]
print(json.dumps(out, default=str))
"#;
    let out = std::process::Command::new("python3")
        .current_dir(dir.path())
        .args(["-c", script])
        .arg(root("ci/portfolio/queries.sql"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids = |q: &str| -> Vec<String> {
        v[q].as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r[0].as_str()
                    .unwrap()
                    .rsplit("fixtures/real/")
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    // The npm and PyPI fixtures call Alibaba Cloud and Tencent Cloud; the others call no CN service.
    let cn = [
        "npm/bom.json",
        "npm/bom.xml",
        "pypi/bom.json",
        "pypi/bom.xml",
    ];
    assert_eq!(ids("chinese_engine"), cn);
    assert_eq!(ids("chinese_engine_components"), cn);
    let shares = v["unknown_share"].as_array().unwrap();
    assert_eq!(shares.len(), lines.len());
    for r in shares {
        let line = lines
            .iter()
            .find(|l| l["id"] == r[0])
            .unwrap_or_else(|| panic!("{r}"));
        let share = r[2].as_f64().unwrap();
        assert!(
            (share - line["unknown_share"].as_f64().unwrap()).abs() < 0.001,
            "{r} {line}"
        );
    }
}

#[test]
fn sarif_results_point_at_the_line_and_column_of_their_evidence() {
    let bid = root("demo/kasbah-cloud/bid.toml");
    let bom = root("tests/fixtures/real/npm/bom.json");
    let out = coquille()
        .args(["check", "--policy", "ma-sensitive", "--format", "sarif"])
        .arg(&bid)
        .arg(&bom)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let at = |rule: &str, needle: &str| -> (u64, u64, String) {
        let r = results
            .iter()
            .find(|r| {
                r["ruleId"] == rule && r["message"]["text"].as_str().unwrap().contains(needle)
            })
            .unwrap_or_else(|| panic!("{rule} {needle}"));
        let l = &r["locations"][0]["physicalLocation"];
        (
            l["region"]["startLine"].as_u64().unwrap(),
            l["region"]["startColumn"].as_u64().unwrap(),
            l["artifactLocation"]["uri"].as_str().unwrap().to_string(),
        )
    };
    // A manifest claim: the line and column of its value.
    let text = std::fs::read_to_string(&bid).unwrap();
    let want = text
        .lines()
        .position(|l| l.starts_with("data_residency"))
        .unwrap() as u64
        + 1;
    let (line, col, uri) = at("claim-contradicted", "data stays in MA");
    assert!(uri.ends_with("kasbah-cloud/bid.toml"));
    assert_eq!((line, col), (want, 18));
    // An SBOM component: the line of the purl its JSON pointer names.
    let text = std::fs::read_to_string(&bom).unwrap();
    let want = text
        .lines()
        .position(|l| l.contains("\"purl\": \"pkg:npm/ali-oss@"))
        .unwrap() as u64
        + 1;
    let (line, _, uri) = at("compelled-access", "Alibaba");
    assert!(uri.ends_with("npm/bom.json"));
    assert_eq!(line, want);
}

#[test]
fn the_tender_report_answers_first_with_a_criteria_grid() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let run = coquille()
        .args(["demo", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success());
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let answer = html
        .find("<h3>The answer</h3>")
        .expect("the answer section");
    let grid = html
        .find("<h3>Criteria of the policy</h3>")
        .expect("the grid");
    let details = html.find("<details>").expect("the reasons, after");
    let first_bid = html.find("id=\"bid-").unwrap_or(usize::MAX);
    assert!(answer < grid && grid < details && details < first_bid);
    let t: Value =
        serde_json::from_slice(&std::fs::read(out.join("tender.json")).unwrap()).unwrap();
    let kasbah = t["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["bid"] == "kasbah-cloud")
        .unwrap();
    let cell = |id: &str| {
        kasbah["grid"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c[0] == id)
            .unwrap()[1]
            .clone()
    };
    // Kasbah leaves out its storage and control plane, and its critical layers are foreign.
    assert_eq!(cell("shown"), Value::Bool(false));
    assert_eq!(cell("layers"), Value::Bool(false));
    assert_eq!(cell("control"), Value::Bool(true));
    assert_eq!(
        cell("holder"),
        Value::Null,
        "ma-sensitive sets no single-holder limit"
    );
    assert!(kasbah["decided_by"][0].as_str().unwrap().contains("Cisco"));
}

#[test]
fn the_french_report_is_written_as_french() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let run = coquille()
        .args(["demo", "--lang", "fr", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success());
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    // Evidence lines are English citations: a French page marks each as English text.
    let mut marked = 0;
    for list in html.split("<ul class=\"evidence\">").skip(1) {
        let list = list.split_once("</ul>").map_or(list, |(l, _)| l);
        for item in list.split("<li").skip(1) {
            if item.starts_with(" lang=\"en\">") {
                marked += 1;
            } else {
                // A law (labelled in French), the count of lines left to report.json, or a
                // finding's French message (the tender page lists them in the same style).
                assert!(
                    item.starts_with(">Loi")
                        || item.starts_with(">…")
                        || item.starts_with("><code>"),
                    "evidence line not marked as English: {item:?}"
                );
            }
        }
    }
    assert!(marked > 20, "{marked} evidence lines marked as English");
    // What a reader sees: the style sheet and class names (`v-local-shell`) are not text.
    let body = html.split_once("</head>").map_or(html.as_str(), |(_, b)| b);
    let html = body
        .split(" class=\"")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                part.split_once('"').map_or(part, |(_, rest)| rest)
            }
        })
        .collect::<String>();
    // Sources' sentences are quoted verbatim in their own language (`<q>`): not the report's text.
    let html = html
        .split("<q>")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                part.split_once("</q>").map_or(part, |(_, rest)| rest)
            }
        })
        .collect::<String>();
    // Templated English leaking into French.
    for bad in [
        "en/au",
        "par le droit de US",
        "depuis MA",
        "depuis IE",
        "de Amazon",
        "1 composants",
        "1 de ses couches",
        "controlled by",
        " or unknown",
        "Morocco — sensitive",
        "la politique accepte sovereign",
        "Inc..",
        "local-shell",
        "restent au MA",
    ] {
        assert!(!html.contains(bad), "{bad:?} in the French report");
    }
    // Decimal commas before a percent sign, never points.
    let bytes = html.as_bytes();
    for (i, w) in bytes.windows(4).enumerate() {
        if w[0].is_ascii_digit()
            && w[1] == b'.'
            && w[2].is_ascii_digit()
            && (w[3] == b' ' || w[3] == b'%')
        {
            let around = &html[i.saturating_sub(40)..(i + 20).min(html.len())];
            assert!(!around.contains('%'), "decimal point in {around:?}");
        }
    }
    // And the French forms are there.
    for good in ["par le droit des États-Unis", "d'Amazon", "depuis le Maroc"] {
        assert!(
            html.contains(good) || html.contains(&good.replace('\'', "&#39;")),
            "{good:?} missing"
        );
    }
}

#[test]
fn the_workbook_opens_in_libreoffice_with_every_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let run = coquille()
        .args(["tender", "--csv-bom", "--out"])
        .arg(&out)
        .arg(root("demo/tender.toml"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let csv = std::fs::read(out.join("components.csv")).unwrap();
    assert!(csv.starts_with(b"\xef\xbb\xbf"), "--csv-bom");
    let xlsx = out.join("report.xlsx");
    let bytes = std::fs::read(&xlsx).unwrap();
    assert!(bytes.starts_with(b"PK"), "a zip container");
    // The same inputs give the same bytes.
    let again = dir.path().join("again");
    coquille()
        .args(["tender", "--out"])
        .arg(&again)
        .arg(root("demo/tender.toml"))
        .output()
        .unwrap();
    assert_eq!(std::fs::read(again.join("report.xlsx")).unwrap(), bytes);
    let soffice = std::process::Command::new("soffice")
        .arg("--version")
        .output();
    if !soffice.is_ok_and(|o| o.status.success()) {
        eprintln!("skipping the LibreOffice check: soffice is not installed");
        return;
    }
    let conv = std::process::Command::new("soffice")
        .current_dir(&out)
        .args([
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "report.xlsx",
        ])
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(
        conv.status.success(),
        "{}",
        String::from_utf8_lossy(&conv.stderr)
    );
    for sheet in [
        "Summary",
        "Bids compared",
        "Layers",
        "Components",
        "Findings",
        "Ownership chains",
        "Sources",
    ] {
        let text = std::fs::read_to_string(out.join(format!("report-{sheet}.csv")))
            .unwrap_or_else(|e| panic!("sheet {sheet}: {e}"));
        assert!(text.lines().count() > 1, "sheet {sheet} is empty");
    }
    // Each link of a chain names its source and the registry line that holds it.
    let chains = std::fs::read(out.join("report-Ownership chains.csv")).unwrap();
    let mut cited = 0;
    for rec in csv::Reader::from_reader(chains.as_slice()).records() {
        let rec = rec.unwrap();
        let (source, row) = (&rec[8], &rec[9]);
        if let Some((file, line)) = row.split_once(':')
            && file.starts_with("vendors/")
        {
            crate::assert_registry_line_holds(file, line.parse().unwrap(), source);
            cited += 1;
        }
    }
    assert!(cited > 5, "only {cited} chain links cite the registry");
    let compared = std::fs::read_to_string(out.join("report-Bids compared.csv")).unwrap();
    assert!(
        compared.contains("kasbah-cloud") && compared.contains("✗"),
        "{compared}"
    );
}

#[test]
fn a_controller_reaching_several_layers_is_one_finding_entry_in_the_reports() {
    let out = coquille()
        .args(["analyze", "--home", "MA", "--format", "md"])
        .arg(root("demo/kasbah-cloud"))
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    let broadcom: Vec<&str> = md
        .lines()
        .filter(|l| l.contains("`compelled-access`") && l.contains("Broadcom"))
        .collect();
    assert_eq!(broadcom.len(), 1, "{broadcom:#?}");
    assert!(broadcom[0].contains("hypervisor") && broadcom[0].contains("Also the layers: support"));
    // The JSON keeps one finding per layer, for CI and SARIF.
    let out = coquille()
        .args(["analyze", "--home", "MA", "--format", "json"])
        .arg(root("demo/kasbah-cloud"))
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let n = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "compelled-access" && f["subject"] == "broadcom")
        .count();
    assert_eq!(n, 2);
}

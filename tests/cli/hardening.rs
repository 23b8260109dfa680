//! Hostile inputs and output folders: every case ends quickly with exit 0, 1
//! or 2 and a message, and never writes outside the output folder.

use super::coquille;
use predicates::prelude::*;
use std::path::Path;
use std::time::Duration;

const BOM: &str = r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[{"type":"library","name":"a","version":"1"}]}"#;

fn mkfifo(path: &Path) -> bool {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipping: mkfifo is not available here");
    }
    ok
}

#[test]
fn fifos_and_devices_are_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("bom.json");
    if !mkfifo(&fifo) {
        return;
    }
    coquille()
        .arg("analyze")
        .arg(&fifo)
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a regular file"));
    // Inside a bid folder, named by the manifest.
    std::fs::write(
        dir.path().join("bid.toml"),
        "schema = \"coquille.bid/1\"\n[bid]\nid = \"f\"\ntitle = \"f\"\n[bidder]\nname = \"F SA\"\ncountry = \"MA\"\n[[layers]]\nlayer = \"os\"\nsbom = [\"bom.json\"]\n",
    )
    .unwrap();
    coquille()
        .arg("analyze")
        .arg(dir.path().join("bid.toml"))
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a regular file"));
    // Walking the folder reads the manifest, which names the FIFO: refused the same way.
    coquille()
        .args(["analyze", "--format", "json"])
        .arg(dir.path())
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2);
    if Path::new("/dev/zero").exists() {
        coquille()
            .args(["analyze", "/dev/zero"])
            .timeout(Duration::from_secs(20))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("not a regular file"));
    }
}

#[test]
fn a_byte_order_mark_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let docs = [
        ("cdx.json", BOM.to_string()),
        (
            "spdx.json",
            r#"{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT","name":"x","documentNamespace":"https://example.org/x","creationInfo":{"created":"2024-01-01T00:00:00Z","creators":["Tool: t"]},"packages":[{"SPDXID":"SPDXRef-a","name":"a","downloadLocation":"NOASSERTION"}]}"#.to_string(),
        ),
        (
            "spdx.spdx",
            "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: x\nDocumentNamespace: https://example.org/x\nCreator: Tool: t\nCreated: 2024-01-01T00:00:00Z\n\nPackageName: a\nSPDXID: SPDXRef-a\nPackageDownloadLocation: NOASSERTION\n".to_string(),
        ),
    ];
    for (name, text) in docs {
        let p = dir.path().join(name);
        std::fs::write(&p, format!("\u{feff}{text}")).unwrap();
        coquille()
            .args(["analyze", "--format", "json"])
            .arg(&p)
            .assert()
            .success();
    }
}

#[test]
fn xml_with_a_doctype_or_an_undeclared_entity_is_refused_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bom.xml");
    std::fs::write(
        &p,
        "<?xml version=\"1.0\"?>\n<!DOCTYPE bom SYSTEM \"http://example.org/bom.dtd\">\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\" version=\"1\"/>",
    )
    .unwrap();
    coquille()
        .arg("analyze")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 2, column 1").and(predicate::str::contains("DTD")));
    std::fs::write(
        &p,
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\" version=\"1\"><components>\n<component type=\"library\"><name>a&foo;</name></component></components></bom>",
    )
    .unwrap();
    coquille()
        .arg("analyze")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("undeclared entity &foo;"));
}

#[cfg(unix)]
#[test]
fn links_planted_in_the_output_folder_are_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let bom = dir.path().join("bom.json");
    std::fs::write(&bom, BOM).unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep").unwrap();
    // A link where a report goes is replaced, not written through.
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&victim, out.join("report.json")).unwrap();
    coquille()
        .arg("analyze")
        .arg(&bom)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    assert!(
        !std::fs::symlink_metadata(out.join("report.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // No temporary file is left behind, and reports can be read by others.
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(out.join("report.json"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o644, 0o644);
    // A link where a folder of the set goes is refused before anything is written.
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let out2 = dir.path().join("out2");
    std::fs::create_dir(&out2).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out2.join("charts")).unwrap();
    coquille()
        .arg("analyze")
        .arg(&bom)
        .arg("--out")
        .arg(&out2)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("symbolic link"));
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    assert_eq!(
        std::fs::read_dir(&out2).unwrap().count(),
        1,
        "something was written"
    );
}

#[test]
fn two_bids_with_the_same_id_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (folder, id) in [("a", "same/bid"), ("b", "same_bid")] {
        let d = dir.path().join(folder);
        std::fs::create_dir(&d).unwrap();
        std::fs::write(
            d.join("bid.toml"),
            format!(
                "schema = \"coquille.bid/1\"\n[bid]\nid = \"{id}\"\ntitle = \"t\"\n[bidder]\nname = \"B SA\"\ncountry = \"MA\"\n"
            ),
        )
        .unwrap();
    }
    coquille()
        .arg("analyze")
        .arg(dir.path().join("a/bid.toml"))
        .arg(dir.path().join("b/bid.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give each bid its own"));
}

#[test]
fn error_messages_cannot_drive_the_terminal_or_flood_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bom.json");
    std::fs::write(
        &p,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.\u001b]0;pwned\u0007\u202e","version":1}"#,
    )
    .unwrap();
    let out = coquille().arg("analyze").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("specVersion"), "{err}");
    assert!(!err.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{err:?}");
    let long = dir.path().join("long.toml");
    std::fs::write(
        &long,
        format!(
            "schema = \"coquille.bid/1\"\nx = \"{}\n",
            "a".repeat(3_000_000)
        ),
    )
    .unwrap();
    let out = coquille().arg("analyze").arg(&long).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stderr.len() < 5_000,
        "{} bytes of error",
        out.stderr.len()
    );
}

#[test]
fn bidi_overrides_and_xml_noncharacters_never_reach_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let bid = dir.path().join("bid.toml");
    std::fs::write(
        &bid,
        "schema = \"coquille.bid/1\"\n[bid]\nid = \"r\"\ntitle = \"Evil \u{202e}(US) 60.0\u{fffe}\"\n[bidder]\nname = \"Evil \u{202e}SA\u{ffff}\"\ncountry = \"MA\"\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    coquille()
        .arg("analyze")
        .arg(&bid)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    for f in [
        "report.html",
        "report.md",
        "summary.txt",
        "findings.csv",
        "components.csv",
        "graph.graphml",
        "graph.dot",
    ] {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        assert!(
            !text.contains(['\u{202e}', '\u{fffe}', '\u{ffff}']),
            "{f} keeps a bidi override or noncharacter"
        );
    }
}

/// A bid folder whose `os` layer names a Rust workspace (`app/Cargo.toml`) with a path
/// dependency at `dep` (relative to the app's folder).
fn bid_with_workspace(root: &Path, dep: &str) -> std::path::PathBuf {
    let bid = root.join("bid");
    let app = bid.join("app");
    std::fs::create_dir_all(app.join("src")).unwrap();
    std::fs::write(app.join("src/lib.rs"), "").unwrap();
    std::fs::write(
        app.join("Cargo.toml"),
        format!("[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\ndep = {{ path = \"{dep}\" }}\n"),
    )
    .unwrap();
    std::fs::write(
        app.join("Cargo.lock"),
        "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n \"dep\",\n]\n\n[[package]]\nname = \"dep\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    let dep_dir = app.join(dep);
    std::fs::create_dir_all(dep_dir.join("src")).unwrap();
    std::fs::write(dep_dir.join("src/lib.rs"), "").unwrap();
    std::fs::write(
        dep_dir.join("Cargo.toml"),
        "[package]\nname = \"dep\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::write(
        bid.join("bid.toml"),
        "schema = \"coquille.bid/1\"\n[bid]\nid = \"w\"\ntitle = \"w\"\n[bidder]\nname = \"W SA\"\ncountry = \"MA\"\n[[layers]]\nlayer = \"application\"\nsbom = [\"app/Cargo.toml\"]\n",
    )
    .unwrap();
    bid.join("bid.toml")
}

#[test]
fn a_bid_never_makes_coquille_run_cargo_unless_asked_nor_read_outside_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let inside = bid_with_workspace(&dir.path().join("in"), "dep");
    coquille()
        .arg("analyze")
        .arg(&inside)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--allow-cargo"));
    let ran = coquille()
        .args(["analyze", "--allow-cargo", "--format", "json"])
        .arg(&inside)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&ran.stderr);
    if err.contains("cannot run cargo metadata") {
        eprintln!("skipping the rest: cargo is not available here");
        return;
    }
    assert!(ran.status.success(), "{err}");
    let json = String::from_utf8_lossy(&ran.stdout);
    // Where the packages sit on this machine never reaches the report.
    assert!(!json.contains("coquille:cargo-path"), "{json}");
    let outside = bid_with_workspace(&dir.path().join("out"), "../../../escape");
    coquille()
        .args(["analyze", "--allow-cargo"])
        .arg(&outside)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("outside the bid's folder"));
}

#[test]
fn huge_purls_and_hosts_are_looked_up_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let purl = format!("pkg:npm/{}x@1", "a/".repeat(500_000));
    let host = format!("https://{}example.com/", "a.".repeat(500_000));
    let bom = format!(
        r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[{{"type":"library","name":"a","purl":"{purl}"}},{{"type":"library","name":"b","supplier":{{"name":"b","url":["{host}"]}}}}]}}"#
    );
    let p = dir.path().join("bom.json");
    std::fs::write(&p, bom).unwrap();
    // In an SBOM such values are over the 64 KiB limit: refused at once.
    coquille()
        .args(["analyze", "--format", "json"])
        .arg(&p)
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("over the limit of 65536 bytes"));
    // `vendors lookup` takes them from standard input: looked up in bounded time.
    coquille()
        .args(["vendors", "lookup", "-"])
        .write_stdin(format!("{purl}\n{host}\n"))
        .timeout(Duration::from_secs(60))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2 of 2 queries matched nothing"));
}

#[test]
fn an_overlay_with_a_deep_ownership_chain_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from(
        "id,name,country,incorporated,kind,parent,parent_share,control,aliases,source,source_date,as_of,source_quote,note\n",
    );
    let n = 100_000;
    for i in 0..n {
        let parent = if i + 1 < n {
            format!("e{}", i + 1)
        } else {
            String::new()
        };
        let (share, control) = if parent.is_empty() {
            ("", "")
        } else {
            ("100", "yes")
        };
        csv.push_str(&format!(
            "e{i},E{i},US,US,company,{parent},{share},{control},,https://example.org,,2026-01-01,E{i} is held by its parent.,\n"
        ));
    }
    std::fs::write(dir.path().join("entities-deep.csv"), csv).unwrap();
    coquille()
        .args(["vendors", "validate", "--vendors"])
        .arg(dir.path())
        .timeout(Duration::from_secs(60))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("longer than 64 links"));
}

#[test]
fn a_manifest_with_thousands_of_layers_is_refused_with_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = String::from(
        "schema = \"coquille.bid/1\"\n[bid]\nid = \"many\"\ntitle = \"t\"\n[bidder]\nname = \"M SA\"\ncountry = \"MA\"\n",
    );
    for i in 0..25_000 {
        m.push_str(&format!(
            "[[layers]]\nlayer = \"application\"\nproduct = \"p{i}\"\n"
        ));
    }
    let p = dir.path().join("bid.toml");
    std::fs::write(&p, m).unwrap();
    let out = dir.path().join("out");
    coquille()
        .arg("analyze")
        .arg(&p)
        .arg("--out")
        .arg(&out)
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at most 200"));
    assert!(!out.exists(), "nothing is written for a refused bid");
}

/// Every file of a report set, by relative path.
fn report_set(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn report_sets_are_byte_identical_whatever_the_thread_count() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo");
    let dir = tempfile::tempdir().unwrap();
    let mut sets = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("t{threads}"));
        coquille()
            .env("RAYON_NUM_THREADS", threads)
            .args(["analyze", "--quiet", "--out"])
            .arg(&out)
            .arg(&demo)
            .assert()
            .success();
        sets.push(report_set(&out));
    }
    assert!(sets[0].len() > 10, "{:?}", sets[0].keys());
    assert_eq!(
        sets[0].keys().collect::<Vec<_>>(),
        sets[1].keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &sets[0] {
        assert!(
            &sets[1][name] == bytes,
            "{name} differs between 1 and 2 threads"
        );
    }
}

/// Gzip `parts` written one after the other, `times` times for the middle part.
fn gz(head: &str, repeated: &str, times: usize, tail: &str) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(head.as_bytes()).unwrap();
    let chunk = repeated.repeat(10_000);
    for _ in 0..times / 10_000 {
        z.write_all(chunk.as_bytes()).unwrap();
    }
    z.write_all(tail.as_bytes()).unwrap();
    z.finish().unwrap()
}

#[test]
fn a_dependency_repeating_one_ref_millions_of_times_costs_one_edge() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("deps.json.gz");
    let head = r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"type":"library","bom-ref":"a","name":"a"},{"type":"library","bom-ref":"b","name":"b"}],"dependencies":[{"ref":"a","dependsOn":["#;
    let raw = gz(head, "\"b\",", 5_000_000, "\"b\"]}]}");
    assert!(raw.len() < 100_000, "{} bytes", raw.len());
    std::fs::write(&bomb, raw).unwrap();
    let out = coquille()
        .args(["analyze", "--format", "json"])
        .arg(&bomb)
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout);
    assert!(
        stdout.contains("5000000 repeated refs read once"),
        "{stdout}"
    );
}

#[test]
fn millions_of_components_stop_at_the_documented_limit() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("many.json.gz");
    let head = r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":["#;
    let one = r#"{"type":"library","name":"x"},"#;
    let raw = gz(head, one, 2_010_000, r#"{"type":"library","name":"x"}]}"#);
    std::fs::write(&bomb, raw).unwrap();
    coquille()
        .arg("analyze")
        .arg(&bomb)
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "more than 2000000 elements in one array, the limit for one document",
        ))
        .stderr(predicate::str::contains("line 1, column"));
}

#[test]
fn a_value_over_64_kib_is_refused_with_its_element() {
    let dir = tempfile::tempdir().unwrap();
    let bom = dir.path().join("long.json");
    let name = "A".repeat(100_000);
    std::fs::write(
        &bom,
        format!(r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{{"type":"library","name":"a"}},{{"type":"library","name":"{name}"}}]}}"#),
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    coquille()
        .arg("analyze")
        .arg(&bom)
        .arg("--out")
        .arg(&out_dir)
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "/components/1: name is 100000 bytes long, over the limit of 65536 bytes",
        ));
    assert!(!out_dir.exists(), "nothing is written for a refused input");
}

#[test]
fn owners_nested_too_deep_are_refused_with_position_and_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut inner = r#"{ name = "X", country = "MA", share = 100 }"#.to_string();
    for i in 0..100 {
        inner = format!(r#"{{ name = "X{i}", country = "MA", share = 100, owners = [{inner}] }}"#);
    }
    let bid = dir.path().join("bid.toml");
    std::fs::write(
        &bid,
        format!("schema = \"coquille.bid/1\"\n[bid]\nid = \"d\"\ntitle = \"d\"\n[bidder]\nname = \"D SA\"\ncountry = \"MA\"\nowners = [{inner}]\n"),
    )
    .unwrap();
    coquille()
        .arg("analyze")
        .arg(&bid)
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 8, column"))
        .stderr(predicate::str::contains("owners at most 40 levels"));
}

#[test]
fn xml_encoding_errors_have_their_position_and_latin_1_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let head = "<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\" version=\"1\">\n<components>\n<component type=\"library\"><name>ab";
    let tail = "cd</name></component>\n</components></bom>\n";
    let bad = dir.path().join("bad.xml");
    std::fs::write(
        &bad,
        [head.as_bytes(), b"\xff\xfe", tail.as_bytes()].concat(),
    )
    .unwrap();
    coquille()
        .arg("analyze")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "line 4, column 35: text is not valid UTF-8",
        ));
    let latin = dir.path().join("latin.xml");
    let head = head.replace("?>", " encoding=\"ISO-8859-1\"?>");
    std::fs::write(
        &latin,
        [head.as_bytes(), b"caf\xe9", tail.as_bytes()].concat(),
    )
    .unwrap();
    coquille()
        .args(["analyze", "--format", "json"])
        .arg(&latin)
        .assert()
        .success()
        .stdout(predicate::str::contains("abcaf\u{e9}cd"));
    let utf16 = dir.path().join("u16.xml");
    std::fs::write(&utf16, head.replace("ISO-8859-1", "UTF-16") + tail).unwrap();
    coquille()
        .arg("analyze")
        .arg(&utf16)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("encoding \"utf-16\" is not read"));
}

/// A report set of many files (a folder of SBOMs gives a folder per result) is staged file by
/// file, closing each: it never holds a descriptor per file, so a low limit does not fail it.
#[test]
fn a_large_report_set_stays_under_a_low_open_file_limit() {
    let dir = tempfile::tempdir().unwrap();
    let sboms = dir.path().join("sboms");
    std::fs::create_dir(&sboms).unwrap();
    for i in 0..150 {
        let doc = format!(
            r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
            "metadata":{{"component":{{"type":"application","bom-ref":"app","name":"app-{i}"}}}},
            "components":[{{"type":"library","bom-ref":"x","name":"left-pad","version":"1.{i}.0","purl":"pkg:npm/left-pad@1.{i}.0"}}]}}"#
        );
        std::fs::write(sboms.join(format!("app-{i:03}.cdx.json")), doc).unwrap();
    }
    let out = dir.path().join("out");
    let bin = assert_cmd::cargo::cargo_bin("coquille");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 128 && exec \"$0\" analyze --quiet \"$1\" --out \"$2\"")
        .arg(&bin)
        .arg(&sboms)
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success(), "{status}");
    let per_result = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("report.json").is_file())
        .count();
    assert_eq!(per_result, 150);
}

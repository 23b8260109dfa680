use super::*;
use std::fs;

const MAX_RUN_TEST: usize = ast::MAX_RUN - 20;

fn crates() -> Vec<String> {
    [
        "aws-sdk-s3",
        "aws_config",
        "azure_storage_blob",
        "google-cloud-storage",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// (line, kind, text) of each hit.
fn lines(hits: &[Hit]) -> Vec<(usize, HitKind, &str)> {
    hits.iter()
        .map(|h| (h.line, h.kind, h.text.as_str()))
        .collect()
}

const SAMPLE: &str = r##"use aws_sdk_s3::Client;
use azure_storage_blob::{BlobClient as B, ContainerClient};
use std::env;

/// Docs link https://docs.example.com/guide and AWS_PROFILE: prose, skipped.
pub async fn run(account: &str) -> String {
    let gcs = google_cloud_storage::client::Client::new(Default::default());
    let url = format!(
        "{}/{account}",
        "https://myacct.blob.core.windows.net/c"
    );
    let host = "s3.eu-west-1.amazonaws.com";
    let region = env!("AWS_REGION");
    let acct = std::env::var("AZURE_STORAGE_ACCOUNT");
    let cfg = "config.toml";
    let aws_config = 1; let _ = aws_config;
    println!("{:?}", aws_sdk_s3::config::Region::new("x"));
    let raw = r"
        first line
        endpoint = https://multi.example.net/a
    ";
    let bytes = b"wss://bytes.example.org/feed";
    #[serde(rename = "GOOGLE_APPLICATION_CREDENTIALS")]
    struct Key;
    let _ = (aws_sdk_s3::Client::new, aws_sdk_s3::Config::builder());
    url
}
"##;

#[test]
fn sample_hits_at_exact_lines() {
    let hits = scan_source("src/lib.rs", SAMPLE, &crates()).unwrap();
    assert!(hits.iter().all(|h| h.file == "src/lib.rs"));
    assert_eq!(
        lines(&hits),
        vec![
            (1, HitKind::UseOfCrate, "aws_sdk_s3"),
            (2, HitKind::UseOfCrate, "azure_storage_blob"),
            (7, HitKind::UseOfCrate, "google_cloud_storage"),
            (10, HitKind::Url, "https://myacct.blob.core.windows.net/c"),
            (12, HitKind::Url, "s3.eu-west-1.amazonaws.com"),
            (13, HitKind::EnvVar, "AWS_REGION"),
            (14, HitKind::EnvVar, "AZURE_STORAGE_ACCOUNT"),
            (17, HitKind::UseOfCrate, "aws_sdk_s3"),
            (20, HitKind::Url, "https://multi.example.net/a"),
            (22, HitKind::Url, "wss://bytes.example.org/feed"),
            (23, HitKind::EnvVar, "GOOGLE_APPLICATION_CREDENTIALS"),
            (25, HitKind::UseOfCrate, "aws_sdk_s3"),
        ],
        "{hits:#?}"
    );
    let at = |line: usize| hits.iter().find(|h| h.line == line).unwrap();
    // Columns are 1-based and point at the crate or at the URL itself.
    assert_eq!(at(1).column, 5);
    assert_eq!(at(1).detail.as_deref(), Some("aws_sdk_s3::Client"));
    assert_eq!(
        at(2).detail.as_deref(),
        Some("azure_storage_blob::{BlobClient as B, ContainerClient}")
    );
    assert_eq!(at(7).column, 15);
    assert_eq!(
        at(7).detail.as_deref(),
        Some("google_cloud_storage::client::Client::new")
    );
    assert_eq!(at(10).column, 10);
    assert_eq!(
        at(10).detail.as_deref(),
        Some("myacct.blob.core.windows.net")
    );
    assert_eq!(at(12).column, 17);
    assert_eq!(at(13).detail.as_deref(), Some("Amazon Web Services"));
    assert_eq!(at(14).detail.as_deref(), Some("Microsoft Azure"));
    assert_eq!(
        at(17).detail.as_deref(),
        Some("aws_sdk_s3::config::Region::new")
    );
    assert_eq!(at(20).column, 20);
    // Once per (file, line, crate): two paths on line 25 give one hit.
    assert_eq!(at(25).column, 14);
}

#[test]
fn renamed_crates_and_extern_crate() {
    let src = "extern crate aws_sdk_s3 as s3;\n\
               use aws_config as awsc;\n\
               fn f() { let c = awsc::load_from_env(); let d = s3::Client::new(&c); }\n\
               mod m { use ::azure_storage_blob; }\n";
    let hits = scan_source("a.rs", src, &crates()).unwrap();
    let got: Vec<(usize, &str, Option<&str>)> = hits
        .iter()
        .map(|h| (h.line, h.text.as_str(), h.detail.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "aws_sdk_s3", Some("extern crate aws_sdk_s3 as s3")),
            (2, "aws_config", Some("aws_config as awsc")),
            (3, "aws_config", Some("awsc::load_from_env")),
            (3, "aws_sdk_s3", Some("s3::Client::new")),
            (4, "azure_storage_blob", Some("azure_storage_blob")),
        ]
    );
}

#[test]
fn unparsable_source_is_an_error_with_its_line() {
    let e = scan_source("bad.rs", "fn ok() {}\nfn broken( {\n", &crates()).unwrap_err();
    assert!(e.starts_with("line "), "{e}");
    let e = scan_source("bad.rs", "fn ok() {}\nlet x = 1;\n", &crates()).unwrap_err();
    assert!(e.starts_with("line 2,"), "{e}");
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let deep = format!(
        "fn f() {{ let x = {}1{}; }}",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    let e = scan_source("deep.rs", &deep, &crates()).unwrap_err();
    assert!(e.contains("nested more than"), "{e}");
    let long = format!("fn f() {{ let x = 1{}; }}", " + 1".repeat(5000));
    let e = scan_source("long.rs", &long, &crates()).unwrap_err();
    assert!(e.contains("tokens without"), "{e}");
    // Just under the limits, on the caller's (small, unoptimised) thread.
    let unary = format!("fn f() {{ let x = {}true; }}", "!".repeat(MAX_RUN_TEST));
    assert!(scan_source("unary.rs", &unary, &crates()).is_ok());
    // Items, statements and doc comments end runs; a long file is fine.
    let items = "/// doc\n".repeat(3000)
        + &"fn a() {}\n#[inline]\nfn b() { if x {} else {} }\n".repeat(2000);
    assert!(scan_source("items.rs", &items, &crates()).is_ok());
    // A long macro body is not parsed by syn and is fine.
    let mac = format!("fn f() {{ m!({}); }}", "a ".repeat(10_000));
    assert!(scan_source("mac.rs", &mac, &crates()).is_ok());
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A tender's repository: sources, an included config, things to skip.
fn tree() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("repo");
    write(
        &tmp.path().join("outside"),
        "url = \"https://evil.example.com/x\"\n",
    );
    write(&root.join("src/lib.rs"), SAMPLE);
    write(
        &root.join("src/conf.rs"),
        "pub const CFG: &str = include_str!(\"../config/app.toml\");\n\
         pub const OUT: &str = include_str!(\"../../outside\");\n\
         pub const V: &[&str] = &[include_str!(\"data/keys.env\")];\n",
    );
    write(
        &root.join("config/app.toml"),
        "[storage]\n# where blobs go\nendpoint = \"https://acct.blob.core.windows.net/bids\"\nfile = \"settings.toml\"\n",
    );
    write(
        &root.join("src/data/keys.env"),
        "SCW_ACCESS_KEY=x\nOVH_ENDPOINT=ovh-eu\n",
    );
    write(&root.join("src/broken.rs"), "fn ok() {}\n\nfn broken( {\n");
    write(
        &root.join("target/debug/build/out.rs"),
        "const U: &str = \"https://skipped.example.com\";",
    );
    write(
        &root.join(".hidden/x.rs"),
        "const U: &str = \"https://skipped.example.com\";",
    );
    write(
        &root.join("src/target/mod.rs"),
        "use aws_config::BehaviorVersion;\n",
    );
    tmp
}

#[test]
fn scans_a_tree_with_includes_and_failures() {
    let tmp = tree();
    let root = tmp.path().join("repo");
    #[cfg(unix)]
    std::os::unix::fs::symlink(tmp.path().join("outside"), root.join("src/link.rs")).unwrap();
    let report = scan_dir(&root, &crates());
    let cfg = |h: &&Hit| !h.file.starts_with("src/lib.rs");
    let got: Vec<(&str, usize, HitKind, &str)> = report
        .hits
        .iter()
        .filter(cfg)
        .map(|h| (h.file.as_str(), h.line, h.kind, h.text.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "config/app.toml",
                3,
                HitKind::Url,
                "https://acct.blob.core.windows.net/bids"
            ),
            ("src/data/keys.env", 1, HitKind::EnvVar, "SCW_ACCESS_KEY"),
            ("src/data/keys.env", 2, HitKind::EnvVar, "OVH_ENDPOINT"),
            ("src/target/mod.rs", 1, HitKind::UseOfCrate, "aws_config"),
        ],
        "{report:#?}"
    );
    let toml = report
        .hits
        .iter()
        .find(|h| h.file == "config/app.toml")
        .unwrap();
    assert_eq!(toml.column, 13);
    assert_eq!(
        lines(&scan_source("src/lib.rs", SAMPLE, &crates()).unwrap()),
        lines(
            &report
                .hits
                .iter()
                .filter(|h| h.file == "src/lib.rs")
                .cloned()
                .collect::<Vec<_>>()
        )
    );
    assert!(!report.hits.iter().any(|h| h.text.contains("evil")
        || h.text.contains("skipped")
        || h.text.contains("settings")));
    // lib, conf, broken and target/mod.rs; not the link that leaves the root.
    assert_eq!(report.files, 4, "{report:#?}");
    let unparsed: Vec<(&str, &str)> = report
        .unparsed
        .iter()
        .map(|(f, e)| (f.as_str(), e.as_str()))
        .collect();
    assert_eq!(
        unparsed.len(),
        if cfg!(unix) { 3 } else { 2 },
        "{unparsed:#?}"
    );
    assert!(
        unparsed
            .iter()
            .any(|(f, e)| *f == "src/broken.rs" && e.starts_with("line 3"))
    );
    assert!(unparsed.iter().any(|(f, e)| *f == "src/conf.rs"
        && e.starts_with("line 2: include of \"../../outside\" leaves the scanned folder")));
    #[cfg(unix)]
    assert!(
        unparsed
            .iter()
            .any(|(f, e)| *f == "src/link.rs" && e.contains("outside"))
    );
}

#[cfg(unix)]
#[test]
fn include_through_a_link_out_of_root_is_not_read() {
    let tmp = tree();
    let root = tmp.path().join("repo");
    std::os::unix::fs::symlink(tmp.path().join("outside"), root.join("config/out.toml")).unwrap();
    write(
        &root.join("src/conf.rs"),
        "pub const C: &str = include_str!(\"../config/out.toml\");\n",
    );
    let report = scan_dir(&root, &crates());
    assert!(!report.hits.iter().any(|h| h.text.contains("evil")));
    assert!(report.unparsed.iter().any(|(f, e)| f == "src/conf.rs"
        && e.contains("leads outside the scanned folder through a link")));
}

#[test]
fn oversized_files_are_listed_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big.rs");
    let f = fs::File::create(&big).unwrap();
    f.set_len(MAX_FILE_BYTES + 1).unwrap();
    let report = scan_dir(tmp.path(), &crates());
    assert_eq!(report.files, 1);
    assert_eq!(report.unparsed.len(), 1);
    assert!(report.unparsed[0].1.contains("larger than"), "{report:?}");
}

#[test]
fn scanning_is_deterministic() {
    let tmp = tree();
    let root = tmp.path().join("repo");
    for i in 0..20 {
        write(
            &root.join(format!("src/gen/m{i}.rs")),
            &format!(
                "use aws_sdk_s3 as s{i};\nconst E: &str = \"https://e{i}.s3.amazonaws.com\";\n"
            ),
        );
    }
    let a = scan_dir(&root, &crates());
    let b = scan_dir(&root, &crates());
    assert_eq!(a, b);
    assert!(a.hits.is_sorted());
    assert_eq!(
        a.hits
            .iter()
            .filter(|h| h.file.starts_with("src/gen/"))
            .count(),
        40
    );
}

//! Scale benchmark (`cargo bench --bench scale`): how `coquille analyze` compares with a bare
//! typed serde parse of the same file (the floor), measured in the same run, in time and in
//! peak memory. Inputs are generated with `../shared/tools/make-sbom.py`.
//!
//! ```text
//! cargo bench --bench scale                          # 100k and 300k components
//! cargo bench --bench scale -- --sizes 100000,1000000 --keep /tmp/coquille-bench
//! cargo bench --bench scale -- --sizes 100000 --folder 1000x1000   # a folder, 1 thread vs all
//! ```
//!
//! Each measurement runs in a child process (coquille's release binary, or this benchmark
//! re-executed as `--floor FILE`), and its peak resident memory comes from `wait4`. The
//! table is printed in Markdown for BENCHMARKS.md.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The fields coquille reads from a CycloneDX JSON component, as plain serde types: the
/// floor any reader of those fields has to pay.
#[derive(Deserialize)]
#[allow(dead_code)]
struct FloorComponent {
    #[serde(rename = "bom-ref")]
    bom_ref: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
    version: Option<String>,
    group: Option<String>,
    purl: Option<String>,
    cpe: Option<String>,
    supplier: Option<FloorOrg>,
    publisher: Option<String>,
    author: Option<String>,
    licenses: Option<Vec<serde_json::Map<String, serde_json::Value>>>,
    #[serde(rename = "externalReferences")]
    external_references: Option<Vec<FloorRef>>,
    properties: Option<Vec<FloorProperty>>,
    scope: Option<String>,
    components: Option<Vec<FloorComponent>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct FloorOrg {
    name: Option<String>,
    url: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct FloorRef {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct FloorProperty {
    name: Option<String>,
    value: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct FloorDependency {
    #[serde(rename = "ref")]
    from: Option<String>,
    #[serde(rename = "dependsOn")]
    depends_on: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct FloorBom {
    components: Vec<FloorComponent>,
    dependencies: Option<Vec<FloorDependency>>,
}

/// `--floor FILE`: parse and drop, nothing else.
fn floor(path: &Path) {
    let bytes = std::fs::read(path).expect("read the input");
    let bom: FloorBom = serde_json::from_slice(&bytes).expect("a CycloneDX JSON document");
    std::hint::black_box(&bom);
}

/// Seconds and peak resident KiB of a child process.
// The child is reaped by wait4, which std's Child does not know about.
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command) -> (f64, u64) {
    let start = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the child process");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child, with valid pointers to locals.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(rc, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1,
        "{cmd:?} failed with status {status}"
    );
    (secs, usage.ru_maxrss as u64)
}

struct Input {
    label: String,
    path: PathBuf,
    bytes: u64,
}

fn generate(script: &Path, dir: &Path, n: usize, args: &[&str], ext: &str) -> Input {
    let tag = args.join("").replace("--", "-");
    let path = dir.join(format!("sbom-{n}{tag}.{ext}"));
    if !path.exists() {
        eprintln!("generating {} …", path.display());
        let ok = Command::new("python3")
            .arg(script)
            .args(["--components", &n.to_string(), "--out"])
            .arg(&path)
            .args(args)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "make-sbom.py failed");
    }
    let kind = match ext {
        "xml" => "CycloneDX XML",
        _ if args.contains(&"--spdx") => "SPDX JSON",
        _ => "CycloneDX JSON",
    };
    let bytes = std::fs::metadata(&path).unwrap().len();
    Input {
        label: format!("{}k components, {kind}, {} MB", n / 1000, bytes / 1_000_000),
        path,
        bytes,
    }
}

/// A folder of `files` SBOMs of `n` components each (seeds 1…files), analysed with one
/// thread and with every core: the speed-up, and whether the results are byte-identical.
fn folder(bin: &Path, script: &Path, dir: &Path, files: usize, n: usize) {
    let folder = dir.join(format!("folder-{files}x{n}"));
    std::fs::create_dir_all(&folder).unwrap();
    for seed in 1..=files {
        let path = folder.join(format!("sbom-{seed:05}.json"));
        if path.exists() {
            continue;
        }
        if seed == 1 {
            eprintln!("generating {files} SBOMs in {} …", folder.display());
        }
        let ok = Command::new("python3")
            .arg(script)
            .args([
                "--components",
                &n.to_string(),
                "--seed",
                &seed.to_string(),
                "--out",
            ])
            .arg(&path)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "make-sbom.py failed");
    }
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let mut runs = Vec::new();
    for threads in [1, cores] {
        let out = dir.join(format!("folder-{threads}.jsonl"));
        let (t, rss) = measure(
            Command::new(bin)
                .env("RAYON_NUM_THREADS", threads.to_string())
                .args(["analyze", "--quiet", "--output"])
                .arg(format!("jsonl={}", out.display()))
                .arg(&folder),
        );
        runs.push((threads, t, rss, std::fs::read(&out).unwrap()));
    }
    println!("\n| folder of {files} SBOMs × {n} components | threads | time | peak RSS |");
    println!("|---|---|---|---|");
    for (threads, t, rss, _) in &runs {
        println!(
            "| | {threads} | {t:.2} s | {:.2} GB |",
            *rss as f64 * 1024.0 / 1e9
        );
    }
    let (one, all) = (&runs[0], &runs[runs.len() - 1]);
    println!(
        "\nspeed-up on {} cores: {:.2}×; results byte-identical across thread counts: {}",
        all.0,
        one.1 / all.1,
        if one.3 == all.3 { "yes" } else { "NO" }
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--floor") {
        floor(Path::new(&args[i + 1]));
        return;
    }
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let sizes: Vec<usize> = value("--sizes")
        .unwrap_or_else(|| "100000,300000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("--sizes N,N"))
        .collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = root.join("../shared/tools/make-sbom.py");
    if !script.exists() {
        eprintln!("skipped: ../shared/tools/make-sbom.py is not beside the project");
        return;
    }
    let bin = root.join("target/release/coquille");
    let built = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet"])
        .current_dir(root)
        .status()
        .is_ok_and(|s| s.success());
    assert!(built && bin.exists(), "cargo build --release failed");
    let tmp = tempfile::tempdir().unwrap();
    let dir = value("--keep")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let me = std::env::current_exe().unwrap();

    println!("| input | `analyze --format json` | floor | ratio | peak RSS | RSS / file |");
    println!("|---|---|---|---|---|---|");
    let mut json_times = Vec::new();
    let largest = *sizes.iter().max().unwrap();
    for &n in &sizes {
        let mut inputs = vec![generate(&script, &dir, n, &[], "json")];
        if n == largest {
            inputs.push(generate(&script, &dir, n, &["--format", "xml"], "xml"));
            inputs.push(generate(&script, &dir, n, &["--spdx"], "json"));
        }
        for (k, input) in inputs.iter().enumerate() {
            let (t, rss) = measure(
                Command::new(&bin)
                    .args(["analyze", "--format", "json"])
                    // The SPDX file of a million components is over the default 1 GiB limit.
                    .args(["--max-input-size", &(input.bytes + 1).to_string()])
                    .arg(&input.path),
            );
            // The floor parses CycloneDX JSON; XML and SPDX are compared with it (same content).
            let floor_input = &inputs[0];
            let (f, _) = measure(Command::new(&me).arg("--floor").arg(&floor_input.path));
            if k == 0 {
                json_times.push((n, t));
            }
            println!(
                "| {} | {t:.2} s | {f:.2} s | {:.1}× | {:.2} GB | {:.1}× |",
                input.label,
                t / f,
                rss as f64 * 1024.0 / 1e9,
                rss as f64 * 1024.0 / input.bytes as f64
            );
        }
        if n == largest {
            let out = dir.join(format!("out-{n}"));
            let _ = std::fs::remove_dir_all(&out);
            let (t, rss) = measure(
                Command::new(&bin)
                    .args(["analyze", "--quiet", "--out"])
                    .arg(&out)
                    .arg(&inputs[0].path),
            );
            let json = json_times.last().unwrap().1;
            println!(
                "| {} — full report set (`--out`) | {t:.2} s | — | {:.1}× `analyze --format json` | {:.2} GB | {:.1}× |",
                inputs[0].label,
                t / json,
                rss as f64 * 1024.0 / 1e9,
                rss as f64 * 1024.0 / inputs[0].bytes as f64
            );
        }
    }
    if let Some((files, n)) = value("--folder")
        .or_else(|| Some("1000x1000".into()))
        .filter(|v| v != "0")
        .and_then(|v| {
            let (a, b) = v.split_once('x')?;
            Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?))
        })
    {
        folder(&bin, &script, &dir, files, n);
    }
    if json_times.len() > 1 {
        let (n0, t0) = json_times[0];
        let (n1, t1) = *json_times.last().unwrap();
        println!(
            "\ntime({}k) / time({}k) = {:.1} for {:.1}× the components",
            n1 / 1000,
            n0 / 1000,
            t1 / t0,
            n1 as f64 / n0 as f64
        );
    }
}

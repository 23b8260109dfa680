//! Embed every CSV file of `vendors/` into the binary (see `registry::embedded`).

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vendors");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("vendors/ folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    names.sort();
    let mut out = String::from(
        "/// The registry files shipped in `vendors/`, by file name.\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for n in &names {
        println!("cargo:rerun-if-changed={}", dir.join(n).display());
        writeln!(
            out,
            "    ({n:?}, include_str!({:?})),",
            dir.join(n).display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded_vendors.rs");
    std::fs::write(dest, out).unwrap();
    embed_demo();
    embed_schemas();
}

/// The standards' JSON schemas and XSDs that `coquille validate` checks documents against. They are
/// public specification files that live beside the project (`../shared/conformance`, or the
/// folder `COQUILLE_SCHEMA_DIR` names, laid out the same way), not in it: the build embeds
/// them, deflated, when it finds them, and builds without them (validate then says so)
/// when it does not.
fn embed_schemas() {
    use std::io::Write as _;
    const FILES: &[&str] = &[
        "cyclonedx/schema/bom-1.2.schema.json",
        "cyclonedx/schema/bom-1.3.schema.json",
        "cyclonedx/schema/bom-1.4.schema.json",
        "cyclonedx/schema/bom-1.5.schema.json",
        "cyclonedx/schema/bom-1.6.schema.json",
        "cyclonedx/schema/bom-1.7.schema.json",
        "cyclonedx/schema/spdx.schema.json",
        "cyclonedx/schema/jsf-0.82.schema.json",
        "cyclonedx/schema/cryptography-defs.schema.json",
        "spdx/schema/spdx-2.2.schema.json",
        "spdx/schema/spdx-2.3.schema.json",
        "cyclonedx/schema/bom-1.0.xsd",
        "cyclonedx/schema/bom-1.1.xsd",
        "cyclonedx/schema/bom-1.2.xsd",
        "cyclonedx/schema/bom-1.3.xsd",
        "cyclonedx/schema/bom-1.4.xsd",
        "cyclonedx/schema/bom-1.5.xsd",
        "cyclonedx/schema/bom-1.6.xsd",
        "cyclonedx/schema/bom-1.7.xsd",
        "cyclonedx/schema/spdx.xsd",
    ];
    println!("cargo:rerun-if-env-changed=COQUILLE_SCHEMA_DIR");
    let root = std::env::var_os("COQUILLE_SCHEMA_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"));
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let mut out = String::from(
        "/// The schema files found at build time: file name, deflated bytes.\npub static SCHEMAS: &[(&str, &[u8])] = &[\n",
    );
    for rel in FILES {
        let path = root.join(rel);
        println!("cargo:rerun-if-changed={}", path.display());
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let name = rel.rsplit('/').next().unwrap();
        let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&bytes).unwrap();
        let dest = out_dir.join(format!("{name}.deflate"));
        std::fs::write(&dest, z.finish().unwrap()).unwrap();
        writeln!(
            out,
            "    ({name:?}, include_bytes!({:?})),",
            dest.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    std::fs::write(out_dir.join("embedded_schemas.rs"), out).unwrap();
}

/// Embed every file under `demo/` (the demo tender's bids) for `coquille` with no arguments.
fn embed_demo() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir)
            .expect("demo/ folder")
            .filter_map(|e| e.ok())
        {
            let p = e.path();
            if p.is_dir() {
                println!("cargo:rerun-if-changed={}", p.display());
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut out = String::from(
        "/// The demo tender's files, by path relative to `demo/`.\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            out,
            "    ({rel:?}, include_bytes!({:?})),",
            f.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded_demo.rs");
    std::fs::write(dest, out).unwrap();
}

//! Command-line types (clap) only; no logic.

use crate::i18n::Lang;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "coquille",
    version,
    about = "Find the foreign engine inside the local shell: who really controls each layer of a sovereign-cloud bid.",
    long_about = "Find the foreign engine inside the local shell.\n\nWith no command, coquille analyses the embedded demo tender (three fictional bids on real vendors) and writes reports/demo/.\n\nExit codes: 0 success, 2 bad input or usage (the message names the file, the position and what is supported).",
    after_help = "Examples:\n  coquille                                   run the demo tender\n  coquille analyze bid/bid.toml --home MA    analyse one bid (manifest + its SBOMs)\n  coquille analyze bom.json --format json    one SBOM, JSON report to stdout\n  coquille explain kill-switch               what a finding code means"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Analyse SBOMs, bid manifests (bid.toml) or bid folders.
    Analyze(AnalyzeArgs),
    /// Gate: judge inputs against a policy. Exit 0 when every bid passes, 1 when one fails,
    /// 2 on bad input or usage.
    Check(CheckArgs),
    /// What changed in control between two versions (two SBOMs, two manifests or two workspaces).
    /// Exit 1 with --fail-on-new-foreign when a foreign controller was added.
    Diff(DiffArgs),
    /// Analyse, judge and rank every bid of a tender file.
    Tender(TenderArgs),
    /// Write commented templates of a tender, a policy and a bid manifest (never overwrites).
    Init {
        /// Where to write them.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Run the embedded demo tender and write its report set.
    Demo(DemoArgs),
    /// Explain a finding code (or list them all).
    Explain {
        /// A finding code such as `kill-switch`; omit to list every code.
        code: Option<String>,
    },
    /// Check SBOMs against their standard: CycloneDX 1.2-1.7 and SPDX 2.2/2.3 JSON against the
    /// official JSON schemas, CycloneDX 1.0-1.7 XML against its XSD's rules, SPDX tag-value with
    /// coquille's reader. Exit 0 when every input is valid, 1 when one is not, 2 when one could
    /// not be checked.
    Validate {
        /// SBOM files (optionally gzip/xz/zstd compressed), folders of them, or `-` for stdin.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// What to print on standard output.
        #[arg(long, value_parser = ["text", "json"], default_value = "text")]
        format: String,
        /// Largest input accepted, in bytes, before and after decompression. Lower than for
        /// `analyze`: schema validation holds the whole document in memory as a JSON tree,
        /// several times its size.
        #[arg(long, default_value_t = 128 << 20, value_name = "BYTES")]
        max_input_size: u64,
    },
    /// Query the vendor registry.
    Vendors {
        #[command(subcommand)]
        command: VendorsCommand,
        /// Overlay this folder of registry CSV files on the embedded registry.
        #[arg(long, global = true, value_name = "DIR")]
        vendors: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum VendorsCommand {
    /// List the registry's entities with their ultimate controller and its country.
    List {
        /// Only entities of this country (ISO code).
        #[arg(long, value_name = "CC")]
        country: Option<String>,
        /// Only entities whose ultimate controller is in this country (ISO code).
        #[arg(long, value_name = "CC")]
        controlled_from: Option<String>,
        /// Only entities of this kind: company, state, foundation, community or person.
        #[arg(long)]
        kind: Option<String>,
        /// Output format.
        #[arg(long, value_parser = ["text", "csv", "json"], default_value = "text")]
        format: String,
    },
    /// Find the entity behind each query (registry id, purl, CPE, URL, domain, organisation or
    /// product name) and its chain of control; `-` reads one query per line from standard input.
    /// Near names are suggested for a query that matches nothing (exit 1, or 2 for a single query).
    Lookup {
        #[arg(required = true, value_name = "QUERY")]
        queries: Vec<String>,
    },
    /// Measure how much of some SBOMs the registry attributes: of the components that carry a
    /// supplier, manufacturer or publisher, a namespaced purl or a CPE, the attributed share
    /// and the most frequent unattributed evidence.
    Coverage {
        /// SBOM files (any supported format).
        #[arg(required = true)]
        inputs: Vec<std::path::PathBuf>,
        /// Write the most frequent unattributed evidence as a starter overlay of matcher rows
        /// (entity left empty for an analyst to fill in).
        #[arg(long, value_name = "FILE")]
        suggest: Option<PathBuf>,
    },
    /// Check a registry and list every problem with its file and line: the shipped registry,
    /// a complete registry folder (DIR), or with --vendors an overlay on the shipped registry.
    /// Exit 0 when clean, 1 when problems are found, 2 when the folder cannot be read.
    Validate {
        /// A folder of registry CSV files, checked as one complete registry.
        dir: Option<std::path::PathBuf>,
    },
    /// List entity facts older than a date (default: 18 months before today), the entities
    /// behind the most matchers first.
    Stale {
        /// YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        before: Option<String>,
    },
}

#[derive(clap::Args, Debug)]
pub struct AnalyzeArgs {
    /// SBOM files (CycloneDX 1.2-1.7 JSON/XML, SPDX 2.2/2.3 JSON/tag-value, SPDX 3.0 JSON-LD, optionally gzip/xz/zstd), bid manifests or bid folders.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Home jurisdiction: an ISO country code (MA, FR…) or a bloc (EU, EEA).
    #[arg(long, default_value = "MA", value_name = "CC")]
    pub home: String,
    /// What to print on standard output.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Also write the whole report set (report.json, report.md, summary.txt) to this folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Start the CSV files of --out with a byte-order mark, for Excel on Windows.
    #[arg(long)]
    pub csv_bom: bool,
    /// Also write FORMAT to FILE (text, json, md, jsonl, components-jsonl); repeatable.
    #[arg(long = "output", value_name = "FORMAT=FILE")]
    pub outputs: Vec<String>,
    /// Print nothing on standard output, and no progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// Overlay this folder of registry CSV files on the embedded registry.
    #[arg(long, value_name = "DIR")]
    pub vendors: Option<PathBuf>,
    /// Largest input accepted, in bytes, before and after decompression.
    #[arg(long, default_value_t = crate::ingest::DEFAULT_MAX_BYTES, value_name = "BYTES")]
    pub max_input_size: u64,
    /// Also validate each SBOM as `coquille validate` does; problems become warnings.
    #[arg(long)]
    pub strict: bool,
    /// Language of report.html (the other language is written beside it).
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Rust workspaces: run `cargo metadata` without network access.
    #[arg(long)]
    pub offline: bool,
    /// Rust workspaces: require Cargo.lock to be up to date and run offline.
    #[arg(long)]
    pub frozen: bool,
    /// Rust workspaces: require Cargo.lock to be up to date.
    #[arg(long)]
    pub locked: bool,
    /// Read the Rust workspaces that bid manifests name, with `cargo metadata --offline
    /// --locked`; their members and path dependencies must stay in the bid's folder.
    /// Without it such a bid is refused (a bid never makes coquille run a tool by itself).
    #[arg(long)]
    pub allow_cargo: bool,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// SBOMs, bid manifests, bid folders or Rust workspaces.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// A preset (ma-sensitive, secnumcloud) or a policy TOML file.
    #[arg(long, value_name = "PRESET|FILE")]
    pub policy: String,
    /// Home jurisdiction; defaults to the policy's.
    #[arg(long, value_name = "CC")]
    pub home: Option<String>,
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Allow (drop) findings with this code.
    #[arg(short = 'A', long = "allow", value_name = "CODE")]
    pub allow: Vec<String>,
    /// Make findings with this code warnings.
    #[arg(short = 'W', long = "warn", value_name = "CODE")]
    pub warn: Vec<String>,
    /// Make findings with this code deny (fail the check).
    #[arg(short = 'D', long = "deny", value_name = "CODE")]
    pub deny: Vec<String>,
    /// An earlier `check --format json`: fail only on findings it does not have.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Also write FORMAT to FILE (text, json, md, sarif, junit); repeatable:
    /// `--output sarif=coquille.sarif --output md=summary.md`.
    #[arg(long = "output", value_name = "FORMAT=FILE")]
    pub outputs: Vec<String>,
    /// Print nothing on standard output, and no progress bar; the exit code (and any --output)
    /// tells the result.
    #[arg(short, long)]
    pub quiet: bool,
    /// Overlay this folder of registry CSV files on the embedded registry.
    #[arg(long, value_name = "DIR")]
    pub vendors: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    Text,
    Json,
    Md,
    Sarif,
    Junit,
}

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    pub old: PathBuf,
    pub new: PathBuf,
    #[arg(long, default_value = "MA", value_name = "CC")]
    pub home: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 1 when the new version adds a foreign controller or has a worse verdict.
    #[arg(long)]
    pub fail_on_new_foreign: bool,
    /// Exit 1 when the new version's verdict is worse (sovereign, insufficient evidence,
    /// local shell, foreign).
    #[arg(long)]
    pub fail_on_verdict_worse: bool,
    #[arg(long, value_name = "DIR")]
    pub vendors: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct TenderArgs {
    /// The tender file (TOML, `schema = "coquille.tender/1"`).
    pub tender: PathBuf,
    /// Where to write the report set (default: reports/TENDER-ID).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Start the CSV files with a byte-order mark, for Excel on Windows.
    #[arg(long)]
    pub csv_bom: bool,
    /// Language of report.html; default: the tender's, else English.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    #[arg(long, value_name = "DIR")]
    pub vendors: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// Where to write the demo's report set.
    #[arg(long, default_value = "reports/demo", value_name = "DIR")]
    pub out: PathBuf,
    /// Language of report.html (the other language is written beside it).
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Md,
    /// One JSON object per line: a result (analyze) or a diff (diff).
    Jsonl,
}

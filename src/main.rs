//! The `coquille` binary: parse the command line, run the command, map the
//! outcome to an exit code. Nothing else lives here.

use clap::Parser;
use coquille::app::{self, AppError, output};
use coquille::cli::{
    CheckArgs, CheckFormat, Cli, Command, DemoArgs, DiffArgs, Format, TenderArgs, VendorsCommand,
};
use coquille::render::{self, Lang};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// mimalloc instead of the system allocator: the analysis makes and frees millions of small
/// strings, and glibc's malloc spent a fifth of a large run consolidating and unlinking chunks
/// (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(AppError::Failed(report)) => {
            eprintln!("{}", for_terminal(report.trim_end()));
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {}", for_terminal(e.to_string().trim_end()));
            ExitCode::from(e.exit_code())
        }
    }
}

/// A message for standard error: input quoted in it cannot drive the terminal (escape
/// sequences become U+FFFD) nor flood it (each line is cut at 1,000 characters).
fn for_terminal(message: &str) -> String {
    message
        .lines()
        .map(|line| {
            let mut chars = line.chars();
            let head: String = chars.by_ref().take(1000).collect();
            let head = coquille::render::escape::terminal(&head);
            if chars.next().is_some() {
                format!("{head}… (line cut)")
            } else {
                head
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn print(s: &str) -> Result<(), AppError> {
    print_with(|out| out.write_all(s.as_bytes()))
}

/// Write to standard output through a buffer; a closed pipe is not an error.
fn print_with(
    write: impl FnOnce(&mut std::io::BufWriter<std::io::StdoutLock<'static>>) -> std::io::Result<()>,
) -> Result<(), AppError> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut out).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(AppError::Output(format!("standard output: {e}"))),
    }
}

fn run(cli: Cli) -> Result<(), AppError> {
    match cli.command.unwrap_or(Command::Demo(DemoArgs {
        out: "reports/demo".into(),
        lang: Lang::En,
    })) {
        Command::Demo(args) => demo(&args.out, args.lang),
        Command::Analyze(args) => {
            if !coquille::ingest::manifest::is_country(&args.home)
                && !matches!(args.home.as_str(), "EU" | "EEA")
            {
                return Err(AppError::Usage(format!(
                    "--home \"{}\" is not an ISO 3166-1 alpha-2 code or a bloc (EU, EEA)",
                    args.home
                )));
            }
            let reg = app::registry(args.vendors.as_deref())?;
            let opts = coquille::ingest::Options {
                limit: args.max_input_size,
                strict: args.strict,
                cargo: coquille::ingest::cargo::CargoFlags {
                    offline: args.offline,
                    frozen: args.frozen,
                    locked: args.locked,
                    allow_bid_workspaces: args.allow_cargo,
                },
            };
            let outputs = parse_outputs(
                &args.outputs,
                &["text", "json", "md", "jsonl", "components-jsonl"],
                "jsonl=results.jsonl",
            )?;
            let progress = app::progress::Progress::on_stderr(args.quiet);
            let analyzed = app::analyze(
                &reg,
                &args.home,
                &args.inputs,
                &opts,
                &coquille::analyse::Requirements::default(),
                &progress,
            );
            // The report set is written while the bar still runs; nothing is printed before
            // the bar is gone.
            let written = match (&analyzed, &args.out) {
                (Ok(a), Some(dir)) => {
                    progress.stage("writing the report set", None);
                    let mut files =
                        output::report_set(&a.reports, a.reports.len() > 1, args.lang, None);
                    if args.csv_bom {
                        output::with_csv_bom(&mut files);
                    }
                    Some((output::write_set(dir, &files), dir))
                }
                _ => None,
            };
            drop(progress);
            let reports = skipped_note(analyzed?);
            if let Some((written, dir)) = written {
                eprintln!("wrote {} files to {}", written?.len(), dir.display());
            }
            let render = |f: &str| match f {
                "text" => render::text::render(&reports),
                "json" => render::json::render(&reports),
                "md" => render::md::render(&reports),
                "jsonl" => render::jsonl::results(&reports),
                _ => render::jsonl::components(&reports),
            };
            for (format, file) in &outputs {
                output::write_atomic(file, render(format).as_bytes())?;
            }
            if args.quiet {
                return Ok(());
            }
            if matches!(args.format, Format::Json) {
                let result = print_with(|w| render::json::write(&reports, w));
                // The process ends here: freeing a million components' reports one string at
                // a time would only delay the exit.
                std::mem::forget(reports);
                return result;
            }
            print(&render(match args.format {
                Format::Text => "text",
                Format::Json => "json",
                Format::Md => "md",
                Format::Jsonl => "jsonl",
            }))
        }
        Command::Check(args) => check(args),
        Command::Validate {
            inputs,
            format,
            max_input_size,
        } => validate(&inputs, &format, max_input_size),
        Command::Diff(args) => diff(args),
        Command::Tender(args) => tender(args),
        Command::Init { dir } => init(&dir),
        Command::Explain { code } => match code {
            Some(c) => match coquille::policy::explain(&c) {
                Some(t) => print(&format!(
                    "{c} (default severity: {})\n\n{t}\n",
                    coquille::policy::default_severity(&c).as_str()
                )),
                None => Err(AppError::Usage(format!(
                    "unknown finding code \"{c}\"; `coquille explain` lists them"
                ))),
            },
            None => {
                let mut s = String::new();
                for (c, sev, t) in coquille::policy::CODES {
                    s.push_str(&format!("{c:<26} {:<5} {t}\n", sev.as_str()));
                }
                print(&s)
            }
        },
        Command::Vendors {
            command: VendorsCommand::Validate { dir },
            vendors,
        } => print(&app::vendors::validate(dir.as_deref(), vendors.as_deref())?),
        Command::Vendors { command, vendors } => {
            let reg = app::registry(vendors.as_deref())?;
            match command {
                VendorsCommand::List {
                    country,
                    controlled_from,
                    kind,
                    format,
                } => {
                    let filter = app::vendors::ListFilter {
                        country,
                        controlled_from,
                        kind,
                    };
                    print(&app::vendors::list(&reg, &filter, &format)?)
                }
                VendorsCommand::Lookup { queries } => {
                    print(&app::vendors::lookup(&reg, &lookup_queries(queries)?)?)
                }
                VendorsCommand::Validate { .. } => {
                    unreachable!("handled before loading the registry")
                }
                VendorsCommand::Stale { before } => {
                    let before = before.unwrap_or_else(|| {
                        app::vendors::eighteen_months_before(&coquille::policy::gate::today())
                    });
                    print(&app::vendors::stale(&reg, &before)?)
                }
                VendorsCommand::Coverage { inputs, suggest } => {
                    let (text, top) = app::vendors::coverage(
                        &reg,
                        &inputs,
                        &coquille::ingest::Options::default(),
                    )?;
                    if let Some(file) = suggest {
                        app::output::write_atomic(
                            &file,
                            app::vendors::suggestions(&top, 50).as_bytes(),
                        )?;
                    }
                    print(&text)
                }
            }
        }
    }
}

/// Lookup queries, `-` replaced by the lines of standard input (blank lines skipped).
fn lookup_queries(queries: Vec<String>) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for q in queries {
        if q != "-" {
            out.push(q);
            continue;
        }
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut std::io::Read::take(std::io::stdin(), 16 << 20),
            &mut text,
        )
        .map_err(|e| AppError::Usage(format!("(stdin): cannot read the queries: {e}")))?;
        out.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from),
        );
    }
    Ok(out)
}

fn demo(out: &Path, lang: Lang) -> Result<(), AppError> {
    let reg = app::registry(None)?;
    let (reports, ranking) = app::demo_tender(&reg)?;
    let files = output::report_set(&reports, true, lang, Some(&ranking));
    output::write_set(out, &files)?;
    print(&tender_summary(&ranking, &reports, out, lang))
}

/// What `demo` and `tender` print: one line per bid in rank order (result, verdict, the
/// reason that decided it), then where the reports are. The reports hold the rest.
fn tender_summary(
    ranking: &app::tender::TenderResult,
    reports: &[coquille::report::Report],
    out: &Path,
    lang: Lang,
) -> String {
    use render::escape::terminal as t;
    let mut s = format!(
        "{} — home jurisdiction {} — policy {}\n\n",
        t(&ranking.title),
        ranking.home,
        ranking.policy
    );
    for r in &ranking.ranking {
        let why = reports
            .iter()
            .find(|x| x.bid.id == r.bid)
            .and_then(|x| x.summary.reasons.first().cloned())
            .unwrap_or_default();
        s.push_str(&format!(
            "  {}. {:<22} {:<9} {:<22} {}\n",
            r.rank,
            t(&r.bid),
            if r.passed { "accepted" } else { "rejected" },
            r.verdict,
            t(&why)
        ));
    }
    s.push_str(&format!(
        "\nReports written to {}/: report.html (and report.{}.html), tender.md, tender.json, report.json, report.md, CSV files, charts/, one folder per bid.\n",
        out.display(),
        if lang == Lang::En { "fr" } else { "en" }
    ));
    s
}

fn validate(inputs: &[PathBuf], format: &str, limit: u64) -> Result<(), AppError> {
    use coquille::app::validate;
    let results = validate::run(inputs, limit)?;
    print(&match format {
        "json" => validate::json(&results),
        _ => validate::text(&results),
    })?;
    let count = |s: u8| results.iter().filter(|r| r.status() == s).count();
    let summary = format!(
        "{} file(s): {} valid, {} invalid, {} not checked",
        results.len(),
        count(0),
        count(1),
        count(2)
    );
    match results.iter().map(|r| r.status()).max().unwrap_or(0) {
        0 => {
            eprintln!("{summary}");
            Ok(())
        }
        1 => Err(AppError::Failed(summary)),
        _ => Err(AppError::Usage(summary)),
    }
}

fn check(args: CheckArgs) -> Result<(), AppError> {
    use coquille::policy::gate::{self, Level};
    use coquille::render::gate::{self as out, Outcome};
    let policy = gate::load(&args.policy)?;
    let mut overrides = Vec::new();
    for (codes, level) in [
        (&args.allow, Level::Allow),
        (&args.warn, Level::Warn),
        (&args.deny, Level::Deny),
    ] {
        for c in codes {
            if coquille::policy::explain(c).is_none() {
                return Err(AppError::Usage(format!(
                    "unknown finding code \"{c}\"; `coquille explain` lists them"
                )));
            }
            overrides.push((c.clone(), level));
        }
    }
    let home = args
        .home
        .clone()
        .or(policy.home.clone())
        .unwrap_or_else(|| "MA".into());
    let reg = app::registry(args.vendors.as_deref())?;
    let progress = app::progress::Progress::on_stderr(args.quiet);
    let reports = app::analyze(
        &reg,
        &home,
        &args.inputs,
        &coquille::ingest::Options::default(),
        &app::tender::policy_requirements(&policy),
        &progress,
    );
    drop(progress);
    let reports = skipped_note(reports?);
    let outputs = parse_outputs(
        &args.outputs,
        &["text", "json", "md", "sarif", "junit"],
        "sarif=coquille.sarif",
    )?;
    let exceptions = app::exceptions(&policy, &args.inputs)?;
    let known = match &args.baseline {
        Some(p) => Some(app::baseline(p)?),
        None => None,
    };
    let today = gate::today();
    let outcomes: Vec<Outcome> = reports
        .iter()
        .map(|r| {
            let mut findings = gate::apply(&policy, r, &overrides);
            gate::except(&mut findings, &r.bid.id, &exceptions, &today);
            let mut o = Outcome {
                report: r,
                findings,
            };
            if let Some(k) = &known {
                o.mark_known(k);
            }
            o
        })
        .collect();
    // Placing SARIF results reads the inputs again: only when SARIF is asked for.
    let sarif = args.format == CheckFormat::Sarif || outputs.iter().any(|(f, _)| *f == "sarif");
    type Locate = Box<dyn Fn(&str, &str) -> Option<(u64, u64)>>;
    let locate: Locate = if sarif {
        Box::new(app::locator(&reports, coquille::ingest::DEFAULT_MAX_BYTES))
    } else {
        Box::new(|_: &str, _: &str| None)
    };
    let render = |f: CheckFormat| match f {
        CheckFormat::Text => out::text(&policy, &outcomes),
        CheckFormat::Json => out::json(&policy, &outcomes),
        CheckFormat::Md => out::markdown(&policy, &outcomes),
        CheckFormat::Sarif => out::sarif(&policy, &outcomes, &locate),
        CheckFormat::Junit => out::junit(&policy, &outcomes),
    };
    for (format, file) in &outputs {
        let format = match *format {
            "text" => CheckFormat::Text,
            "json" => CheckFormat::Json,
            "md" => CheckFormat::Md,
            "sarif" => CheckFormat::Sarif,
            _ => CheckFormat::Junit,
        };
        output::write_atomic(file, render(format).as_bytes())?;
    }
    if !args.quiet {
        print(&render(args.format))?;
    }
    if outcomes.iter().all(Outcome::passed) {
        Ok(())
    } else {
        Err(AppError::Failed(format!("policy {} failed", policy.id)))
    }
}

/// `--output FORMAT=FILE` values, checked against `formats` before any work is done.
fn parse_outputs(
    values: &[String],
    formats: &[&'static str],
    example: &str,
) -> Result<Vec<(&'static str, PathBuf)>, AppError> {
    values
        .iter()
        .map(|v| {
            let (f, file) = v
                .split_once('=')
                .filter(|(_, p)| !p.is_empty())
                .ok_or_else(|| {
                    AppError::Usage(format!(
                        "--output \"{v}\": expected FORMAT=FILE, e.g. {example}"
                    ))
                })?;
            let f = formats
                .iter()
                .find(|x| x.eq_ignore_ascii_case(f))
                .ok_or_else(|| {
                    AppError::Usage(format!(
                        "--output \"{v}\": format \"{f}\" is not {}",
                        formats.join(", ")
                    ))
                })?;
            Ok((*f, PathBuf::from(file)))
        })
        .collect()
}

/// Say on stderr how many files folder walks passed over; hand on the reports.
fn skipped_note(a: app::Analyzed) -> Vec<coquille::report::Report> {
    if a.skipped > 0 {
        eprintln!(
            "{} file(s) in the folders given are neither an SBOM nor a bid manifest: skipped",
            a.skipped
        );
    }
    a.reports
}

fn is_tender(p: &Path) -> bool {
    std::fs::read_to_string(p).is_ok_and(|t| t.contains("schema = \"coquille.tender/1\""))
}

fn diff(args: DiffArgs) -> Result<(), AppError> {
    let reg = app::registry(args.vendors.as_deref())?;
    let opts = coquille::ingest::Options::default();
    // Two tenders: every bid that appears in both is compared by its id.
    let pairs: Vec<(coquille::report::Report, coquille::report::Report)> =
        if is_tender(&args.old) && is_tender(&args.new) {
            let run = |p: &Path| {
                app::tender::run(&app::DiskFiles, &reg, &p.to_string_lossy(), &opts)
                    .map(|(_, _, r, _)| r)
            };
            let (old, new) = (run(&args.old)?, run(&args.new)?);
            let mut pairs = Vec::new();
            for n in new {
                match old.iter().find(|o| o.bid.id == n.bid.id) {
                    Some(o) => pairs.push((o.clone(), n)),
                    None => eprintln!("bid {} is new in {}", n.bid.id, args.new.display()),
                }
            }
            pairs
        } else {
            let side = |p: &Path| -> Result<coquille::report::Report, AppError> {
                let mut r = app::analyze(
                    &reg,
                    &args.home,
                    &[p.to_path_buf()],
                    &opts,
                    &coquille::analyse::Requirements::default(),
                    &app::progress::Progress::hidden(),
                )?
                .reports;
                if r.len() != 1 {
                    return Err(AppError::Usage(format!(
                        "{}: diff compares one bid, SBOM or tender with another",
                        p.display()
                    )));
                }
                Ok(r.remove(0))
            };
            vec![(side(&args.old)?, side(&args.new)?)]
        };
    let diffs: Vec<app::diff::Diff> = pairs.iter().map(|(o, n)| app::diff::diff(o, n)).collect();
    let text = match args.format {
        Format::Json if diffs.len() == 1 => format!(
            "{}\n",
            serde_json::to_string_pretty(&diffs[0]).expect("serialisable")
        ),
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&diffs).expect("serialisable")
        ),
        Format::Text => diffs
            .iter()
            .map(app::diff::text)
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Md => diffs
            .iter()
            .map(app::diff::markdown)
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Jsonl => diffs
            .iter()
            .map(|d| serde_json::to_string(d).expect("serialisable") + "\n")
            .collect(),
    };
    print(&text)?;
    let added: usize = diffs
        .iter()
        .map(|d| d.added_foreign_controllers.len())
        .sum();
    let worse = diffs.iter().filter(|d| d.verdict_worse).count();
    if args.fail_on_new_foreign && added > 0 {
        return Err(AppError::Failed(format!(
            "{added} new foreign controller(s)"
        )));
    }
    if (args.fail_on_new_foreign || args.fail_on_verdict_worse) && worse > 0 {
        return Err(AppError::Failed(format!("{worse} verdict(s) got worse")));
    }
    Ok(())
}

fn tender(args: TenderArgs) -> Result<(), AppError> {
    let reg = app::registry(args.vendors.as_deref())?;
    let path = args.tender.to_string_lossy().into_owned();
    let (t, _, reports, ranking) = app::tender::run(
        &app::DiskFiles,
        &reg,
        &path,
        &coquille::ingest::Options::default(),
    )?;
    let lang = args
        .lang
        .unwrap_or(if t.tender.lang.as_deref() == Some("fr") {
            Lang::Fr
        } else {
            Lang::En
        });
    let out = args
        .out
        .unwrap_or_else(|| Path::new("reports").join(output::safe_name(&t.tender.id)));
    let mut files = output::report_set(&reports, true, lang, Some(&ranking));
    if args.csv_bom {
        output::with_csv_bom(&mut files);
    }
    output::write_set(&out, &files)?;
    print(&tender_summary(&ranking, &reports, &out, lang))
}

/// The templates `coquille init` writes.
const TEMPLATES: &[(&str, &str)] = &[
    ("tender.toml", include_str!("../templates/tender.toml")),
    ("policy.toml", include_str!("../templates/policy.toml")),
    ("bid/bid.toml", include_str!("../templates/bid/bid.toml")),
];

fn init(dir: &Path) -> Result<(), AppError> {
    let existing: Vec<String> = TEMPLATES
        .iter()
        .map(|(n, _)| dir.join(n))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(AppError::Usage(format!(
            "not overwriting {}",
            existing.join(", ")
        )));
    }
    for (name, text) in TEMPLATES {
        output::write_atomic(&dir.join(name), text.as_bytes())?;
    }
    print(&format!(
        "wrote {}/tender.toml, policy.toml and bid/bid.toml; edit them, then run `coquille tender {}/tender.toml`\n",
        dir.display(),
        dir.display()
    ))
}

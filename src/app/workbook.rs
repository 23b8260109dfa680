//! `report.xlsx` for Excel and LibreOffice: the summary, the bids compared (with the
//! criteria grid of a tender), layers, components, findings, ownership chains and sources,
//! each sheet with a frozen header, a filter, set column widths and the charts' colours for
//! control. Cells are written as strings or numbers, never formulas, so nothing a bidder
//! writes is evaluated.

use super::tender::{CRITERIA, TenderResult};
use crate::i18n::{self, Lang};
use crate::report::Report;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError,
};

/// Excel's limit for one cell's text.
const MAX_CELL: usize = 32_000;
/// Excel's last row, less the header and a note.
const MAX_ROWS: usize = 1_048_574;

/// The fill of a control value: the palette of the charts (Okabe–Ito).
fn control_color(control: &str) -> Option<Color> {
    Some(Color::RGB(match control {
        "home" => 0x0072B2,
        "foreign" => 0xD55E00,
        "foreign-supply" => 0xE69F00,
        "community" => 0x009E73,
        "unknown" => 0x8C8C8C,
        _ => return None,
    }))
}

/// A cell's text made inert (control, bidi and XML-illegal characters) and cut to what Excel accepts.
fn clip(s: &str) -> String {
    use crate::render::escape::{is_bidi_control, is_xml_illegal};
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .map(|c| {
            if is_bidi_control(c) || is_xml_illegal(c) {
                '\u{fffd}'
            } else {
                c
            }
        })
        .scan(0usize, |len, c| {
            *len += c.len_utf8();
            (*len <= MAX_CELL).then_some(c)
        })
        .collect()
}

/// One value of a row.
enum Cell {
    Text(String),
    Number(f64),
    /// A control value, filled with its colour.
    Control(String),
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

/// How a sheet holds its cells until the workbook is saved.
#[derive(Clone, Copy)]
enum Memory {
    /// In memory (rust_xlsxwriter's default, with a shared string table).
    Held,
    /// Each row written to a temporary file as soon as the next begins (rust_xlsxwriter's
    /// constant-memory mode, strings inline): for the sheet of a million components.
    Streamed,
}

/// A sheet: its name, headers with widths, and rows, written as the iterator yields them.
fn sheet(
    wb: &mut Workbook,
    name: &str,
    headers: &[(&str, f64)],
    rows: impl IntoIterator<Item = Vec<Cell>>,
    memory: Memory,
) -> Result<(), XlsxError> {
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xF6F6F4));
    let ws: &mut Worksheet = match memory {
        Memory::Held => wb.add_worksheet(),
        Memory::Streamed => wb.add_worksheet_with_constant_memory()?,
    };
    ws.set_name(name)?;
    for (c, (h, width)) in headers.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, *h, &head)?;
        ws.set_column_width(c, *width)?;
    }
    let mut total = 0usize;
    for row in rows {
        total += 1;
        if total > MAX_ROWS {
            continue;
        }
        let r = total as u32;
        for (c, cell) in row.into_iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => {
                    ws.write_string(r, c, clip(&s))?;
                }
                Cell::Number(x) => {
                    ws.write_number(r, c, x)?;
                }
                Cell::Control(s) => match control_color(&s) {
                    Some(color) => {
                        let f = Format::new()
                            .set_background_color(color)
                            .set_font_color(Color::White);
                        ws.write_string_with_format(r, c, clip(&s), &f)?;
                    }
                    None => {
                        ws.write_string(r, c, clip(&s))?;
                    }
                },
            }
        }
    }
    let last = total.min(MAX_ROWS) as u32;
    if total > MAX_ROWS {
        ws.write_string(
            last + 1,
            0,
            format!(
                "… {} more rows: components.csv lists them all",
                total - MAX_ROWS
            ),
        )?;
    }
    ws.set_freeze_panes(1, 0)?;
    if !headers.is_empty() {
        ws.autofilter(0, 0, last.max(1), headers.len() as u16 - 1)?;
    }
    Ok(())
}

fn summary_rows(reports: &[Report], lang: Lang) -> Vec<Vec<Cell>> {
    reports
        .iter()
        .map(|r| {
            let s = &r.summary;
            let sev =
                |k: &str| Cell::Number(s.findings_by_severity.get(k).copied().unwrap_or(0) as f64);
            vec![
                r.bid.id.as_str().into(),
                r.bid.title.as_str().into(),
                i18n::verdict(lang, s.verdict).into(),
                lang.pick(&s.sentence, &s.sentence_fr).into(),
                r.face.bidder_name.as_str().into(),
                r.face.controller_label().into(),
                s.engine_entities.join(", ").into(),
                Cell::Number(r.face.foreign_share),
                Cell::Number(s.components as f64),
                Cell::Number(r.coverage.ratio),
                sev("deny"),
                sev("warn"),
                sev("info"),
            ]
        })
        .collect()
}

fn compared_rows(t: &TenderResult, lang: Lang) -> Vec<Vec<Cell>> {
    t.ranking
        .iter()
        .map(|r| {
            let mut row: Vec<Cell> = vec![
                Cell::Number(r.rank as f64),
                r.bid.as_str().into(),
                if r.passed {
                    lang.pick("accepted", "retenue")
                } else {
                    lang.pick("rejected", "rejetée")
                }
                .into(),
                i18n::verdict(lang, &r.verdict).into(),
                lang.pick(&r.decided_by.0, &r.decided_by.1).into(),
                r.engines.as_str().into(),
                r.seal
                    .map_or(Cell::Text("—".into()), |x| Cell::Number(x.into())),
                r.score.map_or(Cell::Text("—".into()), Cell::Number),
            ];
            row.extend(r.grid.iter().map(|(_, ok)| {
                Cell::Text(
                    match ok {
                        Some(true) => "✓",
                        Some(false) => "✗",
                        None => "—",
                    }
                    .into(),
                )
            }));
            row
        })
        .collect()
}

fn layer_rows(reports: &[Report], lang: Lang) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for r in reports {
        for l in &r.layers {
            let yes_no = |b: bool| {
                if b {
                    lang.pick("yes", "oui")
                } else {
                    lang.pick("no", "non")
                }
            };
            rows.push(vec![
                r.bid.id.as_str().into(),
                i18n::layer(lang, &l.layer).into(),
                yes_no(l.critical).into(),
                yes_no(l.missing).into(),
                Cell::Control(l.control.to_string()),
                l.engines_label().unwrap_or_default().into(),
                l.product.clone().unwrap_or_default().into(),
                l.vendor.clone().unwrap_or_default().into(),
                l.operator.clone().unwrap_or_default().into(),
                l.sites.join(", ").into(),
                l.licence.clone().unwrap_or_default().into(),
                l.requires_vendor_online.map(yes_no).unwrap_or("").into(),
                l.evidence.join(" | ").into(),
            ]);
        }
    }
    rows
}

/// One row per component of every report, built as the sheet writes it.
fn component_rows(reports: &[Report]) -> impl Iterator<Item = Vec<Cell>> + '_ {
    reports.iter().flat_map(|r| {
        r.components.iter().map(move |c| {
            let k = c.controller.as_ref();
            vec![
                r.bid.id.as_str().into(),
                c.name.into(),
                c.version.unwrap_or_default().into(),
                c.kind.into(),
                c.purl.unwrap_or_default().into(),
                c.layer.into(),
                c.dependency.into(),
                k.map(|k| k.name.clone()).unwrap_or_default().into(),
                k.map(|k| k.country.clone()).unwrap_or_default().into(),
                c.attribution.map(|a| a.evidence).unwrap_or_default().into(),
            ]
        })
    })
}

fn finding_rows(reports: &[Report], lang: Lang) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for r in reports {
        for f in &r.findings {
            rows.push(vec![
                r.bid.id.as_str().into(),
                f.code.as_str().into(),
                i18n::finding_title(lang, &f.code).into(),
                i18n::severity(lang, f.severity.as_str()).into(),
                f.layer.clone().unwrap_or_default().into(),
                lang.pick(&f.message, &f.message_fr).into(),
                f.laws.join(" | ").into(),
                f.evidence.join(" | ").into(),
            ]);
        }
    }
    rows
}

fn chain_rows(reports: &[Report], lang: Lang) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for r in reports {
        for l in &r.layers {
            for (i, link) in l.engine_chain.iter().enumerate() {
                rows.push(vec![
                    r.bid.id.as_str().into(),
                    i18n::layer(lang, &l.layer).into(),
                    Cell::Number(i as f64),
                    link.name.as_str().into(),
                    link.country.as_str().into(),
                    link.share.map_or(Cell::Text(String::new()), Cell::Number),
                    link.look_through
                        .map_or(Cell::Text(String::new()), Cell::Number),
                    if link.controls {
                        lang.pick("yes", "oui")
                    } else {
                        lang.pick("no", "non")
                    }
                    .into(),
                    link.source.as_str().into(),
                    // The line holding that source (a further quote's, when the country
                    // comes from one), so the two cells cite the same thing.
                    link.source_row().into(),
                ]);
            }
        }
    }
    rows
}

fn source_rows(reports: &[Report]) -> Vec<Vec<Cell>> {
    let mut seen = std::collections::BTreeSet::new();
    let mut rows = Vec::new();
    for r in reports {
        for s in &r.registry_rows {
            if seen.insert(s.row.clone()) {
                rows.push(vec![
                    s.row.as_str().into(),
                    s.entity.as_str().into(),
                    s.name.as_str().into(),
                    s.country.as_str().into(),
                    s.source.as_str().into(),
                    s.as_of.as_str().into(),
                ]);
            }
        }
        for i in &r.inputs {
            if seen.insert(i.path.clone()) {
                rows.push(vec![
                    i.path.as_str().into(),
                    "".into(),
                    i.format.as_str().into(),
                    "".into(),
                    format!("sha256 {}", i.sha256).into(),
                    "".into(),
                ]);
            }
        }
    }
    rows
}

/// One line per fact of every registry row used, with the sentence that states it, so that
/// an auditor can check each fact against its source; an unquoted fact says so.
fn fact_rows(reports: &[Report], lang: Lang) -> Vec<Vec<Cell>> {
    let mut seen = std::collections::BTreeSet::new();
    let mut rows = Vec::new();
    for r in reports {
        for s in &r.registry_rows {
            if !seen.insert(s.row.clone()) {
                continue;
            }
            for c in &s.facts {
                let quote = if c.confirmed() {
                    c.quote.clone()
                } else {
                    crate::i18n::label(lang, "fact_unconfirmed").to_string()
                };
                rows.push(vec![
                    s.entity.as_str().into(),
                    crate::i18n::label(lang, &format!("fact_{}", c.fact.as_str())).into(),
                    quote.into(),
                    c.source.as_str().into(),
                    c.as_of.as_str().into(),
                    c.row.as_str().into(),
                ]);
            }
        }
    }
    rows
}

/// The workbook of a report set, in one language.
pub fn workbook(
    reports: &[Report],
    tender: Option<&TenderResult>,
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // Reports carry no wall-clock time: the same inputs give the same bytes. The creation
    // date is the zip format's own epoch, as the archive's entries have.
    wb.set_properties(
        &DocProperties::new()
            .set_title(lang.pick(
                "coquille sovereignty report",
                "Rapport de souveraineté coquille",
            ))
            .set_creation_datetime(&ExcelDateTime::from_ymd(1980, 1, 1)?),
    );
    let p = |en: &'static str, fr: &'static str| lang.pick(en, fr);
    sheet(
        &mut wb,
        p("Summary", "Synthèse"),
        &[
            (p("Bid", "Offre"), 22.0),
            (p("Title", "Titre"), 40.0),
            ("Verdict", 24.0),
            (p("In one sentence", "En une phrase"), 70.0),
            (p("Bidder", "Soumissionnaire"), 28.0),
            (p("Controlled by", "Contrôlé par"), 32.0),
            (p("Foreign engines", "Moteurs étrangers"), 40.0),
            (p("Foreign capital %", "Capital étranger %"), 12.0),
            (p("Components", "Composants"), 12.0),
            (p("Coverage", "Couverture"), 11.0),
            (p("Deny", "Bloquant"), 9.0),
            (p("Warn", "Alerte"), 9.0),
            ("Info", 9.0),
        ],
        summary_rows(reports, lang),
        Memory::Held,
    )?;
    if let Some(t) = tender {
        let mut headers: Vec<(&str, f64)> = vec![
            ("#", 5.0),
            (p("Bid", "Offre"), 22.0),
            (p("Result", "Résultat"), 11.0),
            ("Verdict", 24.0),
            (p("Decided by", "Ce qui a décidé"), 60.0),
            (p("Foreign engines", "Moteurs étrangers"), 40.0),
            ("SEAL", 7.0),
            ("Score", 8.0),
        ];
        headers.extend(
            CRITERIA
                .iter()
                .map(|(_, en, fr, _)| (lang.pick(en, fr), 14.0)),
        );
        sheet(
            &mut wb,
            p("Bids compared", "Offres comparées"),
            &headers,
            compared_rows(t, lang),
            Memory::Held,
        )?;
    }
    sheet(
        &mut wb,
        p("Layers", "Couches"),
        &[
            (p("Bid", "Offre"), 22.0),
            (p("Layer", "Couche"), 22.0),
            (p("Critical", "Critique"), 9.0),
            (p("Not described", "Non décrite"), 11.0),
            (p("Control", "Contrôle"), 15.0),
            (p("Engines", "Moteurs"), 40.0),
            (p("Product", "Produit"), 36.0),
            (p("Vendor", "Fournisseur"), 26.0),
            (p("Operator", "Exploitant"), 30.0),
            (p("Sites", "Sites"), 18.0),
            (p("Licence", "Licence"), 13.0),
            (
                p("Needs its vendor online", "Dépend du fournisseur en ligne"),
                14.0,
            ),
            (p("Evidence", "Preuves"), 80.0),
        ],
        layer_rows(reports, lang),
        Memory::Held,
    )?;
    sheet(
        &mut wb,
        p("Components", "Composants"),
        &[
            (p("Bid", "Offre"), 22.0),
            (p("Name", "Nom"), 30.0),
            ("Version", 12.0),
            ("Type", 12.0),
            ("purl", 40.0),
            (p("Layer", "Couche"), 14.0),
            (p("Dependency", "Dépendance"), 16.0),
            (p("Controller", "Contrôleur"), 30.0),
            (p("Country", "Pays"), 8.0),
            (p("Evidence", "Preuves"), 80.0),
        ],
        component_rows(reports),
        Memory::Streamed,
    )?;
    sheet(
        &mut wb,
        p("Findings", "Constats"),
        &[
            (p("Bid", "Offre"), 22.0),
            ("Code", 24.0),
            (p("Finding", "Constat"), 30.0),
            (p("Severity", "Gravité"), 10.0),
            (p("Layer", "Couche"), 14.0),
            ("Message", 80.0),
            (p("Laws", "Lois"), 40.0),
            (p("Evidence", "Preuves"), 80.0),
        ],
        finding_rows(reports, lang),
        Memory::Held,
    )?;
    sheet(
        &mut wb,
        p("Ownership chains", "Chaînes de contrôle"),
        &[
            (p("Bid", "Offre"), 22.0),
            (p("Layer", "Couche"), 22.0),
            (p("Level", "Niveau"), 7.0),
            (p("Entity", "Entité"), 34.0),
            (p("Country", "Pays"), 8.0),
            (p("Share %", "Part %"), 9.0),
            (p("Look-through %", "Par transparence %"), 12.0),
            (p("Controls", "Contrôle"), 9.0),
            ("Source", 50.0),
            (p("Registry row", "Ligne du registre"), 36.0),
        ],
        chain_rows(reports, lang),
        Memory::Held,
    )?;
    sheet(
        &mut wb,
        p("Sources", "Sources"),
        &[
            (
                p("Registry row or input", "Ligne du registre ou entrée"),
                40.0,
            ),
            (p("Entity", "Entité"), 22.0),
            (p("Name", "Nom"), 34.0),
            (p("Country", "Pays"), 8.0),
            ("Source", 60.0),
            (p("As of", "À la date du"), 12.0),
        ],
        source_rows(reports),
        Memory::Held,
    )?;
    sheet(
        &mut wb,
        p("Facts", "Faits"),
        &[
            (p("Entity", "Entité"), 22.0),
            (p("Fact", "Fait"), 14.0),
            (
                p(
                    "Sentence of the source that states it",
                    "Phrase de la source qui l'établit",
                ),
                70.0,
            ),
            ("Source", 50.0),
            (p("As of", "À la date du"), 12.0),
            (p("Registry row", "Ligne du registre"), 36.0),
        ],
        fact_rows(reports, lang),
        Memory::Held,
    )?;
    wb.save_to_buffer()
}

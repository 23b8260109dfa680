//! `report.html`: one self-contained file (inline CSS and SVG, no script, no
//! network) that a procurement committee can read on screen and print on A4.
//! Every piece of bid content goes through [`esc`]; links are kept only for
//! http(s) URLs.

// HTML lines end in "\n" inside the format strings on purpose: one element per source line.
#![allow(clippy::write_with_newline)]

use crate::i18n::{self, Lang, label};
use crate::report::{LayerOut, Report};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Components listed in the HTML before it points to components.csv instead.
pub const MAX_COMPONENT_ROWS: usize = 300;

/// Charts to embed, as (title, inline SVG), per bid id and for the comparison.
#[derive(Debug, Clone, Default)]
pub struct ChartSet {
    pub per_bid: BTreeMap<String, Vec<(String, String)>>,
    pub comparison: Vec<(String, String)>,
    /// Files for `charts/` (SVG and PNG), by file name.
    pub files: Vec<(String, Vec<u8>)>,
    /// Already-escaped HTML placed first (a tender's ranking).
    pub preface: String,
    /// `@font-face` rules for the charts' font (see `charts::font_css`).
    pub font_css: String,
}

/// Escape text for HTML (and XML) element content and quoted attributes;
/// control characters, bidi overrides and XML noncharacters become U+FFFD.
pub fn esc(s: &str) -> String {
    // Most text is printable ASCII with nothing to escape: copied as it is. (No ASCII
    // character is a bidi control or XML-illegal but the control characters.)
    if s.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c if super::escape::is_bidi_control(c) || super::escape::is_xml_illegal(c) => {
                out.push('\u{fffd}')
            }
            c => out.push(c),
        }
    }
    out
}

/// A link for http(s) URLs, plain text for anything else (`javascript:`, `data:`…).
fn link(url: &str) -> String {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    if (lower.starts_with("https://") || lower.starts_with("http://"))
        && !u.contains(char::is_whitespace)
    {
        format!("<a href=\"{}\">{}</a>", esc(u), esc(u))
    } else {
        esc(u)
    }
}

/// Replace every http(s) URL inside a text by a link, escaping the rest.
/// A word without the punctuation that follows a URL in a sentence: a trailing `,`, `;`, `.`,
/// `"`, and a `)` that closes nothing in the URL (`…/Canonical_(company)` keeps its own).
fn url_in(word: &str) -> &str {
    let mut w = word;
    loop {
        let before = w.len();
        w = w.trim_end_matches([',', ';', '.', '"']);
        if w.ends_with(')') && w.matches('(').count() < w.matches(')').count() {
            w = &w[..w.len() - 1];
        }
        if w.len() == before {
            return w;
        }
    }
}

/// One evidence line as a list item. Evidence lines are citations written in English whatever
/// the report's language (input positions, registry rows and the registry's own notes), so a
/// French page marks them as English text, as WCAG's "language of parts" asks.
fn evidence_item(lang: Lang, text: &str) -> String {
    match lang {
        Lang::En => format!("<li>{}</li>", linkify(text)),
        Lang::Fr => format!("<li lang=\"en\">{}</li>", linkify(text)),
    }
}

fn linkify(text: &str) -> String {
    let mut out = String::new();
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let trimmed = url_in(word);
        if trimmed.starts_with("https://") || trimmed.starts_with("http://") {
            out.push_str(&link(trimmed));
            out.push_str(&esc(&word[trimmed.len()..]));
        } else {
            out.push_str(&esc(word));
        }
    }
    out
}

const CSS: &str = r#"
:root{--home:#0072B2;--foreign:#D55E00;--supply:#E69F00;--community:#009E73;--unknown:#8c8c8c;--ink:#1b1b1b;--muted:#5a5a5a;--line:#d9d9d9;--bg:#f6f6f4}
*{box-sizing:border-box}
body{font-family:"DejaVu Sans","Segoe UI",Arial,sans-serif;color:var(--ink);margin:0;background:#fff;line-height:1.45;font-size:15px}
main{max-width:1100px;margin:0 auto;padding:24px 32px 48px}
header.top{border-bottom:3px solid var(--ink);padding-bottom:10px;margin-bottom:18px}
header.top h1{margin:0;font-size:26px}
header.top p{margin:4px 0 0;color:var(--muted)}
h2{font-size:22px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:17px;margin:22px 0 8px}
table{border-collapse:collapse;width:100%;margin:8px 0 14px;font-size:13.5px}
th,td{border:1px solid var(--line);padding:5px 7px;text-align:left;vertical-align:top}
th{background:var(--bg)}
td.num,th.num{text-align:right;white-space:nowrap}
tr{break-inside:avoid;page-break-inside:avoid}
.verdict{border-left:8px solid var(--unknown);background:var(--bg);padding:12px 16px;margin:10px 0 6px;font-size:16px}
.verdict strong{display:block;font-size:20px;margin-bottom:4px}
.v-sovereign{border-color:var(--community)}.v-local-shell{border-color:var(--foreign)}.v-foreign{border-color:#CC79A7}.v-insufficient-evidence{border-color:var(--unknown)}
.chip{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12.5px;color:#fff;white-space:nowrap}
.c-home{background:var(--home)}.c-foreign{background:var(--foreign)}.c-foreign-supply{background:var(--supply);color:#1b1b1b}.c-community{background:var(--community)}.c-unknown{background:var(--unknown)}
.sev{font-weight:bold;text-transform:uppercase;font-size:12px}
.s-deny{color:#b13f00}.s-warn{color:#8a5a00}.s-info{color:var(--muted)}
.eng{display:flex;justify-content:space-between;gap:8px;white-space:nowrap;margin:1px 0}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:18px}
table.grid{width:auto;min-width:60%}table.grid tbody th{font-weight:normal;background:none}table.grid td{min-width:5.5em}
table.grid td.ok{color:#006b4f;font-weight:bold;text-align:center}table.grid td.ko{color:#b13f00;font-weight:bold;text-align:center;background:#fbeae1}table.grid td.na{color:var(--muted);text-align:center}
table.summary strong.pass{color:#006b4f}table.summary strong.fail{color:#b13f00}
details{margin:4px 0}details summary{cursor:pointer}
.box{border:1px solid var(--line);padding:10px 14px;background:#fff}
.box h3{margin-top:0}
.muted{color:var(--muted)}
.evidence{font-size:12px;color:var(--muted);margin:2px 0 0 0;padding-left:18px;word-break:break-word}
.chart{margin:8px 0 16px;break-inside:avoid;page-break-inside:avoid}
.chart svg{max-width:100%;height:auto}
.chart svg text{font-kerning:none;font-variant-ligatures:none}
code,.mono{font-family:"DejaVu Sans Mono",Consolas,monospace;font-size:12px;word-break:break-all}
q.src{font-style:italic;color:#333}
:lang(fr) q.src{quotes:"\00AB\00A0" "\00A0\00BB"}
table.registry td:first-child{width:24%}
table.registry td:last-child{word-break:break-word}
a{color:#00558a}
section.bid{margin-top:12px}
footer{margin-top:36px;border-top:1px solid var(--line);padding-top:8px;color:var(--muted);font-size:12.5px}
@page{size:A4;margin:12mm 12mm}
@media print{
 body{font-size:10pt}
 header.top h1{font-size:18pt}
 h2{font-size:14pt;margin:14px 0 6px}
 h3{font-size:11.5pt;margin:10px 0 4px}
 p,details{margin:4px 0}details{font-size:9pt}
 th,td{padding:3px 5px}
 main{max-width:none;padding:0}
 section.bid,section.tender~section.comparison{break-before:page;page-break-before:always}
 section.bid.single{break-before:auto;page-break-before:auto}
 .single .exec{break-after:page;page-break-after:always}
 table.summary{font-size:8.5pt}table.summary td:nth-child(2){width:22%}table.summary td:nth-child(5){width:26%}table.summary td:nth-child(6){width:24%}
 h2,h3{break-after:avoid;page-break-after:avoid}
 .cols{grid-template-columns:1fr 1fr}
 a{color:inherit;text-decoration:none}
 table{font-size:8.5pt}
 thead{display:table-header-group}
}
@media screen and (max-width:760px){.cols{grid-template-columns:1fr}main{padding:12px}}
"#;

/// A percentage: `35.0 %` in English, `35,0 %` (narrow no-break space) in French.
pub fn pct(lang: Lang, x: f64) -> String {
    match lang {
        Lang::En => format!("{x:.1} %"),
        Lang::Fr => crate::i18n::pourcentage(x),
    }
}

/// ": " in English, " : " in French typography.
fn colon(lang: Lang) -> &'static str {
    lang.pick(": ", " : ")
}

fn chip(lang: Lang, control: &str) -> String {
    format!(
        "<span class=\"chip c-{}\">{}</span>",
        esc(control),
        esc(i18n::control(lang, control))
    )
}

fn ctl_text(lang: Lang, l: &LayerOut) -> String {
    match l.engines_label() {
        Some(e) => esc(&e),
        None if l.missing => esc(label(lang, "not_described")),
        None => esc(label(lang, "unknown")),
    }
}

/// Render one or more bids into one HTML document.
pub fn render(reports: &[Report], lang: Lang, charts: &ChartSet) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let title = if reports.len() == 1 {
        format!("{} — {}", label(lang, "report"), reports[0].bid.title)
    } else {
        format!(
            "{} — {} {}",
            label(lang, "report"),
            reports.len(),
            lang.pick("bids", "offres")
        )
    };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"coquille {}\">\n<title>{}</title>\n<style>{CSS}{}</style>\n</head>\n<body>\n<main>\n",
        lang.code(),
        env!("CARGO_PKG_VERSION"),
        esc(&title),
        charts.font_css
    );
    let home = reports.first().map_or("", |r| r.home.as_str());
    let _ = write!(
        h,
        "<header class=\"top\"><h1>{}</h1><p>{}{}<strong>{}</strong> · coquille {}</p></header>\n",
        esc(&title),
        label(lang, "home"),
        colon(lang),
        esc(home),
        env!("CARGO_PKG_VERSION")
    );
    h.push_str(&charts.preface);
    if reports.len() > 1 {
        comparison(&mut h, reports, lang, charts);
    }
    for r in reports {
        bid(
            &mut h,
            r,
            reports.len() == 1,
            lang,
            charts
                .per_bid
                .get(&r.bid.id)
                .map(Vec::as_slice)
                .unwrap_or_default(),
        );
    }
    let _ = write!(
        h,
        "<footer>{}. {}</footer>\n</main>\n</body>\n</html>\n",
        label(lang, "generated"),
        label(lang, "deterministic")
    );
    h
}

fn comparison(h: &mut String, reports: &[Report], lang: Lang, charts: &ChartSet) {
    // The chart answers first; the table under it gives each bid's words.
    let _ = write!(
        h,
        "<section class=\"comparison\"><h2>{}</h2>\n",
        label(lang, "comparison")
    );
    for (t, svg) in &charts.comparison {
        let _ = write!(
            h,
            "<figure class=\"chart\" aria-label=\"{}\">{svg}</figure>\n",
            esc(t)
        );
    }
    let _ = write!(
        h,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
        label(lang, "bid"),
        label(lang, "verdict"),
        label(lang, "face"),
        label(lang, "engine")
    );
    for r in reports {
        let s = &r.summary;
        let face = match &r.face.controller {
            Some(c) => format!(
                "{} — {} {} ({})",
                esc(r.face.bidder_in(lang)),
                label(lang, "controlled_by"),
                esc(&c.name),
                esc(&c.country)
            ),
            None => esc(r.face.bidder_in(lang)),
        };
        let engine: Vec<String> = r
            .layers
            .iter()
            .filter(|l| l.critical)
            .map(|l| {
                format!(
                    "<div class=\"eng\"><span>{}</span>{}</div>",
                    esc(i18n::layer(lang, &l.layer)),
                    chip(lang, l.control)
                )
            })
            .collect();
        let _ = write!(
            h,
            "<tr><td><a href=\"#bid-{}\">{}</a></td><td><strong>{}</strong><br><span class=\"muted\">{}</span></td><td>{face}</td><td>{}</td></tr>\n",
            esc(&r.bid.id),
            esc(&r.bid.title),
            esc(i18n::verdict(lang, s.verdict)),
            esc(lang.pick(&s.sentence, &s.sentence_fr)),
            engine.join("")
        );
    }
    h.push_str("</tbody></table>\n</section>\n");
}

/// One bid's section. A report on one bid opens with its executive summary
/// (`#summary`: verdict, reasons, face and engine), alone on the first
/// printed page.
fn bid(h: &mut String, r: &Report, single: bool, lang: Lang, charts: &[(String, String)]) {
    let sep = colon(lang);
    let s = &r.summary;
    let _ = write!(
        h,
        "<section class=\"bid{}\" id=\"bid-{}\">\n{}<div class=\"exec\"{}>\n",
        if single { " single" } else { "" },
        esc(&r.bid.id),
        // A report on one bid already names it in its title.
        if single {
            String::new()
        } else {
            format!("<h2>{}</h2>\n", esc(&r.bid.title))
        },
        if single { " id=\"summary\"" } else { "" }
    );
    let _ = write!(
        h,
        "<div class=\"verdict v-{}\"><strong>{}{sep}{}</strong>{}</div>\n",
        esc(s.verdict),
        label(lang, "verdict"),
        esc(i18n::verdict(lang, s.verdict)),
        esc(lang.pick(&s.sentence, &s.sentence_fr))
    );
    let reasons = if lang == Lang::Fr {
        &s.reasons_fr
    } else {
        &s.reasons
    };
    if !reasons.is_empty() {
        let _ = write!(h, "<p><strong>{}</strong></p><ul>", label(lang, "reasons"));
        for x in reasons {
            let _ = write!(h, "<li>{}</li>", esc(x));
        }
        h.push_str("</ul>\n");
    }

    // Face and engine.
    let _ = write!(
        h,
        "<h3>{}</h3>\n<div class=\"cols\">\n<div class=\"box\"><h3>{}</h3><p class=\"muted\">{}</p><ul>",
        label(lang, "face_engine"),
        label(lang, "face"),
        label(lang, "face_help")
    );
    let f = &r.face;
    match &f.controller {
        Some(c) => {
            let _ = write!(
                h,
                "<li>{}{sep}<strong>{}</strong> — {} {} ({})</li>",
                label(lang, "bidder"),
                esc(f.bidder_in(lang)),
                label(lang, "controlled_by"),
                esc(&c.name),
                esc(&c.country)
            );
        }
        None => {
            let _ = write!(
                h,
                "<li>{}{sep}<strong>{}</strong> — {}</li>",
                label(lang, "bidder"),
                esc(f.bidder_in(lang)),
                label(lang, "controller_unknown")
            );
        }
    }
    if !f.holders.is_empty() {
        let holders: Vec<String> = f
            .holders
            .iter()
            .map(|x| {
                format!(
                    "{} ({}) {}",
                    esc(&x.name),
                    esc(x.country.as_deref().unwrap_or("?")),
                    pct(lang, x.share)
                )
            })
            .collect();
        let _ = write!(
            h,
            "<li>{}{sep}{}</li>",
            label(lang, "owners"),
            holders.join(" ; ")
        );
        let _ = write!(
            h,
            "<li>{}{sep}{}</li>",
            label(lang, "foreign_share"),
            pct(lang, f.foreign_share)
        );
    }
    if !f.operators.is_empty() {
        let _ = write!(h, "<li>{}{sep}<ul>", label(lang, "operators"));
        for o in &f.operators {
            let layers: Vec<&str> = o.layers.iter().map(|l| i18n::layer(lang, l)).collect();
            let _ = write!(
                h,
                "<li>{}{}{}</li>",
                esc(&layers.join(", ")),
                colon(lang),
                esc(lang.pick(&o.who, &o.who_fr))
            );
        }
        h.push_str("</ul></li>");
    }
    let _ = write!(
        h,
        "<li>{}{sep}{}</li></ul></div>\n",
        label(lang, "sites"),
        esc(&f.site_countries.join(", "))
    );
    let _ = write!(
        h,
        "<div class=\"box\"><h3>{}</h3><p class=\"muted\">{}</p><ul>",
        label(lang, "engine"),
        label(lang, "engine_help")
    );
    for l in r.layers.iter().filter(|l| l.critical) {
        let _ = write!(
            h,
            "<li>{}{sep}{} {}</li>",
            esc(i18n::layer(lang, &l.layer)),
            ctl_text(lang, l),
            chip(lang, l.control)
        );
    }
    h.push_str("</ul></div>\n</div>\n</div>\n");

    for (t, svg) in charts {
        let _ = write!(
            h,
            "<figure class=\"chart\" aria-label=\"{}\">{svg}</figure>\n",
            esc(t)
        );
    }

    // Layers.
    let _ = write!(
        h,
        "<h3>{}</h3>\n<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead><tbody>\n",
        label(lang, "layers"),
        label(lang, "layer"),
        label(lang, "critical"),
        label(lang, "product"),
        label(lang, "controller"),
        label(lang, "control"),
        label(lang, "components"),
        label(lang, "sites")
    );
    for l in &r.layers {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
            esc(i18n::layer(lang, &l.layer)),
            label(lang, if l.critical { "yes" } else { "no" }),
            esc(l.product.as_deref().unwrap_or("")),
            ctl_text(lang, l),
            chip(lang, l.control),
            l.components,
            esc(&l.sites.join(", "))
        );
    }
    h.push_str("</tbody></table>\n");

    // Chains behind foreign controllers.
    let foreign: Vec<&LayerOut> = r
        .layers
        .iter()
        .filter(|l| matches!(l.control, "foreign" | "foreign-supply") && l.engine_chain.len() > 1)
        .collect();
    if !foreign.is_empty() {
        let _ = write!(h, "<h3>{}</h3>\n<ul>", label(lang, "chains"));
        let mut seen = std::collections::BTreeSet::new();
        for l in foreign {
            let key: Vec<&str> = l.engine_chain.iter().map(|c| c.entity.as_str()).collect();
            if !seen.insert(key.join(">")) {
                continue;
            }
            let links: Vec<String> = l
                .engine_chain
                .iter()
                .map(|c| {
                    let share = c.share.map(|x| format!(" — {x} %")).unwrap_or_default();
                    format!(
                        "{} ({}){share} <span class=\"muted\">[{}]</span>",
                        esc(&c.name),
                        esc(&c.country),
                        link(&c.source)
                    )
                })
                .collect();
            let _ = write!(
                h,
                "<li><strong>{}</strong> : {}</li>",
                esc(i18n::layer(lang, &l.layer)),
                links.join(" → ")
            );
        }
        h.push_str("</ul>\n");
    }

    // Questions for the bidder.
    if !r.questions.is_empty() {
        let _ = write!(
            h,
            "<h3>{}</h3><p class=\"muted\">{}</p>\n<ol class=\"questions\">",
            label(lang, "questions"),
            label(lang, "questions_help")
        );
        for q in &r.questions {
            let _ = write!(h, "<li>{}", esc(lang.pick(&q.question, &q.question_fr)));
            if q.changes_verdict {
                let _ = write!(h, " <em>({})</em>", label(lang, "changes_verdict"));
            }
            if !q.evidence.is_empty() {
                h.push_str("<ul class=\"evidence\">");
                for e in &q.evidence {
                    h.push_str(&evidence_item(lang, e));
                }
                h.push_str("</ul>");
            }
            h.push_str("</li>\n");
        }
        h.push_str("</ol>\n");
    }

    // Findings.
    let _ = write!(h, "<h3>{}</h3>\n", label(lang, "exposures"));
    if r.findings.is_empty() {
        let _ = write!(h, "<p>{}</p>", label(lang, "none"));
    } else {
        let _ = write!(
            h,
            "<table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>\n",
            label(lang, "severity"),
            label(lang, "finding")
        );
        for g in crate::report::grouped(&r.findings) {
            let f = g.first;
            let sev = f.severity.as_str();
            let _ = write!(
                h,
                "<tr><td><span class=\"sev s-{sev}\">{}</span></td><td><strong>{}</strong> <code>{}</code><br>{}",
                esc(i18n::severity(lang, sev)),
                esc(i18n::finding_title(lang, &f.code)),
                esc(&f.code),
                esc(lang.pick(&f.message, &f.message_fr))
            );
            if !g.more_layers.is_empty() {
                let layers: Vec<&str> =
                    g.more_layers.iter().map(|l| i18n::layer(lang, l)).collect();
                let _ = write!(
                    h,
                    " <em>{}{sep}{}.</em>",
                    label(lang, "also_layers"),
                    esc(&layers.join(", "))
                );
            }
            if !g.laws.is_empty() || !g.evidence.is_empty() {
                h.push_str("<ul class=\"evidence\">");
                for l in &g.laws {
                    let _ = write!(h, "<li>{}{sep}{}</li>", label(lang, "law"), linkify(l));
                }
                for e in g.evidence.iter().take(6) {
                    h.push_str(&evidence_item(lang, e));
                }
                if g.evidence.len() > 6 {
                    let _ = write!(h, "<li>… {} (report.json)</li>", g.evidence.len() - 6);
                }
                h.push_str("</ul>");
            }
            h.push_str("</td></tr>\n");
        }
        h.push_str("</tbody></table>\n");
    }

    // Blast radius.
    if !r.blast_radius.is_empty() {
        let _ = write!(
            h,
            "<h3>{}</h3><p class=\"muted\">{}</p>\n<table><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead><tbody>\n",
            label(lang, "blast"),
            label(lang, "blast_help"),
            label(lang, "controller"),
            label(lang, "attributed_direct"),
            label(lang, "affected"),
            label(lang, "affected_layers")
        );
        for b in &r.blast_radius {
            let layers: Vec<&str> = b
                .affected_layers
                .iter()
                .map(|l| i18n::layer(lang, l))
                .collect();
            let _ = write!(
                h,
                "<tr><td>{} ({})</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                esc(&b.controller.name),
                esc(&b.controller.country),
                b.direct,
                b.affected_items,
                esc(&layers.join(", "))
            );
        }
        h.push_str("</tbody></table>\n");
    }

    // Coverage.
    let c = &r.coverage;
    let _ = write!(
        h,
        "<h3>{}</h3>\n<p><strong>{} / {}</strong> ({}) {}</p>\n",
        label(lang, "coverage"),
        c.attributed,
        c.items,
        pct(lang, c.ratio * 100.0),
        label(lang, "coverage_text")
    );
    if !c.top_unknown.is_empty() {
        let top: Vec<String> = c
            .top_unknown
            .iter()
            .map(|(k, n)| format!("{} ({n})", esc(k)))
            .collect();
        let _ = write!(
            h,
            "<p class=\"muted\">{}{sep}{}</p>\n",
            label(lang, "top_unknown"),
            top.join(", ")
        );
    }

    // Components.
    components(h, &r.components, lang);

    // Appendix.
    let _ = write!(
        h,
        "<h3>{} — {}</h3>\n<table><thead><tr><th>{}</th><th>{}</th><th>SHA-256</th></tr></thead><tbody>\n",
        label(lang, "appendix"),
        label(lang, "inputs"),
        label(lang, "inputs"),
        label(lang, "format")
    );
    for i in &r.inputs {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"mono\">{}</td></tr>\n",
            esc(&i.path),
            esc(&i.format),
            esc(&i.sha256)
        );
    }
    h.push_str("</tbody></table>\n");
    if !r.registry_rows.is_empty() {
        let _ = write!(
            h,
            "<h3>{}</h3>\n<table class=\"registry\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{} — {}</th></tr></thead><tbody>\n",
            label(lang, "registry_rows"),
            label(lang, "entity"),
            label(lang, "country"),
            label(lang, "as_of"),
            label(lang, "source"),
            label(lang, "facts_quoted")
        );
        for row in &r.registry_rows {
            let _ = write!(
                h,
                "<tr><td>{}<br><span class=\"mono\">{}</span></td><td>{}</td><td>{}</td><td>{}<br>{}</td></tr>\n",
                esc(&row.name),
                esc(&row.row),
                esc(&row.country),
                esc(&row.as_of),
                link(&row.source),
                fact_cites(&row.facts, &row.source, lang)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</section>\n");
}

/// A registry row's facts, each with the sentence that states it and, when that sentence
/// comes from another source than the row's, a link to it; an unquoted fact says so.
fn fact_cites(facts: &[crate::registry::facts::Cite], row_source: &str, lang: Lang) -> String {
    // Facts stated by the same sentence are listed together, before it.
    let mut groups: Vec<(Vec<&str>, &crate::registry::facts::Cite)> = Vec::new();
    for c in facts {
        let name = label(lang, &format!("fact_{}", c.fact.as_str()));
        match groups.iter_mut().find(|(_, g)| {
            g.confirmed() == c.confirmed()
                && (!c.confirmed() || (g.quote == c.quote && g.source == c.source))
        }) {
            Some((names, _)) => names.push(name),
            None => groups.push((vec![name], c)),
        }
    }
    let mut out = String::new();
    for (names, c) in groups {
        if !out.is_empty() {
            out.push_str("<br>");
        }
        let names = esc(&names.join(", "));
        if c.confirmed() {
            // A source's sentence is verbatim, in the source's language: `<q>` sets it apart
            // (and lets the browser add the quotation marks of the report's language).
            let _ = write!(out, "<b>{names}</b> <q class=\"src\">{}</q>", esc(&c.quote));
            if c.source != row_source {
                let _ = write!(out, " — {}", link(&c.source));
            }
        } else {
            let _ = write!(
                out,
                "<b>{names}</b> <em>{}</em>",
                esc(label(lang, "fact_unconfirmed"))
            );
        }
    }
    out
}

fn components(h: &mut String, comps: &crate::report::Components, lang: Lang) {
    let _ = write!(
        h,
        "<h3>{} ({})</h3>\n",
        label(lang, "components_list"),
        comps.len()
    );
    if comps.len() > MAX_COMPONENT_ROWS {
        let _ = write!(
            h,
            "<p class=\"muted\">{}</p>\n",
            label(lang, "components_truncated")
        );
    }
    let _ = write!(
        h,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
        label(lang, "name"),
        label(lang, "version"),
        label(lang, "layer"),
        label(lang, "controller"),
        label(lang, "evidence")
    );
    for c in comps.iter().take(MAX_COMPONENT_ROWS) {
        let ctl = c.controller.as_ref().map_or_else(
            || esc(label(lang, "unknown")),
            |x| format!("{} ({})", esc(&x.name), esc(&x.country)),
        );
        let ev = c.attribution.as_ref().map_or(String::new(), |a| {
            format!("{} · {}", esc(a.method), esc(a.confidence))
        });
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{ctl}</td><td>{ev}</td></tr>\n",
            esc(&c.name),
            esc(c.version.as_deref().unwrap_or("")),
            esc(i18n::layer(lang, c.layer))
        );
    }
    h.push_str("</tbody></table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_keep_their_own_parentheses() {
        assert_eq!(
            url_in("https://en.wikipedia.org/wiki/Canonical_(company)"),
            "https://en.wikipedia.org/wiki/Canonical_(company)"
        );
        assert_eq!(
            url_in("https://en.wikipedia.org/wiki/Canonical_(company));"),
            "https://en.wikipedia.org/wiki/Canonical_(company)"
        );
        assert_eq!(url_in("https://a.example/x),"), "https://a.example/x");
        let h = linkify("per https://en.wikipedia.org/wiki/Amazon_(company) (vendors/e.csv:2)");
        assert!(
            h.contains("href=\"https://en.wikipedia.org/wiki/Amazon_(company)\""),
            "{h}"
        );
    }

    #[test]
    fn escaping_and_links() {
        assert_eq!(
            esc("<script>alert('x')</script>&\u{1b}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;\u{fffd}"
        );
        // Each character alone: the plain-ASCII path must not let one through.
        for (c, e) in [
            ("&", "&amp;"),
            ("<", "&lt;"),
            (">", "&gt;"),
            ("\"", "&quot;"),
            ("'", "&#39;"),
        ] {
            assert_eq!(esc(&format!("a{c}b")), format!("a{e}b"));
        }
        assert_eq!(esc("plain text 1.2"), "plain text 1.2");
        assert_eq!(esc("del\u{7f}"), "del\u{fffd}");
        assert_eq!(link("javascript:alert(1)"), "javascript:alert(1)");
        assert!(
            link("https://example.org/a?b=1&c=2")
                .starts_with("<a href=\"https://example.org/a?b=1&amp;c=2\">")
        );
        assert_eq!(
            linkify("see https://x.org/a, and javascript:y"),
            "see <a href=\"https://x.org/a\">https://x.org/a</a>, and javascript:y"
        );
    }
}

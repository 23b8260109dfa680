use super::*;
use crate::report::Report;
use std::sync::OnceLock;

/// The demo tender's reports, from the real pipeline, built once.
fn demo() -> &'static [Report] {
    static REPORTS: OnceLock<Vec<Report>> = OnceLock::new();
    REPORTS.get_or_init(|| {
        let reg = crate::app::registry(None).expect("embedded registry");
        crate::app::demo(&reg).expect("demo reports")
    })
}

fn charts(lang: Lang) -> Vec<Chart> {
    let mut out = Vec::new();
    for r in demo() {
        out.extend(all(r, lang));
    }
    out.push(comparison(demo(), lang));
    out
}

/// Parse the SVG with quick-xml: every tag closed, every entity known, one root.
fn assert_xml(svg: &str) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut depth = 0i32;
    let mut roots = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                if depth == 0 {
                    roots += 1;
                    assert_eq!(e.local_name().into_inner(), "svg");
                }
                depth += 1;
            }
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Text(t)) => {
                t.xml10_content();
            }
            Ok(Event::GeneralRef(r)) => {
                let name = r.into_inner().to_string();
                assert!(
                    ["lt", "gt", "amp", "quot", "apos"].contains(&name.as_str()),
                    "unknown entity &{name};"
                );
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("SVG is not well-formed XML: {e}\n{svg}"),
        }
        assert!(depth >= 0);
    }
    assert_eq!(depth, 0, "unclosed tags");
    assert_eq!(roots, 1);
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "PNG signature");
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("PNG header decodes");
    let mut buf = vec![0; reader.output_buffer_size().expect("buffer size")];
    let info = reader.next_frame(&mut buf).expect("PNG frame decodes");
    (info.width, info.height)
}

#[test]
fn every_chart_renders_for_the_demo_as_well_formed_svg() {
    for lang in [Lang::En, Lang::Fr] {
        let cs = charts(lang);
        assert_eq!(cs.len(), 3 * 3 + 1);
        for c in &cs {
            assert!(c.svg.starts_with("<svg"), "{}", c.name);
            assert!(c.svg.trim_end().ends_with("</svg>"), "{}", c.name);
            assert_xml(&c.svg);
            let (w, h) = c.size();
            assert!(
                w >= 700 && (200..2000).contains(&h),
                "{} is {w}x{h}",
                c.name
            );
            assert!(
                c.svg.contains(&format!("viewBox=\"0 0 {w} {h}\"")),
                "{}",
                c.name
            );
        }
    }
}

#[test]
fn titles_are_in_the_chosen_language() {
    let r = &demo()[0];
    let en = [
        (
            layer_cake(r, Lang::En),
            "Layer cake: who controls each layer",
        ),
        (engine_share(r, Lang::En), "Who controls the components"),
        (blast_radius(r, Lang::En), "Blast radius"),
        (comparison(demo(), Lang::En), "Bids compared"),
    ];
    let fr = [
        (
            layer_cake(r, Lang::Fr),
            "Le mille-feuille : qui contrôle chaque couche",
        ),
        (engine_share(r, Lang::Fr), "Qui contrôle les composants"),
        (blast_radius(r, Lang::Fr), "Rayon d’impact"),
        (comparison(demo(), Lang::Fr), "Offres comparées"),
    ];
    for (c, title) in en.iter().chain(fr.iter()) {
        assert!(c.svg.contains(title), "{} lacks {title:?}", c.name);
        assert!(c.svg.contains("<title>"), "{}", c.name);
    }
}

#[test]
fn the_layer_cake_names_every_layer_and_engine() {
    for r in demo() {
        let c = layer_cake(r, Lang::En);
        assert_eq!(c.name, "layer-cake");
        assert!(c.svg.contains("Verdict:"));
        for l in &r.layers {
            let name = layer_label(&l.layer, Lang::En);
            assert!(c.svg.contains(&name), "{}: no {name}", r.bid.id);
            if let Some(e) = &l.engine {
                // Escaped as the SVG backend does; the demo names fit.
                let name = e.name.replace('&', "&amp;").replace('\'', "&apos;");
                assert!(c.svg.contains(&name), "{}: no {}", r.bid.id, e.name);
            }
        }
    }
}

#[test]
fn charts_carry_their_numbers() {
    // Fixed demo arithmetic: 29 of 33 components is "87.9% · 29" / "87,9 % · 29".
    assert_eq!(pct(Lang::En, 29, 33), "87.9%");
    assert_eq!(pct(Lang::Fr, 29, 33), "87,9 %");
    assert_eq!(pct(Lang::En, 0, 0), "0.0%");
    for r in demo() {
        let total = r.summary.components;
        let share = engine_share(r, Lang::En);
        let fr = engine_share(r, Lang::Fr);
        for (c, n) in &r.summary.by_country {
            assert!(
                share
                    .svg
                    .contains(&format!("{} · {n}", pct(Lang::En, *n, total))),
                "{c}"
            );
            assert!(
                fr.svg
                    .contains(&format!("{} · {n}", pct(Lang::Fr, *n, total))),
                "{c}"
            );
        }
        let u = r.summary.unknown;
        assert!(
            share
                .svg
                .contains(&format!("{} · {u}", pct(Lang::En, u, total)))
        );
        let blast = blast_radius(r, Lang::En);
        for b in &r.blast_radius {
            assert!(
                blast
                    .svg
                    .contains(&format!("{} of {total} components", b.affected_items))
            );
            if let Some(first) = b.critical_layers.first() {
                let reached = format!("Critical layers reached: {}", layer_label(first, Lang::En));
                assert!(blast.svg.contains(&reached), "{}", r.bid.id);
            }
        }
    }
    let cmp = comparison(demo(), Lang::En);
    for r in demo() {
        assert!(cmp.svg.contains(&r.bid.id));
        assert!(
            cmp.svg
                .contains(&verdict_label(r.summary.verdict, Lang::En))
        );
        let critical = r.layers.iter().filter(|l| l.critical).count();
        let foreign = r
            .layers
            .iter()
            .filter(|l| l.critical && l.control == "foreign")
            .count();
        let count = format!("foreign: {foreign} of {critical} critical layers");
        assert!(cmp.svg.contains(&count), "{count}");
    }
}

#[test]
fn home_is_blue_unknown_is_grey_foreign_is_not_blue() {
    let r = demo()
        .iter()
        .find(|r| r.bid.id == "maghreb-open-cloud")
        .expect("maghreb");
    let c = palette::Countries::of(r);
    assert_eq!(c.colour(&r.home), palette::HOME);
    assert_eq!(c.colour(""), palette::UNKNOWN);
    for f in ["US", "FI", "FR", "CA"] {
        assert_ne!(c.colour(f), palette::HOME);
        assert_ne!(c.colour(f), palette::UNKNOWN);
    }
    // Distinct colours for the foreign countries present.
    let mut seen: Vec<palette::Rgb> = ["US", "FI", "FR", "CA"]
        .iter()
        .map(|f| c.colour(f))
        .collect();
    seen.dedup();
    assert_eq!(seen.len(), 4);
    let cake = layer_cake(r, Lang::En);
    assert!(cake.svg.contains(&palette::HOME.hex()));
}

/// A report whose every name is hostile.
fn hostile() -> Report {
    let mut r = demo()[0].clone();
    let evil = "<script>alert(1)</script>";
    r.bid.id = evil.to_string();
    r.bid.title = format!("{evil} & \"quotes\" 'apos'\u{202e}\u{1b}[2J");
    r.home = evil.to_string();
    for l in &mut r.layers {
        l.product = Some(evil.to_string());
        if let Some(e) = &mut l.engine {
            e.name = evil.to_string();
        }
        l.layer = evil.to_string();
    }
    for b in &mut r.blast_radius {
        b.controller.name = evil.to_string();
        b.critical_layers = vec![evil.to_string()];
    }
    r.summary.by_country.insert(evil.to_string(), 3);
    r
}

#[test]
fn hostile_names_appear_as_text() {
    let r = hostile();
    let mut cs = all(&r, Lang::En);
    cs.push(comparison(&[r.clone(), demo()[1].clone()], Lang::Fr));
    for c in &cs {
        assert_xml(&c.svg);
        assert!(!c.svg.contains("<script"), "{}", c.name);
        assert!(
            c.svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{}: {}",
            c.name,
            c.svg
        );
        assert!(
            !c.svg.contains('\u{202e}') && !c.svg.contains('\u{1b}'),
            "{}",
            c.name
        );
        c.png().expect("PNG renders");
    }
}

#[test]
fn svg_is_self_contained() {
    for c in charts(Lang::En).iter().chain(&charts(Lang::Fr)) {
        for needle in [
            "href",
            "url(",
            "@import",
            "<image",
            "<script",
            "<style",
            "<foreignObject",
        ] {
            assert!(!c.svg.contains(needle), "{} contains {needle}", c.name);
        }
        // The only URI is the SVG namespace.
        assert_eq!(c.svg.matches("http").count(), 1, "{}", c.name);
    }
}

#[test]
fn png_decodes_at_the_chart_size() {
    let cs = charts(Lang::En);
    for c in &cs {
        let bytes = c.png().expect("PNG renders");
        assert_eq!(png_size(&bytes), c.size(), "{}", c.name);
    }
    let c = &cs[0];
    let (w, h) = c.size();
    let bytes = c.png_scaled(2).expect("PNG renders");
    assert_eq!(png_size(&bytes), (2 * w, 2 * h));
    assert!(c.png_scaled(0).is_err() && c.png_scaled(9).is_err());
}

#[test]
fn png_has_ink_where_the_title_is() {
    // Text is rasterised with the embedded font: the title row is not blank.
    let c = layer_cake(&demo()[0], Lang::En);
    let bytes = c.png().expect("PNG renders");
    let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    let mut reader = decoder.read_info().expect("header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("frame");
    let w = info.width as usize;
    let dark = (20..40)
        .flat_map(|y| (24..400).map(move |x| (y, x)))
        .filter(|(y, x)| buf[(y * w + x) * 3] < 100)
        .count();
    assert!(dark > 300, "only {dark} dark pixels in the title");
}

#[test]
fn output_is_deterministic() {
    let a = charts(Lang::Fr);
    let b = charts(Lang::Fr);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.svg, y.svg, "{}", x.name);
        assert_eq!(x.png().expect("png"), y.png().expect("png"), "{}", x.name);
    }
}

#[test]
fn empty_inputs_still_draw() {
    let mut r = demo()[2].clone();
    r.layers.clear();
    r.blast_radius.clear();
    r.summary.by_country.clear();
    r.summary.components = 0;
    r.summary.unknown = 0;
    let mut cs = all(&r, Lang::En);
    cs.push(comparison(&[], Lang::En));
    cs.push(comparison(std::slice::from_ref(&r), Lang::Fr));
    for c in &cs {
        assert_xml(&c.svg);
        png_size(&c.png().expect("png"));
    }
    assert!(cs[2].svg.contains("No foreign controller"));
}

#[test]
fn fitting_and_wrapping_respect_the_width() {
    let long = "Hewlett Packard Enterprise Company, with a very long subsidiary name indeed";
    let f = font::fit(long, 14.0, true, 200.0);
    assert!(f.ends_with('…'));
    assert!(font::width(&f, 14.0, true) <= 200.0);
    assert_eq!(font::fit("short", 14.0, false, 200.0), "short");
    let lines = font::wrap(long, 12.0, false, 150.0, 2);
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| font::width(l, 12.0, false) <= 150.0));
    assert!(lines[1].ends_with('…'));
}

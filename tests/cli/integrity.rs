//! Verdict integrity: a bidder cannot pass by leaving layers out, by naming a foreign owner
//! only by name, by misspelling a country, by declaring more than 100 % of shares, or by
//! declaring a proprietary product open source. Fixture bids in `tests/fixtures/integrity/`.

use super::coquille;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/integrity")
        .join(name)
}

/// `check --policy ma-sensitive --format json`: (exit code, outcome of the one bid).
fn check(bid: &Path) -> (i32, Value) {
    let out = coquille()
        .args(["check", "--policy", "ma-sensitive", "--format", "json"])
        .arg(bid)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code().unwrap(), v)
}

fn analyze(bid: &Path) -> Value {
    super::dependency_kinds::analyze(&[bid.to_path_buf()]).remove(0)
}

fn findings(r: &Value, code: &str) -> Vec<Value> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .cloned()
        .collect()
}

/// The first bid outcome of a `check --format json` document.
fn outcome(v: &Value) -> &Value {
    &v["bids"][0]
}

#[test]
fn saying_nothing_fails_and_the_missing_layers_become_questions() {
    let bid = fixture("silent.toml");
    let (code, v) = check(&bid);
    assert_eq!(code, 1, "{v:#}");
    let o = outcome(&v);
    assert_eq!(o["passed"], false, "{o:#}");
    let codes: Vec<&str> = o["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"policy-foreign-critical-layers"),
        "{codes:?}"
    );
    let r = analyze(&bid);
    assert_ne!(r["summary"]["verdict"], "sovereign");
    let missing = findings(&r, "layer-missing");
    let kms = missing
        .iter()
        .find(|f| f["layer"] == "kms")
        .expect("the KMS layer the key-custody claim needs is missing");
    assert!(
        kms["evidence"].as_array().unwrap().iter().any(|e| e
            .as_str()
            .unwrap()
            .contains("claims.key_custody = \"hyok\"")),
        "{kms:#}"
    );
    let layer = r["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["layer"] == "kms")
        .unwrap();
    assert_eq!(
        (layer["missing"].as_bool(), layer["control"].as_str()),
        (Some(true), Some("unknown"))
    );
    // One question per missing layer, in both languages, ready to send.
    let qs = r["questions"].as_array().unwrap();
    let q = qs.iter().find(|q| q["about"] == "kms").unwrap();
    assert!(q["question"].as_str().unwrap().ends_with("SBOM or HBOM."));
    assert!(
        q["question_fr"]
            .as_str()
            .unwrap()
            .starts_with("Votre offre ne décrit pas sa couche « clés"),
        "{q:#}"
    );
    assert_eq!(qs.len(), missing.len());
}

#[test]
fn an_owner_named_only_by_name_is_looked_up_and_its_real_country_counts() {
    let r = analyze(&fixture("huawei-owner.toml"));
    assert_eq!(r["face"]["foreign_share"].as_f64(), Some(49.0));
    let h = r["face"]["holders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == "Huawei Technologies Morocco")
        .unwrap()
        .clone();
    assert_eq!(
        (h["entity"].as_str(), h["country"].as_str()),
        (Some("huawei-morocco"), Some("CN"))
    );
    let f = findings(&r, "declared-country-contradicted");
    assert_eq!(f.len(), 1, "{f:#?}");
    let ev: Vec<&str> = f[0]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(
        ev[0].contains("bidder.owners[1]") && ev[0].contains("country = \"MA\""),
        "{ev:?}"
    );
    assert!(ev.iter().any(|e| e.contains("(CN) per https://")), "{ev:?}");
    // Each link of the owner's chain cites the registry line that holds its source.
    assert!(
        crate::assert_citations_hold_their_urls(&ev.join("\n")) > 0,
        "{ev:?}"
    );
    // The same owner under a longer affiliate name is found too.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("huawei-owner.toml"))
        .unwrap()
        .replace(
            "name = \"Huawei Technologies Morocco\"",
            "name = \"Huawei Technologies Maroc SARL\"",
        );
    let p = dir.path().join("bid.toml");
    std::fs::write(&p, text).unwrap();
    assert_eq!(analyze(&p)["face"]["foreign_share"].as_f64(), Some(49.0));
}

fn refused(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bid.toml");
    std::fs::write(&p, text).unwrap();
    let out = coquille()
        .args(["analyze", "--home", "MA"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "accepted:\n{text}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn countries_are_normalised_and_anything_else_is_refused_with_a_suggestion() {
    let base = std::fs::read_to_string(fixture("silent.toml")).unwrap();
    // Lower case is the same country: the bid is not turned foreign.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bid.toml");
    std::fs::write(&p, base.replace("country = \"MA\"", "country = \"ma\"")).unwrap();
    let r = analyze(&p);
    assert_eq!(r["face"]["local"], true, "{:#}", r["face"]);
    assert_ne!(r["summary"]["verdict"], "foreign");
    for (bad, hint) in [
        ("France", Some("did you mean FR?")),
        ("Maroc", Some("did you mean MA?")),
        ("XX", None),
    ] {
        let e = refused(&base.replacen(
            "name = \"Silent Holding SA\"\ncountry = \"MA\"",
            &format!("name = \"Silent Holding SA\"\ncountry = \"{bad}\""),
            1,
        ));
        assert!(e.contains("line 15, column 11"), "{bad}: {e}");
        assert!(e.contains("bidder.owners[0].country"), "{bad}: {e}");
        match hint {
            Some(h) => assert!(e.contains(h), "{bad}: {e}"),
            None => assert!(!e.contains("did you mean"), "{bad}: {e}"),
        }
    }
}

#[test]
fn shares_over_100_percent_and_cycles_are_refused_with_their_position() {
    let base = std::fs::read_to_string(fixture("huawei-owner.toml")).unwrap();
    let e = refused(&base.replace("share = 49", "share = 79"));
    assert!(e.contains("130 %"), "{e}");
    assert!(e.contains("line 13"), "{e}");
    let e = refused(&base.replace("share = 49", "share = nan"));
    assert!(e.contains("not a percentage"), "{e}");
    let e = refused(&base.replace(
        "share = 51\ncontrol = true\n",
        "share = 51\ncontrol = true\n[[bidder.owners.owners]]\nname = \"Atlas Sovereign Hosting SA\"\nshare = 100\n",
    ));
    assert!(e.contains("ownership cycle"), "{e}");
    let e = refused(&format!(
        "{base}\n[[layers]]\nlayer = \"datacenter\"\nproduct = \"Casablanca rooms\"\n"
    ));
    assert!(e.contains("declared twice"), "{e}");
}

#[test]
fn a_proprietary_product_declared_open_source_is_contradicted_and_fails() {
    let bid = fixture("windows-open-source.toml");
    let (code, v) = check(&bid);
    assert_eq!(code, 1, "{v:#}");
    let r = analyze(&bid);
    let f = findings(&r, "declaration-contradicted");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0]["layer"], "os");
    assert!(
        f[0]["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e.as_str().unwrap().contains("products-infra.csv")),
        "{:#}",
        f[0]
    );
    let os = r["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["layer"] == "os")
        .unwrap();
    assert_eq!(os["control"], "foreign");
    assert_eq!(os["licence"], "proprietary");
    // Everything else is truthful: no layer is missing, and only the OS is foreign.
    assert!(findings(&r, "layer-missing").is_empty());
    assert_eq!(r["summary"]["verdict"], "local-shell");
}

#[test]
fn a_local_reseller_declared_as_vendor_does_not_make_a_foreign_product_local() {
    let base = std::fs::read_to_string(fixture("windows-open-source.toml")).unwrap();
    let text = base.replace(
        "vendor = \"openinfra-foundation\"\nproduct = \"OpenStack with KVM\"",
        "vendor = \"Medina Distribution SARL\"\nproduct = \"VMware vSphere 8\"",
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bid.toml");
    std::fs::write(&p, text).unwrap();
    let r = analyze(&p);
    let hv = r["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["layer"] == "hypervisor")
        .unwrap();
    assert_eq!(hv["control"], "foreign", "{hv:#}");
    assert!(
        findings(&r, "declaration-contradicted").iter().any(
            |f| f["layer"] == "hypervisor" && f["message"].as_str().unwrap().contains("vendor")
        ),
        "{:#}",
        r["findings"]
    );
}

#[test]
fn a_misspelt_owner_id_is_unknown_with_a_suggestion_not_a_local_owner() {
    let base = std::fs::read_to_string(fixture("huawei-owner.toml")).unwrap();
    let text = base.replace(
        "name = \"Huawei Technologies Morocco\"",
        "entity = \"huawai-morocco\"",
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bid.toml");
    std::fs::write(&p, text).unwrap();
    let r = analyze(&p);
    let h = &r["face"]["holders"][1];
    assert_eq!(h["country"], Value::Null, "{h:#}");
    // Unknown is counted as foreign, never as local.
    assert_eq!(r["face"]["foreign_share"].as_f64(), Some(49.0));
    let q = r["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["about"] == "owners")
        .expect("a question about the owner");
    assert!(
        q["question"]
            .as_str()
            .unwrap()
            .contains("did you mean “huawei-morocco”?"),
        "{q:#}"
    );
    assert_eq!(q["changes_verdict"], true);
}

#[test]
fn a_local_shells_missing_layers_are_asked_but_do_not_decide() {
    let bid = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/kasbah-cloud/bid.toml");
    let r = analyze(&bid);
    assert_eq!(r["summary"]["verdict"], "local-shell");
    let qs = r["questions"].as_array().unwrap();
    let about: Vec<&str> = qs.iter().map(|q| q["about"].as_str().unwrap()).collect();
    assert_eq!(about, ["storage", "control-plane"], "{qs:#?}");
    assert!(qs.iter().all(|q| q["changes_verdict"] == false));
}

#[test]
fn the_same_bid_told_truthfully_passes() {
    // Every required layer described, the OS open source in fact: the checks find nothing.
    let base = std::fs::read_to_string(fixture("windows-open-source.toml")).unwrap();
    let text = base.replace(
        "vendor = \"microsoft\"\nproduct = \"Windows Server 2022 Datacenter\"",
        "vendor = \"debian\"\nproduct = \"Debian 12\"",
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bid.toml");
    std::fs::write(&p, text).unwrap();
    let (code, v) = check(&p);
    assert_eq!(code, 0, "{v:#}");
    let r = analyze(&p);
    assert_eq!(r["summary"]["verdict"], "sovereign");
    assert!(
        r["questions"].as_array().unwrap().is_empty(),
        "{:#}",
        r["questions"]
    );
}

#[test]
fn support_escalated_abroad_by_a_home_operator_does_not_name_it_as_the_party_abroad() {
    let dir = tempfile::tempdir().unwrap();
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/maghreb-open-cloud");
    std::fs::create_dir(dir.path().join("sboms")).unwrap();
    for e in std::fs::read_dir(base.join("sboms")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join("sboms").join(e.file_name())).unwrap();
    }
    let text = std::fs::read_to_string(base.join("bid.toml")).unwrap();
    let changed = text.replace(
        "product = \"Levels 1-3 in Rabat\"\noperator = \"bidder\"\nsites = [{ country = \"MA\", city = \"Rabat\", role = \"support\" }]",
        "product = \"Levels 1-3 in Rabat, level 3 in Pune\"\noperator = \"bidder\"\nsites = [{ country = \"MA\", city = \"Rabat\", role = \"support\" }, { country = \"IN\", city = \"Pune\", role = \"support\" }]",
    );
    assert_ne!(changed, text, "the demo bid changed: update this test");
    std::fs::write(dir.path().join("bid.toml"), changed).unwrap();
    let r = analyze(&dir.path().join("bid.toml"));
    let f = findings(&r, "foreign-support");
    assert_eq!(f.len(), 1, "{f:#?}");
    let en = f[0]["message"].as_str().unwrap();
    let fr = f[0]["message_fr"].as_str().unwrap();
    assert!(en.contains("does not say who performs it there"), "{en}");
    assert!(!en.contains("from IN (Maghreb"), "{en}");
    assert!(fr.contains("situé en Inde"), "{fr}");
}

#[test]
fn a_listed_vendor_is_cited_with_its_listing_date_and_source() {
    let r = analyze(&fixture("listed-vendors.toml"));
    let listed = findings(&r, "listed-entity");
    let about = |subject: &str| {
        listed
            .iter()
            .find(|f| f["subject"] == subject)
            .unwrap_or_else(|| panic!("no listed-entity finding for {subject}: {listed:#?}"))
            .clone()
    };
    let hik = about("hikvision");
    assert_eq!(hik["layer"], "datacenter");
    let msg = hik["message"].as_str().unwrap();
    assert!(
        msg.contains("US Entity List") && msg.contains("2019-10-09"),
        "{msg}"
    );
    let fr = hik["message_fr"].as_str().unwrap();
    assert!(fr.contains("depuis le 9 octobre 2019"), "{fr}");
    let ev = hik["evidence"].to_string();
    assert!(
        ev.contains("listings-export-sanctions.csv:") && ev.contains('“'),
        "{ev}"
    );
    // Hikvision's controller up the chain is listed too.
    assert_eq!(about("cetc")["layer"], "datacenter");
    assert_eq!(about("huawei")["layer"], "network");
    // ZTE left the Entity List in 2017: only its FCC listing is in force.
    let zte = about("zte");
    let zmsg = zte["message"].as_str().unwrap();
    assert!(
        zmsg.contains("FCC Covered List") && !zmsg.contains("Entity List"),
        "{zmsg}"
    );
}

#[test]
fn the_bidders_own_software_is_attributed_to_the_bidder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("components.jsonl");
    coquille()
        .args(["analyze", "--format", "json", "--output"])
        .arg(format!("components-jsonl={}", out.display()))
        .arg(fixture("own-portal/bid.toml"))
        .assert()
        .success();
    let lines: Vec<Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let by_name = |n: &str| lines.iter().find(|c| c["name"] == n).unwrap().clone();
    let own = by_name("oasis-portal-core");
    assert_eq!(own["controller_country"], "MA", "{own}");
    assert_eq!(own["controller_name"], "Oasis Numérique SARL", "{own}");
    // A supplier nobody knows stays unknown: never local by default.
    assert!(by_name("left-pad-ish")["controller"].is_null());
}

#[test]
fn oracle_linux_and_composer_cloud_sdks_have_rules() {
    for (q, who) in [
        ("pkg:rpm/oraclelinux/glibc@2.34", "Oracle Corporation (US)"),
        ("pkg:composer/huaweicloud/huaweicloud-sdk-php@3.1.0", "(CN)"),
        ("pkg:composer/alibabacloud/oss-20190517@1.0.0", "(CN)"),
    ] {
        let out = coquille().args(["vendors", "lookup", q]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("ultimate controller") && text.contains(who),
            "{q}: {text}"
        );
    }
}

#[test]
fn near_names_do_not_pass_for_unknown_local_parties_or_products() {
    let r = analyze(&fixture("near-names.toml"));
    // The bidder's name is a company the registry knows; the owners it declares still count.
    assert_eq!(r["face"]["bidder_entity"], "atlas-cloud-services");
    assert_eq!(r["face"]["foreign_share"].as_f64(), Some(40.0));
    let h = r["face"]["holders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == "Huawei Tech Investment")
        .unwrap()
        .clone();
    assert_eq!(h["country"], "CN", "{h:#?}");
    let f = findings(&r, "declared-country-contradicted");
    assert!(
        f.iter().any(|f| f["evidence"][0]
            .as_str()
            .unwrap()
            .contains("begins with \"huawei\"")),
        "{f:#?}"
    );
    // What a known bidder leaves undeclared is the registry's to account for, not an unknown
    // holder: declaring the foreign owner alone counts its 40 %, not 100 %.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("near-names.toml"))
        .unwrap()
        .replace(
            "[[bidder.owners]]\nname = \"Atlas Holding\"\ncountry = \"MA\"\nshare = 60\ncontrol = true\n\n",
            "",
        );
    assert!(!text.contains("Atlas Holding"));
    let p = dir.path().join("bid.toml");
    std::fs::write(&p, text).unwrap();
    assert_eq!(analyze(&p)["face"]["foreign_share"].as_f64(), Some(40.0));
    // "Entreprise" is a near spelling of the registry's Red Hat Enterprise Linux: the layer is
    // Red Hat's (IBM, US), not the bidder's.
    let os = r["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["layer"] == "os")
        .unwrap()
        .clone();
    assert_eq!(os["engine"]["country"], "US", "{os:#?}");
    let c = findings(&r, "declaration-contradicted");
    let vendor = c
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .unwrap()
                .contains("vendor = \"Atlas Cloud SARL\"")
        })
        .unwrap_or_else(|| panic!("{c:#?}"));
    assert!(
        vendor["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e.as_str().unwrap().contains("is a near spelling of")),
        "{vendor:#?}"
    );
    // The registry row's sentence is quoted as the source's words; a row that only paraphrases
    // its source is never shown between quotation marks (`analyse::declared` tests both).
    let ev = vendor["evidence"].to_string();
    assert!(
        ev.contains("A Red Hat subscription allows customers")
            || ev.contains("paraphrased, not quoted"),
        "{ev}"
    );
    assert!(!ev.contains("\\\"paraphrase:"), "{ev}");
}

use super::*;

fn reg() -> Registry {
    let entities = "id,name,country,incorporated,kind,parent,parent_share,control,aliases,source,as_of,note
broadcom,Broadcom Inc.,US,US,company,,,,,https://example.org/b,2026-01-01,
vmware,\"VMware, LLC\",US,US,company,broadcom,100,yes,VMware Inc.;VMware by Broadcom,https://example.org/v,2026-01-01,
amazon,\"Amazon.com, Inc.\",US,US,company,,,,,https://example.org/a,2026-01-01,
aws,\"Amazon Web Services, Inc.\",US,US,company,amazon,100,yes,AWS,https://example.org/aws,2026-01-01,
minority,Minority Co,FR,FR,company,amazon,10,no,,https://example.org/m,2026-01-01,
";
    let matchers = "kind,pattern,entity,confidence,note
purl,pkg:npm/@aws-sdk/*,aws,high,
purl,pkg:pypi/boto3,aws,high,
purl,pkg:cargo/aws-sdk-*,aws,high,
cpe,vmware,vmware,high,
domain,amazon.com,amazon,medium,
endpoint,amazonaws.com,aws,high,
";
    let regions = "entity,region,country,city,source,as_of
aws,eu-west-1,IE,Dublin,https://example.org/r,2026-01-01
";
    Registry::from_files(&[
        ("vendors/entities.csv".into(), entities.into()),
        ("vendors/matchers.csv".into(), matchers.into()),
        ("vendors/regions.csv".into(), regions.into()),
    ])
    .unwrap()
}

#[test]
fn matches_each_kind_of_evidence() {
    let r = reg();
    let ix = r.index();
    assert_eq!(
        ix.purl("pkg:npm/%40aws-sdk/client-s3@3.1.0")
            .unwrap()
            .entity,
        "aws"
    );
    assert_eq!(ix.purl("pkg:pypi/boto3@1.0").unwrap().entity, "aws");
    assert!(
        ix.purl("pkg:pypi/boto3-stubs@1.0").is_none(),
        "an exact rule is not a prefix"
    );
    assert_eq!(ix.purl("pkg:cargo/aws-sdk-s3@1.0").unwrap().row.line, 4);
    assert_eq!(
        ix.cpe("cpe:2.3:o:vmware:esxi:8.0:*:*:*:*:*:*:*")
            .unwrap()
            .entity,
        "vmware"
    );
    assert_eq!(ix.name("VMware by Broadcom").unwrap().entity, "vmware");
    assert_eq!(ix.name("Amazon Web Services, Inc.").unwrap().entity, "aws");
    assert_eq!(ix.domain("aws-sdk@amazon.com").unwrap().entity, "amazon");
    assert!(ix.domain("https://github.com/aws/aws-sdk-js-v3").is_none());
    let (hit, host) = ix.endpoint("https://kms.eu-west-1.amazonaws.com").unwrap();
    assert_eq!(
        (hit.entity.as_str(), host.as_str()),
        ("aws", "kms.eu-west-1.amazonaws.com")
    );
    assert_eq!(r.region_of("aws", &host).unwrap().country, "IE");
}

#[test]
fn control_follows_controlling_parents_only() {
    let r = reg();
    assert_eq!(r.controller("vmware").unwrap().id, "broadcom");
    assert_eq!(r.controller("aws").unwrap().name, "Amazon.com, Inc.");
    assert_eq!(r.controller("minority").unwrap().id, "minority");
    assert_eq!(r.control_jurisdictions("minority"), ["FR"]);
    assert_eq!(r.chain("minority").len(), 2);
}

#[test]
fn bad_rows_are_reported_with_file_and_line() {
    let err = Registry::from_files(&[(
        "vendors/entities.csv".into(),
        "id,name,country,kind,source,as_of\nx,X,usa,company,https://e,2026-01-01\ny,Y,US,corp,https://e,2026-01-01\n".into(),
    )])
    .unwrap_err();
    assert_eq!(err.len(), 2);
    assert_eq!(
        err[0].to_string(),
        "vendors/entities.csv:2: country \"usa\" is not an ISO 3166-1 alpha-2 code"
    );
    assert!(
        err[1]
            .to_string()
            .starts_with("vendors/entities.csv:3: kind")
    );
}

#[test]
fn dangling_parents_and_cycles_are_problems() {
    let r = Registry::from_files(&[(
        "vendors/entities.csv".into(),
        "id,name,country,kind,parent,control,source,as_of\na,A,US,company,b,yes,https://e,2026-01-01\nb,B,US,company,a,yes,https://e,2026-01-01\nc,C,US,company,zz,yes,https://e,2026-01-01\n".into(),
    )])
    .unwrap();
    assert!(r.problems.iter().any(|p| p.message.contains("cycle")));
    assert!(r.problems.iter().any(|p| p.message.contains("\"zz\"")));
    assert!(r.controller("a").is_some(), "a cycle must not hang");
}

#[test]
fn the_shipped_registry_loads() {
    let r = Registry::embedded().unwrap_or_else(|e| {
        panic!(
            "{}",
            e.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

fn with_services(services: &str) -> Result<Registry, Vec<RegistryError>> {
    let mut files = vec![
        (
            "vendors/entities.csv".to_string(),
            "id,name,country,kind,source,as_of\naws,AWS,US,company,https://example.org/aws,2026-01-01\n"
                .to_string(),
        ),
        ("vendors/services.csv".to_string(), services.to_string()),
    ];
    files.push((
        "vendors/licences.csv".to_string(),
        "kind,pattern,licence,online,source,as_of\npurl,pkg:maven/com.example/*,proprietary,yes,https://example.org/l,2026-01-01\n"
            .to_string(),
    ));
    Registry::from_files(&files)
}

#[test]
fn services_match_by_package_and_by_host_label() {
    let r = with_services(
        "kind,pattern,provider,service,layer,source,as_of
purl,pkg:npm/@aws-sdk/client-s3,aws,Amazon S3,storage,https://example.org/s3,2026-01-01
purl,pkg:pypi/boto*,aws,AWS APIs,paas,https://example.org/boto,2026-01-01
endpoint,s3.amazonaws.com,aws,Amazon S3,storage,https://example.org/s3,2026-01-01
endpoint,kms.amazonaws.com,aws,AWS KMS,kms,https://example.org/kms,2026-01-01
",
    )
    .unwrap();
    let svc = |p: &str| r.service_for_purl(p).map(|s| s.service.as_str());
    assert_eq!(svc("pkg:npm/%40aws-sdk/client-s3@3.1.0"), Some("Amazon S3"));
    assert_eq!(svc("pkg:pypi/Boto3@1.0"), Some("AWS APIs"));
    assert_eq!(svc("pkg:npm/%40aws-sdk/client-s3-extra@1"), None);
    let host = |h: &str| r.service_for_host(h).map(|s| s.service.as_str());
    assert_eq!(
        host("https://s3.eu-west-1.amazonaws.com/x"),
        Some("Amazon S3")
    );
    assert_eq!(
        host("bucket.s3-fips.us-east-1.amazonaws.com"),
        Some("Amazon S3")
    );
    assert_eq!(host("kms.eu-west-3.amazonaws.com"), Some("AWS KMS"));
    assert_eq!(host("s3.amazonaws.com.evil.example"), None);
    assert_eq!(host("sqs.eu-west-1.amazonaws.com"), None);
    // A hostile host with thousands of labels is not looked up label by label.
    let long = format!("{}s3.amazonaws.com", "a.".repeat(5_000));
    assert_eq!(host(&long), None);
    let lic = r.licence_for_purl("pkg:maven/com.example/agent@2").unwrap();
    assert_eq!(
        (lic.licence.as_str(), lic.online),
        ("proprietary", Some(true))
    );
}

#[test]
fn bad_service_rows_are_reported_with_their_lines() {
    let errors = with_services(
        "kind,pattern,provider,service,layer,source,as_of
purl,pkg:npm/x,aws,X,warehouse,https://example.org/x,2026-01-01
endpoint,*.amazonaws.com,aws,X,storage,https://example.org/x,2026-01-01
purl,npm/x,aws,X,storage,not a url,01/01/2026
",
    )
    .unwrap_err();
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert!(
        text.iter()
            .any(|e| e.contains(":2:") && e.contains("layer \"warehouse\"")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|e| e.contains(":3:") && e.contains("not a host name")),
        "{text:?}"
    );
    assert!(
        text.iter().any(|e| e.contains(":4:") && e.contains("pkg:")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|e| e.contains(":4:") && e.contains("not a URL")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|e| e.contains(":4:") && e.contains("YYYY-MM-DD")),
        "{text:?}"
    );
    // A provider that is not an entity is a problem of the loaded registry.
    let r = with_services(
        "kind,pattern,provider,service,layer,source,as_of
purl,pkg:npm/x,nobody,X,storage,https://example.org/x,2026-01-01
",
    )
    .unwrap();
    assert!(
        r.problems
            .iter()
            .any(|p| p.message.contains("undefined provider \"nobody\""))
    );
}

#[test]
fn an_owner_the_registry_cannot_state_is_cited_as_unconfirmed() {
    use super::facts::Fact;
    let entities = "id,name,country,incorporated,kind,parent,parent_share,control,aliases,source,as_of,source_quote,quote_states,unconfirmed,note
alone,Alone Ltd,GB,GB,company,,,,,https://example.org/a,2026-01-01,\"Alone Ltd, registered in England\",name;country,,
maybe,Maybe GmbH,DE,DE,company,,,,,https://example.org/m,2026-01-01,\"Maybe GmbH, Munich\",name;country,parent,
";
    let r = Registry::from_files(&[("vendors/entities.csv".into(), entities.into())]).unwrap();
    let facts = |id: &str| -> Vec<(Fact, bool)> {
        r.entity(id)
            .unwrap()
            .cites()
            .iter()
            .map(|c| (c.fact, c.confirmed()))
            .collect()
    };
    assert_eq!(
        facts("alone"),
        [(Fact::Name, true), (Fact::Country, true)],
        "no parent and none suspected: nothing more to say"
    );
    assert_eq!(
        facts("maybe"),
        [
            (Fact::Name, true),
            (Fact::Country, true),
            (Fact::Parent, false)
        ]
    );
    // It asserts no parent, so validation asks no quote for one.
    assert_eq!(
        r.entity("maybe").unwrap().required_facts(),
        [Fact::Name, Fact::Country]
    );
}

#[test]
fn each_fact_is_cited_from_the_quote_that_states_it() {
    use super::facts::Fact;
    let entities = "id,name,country,incorporated,kind,parent,parent_share,control,aliases,source,as_of,source_quote,quote_states,unconfirmed,note
parentco,Parent Inc.,US,US,company,,,,,https://example.org/p,2026-01-01,\"Parent Inc., a Delaware corporation\",name;country,,
child,Child SAS,FR,FR,company,parentco,40,yes,,https://example.org/c,2026-01-01,Child SAS is a French company,name;country,share,
held,Held Ltd,GB,GB,company,parentco,100,yes,,https://example.org/h,2026-01-01,,,name;country;parent;share,
";
    let quotes = "entity,states,source,source_date,as_of,source_quote,note
child,parent;control,https://example.org/press,2025-05-01,2025-05-01,Parent Inc. controls Child SAS,
child,share,https://example.org/empty,,2026-01-01,,
";
    let r = Registry::from_files(&[
        ("vendors/entities.csv".into(), entities.into()),
        ("vendors/quotes.csv".into(), quotes.into()),
    ])
    .unwrap();
    let child = r.entity("child").unwrap();
    // Control at 40 % does not follow from the share: it is a fact of its own.
    assert_eq!(
        child.required_facts(),
        [
            Fact::Name,
            Fact::Country,
            Fact::Parent,
            Fact::Share,
            Fact::Control
        ]
    );
    assert_eq!(
        child.cite(Fact::Country).unwrap().source,
        "https://example.org/c"
    );
    let parent = child.cite(Fact::Parent).unwrap();
    assert_eq!(parent.source, "https://example.org/press");
    assert_eq!(parent.quote, "Parent Inc. controls Child SAS");
    assert!(parent.row.ends_with("quotes.csv:2"), "{}", parent.row);
    // A further quote without text covers nothing.
    assert!(child.cite(Fact::Share).is_none());
    assert_eq!(child.unquoted_facts(), [Fact::Share]);
    // 100 % with control: control follows from the share.
    let held = r.entity("held").unwrap();
    assert_eq!(
        held.required_facts(),
        [Fact::Name, Fact::Country, Fact::Parent, Fact::Share]
    );
    assert!(!held.cite_or_row(Fact::Country).confirmed());
    // The chain cites the child's parent and share facts on the parent's link.
    let chain = crate::attribute::chain(&r, "child");
    let facts: Vec<(Fact, bool)> = chain[1]
        .cites
        .iter()
        .map(|c| (c.fact, c.confirmed()))
        .collect();
    assert_eq!(
        facts,
        [
            (Fact::Country, true),
            (Fact::Parent, true),
            (Fact::Share, false),
            (Fact::Control, true)
        ]
    );
}

#[test]
fn a_fact_is_cited_from_its_freshest_quote() {
    use super::facts::Fact;
    let entities = "id,name,country,incorporated,kind,parent,parent_share,control,aliases,source,as_of,source_quote,quote_states,unconfirmed,note
co,Co Inc.,US,US,company,,,,,https://example.org/2014,2014-07-31,\"Co Inc., a Washington corporation\",name;country,,
";
    let quotes = "entity,states,source,source_date,as_of,source_quote,note
co,country,https://example.org/2020,2020-01-01,2020-01-01,Co Inc. is incorporated in Washington,
co,name;country,https://example.org/2024,2024-01-30,2024-01-30,\"Co Inc., Redmond, Washington\",
co,country,https://example.org/2024-bis,2024-01-30,2024-01-30,Co Inc. of Redmond,
";
    let r = Registry::from_files(&[
        ("vendors/entities.csv".into(), entities.into()),
        ("vendors/quotes.csv".into(), quotes.into()),
    ])
    .unwrap();
    let co = r.entity("co").unwrap();
    // The 2024 filing, not the row's 2014 source; of two quotes of the same date, the first.
    assert_eq!(
        co.cite(Fact::Country).unwrap().source,
        "https://example.org/2024"
    );
    assert_eq!(co.stated_or_row(Fact::Name).as_of, "2024-01-30");
    // A fact the row alone states rests on the row's date.
    let rows = "id,name,country,incorporated,kind,parent,parent_share,control,aliases,source,as_of,source_quote,quote_states,unconfirmed,note
old,Old Ltd,GB,GB,company,,,,,https://example.org/old,2014-07-31,Old Ltd of London,name;country,,
";
    let r = Registry::from_files(&[("vendors/entities.csv".into(), rows.into())]).unwrap();
    let old = r.entity("old").unwrap();
    assert_eq!(
        old.cite(Fact::Name).unwrap().source,
        "https://example.org/old"
    );
    assert_eq!(old.stated_or_row(Fact::Country).as_of, "2014-07-31");
}

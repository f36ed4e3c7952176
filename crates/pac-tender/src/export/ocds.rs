//! The tender as an OCDS 1.1 release package: the requirements as `tender.criteria` (the
//! Requirements extension), the bids' answers as `bids.details[].requirementResponses` (the Bid
//! extension). Each requirement is one criterion with one requirement group holding one
//! requirement, all three with the requirement's id. The package declares both extensions.

use serde_json::{Value, json};

use crate::evaluate::{Evaluation, Status, Verdict};
use crate::pack::{Check, Level, Pack, date_time};

/// The extensions' `extension.json`, as OCDS packages name them.
pub const EXTENSIONS: [&str; 2] = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_requirements_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/master/extension.json",
];

/// What the release needs that the pack does not say.
#[derive(Debug, Clone)]
pub struct Options {
    /// The publisher's OCID prefix (`ocds-h6vhtk` is UK Find a Tender's; a buyer uses its own).
    pub ocid_prefix: String,
    /// The release date (RFC 3339) when the pack has no `published`.
    pub date: String,
}

fn identifier(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The release package of `pack`, with the evaluations of bids as their responses.
pub fn release_package(pack: &Pack, bids: &[Evaluation], options: &Options) -> Value {
    let date = pack
        .published
        .as_deref()
        .map(date_time)
        .unwrap_or_else(|| options.date.clone());
    json!({
        "version": "1.1",
        "publishedDate": date,
        "publisher": {"name": pack.buyer},
        "extensions": EXTENSIONS,
        "releases": [release(pack, bids, options, &date)],
    })
}

fn release(pack: &Pack, bids: &[Evaluation], options: &Options, date: &str) -> Value {
    let buyer_id = identifier(&pack.buyer);
    let total = pack.total_weight();
    let criteria: Vec<Value> = pack
        .requirements
        .iter()
        .map(|r| {
            let importance = match r.weight {
                Some(w) => format!("SHOULD, weight {w} of {total}"),
                None => "MUST, pass/fail".to_owned(),
            };
            let mut requirement = json!({
                "id": r.id,
                "title": r.title.clone().unwrap_or_else(|| r.id.clone()),
                "description": r.text,
            });
            match (&r.check, r.level) {
                (Check::Manual(m), level) => {
                    requirement["dataType"] = json!("integer");
                    requirement["minValue"] = json!(if level == Level::Must { m.pass } else { 0 });
                    requirement["maxValue"] = json!(m.max);
                }
                _ => {
                    requirement["dataType"] = json!("boolean");
                    requirement["expectedValue"] = json!(true);
                }
            }
            json!({
                "id": r.id,
                "title": r.title.clone().unwrap_or_else(|| r.id.clone()),
                "description": format!("{} ({importance}) {}", r.text, super::assessment(r)),
                "relatesToTenderer": false,
                "requirementGroups": [{
                    "id": r.id,
                    "description": super::evidence_asked(r),
                    "requirements": [requirement],
                }],
            })
        })
        .collect();
    let mut parties = vec![json!({"id": buyer_id, "name": pack.buyer, "roles": ["buyer"]})];
    let details: Vec<Value> = bids
        .iter()
        .map(|e| {
            let bidder = format!("bidder-{}", identifier(&e.bid));
            parties.push(json!({"id": bidder, "name": e.bid, "roles": ["tenderer"]}));
            let responses: Vec<Value> = e
                .requirements
                .iter()
                .map(|o| {
                    let mut response = json!({
                        "id": format!("{}-{}", identifier(&e.bid), o.id),
                        "requirement": {"id": o.id},
                        "description": format!("{}: {}", o.status.as_str(), o.explanation),
                    });
                    if let Some(s) = o.evaluator_score {
                        response["value"] = json!(s);
                    } else if o.status != Status::NeedsReview {
                        response["value"] = json!(o.status == Status::Met);
                    }
                    response
                })
                .collect();
            json!({
                "id": identifier(&e.bid),
                "status": match e.verdict {
                    Verdict::Compliant => "valid",
                    Verdict::NonCompliant => "disqualified",
                    Verdict::NeedsReview => "pending",
                },
                "tenderers": [{"id": bidder, "name": e.bid}],
                "requirementResponses": responses,
            })
        })
        .collect();
    let mut release = json!({
        "ocid": format!("{}-{}", options.ocid_prefix, pack.id),
        "id": format!("{}-{}", pack.id, pack.version),
        "date": date,
        "tag": ["tender"],
        "initiationType": "tender",
        "language": "en",
        "parties": parties,
        "buyer": {"id": buyer_id, "name": pack.buyer},
        "tender": {
            "id": pack.id,
            "title": pack.title,
            "description": pack.description.clone().unwrap_or_else(|| pack.title.clone()),
            "awardCriteriaDetails": format!(
                "API requirements: MUST requirements are pass/fail; SHOULD requirements are scored by weight, {total} marks in all."
            ),
            "criteria": criteria,
        },
    });
    if !details.is_empty() {
        release["bids"] = json!({"details": details});
    }
    release
}

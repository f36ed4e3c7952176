//! Interoperability tiers: Bronze, Silver and Gold, earned by a system from evidence the catalogue
//! holds and never typed in by anyone. The rules, as docs/STANDARD.md ("Interoperability tiers")
//! states them:
//!
//! - **Bronze**: the system is registered with at least one API that is not retired (planned APIs
//!   count, as drafts).
//! - **Silver**: Bronze, and every API of the system that is not retired has a published
//!   description (not a link) whose latest version earns the kitemark under the standard in force.
//! - **Gold**: Silver, and the system holds a claim to implement a contract version that the
//!   catalogue's own check found conformant, and a system of another organisation records that it
//!   consumes one of the system's APIs, stated by that organisation itself.
//!
//! A tier is a statement anyone who can see the system can check, so it counts only evidence that
//! everyone who can see the system can see too ([`Seen::implies`]): a restricted API of a public
//! system, or a restricted consumer of another organisation, counts for nothing. The same tier
//! therefore holds for every reader, and can be indexed for search.
//!
//! This module is pure: `store::tiers` reads the evidence, [`assess`] judges it.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{ApiId, ClaimStatus, Lifecycle, SystemId, Visibility};
use crate::error::{Code, Error};

/// The rungs of the ladder, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Bronze,
    Silver,
    Gold,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Bronze, Tier::Silver, Tier::Gold];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Bronze => "bronze",
            Tier::Silver => "silver",
            Tier::Gold => "gold",
        }
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Tier::Bronze => "Bronze",
            Tier::Silver => "Silver",
            Tier::Gold => "Gold",
        }
    }

    pub fn parse(s: &str) -> Result<Tier, Error> {
        Tier::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                Error::invalid_at(
                    Code::InvalidTier,
                    format!("tier {s:?} is not one of: bronze, silver, gold"),
                    "/tier",
                )
            })
    }

    fn next(self) -> Option<Tier> {
        match self {
            Tier::Bronze => Some(Tier::Silver),
            Tier::Silver => Some(Tier::Gold),
            Tier::Gold => None,
        }
    }
}

/// The value search indexes for a system that has not reached Bronze.
pub const NO_TIER: &str = "none";

/// Who can see an entry: its visibility and the slug of its owning organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub visibility: Visibility,
    pub owner: String,
}

impl Seen {
    /// Whether everyone who can see an entry seen as `self` can also see one seen as `other`.
    pub fn implies(&self, other: &Seen) -> bool {
        match other.visibility {
            Visibility::Public => true,
            Visibility::Policing => self.visibility != Visibility::Public,
            Visibility::Restricted => {
                self.visibility == Visibility::Restricted && self.owner == other.owner
            }
        }
    }
}

/// The standard in force, whose kitemark Silver asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandardId {
    pub name: String,
    pub version: String,
}

impl StandardId {
    pub fn of(ruleset: &pac_lint::Ruleset) -> StandardId {
        StandardId {
            name: ruleset.identity.name.clone(),
            version: ruleset.identity.version.clone(),
        }
    }
}

impl std::fmt::Display for StandardId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.name, self.version)
    }
}

/// Everything a tier is judged on, read without visibility filters.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub system: SystemFacts,
    pub apis: Vec<ApiFacts>,
    pub claims: Vec<ClaimFacts>,
    pub uses: Vec<UseFacts>,
}

#[derive(Debug, Clone)]
pub struct SystemFacts {
    pub id: SystemId,
    pub slug: String,
    pub seen: Seen,
}

/// An API the system provides.
#[derive(Debug, Clone)]
pub struct ApiFacts {
    pub id: ApiId,
    pub slug: String,
    pub seen: Seen,
    pub lifecycle: Lifecycle,
    pub latest: Option<LatestFacts>,
}

#[derive(Debug, Clone)]
pub struct LatestFacts {
    pub version: String,
    /// False for a link-only version.
    pub described: bool,
    /// Its evaluation under the standard in force when there is one, else its newest.
    pub evaluation: Option<EvaluationFacts>,
}

#[derive(Debug, Clone)]
pub struct EvaluationFacts {
    pub standard: StandardId,
    pub kitemark: bool,
    pub score: i32,
}

/// A claim of the system to implement a contract version through one of its APIs.
#[derive(Debug, Clone)]
pub struct ClaimFacts {
    pub api_id: ApiId,
    pub contract: String,
    pub version: String,
    /// The contract's visibility and owner.
    pub seen: Seen,
    pub status: ClaimStatus,
}

/// A use of one of the system's APIs by a system (of any organisation).
#[derive(Debug, Clone)]
pub struct UseFacts {
    pub api_id: ApiId,
    pub consumer: String,
    pub consumer_seen: Seen,
    /// The organisation of whoever last stated the use.
    pub recorded_org: Option<String>,
}

/// A system's tier, the evidence for each criterion and what the next tier still needs.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Assessment {
    /// The tier earned; null until the system reaches Bronze.
    pub tier: Option<Tier>,
    /// The standard in force whose kitemark Silver asks for, e.g. `police-api-standard 1.1.0`.
    pub standard: String,
    /// Every criterion of every tier, lowest tier first.
    pub criteria: Vec<Criterion>,
    /// The next tier and what is missing for it; null at Gold.
    pub next: Option<NextTier>,
}

/// One criterion, whether it is met, what shows it and what is missing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Criterion {
    /// The tier the criterion belongs to.
    pub tier: Tier,
    /// Stable: `registered`, `kitemarked`, `conformant_claim` or `confirmed_consumer`.
    pub id: &'static str,
    /// The criterion in words.
    pub rule: &'static str,
    pub met: bool,
    /// What meets it.
    pub evidence: Vec<Item>,
    /// What stops it being met, each with what to do.
    pub missing: Vec<Item>,
}

/// One piece of evidence or one gap, with the entries it names.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Item {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract: Option<String>,
}

impl Item {
    fn text(text: String) -> Item {
        Item {
            text,
            api: None,
            system: None,
            contract: None,
        }
    }

    fn api(text: String, api: &str) -> Item {
        Item {
            api: Some(api.to_string()),
            ..Item::text(text)
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NextTier {
    pub tier: Tier,
    /// Everything still missing for it, from the lowest unmet criterion up.
    pub missing: Vec<Item>,
}

pub const RULE_REGISTERED: &str =
    "The system is registered with at least one API that is not retired (planned APIs count).";
pub const RULE_KITEMARKED: &str = "Every API of the system that is not retired has a published description whose latest version earns the kitemark under the standard in force.";
pub const RULE_CONFORMANT_CLAIM: &str = "The system claims to implement a contract version, and the catalogue's check finds its API conformant.";
pub const RULE_CONFIRMED_CONSUMER: &str = "A system of another organisation records that it consumes one of the system's APIs, and that organisation recorded it itself.";

/// Judges the evidence of one system against the standard in force.
pub fn assess(facts: &Evidence, standard: &StandardId) -> Assessment {
    let system = &facts.system;
    // Only what everyone who can see the system can see, and only APIs in service or planned.
    let apis: Vec<&ApiFacts> = facts
        .apis
        .iter()
        .filter(|a| a.lifecycle != Lifecycle::Retired && system.seen.implies(&a.seen))
        .collect();
    let counted_api = |id: ApiId| apis.iter().find(|a| a.id == id);

    let registered = {
        let evidence: Vec<Item> = apis
            .iter()
            .map(|a| {
                Item::api(
                    format!("API {} ({})", a.slug, a.lifecycle.as_str()),
                    &a.slug,
                )
            })
            .collect();
        let missing = if evidence.is_empty() {
            vec![Item::text(
                "No API that is not retired is recorded for this system (where everyone who can see the system can see it): record its APIs, planned ones as drafts.".into(),
            )]
        } else {
            Vec::new()
        };
        criterion(
            Tier::Bronze,
            "registered",
            RULE_REGISTERED,
            evidence,
            missing,
        )
    };

    let kitemarked = {
        let (mut evidence, mut missing) = (Vec::new(), Vec::new());
        for a in &apis {
            let slug = a.slug.as_str();
            let Some(latest) = &a.latest else {
                missing.push(Item::api(
                    format!("API {slug}: no version published; publish its OpenAPI description."),
                    slug,
                ));
                continue;
            };
            let v = &latest.version;
            if !latest.described {
                missing.push(Item::api(
                    format!("API {slug} {v} is a link only; publish its OpenAPI description."),
                    slug,
                ));
                continue;
            }
            match &latest.evaluation {
                Some(e) if e.standard == *standard && e.kitemark => evidence.push(Item::api(
                    format!("API {slug} {v} earns the kitemark (score {}).", e.score),
                    slug,
                )),
                Some(e) if e.standard == *standard => missing.push(Item::api(
                    format!(
                        "API {slug} {v} does not earn the kitemark (score {}): it fails a MUST rule of the standard; its version page lists the findings.",
                        e.score
                    ),
                    slug,
                )),
                _ => missing.push(Item::api(
                    format!("API {slug} {v} is not evaluated under {standard} yet; the catalogue evaluates it in the background."),
                    slug,
                )),
            }
        }
        if apis.is_empty() {
            missing.push(Item::text("No API to judge: see Bronze.".into()));
        }
        criterion(
            Tier::Silver,
            "kitemarked",
            RULE_KITEMARKED,
            evidence,
            missing,
        )
    };

    let conformant_claim = {
        let (mut evidence, mut missing) = (Vec::new(), Vec::new());
        // Claims through an API that counts, to a contract the system's readers can see.
        for c in &facts.claims {
            let Some(api) = counted_api(c.api_id) else {
                continue;
            };
            if !system.seen.implies(&c.seen) {
                continue;
            }
            let api = api.slug.as_str();
            let item = |text: String| Item {
                contract: Some(c.contract.clone()),
                ..Item::api(text, api)
            };
            match c.status {
                ClaimStatus::Conformant => evidence.push(item(format!(
                    "Implements contract {} {} through API {api}: conformant.",
                    c.contract, c.version
                ))),
                ClaimStatus::NotConformant => missing.push(item(format!(
                    "The claim to contract {} {} through API {api} is not conformant: its claim shows the differences.",
                    c.contract, c.version
                ))),
                ClaimStatus::Unverified => missing.push(item(format!(
                    "The claim to contract {} {} through API {api} is not verified yet (it is checked when either side is published).",
                    c.contract, c.version
                ))),
            }
        }
        if evidence.is_empty() && missing.is_empty() {
            missing.push(Item::text(
                "No claim to implement a contract: claim the contract versions the system's APIs implement.".into(),
            ));
        }
        if !evidence.is_empty() {
            missing.clear();
        }
        criterion(
            Tier::Gold,
            "conformant_claim",
            RULE_CONFORMANT_CLAIM,
            evidence,
            missing,
        )
    };

    let confirmed_consumer = {
        let (mut evidence, mut missing) = (Vec::new(), Vec::new());
        for u in &facts.uses {
            let Some(api) = counted_api(u.api_id) else {
                continue;
            };
            if u.consumer_seen.owner == system.seen.owner || !system.seen.implies(&u.consumer_seen)
            {
                continue;
            }
            let org = &u.consumer_seen.owner;
            let item = |text: String| Item {
                system: Some(u.consumer.clone()),
                ..Item::api(text, &api.slug)
            };
            if u.recorded_org.as_deref() == Some(org.as_str()) {
                evidence.push(item(format!(
                    "System {} of {org} consumes API {}, as {org} recorded.",
                    u.consumer, api.slug
                )));
            } else {
                missing.push(item(format!(
                    "System {} of {org} is recorded as consuming API {}, but not by {org}: a publisher of {org} confirms it by recording the use.",
                    u.consumer, api.slug
                )));
            }
        }
        if evidence.is_empty() && missing.is_empty() {
            missing.push(Item::text(
                "No system of another organisation records consuming this system's APIs.".into(),
            ));
        }
        if !evidence.is_empty() {
            missing.clear();
        }
        criterion(
            Tier::Gold,
            "confirmed_consumer",
            RULE_CONFIRMED_CONSUMER,
            evidence,
            missing,
        )
    };

    let criteria = vec![registered, kitemarked, conformant_claim, confirmed_consumer];
    let reached = |tier: Tier| criteria.iter().filter(|c| c.tier <= tier).all(|c| c.met);
    let tier = Tier::ALL.into_iter().rev().find(|t| reached(*t));
    let next = match tier {
        None => Some(Tier::Bronze),
        Some(t) => t.next(),
    }
    .map(|next| NextTier {
        tier: next,
        missing: criteria
            .iter()
            .filter(|c| c.tier <= next && !c.met)
            .flat_map(|c| c.missing.iter().cloned())
            .collect(),
    });
    Assessment {
        tier,
        standard: standard.to_string(),
        criteria,
        next,
    }
}

fn criterion(
    tier: Tier,
    id: &'static str,
    rule: &'static str,
    evidence: Vec<Item>,
    missing: Vec<Item>,
) -> Criterion {
    Criterion {
        tier,
        id,
        rule,
        met: missing.is_empty() && !evidence.is_empty(),
        evidence,
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(visibility: Visibility, owner: &str) -> Seen {
        Seen {
            visibility,
            owner: owner.into(),
        }
    }

    fn standard() -> StandardId {
        StandardId {
            name: "police-api-standard".into(),
            version: "1.1.0".into(),
        }
    }

    fn api(id: i64, slug: &str, kitemark: Option<bool>) -> ApiFacts {
        ApiFacts {
            id: ApiId(id),
            slug: slug.into(),
            seen: seen(Visibility::Public, "acme"),
            lifecycle: Lifecycle::Active,
            latest: kitemark.map(|k| LatestFacts {
                version: "1.0.0".into(),
                described: true,
                evaluation: Some(EvaluationFacts {
                    standard: standard(),
                    kitemark: k,
                    score: if k { 85 } else { 40 },
                }),
            }),
        }
    }

    fn system(apis: Vec<ApiFacts>) -> Evidence {
        Evidence {
            system: SystemFacts {
                id: SystemId(1),
                slug: "custody".into(),
                seen: seen(Visibility::Public, "acme"),
            },
            apis,
            claims: Vec::new(),
            uses: Vec::new(),
        }
    }

    fn conformant_claim() -> ClaimFacts {
        ClaimFacts {
            api_id: ApiId(1),
            contract: "custody-exchange".into(),
            version: "1.0.0".into(),
            seen: seen(Visibility::Public, "standards-body"),
            status: ClaimStatus::Conformant,
        }
    }

    fn confirmed_use(org: &str) -> UseFacts {
        UseFacts {
            api_id: ApiId(1),
            consumer: "records".into(),
            consumer_seen: seen(Visibility::Public, org),
            recorded_org: Some(org.into()),
        }
    }

    fn gold() -> Evidence {
        let mut e = system(vec![api(1, "custody-api", Some(true))]);
        e.claims.push(conformant_claim());
        e.uses.push(confirmed_use("north-force"));
        e
    }

    #[test]
    fn seen_implies_follows_who_can_see_what() {
        use Visibility::*;
        assert!(seen(Public, "a").implies(&seen(Public, "b")));
        assert!(!seen(Public, "a").implies(&seen(Policing, "a")));
        assert!(seen(Policing, "a").implies(&seen(Policing, "b")));
        assert!(seen(Restricted, "a").implies(&seen(Policing, "b")));
        assert!(seen(Restricted, "a").implies(&seen(Restricted, "a")));
        assert!(!seen(Restricted, "a").implies(&seen(Restricted, "b")));
        assert!(!seen(Policing, "a").implies(&seen(Restricted, "a")));
    }

    #[test]
    fn no_api_no_tier_and_bronze_is_next() {
        let a = assess(&system(Vec::new()), &standard());
        assert_eq!(a.tier, None);
        let next = a.next.unwrap();
        assert_eq!(next.tier, Tier::Bronze);
        assert!(next.missing[0].text.contains("No API"));
    }

    #[test]
    fn a_planned_api_earns_bronze_and_silver_names_what_is_missing() {
        let mut planned = api(1, "custody-api", None);
        planned.lifecycle = Lifecycle::Draft;
        let a = assess(&system(vec![planned]), &standard());
        assert_eq!(a.tier, Some(Tier::Bronze));
        let next = a.next.unwrap();
        assert_eq!(next.tier, Tier::Silver);
        assert_eq!(next.missing.len(), 1);
        assert!(next.missing[0].text.contains("no version published"));
        assert_eq!(next.missing[0].api.as_deref(), Some("custody-api"));
    }

    #[test]
    fn silver_needs_every_api_kitemarked_under_the_standard_in_force() {
        let both = system(vec![api(1, "a", Some(true)), api(2, "b", Some(true))]);
        assert_eq!(assess(&both, &standard()).tier, Some(Tier::Silver));
        let one_fails = system(vec![api(1, "a", Some(true)), api(2, "b", Some(false))]);
        let a = assess(&one_fails, &standard());
        assert_eq!(a.tier, Some(Tier::Bronze));
        assert!(a.next.unwrap().missing[0].text.contains("does not earn"));
        // Evaluated only under an older standard: not yet.
        let mut old = api(1, "a", Some(true));
        old.latest
            .as_mut()
            .unwrap()
            .evaluation
            .as_mut()
            .unwrap()
            .standard
            .version = "1.0.0".into();
        let a = assess(&system(vec![old]), &standard());
        assert_eq!(a.tier, Some(Tier::Bronze));
        assert!(
            a.next.unwrap().missing[0]
                .text
                .contains("not evaluated under")
        );
        // A link-only latest version is not a published description.
        let mut link = api(1, "a", Some(true));
        link.latest.as_mut().unwrap().described = false;
        assert_eq!(
            assess(&system(vec![link]), &standard()).tier,
            Some(Tier::Bronze)
        );
    }

    #[test]
    fn retired_apis_and_apis_hidden_from_the_systems_readers_do_not_count() {
        let mut retired = api(2, "old", Some(false));
        retired.lifecycle = Lifecycle::Retired;
        let mut hidden = api(3, "internal", Some(false));
        hidden.seen = seen(Visibility::Restricted, "acme");
        let e = system(vec![api(1, "a", Some(true)), retired, hidden]);
        let a = assess(&e, &standard());
        assert_eq!(a.tier, Some(Tier::Silver));
        let text = serde_json::to_string(&a).unwrap();
        assert!(!text.contains("internal"), "{text}");
    }

    #[test]
    fn gold_needs_a_conformant_claim_and_a_consumer_who_confirmed() {
        let a = assess(&gold(), &standard());
        assert_eq!(a.tier, Some(Tier::Gold));
        assert!(a.next.is_none());
        assert!(a.criteria.iter().all(|c| c.met));

        let mut e = gold();
        e.claims[0].status = ClaimStatus::NotConformant;
        let a = assess(&e, &standard());
        assert_eq!(a.tier, Some(Tier::Silver));
        assert!(a.next.unwrap().missing[0].text.contains("not conformant"));

        // Recorded by someone else (a curator, the seed): not confirmed.
        let mut e = gold();
        e.uses[0].recorded_org = Some("national-body".into());
        let a = assess(&e, &standard());
        assert_eq!(a.tier, Some(Tier::Silver));
        let missing = a.next.unwrap().missing;
        assert!(
            missing[0].text.contains("north-force confirms"),
            "{missing:?}"
        );

        // A consumer of the same organisation is no evidence of working with another supplier.
        let mut e = gold();
        e.uses = vec![confirmed_use("acme")];
        assert_eq!(assess(&e, &standard()).tier, Some(Tier::Silver));

        // A restricted consumer is hidden from the public system's readers.
        let mut e = gold();
        e.uses[0].consumer_seen.visibility = Visibility::Restricted;
        assert_eq!(assess(&e, &standard()).tier, Some(Tier::Silver));

        // A claim to a contract the system's readers cannot see does not count.
        let mut e = gold();
        e.claims[0].seen.visibility = Visibility::Policing;
        assert_eq!(assess(&e, &standard()).tier, Some(Tier::Silver));
    }

    #[test]
    fn gold_evidence_without_silver_is_not_gold() {
        let mut e = gold();
        e.apis[0] = api(1, "custody-api", Some(false));
        let a = assess(&e, &standard());
        assert_eq!(a.tier, Some(Tier::Bronze));
        let next = a.next.unwrap();
        assert_eq!(next.tier, Tier::Silver);
        assert!(
            a.criteria
                .iter()
                .filter(|c| c.tier == Tier::Gold)
                .all(|c| c.met)
        );
    }
}

//! Procurement: a buying organisation's tenders with their versioned requirement packs
//! (docs/PROCUREMENT.md), the bids suppliers make with their API descriptions, evaluators' scores,
//! the comparison of bids and the tender's documents. The judging itself is `pac_tender`'s.
//!
//! Who may do what:
//! - a tender is seen like an API (its visibility, its buyer); its buyer's publishers and curators
//!   (and admins) write it and its packs, move it along its lifecycle, score bids and award it;
//! - a bid is commercially sensitive: only the bidding supplier, the buyer's organisation and admins
//!   see it, anyone else gets "not found"; the supplier's publishers write it; a withdrawn bid keeps
//!   no description, score or evaluation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::Catalogue;
use crate::auth::Principal;
use crate::auth::policy::Visible;
use crate::domain::{BidStatus, Role, Slug, TenderLifecycle, Visibility};
use crate::error::{Code, Error, Location};
use crate::store::tenders::{self, BidRecord, NewTender, PackRow, ScoreRow, TenderRecord};
use crate::store::{Conn, Page, Paged, blobs, contracts, descriptions, organisations};
use crate::tiers::Seen;
use pac_tender::{
    Check, ContractError, ContractRef, ContractSource, Evaluation, ManualScore, ManualScores, Pack,
    PackError, Resolved,
};

/// The longest tender title accepted.
pub const MAX_TITLE_CHARS: usize = 300;
/// The longest justification of a score.
pub const MAX_JUSTIFICATION_CHARS: usize = 5_000;
/// Descriptions one bid may hold.
pub const MAX_BID_FILES: usize = 20;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTender {
    pub slug: String,
    pub title: String,
    /// Slug of the buying organisation.
    pub buyer: String,
    /// public (default), policing or restricted.
    #[serde(default)]
    pub visibility: Option<String>,
}

/// An evaluator's score of a manual requirement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutScore {
    /// On the requirement's scale (0-4 or 0-5).
    pub score: i64,
    /// The reasons, referring to the bid: the assessment summary quotes it.
    pub justification: String,
}

/// A tender with its current pack.
pub struct TenderView {
    pub record: TenderRecord,
    pub pack: Option<(PackRow, Pack)>,
}

/// A bid as its readers see it.
pub struct BidView {
    pub record: BidRecord,
    /// The slug of the catalogue system the bid offers.
    pub system: Option<String>,
    pub files: Vec<tenders::BidFileRow>,
    pub scores: Vec<ScoreRow>,
    pub evaluation: Option<Evaluation>,
}

/// One change between two versions of a pack.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PackChange {
    /// added, removed or changed.
    pub change: &'static str,
    pub requirement: String,
    /// What changed in a changed requirement: level, weight, text, check…
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<&'static str>,
}

/// Who is asking about a tender's bids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Party {
    /// Admins and members of the buying organisation: every bid.
    Buyer,
    /// A member of a supplier organisation: its own bid only.
    Supplier,
}

fn party(who: &Principal, tender: &TenderRecord) -> Party {
    if who.is_admin() || who.org().is_some_and(|o| o.as_str() == tender.buyer) {
        Party::Buyer
    } else {
        Party::Supplier
    }
}

/// Whether the caller sees every bid of the tender (the buyer's members and admins), so that a
/// page can say "no bids yet" to them and nothing at all about bids to anyone else.
pub fn sees_every_bid(who: &Principal, tender: &TenderRecord) -> bool {
    party(who, tender) == Party::Buyer
}

/// Writers of a tender: the buyer's publishers and curators, and admins.
fn require_buyer_writer(who: &Principal, tender_buyer: &str, action: &str) -> Result<(), Error> {
    if !who.is_authenticated() {
        return Err(Error::Unauthenticated(format!(
            "{action} needs a bearer token of a publisher or curator of {tender_buyer}"
        )));
    }
    if who.is_admin() {
        return Ok(());
    }
    let own = who.org().is_some_and(|o| o.as_str() == tender_buyer);
    if own && (who.has_role(Role::Publisher) || who.has_role(Role::Curator)) {
        Ok(())
    } else {
        Err(Error::Forbidden(format!(
            "{action} needs the publisher or curator role in {tender_buyer}"
        )))
    }
}

pub fn create(cat: &Catalogue, who: &Principal, input: &CreateTender) -> Result<TenderView, Error> {
    let slug = Slug::parse("slug", &input.slug)?;
    crate::domain::check_text("title", &input.title, MAX_TITLE_CHARS)?;
    let visibility = input
        .visibility
        .as_deref()
        .map(Visibility::parse)
        .transpose()?
        .unwrap_or(Visibility::Public);
    require_buyer_writer(who, &input.buyer, "creating a tender")?;
    let record = cat.store.write(|c| {
        let buyer = organisations::get(c, &input.buyer)?;
        tenders::insert(
            c,
            who,
            &NewTender {
                slug: slug.as_str(),
                buyer: buyer.id,
                title: input.title.trim(),
                visibility,
            },
        )?;
        tenders::get_visible(c, &Visible::All, slug.as_str())
    })?;
    Ok(TenderView { record, pack: None })
}

pub fn list(
    cat: &Catalogue,
    who: &Principal,
    buyer: Option<&str>,
    page: Page,
) -> Result<Paged<TenderRecord>, Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| tenders::list(c, &visible, buyer, page))
}

pub fn get(cat: &Catalogue, who: &Principal, slug: &str) -> Result<TenderView, Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| {
        let record = tenders::get_visible(c, &visible, slug)?;
        let pack = current_pack(c, &record)?;
        Ok(TenderView { record, pack })
    })
}

fn current_pack(c: &mut Conn, record: &TenderRecord) -> Result<Option<(PackRow, Pack)>, Error> {
    let Some(version) = record.tender.pack_version.as_deref() else {
        return Ok(None);
    };
    let row = tenders::pack(c, record.tender.id, version)?
        .ok_or_else(|| Error::internal("tender store", "current pack missing"))?;
    let pack = read_pack(c, &row)?;
    Ok(Some((row, pack)))
}

fn read_pack(c: &mut Conn, row: &PackRow) -> Result<Pack, Error> {
    let bytes = blobs::get(c, &row.blob_sha256)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::internal("tender store", "stored pack is not UTF-8"))?;
    Pack::parse("pack.yaml", &text).map_err(|e| Error::internal("stored pack", e))
}

/// The versions of a tender's pack, oldest first, with the original text of each.
pub fn packs(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
) -> Result<(TenderRecord, Vec<PackRow>), Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| {
        let record = tenders::get_visible(c, &visible, slug)?;
        let packs = tenders::packs(c, record.tender.id)?;
        Ok((record, packs))
    })
}

/// One version of a tender's pack: its row, the pack and its original text.
pub fn pack_version(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    version: &str,
) -> Result<(PackRow, Pack, Vec<u8>), Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| {
        let record = tenders::get_visible(c, &visible, slug)?;
        let row = tenders::pack(c, record.tender.id, version)?
            .ok_or_else(|| Error::NotFound(format!("version {version} of the pack of {slug}")))?;
        let pack = read_pack(c, &row)?;
        let bytes = blobs::get(c, &row.blob_sha256)?;
        Ok((row, pack, bytes))
    })
}

/// A pack error as the service reports it: the same code, the field and line named.
pub fn pack_error(e: PackError) -> Error {
    let code = match e.code {
        pac_tender::Code::TenderPackUnreadable => Code::TenderPackUnreadable,
        pac_tender::Code::TenderPackInvalid => Code::TenderPackInvalid,
        pac_tender::Code::TenderRuleUnknown => Code::TenderRuleUnknown,
        pac_tender::Code::TenderContractUnreadable => Code::TenderContractUnreadable,
        pac_tender::Code::TenderContractNotAvailable => Code::TenderContractNotAvailable,
    };
    Error::Invalid {
        code,
        message: e.to_string(),
        location: Box::new(Location {
            file: None,
            line: e.line.map(|l| l as usize),
            column: e.column.map(|c| c as usize),
            pointer: Some(e.pointer.clone()).filter(|p| !p.is_empty()),
        }),
    }
}

/// Contracts of the store, as a pack names them by slug and version.
struct StoredContracts<'a> {
    conn: std::cell::RefCell<&'a mut Conn>,
    /// Who reads the tender: a contract must be visible to all of them.
    tender: Seen,
    limits: pac_spec::Limits,
}

impl ContractSource for StoredContracts<'_> {
    fn contract(&self, reference: &ContractRef) -> Result<pac_tender::Contract, ContractError> {
        let (slug, version) = match reference {
            ContractRef::Stored { slug, version } => (slug, version),
            ContractRef::File { file } => {
                return Err(ContractError {
                    code: pac_tender::Code::TenderContractNotAvailable,
                    message: format!(
                        "{file} is a file, and a pack in the catalogue names contracts of the catalogue: write {{slug: SLUG, version: VERSION}}"
                    ),
                });
            }
        };
        let not_found = || ContractError {
            code: pac_tender::Code::TenderContractUnreadable,
            message: format!(
                "the catalogue has no contract {slug} {version} that everyone who can see the tender can see"
            ),
        };
        let mut conn = self.conn.borrow_mut();
        let c: &mut Conn = &mut conn;
        let found = contracts::find_visible(c, &Visible::All, slug).map_err(|_| not_found())?;
        let Some(record) = found else {
            return Err(not_found());
        };
        let seen = Seen {
            visibility: record.contract.visibility,
            owner: record.owner.clone(),
        };
        if !self.tender.implies(&seen) {
            return Err(not_found());
        }
        let row = contracts::find_version(c, &record.contract, version)
            .map_err(|_| not_found())?
            .ok_or_else(not_found)?;
        let description =
            descriptions::of_contract_version(c, &row, &self.limits).map_err(|e| {
                ContractError {
                    code: pac_tender::Code::TenderContractUnreadable,
                    message: format!("the contract {slug} {version} cannot be read: {e}"),
                }
            })?;
        Ok(pac_tender::Contract {
            name: format!("{slug} {}", row.version),
            description,
        })
    }
}

fn resolve(
    c: &mut Conn,
    cat: &Catalogue,
    record: &TenderRecord,
    pack: Pack,
) -> Result<Resolved, Error> {
    let source = StoredContracts {
        conn: std::cell::RefCell::new(c),
        tender: Seen {
            visibility: record.tender.visibility,
            owner: record.buyer.clone(),
        },
        limits: cat.limits.clone(),
    };
    pac_tender::resolve(pack, "pack.yaml", &source).map_err(pack_error)
}

/// What changed between two versions of a pack, requirement by requirement.
pub fn pack_changes(old: &Pack, new: &Pack) -> Vec<PackChange> {
    let mut out = Vec::new();
    for r in &old.requirements {
        if new.requirement(&r.id).is_none() {
            out.push(PackChange {
                change: "removed",
                requirement: r.id.clone(),
                fields: Vec::new(),
            });
        }
    }
    for r in &new.requirements {
        let Some(before) = old.requirement(&r.id) else {
            out.push(PackChange {
                change: "added",
                requirement: r.id.clone(),
                fields: Vec::new(),
            });
            continue;
        };
        let mut fields = Vec::new();
        if before.level != r.level {
            fields.push("level");
        }
        if before.weight != r.weight {
            fields.push("weight");
        }
        if before.title != r.title || before.text != r.text {
            fields.push("text");
        }
        if before.evidence != r.evidence {
            fields.push("evidence");
        }
        if before.check != r.check {
            fields.push("assessment");
        }
        if before.section != r.section {
            fields.push("section");
        }
        if !fields.is_empty() {
            out.push(PackChange {
                change: "changed",
                requirement: r.id.clone(),
                fields,
            });
        }
    }
    out
}

/// What adding a pack version did.
pub struct PackAdded {
    pub row: PackRow,
    pub pack: Pack,
    pub created: bool,
}

/// Adds a version of a tender's pack (the YAML text): checked whole (shape, rules, contracts in the
/// catalogue) before anything is stored. A version label is immutable: the same text again
/// changes nothing, other text under the same label is a conflict.
pub fn put_pack(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    body: &[u8],
) -> Result<PackAdded, Error> {
    if body.len() > pac_tender::pack::MAX_PACK_BYTES {
        return Err(Error::invalid(
            Code::TenderPackUnreadable,
            format!(
                "a pack may be at most {} bytes",
                pac_tender::pack::MAX_PACK_BYTES
            ),
        ));
    }
    let text = std::str::from_utf8(body)
        .map_err(|_| Error::invalid(Code::TenderPackUnreadable, "the pack is not UTF-8 text"))?;
    let pack = Pack::parse("pack.yaml", text).map_err(pack_error)?;
    pack.check_rules("pack.yaml", &cat.standard)
        .map_err(pack_error)?;
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(body));
    let visible = Visible::for_principal(who);
    let added = cat.store.write(|c| {
        let record = tenders::get_visible(c, &visible, slug)?;
        require_buyer_writer(who, &record.buyer, "changing a tender's pack")?;
        if matches!(
            record.tender.lifecycle,
            TenderLifecycle::Closed | TenderLifecycle::Awarded
        ) {
            return Err(Error::conflict(
                Code::TenderNotOpen,
                format!(
                    "tender {slug} is {}: its pack no longer changes",
                    record.tender.lifecycle.as_str()
                ),
            ));
        }
        if let Some(existing) = tenders::pack(c, record.tender.id, &pack.version)? {
            if existing.blob_sha256 == sha {
                return Ok(PackAdded {
                    row: existing,
                    pack: pack.clone(),
                    created: false,
                });
            }
            return Err(Error::conflict(
                Code::VersionConflict,
                format!(
                    "version {} of the pack of {slug} exists with other content: a published pack never changes; give the change a new version",
                    pack.version
                ),
            ));
        }
        // The contracts it names exist and are as visible as the tender.
        let resolved = resolve(c, cat, &record, pack.clone())?;
        let changes = match current_pack(c, &record)? {
            Some((_, before)) => pack_changes(&before, &resolved.pack),
            None => Vec::new(),
        };
        blobs::put(c, &sha, body)?;
        let row = tenders::insert_pack(
            c,
            who,
            &record.tender,
            &pack.version,
            &sha,
            &serde_json::to_value(&changes).unwrap_or(Value::Null),
        )?;
        Ok(PackAdded {
            row,
            pack: resolved.pack,
            created: true,
        })
    })?;
    if added.created {
        // Bids are judged against the newest pack.
        reevaluate_bids(cat, slug);
    }
    Ok(added)
}

/// Moves a tender to `published` (bids may come in) or `closed` (no more bids).
pub fn set_lifecycle(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    to: &str,
) -> Result<TenderView, Error> {
    let to = TenderLifecycle::parse(to)?;
    let visible = Visible::for_principal(who);
    cat.store.write(|c| {
        let record = tenders::get_visible(c, &visible, slug)?;
        require_buyer_writer(who, &record.buyer, "changing a tender's lifecycle")?;
        let from = record.tender.lifecycle;
        let allowed = matches!(
            (from, to),
            (TenderLifecycle::Draft, TenderLifecycle::Published)
                | (TenderLifecycle::Published, TenderLifecycle::Closed)
        );
        if !allowed {
            let hint = match to {
                TenderLifecycle::Awarded => "award it with POST …/award",
                TenderLifecycle::Draft => "a published tender does not go back to draft",
                _ => "a tender goes draft → published → closed → awarded",
            };
            return Err(Error::invalid_at(
                Code::InvalidTenderLifecycle,
                format!(
                    "tender {slug} cannot go from {} to {}: {hint}",
                    from.as_str(),
                    to.as_str()
                ),
                "/lifecycle",
            ));
        }
        if to == TenderLifecycle::Published && record.tender.pack_version.is_none() {
            return Err(Error::conflict(
                Code::TenderPackRequired,
                format!("tender {slug} has no requirement pack: add one before publishing it"),
            ));
        }
        tenders::set_lifecycle(c, who, &record.tender, to, None)?;
        let record = tenders::get_visible(c, &Visible::All, slug)?;
        let pack = current_pack(c, &record)?;
        Ok(TenderView { record, pack })
    })
}

/// The tender and the bid of `supplier` if the caller may see that bid: the supplier's members,
/// the buyer's and admins. Anyone else: not found.
fn visible_bid(
    c: &mut Conn,
    who: &Principal,
    slug: &str,
    supplier: &str,
) -> Result<(TenderRecord, BidRecord), Error> {
    let record = tenders::get_visible(c, &Visible::for_principal(who), slug)?;
    let not_found = || Error::NotFound(format!("bid of {supplier} in tender {slug}"));
    let own = who.org().is_some_and(|o| o.as_str() == supplier);
    if party(who, &record) != Party::Buyer && !own {
        return Err(not_found());
    }
    let bid = tenders::bid_of(c, record.tender.id, supplier)?.ok_or_else(not_found)?;
    Ok((record, bid))
}

fn system_slug(c: &mut Conn, id: Option<crate::domain::SystemId>) -> Result<Option<String>, Error> {
    let Some(id) = id else {
        return Ok(None);
    };
    Ok(
        crate::store::systems::visible_records_by_ids(c, &Visible::All, &[id])?
            .pop()
            .map(|s| s.system.slug),
    )
}

fn bid_view(c: &mut Conn, record: BidRecord) -> Result<BidView, Error> {
    let system = system_slug(c, record.bid.system_id)?;
    let files = tenders::files(c, record.bid.id)?;
    let scores = tenders::scores(c, record.bid.id)?;
    let evaluation = match record.bid.evaluation.as_deref() {
        Some(json) => Some(
            serde_json::from_str::<Evaluation>(json)
                .map_err(|e| Error::internal("stored evaluation", e))?,
        ),
        None => None,
    };
    Ok(BidView {
        record,
        system,
        files,
        scores,
        evaluation,
    })
}

/// The bids of a tender the caller may see: every bid for the buyer and admins, a supplier's own
/// bid for its members, none for anyone else.
pub fn bids(cat: &Catalogue, who: &Principal, slug: &str) -> Result<Vec<BidView>, Error> {
    let visible = Visible::for_principal(who);
    let stale = cat.store.read(|c| {
        let record = tenders::get_visible(c, &visible, slug)?;
        Ok(tenders::bids_of(c, record.tender.id)?
            .into_iter()
            .any(|b| is_stale(&record, &b)))
    })?;
    if stale {
        reevaluate_bids(cat, slug);
    }
    cat.store.read(|c| {
        let record = tenders::get_visible(c, &visible, slug)?;
        let party = party(who, &record);
        let own = who.org().map(|o| o.as_str().to_owned());
        tenders::bids_of(c, record.tender.id)?
            .into_iter()
            .filter(|b| party == Party::Buyer || own.as_deref() == Some(b.supplier.as_str()))
            .map(|b| bid_view(c, b))
            .collect()
    })
}

fn is_stale(record: &TenderRecord, bid: &BidRecord) -> bool {
    bid.bid.status == BidStatus::Open
        && bid.bid.evaluation.is_some()
        && bid.bid.evaluated_pack_version != record.tender.pack_version
}

pub fn bid(cat: &Catalogue, who: &Principal, slug: &str, supplier: &str) -> Result<BidView, Error> {
    let stale = cat.store.read(|c| {
        let (record, bid) = visible_bid(c, who, slug, supplier)?;
        Ok(is_stale(&record, &bid))
    })?;
    if stale {
        reevaluate_bids(cat, slug);
    }
    cat.store.read(|c| {
        let (_, bid) = visible_bid(c, who, slug, supplier)?;
        bid_view(c, bid)
    })
}

/// The original bytes of one description of a bid.
pub fn bid_file(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    supplier: &str,
    name: &str,
) -> Result<(tenders::BidFileRow, Vec<u8>), Error> {
    cat.store.read(|c| {
        let (_, bid) = visible_bid(c, who, slug, supplier)?;
        let file = tenders::files(c, bid.bid.id)?
            .into_iter()
            .find(|f| f.name == name)
            .ok_or_else(|| Error::NotFound(format!("description {name} of the bid")))?;
        let bytes = blobs::get(c, &file.blob_sha256)?;
        Ok((file, bytes))
    })
}

/// A description's name in a bid: what the supplier calls the file.
fn check_file_name(name: &str) -> Result<(), Error> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_')
        && !name.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_at(
            Code::InvalidSlug,
            format!(
                "description name {name:?} must be 1 to 100 letters, digits, '.', '-' or '_', not starting with '.'"
            ),
            "/name",
        ))
    }
}

/// `supplier`'s open bid in tender `slug`, opened if it has none: for the supplier's publishers,
/// while the tender is published, unless the supplier withdrew it.
fn open_bid(
    c: &mut Conn,
    who: &Principal,
    visible: &Visible,
    slug: &str,
    supplier: &str,
) -> Result<tenders::BidRow, Error> {
    let record = tenders::get_visible(c, visible, slug)?;
    crate::auth::policy::require_owner(who, supplier, "bidding")?;
    if record.tender.lifecycle != TenderLifecycle::Published {
        return Err(Error::conflict(
            Code::TenderNotOpen,
            format!(
                "tender {slug} is {}: bids are taken only while it is published",
                record.tender.lifecycle.as_str()
            ),
        ));
    }
    let bid = match tenders::bid_of(c, record.tender.id, supplier)? {
        Some(b) => b.bid,
        None => {
            let org = organisations::get(c, supplier)?;
            tenders::insert_bid(c, who, &record.tender, org.id, supplier)?
        }
    };
    if bid.status == BidStatus::Withdrawn {
        return Err(Error::conflict(
            Code::BidWithdrawn,
            format!("the bid of {supplier} in tender {slug} was withdrawn"),
        ));
    }
    Ok(bid)
}

/// Adds a description to `supplier`'s bid (opening the bid if it has none), or replaces the one of
/// that name; then evaluates the bid. Only while the tender is published, by the supplier's
/// publishers.
pub fn put_bid_file(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    supplier: &str,
    name: &str,
    body: &[u8],
) -> Result<BidView, Error> {
    check_file_name(name)?;
    // Read whole before anything is stored: an unreadable description is refused, named.
    pac_spec::load_body(body, &cat.limits)?;
    let media_type = match pac_spec::sniff::sniff(body) {
        pac_spec::sniff::Sniffed::Zip => "application/zip",
        pac_spec::sniff::Sniffed::TarGz => "application/gzip",
        pac_spec::sniff::Sniffed::Json => "application/json",
        pac_spec::sniff::Sniffed::Yaml => "application/yaml",
    };
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(body));
    let visible = Visible::for_principal(who);
    cat.store.write(|c| {
        let bid = open_bid(c, who, &visible, slug, supplier)?;
        let files = tenders::files(c, bid.id)?;
        if files.len() >= MAX_BID_FILES && !files.iter().any(|f| f.name == name) {
            return Err(Error::invalid(
                Code::PayloadTooLarge,
                format!("a bid holds at most {MAX_BID_FILES} descriptions"),
            ));
        }
        blobs::put(c, &sha, body)?;
        tenders::put_file(
            c,
            who,
            bid.id,
            &format!("{slug}/{supplier}"),
            name,
            media_type,
            &sha,
        )
    })?;
    evaluate_bid(cat, slug, supplier)?;
    bid(cat, who, slug, supplier)
}

/// Names the supplier's catalogue system that `supplier`'s bid offers (None: no system), for the
/// pack's `tier` requirements; then evaluates the bid again. Opens the bid if it has none.
pub fn set_bid_system(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    supplier: &str,
    system: Option<&str>,
) -> Result<BidView, Error> {
    let visible = Visible::for_principal(who);
    cat.store.write(|c| {
        let bid = open_bid(c, who, &visible, slug, supplier)?;
        let chosen = match system {
            Some(s) => {
                let found = crate::store::systems::find_visible(c, &visible, s)?
                    .filter(|r| r.owner == supplier)
                    .ok_or_else(|| Error::NotFound(format!("system {s} of {supplier}")))?;
                Some((found.system.id, found.system.slug))
            }
            None => None,
        };
        tenders::set_system(
            c,
            who,
            bid.id,
            &format!("{slug}/{supplier}"),
            chosen.as_ref().map(|(id, s)| (*id, s.as_str())),
        )
    })?;
    evaluate_bid(cat, slug, supplier)?;
    bid(cat, who, slug, supplier)
}

/// Removes a description from `supplier`'s bid, then evaluates the bid again.
pub fn delete_bid_file(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    supplier: &str,
    name: &str,
) -> Result<(), Error> {
    cat.store.write(|c| {
        let (record, bid) = visible_bid(c, who, slug, supplier)?;
        crate::auth::policy::require_owner(who, supplier, "changing a bid")?;
        if record.tender.lifecycle != TenderLifecycle::Published {
            return Err(Error::conflict(
                Code::TenderNotOpen,
                format!("tender {slug} is not taking bids"),
            ));
        }
        if !tenders::delete_file(c, who, bid.bid.id, &format!("{slug}/{supplier}"), name)? {
            return Err(Error::NotFound(format!("description {name} of the bid")));
        }
        Ok(())
    })?;
    evaluate_bid(cat, slug, supplier)
}

/// Withdraws `supplier`'s bid: its descriptions, scores and evaluation are deleted for good.
pub fn withdraw(cat: &Catalogue, who: &Principal, slug: &str, supplier: &str) -> Result<(), Error> {
    cat.store.write(|c| {
        let (record, bid) = visible_bid(c, who, slug, supplier)?;
        crate::auth::policy::require_owner(who, supplier, "withdrawing a bid")?;
        if record.tender.lifecycle == TenderLifecycle::Awarded {
            return Err(Error::conflict(
                Code::TenderNotOpen,
                format!("tender {slug} is awarded"),
            ));
        }
        if bid.bid.status == BidStatus::Withdrawn {
            return Ok(());
        }
        tenders::withdraw(c, who, bid.bid.id, &format!("{slug}/{supplier}"))
    })
}

/// Records an evaluator's score of a manual requirement of `supplier`'s bid (the buyer's
/// publishers and curators), then evaluates the bid again.
pub fn put_score(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    supplier: &str,
    requirement: &str,
    input: &PutScore,
) -> Result<BidView, Error> {
    crate::domain::check_text(
        "justification",
        &input.justification,
        MAX_JUSTIFICATION_CHARS,
    )?;
    cat.store.write(|c| {
        let (record, bid) = visible_bid(c, who, slug, supplier)?;
        require_buyer_writer(who, &record.buyer, "scoring a bid")?;
        if bid.bid.status == BidStatus::Withdrawn {
            return Err(Error::conflict(
                Code::BidWithdrawn,
                format!("the bid of {supplier} was withdrawn"),
            ));
        }
        let Some((_, pack)) = current_pack(c, &record)? else {
            return Err(Error::conflict(
                Code::TenderPackRequired,
                format!("tender {slug} has no pack"),
            ));
        };
        let Some(r) = pack.requirement(requirement) else {
            return Err(Error::invalid_at(
                Code::InvalidScore,
                format!("the pack of {slug} has no requirement {requirement}"),
                "/requirement",
            ));
        };
        let Check::Manual(manual) = &r.check else {
            return Err(Error::invalid_at(
                Code::InvalidScore,
                format!(
                    "requirement {requirement} is assessed by the catalogue ({}), not scored by an evaluator",
                    r.check.kind()
                ),
                "/requirement",
            ));
        };
        if !(0..=i64::from(manual.max)).contains(&input.score) {
            return Err(Error::invalid_at(
                Code::InvalidScore,
                format!(
                    "requirement {requirement} is scored on {}: {} is off the scale",
                    manual.scale(),
                    input.score
                ),
                "/score",
            ));
        }
        tenders::put_score(
            c,
            who,
            bid.bid.id,
            &format!("{slug}/{supplier}"),
            requirement,
            input.score as i32,
            input.justification.trim(),
        )
    })?;
    evaluate_bid(cat, slug, supplier)?;
    bid(cat, who, slug, supplier)
}

/// Evaluates one bid against the tender's current pack and stores the result (none for a bid
/// without descriptions). Reading and judging happen outside the write transaction.
pub fn evaluate_bid(cat: &Catalogue, slug: &str, supplier: &str) -> Result<(), Error> {
    let loaded = cat.store.read(|c| {
        let record = tenders::get_visible(c, &Visible::All, slug)?;
        let Some(bid) = tenders::bid_of(c, record.tender.id, supplier)? else {
            return Ok(None);
        };
        let Some((row, pack)) = current_pack(c, &record)? else {
            return Ok(None);
        };
        let resolved = resolve(c, cat, &record, pack)?;
        let mut files = Vec::new();
        for f in tenders::files(c, bid.bid.id)? {
            files.push((f.name, blobs::get(c, &f.blob_sha256)?));
        }
        let scores: ManualScores = tenders::scores(c, bid.bid.id)?
            .into_iter()
            .map(|s| {
                (
                    s.requirement,
                    ManualScore {
                        score: s.score.clamp(0, 255) as u8,
                        note: Some(s.justification),
                    },
                )
            })
            .collect();
        // The tier of the system the bid offers, as the catalogue judges it now.
        let system = match (bid.bid.system_id, system_slug(c, bid.bid.system_id)?) {
            (Some(id), Some(slug)) => {
                let tier = crate::store::tiers::assess_systems(c, &[id], &cat.standard_id())?
                    .remove(&id)
                    .and_then(|a| a.tier)
                    .and_then(|t| pac_tender::Tier::parse(t.as_str()));
                Some(pac_tender::BidSystem { slug, tier })
            }
            _ => None,
        };
        Ok(Some((bid, row.version, resolved, files, scores, system)))
    })?;
    let Some((bid, pack_version, resolved, files, scores, system)) = loaded else {
        return Ok(());
    };
    let evaluation = if files.is_empty() || bid.bid.status == BidStatus::Withdrawn {
        None
    } else {
        let mut described = Vec::new();
        for (name, bytes) in files {
            let description =
                pac_spec::load_body(&bytes, &cat.limits.at_least(&Default::default()))?;
            described.push(pac_tender::BidFile { name, description });
        }
        // Scores of requirements a newer pack no longer has (or no longer scores) are left out.
        let scores: ManualScores = scores
            .into_iter()
            .filter(|(id, s)| {
                resolved
                    .pack
                    .requirement(id)
                    .is_some_and(|r| matches!(&r.check, Check::Manual(m) if s.score <= m.max))
            })
            .collect();
        let e = pac_tender::evaluate(
            &resolved,
            &cat.standard,
            &pac_tender::Bid {
                name: bid.supplier_name.clone(),
                files: described,
                system,
            },
            &scores,
            &cat.limits,
        )
        .map_err(|e| Error::internal("evaluating a bid", e))?;
        Some(serde_json::to_string(&e).map_err(|e| Error::internal("evaluation", e))?)
    };
    cat.store.write(|c| {
        tenders::set_evaluation(
            c,
            bid.bid.id,
            evaluation.as_deref(),
            evaluation.as_ref().map(|_| pack_version.as_str()),
        )
    })
}

/// Evaluates every open bid of a tender again (after a new pack version). A failure is logged:
/// the bid keeps its evaluation and is tried again when next read.
fn reevaluate_bids(cat: &Catalogue, slug: &str) {
    let suppliers = cat.store.read(|c| {
        let record = tenders::get_visible(c, &Visible::All, slug)?;
        Ok(tenders::bids_of(c, record.tender.id)?
            .into_iter()
            .filter(|b| b.bid.status == BidStatus::Open)
            .map(|b| b.supplier)
            .collect::<Vec<_>>())
    });
    for supplier in suppliers.unwrap_or_default() {
        if let Err(e) = evaluate_bid(cat, slug, &supplier) {
            tracing::error!(tender = slug, supplier = %supplier, error = %e, "bid not evaluated");
        }
    }
}

/// The buyer's side-by-side view of every evaluated open bid. Anyone else: not found.
pub fn comparison(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
) -> Result<(TenderView, pac_tender::Comparison), Error> {
    let view = get(cat, who, slug)?;
    if party(who, &view.record) != Party::Buyer {
        return Err(Error::NotFound(format!("comparison of the bids of {slug}")));
    }
    let Some((_, pack)) = &view.pack else {
        return Err(Error::conflict(
            Code::TenderPackRequired,
            format!("tender {slug} has no pack"),
        ));
    };
    let evaluations: Vec<Evaluation> = bids(cat, who, slug)?
        .into_iter()
        .filter(|b| b.record.bid.status == BidStatus::Open)
        .filter_map(|b| b.evaluation)
        .collect();
    let comparison = pac_tender::compare(pack, &evaluations);
    Ok((view, comparison))
}

/// The evaluations the caller may put into the tender's OCDS release: every open bid's for the
/// buyer and admins, none for anyone else (a bid appears in no one else's export).
pub fn exported_bids(
    cat: &Catalogue,
    who: &Principal,
    view: &TenderView,
) -> Result<Vec<Evaluation>, Error> {
    if party(who, &view.record) != Party::Buyer {
        return Ok(Vec::new());
    }
    Ok(bids(cat, who, &view.record.tender.slug)?
        .into_iter()
        .filter(|b| b.record.bid.status == BidStatus::Open)
        .filter_map(|b| b.evaluation)
        .collect())
}

/// Score rows by requirement, for views.
pub fn scores_by_requirement(scores: &[ScoreRow]) -> BTreeMap<&str, &ScoreRow> {
    scores.iter().map(|s| (s.requirement.as_str(), s)).collect()
}

/// The JSON of a tender's pack as the API shows it.
pub fn pack_json(pack: &Pack) -> Value {
    serde_json::to_value(pack).unwrap_or_else(|_| json!(null))
}

/// Awarding a tender to a supplier's bid, and the catalogue entry the solution gets.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Award {
    /// Slug of the supplier whose bid wins.
    pub supplier: String,
    /// The system the solution is recorded as, owned by the supplier: made when it does not
    /// exist, else the supplier's own system of that slug.
    pub system: AwardSystem,
    /// Who may see the records the award makes (system and APIs): policing (default: any
    /// signed-in user, never the public), public or restricted (the supplier only). The
    /// supplier owns them and may change it.
    #[serde(default)]
    pub visibility: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardSystem {
    pub slug: String,
    pub name: String,
}

/// What an award recorded.
pub struct Awarded {
    pub tender: TenderView,
    pub system: String,
    /// The APIs made or updated from the bid's descriptions, by the description's name.
    pub apis: Vec<(String, String)>,
    /// The claims to implement the pack's contracts: (contract, version, API, status).
    pub claims: Vec<(String, String, String, String)>,
}

/// The slug of the API an awarded description becomes: the system's slug and the file's stem.
fn api_slug_for(system: &str, file: &str) -> Result<Slug, Error> {
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let mut words = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            words.push(c.to_ascii_lowercase());
        } else if !words.ends_with('-') {
            words.push('-');
        }
    }
    let words = words.trim_matches('-');
    let mut slug = if words.is_empty() || system.ends_with(words) {
        format!("{system}-api")
    } else {
        format!("{system}-{words}")
    };
    slug.truncate(64);
    Slug::parse("slug", slug.trim_end_matches('-'))
}

/// Awards the tender to `supplier`'s bid (the buyer's publishers and curators): the tender becomes
/// awarded, and the catalogue records the solution as a system of the supplier with one API per
/// description of the bid (each published as a version and evaluated) and claims to implement the
/// pack's catalogue contracts through the APIs that met them, checked from now on like any claim.
/// The supplier's records are written by the catalogue itself (audit actor `system`), under the
/// buyer's `tender.award` entry. Only a compliant bid is awarded: no MUST unmet, no score missing.
pub fn award(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    input: &Award,
) -> Result<Awarded, Error> {
    let system_slug = Slug::parse("system.slug", &input.system.slug)?;
    let visibility = input
        .visibility
        .as_deref()
        .map(Visibility::parse)
        .transpose()?
        .unwrap_or(Visibility::Policing);
    crate::domain::check_text(
        "system.name",
        &input.system.name,
        crate::domain::MAX_NAME_CHARS,
    )?;
    let refused = |m: String| Error::conflict(Code::AwardRefused, m);
    // Bids judged against an older pack are judged again first.
    bids(cat, who, slug)?;
    // Everything checked and read before anything is written.
    let (record, files, contracts_met) = cat.store.read(|c| {
        let record = tenders::get_visible(c, &Visible::for_principal(who), slug)?;
        require_buyer_writer(who, &record.buyer, "awarding a tender")?;
        if !matches!(
            record.tender.lifecycle,
            TenderLifecycle::Published | TenderLifecycle::Closed
        ) {
            return Err(Error::conflict(
                Code::TenderNotOpen,
                format!(
                    "tender {slug} is {}: only a published or closed tender is awarded",
                    record.tender.lifecycle.as_str()
                ),
            ));
        }
        let bid = tenders::bid_of(c, record.tender.id, &input.supplier)?
            .ok_or_else(|| Error::NotFound(format!("bid of {} in tender {slug}", input.supplier)))?;
        if bid.bid.status == BidStatus::Withdrawn {
            return Err(refused(format!("the bid of {} was withdrawn", input.supplier)));
        }
        let view = bid_view(c, bid)?;
        let Some(evaluation) = view.evaluation.filter(|_| {
            view.record.bid.evaluated_pack_version == record.tender.pack_version
        }) else {
            return Err(refused(format!(
                "the bid of {} has no evaluation against the current pack",
                input.supplier
            )));
        };
        match evaluation.verdict {
            pac_tender::Verdict::Compliant => {}
            pac_tender::Verdict::NonCompliant => {
                return Err(refused(format!(
                    "the bid of {} does not meet every MUST requirement",
                    input.supplier
                )));
            }
            pac_tender::Verdict::NeedsReview => {
                return Err(refused(format!(
                    "the bid of {} waits for evaluators' scores: score every manual requirement first",
                    input.supplier
                )));
            }
        }
        if let Some(existing) = crate::store::systems::find_visible(c, &Visible::All, system_slug.as_str())?
            && existing.owner != input.supplier
        {
            return Err(refused(format!(
                "system {system_slug} exists and belongs to {}: choose another slug",
                existing.owner
            )));
        }
        let mut files = Vec::new();
        for f in &view.files {
            let api = api_slug_for(system_slug.as_str(), &f.name)?;
            if let Some(existing) = crate::store::apis::find_any(c, api.as_str())?
                && (existing.organisation_id != organisations::get(c, &input.supplier)?.id)
            {
                return Err(refused(format!(
                    "API {api} exists and belongs to another organisation: rename the description {} or choose another system slug",
                    f.name
                )));
            }
            if let Some((other, _, _)) = files.iter().find(|(_, a, _)| *a == api) {
                return Err(refused(format!(
                    "the descriptions {other} and {} would both become API {api}: the supplier renames one",
                    f.name
                )));
            }
            let bytes = blobs::get(c, &f.blob_sha256)?;
            files.push((f.name.clone(), api, bytes));
        }
        // The catalogue contracts the pack asks for, with the description that met each.
        let pack = current_pack(c, &record)?.map(|(_, p)| p);
        let mut met = Vec::new();
        for r in pack.iter().flat_map(|p| &p.requirements) {
            let Check::Contract(ContractRef::Stored { slug: contract, version }) = &r.check else {
                continue;
            };
            let file = evaluation
                .requirements
                .iter()
                .find(|o| o.id == r.id && o.status == pac_tender::Status::Met)
                .and_then(|o| o.evidence.iter().find(|e| e.holds && e.file.is_some()))
                .and_then(|e| e.file.clone());
            if let Some(file) = file {
                met.push((contract.clone(), version.clone(), file));
            }
        }
        Ok((record, files, met))
    })?;

    let owner = input.supplier.clone();
    let system_name = input.system.name.trim().to_owned();
    let description = format!("Awarded tender {slug} ({})", record.tender.title);
    let catalogue = Principal::System;
    let ensure_system = |c: &mut Conn| -> Result<(), Error> {
        if crate::store::systems::find_visible(c, &Visible::All, system_slug.as_str())?.is_none() {
            super::systems::create_in(
                c,
                &catalogue,
                &super::systems::CreateSystem {
                    slug: system_slug.as_str().to_owned(),
                    name: system_name.clone(),
                    owner: owner.clone(),
                    description: Some(description.clone()),
                    visibility: Some(visibility.as_str().to_owned()),
                },
                Some(&format!("tender {slug}")),
            )?;
        }
        Ok(())
    };
    let mut apis = Vec::new();
    for (name, api, bytes) in &files {
        let desc = pac_spec::load_body(bytes, &cat.limits.at_least(&Default::default()))?;
        let prepare = |c: &mut Conn| -> Result<(), Error> {
            ensure_system(c)?;
            if crate::store::apis::find_any(c, api.as_str())?.is_none() {
                let owner_row = organisations::get(c, &owner)?;
                let system =
                    crate::store::systems::get_visible(c, &Visible::All, system_slug.as_str())?;
                crate::store::apis::insert(
                    c,
                    &catalogue,
                    &crate::store::apis::NewApi {
                        slug: api,
                        owner: &owner_row,
                        system: Some(&system.system),
                        name: &desc.title,
                        description: desc.description.as_deref(),
                        visibility,
                        lifecycle: crate::domain::Lifecycle::Draft,
                        documentation_url: None,
                        compatibility: crate::domain::CompatPolicy::Warn,
                        source: "tender",
                        tags: &[],
                    },
                    json!({ "owner": owner, "tender": slug, "description": name }),
                )?;
            }
            Ok(())
        };
        super::versions::publish(
            cat,
            &catalogue,
            api.as_str(),
            None,
            &desc,
            super::versions::PublishOptions {
                prepare: Some(&prepare),
                ..super::versions::PublishOptions::INTERACTIVE
            },
        )?;
        apis.push((name.clone(), api.as_str().to_owned()));
    }
    if files.is_empty() {
        cat.store.write(|c| ensure_system(c))?;
    }
    let mut claim_ids = Vec::new();
    cat.store.write(|c| {
        for (contract, version, file) in &contracts_met {
            let Some((_, api)) = apis.iter().find(|(name, _)| name == file) else {
                continue;
            };
            let row = super::claims::create_in(
                c,
                &catalogue,
                system_slug.as_str(),
                &super::claims::CreateClaim {
                    contract: contract.clone(),
                    version: Some(version.clone()),
                    api: api.clone(),
                },
            )?;
            claim_ids.push(row.id);
        }
        let supplier = organisations::get(c, &owner)?;
        tenders::set_lifecycle(
            c,
            who,
            &record.tender,
            TenderLifecycle::Awarded,
            Some(supplier.id),
        )?;
        crate::store::audit::record(
            c,
            who,
            "tender.award",
            slug,
            None,
            json!({ "supplier": owner, "system": system_slug.as_str(), "apis": apis.iter().map(|a| &a.1).collect::<Vec<_>>() }),
        )
    })?;
    cat.after_write();
    for id in &claim_ids {
        cat.verify_claims(
            crate::store::relations::Claims::One(*id),
            super::conformance::Recheck::Always,
        );
    }
    let claims = cat.store.read(|c| {
        let rows = claim_ids
            .iter()
            .map(|id| {
                crate::store::relations::implementations(
                    c,
                    crate::store::relations::Claims::One(*id),
                )
            })
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect();
        Ok(super::claims::views(c, &Visible::All, rows)?
            .into_iter()
            .map(|v| {
                (
                    v.contract,
                    v.contract_version,
                    v.api,
                    v.row.status.as_str().to_owned(),
                )
            })
            .collect())
    })?;
    let tender = get(cat, who, slug)?;
    Ok(Awarded {
        tender,
        system: system_slug.as_str().to_owned(),
        apis,
        claims,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_awarded_description_becomes_an_api_named_after_system_and_file() {
        let slug = |system, file| api_slug_for(system, file).unwrap().as_str().to_owned();
        assert_eq!(slug("acme-rms", "custody.yaml"), "acme-rms-custody");
        assert_eq!(
            slug("acme-rms", "Custody API v2.json"),
            "acme-rms-custody-api-v2"
        );
        // No stutter when the file is named like the system; no empty words.
        assert_eq!(
            slug("acme-stop-search", "stop-search.yaml"),
            "acme-stop-search-api"
        );
        assert_eq!(slug("acme-rms", "___.yaml"), "acme-rms-api");
        // Within the 64 characters of a slug, never ending in a hyphen.
        let system = "a".repeat(60);
        let long = slug(system.as_str(), "bbbbbbbbbb.yaml");
        assert!(long.len() <= 64 && !long.ends_with('-'), "{long}");
        // Two descriptions can meet on one slug: the award refuses that, by name.
        assert_eq!(slug("x", "a.yaml"), slug("x", "a.json"));
    }
}

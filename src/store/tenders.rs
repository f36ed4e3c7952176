//! Tenders, their requirement packs, and bids. Tenders are filtered by the same visibility policy
//! as APIs; bids are not filtered here at all: `usecase::tenders` lets only the bidding supplier,
//! the buying organisation and admins near them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{bid_files, bid_scores, bids, organisations, tender_packs, tenders};
use super::{Conn, Page, Paged, audit, now, visible_clause};
use crate::auth::Principal;
use crate::auth::policy::Visible;
use crate::domain::{
    BidId, BidStatus, OrganisationId, SystemId, TenderId, TenderLifecycle, Visibility,
};
use crate::error::{Code, Error};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tenders)]
pub struct TenderRow {
    pub id: TenderId,
    pub slug: String,
    pub organisation_id: OrganisationId,
    pub title: String,
    pub visibility: Visibility,
    pub lifecycle: TenderLifecycle,
    pub pack_version: Option<String>,
    pub awarded_to: Option<OrganisationId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A tender with the slugs of its buyer and, once awarded, its supplier.
#[derive(Debug, Clone)]
pub struct TenderRecord {
    pub tender: TenderRow,
    pub buyer: String,
    pub awarded_to: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tender_packs)]
pub struct PackRow {
    pub id: i64,
    pub tender_id: TenderId,
    pub version: String,
    pub seq: i32,
    pub blob_sha256: String,
    /// JSON: what changed from the version before.
    pub changes: String,
    pub published_by: String,
    pub published_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = bids)]
pub struct BidRow {
    pub id: BidId,
    pub tender_id: TenderId,
    pub organisation_id: OrganisationId,
    pub status: BidStatus,
    pub system_id: Option<SystemId>,
    pub evaluation: Option<String>,
    pub evaluated_pack_version: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A bid with the slug and name of the bidding supplier.
#[derive(Debug, Clone)]
pub struct BidRecord {
    pub bid: BidRow,
    pub supplier: String,
    pub supplier_name: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = bid_files)]
pub struct BidFileRow {
    pub bid_id: BidId,
    pub name: String,
    pub media_type: String,
    pub blob_sha256: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = bid_scores)]
pub struct ScoreRow {
    pub bid_id: BidId,
    pub requirement: String,
    pub score: i32,
    pub justification: String,
    pub scored_by: String,
    pub scored_at: NaiveDateTime,
}

pub struct NewTender<'a> {
    pub slug: &'a str,
    pub buyer: OrganisationId,
    pub title: &'a str,
    pub visibility: Visibility,
}

/// Creates a tender, a draft without a pack, and records it in the audit log.
pub fn insert(conn: &mut Conn, who: &Principal, new: &NewTender) -> Result<TenderRow, Error> {
    let exists: i64 = tenders::table
        .filter(tenders::slug.eq(new.slug))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Err(Error::conflict(
            Code::TenderExists,
            format!("tender {} already exists", new.slug),
        ));
    }
    let at = now();
    let row = diesel::insert_into(tenders::table)
        .values((
            tenders::slug.eq(new.slug),
            tenders::organisation_id.eq(new.buyer),
            tenders::title.eq(new.title),
            tenders::visibility.eq(new.visibility.as_str()),
            tenders::lifecycle.eq(TenderLifecycle::Draft.as_str()),
            tenders::created_at.eq(at),
            tenders::updated_at.eq(at),
        ))
        .returning(tenders::all_columns)
        .get_result::<TenderRow>(conn)?;
    audit::record(
        conn,
        who,
        "tender.create",
        new.slug,
        None,
        serde_json::json!({}),
    )?;
    Ok(row)
}

type TenderClause = Box<
    dyn diesel::BoxableExpression<
            tenders::table,
            super::MultiBackend,
            SqlType = diesel::sql_types::Bool,
        >,
>;

/// A draft is its buyer's working copy: only the buyer's members and admins see it, whatever its
/// visibility will be once published.
fn drafts_clause(visible: &Visible) -> Option<TenderClause> {
    match visible {
        Visible::All => None,
        Visible::Levels { own_org, .. } => {
            let published = tenders::lifecycle.ne(TenderLifecycle::Draft.as_str());
            Some(match own_org {
                Some(org) => Box::new(
                    published.or(tenders::organisation_id.eq_any(
                        organisations::table
                            .filter(organisations::slug.eq(org.as_str().to_string()))
                            .select(organisations::id),
                    )),
                ) as TenderClause,
                None => Box::new(published) as TenderClause,
            })
        }
    }
}

/// The tender named `slug` if the caller may see it.
pub fn get_visible(conn: &mut Conn, visible: &Visible, slug: &str) -> Result<TenderRecord, Error> {
    let mut q = tenders::table
        .filter(tenders::slug.eq(slug.to_string()))
        .into_boxed();
    if let Some(clause) = visible_clause!(tenders, visible) {
        q = q.filter(clause);
    }
    if let Some(clause) = drafts_clause(visible) {
        q = q.filter(clause);
    }
    let row = q
        .select(TenderRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("tender {slug}")))?;
    Ok(records(conn, vec![row])?.remove(0))
}

/// The tenders the caller may see, optionally of one buyer, newest first.
pub fn list(
    conn: &mut Conn,
    visible: &Visible,
    buyer: Option<&str>,
    page: Page,
) -> Result<Paged<TenderRecord>, Error> {
    let query = || {
        let mut q = tenders::table.into_boxed();
        if let Some(clause) = visible_clause!(tenders, visible) {
            q = q.filter(clause);
        }
        if let Some(clause) = drafts_clause(visible) {
            q = q.filter(clause);
        }
        if let Some(org) = buyer {
            q = q.filter(
                tenders::organisation_id.eq_any(
                    organisations::table
                        .filter(organisations::slug.eq(org.to_string()))
                        .select(organisations::id),
                ),
            );
        }
        q
    };
    let total = query().count().get_result(conn)?;
    let rows = query()
        .order((tenders::created_at.desc(), tenders::id.desc()))
        .limit(page.limit)
        .offset(page.offset)
        .select(TenderRow::as_select())
        .load(conn)?;
    Ok(Paged {
        items: records(conn, rows)?,
        total,
    })
}

fn records(conn: &mut Conn, rows: Vec<TenderRow>) -> Result<Vec<TenderRecord>, Error> {
    let mut ids: Vec<OrganisationId> = rows.iter().map(|r| r.organisation_id).collect();
    ids.extend(rows.iter().filter_map(|r| r.awarded_to));
    let names: std::collections::HashMap<OrganisationId, String> = organisations::table
        .filter(organisations::id.eq_any(&ids))
        .select((organisations::id, organisations::slug))
        .load::<(OrganisationId, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|tender| TenderRecord {
            buyer: names
                .get(&tender.organisation_id)
                .cloned()
                .unwrap_or_default(),
            awarded_to: tender.awarded_to.and_then(|o| names.get(&o).cloned()),
            tender,
        })
        .collect())
}

/// Moves a tender along its lifecycle (the caller checked the move is allowed).
pub fn set_lifecycle(
    conn: &mut Conn,
    who: &Principal,
    tender: &TenderRow,
    lifecycle: TenderLifecycle,
    awarded_to: Option<OrganisationId>,
) -> Result<(), Error> {
    diesel::update(tenders::table.filter(tenders::id.eq(tender.id)))
        .set((
            tenders::lifecycle.eq(lifecycle.as_str()),
            tenders::awarded_to.eq(awarded_to),
            tenders::updated_at.eq(now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        who,
        "tender.lifecycle",
        &tender.slug,
        None,
        serde_json::json!({ "from": tender.lifecycle.as_str(), "to": lifecycle.as_str() }),
    )
}

/// The versions of a tender's pack, oldest first.
pub fn packs(conn: &mut Conn, tender: TenderId) -> Result<Vec<PackRow>, Error> {
    tender_packs::table
        .filter(tender_packs::tender_id.eq(tender))
        .order(tender_packs::seq)
        .select(PackRow::as_select())
        .load(conn)
        .map_err(Error::from)
}

pub fn pack(conn: &mut Conn, tender: TenderId, version: &str) -> Result<Option<PackRow>, Error> {
    tender_packs::table
        .filter(tender_packs::tender_id.eq(tender))
        .filter(tender_packs::version.eq(version))
        .select(PackRow::as_select())
        .first(conn)
        .optional()
        .map_err(Error::from)
}

/// Adds a version of a tender's pack (its text already a blob) and makes it the one bids are
/// judged against.
pub fn insert_pack(
    conn: &mut Conn,
    who: &Principal,
    tender: &TenderRow,
    version: &str,
    blob_sha256: &str,
    changes: &serde_json::Value,
) -> Result<PackRow, Error> {
    let seq: Option<i32> = tender_packs::table
        .filter(tender_packs::tender_id.eq(tender.id))
        .select(diesel::dsl::max(tender_packs::seq))
        .first(conn)?;
    let row = diesel::insert_into(tender_packs::table)
        .values((
            tender_packs::tender_id.eq(tender.id),
            tender_packs::version.eq(version),
            tender_packs::seq.eq(seq.unwrap_or(0) + 1),
            tender_packs::blob_sha256.eq(blob_sha256),
            tender_packs::changes.eq(changes.to_string()),
            tender_packs::published_by.eq(who.actor()),
            tender_packs::published_at.eq(now()),
        ))
        .returning(tender_packs::all_columns)
        .get_result::<PackRow>(conn)?;
    diesel::update(tenders::table.filter(tenders::id.eq(tender.id)))
        .set((
            tenders::pack_version.eq(version),
            tenders::updated_at.eq(now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        who,
        "tender.pack",
        &format!("{}@{version}", tender.slug),
        Some(blob_sha256),
        serde_json::json!({}),
    )?;
    Ok(row)
}

/// Every bid of a tender, withdrawn ones included, by supplier slug.
pub fn bids_of(conn: &mut Conn, tender: TenderId) -> Result<Vec<BidRecord>, Error> {
    Ok(bids::table
        .inner_join(organisations::table)
        .filter(bids::tender_id.eq(tender))
        .order(organisations::slug)
        .select((
            BidRow::as_select(),
            organisations::slug,
            organisations::name,
        ))
        .load::<(BidRow, String, String)>(conn)?
        .into_iter()
        .map(|(bid, supplier, supplier_name)| BidRecord {
            bid,
            supplier,
            supplier_name,
        })
        .collect())
}

/// The bid of `supplier` (by slug) in a tender, if it made one.
pub fn bid_of(
    conn: &mut Conn,
    tender: TenderId,
    supplier: &str,
) -> Result<Option<BidRecord>, Error> {
    Ok(bids_of(conn, tender)?
        .into_iter()
        .find(|b| b.supplier == supplier))
}

/// Opens a bid for `supplier`.
pub fn insert_bid(
    conn: &mut Conn,
    who: &Principal,
    tender: &TenderRow,
    supplier: OrganisationId,
    supplier_slug: &str,
) -> Result<BidRow, Error> {
    let at = now();
    let row = diesel::insert_into(bids::table)
        .values((
            bids::tender_id.eq(tender.id),
            bids::organisation_id.eq(supplier),
            bids::status.eq(BidStatus::Open.as_str()),
            bids::created_by.eq(who.actor()),
            bids::created_at.eq(at),
            bids::updated_at.eq(at),
        ))
        .returning(bids::all_columns)
        .get_result::<BidRow>(conn)?;
    audit::record(
        conn,
        who,
        "bid.create",
        &format!("{}/{supplier_slug}", tender.slug),
        None,
        serde_json::json!({}),
    )?;
    Ok(row)
}

pub fn files(conn: &mut Conn, bid: BidId) -> Result<Vec<BidFileRow>, Error> {
    bid_files::table
        .filter(bid_files::bid_id.eq(bid))
        .order(bid_files::name)
        .select(BidFileRow::as_select())
        .load(conn)
        .map_err(Error::from)
}

/// Adds a description to a bid, or replaces the one of the same name.
pub fn put_file(
    conn: &mut Conn,
    who: &Principal,
    bid: BidId,
    target: &str,
    name: &str,
    media_type: &str,
    blob_sha256: &str,
) -> Result<(), Error> {
    diesel::delete(
        bid_files::table
            .filter(bid_files::bid_id.eq(bid))
            .filter(bid_files::name.eq(name)),
    )
    .execute(conn)?;
    diesel::insert_into(bid_files::table)
        .values((
            bid_files::bid_id.eq(bid),
            bid_files::name.eq(name),
            bid_files::media_type.eq(media_type),
            bid_files::blob_sha256.eq(blob_sha256),
            bid_files::created_at.eq(now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        who,
        "bid.description",
        target,
        Some(blob_sha256),
        serde_json::json!({ "name": name }),
    )
}

/// Removes a description from a bid; false when it had none of that name.
pub fn delete_file(
    conn: &mut Conn,
    who: &Principal,
    bid: BidId,
    target: &str,
    name: &str,
) -> Result<bool, Error> {
    let n = diesel::delete(
        bid_files::table
            .filter(bid_files::bid_id.eq(bid))
            .filter(bid_files::name.eq(name)),
    )
    .execute(conn)?;
    if n > 0 {
        audit::record(
            conn,
            who,
            "bid.description_delete",
            target,
            None,
            serde_json::json!({ "name": name }),
        )?;
    }
    Ok(n > 0)
}

/// Stores a bid's evaluation (or clears it, for a bid without descriptions).
pub fn set_evaluation(
    conn: &mut Conn,
    bid: BidId,
    evaluation: Option<&str>,
    pack_version: Option<&str>,
) -> Result<(), Error> {
    diesel::update(bids::table.filter(bids::id.eq(bid)))
        .set((
            bids::evaluation.eq(evaluation),
            bids::evaluated_pack_version.eq(pack_version),
            bids::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Names the catalogue system a bid offers (or none).
pub fn set_system(
    conn: &mut Conn,
    who: &Principal,
    bid: BidId,
    target: &str,
    system: Option<(SystemId, &str)>,
) -> Result<(), Error> {
    diesel::update(bids::table.filter(bids::id.eq(bid)))
        .set((
            bids::system_id.eq(system.map(|s| s.0)),
            bids::updated_at.eq(now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        who,
        "bid.system",
        target,
        None,
        serde_json::json!({ "system": system.map(|s| s.1) }),
    )
}

/// Withdraws a bid: its descriptions, scores and evaluation are deleted, the row stays as a
/// record that there was a bid.
pub fn withdraw(conn: &mut Conn, who: &Principal, bid: BidId, target: &str) -> Result<(), Error> {
    diesel::delete(bid_files::table.filter(bid_files::bid_id.eq(bid))).execute(conn)?;
    diesel::delete(bid_scores::table.filter(bid_scores::bid_id.eq(bid))).execute(conn)?;
    diesel::update(bids::table.filter(bids::id.eq(bid)))
        .set((
            bids::status.eq(BidStatus::Withdrawn.as_str()),
            bids::evaluation.eq(None::<String>),
            bids::evaluated_pack_version.eq(None::<String>),
            bids::updated_at.eq(now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        who,
        "bid.withdraw",
        target,
        None,
        serde_json::json!({}),
    )
}

pub fn scores(conn: &mut Conn, bid: BidId) -> Result<Vec<ScoreRow>, Error> {
    bid_scores::table
        .filter(bid_scores::bid_id.eq(bid))
        .order(bid_scores::requirement)
        .select(ScoreRow::as_select())
        .load(conn)
        .map_err(Error::from)
}

/// Records an evaluator's score of one manual requirement, replacing the one before; the audit
/// log keeps both.
pub fn put_score(
    conn: &mut Conn,
    who: &Principal,
    bid: BidId,
    target: &str,
    requirement: &str,
    score: i32,
    justification: &str,
) -> Result<(), Error> {
    let was: Option<i32> = bid_scores::table
        .filter(bid_scores::bid_id.eq(bid))
        .filter(bid_scores::requirement.eq(requirement))
        .select(bid_scores::score)
        .first(conn)
        .optional()?;
    diesel::delete(
        bid_scores::table
            .filter(bid_scores::bid_id.eq(bid))
            .filter(bid_scores::requirement.eq(requirement)),
    )
    .execute(conn)?;
    diesel::insert_into(bid_scores::table)
        .values((
            bid_scores::bid_id.eq(bid),
            bid_scores::requirement.eq(requirement),
            bid_scores::score.eq(score),
            bid_scores::justification.eq(justification),
            bid_scores::scored_by.eq(who.actor()),
            bid_scores::scored_at.eq(now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        who,
        "bid.score",
        target,
        None,
        serde_json::json!({ "requirement": requirement, "score": score, "was": was }),
    )
}

//! Relations between systems, contracts and APIs: a system implements a contract version through
//! one of its APIs (a claim with the result of its last conformance check), and consumes APIs
//! (what for, and what the integration replaces).
//!
//! These functions do not filter by visibility: a relation is shown only when every entry it joins
//! is visible, and the callers (`store::interop`, the handlers) check that against sets of visible
//! ids they have read through `visible_clause!`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{consumptions, contract_versions, contracts, implementations, systems};
use super::{Conn, audit, now};
use crate::auth::Principal;
use crate::domain::{
    ApiId, ClaimId, ClaimStatus, ContractId, ContractVersionId, Replaces, SystemId, UseId,
    VersionId,
};
use crate::error::{Code, Error};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = implementations)]
pub struct ImplementationRow {
    pub id: ClaimId,
    pub system_id: SystemId,
    pub contract_version_id: ContractVersionId,
    pub api_id: ApiId,
    pub status: ClaimStatus,
    /// JSON: the conformance report of the last check, or why there was none.
    pub report: String,
    pub checked_version_id: Option<VersionId>,
    pub checked_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = consumptions)]
pub struct ConsumptionRow {
    pub id: UseId,
    pub system_id: SystemId,
    pub api_id: ApiId,
    pub version_id: Option<VersionId>,
    pub purpose: String,
    pub replaces: Replaces,
    pub hours_saved_per_month: Option<f64>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The organisation of the caller who last stated this use (none for the service itself).
    pub recorded_org: Option<String>,
}

impl ConsumptionRow {
    /// Whether `consumer_owner`, the organisation of the consuming system, stated this use itself.
    pub fn confirmed_by(&self, consumer_owner: &str) -> bool {
        self.recorded_org.as_deref() == Some(consumer_owner)
    }
}

/// Records a claim, unverified until [`set_check`] stores the result of its first check.
pub fn insert_implementation(
    conn: &mut Conn,
    who: &Principal,
    system_id: SystemId,
    contract_version_id: ContractVersionId,
    api_id: ApiId,
    target: &str,
) -> Result<ImplementationRow, Error> {
    let exists: i64 = implementations::table
        .filter(implementations::system_id.eq(system_id))
        .filter(implementations::contract_version_id.eq(contract_version_id))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Err(Error::conflict(
            Code::ImplementationExists,
            format!("{target} is already claimed; delete the claim to make it again"),
        ));
    }
    let row = diesel::insert_into(implementations::table)
        .values((
            implementations::system_id.eq(system_id),
            implementations::contract_version_id.eq(contract_version_id),
            implementations::api_id.eq(api_id),
            implementations::status.eq("unverified"),
            implementations::report.eq(r#"{"reason":"not checked yet"}"#),
            implementations::created_by.eq(who.actor()),
            implementations::created_at.eq(now()),
        ))
        .returning(implementations::all_columns)
        .get_result::<ImplementationRow>(conn)?;
    audit::record(
        conn,
        who,
        "system.implements",
        target,
        None,
        serde_json::json!({}),
    )?;
    Ok(row)
}

/// Stores the result of checking a claim; a change of status is recorded in the audit log (the
/// status is evidence for the system's interoperability tier).
pub fn set_check(
    conn: &mut Conn,
    id: ClaimId,
    status: &str,
    report: &str,
    checked_version_id: Option<VersionId>,
) -> Result<(), Error> {
    let before: Option<(String, String, String, String)> = implementations::table
        .inner_join(systems::table)
        .inner_join(contract_versions::table.inner_join(contracts::table))
        .filter(implementations::id.eq(id))
        .select((
            implementations::status,
            systems::slug,
            contracts::slug,
            contract_versions::version,
        ))
        .first(conn)
        .optional()?;
    diesel::update(implementations::table.filter(implementations::id.eq(id)))
        .set((
            implementations::status.eq(status),
            implementations::report.eq(report),
            implementations::checked_version_id.eq(checked_version_id),
            implementations::checked_at.eq(Some(now())),
        ))
        .execute(conn)?;
    if let Some((was, system, contract, version)) = before
        && was != status
    {
        audit::record(
            conn,
            &Principal::System,
            "system.implements_check",
            &format!("{system}:{contract}@{version}"),
            None,
            serde_json::json!({ "status": status, "was": was }),
        )?;
    }
    Ok(())
}

pub fn delete_implementation(
    conn: &mut Conn,
    who: &Principal,
    id: ClaimId,
    target: &str,
) -> Result<(), Error> {
    diesel::delete(implementations::table.filter(implementations::id.eq(id))).execute(conn)?;
    audit::record(
        conn,
        who,
        "system.implements_delete",
        target,
        None,
        serde_json::json!({}),
    )?;
    Ok(())
}

/// Which claims a check covers.
#[derive(Debug, Clone, Copy)]
pub enum Claims {
    One(ClaimId),
    OfApi(ApiId),
    OfContract(ContractId),
    All,
}

pub fn implementations(conn: &mut Conn, which: Claims) -> Result<Vec<ImplementationRow>, Error> {
    let mut q = implementations::table.into_boxed();
    q = match which {
        Claims::One(id) => q.filter(implementations::id.eq(id)),
        Claims::OfApi(id) => q.filter(implementations::api_id.eq(id)),
        Claims::OfContract(id) => q.filter(
            implementations::contract_version_id.eq_any(
                contract_versions::table
                    .filter(contract_versions::contract_id.eq(id))
                    .select(contract_versions::id),
            ),
        ),
        Claims::All => q,
    };
    q.order(implementations::id.asc())
        .select(ImplementationRow::as_select())
        .load(conn)
        .map_err(Error::from)
}

pub fn implementations_of_system(
    conn: &mut Conn,
    system_id: SystemId,
) -> Result<Vec<ImplementationRow>, Error> {
    implementations::table
        .filter(implementations::system_id.eq(system_id))
        .order(implementations::id.asc())
        .select(ImplementationRow::as_select())
        .load(conn)
        .map_err(Error::from)
}

/// What a system says about its use of an API.
pub struct NewConsumption<'a> {
    pub system_id: SystemId,
    pub api_id: ApiId,
    pub version_id: Option<VersionId>,
    pub purpose: &'a str,
    pub replaces: &'a str,
    pub hours_saved_per_month: Option<f64>,
}

/// Records that a system consumes an API, or replaces what it said before. Returns the row and
/// whether it is new.
pub fn put_consumption(
    conn: &mut Conn,
    who: &Principal,
    new: &NewConsumption,
    target: &str,
) -> Result<(ConsumptionRow, bool), Error> {
    let existing = consumptions::table
        .filter(consumptions::system_id.eq(new.system_id))
        .filter(consumptions::api_id.eq(new.api_id))
        .select(consumptions::id)
        .first::<i64>(conn)
        .optional()?;
    let at = now();
    let row = match existing {
        Some(id) => diesel::update(consumptions::table.filter(consumptions::id.eq(id)))
            .set((
                consumptions::version_id.eq(new.version_id),
                consumptions::purpose.eq(new.purpose),
                consumptions::replaces.eq(new.replaces),
                consumptions::hours_saved_per_month.eq(new.hours_saved_per_month),
                consumptions::updated_at.eq(at),
                consumptions::recorded_org.eq(who.org().map(|o| o.as_str())),
            ))
            .returning(consumptions::all_columns)
            .get_result::<ConsumptionRow>(conn)?,
        None => diesel::insert_into(consumptions::table)
            .values((
                consumptions::system_id.eq(new.system_id),
                consumptions::api_id.eq(new.api_id),
                consumptions::version_id.eq(new.version_id),
                consumptions::purpose.eq(new.purpose),
                consumptions::replaces.eq(new.replaces),
                consumptions::hours_saved_per_month.eq(new.hours_saved_per_month),
                consumptions::created_by.eq(who.actor()),
                consumptions::created_at.eq(at),
                consumptions::updated_at.eq(at),
                consumptions::recorded_org.eq(who.org().map(|o| o.as_str())),
            ))
            .returning(consumptions::all_columns)
            .get_result::<ConsumptionRow>(conn)?,
    };
    audit::record(
        conn,
        who,
        "system.consumes",
        target,
        None,
        serde_json::json!({ "replaces": new.replaces }),
    )?;
    Ok((row, existing.is_none()))
}

pub fn delete_consumption(
    conn: &mut Conn,
    who: &Principal,
    id: UseId,
    target: &str,
) -> Result<(), Error> {
    diesel::delete(consumptions::table.filter(consumptions::id.eq(id))).execute(conn)?;
    audit::record(
        conn,
        who,
        "system.consumes_delete",
        target,
        None,
        serde_json::json!({}),
    )?;
    Ok(())
}

pub fn consumptions_of_system(
    conn: &mut Conn,
    system_id: SystemId,
) -> Result<Vec<ConsumptionRow>, Error> {
    consumptions::table
        .filter(consumptions::system_id.eq(system_id))
        .order(consumptions::id.asc())
        .select(ConsumptionRow::as_select())
        .load(conn)
        .map_err(Error::from)
}

/// The uses of an API: of any version, or (with `version_id`) of that version and of the API
/// without a version named.
pub fn consumptions_of_api(
    conn: &mut Conn,
    api_id: ApiId,
    version_id: Option<VersionId>,
) -> Result<Vec<ConsumptionRow>, Error> {
    let mut q = consumptions::table
        .filter(consumptions::api_id.eq(api_id))
        .into_boxed();
    if let Some(v) = version_id {
        q = q.filter(
            consumptions::version_id
                .eq(v)
                .or(consumptions::version_id.is_null()),
        );
    }
    q.order(consumptions::id.asc())
        .select(ConsumptionRow::as_select())
        .load(conn)
        .map_err(Error::from)
}

pub fn all_consumptions(conn: &mut Conn) -> Result<Vec<ConsumptionRow>, Error> {
    consumptions::table
        .order(consumptions::id.asc())
        .select(ConsumptionRow::as_select())
        .load(conn)
        .map_err(Error::from)
}

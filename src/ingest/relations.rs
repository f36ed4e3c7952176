//! Recording relations: a system's claim to implement a contract version through one of its APIs,
//! and its use of an API. The one path for HTTP and for the catalogue as code: it checks that the
//! caller sees every entry named ("not found" otherwise), may write for the system's owner, and that
//! what is said holds together, then writes with its audit entry. Call inside `Store::write`.

use crate::auth::Principal;
use crate::auth::policy::{Visible, require_relation_writer};
use crate::domain::{Replaces, VersionLabel};
use crate::error::{Code, Error};
use crate::store::relations::{self, ConsumptionRow, ImplementationRow, NewConsumption};
use crate::store::systems::SystemRecord;
use crate::store::{Conn, apis, contracts, systems, versions};

/// The longest purpose accepted.
pub const MAX_PURPOSE_CHARS: usize = 2_000;
/// More hours saved a month than anyone could claim for one integration: a typo, refused.
pub const MAX_HOURS_PER_MONTH: f64 = 100_000.0;

/// A claim as stated: the contract version (None for the latest) and the implementing API.
pub struct Claim<'a> {
    pub system: &'a str,
    pub contract: &'a str,
    pub version: Option<&'a str>,
    pub api: &'a str,
}

/// Records a claim, unverified until it is checked (`ingest::conformance::verify`).
pub fn claim(conn: &mut Conn, who: &Principal, c: &Claim) -> Result<ImplementationRow, Error> {
    let visible = Visible::for_principal(who);
    let system = systems::get_visible(conn, &visible, c.system)?;
    let contract = contracts::get_visible(conn, &visible, c.contract)?;
    let version = contracts::get_version(conn, &contract.contract, c.version.unwrap_or("latest"))?;
    let api = apis::get_visible(conn, &visible, c.api)?;
    require_relation_writer(
        who,
        &system.owner,
        "claiming that a system implements a contract",
    )?;
    if api.api.system_id != Some(system.system.id) {
        return Err(Error::invalid_at(
            Code::ApiNotOfSystem,
            format!(
                "API {} is not an API of system {}: set its system first (PATCH /api/v1/apis/{} with {{\"system\": \"{}\"}})",
                api.api.slug, system.system.slug, api.api.slug, system.system.slug
            ),
            "/api",
        ));
    }
    let target = format!(
        "{}:{}@{}",
        system.system.slug, contract.contract.slug, version.version
    );
    relations::insert_implementation(conn, who, system.system.id, version.id, api.api.id, &target)
}

/// A use of an API as stated.
pub struct Use<'a> {
    pub system: &'a str,
    pub api: &'a str,
    /// A version label (or `latest`), when the system names the version it uses.
    pub version: Option<&'a str>,
    pub purpose: &'a str,
    pub replaces: Option<&'a str>,
    pub hours_saved_per_month: Option<f64>,
}

/// Checks what a use says about itself, before anything is looked up.
pub fn check_use(u: &Use) -> Result<Replaces, Error> {
    crate::domain::check_text("purpose", u.purpose, MAX_PURPOSE_CHARS)?;
    if let Some(v) = u.version {
        VersionLabel::parse(v)?;
    }
    let replaces = u
        .replaces
        .map(Replaces::parse)
        .transpose()?
        .unwrap_or(Replaces::Nothing);
    if let Some(hours) = u.hours_saved_per_month {
        if !(0.0..=MAX_HOURS_PER_MONTH).contains(&hours) {
            return Err(Error::invalid_at(
                Code::InvalidHours,
                format!(
                    "hours_saved_per_month must be between 0 and {MAX_HOURS_PER_MONTH}, got {hours}"
                ),
                "/hours_saved_per_month",
            ));
        }
        if replaces == Replaces::Nothing && hours > 0.0 {
            return Err(Error::invalid_at(
                Code::InvalidHours,
                "hours_saved_per_month counts the work a workaround took: say what the integration replaces (manual_rekeying or screen_scraping)",
                "/replaces",
            ));
        }
    }
    Ok(replaces)
}

/// Records that a system uses an API, or replaces what was recorded. Returns the row, the system,
/// the API's slug, the version label and whether the record is new.
pub fn record_use(
    conn: &mut Conn,
    who: &Principal,
    u: &Use,
) -> Result<(ConsumptionRow, SystemRecord, String, Option<String>, bool), Error> {
    let replaces = check_use(u)?;
    let visible = Visible::for_principal(who);
    let system = systems::get_visible(conn, &visible, u.system)?;
    let api = apis::get_visible(conn, &visible, u.api)?;
    require_relation_writer(
        who,
        &system.owner,
        "recording that a system consumes an API",
    )?;
    let version = match u.version {
        Some("latest") if versions::find(conn, api.api.id, "latest")?.is_none() => {
            let latest = api.api.latest_version.clone().ok_or_else(|| {
                Error::NotFound(format!(
                    "latest version of API {} (it has none)",
                    api.api.slug
                ))
            })?;
            Some(versions::get(conn, api.api.id, &api.api.slug, &latest)?)
        }
        Some(label) => Some(versions::get(conn, api.api.id, &api.api.slug, label)?),
        None => None,
    };
    let target = format!("{}:{}", system.system.slug, api.api.slug);
    let (row, created) = relations::put_consumption(
        conn,
        who,
        &NewConsumption {
            system_id: system.system.id,
            api_id: api.api.id,
            version_id: version.as_ref().map(|v| v.id),
            purpose: u.purpose.trim(),
            replaces: replaces.as_str(),
            hours_saved_per_month: u.hours_saved_per_month,
        },
        &target,
    )?;
    Ok((
        row,
        system,
        api.api.slug,
        version.map(|v| v.version),
        created,
    ))
}

//! Uses: which APIs a system consumes, what for, and what each integration replaces (manual
//! re-keying, screen scraping, or nothing) with the hours it saves a month; and, from the other
//! side, the systems a deprecation affects. Publishers record uses for their own organisation's
//! systems; curators for any. The one path for HTTP and the catalogue as code.

use std::collections::HashMap;

use serde::Deserialize;
use utoipa::ToSchema;

use super::Catalogue;
use super::versions::api_version;
use crate::auth::Principal;
use crate::auth::policy::{Visible, require_relation_writer};
use crate::domain::{ApiId, Replaces, SystemId, VersionId, VersionLabel};
use crate::error::{Code, Error};
use crate::store::relations::{self, ConsumptionRow, NewConsumption};
use crate::store::systems::{self, SystemRecord};
use crate::store::{Conn, apis, versions};

/// The longest purpose accepted.
pub const MAX_PURPOSE_CHARS: usize = 2_000;
/// More hours saved a month than anyone could claim for one integration: a typo, refused.
pub const MAX_HOURS_PER_MONTH: f64 = 100_000.0;

/// A use as stated.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PutConsumption)]
pub struct PutUse {
    /// What the system uses the API for.
    pub purpose: String,
    /// The version used (default: none named, i.e. whichever is current).
    #[serde(default)]
    pub version: Option<String>,
    /// What the integration replaces: manual_rekeying, screen_scraping or nothing (default).
    #[serde(default)]
    pub replaces: Option<String>,
    /// Estimated hours saved a month, for an integration that replaces a workaround.
    #[serde(default)]
    pub hours_saved_per_month: Option<f64>,
}

/// A use with the names of what it joins.
#[derive(Debug)]
pub struct UseView {
    pub row: ConsumptionRow,
    pub system: SystemRecord,
    pub api: String,
    pub version: Option<String>,
}

impl PutUse {
    /// Checks what a use says about itself, before anything is looked up.
    pub fn check(&self) -> Result<Replaces, Error> {
        crate::domain::check_text("purpose", &self.purpose, MAX_PURPOSE_CHARS)?;
        if let Some(v) = &self.version {
            VersionLabel::parse(v)?;
        }
        let replaces = self
            .replaces
            .as_deref()
            .map(Replaces::parse)
            .transpose()?
            .unwrap_or(Replaces::Nothing);
        if let Some(hours) = self.hours_saved_per_month {
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
}

/// The uses among `rows` whose system and API `visible` shows, named.
pub fn views(
    c: &mut Conn,
    visible: &Visible,
    rows: Vec<ConsumptionRow>,
) -> Result<Vec<UseView>, Error> {
    let system_ids: Vec<SystemId> = rows.iter().map(|r| r.system_id).collect();
    let api_ids: Vec<ApiId> = rows.iter().map(|r| r.api_id).collect();
    let version_ids: Vec<VersionId> = rows.iter().filter_map(|r| r.version_id).collect();
    let systems: HashMap<SystemId, SystemRecord> =
        systems::visible_records_by_ids(c, visible, &system_ids)?
            .into_iter()
            .map(|s| (s.system.id, s))
            .collect();
    let apis = apis::visible_slugs(c, visible, &api_ids)?;
    let labels = versions::labels_by_ids(c, &version_ids)?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let system = systems.get(&row.system_id)?.clone();
            let api = apis.get(&row.api_id)?.clone();
            let version = row.version_id.and_then(|v| labels.get(&v).cloned());
            Some(UseView {
                row,
                system,
                api,
                version,
            })
        })
        .collect())
}

/// The APIs a system consumes, as the caller may see them.
pub fn list(cat: &Catalogue, who: &Principal, system: &str) -> Result<Vec<UseView>, Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| {
        let system = systems::get_visible(c, &visible, system)?;
        let rows = relations::consumptions_of_system(c, system.system.id)?;
        views(c, &visible, rows)
    })
}

/// Deprecation impact: the systems that consume version `label` of `api` (those that name it,
/// and those that name no version).
pub fn consumers(
    cat: &Catalogue,
    who: &Principal,
    api: &str,
    label: &str,
) -> Result<Vec<UseView>, Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| {
        let (record, version) = api_version(c, who, api, label)?;
        let rows = relations::consumptions_of_api(c, record.api.id, Some(version.id))?;
        views(c, &visible, rows)
    })
}

/// Records that `system` uses `api`, or replaces what was recorded. True when the record is new.
pub fn put(
    cat: &Catalogue,
    who: &Principal,
    system: &str,
    api: &str,
    input: &PutUse,
) -> Result<(UseView, bool), Error> {
    let recorded = cat.store.write(|c| put_in(c, who, system, api, input))?;
    cat.after_write();
    Ok(recorded)
}

/// [`put`]'s core, inside the caller's transaction.
pub fn put_in(
    conn: &mut Conn,
    who: &Principal,
    system: &str,
    api: &str,
    input: &PutUse,
) -> Result<(UseView, bool), Error> {
    let replaces = input.check()?;
    let visible = Visible::for_principal(who);
    let system = systems::get_visible(conn, &visible, system)?;
    let api = apis::get_visible(conn, &visible, api)?;
    require_relation_writer(
        who,
        &system.owner,
        "recording that a system consumes an API",
    )?;
    let version = match input.version.as_deref() {
        Some(label) => Some(
            versions::find_labelled(conn, api.api.id, api.api.latest_version.as_deref(), label)?
                .ok_or_else(|| {
                    Error::NotFound(format!("version {label} of API {}", api.api.slug))
                })?,
        ),
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
            purpose: input.purpose.trim(),
            replaces: replaces.as_str(),
            hours_saved_per_month: input.hours_saved_per_month,
        },
        &target,
    )?;
    let view = UseView {
        row,
        system,
        api: api.api.slug,
        version: version.map(|v| v.version),
    };
    Ok((view, created))
}

/// Removes the record that `system` uses `api`.
pub fn remove(cat: &Catalogue, who: &Principal, system: &str, api: &str) -> Result<(), Error> {
    cat.store.write(|c| {
        let visible = Visible::for_principal(who);
        let record = systems::get_visible(c, &visible, system)?;
        let found = apis::get_visible(c, &visible, api)?;
        let row = relations::consumptions_of_system(c, record.system.id)?
            .into_iter()
            .find(|r| r.api_id == found.api.id)
            .ok_or_else(|| Error::NotFound(format!("use of API {api} by system {system}")))?;
        require_relation_writer(who, &record.owner, "removing a use of an API")?;
        relations::delete_consumption(c, who, row.id, &format!("{system}:{api}"))
    })?;
    cat.after_write();
    Ok(())
}

/// What deprecating `api` would affect, as warnings: one line per visible consuming system.
pub fn deprecation_warnings(
    c: &mut Conn,
    visible: &Visible,
    api_id: ApiId,
) -> Result<Vec<String>, Error> {
    let rows = relations::consumptions_of_api(c, api_id, None)?;
    Ok(views(c, visible, rows)?
        .into_iter()
        .map(|u| {
            format!(
                "system {} ({}) consumes this API{}: {}",
                u.system.system.slug,
                u.system.owner,
                u.version
                    .map(|v| format!(" (version {v})"))
                    .unwrap_or_default(),
                u.row.purpose
            )
        })
        .collect())
}

//! The audit log: every write, who made it and when, newest first. Admins only.

use super::Catalogue;
use crate::auth::Principal;
use crate::auth::policy::require_role;
use crate::domain::Role;
use crate::error::Error;
use crate::store::audit::{self, AuditFilter, AuditRow};
use crate::store::{Page, Paged};

pub fn list(
    cat: &Catalogue,
    who: &Principal,
    filter: &AuditFilter,
    page: Page,
) -> Result<Paged<AuditRow>, Error> {
    require_role(who, Role::Admin, "reading the audit log")?;
    cat.store.read(|c| audit::list(c, filter, page))
}

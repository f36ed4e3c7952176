//! The access policy, in one place. Reads: [`Visible`] says which visibility levels a caller sees,
//! and the store turns it into the WHERE clause of every query over APIs and systems; single rows
//! are checked with [`Visible::allows`]. Writes: [`require_owner`], [`require_role`] and
//! [`require_relation_writer`].
//!
//! Something a caller may not see answers "not found", never "forbidden": only an entry the caller
//! can see but not change is answered with 403.

use super::Principal;
use crate::domain::{Role, Slug, Visibility};
use crate::error::Error;

/// The visibility levels a caller may see.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Visible {
    /// Admins see everything.
    All,
    /// Public entries; policing ones when authenticated; restricted ones of `own_org` only.
    Levels {
        policing: bool,
        own_org: Option<Slug>,
    },
}

impl Visible {
    pub fn for_principal(p: &Principal) -> Visible {
        if p.is_admin() {
            return Visible::All;
        }
        Visible::Levels {
            policing: p.is_authenticated(),
            own_org: p.org().cloned(),
        }
    }

    /// May an entry with this visibility, owned by `owner`, be shown?
    pub fn allows(&self, visibility: Visibility, owner: &str) -> bool {
        match self {
            Visible::All => true,
            Visible::Levels { policing, own_org } => match visibility {
                Visibility::Public => true,
                Visibility::Policing => *policing,
                Visibility::Restricted => own_org.as_ref().is_some_and(|o| o.as_str() == owner),
            },
        }
    }
}

/// Requires an authenticated caller with `role`.
pub fn require_role(p: &Principal, role: Role, action: &str) -> Result<(), Error> {
    if !p.is_authenticated() {
        return Err(Error::Unauthenticated(format!(
            "{action} needs a bearer token with the {role} role"
        )));
    }
    if p.has_role(role) {
        Ok(())
    } else {
        Err(Error::Forbidden(format!("{action} needs the {role} role")))
    }
}

/// Requires a caller who may write for organisation `owner`: a publisher of that organisation,
/// or an admin. Call it only once the caller is known to see the entry.
pub fn require_owner(p: &Principal, owner: &str, action: &str) -> Result<(), Error> {
    if !p.is_authenticated() {
        return Err(Error::Unauthenticated(format!(
            "{action} needs a bearer token of a publisher of {owner}"
        )));
    }
    if p.is_admin() {
        return Ok(());
    }
    let own = p.org().is_some_and(|o| o.as_str() == owner);
    if own && p.has_role(Role::Publisher) {
        Ok(())
    } else if own {
        Err(Error::Forbidden(format!(
            "{action} needs the publisher role"
        )))
    } else {
        Err(Error::Forbidden(format!(
            "{action}: only publishers of {owner} (or admins) may do this"
        )))
    }
}

/// Requires a caller who may record relations (implements, consumes) of a system owned by
/// `owner`: a curator, who keeps relations across organisations, or whoever may write for the
/// owner. Call it only once the caller is known to see the system.
pub fn require_relation_writer(p: &Principal, owner: &str, action: &str) -> Result<(), Error> {
    if p.is_authenticated() && p.has_role(Role::Curator) {
        return Ok(());
    }
    require_owner(p, owner, action)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::User;

    fn user(org: &str, roles: &[Role]) -> Principal {
        Principal::User(User {
            sub: "u".into(),
            org: Some(Slug::parse("org", org).unwrap()),
            roles: roles.to_vec(),
        })
    }

    #[test]
    fn anonymous_sees_public_only() {
        let v = Visible::for_principal(&Principal::Anonymous);
        assert!(v.allows(Visibility::Public, "met"));
        assert!(!v.allows(Visibility::Policing, "met"));
        assert!(!v.allows(Visibility::Restricted, "met"));
    }

    #[test]
    fn restricted_is_for_the_owner_and_admins() {
        let reader = Visible::for_principal(&user("met", &[Role::Reader]));
        assert!(reader.allows(Visibility::Policing, "gmp"));
        assert!(reader.allows(Visibility::Restricted, "met"));
        assert!(!reader.allows(Visibility::Restricted, "gmp"));
        let admin = Visible::for_principal(&user("met", &[Role::Admin]));
        assert!(admin.allows(Visibility::Restricted, "gmp"));
    }

    #[test]
    fn publishers_write_for_their_own_organisation_only() {
        let p = user("met", &[Role::Publisher]);
        assert!(require_owner(&p, "met", "publish").is_ok());
        assert_eq!(
            require_owner(&p, "gmp", "publish").unwrap_err().code(),
            "forbidden"
        );
        let reader = user("met", &[Role::Reader]);
        assert_eq!(
            require_owner(&reader, "met", "publish").unwrap_err().code(),
            "forbidden"
        );
        assert_eq!(
            require_owner(&Principal::Anonymous, "met", "publish")
                .unwrap_err()
                .code(),
            "unauthenticated"
        );
        assert!(require_owner(&user("x", &[Role::Admin]), "met", "publish").is_ok());
    }
}

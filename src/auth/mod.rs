//! Who is calling and what they may do: JWT verification (`jwt`), and the one visibility and
//! ownership policy (`policy`) that every query and every write goes through.

pub mod jwt;
pub mod oidc;
pub mod policy;
pub mod session;

use crate::domain::{Role, Slug};

/// The caller of a request or a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Anonymous,
    User(User),
    /// The service itself: seeding and imports run from the command line by the operator.
    System,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub sub: String,
    pub org: Option<Slug>,
    pub roles: Vec<Role>,
}

impl Principal {
    /// Does the caller hold `role`? Admins (and the system) hold every role.
    pub fn has_role(&self, role: Role) -> bool {
        match self {
            Principal::Anonymous => false,
            Principal::System => true,
            Principal::User(u) => u.roles.contains(&Role::Admin) || u.roles.contains(&role),
        }
    }

    pub fn is_admin(&self) -> bool {
        self.has_role(Role::Admin)
    }

    pub fn is_authenticated(&self) -> bool {
        !matches!(self, Principal::Anonymous)
    }

    pub fn org(&self) -> Option<&Slug> {
        match self {
            Principal::User(u) => u.org.as_ref(),
            _ => None,
        }
    }

    /// The name written in the audit log.
    pub fn actor(&self) -> &str {
        match self {
            Principal::Anonymous => "anonymous",
            Principal::System => "system",
            Principal::User(u) => &u.sub,
        }
    }
}

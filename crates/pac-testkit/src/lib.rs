//! What the tests of every crate share.
//!
//! Some tests need what a fresh machine may not have: the shared corpora beside the repository
//! (`../shared`), PostgreSQL's server, xmllint, a schema fetched from a package registry. Where one
//! is missing, a developer's `cargo test` says so and goes on; in CI (`PAC_REQUIRE_ALL=1`, set by
//! `.ci/run`) the same test fails, so that nothing is silently left unchecked.

pub mod adversarial;

use std::path::{Path, PathBuf};

/// The variable that makes every skip a failure.
pub const REQUIRE_ALL: &str = "PAC_REQUIRE_ALL";

/// True when skips must fail (`PAC_REQUIRE_ALL` is set to anything but `0` or empty).
pub fn require_all() -> bool {
    std::env::var(REQUIRE_ALL).is_ok_and(|v| !v.is_empty() && v != "0")
}

/// The repository's top folder.
pub fn repository() -> PathBuf {
    // This crate is crates/pac-testkit.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shared material beside the repository (`PAC_SHARED_DIR`, else `../shared`).
pub fn shared() -> PathBuf {
    match std::env::var_os("PAC_SHARED_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => repository().join("../shared"),
    }
}

/// Says that `test` cannot run and why: a note on stderr, or, under `PAC_REQUIRE_ALL`, a panic
/// (the test fails). Call it and return from the test.
#[track_caller]
pub fn skip(test: &str, why: &str) {
    if require_all() {
        panic!("{test}: {why} ({REQUIRE_ALL} is set, so a test may not skip)");
    }
    eprintln!("SKIPPED {test}: {why}");
}

/// `path` under the shared material when it exists; otherwise skips `test` (see [`skip`]) and
/// gives None.
#[track_caller]
pub fn shared_path(test: &str, relative: &str) -> Option<PathBuf> {
    let path = shared().join(relative);
    if path.exists() {
        Some(path)
    } else {
        skip(test, &format!("{} is missing", path.display()));
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repository_is_found() {
        assert!(repository().join("Cargo.toml").is_file());
        assert!(repository().join("crates/pac-testkit").is_dir());
    }
}

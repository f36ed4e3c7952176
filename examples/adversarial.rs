//! Writes the adversarial descriptions (`pac_testkit::adversarial`) into a folder, each in a folder
//! of its own, with a changed copy beside it (`<name>-changed/`) for `pac diff`; prints one line
//! per fixture: name, root file, changed root file, what it stresses.
//!
//! `cargo run --release --example adversarial -- /tmp/adversarial`

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("pac-adversarial"));
    for fixture in pac_testkit::adversarial::all() {
        let root = fixture.write(&dir).expect("write fixture");
        let changed = fixture.changed();
        let changed_root = changed
            .write(&dir.join("changed"))
            .expect("write changed fixture");
        println!(
            "{}\t{}\t{}\t{}",
            fixture.name,
            root.display(),
            changed_root.display(),
            fixture.what
        );
    }
}

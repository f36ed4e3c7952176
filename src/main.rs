//! `pac`: parses the command line and hands over to the library.

use clap::Parser;

/// Parsing and linting allocate many small objects; mimalloc is markedly faster at that than the
/// system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    pac::cli::run(pac::config::Cli::parse())
}

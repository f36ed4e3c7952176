//! `pac`: parses the command line and hands over to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    pac::cli::run(pac::config::Cli::parse())
}

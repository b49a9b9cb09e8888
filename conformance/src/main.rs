//! The `rawcd` command-line tool: create, inspect, validate and burn raw
//! DAO-96 CD images, and run the conformance suite on the virtual recorder.
#![deny(unsafe_code)]

mod cli;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    let code = match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("rawcd: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}

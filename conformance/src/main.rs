//! The `rawcd` command-line tool.
fn main() {
    eprintln!("rawcd: not implemented yet");
    std::process::exit(2);
}

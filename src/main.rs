//! `shopdesk`: the window with no subcommand, or one of the scriptable subcommands.

fn main() -> std::process::ExitCode {
    shopdesk::cli::main()
}

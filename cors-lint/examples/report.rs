//! Lints a policy built in code and prints the report:
//! `cargo run -p cors-lint --example report`.

use cors_core::CorsConfig;

fn main() -> Result<(), cors_core::ConfigErrors> {
    let config = CorsConfig::new()
        .allowed_origins(["https://app.example.com"])
        .allowed_origin_regexes([r"https://.*example\.com", "https://admin.example.net"]);
    let report = cors_lint::lint(&config)?;
    #[allow(clippy::print_stdout)] // printing the report is what the example is for
    {
        print!("{report}");
    }
    Ok(())
}

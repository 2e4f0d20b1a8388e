//! Every rule of the Rust analyzer, one file each, in a folder per checklist item.

pub mod blocking;
pub mod context;
pub mod contract;
pub mod cors;
pub mod error_handling;
pub mod secrets;
pub mod sqli;
pub mod transport;

use backend_check_core::{Diagnostic, RuleMeta, Sink};

pub use blocking::blocking_in_async::BlockingInAsync;
pub use context::Context;
pub use contract::parse_error::ParseError;
pub use cors::permissive_cors::PermissiveCors;
pub use error_handling::unwrap_in_handler::UnwrapInHandler;
pub use secrets::hardcoded_secret::HardcodedSecret;
pub use sqli::sql_injection::SqlInjection;
pub use transport::tls_verification_disabled::TlsVerificationDisabled;

/// Every rule of the Rust analyzer.
pub const RULES: &[&RuleMeta] = &[
    &ParseError::META,
    &UnwrapInHandler::META,
    &SqlInjection::META,
    &BlockingInAsync::META,
    &TlsVerificationDisabled::META,
    &PermissiveCors::META,
    &HardcodedSecret::META,
];

/// Runs every model rule; returns internal errors.
pub fn check_all(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
    let mut errors = UnwrapInHandler::check(ctx.model, ctx.handlers, sink);
    errors.extend(SqlInjection::check(ctx, sink));
    errors.extend(BlockingInAsync::check(ctx, sink));
    errors.extend(TlsVerificationDisabled::check(ctx, sink));
    errors.extend(PermissiveCors::check(ctx, sink));
    errors.extend(HardcodedSecret::check(ctx, sink));
    errors
}

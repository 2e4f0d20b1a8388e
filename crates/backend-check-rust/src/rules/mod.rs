//! Every rule of the Rust analyzer, one file each, in a folder per checklist item.

pub mod authn;
pub mod blocking;
pub mod config;
pub mod context;
pub mod contract;
pub mod cors;
pub mod error_handling;
pub mod input;
pub mod layering;
pub mod rate_limit;
pub mod secrets;
pub mod sensitive;
pub mod sqli;
pub mod transport;

use backend_check_core::{Diagnostic, RuleMeta, Sink};

pub use authn::missing_authentication::MissingAuthentication;
pub use blocking::blocking_in_async::BlockingInAsync;
pub use config::hardcoded_config::HardcodedConfig;
pub use context::Context;
pub use contract::parse_error::ParseError;
pub use cors::permissive_cors::PermissiveCors;
pub use error_handling::discarded_result::DiscardedResult;
pub use error_handling::panic_in_handler::PanicInHandler;
pub use error_handling::unwrap_in_handler::UnwrapInHandler;
pub use input::command_injection::CommandInjection;
pub use input::path_traversal::PathTraversal;
pub use input::unvalidated_body::UnvalidatedBody;
pub use layering::db_in_handler::DbInHandler;
pub use layering::logic_in_handler::LogicInHandler;
pub use rate_limit::missing_rate_limit::MissingRateLimit;
pub use secrets::hardcoded_secret::HardcodedSecret;
pub use secrets::secret_named_literal::SecretNamedLiteral;
pub use sensitive::insecure_random::InsecureRandom;
pub use sensitive::sensitive_logging::SensitiveLogging;
pub use sensitive::serialized_secret::SerializedSecret;
pub use sensitive::weak_password_hash::WeakPasswordHash;
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
    &MissingAuthentication::META,
    &MissingRateLimit::META,
    &DbInHandler::META,
    &LogicInHandler::META,
    &HardcodedConfig::META,
    &PanicInHandler::META,
    &DiscardedResult::META,
    &UnvalidatedBody::META,
    &SerializedSecret::META,
    &PathTraversal::META,
    &CommandInjection::META,
    &SensitiveLogging::META,
    &WeakPasswordHash::META,
    &InsecureRandom::META,
    &SecretNamedLiteral::META,
];

/// Runs every model rule; returns internal errors.
pub fn check_all(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
    let mut errors = UnwrapInHandler::check(ctx, sink);
    errors.extend(SqlInjection::check(ctx, sink));
    errors.extend(BlockingInAsync::check(ctx, sink));
    errors.extend(TlsVerificationDisabled::check(ctx, sink));
    errors.extend(PermissiveCors::check(ctx, sink));
    errors.extend(HardcodedSecret::check(ctx, sink));
    errors.extend(MissingAuthentication::check(ctx, sink));
    errors.extend(MissingRateLimit::check(ctx, sink));
    errors.extend(DbInHandler::check(ctx, sink));
    errors.extend(LogicInHandler::check(ctx, sink));
    errors.extend(HardcodedConfig::check(ctx, sink));
    errors.extend(PanicInHandler::check(ctx, sink));
    errors.extend(DiscardedResult::check(ctx, sink));
    errors.extend(UnvalidatedBody::check(ctx, sink));
    errors.extend(SerializedSecret::check(ctx, sink));
    errors.extend(PathTraversal::check(ctx, sink));
    errors.extend(CommandInjection::check(ctx, sink));
    errors.extend(SensitiveLogging::check(ctx, sink));
    errors.extend(WeakPasswordHash::check(ctx, sink));
    errors.extend(InsecureRandom::check(ctx, sink));
    errors.extend(SecretNamedLiteral::check(ctx, sink));
    errors
}

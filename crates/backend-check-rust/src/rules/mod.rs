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

pub use context::Context;

// Every rule, one line each, in the order `rules` lists them and their docs are
// generated in; `check_all` runs them in this order. The parse-error rule is
// reported while reading the files, not by `check_all`.
backend_check_core::declare_rules! {
    context: Context<'_>;
    #[no_dispatch] contract::parse_error::ParseError,
    error_handling::unwrap_in_handler::UnwrapInHandler,
    sqli::sql_injection::SqlInjection,
    blocking::blocking_in_async::BlockingInAsync,
    transport::tls_verification_disabled::TlsVerificationDisabled,
    cors::permissive_cors::PermissiveCors,
    secrets::hardcoded_secret::HardcodedSecret,
    authn::missing_authentication::MissingAuthentication,
    rate_limit::missing_rate_limit::MissingRateLimit,
    layering::db_in_handler::DbInHandler,
    layering::logic_in_handler::LogicInHandler,
    config::hardcoded_config::HardcodedConfig,
    error_handling::panic_in_handler::PanicInHandler,
    error_handling::discarded_result::DiscardedResult,
    input::unvalidated_body::UnvalidatedBody,
    sensitive::serialized_secret::SerializedSecret,
    input::path_traversal::PathTraversal,
    input::command_injection::CommandInjection,
    sensitive::sensitive_logging::SensitiveLogging,
    sensitive::weak_password_hash::WeakPasswordHash,
    sensitive::insecure_random::InsecureRandom,
    secrets::secret_named_literal::SecretNamedLiteral,
}

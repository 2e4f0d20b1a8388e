pub mod credential_in_url;
pub mod unauthenticated_operation;
pub mod undefined_security_scheme;
pub mod weak_auth_scheme;

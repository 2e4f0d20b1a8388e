pub mod oauth_without_refresh_url;
pub mod undeclared_scope;
pub mod write_without_scopes;

//! Every OpenAPI rule, one file each, in a folder per checklist item.

mod authn;
mod contract;
mod restful;
mod status_codes;
mod transport;

use backend_check_core::{Diagnostic, RuleMeta, Sink, Span};

use crate::load::{At, Docs};
use crate::model::Api;

pub use authn::credential_in_url::CredentialInUrl;
pub use authn::unauthenticated_operation::UnauthenticatedOperation;
pub use authn::undefined_security_scheme::UndefinedSecurityScheme;
pub use authn::weak_auth_scheme::WeakAuthScheme;
pub use contract::duplicate_operation_id::DuplicateOperationId;
pub use contract::parse_error::ParseError;
pub use contract::remote_ref::RemoteRef;
pub use contract::unresolved_ref::UnresolvedRef;
pub use restful::path_params_mismatch::PathParamsMismatch;
pub use restful::path_shape::PathShape;
pub use status_codes::create_without_201::CreateWithout201;
pub use status_codes::invalid_status_code::InvalidStatusCode;
pub use status_codes::no_content_with_body::NoContentWithBody;
pub use status_codes::no_success_response::NoSuccessResponse;
pub use transport::insecure_server::InsecureServer;

/// All rules of the OpenAPI analyzer.
pub const RULES: &[&RuleMeta] = &[
    &ParseError::META,
    &NoSuccessResponse::META,
    &UnresolvedRef::META,
    &RemoteRef::META,
    &InsecureServer::META,
    &UnauthenticatedOperation::META,
    &UndefinedSecurityScheme::META,
    &WeakAuthScheme::META,
    &CredentialInUrl::META,
    &CreateWithout201::META,
    &NoContentWithBody::META,
    &InvalidStatusCode::META,
    &PathParamsMismatch::META,
    &PathShape::META,
    &DuplicateOperationId::META,
];

/// What a rule reads: the document with the files its references reach, and its API model.
pub struct Context<'c> {
    /// The document and its referenced files.
    pub docs: &'c Docs<'c>,
    /// The model built from them.
    pub api: &'c Api,
}

impl Context<'_> {
    /// A diagnostic of `rule` on a node, in the node's own file.
    pub fn diagnostic(&self, rule: &'static RuleMeta, at: At, message: String) -> Diagnostic {
        self.diagnostic_at(rule, at, self.docs.span(at), message)
    }

    /// A diagnostic of `rule` on a span of the file `at` lives in.
    pub fn diagnostic_at(
        &self,
        rule: &'static RuleMeta,
        at: At,
        span: Span,
        message: String,
    ) -> Diagnostic {
        Diagnostic::new(rule, self.docs.source(at.file), span, message)
    }

    /// A label on `at` when it lies in the same file as the diagnostic.
    pub fn label(&self, diagnostic: Diagnostic, at: At, text: &str) -> Diagnostic {
        if std::sync::Arc::ptr_eq(&diagnostic.file, self.docs.source(at.file)) {
            let span = self.docs.span(at);
            diagnostic.with_label(span, text)
        } else {
            diagnostic
        }
    }
}

/// Runs every model rule on a parsed document.
pub fn check_all(cx: &Context<'_>, sink: &mut Sink<'_>) {
    UnresolvedRef::check(cx, sink);
    RemoteRef::check(cx, sink);
    NoSuccessResponse::check(cx, sink);
    InsecureServer::check(cx, sink);
    UnauthenticatedOperation::check(cx, sink);
    UndefinedSecurityScheme::check(cx, sink);
    WeakAuthScheme::check(cx, sink);
    CredentialInUrl::check(cx, sink);
    CreateWithout201::check(cx, sink);
    NoContentWithBody::check(cx, sink);
    InvalidStatusCode::check(cx, sink);
    PathParamsMismatch::check(cx, sink);
    PathShape::check(cx, sink);
    DuplicateOperationId::check(cx, sink);
}

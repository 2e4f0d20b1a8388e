//! Every OpenAPI rule, one file each, in a folder per checklist item.

mod authn;
mod authz;
mod contract;
mod docs;
mod errors;
mod example_validator;
mod input;
mod lookup;
mod naming;
mod pagination;
mod rate_limit;
mod restful;
mod sensitive;
mod status;
mod status_codes;
#[cfg(test)]
mod test_harness;
mod transport;
mod versioning;
mod words;

use std::sync::Arc;

use backend_check_core::{Diagnostic, RuleContext, RuleMeta, SourceFile, Span};

use crate::load::{At, Docs, FileId};
use crate::model::Api;

// Every rule, one line each, in the order `rules` lists them and their docs are
// generated in; `check_all` runs them in this order. The parse-error rule is
// reported while reading a document, not by `check_all`.
backend_check_core::declare_rules! {
    context: Context<'_>;
    #[no_dispatch] contract::parse_error::ParseError,
    status_codes::no_success_response::NoSuccessResponse,
    contract::unresolved_ref::UnresolvedRef,
    contract::remote_ref::RemoteRef,
    transport::insecure_server::InsecureServer,
    authn::unauthenticated_operation::UnauthenticatedOperation,
    authn::undefined_security_scheme::UndefinedSecurityScheme,
    authn::weak_auth_scheme::WeakAuthScheme,
    authn::credential_in_url::CredentialInUrl,
    status_codes::create_without_201::CreateWithout201,
    status_codes::no_content_with_body::NoContentWithBody,
    status_codes::invalid_status_code::InvalidStatusCode,
    restful::path_params_mismatch::PathParamsMismatch,
    restful::path_shape::PathShape,
    contract::duplicate_operation_id::DuplicateOperationId,
    input::unbounded_string::UnboundedString,
    input::unbounded_array::UnboundedArray,
    input::unbounded_number::UnboundedNumber,
    input::open_object_input::OpenObjectInput,
    sensitive::sensitive_property_exposed::SensitivePropertyExposed,
    sensitive::sequential_id_parameter::SequentialIdParameter,
    contract::unused_component::UnusedComponent,
    contract::enum_value_mismatch::EnumValueMismatch,
    contract::array_without_items::ArrayWithoutItems,
    contract::ref_with_siblings::RefWithSiblings,
    contract::server_variable_invalid::ServerVariableInvalid,
    pagination::unpaginated_collection::UnpaginatedCollection,
    pagination::unbounded_page_size::UnboundedPageSize,
    status_codes::missing_4xx_response::Missing4xxResponse,
    status_codes::missing_401_response::Missing401Response,
    status_codes::missing_404_response::Missing404Response,
    status_codes::missing_400_response::Missing400Response,
    restful::verb_in_path::VerbInPath,
    restful::body_on_read::BodyOnRead,
    restful::identical_paths::IdenticalPaths,
    restful::operation_id_not_url_safe::OperationIdNotUrlSafe,
    naming::inconsistent_name_case::InconsistentNameCase,
    naming::undeclared_tag::UndeclaredTag,
    naming::duplicate_tag::DuplicateTag,
    naming::unused_tag::UnusedTag,
    versioning::no_version::NoVersion,
    versioning::mixed_versions::MixedVersions,
    versioning::info_version_not_semantic::InfoVersionNotSemantic,
    docs::incomplete_info::IncompleteInfo,
    docs::undocumented_operation::UndocumentedOperation,
    docs::undocumented_parameter::UndocumentedParameter,
    docs::undocumented_tag::UndocumentedTag,
    docs::blank_response_description::BlankResponseDescription,
    docs::unsafe_markdown::UnsafeMarkdown,
    rate_limit::missing_429_response::Missing429Response,
    rate_limit::missing_retry_after::MissingRetryAfter,
    rate_limit::missing_rate_limit_headers::MissingRateLimitHeaders,
    errors::inconsistent_error_schema::InconsistentErrorSchema,
    errors::error_without_body::ErrorWithoutBody,
    errors::prefer_problem_json::PreferProblemJson,
    authz::write_without_scopes::WriteWithoutScopes,
    authz::undeclared_scope::UndeclaredScope,
    naming::missing_operation_id::MissingOperationId,
    docs::untagged_operation::UntaggedOperation,
    restful::empty_path_template::EmptyPathTemplate,
    restful::server_trailing_slash::ServerTrailingSlash,
    authz::oauth_without_refresh_url::OauthWithoutRefreshUrl,
    contract::invalid_structure::InvalidStructure,
    contract::duplicate_key::DuplicateKey,
    docs::invalid_example::InvalidExample,
    contract::type_format_mismatch::TypeFormatMismatch,
    contract::required_property_undefined::RequiredPropertyUndefined,
    contract::duplicate_parameter::DuplicateParameter,
    contract::form_data_without_form_consumes::FormDataWithoutFormConsumes,
    contract::misplaced_callbacks_or_servers::MisplacedCallbacksOrServers,
    naming::schema_name_not_pascal_case::SchemaNameNotPascalCase,
    naming::inconsistent_property_case::InconsistentPropertyCase,
}

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
        if Arc::ptr_eq(&diagnostic.file, self.docs.source(at.file)) {
            let span = self.docs.span(at);
            diagnostic.with_label(span, text)
        } else {
            diagnostic
        }
    }
}

/// A rule that panics is an internal error on the document being checked; the
/// other rules still run.
impl RuleContext for Context<'_> {
    fn guard_file(&self) -> Option<&Arc<SourceFile>> {
        Some(self.docs.source(FileId::ROOT))
    }
}

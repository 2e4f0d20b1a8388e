//! Every OpenAPI rule, one file each, in a folder per checklist item.

mod authn;
mod authz;
mod contract;
mod docs;
mod errors;
mod input;
mod naming;
mod pagination;
mod rate_limit;
mod restful;
mod sensitive;
mod status_codes;
mod support_a;
mod support_d;
#[cfg(test)]
mod tests_b;
mod transport;
mod versioning;

use backend_check_core::{Diagnostic, RuleMeta, Sink, Span};

use crate::load::{At, Docs};
use crate::model::Api;

pub use authn::credential_in_url::CredentialInUrl;
pub use authn::unauthenticated_operation::UnauthenticatedOperation;
pub use authn::undefined_security_scheme::UndefinedSecurityScheme;
pub use authn::weak_auth_scheme::WeakAuthScheme;
pub use authz::oauth_without_refresh_url::OauthWithoutRefreshUrl;
pub use authz::undeclared_scope::UndeclaredScope;
pub use authz::write_without_scopes::WriteWithoutScopes;
pub use contract::array_without_items::ArrayWithoutItems;
pub use contract::duplicate_key::DuplicateKey;
pub use contract::duplicate_operation_id::DuplicateOperationId;
pub use contract::duplicate_parameter::DuplicateParameter;
pub use contract::enum_value_mismatch::EnumValueMismatch;
pub use contract::form_data_without_form_consumes::FormDataWithoutFormConsumes;
pub use contract::invalid_structure::InvalidStructure;
pub use contract::misplaced_callbacks_or_servers::MisplacedCallbacksOrServers;
pub use contract::parse_error::ParseError;
pub use contract::ref_with_siblings::RefWithSiblings;
pub use contract::remote_ref::RemoteRef;
pub use contract::required_property_undefined::RequiredPropertyUndefined;
pub use contract::server_variable_invalid::ServerVariableInvalid;
pub use contract::type_format_mismatch::TypeFormatMismatch;
pub use contract::unresolved_ref::UnresolvedRef;
pub use contract::unused_component::UnusedComponent;
pub use docs::blank_response_description::BlankResponseDescription;
pub use docs::incomplete_info::IncompleteInfo;
pub use docs::invalid_example::InvalidExample;
pub use docs::undocumented_operation::UndocumentedOperation;
pub use docs::undocumented_parameter::UndocumentedParameter;
pub use docs::undocumented_tag::UndocumentedTag;
pub use docs::unsafe_markdown::UnsafeMarkdown;
pub use docs::untagged_operation::UntaggedOperation;
pub use errors::error_without_body::ErrorWithoutBody;
pub use errors::inconsistent_error_schema::InconsistentErrorSchema;
pub use errors::prefer_problem_json::PreferProblemJson;
pub use input::open_object_input::OpenObjectInput;
pub use input::unbounded_array::UnboundedArray;
pub use input::unbounded_number::UnboundedNumber;
pub use input::unbounded_string::UnboundedString;
pub use naming::duplicate_tag::DuplicateTag;
pub use naming::inconsistent_name_case::InconsistentNameCase;
pub use naming::inconsistent_property_case::InconsistentPropertyCase;
pub use naming::missing_operation_id::MissingOperationId;
pub use naming::schema_name_not_pascal_case::SchemaNameNotPascalCase;
pub use naming::undeclared_tag::UndeclaredTag;
pub use naming::unused_tag::UnusedTag;
pub use pagination::unbounded_page_size::UnboundedPageSize;
pub use pagination::unpaginated_collection::UnpaginatedCollection;
pub use rate_limit::missing_429_response::Missing429Response;
pub use rate_limit::missing_rate_limit_headers::MissingRateLimitHeaders;
pub use rate_limit::missing_retry_after::MissingRetryAfter;
pub use restful::body_on_read::BodyOnRead;
pub use restful::empty_path_template::EmptyPathTemplate;
pub use restful::identical_paths::IdenticalPaths;
pub use restful::operation_id_not_url_safe::OperationIdNotUrlSafe;
pub use restful::path_params_mismatch::PathParamsMismatch;
pub use restful::path_shape::PathShape;
pub use restful::server_trailing_slash::ServerTrailingSlash;
pub use restful::verb_in_path::VerbInPath;
pub use sensitive::sensitive_property_exposed::SensitivePropertyExposed;
pub use sensitive::sequential_id_parameter::SequentialIdParameter;
pub use status_codes::create_without_201::CreateWithout201;
pub use status_codes::invalid_status_code::InvalidStatusCode;
pub use status_codes::missing_400_response::Missing400Response;
pub use status_codes::missing_401_response::Missing401Response;
pub use status_codes::missing_404_response::Missing404Response;
pub use status_codes::missing_4xx_response::Missing4xxResponse;
pub use status_codes::no_content_with_body::NoContentWithBody;
pub use status_codes::no_success_response::NoSuccessResponse;
pub use transport::insecure_server::InsecureServer;
pub use versioning::info_version_not_semantic::InfoVersionNotSemantic;
pub use versioning::mixed_versions::MixedVersions;
pub use versioning::no_version::NoVersion;

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
    &UnboundedString::META,
    &UnboundedArray::META,
    &UnboundedNumber::META,
    &OpenObjectInput::META,
    &SensitivePropertyExposed::META,
    &SequentialIdParameter::META,
    &UnusedComponent::META,
    &EnumValueMismatch::META,
    &ArrayWithoutItems::META,
    &RefWithSiblings::META,
    &ServerVariableInvalid::META,
    &UnpaginatedCollection::META,
    &UnboundedPageSize::META,
    &Missing4xxResponse::META,
    &Missing401Response::META,
    &Missing404Response::META,
    &Missing400Response::META,
    &VerbInPath::META,
    &BodyOnRead::META,
    &IdenticalPaths::META,
    &OperationIdNotUrlSafe::META,
    &InconsistentNameCase::META,
    &UndeclaredTag::META,
    &DuplicateTag::META,
    &UnusedTag::META,
    &NoVersion::META,
    &MixedVersions::META,
    &InfoVersionNotSemantic::META,
    &IncompleteInfo::META,
    &UndocumentedOperation::META,
    &UndocumentedParameter::META,
    &UndocumentedTag::META,
    &BlankResponseDescription::META,
    &UnsafeMarkdown::META,
    &Missing429Response::META,
    &MissingRetryAfter::META,
    &MissingRateLimitHeaders::META,
    &InconsistentErrorSchema::META,
    &ErrorWithoutBody::META,
    &PreferProblemJson::META,
    &WriteWithoutScopes::META,
    &UndeclaredScope::META,
    &MissingOperationId::META,
    &UntaggedOperation::META,
    &EmptyPathTemplate::META,
    &ServerTrailingSlash::META,
    &OauthWithoutRefreshUrl::META,
    &InvalidStructure::META,
    &DuplicateKey::META,
    &InvalidExample::META,
    &TypeFormatMismatch::META,
    &RequiredPropertyUndefined::META,
    &DuplicateParameter::META,
    &FormDataWithoutFormConsumes::META,
    &MisplacedCallbacksOrServers::META,
    &SchemaNameNotPascalCase::META,
    &InconsistentPropertyCase::META,
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
    UnboundedString::check(cx, sink);
    UnboundedArray::check(cx, sink);
    UnboundedNumber::check(cx, sink);
    OpenObjectInput::check(cx, sink);
    SensitivePropertyExposed::check(cx, sink);
    SequentialIdParameter::check(cx, sink);
    UnusedComponent::check(cx, sink);
    EnumValueMismatch::check(cx, sink);
    ArrayWithoutItems::check(cx, sink);
    RefWithSiblings::check(cx, sink);
    ServerVariableInvalid::check(cx, sink);
    UnpaginatedCollection::check(cx, sink);
    UnboundedPageSize::check(cx, sink);
    Missing4xxResponse::check(cx, sink);
    Missing401Response::check(cx, sink);
    Missing404Response::check(cx, sink);
    Missing400Response::check(cx, sink);
    VerbInPath::check(cx, sink);
    BodyOnRead::check(cx, sink);
    IdenticalPaths::check(cx, sink);
    OperationIdNotUrlSafe::check(cx, sink);
    InconsistentNameCase::check(cx, sink);
    UndeclaredTag::check(cx, sink);
    DuplicateTag::check(cx, sink);
    UnusedTag::check(cx, sink);
    NoVersion::check(cx, sink);
    MixedVersions::check(cx, sink);
    InfoVersionNotSemantic::check(cx, sink);
    IncompleteInfo::check(cx, sink);
    UndocumentedOperation::check(cx, sink);
    UndocumentedParameter::check(cx, sink);
    UndocumentedTag::check(cx, sink);
    BlankResponseDescription::check(cx, sink);
    UnsafeMarkdown::check(cx, sink);
    Missing429Response::check(cx, sink);
    MissingRetryAfter::check(cx, sink);
    MissingRateLimitHeaders::check(cx, sink);
    InconsistentErrorSchema::check(cx, sink);
    ErrorWithoutBody::check(cx, sink);
    PreferProblemJson::check(cx, sink);
    WriteWithoutScopes::check(cx, sink);
    UndeclaredScope::check(cx, sink);
    MissingOperationId::check(cx, sink);
    UntaggedOperation::check(cx, sink);
    EmptyPathTemplate::check(cx, sink);
    ServerTrailingSlash::check(cx, sink);
    OauthWithoutRefreshUrl::check(cx, sink);
    InvalidStructure::check(cx, sink);
    DuplicateKey::check(cx, sink);
    InvalidExample::check(cx, sink);
    TypeFormatMismatch::check(cx, sink);
    RequiredPropertyUndefined::check(cx, sink);
    DuplicateParameter::check(cx, sink);
    FormDataWithoutFormConsumes::check(cx, sink);
    MisplacedCallbacksOrServers::check(cx, sink);
    SchemaNameNotPascalCase::check(cx, sink);
    InconsistentPropertyCase::check(cx, sink);
}

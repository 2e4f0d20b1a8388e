//! The objects of Swagger 2.0, OpenAPI 3.0 and 3.1 as tables: each object's
//! fields, the kind of value each takes, which versions know it and which
//! require it. Written from the official JSON schemas.

/// Versions as bits: a field or requirement holds for the versions whose bit is set.
pub type Versions = u8;
/// Swagger 2.0.
pub const V2: Versions = 1;
/// OpenAPI 3.0.
pub const V30: Versions = 2;
/// OpenAPI 3.1.
pub const V31: Versions = 4;
const V3: Versions = V30 | V31;
const ALL: Versions = V2 | V3;
const NONE: Versions = 0;

/// The kind of value a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Anything.
    Any,
    /// A string.
    Str,
    /// A boolean.
    Bool,
    /// A number.
    Num,
    /// A sequence of strings.
    StrSeq,
    /// A mapping of strings.
    StrMap,
    /// A sequence of security requirements.
    Security,
    /// A security requirement: scheme names to sequences of scopes.
    Requirement,
    /// A sequence of anything.
    AnySeq,
    /// A mapping of anything.
    AnyMap,
    /// One object.
    Obj(Kind),
    /// A mapping of objects (user-chosen keys).
    Map(Kind),
    /// A sequence of objects.
    Seq(Kind),
    /// A `$ref` string.
    Ref,
    /// A schema (3.1: a boolean too).
    Schema,
    /// Schema `type`: a string, or (2.0, 3.1) a sequence of strings.
    Type,
    /// Schema `items`: a schema, or (2.0) a sequence of schemas.
    Items,
    /// `exclusiveMaximum`/`exclusiveMinimum`: a boolean (2.0, 3.0) or a number (3.1).
    Exclusive,
    /// `additionalProperties`: a boolean or a schema.
    BoolOrSchema,
    /// 2.0 `discriminator` (a string) or 3.x discriminator object.
    Discriminator,
}

/// The objects the tables describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The document root.
    Root,
    /// `info`.
    Info,
    /// `info.contact`.
    Contact,
    /// `info.license`.
    License,
    /// A server.
    Server,
    /// A server variable.
    ServerVariable,
    /// `paths`: path templates to path items.
    Paths,
    /// A path item.
    PathItem,
    /// An operation.
    Operation,
    /// A parameter.
    Parameter,
    /// A request body.
    RequestBody,
    /// A media type.
    MediaType,
    /// An encoding.
    Encoding,
    /// `responses`: status codes to responses.
    Responses,
    /// A response.
    Response,
    /// A header.
    Header,
    /// An example object.
    Example,
    /// A link.
    Link,
    /// A callback: expressions to path items.
    Callback,
    /// `components`.
    Components,
    /// A security scheme.
    SecurityScheme,
    /// `flows` of an OAuth 2 scheme.
    OAuthFlows,
    /// The implicit flow.
    ImplicitFlow,
    /// The password and client-credentials flows.
    TokenFlow,
    /// The authorization-code flow.
    CodeFlow,
    /// A tag.
    Tag,
    /// External documentation.
    ExternalDocs,
    /// A schema.
    Schema,
    /// A 3.x discriminator.
    Discriminator,
    /// XML metadata of a schema.
    Xml,
    /// 2.0 `items` of a non-body parameter or header.
    Items,
}

/// One field of an object.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The key.
    pub key: &'static str,
    /// The kind of value.
    pub shape: Shape,
    /// The versions that know the field.
    pub versions: Versions,
    /// The versions that require it.
    pub required: Versions,
}

const fn f(key: &'static str, shape: Shape, versions: Versions) -> Field {
    Field {
        key,
        shape,
        versions,
        required: NONE,
    }
}

const fn req(key: &'static str, shape: Shape, versions: Versions, required: Versions) -> Field {
    Field {
        key,
        shape,
        versions,
        required,
    }
}

/// How an object's keys are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keys {
    /// Only the listed fields (and `x-` extensions where allowed).
    Closed,
    /// Keys starting with `/` are path items (`paths`).
    PathTemplates,
    /// Every other key is a response (`responses`; OAS011 checks the codes).
    StatusCodes,
    /// Every other key is a path item (callbacks).
    Expressions,
}

/// The description of one object.
#[derive(Debug, Clone, Copy)]
pub struct Object {
    /// Its name in messages.
    pub name: &'static str,
    /// Its fields.
    pub fields: &'static [Field],
    /// The versions where `x-` keys are allowed.
    pub extensions: Versions,
    /// The versions where it may be a Reference Object (`$ref`) instead.
    pub reference: Versions,
    /// How keys other than the fields are read.
    pub keys: Keys,
    /// The versions where unknown keys are allowed (3.1 schemas are JSON Schema).
    pub open: Versions,
}

const fn obj(name: &'static str, fields: &'static [Field]) -> Object {
    Object {
        name,
        fields,
        extensions: ALL,
        reference: NONE,
        keys: Keys::Closed,
        open: NONE,
    }
}

const fn referable(name: &'static str, fields: &'static [Field], reference: Versions) -> Object {
    Object {
        name,
        fields,
        extensions: ALL,
        reference,
        keys: Keys::Closed,
        open: NONE,
    }
}

use Shape::{Any, Bool, Num, Str, StrSeq};

const ROOT: &[Field] = &[
    req("swagger", Any, V2, V2),
    req("openapi", Any, V3, V3),
    req("info", Shape::Obj(Kind::Info), ALL, ALL),
    f("host", Str, V2),
    f("basePath", Str, V2),
    f("schemes", StrSeq, V2),
    f("consumes", StrSeq, V2),
    f("produces", StrSeq, V2),
    f("jsonSchemaDialect", Str, V31),
    f("servers", Shape::Seq(Kind::Server), V3),
    req("paths", Shape::Obj(Kind::Paths), ALL, V2 | V30),
    f("webhooks", Shape::Map(Kind::PathItem), V31),
    f("components", Shape::Obj(Kind::Components), V3),
    f("definitions", Shape::Map(Kind::Schema), V2),
    f("parameters", Shape::Map(Kind::Parameter), V2),
    f("responses", Shape::Map(Kind::Response), V2),
    f("securityDefinitions", Shape::Map(Kind::SecurityScheme), V2),
    f("security", Shape::Security, ALL),
    f("tags", Shape::Seq(Kind::Tag), ALL),
    f("externalDocs", Shape::Obj(Kind::ExternalDocs), ALL),
];

const INFO: &[Field] = &[
    req("title", Str, ALL, ALL),
    f("summary", Str, V31),
    f("description", Str, ALL),
    f("termsOfService", Str, ALL),
    f("contact", Shape::Obj(Kind::Contact), ALL),
    f("license", Shape::Obj(Kind::License), ALL),
    req("version", Str, ALL, ALL),
];

const CONTACT: &[Field] = &[
    f("name", Str, ALL),
    f("url", Str, ALL),
    f("email", Str, ALL),
];

const LICENSE: &[Field] = &[
    req("name", Str, ALL, ALL),
    f("identifier", Str, V31),
    f("url", Str, ALL),
];

const SERVER: &[Field] = &[
    req("url", Str, V3, V3),
    f("description", Str, V3),
    f("variables", Shape::Map(Kind::ServerVariable), V3),
];

const SERVER_VARIABLE: &[Field] = &[
    f("enum", StrSeq, V3),
    req("default", Str, V3, V3),
    f("description", Str, V3),
];

const PATH_ITEM: &[Field] = &[
    f("$ref", Shape::Ref, ALL),
    f("summary", Str, V3),
    f("description", Str, V3),
    f("get", Shape::Obj(Kind::Operation), ALL),
    f("put", Shape::Obj(Kind::Operation), ALL),
    f("post", Shape::Obj(Kind::Operation), ALL),
    f("delete", Shape::Obj(Kind::Operation), ALL),
    f("options", Shape::Obj(Kind::Operation), ALL),
    f("head", Shape::Obj(Kind::Operation), ALL),
    f("patch", Shape::Obj(Kind::Operation), ALL),
    f("trace", Shape::Obj(Kind::Operation), V3),
    f("servers", Shape::Seq(Kind::Server), V3),
    f("parameters", Shape::Seq(Kind::Parameter), ALL),
];

const OPERATION: &[Field] = &[
    f("tags", StrSeq, ALL),
    f("summary", Str, ALL),
    f("description", Str, ALL),
    f("externalDocs", Shape::Obj(Kind::ExternalDocs), ALL),
    f("operationId", Str, ALL),
    f("consumes", StrSeq, V2),
    f("produces", StrSeq, V2),
    f("parameters", Shape::Seq(Kind::Parameter), ALL),
    f("requestBody", Shape::Obj(Kind::RequestBody), V3),
    req("responses", Shape::Obj(Kind::Responses), ALL, V2 | V30),
    f("callbacks", Shape::Map(Kind::Callback), V3),
    f("schemes", StrSeq, V2),
    f("deprecated", Bool, ALL),
    f("security", Shape::Security, ALL),
    f("servers", Shape::Seq(Kind::Server), V3),
];

/// Fields shared by 2.0 non-body parameters, headers and items.
macro_rules! simple_type_fields {
    ($($extra:expr),* $(,)?) => {
        &[
            $($extra,)*
            f("format", Str, V2),
            f("items", Shape::Obj(Kind::Items), V2),
            f("collectionFormat", Str, V2),
            f("default", Any, V2),
            f("maximum", Num, V2),
            f("exclusiveMaximum", Bool, V2),
            f("minimum", Num, V2),
            f("exclusiveMinimum", Bool, V2),
            f("maxLength", Num, V2),
            f("minLength", Num, V2),
            f("pattern", Str, V2),
            f("maxItems", Num, V2),
            f("minItems", Num, V2),
            f("uniqueItems", Bool, V2),
            f("enum", Shape::AnySeq, V2),
            f("multipleOf", Num, V2),
        ]
    };
}

const PARAMETER: &[Field] = simple_type_fields![
    req("name", Str, ALL, ALL),
    req("in", Str, ALL, ALL),
    f("description", Str, ALL),
    f("required", Bool, ALL),
    f("deprecated", Bool, V3),
    f("allowEmptyValue", Bool, ALL),
    f("style", Str, V3),
    f("explode", Bool, V3),
    f("allowReserved", Bool, V3),
    f("schema", Shape::Schema, ALL),
    f("example", Any, V3),
    f("examples", Shape::Map(Kind::Example), V3),
    f("content", Shape::Map(Kind::MediaType), V3),
    f("type", Str, V2),
];

const HEADER: &[Field] = simple_type_fields![
    f("description", Str, ALL),
    f("required", Bool, V3),
    f("deprecated", Bool, V3),
    f("allowEmptyValue", Bool, V3),
    f("style", Str, V3),
    f("explode", Bool, V3),
    f("allowReserved", Bool, V3),
    f("schema", Shape::Schema, V3),
    f("example", Any, V3),
    f("examples", Shape::Map(Kind::Example), V3),
    f("content", Shape::Map(Kind::MediaType), V3),
    req("type", Str, V2, V2),
];

const ITEMS: &[Field] = simple_type_fields![f("type", Str, V2)];

const REQUEST_BODY: &[Field] = &[
    f("description", Str, V3),
    req("content", Shape::Map(Kind::MediaType), V3, V3),
    f("required", Bool, V3),
];

const MEDIA_TYPE: &[Field] = &[
    f("schema", Shape::Schema, V3),
    f("example", Any, V3),
    f("examples", Shape::Map(Kind::Example), V3),
    f("encoding", Shape::Map(Kind::Encoding), V3),
];

const ENCODING: &[Field] = &[
    f("contentType", Str, V3),
    f("headers", Shape::Map(Kind::Header), V3),
    f("style", Str, V3),
    f("explode", Bool, V3),
    f("allowReserved", Bool, V3),
];

const RESPONSE: &[Field] = &[
    req("description", Str, ALL, ALL),
    f("schema", Shape::Schema, V2),
    f("headers", Shape::Map(Kind::Header), ALL),
    f("examples", Shape::AnyMap, V2),
    f("content", Shape::Map(Kind::MediaType), V3),
    f("links", Shape::Map(Kind::Link), V3),
];

const EXAMPLE: &[Field] = &[
    f("summary", Str, V3),
    f("description", Str, V3),
    f("value", Any, V3),
    f("externalValue", Str, V3),
];

const LINK: &[Field] = &[
    f("operationRef", Str, V3),
    f("operationId", Str, V3),
    f("parameters", Shape::AnyMap, V3),
    f("requestBody", Any, V3),
    f("description", Str, V3),
    f("server", Shape::Obj(Kind::Server), V3),
];

const COMPONENTS: &[Field] = &[
    f("schemas", Shape::Map(Kind::Schema), V3),
    f("responses", Shape::Map(Kind::Response), V3),
    f("parameters", Shape::Map(Kind::Parameter), V3),
    f("examples", Shape::Map(Kind::Example), V3),
    f("requestBodies", Shape::Map(Kind::RequestBody), V3),
    f("headers", Shape::Map(Kind::Header), V3),
    f("securitySchemes", Shape::Map(Kind::SecurityScheme), V3),
    f("links", Shape::Map(Kind::Link), V3),
    f("callbacks", Shape::Map(Kind::Callback), V3),
    f("pathItems", Shape::Map(Kind::PathItem), V31),
];

const SECURITY_SCHEME: &[Field] = &[
    req("type", Str, ALL, ALL),
    f("description", Str, ALL),
    f("name", Str, ALL),
    f("in", Str, ALL),
    f("scheme", Str, V3),
    f("bearerFormat", Str, V3),
    f("flows", Shape::Obj(Kind::OAuthFlows), V3),
    f("openIdConnectUrl", Str, V3),
    f("flow", Str, V2),
    f("authorizationUrl", Str, V2),
    f("tokenUrl", Str, V2),
    f("scopes", Shape::StrMap, V2),
];

const OAUTH_FLOWS: &[Field] = &[
    f("implicit", Shape::Obj(Kind::ImplicitFlow), V3),
    f("password", Shape::Obj(Kind::TokenFlow), V3),
    f("clientCredentials", Shape::Obj(Kind::TokenFlow), V3),
    f("authorizationCode", Shape::Obj(Kind::CodeFlow), V3),
];

const IMPLICIT_FLOW: &[Field] = &[
    req("authorizationUrl", Str, V3, V3),
    f("refreshUrl", Str, V3),
    req("scopes", Shape::StrMap, V3, V3),
];

const TOKEN_FLOW: &[Field] = &[
    req("tokenUrl", Str, V3, V3),
    f("refreshUrl", Str, V3),
    req("scopes", Shape::StrMap, V3, V3),
];

const CODE_FLOW: &[Field] = &[
    req("authorizationUrl", Str, V3, V3),
    req("tokenUrl", Str, V3, V3),
    f("refreshUrl", Str, V3),
    req("scopes", Shape::StrMap, V3, V3),
];

const TAG: &[Field] = &[
    req("name", Str, ALL, ALL),
    f("description", Str, ALL),
    f("externalDocs", Shape::Obj(Kind::ExternalDocs), ALL),
];

const EXTERNAL_DOCS: &[Field] = &[f("description", Str, ALL), req("url", Str, ALL, ALL)];

const SCHEMA: &[Field] = &[
    f("$ref", Shape::Ref, ALL),
    f("title", Str, ALL),
    f("description", Str, ALL),
    f("format", Str, ALL),
    f("default", Any, ALL),
    f("multipleOf", Num, ALL),
    f("maximum", Num, ALL),
    f("exclusiveMaximum", Shape::Exclusive, ALL),
    f("minimum", Num, ALL),
    f("exclusiveMinimum", Shape::Exclusive, ALL),
    f("maxLength", Num, ALL),
    f("minLength", Num, ALL),
    f("pattern", Str, ALL),
    f("maxItems", Num, ALL),
    f("minItems", Num, ALL),
    f("uniqueItems", Bool, ALL),
    f("maxProperties", Num, ALL),
    f("minProperties", Num, ALL),
    f("required", StrSeq, ALL),
    f("enum", Shape::AnySeq, ALL),
    f("type", Shape::Type, ALL),
    f("items", Shape::Items, ALL),
    f("allOf", Shape::Seq(Kind::Schema), ALL),
    f("oneOf", Shape::Seq(Kind::Schema), V3),
    f("anyOf", Shape::Seq(Kind::Schema), V3),
    f("not", Shape::Schema, V3),
    f("properties", Shape::Map(Kind::Schema), ALL),
    f("additionalProperties", Shape::BoolOrSchema, ALL),
    f("discriminator", Shape::Discriminator, ALL),
    f("readOnly", Bool, ALL),
    f("writeOnly", Bool, V3),
    f("nullable", Bool, V30),
    f("deprecated", Bool, V3),
    f("xml", Shape::Obj(Kind::Xml), ALL),
    f("externalDocs", Shape::Obj(Kind::ExternalDocs), ALL),
    f("example", Any, ALL),
    f("examples", Shape::AnySeq, V31),
    f("const", Any, V31),
    f("$defs", Shape::Map(Kind::Schema), V31),
    f("prefixItems", Shape::Seq(Kind::Schema), V31),
    f("patternProperties", Shape::Map(Kind::Schema), V31),
    f("dependentSchemas", Shape::Map(Kind::Schema), V31),
    f("if", Shape::Schema, V31),
    f("then", Shape::Schema, V31),
    f("else", Shape::Schema, V31),
    f("contains", Shape::Schema, V31),
    f("propertyNames", Shape::Schema, V31),
    f("unevaluatedItems", Shape::Schema, V31),
    f("unevaluatedProperties", Shape::Schema, V31),
];

const DISCRIMINATOR: &[Field] = &[
    req("propertyName", Str, V3, V3),
    f("mapping", Shape::StrMap, V3),
];

const XML: &[Field] = &[
    f("name", Str, ALL),
    f("namespace", Str, ALL),
    f("prefix", Str, ALL),
    f("attribute", Bool, ALL),
    f("wrapped", Bool, ALL),
];

/// The description of an object.
pub fn object(kind: Kind) -> Object {
    match kind {
        Kind::Root => obj("document", ROOT),
        Kind::Info => obj("info", INFO),
        Kind::Contact => obj("contact", CONTACT),
        Kind::License => obj("license", LICENSE),
        Kind::Server => obj("server", SERVER),
        Kind::ServerVariable => obj("server variable", SERVER_VARIABLE),
        Kind::Paths => Object {
            keys: Keys::PathTemplates,
            ..obj("paths", &[])
        },
        Kind::PathItem => obj("path item", PATH_ITEM),
        Kind::Operation => obj("operation", OPERATION),
        Kind::Parameter => referable("parameter", PARAMETER, ALL),
        Kind::RequestBody => referable("request body", REQUEST_BODY, V3),
        Kind::MediaType => obj("media type", MEDIA_TYPE),
        Kind::Encoding => obj("encoding", ENCODING),
        Kind::Responses => Object {
            keys: Keys::StatusCodes,
            ..obj("responses", &[])
        },
        Kind::Response => referable("response", RESPONSE, ALL),
        Kind::Header => referable("header", HEADER, V3),
        Kind::Example => referable("example", EXAMPLE, V3),
        Kind::Link => referable("link", LINK, V3),
        Kind::Callback => Object {
            keys: Keys::Expressions,
            ..referable("callback", &[], V3)
        },
        Kind::Components => obj("components", COMPONENTS),
        Kind::SecurityScheme => referable("security scheme", SECURITY_SCHEME, V3),
        Kind::OAuthFlows => obj("oauth flows", OAUTH_FLOWS),
        Kind::ImplicitFlow => obj("implicit flow", IMPLICIT_FLOW),
        Kind::TokenFlow => obj("oauth flow", TOKEN_FLOW),
        Kind::CodeFlow => obj("authorization code flow", CODE_FLOW),
        Kind::Tag => obj("tag", TAG),
        Kind::ExternalDocs => obj("external docs", EXTERNAL_DOCS),
        Kind::Schema => Object {
            reference: V2 | V30,
            open: V31,
            ..obj("schema", SCHEMA)
        },
        Kind::Discriminator => Object {
            open: ALL,
            ..obj("discriminator", DISCRIMINATOR)
        },
        Kind::Xml => obj("xml", XML),
        Kind::Items => obj("items", ITEMS),
    }
}

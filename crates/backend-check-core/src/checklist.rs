//! The checklist items every rule serves. The ids are fixed: they appear in
//! JSON and SARIF output and drive `--select` and `--format checklist`.

use std::fmt;

/// The checklist area (API, database, security, anti-patterns) a [`Checklist`]
/// item belongs to; its prefix (`db`) selects all of its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChecklistArea {
    /// API design.
    Api,
    /// Database.
    Database,
    /// Security.
    Security,
    /// Anti-patterns.
    AntiPatterns,
}

impl ChecklistArea {
    /// Every area, in display order.
    pub const ALL: [ChecklistArea; 4] = [
        ChecklistArea::Api,
        ChecklistArea::Database,
        ChecklistArea::Security,
        ChecklistArea::AntiPatterns,
    ];

    /// The prefix that selects every item of the area (`db` for `db.indexes`, …).
    pub const fn prefix(self) -> &'static str {
        match self {
            ChecklistArea::Api => "api",
            ChecklistArea::Database => "db",
            ChecklistArea::Security => "sec",
            ChecklistArea::AntiPatterns => "ap",
        }
    }

    /// The heading of the area.
    pub fn title(self) -> &'static str {
        match self {
            ChecklistArea::Api => "API checklist",
            ChecklistArea::Database => "Database checklist",
            ChecklistArea::Security => "Security checklist",
            ChecklistArea::AntiPatterns => "Anti-patterns",
        }
    }
}

macro_rules! checklist {
    ($( $variant:ident = $id:literal, $area:ident, $title:literal, $scope:literal; )*) => {
        /// One item of the checklists.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Checklist {
            $(
                #[doc = $title]
                $variant,
            )*
        }

        impl Checklist {
            /// Every item, in display order.
            pub const ALL: &'static [Checklist] = &[$(Checklist::$variant),*];

            /// The stable id, such as `db.migration-safety`.
            pub fn id(self) -> &'static str {
                match self { $(Checklist::$variant => $id,)* }
            }

            /// The item as the checklist words it.
            pub fn title(self) -> &'static str {
                match self { $(Checklist::$variant => $title,)* }
            }

            /// What a static check can hold the item to.
            pub fn scope(self) -> &'static str {
                match self { $(Checklist::$variant => $scope,)* }
            }

            /// The checklist area the item belongs to.
            pub fn area(self) -> ChecklistArea {
                match self { $(Checklist::$variant => ChecklistArea::$area,)* }
            }

            /// The item with the given id.
            pub fn from_id(id: &str) -> Option<Checklist> {
                match id { $($id => Some(Checklist::$variant),)* _ => None }
            }
        }
    };
}

checklist! {
    ApiRestful = "api.restful", Api, "RESTful design", "resource paths (nouns, no verbs, no trailing slash, no file extensions), methods used for what they mean";
    ApiStatusCodes = "api.status-codes", Api, "Proper status codes", "201 on create, 204 without body, 4xx/5xx declared, only real codes";
    ApiNaming = "api.naming", Api, "Consistent naming", "one case style for paths, parameters, properties, operationIds, schemas";
    ApiVersioning = "api.versioning", Api, "Versioning implemented", "a version in the path or server URL, semantic info.version";
    ApiDocs = "api.docs", Api, "Documentation updated", "summaries, descriptions, examples, tags, contact";
    ApiRateLimit = "api.rate-limit", Api, "Rate limiting configured", "429 with Retry-After / RateLimit headers in the spec; a rate-limit layer in code";
    ApiPagination = "api.pagination", Api, "Pagination and filtering", "collections take bounded paging parameters";
    ApiErrors = "api.errors", Api, "Error standardization", "one error schema (e.g. problem+json) across operations";
    ApiContract = "api.contract", Api, "API contract agreed", "a valid, resolvable spec that agrees with the routes in code; no breaking change";
    DbNormalized = "db.normalized", Database, "Normalized schema", "primary keys, no repeating groups, no lists in columns";
    DbIndexes = "db.indexes", Database, "Indexes optimized", "foreign keys covered, no duplicate or redundant indexes";
    DbMigrationSafety = "db.migration-safety", Database, "Migrations tested", "safe on a live database: locks, table rewrites, transactions, timeouts";
    DbRollback = "db.rollback", Database, "Rollback plan", "a down migration that reverses the up; destructive steps flagged";
    DbIntegrity = "db.integrity", Database, "Data integrity", "NOT NULL, constraints, foreign keys, types that hold the data";
    DbQueries = "db.queries", Database, "Query optimization", "queries in code name real tables and columns and are index-backed";
    DbPerformance = "db.performance", Database, "Performance tested", "column types and patterns that cost at scale (int keys, varchar(n), timestamp without zone)";
    SecAuthn = "sec.authn", Security, "Authentication required", "security schemes and requirements; auth on every non-public route";
    SecAuthz = "sec.authz", Security, "Authorization checked", "scopes on write operations; no grants to PUBLIC";
    SecInput = "sec.input", Security, "Input validated", "bounded strings, numbers and arrays; validated request bodies; no path traversal";
    SecSqli = "sec.sqli", Security, "SQL injection prevented", "no SQL built from strings at run time";
    SecSensitiveData = "sec.sensitive-data", Security, "Sensitive data encrypted", "passwords and tokens never stored, logged or returned in clear";
    SecSecrets = "sec.secrets", Security, "No secrets in code", "keys, passwords and tokens not in source, specs or migrations";
    SecTransport = "sec.transport", Security, "Transport security", "https servers, TLS verification on";
    SecCors = "sec.cors", Security, "CORS configuration", "no wildcard origins with credentials, no permissive layers";
    SecAudit = "sec.audit", Security, "Audit logging enabled", "audit columns or tables; security events logged";
    ApDbInController = "ap.db-in-controller", AntiPatterns, "Direct database access from controllers", "handlers call services, not the database";
    ApLogicInRoutes = "ap.logic-in-routes", AntiPatterns, "Business logic in API routes", "handlers stay thin";
    ApHardcodedConfig = "ap.hardcoded-config", AntiPatterns, "Hardcoded configuration", "URLs, hosts, ports, limits come from configuration";
    ApErrorHandling = "ap.error-handling", AntiPatterns, "Missing error handling", "no unwrap/expect/panic or discarded Results in request paths";
    ApInputValidation = "ap.input-validation", AntiPatterns, "No input validation", "extracted request data is validated before use";
    ApBlocking = "ap.blocking", AntiPatterns, "Synchronous long-running operations", "no blocking calls inside async code";
}

/// Checklist items that no static analysis can hold; `--format checklist`
/// lists them as "not checked statically", never as passed.
pub const NOT_STATIC: &[(ChecklistArea, &str)] = &[
    (ChecklistArea::Database, "Backup verified"),
    (ChecklistArea::Database, "Load tested"),
    (
        ChecklistArea::Security,
        "Dependencies audited (use cargo-audit / cargo-deny)",
    ),
];

impl fmt::Display for Checklist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

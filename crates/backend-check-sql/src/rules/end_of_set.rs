//! The rules that judge the schema a whole set builds (SQL040 on): the set
//! is replayed once, and each rule reads the final catalog, whose objects
//! point at the statements that defined them. A problem a later migration
//! fixed is therefore not reported, and one that remains is reported once,
//! where it was introduced.

use std::sync::Arc;

use backend_check_core::{guard, Diagnostic, RuleMeta, Sink, SourceFile, Span};

use crate::discover::MigrationSet;
use crate::schema::{self, Catalog, Origin};

use super::{authz, indexes, integrity, normalized, performance, rollback, sensitive, sqli};

/// The final schema of a set, and the set it came from.
pub(crate) struct SetSchema<'a> {
    /// The set.
    pub set: &'a MigrationSet,
    /// The schema after every up script.
    pub catalog: Catalog,
}

impl SetSchema<'_> {
    /// The file holding the up script an origin points into.
    pub fn file(&self, origin: &Origin) -> Option<&Arc<SourceFile>> {
        self.set
            .migrations
            .get(origin.migration)?
            .up
            .as_ref()
            .map(|up| &up.file)
    }

    /// A finding of `rule` at `span` of the file an origin points into.
    pub fn diagnostic(
        &self,
        rule: &'static RuleMeta,
        origin: &Origin,
        span: Span,
        message: String,
    ) -> Option<Diagnostic> {
        Some(Diagnostic::new(rule, self.file(origin)?, span, message))
    }
}

/// A rule that judges a set's final schema.
pub(crate) type SchemaRule = (&'static RuleMeta, fn(&SetSchema<'_>, &mut Sink<'_>));

/// A rule that judges a set as a whole, without the replay.
pub(crate) type SetRule = (&'static RuleMeta, fn(&MigrationSet, &mut Sink<'_>));

/// Every rule of a whole set that needs no replay.
const SET_RULES: &[SetRule] = &[
    (
        &rollback::missing_down_migration::MissingDownMigration::META,
        rollback::missing_down_migration::check,
    ),
    (
        &rollback::empty_down_migration::EmptyDownMigration::META,
        rollback::empty_down_migration::check,
    ),
    (
        &authz::grant_to_public::GrantToPublic::META,
        authz::grant_to_public::check,
    ),
    (
        &authz::grant_all_privileges::GrantAllPrivileges::META,
        authz::grant_all_privileges::check,
    ),
    (
        &authz::disable_row_level_security::DisableRowLevelSecurity::META,
        authz::disable_row_level_security::check,
    ),
    (
        &authz::permissive_policy::PermissivePolicy::META,
        authz::permissive_policy::check,
    ),
    (
        &authz::security_definer_without_search_path::SecurityDefinerWithoutSearchPath::META,
        authz::security_definer_without_search_path::check,
    ),
    (
        &authz::hardcoded_role_password::HardcodedRolePassword::META,
        authz::hardcoded_role_password::check,
    ),
    (
        &sqli::execute_concatenated_sql::ExecuteConcatenatedSql::META,
        sqli::execute_concatenated_sql::check,
    ),
];

/// Every rule of the final schema.
const RULES: &[SchemaRule] = &[
    (
        &indexes::foreign_key_without_index::ForeignKeyWithoutIndex::META,
        indexes::foreign_key_without_index::check,
    ),
    (
        &indexes::duplicate_index::DuplicateIndex::META,
        indexes::duplicate_index::check,
    ),
    (
        &indexes::redundant_prefix_index::RedundantPrefixIndex::META,
        indexes::redundant_prefix_index::check,
    ),
    (
        &performance::prefer_bigint_key::PreferBigintKey::META,
        performance::prefer_bigint_key::check,
    ),
    (
        &performance::prefer_identity::PreferIdentity::META,
        performance::prefer_identity::check,
    ),
    (
        &performance::prefer_text_over_varchar::PreferTextOverVarchar::META,
        performance::prefer_text_over_varchar::check,
    ),
    (
        &performance::ban_char_type::BanCharType::META,
        performance::ban_char_type::check,
    ),
    (
        &performance::prefer_timestamptz::PreferTimestamptz::META,
        performance::prefer_timestamptz::check,
    ),
    (
        &performance::ban_money_type::BanMoneyType::META,
        performance::ban_money_type::check,
    ),
    (
        &performance::prefer_jsonb::PreferJsonb::META,
        performance::prefer_jsonb::check,
    ),
    (
        &sensitive::plaintext_sensitive_column::PlaintextSensitiveColumn::META,
        sensitive::plaintext_sensitive_column::check,
    ),
    (
        &normalized::table_without_primary_key::TableWithoutPrimaryKey::META,
        normalized::table_without_primary_key::check,
    ),
    (
        &integrity::foreign_key_type_mismatch::ForeignKeyTypeMismatch::META,
        integrity::foreign_key_type_mismatch::check,
    ),
    (
        &integrity::foreign_key_to_non_unique_column::ForeignKeyToNonUniqueColumn::META,
        integrity::foreign_key_to_non_unique_column::check,
    ),
    (
        &normalized::repeating_column_group::RepeatingColumnGroup::META,
        normalized::repeating_column_group::check,
    ),
    (
        &normalized::list_in_text_column::ListInTextColumn::META,
        normalized::list_in_text_column::check,
    ),
    (
        &integrity::id_column_without_foreign_key::IdColumnWithoutForeignKey::META,
        integrity::id_column_without_foreign_key::check,
    ),
    (
        &integrity::foreign_key_without_on_delete::ForeignKeyWithoutOnDelete::META,
        integrity::foreign_key_without_on_delete::check,
    ),
    (
        &super::audit::missing_audit_columns::MissingAuditColumns::META,
        super::audit::missing_audit_columns::check,
    ),
];

/// Runs the enabled set rules, then replays the set once and runs the
/// enabled schema rules on the result, each under [`guard`] on the set's
/// first file.
pub(crate) fn run(set: &MigrationSet, sink: &mut Sink<'_>, internal: &mut Vec<Diagnostic>) {
    let Some(first) = set.files().first().map(|f| Arc::clone(f)) else {
        return;
    };
    for (rule, check) in SET_RULES {
        if sink.enabled(rule) {
            if let Err(error) = guard(&first, || check(set, sink)) {
                internal.push(error);
            }
        }
    }
    let enabled: Vec<&SchemaRule> = RULES
        .iter()
        .filter(|(rule, _)| sink.enabled(rule))
        .collect();
    if enabled.is_empty() {
        return;
    }
    let replayed = guard(&first, || schema::replay(set));
    let catalog = match replayed {
        Ok(catalog) => catalog,
        Err(error) => {
            internal.push(error);
            return;
        }
    };
    let schema = SetSchema { set, catalog };
    for (_, check) in enabled {
        if let Err(error) = guard(&first, || check(&schema, sink)) {
            internal.push(error);
        }
    }
}

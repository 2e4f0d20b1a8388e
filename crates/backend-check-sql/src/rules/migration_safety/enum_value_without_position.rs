//! SQL034 (off by default): `ALTER TYPE … ADD VALUE` without `BEFORE`/`AFTER`.

use backend_check_core::{declare_rule, Sink};

use super::words::{self, find, name_at, starts_with, tokens};
use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `ALTER TYPE … ADD VALUE` without `BEFORE` or `AFTER` in
    /// PostgreSQL up migrations, unless the type was created earlier in the
    /// same migration.
    ///
    /// ## Why is this bad?
    /// Enum values sort in the order they were declared, not by name:
    /// `ORDER BY status`, `status < 'shipped'` and range partitions on the
    /// column follow that order. A value appended at the end sorts after
    /// every existing one, which may not be where it belongs.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TYPE order_status ADD VALUE 'packed';
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// ALTER TYPE order_status ADD VALUE 'packed' BEFORE 'shipped';
    /// ```
    ///
    /// ## Options
    /// None. Off by default: appending at the end is the usual and intended
    /// order, and the real hazard of `ADD VALUE` (using the value in the same
    /// transaction) is SQL018's. Select it to make the position explicit.
    /// Only PostgreSQL sets are checked.
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub EnumValueWithoutPosition {
        code: "SQL034",
        name: "enum-value-without-position",
        checklist: DbMigrationSafety,
        group: Pedantic,
        severity: Info,
        summary: "an enum value is appended without `BEFORE`/`AFTER`, so it sorts after every existing value",
    }
}

impl SqlRule for EnumValueWithoutPosition {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !step.set.is_postgres() || !starts_with(step.statement, &["ALTER", "TYPE"]) {
            return;
        }
        let tokens = tokens(step.statement);
        let Some((name, after)) = name_at(&tokens, 2) else {
            return;
        };
        let Some(add) = find(&tokens, after, &["ADD", "VALUE"]) else {
            return;
        };
        let placed =
            find(&tokens, add, &["BEFORE"]).is_some() || find(&tokens, add, &["AFTER"]).is_some();
        if placed || words::created_earlier(step, "TYPE", &name) {
            return;
        }
        sink.push(
        step.diagnostic(
            &EnumValueWithoutPosition::META,
            step.head(),
            format!("a value is appended to enum \"{name}\" without BEFORE or AFTER, so it sorts after every existing value"),
        )
        .with_help("say where the value sorts with `BEFORE '…'` or `AFTER '…'`"),
    );
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn appended_values_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TYPE fresh AS ENUM ('a');\nALTER TYPE fresh ADD VALUE 'b';\nALTER TYPE s ADD VALUE IF NOT EXISTS 'x';\nALTER TYPE s ADD VALUE 'y' AFTER 'x';\nALTER TYPE s RENAME VALUE 'x' TO 'z';\n",
        );
        assert_eq!(
            repo.only("SQL034"),
            [at("SQL034", "migrations/1_a.sql", 3, 1)]
        );
    }
}

//! SQL015: a view, function, type, schema, sequence, domain or extension that
//! running code may use is dropped.

use backend_check_core::{declare_rule, Sink};

use super::drops;
use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `DROP VIEW`, `DROP MATERIALIZED VIEW`, `DROP FUNCTION`, `DROP
    /// PROCEDURE`, `DROP TYPE`, `DROP SCHEMA`, `DROP SEQUENCE`, `DROP DOMAIN` and
    /// `DROP EXTENSION` in up migrations. A drop followed by a `CREATE` of the
    /// same kind and name later in the same script (the usual way to redefine a
    /// view or change a function's signature) is not reported, nor is a drop of
    /// an object created earlier in the same script. One statement that drops
    /// several objects (`DROP VIEW a, b`) is one finding naming them all.
    ///
    /// ## Why is this bad?
    /// The application version still running during the deploy may call the
    /// function, read the view or cast to the type; its queries fail as soon as
    /// the object is gone. Columns that use a dropped type or domain, and
    /// defaults that use a dropped sequence, go with it under `CASCADE`.
    ///
    /// ## Example
    /// ```sql
    /// DROP VIEW active_users;
    /// ```
    ///
    /// ## Use instead
    /// Drop the object in a release after the one that stopped using it, and
    /// suppress the finding with a reason:
    /// ```sql
    /// -- backend-check: allow(SQL015) unused since v2.3
    /// DROP VIEW active_users;
    /// ```
    ///
    /// ## Options
    /// None. All dialects are checked; down scripts are not.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub DropObject {
        code: "SQL015",
        name: "drop-object",
        checklist: DbMigrationSafety,
        group: Pedantic,
        severity: Info,
        summary: "a dropped view, function, type, sequence, domain, schema or extension breaks code that still uses it",
    }
}

const KINDS: &[&str] = &[
    "VIEW",
    "MATERIALIZED VIEW",
    "FUNCTION",
    "PROCEDURE",
    "TYPE",
    "SCHEMA",
    "SEQUENCE",
    "DOMAIN",
    "EXTENSION",
];

impl SqlRule for DropObject {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        let Some(drop) = drops::read(step.statement) else {
            return;
        };
        if !KINDS.contains(&drop.kind.as_str())
            || (drop.kind == "SCHEMA" && !step.set.is_postgres())
        {
            return;
        }
        let statements = &step.script.statements;
        let gone: Vec<String> = drop
            .names
            .iter()
            .filter(|name| {
                let recreated = statements
                    .iter()
                    .skip(step.position + 1)
                    .any(|s| drops::creates(s, &drop.kind, name));
                let fresh = statements
                    .iter()
                    .take(step.position)
                    .any(|s| drops::creates(s, &drop.kind, name));
                !(recreated || fresh)
            })
            .map(|name| format!("\"{name}\""))
            .collect();
        if gone.is_empty() {
            return;
        }
        sink.push(
        step.diagnostic(&DropObject::META, step.head(), message(&drop.kind, &gone))
            .with_help("drop it in a release after the one that stopped using it, and suppress this with a reason once that is so"),
    );
    }
}

/// One finding per statement: `DROP VIEW a, b` is one decision.
fn message(kind: &str, names: &[String]) -> String {
    let kind = kind.to_lowercase();
    match names {
        [one] => format!("{kind} {one} is dropped while the running application may still use it"),
        _ => format!(
            "{kind}s {} are dropped while the running application may still use them",
            names.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn drops_fire_unless_recreated() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "DROP VIEW v;\nCREATE OR REPLACE VIEW v AS SELECT 1;\nDROP FUNCTION IF EXISTS f(int), g(text);\nDROP VIEW x, y;\nCREATE FUNCTION f(bigint) RETURNS int AS 'select 1' LANGUAGE sql;\nDROP MATERIALIZED VIEW m;\nDROP TABLE t;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL015")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL015", "migrations/1_a.sql", 3, 1),
                at("SQL015", "migrations/1_a.sql", 4, 1),
                at("SQL015", "migrations/1_a.sql", 6, 1)
            ]
        );
    }
}

//! SQL018: `ALTER TYPE … ADD VALUE` inside a transaction where PostgreSQL
//! refuses it, or followed by a use of the new value in the same transaction.

use backend_check_core::{declare_rule, Sink};
use sqlparser::tokenizer::Token;

use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `ALTER TYPE … ADD VALUE` in PostgreSQL up migrations that run
    /// inside a transaction (the tool's or the script's own), when either
    /// `sql.postgres-version` is below 12, where PostgreSQL refuses the
    /// statement in a transaction block, or a later statement of the same
    /// transaction uses the new label (as a literal `'label'`), which every
    /// version refuses until the transaction has committed.
    ///
    /// ## Why is this bad?
    /// The migration fails at deploy time with `ALTER TYPE … ADD cannot run
    /// inside a transaction block` or `unsafe use of new value "…" of enum type`.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TYPE order_status ADD VALUE 'refunded';
    /// UPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL;
    /// ```
    ///
    /// ## Use instead
    /// Add the value in a migration of its own, and use it from the next one:
    /// ```sql
    /// ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded';
    /// ```
    ///
    /// ## Options
    /// `sql.postgres-version`: below 12 every `ADD VALUE` in a transaction is
    /// reported. Only PostgreSQL sets are checked.
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub EnumValueInTransaction {
        code: "SQL018",
        name: "enum-value-in-transaction",
        checklist: DbMigrationSafety,
        group: Correctness,
        severity: Error,
        summary: "an enum value is added inside a transaction that cannot hold it, so the migration fails",
    }
}

impl SqlRule for EnumValueInTransaction {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !step.set.is_postgres() || !step.in_transaction {
            return;
        }
        let Some(label) = added_label(step) else {
            return;
        };
        let message = if step.set.postgres_before(12) {
            format!("enum value '{label}' is added inside a transaction, which PostgreSQL before 12 refuses")
        } else if used_later(step, &label) {
            format!("enum value '{label}' is used in the transaction that adds it, which PostgreSQL refuses")
        } else {
            return;
        };
        sink.push(
        step.diagnostic(&EnumValueInTransaction::META, step.head(), message)
            .with_help("add the enum value in a migration of its own that runs outside a transaction, and use it from the next migration"),
    );
    }
}

/// The label of `ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'label'`.
fn added_label(step: &Step<'_>) -> Option<String> {
    let tokens = &step.statement.tokens;
    if !(tokens.first()?.is_word("ALTER") && tokens.get(1)?.is_word("TYPE")) {
        return None;
    }
    let add = tokens.windows(2).position(|w| {
        w.first().is_some_and(|t| t.is_word("ADD")) && w.get(1).is_some_and(|t| t.is_word("VALUE"))
    })?;
    tokens.iter().skip(add + 2).find_map(|t| match &t.token {
        Token::SingleQuotedString(s) => Some(s.clone()),
        _ => None,
    })
}

/// Whether a later statement of the same transaction holds the label as a
/// string literal.
fn used_later(step: &Step<'_>, label: &str) -> bool {
    let statements = step.script.statements.iter().skip(step.position + 1);
    for statement in statements {
        if crate::discover::transaction::control(statement).is_some() {
            return false;
        }
        let uses = statement
            .tokens
            .iter()
            .any(|t| matches!(&t.token, Token::SingleQuotedString(s) if s == label));
        if uses {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn use_of_the_new_value_in_the_transaction_fires() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "ALTER TYPE s ADD VALUE 'refunded';\nUPDATE o SET s = 'refunded';\n",
        );
        repo.write(
            "migrations/2_b.sql",
            "ALTER TYPE s ADD VALUE IF NOT EXISTS 'x' AFTER 'y';\n",
        );
        repo.write(
            "migrations/3_c.sql",
            "-- no-transaction\nALTER TYPE s ADD VALUE 'z';\nUPDATE o SET s = 'z';\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL018")
            .collect();
        assert_eq!(found, [at("SQL018", "migrations/1_a.sql", 1, 1)]);
    }
}

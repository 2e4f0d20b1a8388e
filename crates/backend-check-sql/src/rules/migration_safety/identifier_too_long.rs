//! SQL022: an identifier longer than the database keeps.

use backend_check_core::{declare_rule, Sink, SqlDialect};
use sqlparser::tokenizer::Token;

use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds names longer than 63 bytes in PostgreSQL `CREATE` and `ALTER`
    /// statements of up migrations (tables, columns, indexes, constraints,
    /// types), and longer than 64 characters in MySQL.
    ///
    /// ## Why is this bad?
    /// PostgreSQL silently cuts such a name to 63 bytes. Two long names that
    /// share their first 63 bytes (`orders_customer_shipping_address_…_idx`)
    /// collide and the second statement fails, and tools that compare the
    /// written name with the catalog (ORMs, schema diffs) see a difference that
    /// never goes away. MySQL refuses the statement outright.
    ///
    /// ## Example
    /// ```sql
    /// CREATE INDEX orders_customer_id_shipping_address_id_created_at_status_idx_v2
    ///     ON orders (customer_id, shipping_address_id, created_at, status);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE INDEX orders_customer_address_created_status_idx
    ///     ON orders (customer_id, shipping_address_id, created_at, status);
    /// ```
    ///
    /// ## Options
    /// None. PostgreSQL and MySQL sets are checked.
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub IdentifierTooLong {
        code: "SQL022",
        name: "identifier-too-long",
        checklist: DbMigrationSafety,
        group: Suspicious,
        severity: Warning,
        summary: "a name longer than the database keeps is truncated (PostgreSQL) or refused (MySQL)",
    }
}

impl SqlRule for IdentifierTooLong {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        let limit = match step.set.dialect {
            SqlDialect::Postgres if step.set.is_postgres() => Limit::Bytes(63),
            SqlDialect::MySql => Limit::Chars(64),
            _ => return,
        };
        let tokens = &step.statement.tokens;
        let ddl = tokens
            .first()
            .is_some_and(|t| t.is_word("CREATE") || t.is_word("ALTER"));
        if !ddl {
            return;
        }
        let mut seen: Vec<&str> = Vec::new();
        for token in tokens {
            let Token::Word(word) = &token.token else {
                continue;
            };
            if !limit.exceeded(&word.value) || seen.contains(&word.value.as_str()) {
                continue;
            }
            seen.push(&word.value);
            sink.push(
                step.diagnostic(
                    &IdentifierTooLong::META,
                    token.span,
                    limit.message(&word.value),
                )
                .with_help(
                    "shorten the name so it fits, and keep the distinguishing part at its start",
                ),
            );
        }
    }
}

#[derive(Clone, Copy)]
enum Limit {
    Bytes(usize),
    Chars(usize),
}

impl Limit {
    fn exceeded(self, name: &str) -> bool {
        match self {
            Limit::Bytes(n) => name.len() > n,
            Limit::Chars(n) => name.chars().count() > n,
        }
    }

    fn message(self, name: &str) -> String {
        match self {
            Limit::Bytes(n) => format!(
                "identifier \"{name}\" is {} bytes long, and PostgreSQL keeps only the first {n}",
                name.len()
            ),
            Limit::Chars(n) => format!(
                "identifier \"{name}\" is {} characters long, and MySQL refuses names over {n}",
                name.chars().count()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn long_names_fire_at_the_name() {
        let long = "a".repeat(64);
        let ok = "b".repeat(63);
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            format!("CREATE TABLE t (\n  {long} int,\n  {ok} int\n);\nSELECT {long} FROM t;\n"),
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL022")
            .collect();
        assert_eq!(found, [at("SQL022", "migrations/1_a.sql", 2, 3)]);
    }
}

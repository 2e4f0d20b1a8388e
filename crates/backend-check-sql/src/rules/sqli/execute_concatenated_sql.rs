//! SQL061: PL/pgSQL `EXECUTE` of a string built by concatenation or `%s`.

use backend_check_core::{declare_rule, Diagnostic, Sink, Span};
use sqlparser::tokenizer::Token;

use crate::engine::SqlRule;
use crate::model::MigrationSet;
use crate::parse::Statement;
use crate::rules::authz::{creates_routine, up_statements};

declare_rule! {
    /// ## What it does
    /// Reads the bodies of functions, procedures and `DO` blocks in up
    /// migrations and finds `EXECUTE` statements whose SQL is built with `||`
    /// from a value that is not passed through `quote_ident`, `quote_literal`
    /// or `quote_nullable`, or with `format()` and a `%s` placeholder (unless
    /// every argument is a `regclass` parameter, which prints quoted). The
    /// finding is at the `EXECUTE`.
    ///
    /// ## Why is this bad?
    /// `EXECUTE` runs whatever text it gets. A parameter or column value glued
    /// into that text can end the intended statement and start another one; in
    /// a `SECURITY DEFINER` function or a trigger, that runs with the owner's
    /// privileges. `format()` with `%I` (identifiers) and `%L` (literals), or
    /// `EXECUTE … USING` for values, quote correctly.
    ///
    /// ## Example
    /// ```sql
    /// CREATE FUNCTION purge(tbl text, days int) RETURNS void LANGUAGE plpgsql AS $$
    /// BEGIN
    ///     EXECUTE 'DELETE FROM ' || tbl || ' WHERE created_at < now() - interval ''' || days || ' days''';
    /// END $$;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE FUNCTION purge(tbl text, days int) RETURNS void LANGUAGE plpgsql AS $$
    /// BEGIN
    ///     EXECUTE format('DELETE FROM %I WHERE created_at < now() - make_interval(days => $1)', tbl)
    ///         USING days;
    /// END $$;
    /// ```
    ///
    /// ## Options
    /// None.
    pub ExecuteConcatenatedSql {
        code: "SQL061",
        name: "execute-concatenated-sql",
        checklist: SecSqli,
        group: Pedantic,
        severity: Warning,
        summary: "dynamic SQL in PL/pgSQL `EXECUTE` built by concatenating or `%s`-formatting values",
    }
}

const QUOTING: &[&str] = &["quote_ident(", "quote_literal(", "quote_nullable("];

impl SqlRule for ExecuteConcatenatedSql {
    /// Checks the up scripts of a set.
    fn set(&self, set: &MigrationSet, sink: &mut Sink<'_>) {
        for (script, statement) in up_statements(set) {
            if !creates_routine(statement) && !statement.is_do_block() {
                continue;
            }
            let safe = regclass_parameters(statement);
            for body in bodies(statement) {
                let text = script.file.slice(body);
                for (offset, why) in unsafe_executes(&safe, text) {
                    let start = body.start + offset;
                    sink.push(
                    Diagnostic::new(
                        &ExecuteConcatenatedSql::META,
                        &script.file,
                        Span::new(start, start + "EXECUTE".len()),
                        format!("EXECUTE runs SQL built {why}"),
                    )
                    .with_help("use format() with %I for identifiers and %L for literals, or pass values with EXECUTE … USING"),
                );
                }
            }
        }
    }
}

/// The string tokens of a statement that may be procedural bodies.
fn bodies(statement: &Statement) -> Vec<Span> {
    statement
        .tokens
        .iter()
        .filter(|t| {
            matches!(
                t.token,
                Token::DollarQuotedString(_) | Token::SingleQuotedString(_)
            )
        })
        .map(|t| t.span)
        .collect()
}

/// The parameters declared `regclass`: they print as quoted, qualified
/// table names, so `%s` of them is safe.
fn regclass_parameters(statement: &Statement) -> Vec<String> {
    statement
        .tokens
        .windows(2)
        .filter_map(|w| match w {
            [name, kind] if kind.is_word("regclass") => match &name.token {
                Token::Word(word) => Some(word.value.to_ascii_lowercase()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The offsets of unsafe `EXECUTE`s in a body, with why they are unsafe;
/// `safe` names values that `%s` may format.
fn unsafe_executes(safe: &[String], body: &str) -> Vec<(usize, &'static str)> {
    let lower = body.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = lower.get(from..).and_then(|s| s.find("execute")) {
        let start = from + at;
        from = start + "execute".len();
        let word_before = lower[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        let word_after = lower[from..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        if word_before || word_after {
            continue;
        }
        let rest = &lower[from..];
        let end = statement_end(rest);
        if let Some(why) = judge(&rest[..end], safe) {
            found.push((start, why));
        }
    }
    found
}

/// The end of the `EXECUTE` expression: the `;` (outside strings) or the
/// end of the body.
fn statement_end(rest: &str) -> usize {
    let mut in_string = false;
    for (i, c) in rest.char_indices() {
        match c {
            '\'' => in_string = !in_string,
            ';' if !in_string => return i,
            _ => {}
        }
    }
    rest.len()
}

/// Why an `EXECUTE` expression is unsafe, if it is.
fn judge(expression: &str, safe: &[String]) -> Option<&'static str> {
    let expression = expression
        .split(" using ")
        .next()
        .unwrap_or(expression)
        .split(" into ")
        .next()
        .unwrap_or(expression);
    let trimmed = expression.trim_start();
    if trimmed.starts_with("format(") || trimmed.starts_with("format (") {
        let format_string = trimmed.split('\'').nth(1).unwrap_or_default();
        let arguments = without_strings(trimmed);
        let all_safe = arguments
            .trim_end()
            .trim_end_matches(')')
            .split(',')
            .skip(1)
            .all(|a| safe.iter().any(|s| s == a.trim()));
        return (format_string.contains("%s") && !all_safe)
            .then_some("with format() and %s, which does not quote");
    }
    let code = without_strings(expression);
    if !code.contains("||") {
        return None;
    }
    let unquoted = code
        .split("||")
        .map(str::trim)
        .any(|operand| !operand.is_empty() && !QUOTING.iter().any(|q| operand.starts_with(q)));
    unquoted.then_some("by concatenating a value that is not quoted")
}

/// The expression with every string literal emptied.
fn without_strings(expression: &str) -> String {
    let mut out = String::with_capacity(expression.len());
    let mut in_string = false;
    for c in expression.chars() {
        if c == '\'' {
            in_string = !in_string;
            continue;
        }
        if !in_string {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::unsafe_executes;
    use crate::test_support::{at, Repo};

    #[test]
    fn expressions_are_judged() {
        let regclass = ["_tbl".to_owned()];
        assert!(unsafe_executes(
            &regclass,
            "EXECUTE format('CREATE TRIGGER t BEFORE UPDATE ON %s', _tbl);"
        )
        .is_empty());
        assert_eq!(
            unsafe_executes(&[], "EXECUTE 'DELETE FROM ' || tbl;").len(),
            1
        );
        assert_eq!(
            unsafe_executes(&[], "EXECUTE 'DELETE FROM ' || quote_ident(tbl);").len(),
            0
        );
        assert_eq!(
            unsafe_executes(&[], "EXECUTE format('DELETE FROM %s', tbl);").len(),
            1
        );
        assert_eq!(
            unsafe_executes(&[], "EXECUTE format('DELETE FROM %I', tbl) USING x;").len(),
            0
        );
        assert_eq!(unsafe_executes(&[], "EXECUTE 'SELECT 1 || 2';").len(), 0);
        assert_eq!(unsafe_executes(&[], "EXECUTE v_sql;").len(), 0);
        assert_eq!(unsafe_executes(&[], "PERFORM executed || x;").len(), 0);
    }

    #[test]
    fn function_bodies_and_do_blocks_are_read() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE FUNCTION purge(tbl text) RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  EXECUTE 'TRUNCATE ' || tbl;\nEND $$;\nDO $$ BEGIN\n  EXECUTE format('DROP TABLE %s', 'x');\nEND $$;\nCREATE TRIGGER t AFTER INSERT ON x FOR EACH ROW EXECUTE FUNCTION f();\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL061")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL061", "migrations/1_a.sql", 3, 3),
                at("SQL061", "migrations/1_a.sql", 6, 3)
            ]
        );
    }
}

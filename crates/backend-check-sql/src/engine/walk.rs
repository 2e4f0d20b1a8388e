//! One walk over a set for the statement-level safety rules (SQL009 on): the
//! catalog is replayed once, and each up statement is shown to every enabled
//! rule with the schema before it, the tables its migration created earlier,
//! and whether it runs inside a transaction.

use backend_check_core::{guard, Diagnostic, RuleMeta, Sink, Span};
use sqlparser::ast;

use crate::discover::transaction;
use crate::model::{Direction, MigrationSet, Script};
use crate::parse::Statement;
use crate::schema::{self, Catalog, TableName};

/// One statement of an up script, with what the rules need to judge it.
pub(crate) struct Step<'a> {
    /// The set.
    pub set: &'a MigrationSet,
    /// The index of the statement's migration in the set.
    pub index: usize,
    /// The script holding the statement.
    pub script: &'a Script,
    /// The statement's index in the script.
    pub position: usize,
    /// The statement.
    pub statement: &'a Statement,
    /// The schema before the statement.
    pub catalog: &'a Catalog,
    /// Tables the migration created before the statement.
    pub created: &'a Created,
    /// Whether the statement runs inside a transaction block.
    pub in_transaction: bool,
}

impl Step<'_> {
    /// Whether `table` may hold rows and be in use: the migration did not
    /// create it before this statement.
    pub fn existing(&self, table: &TableName) -> bool {
        !self.created.before(table, self.position)
    }

    /// The statement's `ALTER TABLE` and its table, when it is one on an
    /// existing table.
    pub fn existing_alter(&self) -> Option<(&ast::AlterTable, TableName)> {
        let Ok(ast::Statement::AlterTable(alter)) = &self.statement.parsed else {
            return None;
        };
        let table = TableName::from_object(&alter.name)?;
        self.existing(&table).then_some((alter, table))
    }

    /// From the statement's start to the end of the name of the object it
    /// acts on (`ALTER TABLE IF EXISTS ONLY app.orders`).
    /// Whether an earlier statement of the script empties `table` (`DELETE
    /// FROM t` without `WHERE`, `TRUNCATE t`): rewriting it is then free.
    pub fn emptied(&self, table: &TableName) -> bool {
        emptied_before(&self.script.statements, self.statement, table)
    }

    pub fn head(&self) -> Span {
        object_head(self.statement)
    }

    /// A finding of `rule` at `span` of this statement's file.
    pub fn diagnostic(&self, rule: &'static RuleMeta, span: Span, message: String) -> Diagnostic {
        Diagnostic::new(rule, &self.script.file, span, message)
    }
}

/// A whole script (up or down), for rules that judge a file at once.
pub(crate) struct ScriptView<'a> {
    /// The set.
    pub set: &'a MigrationSet,
    /// The script.
    pub script: &'a Script,
    /// Tables the migration created, by statement.
    pub created: &'a Created,
}

/// The tables a migration creates, with the statement that creates each.
pub(crate) struct Created {
    tables: Vec<(usize, TableName)>,
    earlier_parts: Vec<TableName>,
}

impl Created {
    /// Reads the up script of migration `index`.
    pub(crate) fn of(set: &MigrationSet, index: usize, statements: &[Statement]) -> Created {
        let tables = schema::created_tables(statements)
            .into_iter()
            .map(|c| (c.statement, c.name))
            .collect();
        let earlier_parts = if set.layout == crate::model::Layout::Pop {
            (0..index)
                .filter(|&earlier| set.same_change(earlier, index))
                .filter_map(|earlier| set.migrations.get(earlier)?.up.as_ref())
                .flat_map(|up| schema::created_tables(&up.statements))
                .map(|created| created.name)
                .collect()
        } else {
            Vec::new()
        };
        Created {
            tables,
            earlier_parts,
        }
    }

    /// Whether `table` was created before statement `position`.
    pub(crate) fn before(&self, table: &TableName, position: usize) -> bool {
        self.tables
            .iter()
            .any(|(at, name)| *at < position && name.matches(table))
            || self.earlier_parts.iter().any(|name| name.matches(table))
    }
}

/// A rule that judges one up statement at a time.
pub(crate) type StatementRule = (&'static RuleMeta, fn(&Step<'_>, &mut Sink<'_>));

/// A rule that judges a whole script: `Direction::Up` rules see up scripts,
/// `Direction::Down` rules see up and down scripts.
pub(crate) type ScriptRule = (
    &'static RuleMeta,
    Direction,
    fn(&ScriptView<'_>, &mut Sink<'_>),
);

/// Runs the enabled rules of `statement_rules` and `script_rules` over a set.
pub(crate) fn run(
    set: &MigrationSet,
    statement_rules: &[StatementRule],
    script_rules: &[ScriptRule],
    sink: &mut Sink<'_>,
    internal: &mut Vec<Diagnostic>,
) {
    let statement_rules: Vec<&StatementRule> = statement_rules
        .iter()
        .filter(|(rule, _)| sink.enabled(rule))
        .collect();
    let script_rules: Vec<&ScriptRule> = script_rules
        .iter()
        .filter(|(rule, _, _)| sink.enabled(rule))
        .collect();
    if statement_rules.is_empty() && script_rules.is_empty() {
        return;
    }
    let mut catalog = Catalog::for_set(set);
    for (index, migration) in set.migrations.iter().enumerate() {
        if let Some(up) = &migration.up {
            let created = Created::of(set, index, &up.statements);
            let walked = guard(&up.file, || {
                let in_transaction = transaction::in_transaction(up);
                let view = ScriptView {
                    set,
                    script: up,
                    created: &created,
                };
                for (_, _, check) in &script_rules {
                    check(&view, sink);
                }
                walk_statements(
                    set,
                    index,
                    up,
                    &created,
                    &in_transaction,
                    &mut catalog,
                    &statement_rules,
                    sink,
                );
            });
            internal.extend(walked.err());
        }
        if let Some(down) = &migration.down {
            let created = Created::of(set, index, &down.statements);
            let walked = guard(&down.file, || {
                let view = ScriptView {
                    set,
                    script: down,
                    created: &created,
                };
                for (_, direction, check) in &script_rules {
                    if *direction == Direction::Down {
                        check(&view, sink);
                    }
                }
            });
            internal.extend(walked.err());
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn walk_statements(
    set: &MigrationSet,
    index: usize,
    script: &Script,
    created: &Created,
    in_transaction: &[bool],
    catalog: &mut Catalog,
    rules: &[&StatementRule],
    sink: &mut Sink<'_>,
) {
    for (position, statement) in script.statements.iter().enumerate() {
        if !rules.is_empty() {
            let step = Step {
                set,
                index,
                script,
                position,
                statement,
                catalog,
                created,
                in_transaction: in_transaction.get(position).copied().unwrap_or(true),
            };
            for (_, check) in rules {
                check(&step, sink);
            }
        }
        catalog.apply(statement);
        if statement.is_do_block() {
            for inner in &statement.body {
                let step = Step {
                    set,
                    index,
                    script,
                    position,
                    statement: inner,
                    catalog,
                    created,
                    in_transaction: in_transaction.get(position).copied().unwrap_or(true),
                };
                for (_, check) in rules {
                    check(&step, sink);
                }
                catalog.apply(inner);
            }
        }
    }
}

/// Words that may stand between a command and the name it acts on.
const HEAD_WORDS: &[&str] = &[
    "ALTER",
    "DROP",
    "CREATE",
    "TABLE",
    "IF",
    "EXISTS",
    "NOT",
    "ONLY",
    "INDEX",
    "CONCURRENTLY",
    "TYPE",
    "DOMAIN",
    "VIEW",
    "MATERIALIZED",
    "SEQUENCE",
    "SCHEMA",
    "EXTENSION",
    "FUNCTION",
    "PROCEDURE",
    "TRUNCATE",
    "DATABASE",
    "UNIQUE",
    "OR",
    "REPLACE",
    "TEMP",
    "TEMPORARY",
    "UNLOGGED",
    "ROUTINE",
    "AGGREGATE",
    "TRIGGER",
    "POLICY",
];

/// From a statement's start to the end of the first name after its leading
/// command words (the whole statement head when there is none).
pub(crate) fn object_head(statement: &Statement) -> Span {
    let tokens: Vec<&crate::parse::SqlToken> = statement.tokens.iter().collect();
    let mut at = 0;
    while tokens
        .get(at)
        .is_some_and(|t| HEAD_WORDS.iter().any(|w| t.is_word(w)))
    {
        at += 1;
    }
    let end = tokens
        .get(at..)
        .and_then(TableName::from_tokens)
        .and_then(|(_, used)| tokens.get(at + used - 1))
        .map_or_else(|| statement.head(3).end, |t| t.span.end);
    Span::new(statement.span.start, end.max(statement.span.start))
}

/// Whether a statement before `statement` in the script empties `table`
/// (`DELETE FROM t` without `WHERE`, `TRUNCATE t`): the column is then added
/// to an empty table, where it cannot fail.
pub(crate) fn emptied_before(
    statements: &[Statement],
    statement: &Statement,
    table: &TableName,
) -> bool {
    let names_table =
        |name: &ast::ObjectName| TableName::from_object(name).is_some_and(|t| t.matches(table));
    statements
        .iter()
        .take_while(|s| !std::ptr::eq(*s, statement))
        .any(|s| match &s.parsed {
            Ok(ast::Statement::Truncate(truncate)) => {
                truncate.table_names.iter().any(|t| names_table(&t.name))
            }
            Ok(ast::Statement::Delete(delete)) if delete.selection.is_none() => {
                let (ast::FromTable::WithFromKeyword(from) | ast::FromTable::WithoutKeyword(from)) =
                    &delete.from;
                from.iter().any(|t| match &t.relation {
                    ast::TableFactor::Table { name, .. } => names_table(name),
                    _ => false,
                })
            }
            _ => false,
        })
}

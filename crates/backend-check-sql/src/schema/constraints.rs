//! Adding keys, checks and foreign keys to a table, named the way
//! PostgreSQL names them: checks first, then the constraints backed by an
//! index (the primary key first, a repeat of the same columns dropped), then
//! foreign keys, each default name made unique in the schema.

use sqlparser::ast::{self, ColumnOption, TableConstraint};
use sqlparser::tokenizer::{Token, Tokenizer};

use super::apply::{column_expr, ident};
use super::catalog::{unpublic, Catalog, Constraint, ForeignKey, Origin, Table};
use super::locate::Locator;
use super::pg_names::{choose_name, name_addition};
use super::TableName;
use crate::parse::truncate_identifier;

/// What a constraint is, before it has a name.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    PrimaryKey(Vec<String>),
    Unique(Vec<String>),
    Check {
        expression: String,
        /// The column of a column constraint.
        column: Option<String>,
    },
    ForeignKey {
        columns: Vec<String>,
        references: TableName,
        referred: Vec<String>,
        on_delete: Option<String>,
    },
    /// `ADD {PRIMARY KEY | UNIQUE} USING INDEX index`.
    UsingIndex {
        primary: bool,
        index: String,
    },
}

/// A constraint of one statement, named or not.
#[derive(Debug, Clone)]
pub(super) struct Pending {
    pub(super) kind: Kind,
    pub(super) name: Option<String>,
    pub(super) origin: Origin,
}

impl Pending {
    fn order(&self) -> u8 {
        match self.kind {
            Kind::Check { .. } => 0,
            Kind::PrimaryKey(_) | Kind::UsingIndex { primary: true, .. } => 1,
            Kind::Unique(_) | Kind::UsingIndex { .. } => 2,
            Kind::ForeignKey { .. } => 3,
        }
    }
}

impl Catalog {
    /// The constraint a column option declares on `column`, if any.
    pub(super) fn column_option(
        &self,
        column: &str,
        name: Option<String>,
        option: &ColumnOption,
        at: &mut Locator<'_>,
    ) -> Option<Pending> {
        let mut origin = self.cursor;
        let columns = vec![column.to_owned()];
        let kind = match option {
            ColumnOption::PrimaryKey(_) => {
                origin.span = at.next("PRIMARY");
                Kind::PrimaryKey(columns)
            }
            ColumnOption::Unique(_) => {
                origin.span = at.next("UNIQUE");
                Kind::Unique(columns)
            }
            ColumnOption::ForeignKey(fk) => {
                origin.span = at.next("REFERENCES");
                let references = TableName::from_object(&fk.foreign_table)?;
                return Some(Pending {
                    kind: Kind::ForeignKey {
                        columns,
                        references: unpublic(references),
                        referred: fk.referred_columns.iter().map(ident).collect(),
                        on_delete: fk.on_delete.map(|a| a.to_string()),
                    },
                    name: name.or_else(|| fk.name.as_ref().map(ident)),
                    origin,
                });
            }
            ColumnOption::Check(check) => Kind::Check {
                expression: check.expr.to_string(),
                column: Some(column.to_owned()),
            },
            _ => return None,
        };
        Some(Pending { kind, name, origin })
    }

    /// The constraint a table constraint declares, if the replay keeps it
    /// (MySQL `KEY`/`INDEX` entries are indexes: see [`Catalog::create_table`]).
    pub(super) fn table_constraint(
        &self,
        constraint: &TableConstraint,
        at: &mut Locator<'_>,
    ) -> Option<Pending> {
        let keys = |cols: &[ast::IndexColumn]| -> Vec<String> {
            cols.iter().map(|c| column_expr(&c.column.expr)).collect()
        };
        let mut origin = self.cursor;
        let (kind, name) = match constraint {
            TableConstraint::PrimaryKey(pk) => {
                origin.span = at.next("PRIMARY");
                (Kind::PrimaryKey(keys(&pk.columns)), pk.name.as_ref())
            }
            TableConstraint::Unique(u) => {
                origin.span = at.next("UNIQUE");
                // MySQL's `UNIQUE KEY idx (…)` names the index, which is
                // the constraint's name there.
                (
                    Kind::Unique(keys(&u.columns)),
                    u.name.as_ref().or(u.index_name.as_ref()),
                )
            }
            TableConstraint::ForeignKey(fk) => {
                origin.span = at.next("FOREIGN");
                let references = TableName::from_object(&fk.foreign_table)?;
                (
                    Kind::ForeignKey {
                        columns: fk.columns.iter().map(ident).collect(),
                        references: unpublic(references),
                        referred: fk.referred_columns.iter().map(ident).collect(),
                        on_delete: fk.on_delete.map(|a| a.to_string()),
                    },
                    fk.name.as_ref(),
                )
            }
            TableConstraint::Check(c) => (
                Kind::Check {
                    expression: c.expr.to_string(),
                    column: None,
                },
                c.name.as_ref(),
            ),
            TableConstraint::PrimaryKeyUsingIndex(c) | TableConstraint::UniqueUsingIndex(c) => {
                origin.span = at.next(
                    if matches!(constraint, TableConstraint::PrimaryKeyUsingIndex(_)) {
                        "PRIMARY"
                    } else {
                        "UNIQUE"
                    },
                );
                (
                    Kind::UsingIndex {
                        primary: matches!(constraint, TableConstraint::PrimaryKeyUsingIndex(_)),
                        index: ident(&c.index_name),
                    },
                    c.name.as_ref(),
                )
            }
            _ => return None,
        };
        Some(Pending {
            kind,
            name: name.map(ident),
            origin,
        })
    }

    /// Names the constraints of one statement and adds them to `table`
    /// (detached from the catalog while it is changed).
    pub(super) fn add_constraints(
        &mut self,
        table: &mut Table,
        table_name: &TableName,
        pending: Vec<Pending>,
    ) {
        let mut pending = without_repeats(pending);
        pending.sort_by_key(Pending::order);
        let mut chosen: Vec<String> = Vec::new();
        for p in pending {
            let given = p.name.as_deref().map(truncate_identifier);
            let generated_name = given.is_none();
            let name =
                given.unwrap_or_else(|| self.default_name(table, table_name, &p.kind, &chosen));
            chosen.push(name.clone());
            self.add_named(table, p, name, generated_name);
        }
        mark_primary_key_not_null(table);
    }

    fn default_name(
        &self,
        table: &Table,
        table_name: &TableName,
        kind: &Kind,
        chosen: &[String],
    ) -> String {
        let own =
            |n: &str| chosen.iter().any(|c| c == n) || table.constraints.iter().any(|c| c == n);
        let relation = |n: &str| own(n) || self.relation_name_taken(n);
        let constraint = |n: &str| own(n) || self.constraint_name_taken(n);
        let t = table_name.name.as_str();
        match kind {
            Kind::PrimaryKey(_) => {
                // a second primary key replaces the first in the replay
                let current = table
                    .primary_key_constraint
                    .as_ref()
                    .and_then(|c| c.name.as_deref());
                choose_name(t, None, "pkey", |n| Some(n) != current && relation(n))
            }
            Kind::Unique(columns) => choose_name(t, Some(&name_addition(columns)), "key", relation),
            Kind::Check { expression, column } => {
                let referenced = referenced_columns(expression, table);
                let _ = column;
                let single = match referenced.as_slice() {
                    [only] => Some(only.as_str()),
                    _ => None,
                };
                choose_name(t, single, "check", constraint)
            }
            Kind::ForeignKey { columns, .. } => {
                choose_name(t, Some(&name_addition(columns)), "fkey", constraint)
            }
            Kind::UsingIndex { index, .. } => index.clone(),
        }
    }

    fn add_named(&mut self, table: &mut Table, p: Pending, name: String, generated_name: bool) {
        let origin = p.origin;
        let constraint = |columns: Vec<String>, expression: Option<String>| Constraint {
            name: Some(name.clone()),
            columns,
            expression,
            generated_name,
            origin,
        };
        match p.kind {
            Kind::PrimaryKey(columns) => {
                if let Some(old) = table.primary_key_constraint.take().and_then(|c| c.name) {
                    table.constraints.retain(|c| *c != old);
                }
                table.primary_key.clone_from(&columns);
                table.primary_key_constraint = Some(constraint(columns, None));
            }
            Kind::Unique(columns) => table.unique.push(constraint(columns, None)),
            Kind::Check { expression, column } => {
                let mut columns = referenced_columns(&expression, table);
                if columns.is_empty() {
                    columns.extend(column);
                }
                table.checks.push(constraint(columns, Some(expression)));
            }
            Kind::ForeignKey {
                columns,
                references,
                referred,
                on_delete,
            } => table.foreign_keys.push(ForeignKey {
                name: Some(name.clone()),
                columns,
                references,
                referred_columns: referred,
                on_delete,
                generated_name,
                origin,
            }),
            Kind::UsingIndex { primary, index } => {
                let columns = self
                    .indexes
                    .remove(&index)
                    .map(|i| i.columns.clone())
                    .unwrap_or_default();
                let made = Constraint {
                    generated_name: false,
                    ..constraint(columns.clone(), None)
                };
                if primary {
                    table.primary_key = columns;
                    table.primary_key_constraint = Some(made);
                } else {
                    table.unique.push(made);
                }
            }
        }
        table.constraints.push(name);
    }

    /// Whether a relation (table, view, index, or the index of a key) of
    /// that name exists.
    pub(super) fn relation_name_taken(&self, name: &str) -> bool {
        self.tables.keys().any(|k| k.name == name)
            || self.views.keys().any(|k| k.name == name)
            || self.indexes.contains_key(name)
            || self.tables.values().any(|t| {
                t.primary_key_constraint
                    .iter()
                    .chain(&t.unique)
                    .any(|c| c.name.as_deref() == Some(name))
            })
    }

    /// Whether a constraint of that name exists on any table.
    fn constraint_name_taken(&self, name: &str) -> bool {
        self.tables
            .values()
            .any(|t| t.constraints.iter().any(|c| c == name))
    }
}

/// PostgreSQL keeps one index for keys on the same columns in one statement:
/// the primary key, else the first; a name given to a dropped repeat passes
/// to the kept one when it has none.
fn without_repeats(pending: Vec<Pending>) -> Vec<Pending> {
    let columns_of = |p: &Pending| match &p.kind {
        Kind::PrimaryKey(c) | Kind::Unique(c) => Some(c.clone()),
        _ => None,
    };
    let mut ordered: Vec<Pending> = Vec::new();
    let (keys, others): (Vec<Pending>, Vec<Pending>) =
        pending.into_iter().partition(|p| columns_of(p).is_some());
    let (primary, unique): (Vec<Pending>, Vec<Pending>) = keys
        .into_iter()
        .partition(|p| matches!(p.kind, Kind::PrimaryKey(_)));
    for p in primary.into_iter().chain(unique) {
        let cols = columns_of(&p);
        match ordered.iter_mut().find(|k| columns_of(k) == cols) {
            Some(kept) => {
                if kept.name.is_none() {
                    kept.name = p.name;
                }
            }
            None => ordered.push(p),
        }
    }
    ordered.extend(others);
    ordered
}

/// The distinct columns of `table` a check expression names (words that
/// are column names and not function calls), in order of appearance.
fn referenced_columns(expression: &str, table: &Table) -> Vec<String> {
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let Ok(tokens) = Tokenizer::new(&dialect, expression).tokenize() else {
        return Vec::new();
    };
    let significant: Vec<&Token> = tokens
        .iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    let mut found: Vec<String> = Vec::new();
    for (i, token) in significant.iter().enumerate() {
        let Token::Word(w) = token else { continue };
        if significant.get(i + 1) == Some(&&Token::LParen) {
            continue;
        }
        let name = if w.quote_style.is_some() {
            w.value.clone()
        } else {
            w.value.to_lowercase()
        };
        if table.column(&name).is_some() && !found.contains(&name) {
            found.push(name);
        }
    }
    found
}

pub(super) fn mark_primary_key_not_null(table: &mut Table) {
    let pk = table.primary_key.clone();
    for c in table.columns.iter_mut().filter(|c| pk.contains(&c.name)) {
        c.nullable = false;
    }
}

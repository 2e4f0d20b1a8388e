//! The catalog: the schema as the replay knows it, with where each object
//! was defined.
//!
//! The catalog is deliberately forgiving: statements it does not understand
//! leave it unchanged, objects it never saw created are created on first
//! mention by `ALTER`, and drops of unknown objects are ignored.

use std::collections::BTreeMap;
use std::sync::Arc;

use backend_check_core::{Span, SqlDialect};

use super::TableName;
use crate::model::{Layout, MigrationSet};

/// Where an object was defined: the statement of an up script, and the
/// bytes of its name (or of the statement's head) in that script's file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Origin {
    /// The index of the migration in its set.
    pub migration: usize,
    /// The index of the statement in the migration's up script.
    pub statement: usize,
    /// The defining name (a column's name, a constraint's keyword) or the
    /// statement's head.
    pub span: Span,
}

/// A column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The normalised name.
    pub name: String,
    /// The type as written, lower-cased (`bigint`, `varchar(255)`).
    pub data_type: String,
    /// Whether the column accepts NULL.
    pub nullable: bool,
    /// The default expression, as written.
    pub default: Option<String>,
    /// Whether the database numbers it: `GENERATED … AS IDENTITY`, `serial`
    /// types, MySQL `AUTO_INCREMENT`, SQLite `AUTOINCREMENT`.
    pub identity: bool,
    /// Whether it is computed: `GENERATED ALWAYS AS (expr)`.
    pub generated: bool,
    /// Where the column was added.
    pub origin: Origin,
    /// Where its type was last set (its creation, or `ALTER … TYPE`).
    pub type_origin: Origin,
}

/// A foreign key of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    /// The constraint name (PostgreSQL's default name when none is given).
    pub name: Option<String>,
    /// The referencing columns.
    pub columns: Vec<String>,
    /// The referenced table.
    pub references: TableName,
    /// The referenced columns (empty: its primary key).
    pub referred_columns: Vec<String>,
    /// The `ON DELETE` action as written (`CASCADE`, `SET NULL`), when given.
    pub on_delete: Option<String>,
    /// Whether the name is the one PostgreSQL chose (none was written).
    pub generated_name: bool,
    /// Where it was defined.
    pub origin: Origin,
}

/// A `UNIQUE` or `PRIMARY KEY` constraint, or a `CHECK`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    /// Its name (PostgreSQL's default name when none is given).
    pub name: Option<String>,
    /// The constrained columns (for a check: none).
    pub columns: Vec<String>,
    /// The check expression, as written.
    pub expression: Option<String>,
    /// Whether the name is the one PostgreSQL chose (none was written).
    pub generated_name: bool,
    /// Where it was defined.
    pub origin: Origin,
}

/// A row-level security policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Its name.
    pub name: String,
    /// The command it applies to (`ALL`, `SELECT`, …).
    pub command: String,
    /// The `USING` expression, as written.
    pub using: Option<String>,
    /// The `WITH CHECK` expression, as written.
    pub with_check: Option<String>,
    /// Where it was created.
    pub origin: Origin,
}

/// A table (or materialised view).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Columns in order.
    pub columns: Vec<Column>,
    /// Primary key columns (empty: none known).
    pub primary_key: Vec<String>,
    /// The primary key constraint, when there is one.
    pub primary_key_constraint: Option<Constraint>,
    /// Unique constraints (column `UNIQUE` included).
    pub unique: Vec<Constraint>,
    /// Check constraints.
    pub checks: Vec<Constraint>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
    /// Names of constraints (any kind) the table has.
    pub constraints: Vec<String>,
    /// Whether row-level security is enabled.
    pub row_level_security: bool,
    /// Policies.
    pub policies: Vec<Policy>,
    /// Triggers, in order of creation.
    pub triggers: Vec<Trigger>,
    /// Whether it is a materialised view.
    pub materialized_view: bool,
    /// Whether its `CREATE` statement was replayed (a table first seen in
    /// an `ALTER` was created before the migrations, or by code the replay
    /// does not read).
    pub created: bool,
    /// Whether it was created `TEMPORARY`, or from a query or another table
    /// (`AS SELECT`, `LIKE`), so its columns are not known.
    pub columns_unknown: bool,
    /// Where it was created (or first mentioned).
    pub origin: Origin,
}

impl Table {
    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The column named `name`, mutably.
    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }

    /// Whether `columns` (in any order) are the primary key or a unique
    /// constraint of the table.
    pub fn is_unique_key(&self, columns: &[String]) -> bool {
        let same =
            |key: &[String]| key.len() == columns.len() && key.iter().all(|k| columns.contains(k));
        (!self.primary_key.is_empty() && same(&self.primary_key))
            || self.unique.iter().any(|u| same(&u.columns))
    }
}

/// An index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// The table it indexes.
    pub table: TableName,
    /// Its key expressions, as written (plain columns normalised).
    pub columns: Vec<String>,
    /// Whether it is unique.
    pub unique: bool,
    /// Whether it has a `WHERE` predicate (a partial index).
    pub partial: bool,
    /// The access method, lower-cased (`btree` when none is given).
    pub method: String,
    /// Whether the name is the one PostgreSQL chose (none was written).
    pub generated_name: bool,
    /// Where it was created.
    pub origin: Origin,
}

/// A trigger of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// Its name (unique per table).
    pub name: String,
    /// The function it executes, when given.
    pub function: Option<String>,
    /// Its definition, normalised (what it fires on and what it runs).
    pub definition: String,
    /// Where it was created.
    pub origin: Origin,
}

/// A view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// Its query, normalised (lower-cased, as sqlparser prints it).
    pub definition: String,
    /// Where it was (last) created.
    pub origin: Origin,
}

/// A domain: a base type with constraints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    /// The base type, lower-cased.
    pub data_type: String,
    /// Where it was created.
    pub origin: Origin,
}

/// A function or procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// Whether it runs `SECURITY DEFINER`.
    pub security_definer: bool,
    /// Whether it sets `search_path` (`SET search_path = …`).
    pub sets_search_path: bool,
    /// Its language, lower-cased, when given.
    pub language: Option<String>,
    /// The schema it was created in, when its name was qualified.
    pub schema: Option<String>,
    /// Its definition, normalised (arguments, result and body, whitespace
    /// collapsed, lower-cased), so that two creations can be compared.
    pub definition: String,
    /// Where it was (last) created.
    pub origin: Origin,
}

/// A `GRANT` of privileges on objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The privileges, as written (`ALL PRIVILEGES`, `SELECT, INSERT`).
    pub privileges: String,
    /// Whether it grants `ALL`.
    pub all: bool,
    /// The objects, as written.
    pub objects: String,
    /// The grantees, lower-cased (`public` for `PUBLIC`).
    pub grantees: Vec<String>,
    /// Where it was given.
    pub origin: Origin,
}

/// The schema as the replay knows it. Tables and indexes are shared
/// (`Arc`), so a snapshot of the catalog is cheap and a change copies only
/// the object it changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    /// Tables by name.
    pub tables: BTreeMap<TableName, Arc<Table>>,
    /// Named indexes by name (the schema part dropped).
    pub indexes: BTreeMap<String, Arc<Index>>,
    /// Enum types and their labels; other types with no labels.
    pub types: BTreeMap<String, Vec<String>>,
    /// The schema of each type whose name was qualified.
    pub type_schemas: BTreeMap<String, String>,
    /// Domains by name.
    pub domains: BTreeMap<String, Domain>,
    /// Views.
    pub views: BTreeMap<TableName, View>,
    /// Functions and procedures by name.
    pub functions: BTreeMap<String, Function>,
    /// Grants, in order.
    pub grants: Vec<Grant>,
    /// One-parameter routines that run `EXECUTE format('<template>', param)`:
    /// the template by routine name.
    pub(super) templates: BTreeMap<String, String>,
    /// Where the statement being applied stands.
    pub(super) cursor: Origin,
    /// The database and the migration tool the replay follows.
    pub(super) flavor: Flavor,
}

/// The database and the migration tool a catalog follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Flavor {
    /// PostgreSQL's rules: default index and constraint names, `ALTER TABLE`
    /// subcommands in PostgreSQL's order, constraints that are not indexes.
    pub(super) postgres: bool,
    /// Whether a foreign key stops `DROP TABLE` of the table it references
    /// (PostgreSQL, MySQL; not SQLite).
    pub(super) referenced_drop_refused: bool,
    /// SQLite, whose declared column types are only affinities.
    pub(super) sqlite: bool,
    /// The migration tool's own tables (`_sqlx_migrations`): the tool
    /// creates them, so a migration that alters one alters no table of the
    /// schema.
    pub(super) bookkeeping: &'static [&'static str],
}

impl Default for Flavor {
    fn default() -> Flavor {
        Flavor {
            postgres: true,
            referenced_drop_refused: true,
            sqlite: false,
            bookkeeping: &[],
        }
    }
}

#[cfg(test)]
thread_local! {
    /// How many catalogs [`Catalog::for_set`] started on this thread: every
    /// replay of a set starts with one, so tests count replays with it.
    pub(crate) static STARTED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl Catalog {
    /// An empty catalog that follows the set's database and migration tool.
    pub fn for_set(set: &MigrationSet) -> Catalog {
        #[cfg(test)]
        STARTED.with(|started| started.set(started.get() + 1));
        Catalog {
            flavor: Flavor {
                postgres: set.dialect == SqlDialect::Postgres,
                referenced_drop_refused: set.dialect != SqlDialect::Sqlite,
                sqlite: set.dialect == SqlDialect::Sqlite,
                bookkeeping: bookkeeping_tables(set.layout),
            },
            ..Catalog::default()
        }
    }

    /// Whether `name` is a table the migration tool keeps for itself that
    /// the replay has not seen created.
    pub(super) fn is_bookkeeping(&self, name: &TableName) -> bool {
        self.flavor.bookkeeping.contains(&name.name.as_str()) && self.find_table(name).is_none()
    }

    /// The key of a table the name denotes (an unqualified or `public` name
    /// matches a table of any schema).
    pub fn find_table(&self, name: &TableName) -> Option<&TableName> {
        let wanted = unpublic(name.clone());
        if self.tables.contains_key(&wanted) {
            return Some(self.tables.get_key_value(&wanted)?.0);
        }
        self.tables.keys().find(|k| k.matches(&wanted))
    }

    /// The table the name denotes.
    pub fn table(&self, name: &TableName) -> Option<&Table> {
        self.find_table(name)
            .and_then(|k| self.tables.get(k))
            .map(Arc::as_ref)
    }

    /// The indexes of a table.
    pub fn indexes_of<'a>(
        &'a self,
        table: &'a TableName,
    ) -> impl Iterator<Item = (&'a String, &'a Index)> + 'a {
        self.indexes
            .iter()
            .filter(move |(_, i)| i.table.matches(table))
            .map(|(name, i)| (name, i.as_ref()))
    }

    /// Where the next statement applied stands: migration `migration`,
    /// statement `statement`.
    pub fn set_origin(&mut self, migration: usize, statement: usize) {
        self.cursor = Origin {
            migration,
            statement,
            span: Span::at(0),
        };
    }

    pub(super) fn table_mut(&mut self, name: &TableName) -> &mut Table {
        let key = self
            .find_table(name)
            .cloned()
            .unwrap_or_else(|| unpublic(name.clone()));
        let origin = self.cursor;
        let table = self.tables.entry(key).or_insert_with(|| {
            Arc::new(Table {
                origin,
                ..Table::default()
            })
        });
        Arc::make_mut(table)
    }
}

/// The tables a migration tool creates for its own records.
pub fn bookkeeping_tables(layout: Layout) -> &'static [&'static str] {
    match layout {
        Layout::Sqlx => &["_sqlx_migrations"],
        Layout::Diesel => &["__diesel_schema_migrations"],
        Layout::Flyway => &["flyway_schema_history", "schema_version"],
        Layout::Refinery => &["refinery_schema_history"],
        Layout::Goose => &["goose_db_version"],
        Layout::GolangMigrate | Layout::Dbmate => &["schema_migrations"],
        Layout::Pop => &["schema_migration"],
        Layout::Loose => &[],
    }
}

/// `public.t` and `t` are the same table for the replay.
pub(super) fn unpublic(name: TableName) -> TableName {
    if name.schema.as_deref() == Some("public") {
        TableName::new(None, &name.name)
    } else {
        name
    }
}

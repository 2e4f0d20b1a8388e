//! The schema replay: an in-memory catalog that each statement of an up (or
//! down) script is applied to, in order.
//!
//! The catalog is deliberately forgiving: statements it does not understand
//! leave it unchanged, objects it never saw created are created on first
//! mention by `ALTER`, and drops of unknown objects are ignored.

use std::collections::BTreeMap;

use sqlparser::ast::{
    self, AlterColumnOperation, AlterTableOperation, ColumnOption, ObjectType, RenameTableNameKind,
    TableConstraint,
};

use super::TableName;
use crate::discover::{Direction, MigrationSet};
use crate::parse::{classify, Shape, Statement};

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
    /// Whether it is an identity or `GENERATED … AS (…)` column.
    pub generated: bool,
}

/// A foreign key of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    /// The constraint name, when given.
    pub name: Option<String>,
    /// The referencing columns.
    pub columns: Vec<String>,
    /// The referenced table.
    pub references: TableName,
    /// The referenced columns (empty: its primary key).
    pub referred_columns: Vec<String>,
    /// Whether `ON DELETE` is given.
    pub on_delete: bool,
}

/// A table (or materialised view).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Columns in order.
    pub columns: Vec<Column>,
    /// Primary key columns (empty: none known).
    pub primary_key: Vec<String>,
    /// Unique constraints' columns.
    pub unique: Vec<Vec<String>>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
    /// Names of constraints (any kind) the table has.
    pub constraints: Vec<String>,
    /// Whether row-level security is enabled.
    pub row_level_security: bool,
}

impl Table {
    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
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
}

/// The schema as the replay knows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    /// Tables by name.
    pub tables: BTreeMap<TableName, Table>,
    /// Named indexes by name (the schema part dropped).
    pub indexes: BTreeMap<String, Index>,
    /// Enum types and their labels; domains and other types with no labels.
    pub types: BTreeMap<String, Vec<String>>,
    /// Views.
    pub views: BTreeMap<TableName, ()>,
    /// Functions and procedures by name.
    pub functions: BTreeMap<String, ()>,
    /// `GRANT` statements seen, as written.
    pub grants: Vec<String>,
}

impl Catalog {
    /// The key of a table the name denotes (an unqualified or `public` name
    /// matches a table of any schema).
    pub fn find_table(&self, name: &TableName) -> Option<&TableName> {
        let wanted = unpublic(name.clone());
        self.tables.keys().find(|k| k.matches(&wanted))
    }

    /// The table the name denotes.
    pub fn table(&self, name: &TableName) -> Option<&Table> {
        self.find_table(name).and_then(|k| self.tables.get(k))
    }

    fn table_mut(&mut self, name: &TableName) -> &mut Table {
        let key = self
            .find_table(name)
            .cloned()
            .unwrap_or_else(|| unpublic(name.clone()));
        self.tables.entry(key).or_default()
    }

    /// Applies every statement of a script.
    pub fn apply_all(&mut self, statements: &[Statement]) {
        for statement in statements {
            self.apply(statement);
        }
    }

    /// Applies one statement.
    pub fn apply(&mut self, statement: &Statement) {
        match &statement.parsed {
            Ok(parsed) => self.apply_ast(parsed),
            Err(_) => self.apply_shape(statement),
        }
    }

    fn apply_shape(&mut self, statement: &Statement) {
        match classify(statement) {
            Some(Shape::CreateTable { table }) => {
                self.tables.entry(unpublic(table)).or_default();
            }
            Some(Shape::DropIndex { names, .. }) => {
                for name in names {
                    self.indexes.remove(&name.name);
                }
            }
            _ => {}
        }
    }

    fn apply_ast(&mut self, statement: &ast::Statement) {
        match statement {
            ast::Statement::CreateTable(create) => self.create_table(create),
            ast::Statement::AlterTable(alter) => {
                if let Some(name) = TableName::from_object(&alter.name) {
                    for op in &alter.operations {
                        self.alter_table(&name, op);
                    }
                }
            }
            ast::Statement::CreateIndex(index) => self.create_index(index),
            ast::Statement::Drop {
                object_type, names, ..
            } => self.drop(*object_type, names),
            ast::Statement::CreateView(view) => {
                if let Some(name) = TableName::from_object(&view.name) {
                    if view.materialized {
                        self.tables.entry(unpublic(name)).or_default();
                    } else {
                        self.views.insert(unpublic(name), ());
                    }
                }
            }
            ast::Statement::CreateType { name, .. } => {
                if let Some(n) = TableName::from_object(name) {
                    self.types.insert(n.name, enum_labels(statement));
                }
            }
            ast::Statement::CreateFunction(f) => {
                if let Some(n) = TableName::from_object(&f.name) {
                    self.functions.insert(n.name, ());
                }
            }
            ast::Statement::Grant { .. } => self.grants.push(statement.to_string()),
            _ => {}
        }
    }

    fn create_table(&mut self, create: &ast::CreateTable) {
        let Some(name) = TableName::from_object(&create.name) else {
            return;
        };
        let mut table = Table::default();
        for def in &create.columns {
            let column = column_of(def);
            for option in &def.options {
                self.column_constraint(&mut table, &column.name, &option.option);
            }
            table.columns.push(column);
        }
        for constraint in &create.constraints {
            add_constraint(&mut table, constraint);
        }
        mark_primary_key_not_null(&mut table);
        self.tables.insert(unpublic(name), table);
    }

    fn column_constraint(&mut self, table: &mut Table, column: &str, option: &ColumnOption) {
        match option {
            ColumnOption::PrimaryKey(_) => table.primary_key = vec![column.to_owned()],
            ColumnOption::Unique(_) => table.unique.push(vec![column.to_owned()]),
            ColumnOption::ForeignKey(fk) => {
                if let Some(references) = TableName::from_object(&fk.foreign_table) {
                    table.foreign_keys.push(ForeignKey {
                        name: fk.name.as_ref().map(ident),
                        columns: vec![column.to_owned()],
                        references: unpublic(references),
                        referred_columns: fk.referred_columns.iter().map(ident).collect(),
                        on_delete: fk.on_delete.is_some(),
                    });
                }
            }
            _ => {}
        }
    }

    fn alter_table(&mut self, name: &TableName, op: &AlterTableOperation) {
        match op {
            AlterTableOperation::AddColumn { column_def, .. } => {
                let column = column_of(column_def);
                let column_name = column.name.clone();
                let mut table = std::mem::take(self.table_mut(name));
                table.columns.retain(|c| c.name != column_name);
                table.columns.push(column);
                for option in &column_def.options {
                    self.column_constraint(&mut table, &column_name, &option.option);
                }
                *self.table_mut(name) = table;
            }
            AlterTableOperation::DropColumn { column_names, .. } => {
                let dropped: Vec<String> = column_names.iter().map(ident).collect();
                let table = self.table_mut(name);
                table.columns.retain(|c| !dropped.contains(&c.name));
                let key = self.find_table(name).cloned();
                self.indexes.retain(|_, i| {
                    !(key.as_ref().is_some_and(|k| i.table.matches(k))
                        && i.columns.iter().any(|c| dropped.contains(c)))
                });
            }
            AlterTableOperation::RenameColumn {
                old_column_name,
                new_column_name,
            } => {
                let (old, new) = (ident(old_column_name), ident(new_column_name));
                if let Some(c) = self
                    .table_mut(name)
                    .columns
                    .iter_mut()
                    .find(|c| c.name == old)
                {
                    c.name = new;
                }
            }
            AlterTableOperation::RenameTable {
                table_name: RenameTableNameKind::To(new) | RenameTableNameKind::As(new),
            } => {
                let Some(new) = TableName::from_object(new) else {
                    return;
                };
                if let Some(key) = self.find_table(name).cloned() {
                    if let Some(table) = self.tables.remove(&key) {
                        self.tables.insert(unpublic(new.in_schema_of(&key)), table);
                    }
                }
            }
            AlterTableOperation::AlterColumn { column_name, op } => {
                self.alter_column(name, &ident(column_name), op);
            }
            AlterTableOperation::AddConstraint { constraint, .. } => {
                add_constraint(self.table_mut(name), constraint);
            }
            AlterTableOperation::DropConstraint { name: c, .. } => {
                let c = ident(c);
                let table = self.table_mut(name);
                table.constraints.retain(|x| x != &c);
                table.foreign_keys.retain(|f| f.name.as_deref() != Some(&c));
                self.indexes.remove(&c);
            }
            AlterTableOperation::DropIndex { name: index } => {
                self.indexes.remove(&ident(index));
            }
            AlterTableOperation::EnableRowLevelSecurity => {
                self.table_mut(name).row_level_security = true;
            }
            AlterTableOperation::DisableRowLevelSecurity => {
                self.table_mut(name).row_level_security = false;
            }
            _ => {}
        }
    }

    fn alter_column(&mut self, table: &TableName, column: &str, op: &AlterColumnOperation) {
        let Some(c) = self
            .table_mut(table)
            .columns
            .iter_mut()
            .find(|c| c.name == column)
        else {
            return;
        };
        match op {
            AlterColumnOperation::SetNotNull => c.nullable = false,
            AlterColumnOperation::DropNotNull => c.nullable = true,
            AlterColumnOperation::SetDefault { value } => c.default = Some(value.to_string()),
            AlterColumnOperation::DropDefault => c.default = None,
            AlterColumnOperation::SetDataType { data_type, .. } => {
                c.data_type = data_type.to_string().to_lowercase();
            }
            _ => {}
        }
    }

    fn create_index(&mut self, index: &ast::CreateIndex) {
        let Some(table) = TableName::from_object(&index.table_name) else {
            return;
        };
        let columns: Vec<String> = index
            .columns
            .iter()
            .map(|c| column_expr(&c.column.expr))
            .collect();
        let name = index
            .name
            .as_ref()
            .and_then(TableName::from_object)
            .map_or_else(|| default_index_name(&table.name, &columns), |n| n.name);
        self.indexes.insert(
            name,
            Index {
                table: unpublic(table),
                columns,
                unique: index.unique,
            },
        );
    }

    fn drop(&mut self, object_type: ObjectType, names: &[ast::ObjectName]) {
        for name in names.iter().filter_map(TableName::from_object) {
            match object_type {
                ObjectType::Table | ObjectType::MaterializedView => {
                    if let Some(key) = self.find_table(&name).cloned() {
                        self.tables.remove(&key);
                        self.indexes.retain(|_, i| !i.table.matches(&key));
                    }
                }
                ObjectType::View => {
                    self.views.retain(|k, ()| !k.matches(&name));
                }
                ObjectType::Index => {
                    self.indexes.remove(&name.name);
                }
                ObjectType::Type => {
                    self.types.remove(&name.name);
                }
                _ => {}
            }
        }
    }
}

fn ident(i: &ast::Ident) -> String {
    if i.quote_style.is_some() {
        i.value.clone()
    } else {
        i.value.to_lowercase()
    }
}

/// The name PostgreSQL gives an unnamed index: `<table>_<columns>_idx`
/// (`…_expr_idx` for expressions).
fn default_index_name(table: &str, columns: &[String]) -> String {
    let parts: Vec<&str> = columns
        .iter()
        .map(|c| {
            if c.chars().all(|x| x.is_alphanumeric() || x == '_') {
                c.as_str()
            } else {
                "expr"
            }
        })
        .collect();
    format!("{table}_{}_idx", parts.join("_"))
}

/// A plain column reference normalised like any identifier; other
/// expressions as written.
fn column_expr(expr: &ast::Expr) -> String {
    match expr {
        ast::Expr::Identifier(i) => ident(i),
        other => other.to_string(),
    }
}

/// `public.t` and `t` are the same table for the replay.
fn unpublic(name: TableName) -> TableName {
    if name.schema.as_deref() == Some("public") {
        TableName::new(None, &name.name)
    } else {
        name
    }
}

fn column_of(def: &ast::ColumnDef) -> Column {
    let mut column = Column {
        name: ident(&def.name),
        data_type: def.data_type.to_string().to_lowercase(),
        nullable: true,
        default: None,
        generated: false,
    };
    for option in &def.options {
        match &option.option {
            ColumnOption::NotNull | ColumnOption::PrimaryKey(_) => column.nullable = false,
            ColumnOption::Default(expr) => column.default = Some(expr.to_string()),
            ColumnOption::Generated { .. } => column.generated = true,
            _ => {}
        }
    }
    column
}

fn add_constraint(table: &mut Table, constraint: &TableConstraint) {
    let names = |cols: &[ast::IndexColumn]| -> Vec<String> {
        cols.iter().map(|c| column_expr(&c.column.expr)).collect()
    };
    match constraint {
        TableConstraint::PrimaryKey(pk) => {
            table.primary_key = names(&pk.columns);
            table.constraints.extend(pk.name.as_ref().map(ident));
        }
        TableConstraint::Unique(u) => {
            table.unique.push(names(&u.columns));
            table.constraints.extend(u.name.as_ref().map(ident));
        }
        TableConstraint::ForeignKey(fk) => {
            if let Some(references) = TableName::from_object(&fk.foreign_table) {
                table.foreign_keys.push(ForeignKey {
                    name: fk.name.as_ref().map(ident),
                    columns: fk.columns.iter().map(ident).collect(),
                    references: unpublic(references),
                    referred_columns: fk.referred_columns.iter().map(ident).collect(),
                    on_delete: fk.on_delete.is_some(),
                });
            }
            table.constraints.extend(fk.name.as_ref().map(ident));
        }
        TableConstraint::Check(c) => table.constraints.extend(c.name.as_ref().map(ident)),
        _ => {}
    }
    mark_primary_key_not_null(table);
}

fn mark_primary_key_not_null(table: &mut Table) {
    let pk = table.primary_key.clone();
    for c in table.columns.iter_mut().filter(|c| pk.contains(&c.name)) {
        c.nullable = false;
    }
}

fn enum_labels(statement: &ast::Statement) -> Vec<String> {
    match statement {
        ast::Statement::CreateType {
            representation: Some(ast::UserDefinedTypeRepresentation::Enum { labels }),
            ..
        } => labels.iter().map(|l| l.value.clone()).collect(),
        _ => Vec::new(),
    }
}

/// The catalog before each migration of a set (index `i`: the state the up
/// script of migration `i` starts from), and after the last one (index
/// `migrations.len()`). Only versioned and baseline up scripts are replayed,
/// in order.
pub fn replay(set: &MigrationSet) -> Vec<Catalog> {
    let mut states = Vec::with_capacity(set.migrations.len() + 1);
    let mut catalog = Catalog::default();
    for migration in &set.migrations {
        states.push(catalog.clone());
        if let Some(up) = migration.script(Direction::Up) {
            catalog.apply_all(&up.statements);
        }
    }
    states.push(catalog);
    states
}

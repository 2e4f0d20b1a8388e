//! Applying statements to the [`Catalog`].

use std::sync::Arc;

use sqlparser::ast::{
    self, AlterColumnOperation, AlterTableOperation, ColumnOption, ObjectType, RenameTableNameKind,
    TableConstraint,
};

use super::catalog::{
    unpublic, Catalog, Column, Constraint, Domain, ForeignKey, Function, Grant, Index, Policy,
    Table, Trigger, View,
};
use super::constraints::Pending;
use super::locate::Locator;
use super::{dynamic, pg_names, split, TableName};
use crate::parse::{classify, Shape, Statement};

impl Catalog {
    /// Applies every statement of a script, numbering them from 0 (the
    /// migration number stays what [`Catalog::set_origin`] set).
    pub fn apply_all(&mut self, statements: &[Statement]) {
        for (position, statement) in statements.iter().enumerate() {
            self.apply_at(position, statement);
        }
    }

    /// Applies statement `position` of the current migration's script.
    pub fn apply_at(&mut self, position: usize, statement: &Statement) {
        self.cursor.statement = position;
        self.apply(statement);
    }

    /// Applies one statement.
    pub fn apply(&mut self, statement: &Statement) {
        let mut at = Locator::new(statement);
        self.cursor.span = at.head();
        if statement.is_do_block() {
            for inner in &statement.body {
                self.apply(inner);
            }
            return;
        }
        match &statement.parsed {
            Ok(ast::Statement::Query(query)) => {
                for ddl in self.run_time_ddl(query, statement) {
                    self.apply(&ddl);
                }
            }
            Ok(ast::Statement::CreateFunction(_)) => {
                if let Some((name, template)) = dynamic::template(statement) {
                    self.templates.insert(name, template);
                }
                if let Ok(parsed) = &statement.parsed {
                    self.apply_ast(parsed, &mut at);
                }
            }
            Ok(parsed) => self.apply_ast(parsed, &mut at),
            Err(_) => self.apply_shape(statement),
        }
    }

    fn apply_shape(&mut self, statement: &Statement) {
        match classify(statement) {
            Some(Shape::CreateTable { table }) => {
                if let Some((create, not_null)) = split::create_without_not_null(statement) {
                    self.apply(&create);
                    let t = self.table_mut(&table);
                    for column in not_null {
                        if let Some(c) = t.column_mut(&column) {
                            c.nullable = false;
                        }
                    }
                    return;
                }
                let origin = self.cursor;
                self.tables.entry(unpublic(table)).or_insert_with(|| {
                    Arc::new(Table {
                        origin,
                        created: true,
                        columns_unknown: true,
                        ..Table::default()
                    })
                });
            }
            Some(Shape::DropIndex { names, .. }) => {
                for name in names {
                    self.indexes.remove(&name.name);
                }
            }
            Some(Shape::AlterTable { .. }) => {
                for clause in split::alter_clauses(statement) {
                    match clause {
                        split::Clause::Parsed(part) => self.apply(&part),
                        split::Clause::NotNull { table, column } => {
                            if let Some(c) = self.table_mut(&table).column_mut(&column) {
                                c.nullable = false;
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn apply_ast(&mut self, statement: &ast::Statement, at: &mut Locator<'_>) {
        match statement {
            ast::Statement::CreateTable(create) => self.create_table(create, at),
            ast::Statement::AlterTable(alter) => {
                if let Some(name) = TableName::from_object(&alter.name) {
                    if self.is_bookkeeping(&name) {
                        return;
                    }
                    at.skip(3);
                    let mut ops: Vec<&AlterTableOperation> = alter.operations.iter().collect();
                    if self.flavor.postgres {
                        ops.sort_by_key(|op| alter_pass(op));
                    }
                    for op in ops {
                        self.alter_table(&name, op, at);
                    }
                }
            }
            ast::Statement::CreateTrigger(trigger) => self.create_trigger(trigger),
            ast::Statement::DropTrigger(drop) => self.drop_trigger(drop),
            ast::Statement::CreateIndex(index) => self.create_index(index),
            ast::Statement::Drop {
                object_type,
                names,
                table,
                ..
            } => self.drop(*object_type, names, table.as_ref()),
            ast::Statement::AlterIndex {
                name,
                operation: ast::AlterIndexOperation::RenameIndex { index_name },
            } => self.rename_index(name, index_name),
            ast::Statement::CreateView(view) => self.create_view(view),
            ast::Statement::CreateType { name, .. } => {
                if let Some(n) = TableName::from_object(name) {
                    match n.schema {
                        Some(schema) => self.type_schemas.insert(n.name.clone(), schema),
                        None => self.type_schemas.remove(&n.name),
                    };
                    self.types.insert(n.name, enum_labels(statement));
                }
            }
            ast::Statement::AlterType(alter) => self.alter_type(alter),
            ast::Statement::CreateDomain(domain) => {
                if let Some(n) = TableName::from_object(&domain.name) {
                    let origin = self.cursor;
                    self.domains.insert(
                        n.name,
                        Domain {
                            data_type: domain.data_type.to_string().to_lowercase(),
                            origin,
                        },
                    );
                }
            }
            ast::Statement::DropDomain(drop) => {
                if let Some(n) = TableName::from_object(&drop.name) {
                    self.domains.remove(&n.name);
                }
            }
            ast::Statement::CreateFunction(f) => self.create_function(f),
            ast::Statement::DropFunction(drop) => {
                for desc in &drop.func_desc {
                    if let Some(n) = TableName::from_object(&desc.name) {
                        self.functions.remove(&n.name);
                        self.templates.remove(&n.name);
                        self.drop_triggers_running(&n.name);
                    }
                }
            }
            ast::Statement::Grant(grant) => self.grant(grant),
            ast::Statement::CreatePolicy(policy) => self.create_policy(policy),
            ast::Statement::DropPolicy(drop) => {
                if let Some(table) = TableName::from_object(&drop.table_name) {
                    let name = ident(&drop.name);
                    self.table_mut(&table).policies.retain(|p| p.name != name);
                }
            }
            _ => {}
        }
    }

    fn create_table(&mut self, create: &ast::CreateTable, at: &mut Locator<'_>) {
        let Some(name) = TableName::from_object(&create.name) else {
            return;
        };
        if create.if_not_exists && self.find_table(&name).is_some() {
            return;
        }
        let origin = self.cursor;
        let mut table = Table {
            origin,
            created: true,
            columns_unknown: create.query.is_some()
                || create.like.is_some()
                || create.temporary
                || create.partition_of.is_some(),
            ..Table::default()
        };
        at.skip(3);
        let mut pending = Vec::new();
        for def in &create.columns {
            pending.extend(self.add_column(&mut table, def, at));
        }
        let mut generated = Vec::new();
        for constraint in &create.constraints {
            if let TableConstraint::Index(index) = constraint {
                generated.push(mysql_index(&name, index, self.cursor, at));
            } else {
                pending.extend(self.table_constraint(constraint, at));
            }
        }
        let key = unpublic(name.clone());
        self.indexes.retain(|_, i| !i.table.matches(&key));
        self.tables.remove(&key);
        self.add_constraints(&mut table, &name, pending);
        for (index_name, index) in generated {
            self.insert_index(index_name, index);
        }
        self.tables.insert(key, Arc::new(table));
    }

    /// Adds a column (replacing one of the same name) and returns the
    /// constraints its options declare.
    fn add_column(
        &mut self,
        table: &mut Table,
        def: &ast::ColumnDef,
        at: &mut Locator<'_>,
    ) -> Vec<Pending> {
        let mut column = column_of(def);
        column.origin = self.cursor;
        column.origin.span = at.next(&def.name.value);
        column.type_origin = column.origin;
        let column_name = column.name.clone();
        table.columns.retain(|c| c.name != column_name);
        table.columns.push(column);
        def.options
            .iter()
            .filter_map(|option| {
                let name = option.name.as_ref().map(ident);
                self.column_option(&column_name, name, &option.option, at)
            })
            .collect()
    }

    fn alter_table(&mut self, name: &TableName, op: &AlterTableOperation, at: &mut Locator<'_>) {
        match op {
            AlterTableOperation::AddColumn {
                column_def,
                if_not_exists,
                ..
            } => {
                let column = ident(&column_def.name);
                if *if_not_exists
                    && self
                        .table(name)
                        .is_some_and(|t| t.column(&column).is_some())
                {
                    return;
                }
                let mut table = std::mem::take(self.table_mut(name));
                let pending = self.add_column(&mut table, column_def, at);
                self.add_constraints(&mut table, name, pending);
                *self.table_mut(name) = table;
            }
            AlterTableOperation::DropColumn { column_names, .. } => {
                let dropped: Vec<String> = column_names.iter().map(ident).collect();
                self.drop_columns(name, &dropped);
            }
            AlterTableOperation::RenameColumn {
                old_column_name,
                new_column_name,
            } => {
                let (old, new) = (ident(old_column_name), ident(new_column_name));
                self.rename_column(name, &old, &new);
            }
            AlterTableOperation::RenameTable {
                table_name: RenameTableNameKind::To(new) | RenameTableNameKind::As(new),
            } => {
                if let Some(new) = TableName::from_object(new) {
                    self.rename_table(name, new);
                }
            }
            AlterTableOperation::AlterColumn { column_name, op } => {
                self.alter_column(name, &ident(column_name), op, at);
            }
            AlterTableOperation::ChangeColumn {
                old_name,
                new_name,
                data_type,
                options,
                ..
            } => {
                let (old, new) = (ident(old_name), ident(new_name));
                self.rename_column(name, &old, &new);
                self.modify_column(name, &new, data_type, options, at);
            }
            AlterTableOperation::ModifyColumn {
                col_name,
                data_type,
                options,
                ..
            } => self.modify_column(name, &ident(col_name), data_type, options, at),
            AlterTableOperation::AddConstraint { constraint, .. } => {
                let mut table = std::mem::take(self.table_mut(name));
                if let TableConstraint::Index(index) = constraint {
                    let (index_name, index) = mysql_index(name, index, self.cursor, at);
                    *self.table_mut(name) = table;
                    self.insert_index(index_name, index);
                    return;
                }
                let pending = self.table_constraint(constraint, at);
                self.add_constraints(&mut table, name, pending.into_iter().collect());
                *self.table_mut(name) = table;
            }
            AlterTableOperation::DropConstraint { name: c, .. }
            | AlterTableOperation::DropForeignKey { name: c, .. } => {
                self.drop_constraint(name, &ident(c));
            }
            AlterTableOperation::DropPrimaryKey { .. } => {
                let table = self.table_mut(name);
                table.primary_key.clear();
                table.primary_key_constraint = None;
            }
            AlterTableOperation::RenameConstraint { old_name, new_name } => {
                let (old, new) = (ident(old_name), ident(new_name));
                rename_constraint(self.table_mut(name), &old, &new);
            }
            AlterTableOperation::DropIndex { name: index } => {
                self.remove_index(&ident(index), Some(name));
            }
            AlterTableOperation::EnableRowLevelSecurity
            | AlterTableOperation::ForceRowLevelSecurity => {
                self.table_mut(name).row_level_security = true;
            }
            AlterTableOperation::DisableRowLevelSecurity => {
                self.table_mut(name).row_level_security = false;
            }
            _ => {}
        }
    }

    /// Drops columns with the constraints and indexes that use them (a
    /// key expression that names one counts).
    fn drop_columns(&mut self, name: &TableName, dropped: &[String]) {
        let table = self.table_mut(name);
        table.columns.retain(|c| !dropped.contains(&c.name));
        let touches = |cols: &[String]| cols.iter().any(|c| mentions_any(c, dropped));
        let mut gone: Vec<String> = Vec::new();
        let keep = |c: &Constraint, gone: &mut Vec<String>| {
            let drop = touches(&c.columns);
            if drop {
                gone.extend(c.name.clone());
            }
            !drop
        };
        table.unique.retain(|u| keep(u, &mut gone));
        table.checks.retain(|u| keep(u, &mut gone));
        table.foreign_keys.retain(|f| {
            let drop = touches(&f.columns);
            if drop {
                gone.extend(f.name.clone());
            }
            !drop
        });
        if touches(&table.primary_key) {
            table.primary_key.clear();
            gone.extend(table.primary_key_constraint.take().and_then(|c| c.name));
        }
        table.constraints.retain(|c| !gone.contains(c));
        let key = self.find_table(name).cloned();
        self.indexes.retain(|_, i| {
            !(key.as_ref().is_some_and(|k| i.table.matches(k)) && touches(&i.columns))
        });
    }

    fn rename_column(&mut self, name: &TableName, old: &str, new: &str) {
        let rename = |cols: &mut Vec<String>| {
            for c in cols.iter_mut().filter(|c| c.as_str() == old) {
                new.clone_into(c);
            }
        };
        let table = self.table_mut(name);
        if let Some(c) = table.column_mut(old) {
            new.clone_into(&mut c.name);
        }
        rename(&mut table.primary_key);
        for u in table.unique.iter_mut().chain(table.checks.iter_mut()) {
            rename(&mut u.columns);
        }
        if let Some(pk) = &mut table.primary_key_constraint {
            rename(&mut pk.columns);
        }
        for f in &mut table.foreign_keys {
            rename(&mut f.columns);
        }
        let Some(key) = self.find_table(name).cloned() else {
            return;
        };
        let renamed = |k: &str| rename_word(k, old, new);
        for index in self.indexes.values_mut() {
            if index.table.matches(&key) && index.columns.iter().any(|c| renamed(c) != *c) {
                for k in &mut Arc::make_mut(index).columns {
                    *k = renamed(k);
                }
            }
        }
        let refers = |f: &ForeignKey| f.references.matches(&key);
        for table in self.tables.values_mut() {
            if table.foreign_keys.iter().any(refers) {
                for f in Arc::make_mut(table)
                    .foreign_keys
                    .iter_mut()
                    .filter(|f| refers(f))
                {
                    rename(&mut f.referred_columns);
                }
            }
        }
    }

    fn rename_table(&mut self, name: &TableName, new: TableName) {
        let Some(key) = self.find_table(name).cloned() else {
            return;
        };
        let Some(mut table) = self.tables.remove(&key) else {
            return;
        };
        let new = unpublic(new.in_schema_of(&key));
        if table
            .foreign_keys
            .iter()
            .any(|f| f.references.matches(&key))
        {
            for f in &mut Arc::make_mut(&mut table).foreign_keys {
                if f.references.matches(&key) {
                    f.references = new.clone();
                }
            }
        }
        for index in self.indexes.values_mut() {
            if index.table.matches(&key) {
                Arc::make_mut(index).table = new.clone();
            }
        }
        let refers = |f: &ForeignKey| f.references.matches(&key);
        for other in self.tables.values_mut() {
            if other.foreign_keys.iter().any(refers) {
                for f in Arc::make_mut(other)
                    .foreign_keys
                    .iter_mut()
                    .filter(|f| refers(f))
                {
                    f.references = new.clone();
                }
            }
        }
        self.tables.insert(new, table);
    }

    fn alter_column(
        &mut self,
        table: &TableName,
        column: &str,
        op: &AlterColumnOperation,
        at: &mut Locator<'_>,
    ) {
        let mut origin = self.cursor;
        let Some(c) = self.table_mut(table).column_mut(column) else {
            return;
        };
        match op {
            AlterColumnOperation::SetNotNull => c.nullable = false,
            AlterColumnOperation::DropNotNull => c.nullable = true,
            AlterColumnOperation::SetDefault { value } => c.default = default_of(value),
            AlterColumnOperation::DropDefault => {
                c.default = None;
                if c.data_type.contains("serial") {
                    c.identity = false;
                }
            }
            AlterColumnOperation::SetDataType { data_type, .. } => {
                origin.span = at.next(column);
                c.data_type = data_type.to_string().to_lowercase();
                c.type_origin = origin;
                let new_type = c.data_type.clone();
                self.recast_index_keys(table, column, &new_type);
            }
            AlterColumnOperation::AddGenerated { .. } => c.identity = true,
            _ => {}
        }
    }

    /// PostgreSQL rebuilds the indexes of a column whose type changes: a key
    /// that cast the column to what is now its own type (`date(d)`,
    /// `d::date`) becomes the plain column.
    fn recast_index_keys(&mut self, table: &TableName, column: &str, new_type: &str) {
        let Some(key) = self.find_table(table).cloned() else {
            return;
        };
        let target = super::diff::canonical_type(new_type);
        let casts = |k: &str| {
            let k: String = k
                .to_lowercase()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let as_call = k
                .strip_suffix(&format!("({column})"))
                .is_some_and(|f| super::diff::canonical_type(f) == target);
            let as_cast = k
                .strip_prefix(&format!("{column}::"))
                .or_else(|| k.strip_prefix(&format!("({column})::")))
                .is_some_and(|t| super::diff::canonical_type(t) == target);
            as_call || as_cast
        };
        for index in self.indexes.values_mut() {
            if index.table.matches(&key) && index.columns.iter().any(|k| casts(k)) {
                for k in &mut Arc::make_mut(index).columns {
                    if casts(k) {
                        column.clone_into(k);
                    }
                }
            }
        }
    }

    fn modify_column(
        &mut self,
        table: &TableName,
        column: &str,
        data_type: &ast::DataType,
        options: &[ColumnOption],
        at: &mut Locator<'_>,
    ) {
        let mut origin = self.cursor;
        origin.span = at.next(column);
        let Some(c) = self.table_mut(table).column_mut(column) else {
            return;
        };
        c.data_type = data_type.to_string().to_lowercase();
        c.type_origin = origin;
        c.nullable = !options.iter().any(|o| matches!(o, ColumnOption::NotNull));
        c.identity = options.iter().any(is_identity_option);
    }

    fn drop_constraint(&mut self, table_name: &TableName, constraint: &str) {
        let table = self.table_mut(table_name);
        let named = |c: &Constraint| c.name.as_deref() == Some(constraint);
        table.constraints.retain(|x| x != constraint);
        table
            .foreign_keys
            .retain(|f| f.name.as_deref() != Some(constraint));
        table.unique.retain(|u| !named(u));
        table.checks.retain(|u| !named(u));
        if table.primary_key_constraint.as_ref().is_some_and(named) {
            table.primary_key.clear();
            table.primary_key_constraint = None;
        }
        if !self.flavor.postgres {
            self.indexes.remove(constraint);
        }
    }

    fn create_index(&mut self, index: &ast::CreateIndex) {
        let Some(table) = TableName::from_object(&index.table_name) else {
            return;
        };
        if self.is_bookkeeping(&table) {
            return;
        }
        let columns: Vec<String> = index
            .columns
            .iter()
            .map(|c| column_expr(&c.column.expr))
            .collect();
        let given = index
            .name
            .as_ref()
            .and_then(TableName::from_object)
            .map(|n| n.name);
        if index.if_not_exists
            && given
                .as_deref()
                .is_some_and(|n| self.relation_name_taken(n))
        {
            return;
        }
        let generated_name = given.is_none();
        let name = given.unwrap_or_else(|| {
            let keys: Vec<&ast::Expr> = index.columns.iter().map(|c| &c.column.expr).collect();
            let addition = pg_names::index_addition(&keys);
            pg_names::choose_name(&table.name, Some(&addition), "idx", |n| {
                self.relation_name_taken(n)
            })
        });
        let method = index
            .using
            .as_ref()
            .map_or_else(|| "btree".to_owned(), |u| u.to_string().to_lowercase());
        let origin = self.cursor;
        self.insert_index(
            name,
            Index {
                table: unpublic(table),
                columns,
                unique: index.unique,
                partial: index.predicate.is_some(),
                method,
                generated_name,
                origin,
            },
        );
    }

    /// Indexes are keyed by name; MySQL names them per table, so a name that
    /// another table's index already holds is qualified by its table.
    fn insert_index(&mut self, name: String, index: Index) {
        let taken = self
            .indexes
            .get(&name)
            .is_some_and(|i| !i.table.matches(&index.table));
        let key = if taken {
            format!("{}.{name}", index.table.name)
        } else {
            name
        };
        self.indexes.insert(key, Arc::new(index));
    }

    fn remove_index(&mut self, name: &str, table: Option<&TableName>) {
        if let Some(table) = table {
            if self
                .indexes
                .remove(&format!("{}.{name}", table.name))
                .is_some()
            {
                return;
            }
        }
        self.indexes.remove(name);
    }

    fn rename_index(&mut self, name: &ast::ObjectName, new: &ast::ObjectName) {
        let (Some(old), Some(new)) = (TableName::from_object(name), TableName::from_object(new))
        else {
            return;
        };
        if let Some(index) = self.indexes.remove(&old.name) {
            self.indexes.insert(new.name, index);
            return;
        }
        // the index of a key: the constraint takes the new name
        for table in self.tables.values_mut() {
            let backs = |c: &Constraint| c.name.as_deref() == Some(old.name.as_str());
            if table
                .primary_key_constraint
                .iter()
                .chain(&table.unique)
                .any(backs)
            {
                rename_constraint(Arc::make_mut(table), &old.name, &new.name);
                return;
            }
        }
    }

    fn drop(
        &mut self,
        object_type: ObjectType,
        names: &[ast::ObjectName],
        table: Option<&ast::ObjectName>,
    ) {
        let on = table.and_then(TableName::from_object);
        for name in names.iter().filter_map(TableName::from_object) {
            match object_type {
                ObjectType::Table | ObjectType::MaterializedView => {
                    if let Some(key) = self.find_table(&name).cloned() {
                        self.drop_table(&key);
                    }
                }
                ObjectType::View => {
                    self.views.retain(|k, _| !k.matches(&name));
                }
                ObjectType::Index => {
                    // `DROP INDEX s.i` looks in schema `s` only
                    let elsewhere = name.schema.as_deref().is_some_and(|s| {
                        s != "public"
                            && self
                                .indexes
                                .get(&name.name)
                                .is_some_and(|i| i.table.schema.as_deref() != Some(s))
                    });
                    if !elsewhere {
                        self.remove_index(&name.name, on.as_ref());
                    }
                }
                ObjectType::Type => {
                    self.types.remove(&name.name);
                    self.type_schemas.remove(&name.name);
                }
                ObjectType::Schema => self.drop_schema(&name.name),
                _ => {}
            }
        }
    }

    /// `DROP SCHEMA s CASCADE`: every object whose name was qualified with
    /// `s` goes, with the foreign keys that point at its tables.
    fn drop_schema(&mut self, schema: &str) {
        let inside = |name: &TableName| name.schema.as_deref() == Some(schema);
        let tables: Vec<TableName> = self.tables.keys().filter(|k| inside(k)).cloned().collect();
        for key in &tables {
            self.drop_table(key);
        }
        self.views.retain(|k, _| !inside(k));
        self.indexes.retain(|_, i| !inside(&i.table));
        self.functions
            .retain(|_, f| f.schema.as_deref() != Some(schema));
        let types: Vec<String> = self
            .type_schemas
            .iter()
            .filter(|(_, s)| s.as_str() == schema)
            .map(|(t, _)| t.clone())
            .collect();
        for t in types {
            self.types.remove(&t);
            self.type_schemas.remove(&t);
        }
    }

    /// Removes a table, its indexes and the foreign keys that point at it
    /// (`DROP TABLE … CASCADE` drops them; without it the drop fails).
    fn drop_table(&mut self, key: &TableName) {
        if self.tables.remove(key).is_none() {
            return;
        }
        self.indexes.retain(|_, i| !i.table.matches(key));
        let refers = |f: &ForeignKey| f.references.matches(key);
        for table in self.tables.values_mut() {
            if table.foreign_keys.iter().any(refers) {
                Arc::make_mut(table).foreign_keys.retain(|f| !refers(f));
            }
        }
    }

    fn create_view(&mut self, view: &ast::CreateView) {
        let Some(name) = TableName::from_object(&view.name) else {
            return;
        };
        let origin = self.cursor;
        if view.materialized {
            let names: Vec<String> = view.columns.iter().map(|c| ident(&c.name)).collect();
            let columns = self.query_columns(&view.query, &names, origin);
            self.tables.insert(
                unpublic(name),
                Arc::new(Table {
                    origin,
                    created: true,
                    materialized_view: true,
                    columns_unknown: columns.is_none(),
                    columns: columns.unwrap_or_default(),
                    ..Table::default()
                }),
            );
        } else {
            let definition = view.query.to_string().to_lowercase();
            self.views
                .insert(unpublic(name), View { definition, origin });
        }
    }

    fn alter_type(&mut self, alter: &ast::AlterType) {
        let Some(name) = TableName::from_object(&alter.name) else {
            return;
        };
        match &alter.operation {
            ast::AlterTypeOperation::AddValue(add) => {
                self.types
                    .entry(name.name)
                    .or_default()
                    .push(add.value.value.clone());
            }
            ast::AlterTypeOperation::Rename(rename) => {
                let new = ident(&rename.new_name);
                if let Some(labels) = self.types.remove(&name.name) {
                    self.types.insert(new.clone(), labels);
                }
                if let Some(schema) = self.type_schemas.remove(&name.name) {
                    self.type_schemas.insert(new.clone(), schema);
                }
                self.retype_columns(&name.name, &new);
            }
            ast::AlterTypeOperation::RenameValue(rename) => {
                if let Some(labels) = self.types.get_mut(&name.name) {
                    for label in labels.iter_mut().filter(|l| **l == rename.from.value) {
                        label.clone_from(&rename.to.value);
                    }
                }
                // a default of the type holds the label itself, renamed with it
                let (from, to) = (
                    format!("'{}'", rename.from.value),
                    format!("'{}'", rename.to.value),
                );
                let of_type =
                    |c: &Column| c.data_type.rsplit('.').next() == Some(name.name.as_str());
                for table in self.tables.values_mut() {
                    let hit = |c: &Column| {
                        of_type(c) && c.default.as_deref().is_some_and(|d| d.starts_with(&from))
                    };
                    if table.columns.iter().any(hit) {
                        for c in Arc::make_mut(table).columns.iter_mut().filter(|c| hit(c)) {
                            c.default = c.default.as_deref().map(|d| d.replacen(&from, &to, 1));
                        }
                    }
                }
            }
        }
    }

    /// Columns of a renamed type follow it (`t`, `s.t`, `t[]`).
    fn retype_columns(&mut self, old: &str, new: &str) {
        let follows = |data_type: &str| {
            let base = data_type.trim_end_matches("[]");
            base == old || base.rsplit('.').next() == Some(old)
        };
        for table in self.tables.values_mut() {
            if table.columns.iter().any(|c| follows(&c.data_type)) {
                for c in &mut Arc::make_mut(table).columns {
                    if follows(&c.data_type) {
                        let suffix = if c.data_type.ends_with("[]") {
                            "[]"
                        } else {
                            ""
                        };
                        c.data_type = format!("{new}{suffix}");
                    }
                }
            }
        }
    }

    fn create_function(&mut self, f: &ast::CreateFunction) {
        let Some(name) = TableName::from_object(&f.name) else {
            return;
        };
        let sets_search_path = f.set_params.iter().any(|p| {
            p.name
                .0
                .last()
                .and_then(|part| part.as_ident())
                .is_some_and(|i| i.value.eq_ignore_ascii_case("search_path"))
        });
        let origin = self.cursor;
        let definition = collapse(&f.to_string().to_lowercase().replacen("or replace ", "", 1));
        self.functions.insert(
            name.name,
            Function {
                security_definer: matches!(f.security, Some(ast::FunctionSecurity::Definer)),
                sets_search_path,
                language: f.language.as_ref().map(|l| l.value.to_lowercase()),
                schema: name.schema,
                definition,
                origin,
            },
        );
    }

    fn create_trigger(&mut self, trigger: &ast::CreateTrigger) {
        let (Some(name), Some(table)) = (
            TableName::from_object(&trigger.name),
            TableName::from_object(&trigger.table_name),
        ) else {
            return;
        };
        if self.is_bookkeeping(&table) {
            return;
        }
        let function = trigger
            .exec_body
            .as_ref()
            .and_then(|b| TableName::from_object(&b.func_desc.name))
            .map(|n| n.name);
        let definition = collapse(&trigger.to_string().to_lowercase().replacen(
            "or replace ",
            "",
            1,
        ));
        let origin = self.cursor;
        let table = self.table_mut(&table);
        table.triggers.retain(|t| t.name != name.name);
        table.triggers.push(Trigger {
            name: name.name,
            function,
            definition,
            origin,
        });
    }

    /// A function goes with the triggers that run it (`DROP FUNCTION …
    /// CASCADE`; without it the drop fails while they exist).
    fn drop_triggers_running(&mut self, function: &str) {
        let runs = |t: &Trigger| t.function.as_deref() == Some(function);
        for table in self.tables.values_mut() {
            if table.triggers.iter().any(runs) {
                Arc::make_mut(table).triggers.retain(|t| !runs(t));
            }
        }
    }

    fn drop_trigger(&mut self, drop: &ast::DropTrigger) {
        let Some(name) = TableName::from_object(&drop.trigger_name) else {
            return;
        };
        let on = drop.table_name.as_ref().and_then(TableName::from_object);
        for (key, table) in &mut self.tables {
            let here = on.as_ref().is_none_or(|t| key.matches(t));
            if here && table.triggers.iter().any(|t| t.name == name.name) {
                Arc::make_mut(table)
                    .triggers
                    .retain(|t| t.name != name.name);
            }
        }
    }

    fn grant(&mut self, grant: &ast::Grant) {
        let grantees = grant
            .grantees
            .iter()
            .map(|g| match (&g.grantee_type, &g.name) {
                (ast::GranteesType::Public, _) => "public".to_owned(),
                (_, Some(name)) => name.to_string().to_lowercase(),
                (_, None) => String::new(),
            })
            .collect();
        let origin = self.cursor;
        self.grants.push(Grant {
            privileges: grant.privileges.to_string(),
            all: matches!(grant.privileges, ast::Privileges::All { .. }),
            objects: grant
                .objects
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            grantees,
            origin,
        });
    }

    fn create_policy(&mut self, policy: &ast::CreatePolicy) {
        let Some(table) = TableName::from_object(&policy.table_name) else {
            return;
        };
        let origin = self.cursor;
        let created = Policy {
            name: ident(&policy.name),
            command: policy
                .command
                .as_ref()
                .map_or_else(|| "ALL".to_owned(), ToString::to_string),
            using: policy.using.as_ref().map(ToString::to_string),
            with_check: policy.with_check.as_ref().map(ToString::to_string),
            origin,
        };
        self.table_mut(&table).policies.push(created);
    }
}

fn rename_constraint(table: &mut Table, old: &str, new: &str) {
    for name in table.constraints.iter_mut().filter(|c| c.as_str() == old) {
        new.clone_into(name);
    }
    let rename = |name: &mut Option<String>| {
        if name.as_deref() == Some(old) {
            *name = Some(new.to_owned());
        }
    };
    for c in table
        .unique
        .iter_mut()
        .chain(table.checks.iter_mut())
        .chain(table.primary_key_constraint.iter_mut())
    {
        rename(&mut c.name);
    }
    for f in &mut table.foreign_keys {
        rename(&mut f.name);
    }
}

/// An identifier as the database folds it: unquoted ones lower-cased, and
/// cut to 63 bytes.
pub(super) fn ident(i: &ast::Ident) -> String {
    if i.quote_style.is_some() {
        crate::parse::truncate_identifier(&i.value)
    } else {
        crate::parse::truncate_identifier(&i.value.to_lowercase())
    }
}

/// A default expression; `DEFAULT NULL` is no default.
fn default_of(expr: &ast::Expr) -> Option<String> {
    let mut inner = expr;
    while let ast::Expr::Cast { expr, .. } | ast::Expr::Nested(expr) = inner {
        inner = expr;
    }
    if matches!(inner, ast::Expr::Value(v) if v.value == ast::Value::Null) {
        None
    } else {
        Some(expr.to_string())
    }
}

/// Whether a key (a column name or an expression as written) names one of
/// the columns.
fn mentions_any(key: &str, columns: &[String]) -> bool {
    columns.iter().any(|c| c == key)
        || key
            .split(|x: char| !(x.is_alphanumeric() || x == '_'))
            .any(|word| columns.iter().any(|c| c.eq_ignore_ascii_case(word)))
}

/// `text` with the whole word `old` (a column in a key expression)
/// replaced by `new`.
fn rename_word(text: &str, old: &str, new: &str) -> String {
    if text == old {
        return new.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let mut in_string = false;
    for ch in text.chars() {
        if ch == '\'' {
            in_string = !in_string;
        }
        if !in_string && (ch.is_alphanumeric() || ch == '_') {
            word.push(ch);
            continue;
        }
        out.push_str(if word == old { new } else { &word });
        word.clear();
        out.push(ch);
    }
    out.push_str(if word == old { new } else { &word });
    out
}

/// Whitespace runs as one space.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// PostgreSQL runs the drops of an `ALTER TABLE` before its other
/// subcommands, whatever order they were written in (`DROP CONSTRAINT
/// t_pkey, ADD PRIMARY KEY …`).
fn alter_pass(op: &AlterTableOperation) -> u8 {
    match op {
        AlterTableOperation::DropColumn { .. }
        | AlterTableOperation::DropConstraint { .. }
        | AlterTableOperation::DropPrimaryKey { .. }
        | AlterTableOperation::DropForeignKey { .. } => 0,
        _ => 1,
    }
}

/// A MySQL `KEY`/`INDEX` entry of a table: an index named after its first
/// column when unnamed.
fn mysql_index(
    table: &TableName,
    index: &ast::IndexConstraint,
    cursor: super::Origin,
    at: &mut Locator<'_>,
) -> (String, Index) {
    let mut origin = cursor;
    origin.span = at.next(if index.display_as_key { "KEY" } else { "INDEX" });
    let columns: Vec<String> = index
        .columns
        .iter()
        .map(|c| column_expr(&c.column.expr))
        .collect();
    let name = index
        .name
        .as_ref()
        .map_or_else(|| columns.first().cloned().unwrap_or_default(), ident);
    (
        name,
        Index {
            table: unpublic(table.clone()),
            columns,
            unique: false,
            partial: false,
            method: "btree".to_owned(),
            generated_name: index.name.is_none(),
            origin,
        },
    )
}

/// A plain column reference normalised like any identifier; other
/// expressions as written.
pub(super) fn column_expr(expr: &ast::Expr) -> String {
    match expr {
        ast::Expr::Identifier(i) => ident(i),
        ast::Expr::Nested(inner) => column_expr(inner),
        other => other.to_string(),
    }
}

fn column_of(def: &ast::ColumnDef) -> Column {
    let data_type = def.data_type.to_string().to_lowercase();
    let serial = matches!(
        data_type.as_str(),
        "serial" | "bigserial" | "smallserial" | "serial4" | "serial8" | "serial2"
    );
    let mut column = Column {
        name: ident(&def.name),
        data_type,
        nullable: !serial,
        default: None,
        identity: serial,
        generated: false,
        origin: super::Origin::default(),
        type_origin: super::Origin::default(),
    };
    for option in &def.options {
        match &option.option {
            ColumnOption::NotNull | ColumnOption::PrimaryKey(_) => column.nullable = false,
            ColumnOption::Default(expr) => column.default = default_of(expr),
            ColumnOption::Generated {
                generation_expr: Some(_),
                ..
            } => column.generated = true,
            other if is_identity_option(other) => {
                column.identity = true;
                column.nullable = false;
            }
            _ => {}
        }
    }
    column
}

fn is_identity_option(option: &ColumnOption) -> bool {
    match option {
        ColumnOption::Generated {
            generation_expr, ..
        } => generation_expr.is_none(),
        ColumnOption::Identity(_) => true,
        ColumnOption::DialectSpecific(tokens) => tokens.iter().any(|t| {
            let text = t.to_string();
            text.eq_ignore_ascii_case("AUTO_INCREMENT")
                || text.eq_ignore_ascii_case("AUTOINCREMENT")
        }),
        _ => false,
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

//! How the schema after an up and its down differs from the schema before
//! the up: the check behind SQL006.
//!
//! Every kind of object is compared (tables, columns with their type,
//! nullability, default and numbering, keys, checks, foreign keys, indexes,
//! views, functions, triggers, types, domains, policies), and only the
//! differences that matter to a rollback are told: column order, the
//! spelling of a type (`int` and `integer`) or of a default, and a key
//! re-created under the name PostgreSQL gives it today do not count.

use std::collections::BTreeSet;

use super::catalog::{Catalog, Column, Index, Table};
use super::TableName;

/// The differences between `before` (the schema before the up) and `after`
/// (after the up, then the down), given `up` (the schema after the up). An
/// object only `after` has counts when the up made it (else the replay
/// never saw where it came from); tables first seen in an `ALTER` are not
/// compared as wholes. With `constraints`, named keys, checks and foreign
/// keys are compared too (PostgreSQL, whose default names the replay knows).
pub fn reversal_differences(
    before: &Catalog,
    up: &Catalog,
    after: &Catalog,
    constraints: bool,
) -> Vec<String> {
    let mut found = Vec::new();
    let compare = Compare {
        constraints,
        types: !after.flavor.sqlite,
        before,
        after,
    };
    tables(before, up, after, &compare, &mut found);
    indexes(before, up, after, &mut found);
    named(
        |n| format!("view \"{n}\""),
        before
            .views
            .iter()
            .map(|(k, v)| (k.to_string(), v.definition.clone())),
        up.views.keys().map(ToString::to_string),
        after
            .views
            .iter()
            .map(|(k, v)| (k.to_string(), v.definition.clone())),
        &mut found,
    );
    named(
        |n| format!("function \"{n}\""),
        before
            .functions
            .iter()
            .map(|(k, f)| (k.clone(), f.definition.clone())),
        up.functions.keys().cloned(),
        after
            .functions
            .iter()
            .map(|(k, f)| (k.clone(), f.definition.clone())),
        &mut found,
    );
    named(
        |n| format!("domain \"{n}\""),
        before
            .domains
            .iter()
            .map(|(k, d)| (k.clone(), d.data_type.clone())),
        up.domains.keys().cloned(),
        after
            .domains
            .iter()
            .map(|(k, d)| (k.clone(), d.data_type.clone())),
        &mut found,
    );
    types(before, up, after, &mut found);
    found
}

/// Objects compared by name and one definition text; `kind` names one
/// (`view "v"`).
fn named(
    kind: impl Fn(&str) -> String,
    before: impl Iterator<Item = (String, String)>,
    up: impl Iterator<Item = String>,
    after: impl Iterator<Item = (String, String)>,
    found: &mut Vec<String>,
) {
    let before: Vec<(String, String)> = before.collect();
    let up: BTreeSet<String> = up.collect();
    let after: Vec<(String, String)> = after.collect();
    let get = |list: &[(String, String)], name: &str| {
        list.iter().find(|(n, _)| n == name).map(|(_, d)| d.clone())
    };
    for (name, definition) in &before {
        match get(&after, name) {
            None => found.push(format!("{} is not restored", kind(name))),
            Some(now) if now != *definition => found.push(format!(
                "{} is not restored to its definition before the up",
                kind(name)
            )),
            Some(_) => {}
        }
    }
    for (name, _) in &after {
        if get(&before, name).is_none() && up.contains(name) {
            found.push(format!("{} is left behind", kind(name)));
        }
    }
}

fn types(before: &Catalog, up: &Catalog, after: &Catalog, found: &mut Vec<String>) {
    for (name, labels) in &before.types {
        match after.types.get(name) {
            None => found.push(format!("type \"{name}\" is not restored")),
            Some(now) => {
                // PostgreSQL cannot drop an enum label, so one the up added
                // and the down leaves is no difference worth telling
                let lost: Vec<&String> = labels.iter().filter(|l| !now.contains(l)).collect();
                if !lost.is_empty() {
                    found.push(format!(
                        "type \"{name}\" lacks label{} {}",
                        if lost.len() == 1 { "" } else { "s" },
                        quoted(lost)
                    ));
                }
            }
        }
    }
    for name in after.types.keys() {
        if !before.types.contains_key(name) && up.types.contains_key(name) {
            found.push(format!("type \"{name}\" is left behind"));
        }
    }
}

/// What to compare, and the catalogs that resolve a foreign key's
/// referenced columns.
struct Compare<'c> {
    constraints: bool,
    /// Column types (not SQLite, whose declared types are only affinities).
    types: bool,
    before: &'c Catalog,
    after: &'c Catalog,
}

fn tables(
    before: &Catalog,
    up: &Catalog,
    after: &Catalog,
    compare: &Compare<'_>,
    found: &mut Vec<String>,
) {
    for (name, old) in &before.tables {
        // a table neither script touched is still the same shared value
        if after
            .tables
            .get(name)
            .is_some_and(|now| std::sync::Arc::ptr_eq(old, now))
        {
            continue;
        }
        match after.table(name) {
            None if old.created && up.table(name).is_none_or(|u| u.created) => {
                found.push(format!("table \"{name}\" is not restored"));
            }
            None => {}
            Some(now) => {
                let made = up.table(name).unwrap_or(old);
                table(name, old, made, now, compare, found);
            }
        }
    }
    for (name, now) in &after.tables {
        if before.tables.contains_key(name) {
            continue;
        }
        if before.table(name).is_none() && now.created && up.table(name).is_some() {
            found.push(format!("table \"{name}\" is left behind"));
        }
    }
}

fn table(
    name: &TableName,
    old: &Table,
    made: &Table,
    now: &Table,
    compare: &Compare<'_>,
    found: &mut Vec<String>,
) {
    for column in &old.columns {
        match now.column(&column.name) {
            None if !now.columns_unknown => {
                found.push(format!("column \"{name}.{}\" is not restored", column.name));
            }
            None => {}
            Some(c) => found.extend(column_differences(name, column, c, compare.types)),
        }
    }
    for column in &now.columns {
        if old.column(&column.name).is_none() && made.column(&column.name).is_some() {
            found.push(format!("column \"{name}.{}\" is left behind", column.name));
        }
    }
    if old.row_level_security != now.row_level_security {
        found.push(format!(
            "row-level security on \"{name}\" is {}",
            if now.row_level_security {
                "left enabled"
            } else {
                "not restored"
            }
        ));
    }
    let policies = |t: &Table| {
        t.policies
            .iter()
            .map(|p| (p.name.clone(), String::new()))
            .collect::<Vec<_>>()
    };
    named(
        |n| format!("policy \"{n}\" on \"{name}\""),
        policies(old).into_iter(),
        made.policies.iter().map(|p| p.name.clone()),
        policies(now).into_iter(),
        found,
    );
    // a trigger is told by the function it runs (its events are written in
    // too many equivalent ways to compare)
    let triggers = |t: &Table| {
        t.triggers
            .iter()
            .map(|x| (x.name.clone(), x.function.clone().unwrap_or_default()))
            .collect::<Vec<_>>()
    };
    named(
        |n| format!("trigger \"{n}\" on \"{name}\""),
        triggers(old).into_iter(),
        made.triggers.iter().map(|t| t.name.clone()),
        triggers(now).into_iter(),
        found,
    );
    if compare.constraints && !old.columns_unknown && !now.columns_unknown {
        constraint_differences(name, old, made, now, compare, found);
    }
}

/// Type, nullability, default and numbering of a column before and after.
fn column_differences(table: &TableName, old: &Column, now: &Column, types: bool) -> Vec<String> {
    let mut found = Vec::new();
    let at = format!("column \"{table}.{}\"", old.name);
    let (was, is) = (
        canonical_type(&old.data_type),
        canonical_type(&now.data_type),
    );
    if types && was != is {
        found.push(format!("{at} is {is}, was {was}"));
    }
    if old.nullable != now.nullable {
        found.push(format!(
            "{at} is {}, was {}",
            if now.nullable { "nullable" } else { "NOT NULL" },
            if old.nullable { "nullable" } else { "NOT NULL" }
        ));
    }
    if old.identity != now.identity {
        found.push(format!(
            "{at} is {}numbered by the database, was {}",
            if now.identity { "" } else { "no longer " },
            if old.identity { "numbered" } else { "not" }
        ));
    } else if !old.identity {
        let (was, is) = (
            old.default.as_deref().map(canonical_default),
            now.default.as_deref().map(canonical_default),
        );
        // a default the down adds (to re-add a NOT NULL column) harms no
        // rollback; one it loses or changes does
        if was.is_some() && was != is {
            let show = |d: &Option<String>, raw: Option<&String>| match (d, raw) {
                (Some(_), Some(raw)) => format!("default {raw}"),
                _ => "no default".to_owned(),
            };
            found.push(format!(
                "{at} has {}, had {}",
                show(&is, now.default.as_ref()),
                show(&was, old.default.as_ref())
            ));
        }
    }
    found
}

/// One spelling per PostgreSQL type (`int` is `integer`, `serial` is
/// `integer` numbered by the database).
pub fn canonical_type(written: &str) -> String {
    let text = written
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" (", "(")
        .replace(", ", ",")
        .replace(" [", "[");
    let text = text.strip_prefix("public.").unwrap_or(&text).to_owned();
    let (base, rest) = match text.find(['(', '[']) {
        Some(at) => (text[..at].trim().to_owned(), text[at..].to_owned()),
        None => (text.clone(), String::new()),
    };
    let base = match base.as_str() {
        "int" | "int4" | "integer" | "serial" | "serial4" => "integer",
        "bigint" | "int8" | "bigserial" | "serial8" => "bigint",
        "smallint" | "int2" | "smallserial" | "serial2" => "smallint",
        "bool" | "boolean" => "boolean",
        "varchar" | "character varying" if rest.is_empty() => "text",
        "varchar" | "character varying" => "character varying",
        "char" | "character" | "bpchar" => "character",
        "timestamptz" | "timestamp with time zone" => "timestamp with time zone",
        "timestamp" | "timestamp without time zone" => "timestamp without time zone",
        "timetz" | "time with time zone" => "time with time zone",
        "time" | "time without time zone" => "time without time zone",
        "float8" | "double precision" | "float" => "double precision",
        "float4" | "real" => "real",
        "decimal" | "numeric" => "numeric",
        other => other,
    };
    format!("{base}{rest}")
}

/// An index key without spaces, casts, parentheses, `public.` or case:
/// PostgreSQL prints `lower((name)::text)` for `lower(name)`.
fn canonical_expression(written: &str) -> String {
    let text: String = written
        .to_lowercase()
        .replace("public.", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    strip_casts(&text)
        .chars()
        .filter(|c| *c != '(' && *c != ')' && *c != '"')
        .collect()
}

/// `text` without `::type` casts.
fn strip_casts(text: &str) -> String {
    let mut text = text.to_owned();
    while let Some(at) = text.find("::") {
        let rest = &text[at + 2..];
        let rest_trimmed = rest.trim_start();
        let skipped = rest.len() - rest_trimmed.len();
        let end = rest_trimmed
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '[' || c == ']'))
            .unwrap_or(rest_trimmed.len());
        text.replace_range(at..at + 2 + skipped + end, "");
    }
    text
}

/// A default without spaces, casts or outer parentheses, lower-cased, with
/// the common synonyms made one (`now()` and `CURRENT_TIMESTAMP`).
fn canonical_default(written: &str) -> String {
    let squeezed: String = written
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut text = strip_casts(&squeezed);
    while text.starts_with('(') && text.ends_with(')') {
        text = text[1..text.len() - 1].to_owned();
    }
    match text.trim_matches('\'') {
        "current_timestamp" | "transaction_timestamp()" | "now()" => return "now()".to_owned(),
        _ => {}
    }
    match text.as_str() {
        "'f'" | "'false'" | "false" => "false".to_owned(),
        "'t'" | "'true'" | "true" => "true".to_owned(),
        _ => unquoted_number(&text).unwrap_or(text),
    }
}

/// A quoted number (`'0'`, `'-1.5'`) as the number: PostgreSQL and MySQL store
/// the same default for `DEFAULT '0'` and `DEFAULT 0` (MySQL's own dumps write
/// the quoted form).
fn unquoted_number(text: &str) -> Option<String> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    let digits = inner.strip_prefix('-').unwrap_or(inner);
    let numeric = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit());
    numeric.then(|| inner.to_owned())
}

/// A key, check or foreign key: its kind and what it constrains.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shape {
    name: String,
    generated: bool,
    what: String,
}

fn shapes(table: &Table, catalog: &Catalog) -> Vec<Shape> {
    let mut out = Vec::new();
    let mut push = |name: &Option<String>, generated: bool, what: String| {
        if let Some(name) = name {
            out.push(Shape {
                name: name.clone(),
                generated,
                what,
            });
        }
    };
    if let Some(pk) = &table.primary_key_constraint {
        push(
            &pk.name,
            pk.generated_name,
            format!("primary key ({})", sorted(&pk.columns)),
        );
    }
    for u in &table.unique {
        push(
            &u.name,
            u.generated_name,
            format!("unique ({})", sorted(&u.columns)),
        );
    }
    for c in &table.checks {
        push(
            &c.name,
            c.generated_name,
            format!("check on ({})", c.columns.join(", ")),
        );
    }
    for f in &table.foreign_keys {
        push(
            &f.name,
            f.generated_name,
            format!(
                "foreign key ({}) to {} ({}) on delete {}",
                f.columns.join(", "),
                f.references,
                if f.referred_columns.is_empty() {
                    catalog
                        .table(&f.references)
                        .map(|t| t.primary_key.join(", "))
                        .unwrap_or_default()
                } else {
                    f.referred_columns.join(", ")
                },
                f.on_delete.as_deref().unwrap_or("no action").to_lowercase()
            ),
        );
    }
    out
}

fn constraint_differences(
    name: &TableName,
    old: &Table,
    made: &Table,
    now: &Table,
    compare: &Compare<'_>,
    found: &mut Vec<String>,
) {
    let (old, made, now) = (
        shapes(old, compare.before),
        shapes(made, compare.after),
        shapes(now, compare.after),
    );
    let by_name = |list: &[Shape], n: &str| list.iter().find(|s| s.name == n).cloned();
    let mut matched_now: Vec<String> = Vec::new();
    for shape in &old {
        if let Some(current) = by_name(&now, &shape.name) {
            matched_now.push(current.name.clone());
            if current.what != shape.what && !shape.what.starts_with("check") {
                found.push(format!(
                    "constraint \"{}\" on \"{name}\" is {}, was {}",
                    shape.name, current.what, shape.what
                ));
            }
            continue;
        }
        // re-created under the name PostgreSQL gives it now (after a rename)
        let renamed = now.iter().find(|s| {
            s.what == shape.what
                && (s.generated || shape.generated)
                && by_name(&old, &s.name).is_none()
                && !matched_now.contains(&s.name)
        });
        // a unique key on the primary key's columns adds nothing
        let redundant = shape.what.strip_prefix("unique ").is_some_and(|cols| {
            now.iter()
                .any(|s| s.what.strip_prefix("primary key ") == Some(cols))
        });
        match renamed {
            Some(s) => matched_now.push(s.name.clone()),
            None if redundant => {}
            None => found.push(format!(
                "constraint \"{}\" on \"{name}\" is not restored",
                shape.name
            )),
        }
    }
    for shape in &now {
        if !matched_now.contains(&shape.name)
            && by_name(&old, &shape.name).is_none()
            && by_name(&made, &shape.name).is_some()
        {
            found.push(format!(
                "constraint \"{}\" on \"{name}\" is left behind",
                shape.name
            ));
        }
    }
}

fn indexes(before: &Catalog, up: &Catalog, after: &Catalog, found: &mut Vec<String>) {
    let keys = |i: &Index| {
        i.columns
            .iter()
            .map(|k| canonical_expression(k))
            .collect::<Vec<_>>()
    };
    let same = |a: &Index, b: &Index| {
        a.table == b.table
            && keys(a) == keys(b)
            && a.unique == b.unique
            && a.partial == b.partial
            && a.method == b.method
    };
    let mut matched: BTreeSet<&String> = BTreeSet::new();
    for (name, old) in &before.indexes {
        if after
            .indexes
            .get(name)
            .is_some_and(|now| std::sync::Arc::ptr_eq(old, now))
        {
            matched.insert(name);
            continue;
        }
        if after.table(&old.table).is_none() {
            continue;
        }
        if let Some(now) = after.indexes.get(name) {
            matched.insert(name);
            if keys(old) != keys(now) {
                found.push(format!(
                    "index \"{name}\" is on ({}), was on ({})",
                    now.columns.join(", "),
                    old.columns.join(", ")
                ));
            } else if old.unique != now.unique {
                found.push(format!(
                    "index \"{name}\" is {}unique, was {}",
                    if now.unique { "" } else { "not " },
                    if old.unique { "unique" } else { "not" }
                ));
            }
            continue;
        }
        let renamed = after.indexes.iter().find(|(n, i)| {
            (i.generated_name || old.generated_name)
                && same(old, i)
                && !before.indexes.contains_key(*n)
                && !matched.contains(n)
        });
        match renamed {
            Some((n, _)) => {
                matched.insert(n);
            }
            None => found.push(format!("index \"{name}\" is not restored")),
        }
    }
    for (name, now) in &after.indexes {
        if !before.indexes.contains_key(name)
            && !matched.contains(&name)
            && up.indexes.contains_key(name)
            && after.table(&now.table).is_some()
        {
            found.push(format!("index \"{name}\" is left behind"));
        }
    }
}

/// Key columns in a fixed order: a key's uniqueness does not depend on it.
fn sorted(columns: &[String]) -> String {
    let mut columns = columns.to_vec();
    columns.sort();
    columns.join(", ")
}

fn quoted(labels: Vec<&String>) -> String {
    labels
        .iter()
        .map(|l| format!("'{l}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::{canonical_default, canonical_type};

    #[test]
    fn spellings_of_one_type_or_default_are_one() {
        assert_eq!(canonical_type("INT"), canonical_type("integer"));
        assert_eq!(canonical_type("serial"), "integer");
        assert_eq!(
            canonical_type("VARCHAR(255)"),
            canonical_type("character varying(255)")
        );
        assert_ne!(
            canonical_type("varchar(100)"),
            canonical_type("varchar(255)")
        );
        assert_eq!(
            canonical_type("timestamptz"),
            canonical_type("TIMESTAMP WITH TIME ZONE")
        );
        assert_eq!(
            canonical_default("CURRENT_TIMESTAMP"),
            canonical_default("now()")
        );
        assert_eq!(canonical_default("'x'::text"), canonical_default("'x'"));
        assert_eq!(
            canonical_default("FALSE"),
            canonical_default("'f'::boolean")
        );
    }
}

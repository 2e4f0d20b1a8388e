//! The schema as comparable facts: one `kind name` key per object with a
//! normalised description, built the same way from the server's catalog
//! ([`super::dump`]) and from the replay's [`Catalog`].
//!
//! Normalisation removes what is only spelling: type aliases (`int4`,
//! `integer`, `serial`), casts and parentheses the server adds to stored
//! expressions (`'x'::text`, `lower((email)::text)`), quotes and case.
//! Everything else must agree.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use backend_check_sql::schema::{Catalog, Table};
use regex::Regex;

/// `kind name` → description. Kinds: `table`, `column`, `constraint`,
/// `index`, `view`, `type`, `domain`, `function`, `policy`, `trigger`, and
/// the server-only `sequence` (see [`COMPARED`]).
pub type Facts = BTreeMap<String, String>;

/// The kinds the replay models, so the ones compared.
pub const COMPARED: &[&str] = &[
    "table",
    "column",
    "constraint",
    "index",
    "view",
    "type",
    "domain",
    "function",
    "policy",
    "trigger",
];

/// Whether a fact's kind is compared.
pub fn compared(key: &str) -> bool {
    let kind = key.split(' ').next().unwrap_or_default();
    COMPARED.contains(&kind)
}

/// The facts of a replayed catalog.
pub fn of_catalog(catalog: &Catalog) -> Facts {
    let mut facts = Facts::new();
    for (name, table) in &catalog.tables {
        let name = name.to_string();
        table_facts(catalog, &name, table, &mut facts);
    }
    for (name, index) in &catalog.indexes {
        let columns: Vec<String> = index.columns.iter().map(|c| canon_expr(c)).collect();
        facts.insert(
            format!("index {name}"),
            index_text(
                &index.table.to_string(),
                index.unique,
                &index.method,
                &columns,
                index.partial,
            ),
        );
    }
    for name in catalog.views.keys() {
        facts.insert(format!("view {name}"), "view".to_owned());
    }
    for (name, labels) in &catalog.types {
        facts.insert(format!("type {name}"), type_text(labels));
    }
    for (name, domain) in &catalog.domains {
        facts.insert(format!("domain {name}"), canon_type(&domain.data_type));
    }
    for name in catalog.functions.keys() {
        facts.insert(format!("function {name}"), "function".to_owned());
    }
    facts
}

fn table_facts(catalog: &Catalog, name: &str, table: &Table, facts: &mut Facts) {
    let kind = if table.materialized_view {
        "materialized view"
    } else {
        "table"
    };
    facts.insert(
        format!("table {name}"),
        relation_text(kind, table.row_level_security),
    );
    for column in &table.columns {
        let (identity, default) = match column.default.as_deref() {
            _ if column.generated => (false, None),
            Some(d) if is_nextval(d) => (true, None),
            Some(d) => (column.identity, Some(d)),
            None => (column.identity, None),
        };
        facts.insert(
            format!("column {name}.{}", column.name),
            column_text(
                &column.data_type,
                column.nullable,
                identity,
                default,
                column.generated,
            ),
        );
    }
    if let Some(pk) = &table.primary_key_constraint {
        facts.insert(
            format!("constraint {name}.{}", pk.name.as_deref().unwrap_or("?")),
            format!("primary key ({})", pk.columns.join(", ")),
        );
    }
    for unique in &table.unique {
        facts.insert(
            format!(
                "constraint {name}.{}",
                unique.name.as_deref().unwrap_or("?")
            ),
            format!("unique ({})", unique.columns.join(", ")),
        );
    }
    for check in &table.checks {
        facts.insert(
            format!("constraint {name}.{}", check.name.as_deref().unwrap_or("?")),
            "check".to_owned(),
        );
    }
    for fk in &table.foreign_keys {
        let referred = if fk.referred_columns.is_empty() {
            catalog
                .table(&fk.references)
                .map(|t| t.primary_key.join(", "))
                .unwrap_or_default()
        } else {
            fk.referred_columns.join(", ")
        };
        facts.insert(
            format!("constraint {name}.{}", fk.name.as_deref().unwrap_or("?")),
            foreign_key_text(
                &fk.columns.join(", "),
                &fk.references.to_string(),
                &referred,
                &fk.on_delete
                    .as_deref()
                    .unwrap_or("no action")
                    .to_lowercase(),
            ),
        );
    }
    for trigger in &table.triggers {
        facts.insert(
            format!("trigger {name}.{}", trigger.name),
            trigger_text(trigger.function.as_deref().unwrap_or("?")),
        );
    }
    for policy in &table.policies {
        facts.insert(
            format!("policy {name}.{}", policy.name),
            policy.command.to_lowercase(),
        );
    }
}

/// A trigger: the function it executes (its bare name).
pub fn trigger_text(function: &str) -> String {
    let name = function.rsplit('.').next().unwrap_or(function);
    let name: String = name
        .chars()
        .filter(|c| !matches!(c, '"' | '(' | ')') && !c.is_whitespace())
        .collect();
    format!("executes {}", name.to_lowercase())
}

/// `table` or `materialized view`, and whether row-level security is on.
pub fn relation_text(kind: &str, rls: bool) -> String {
    if rls {
        format!("{kind}, row-level security")
    } else {
        kind.to_owned()
    }
}

/// A column: canonical type, nullability, identity, default, generated.
pub fn column_text(
    data_type: &str,
    nullable: bool,
    identity: bool,
    default: Option<&str>,
    generated: bool,
) -> String {
    let data_type = canon_type(data_type);
    let default = default.map(|d| canon_default(&data_type, d));
    let mut text = data_type;
    text.push_str(if nullable { " null" } else { " not null" });
    if identity {
        text.push_str(" identity");
    }
    if generated {
        text.push_str(" generated");
    }
    if let Some(default) = default {
        text.push_str(" default ");
        text.push_str(&default);
    }
    text
}

/// A default in canonical spelling for a column of (canonical) type
/// `data_type`. The server evaluates some literals when it stores them: a boolean's `'t'`
/// becomes `true`, and a date or time literal becomes its value (`'epoch'`,
/// `'1970-01-01'` → `'1970-01-01 00:00:00'`); such a literal is compared as
/// `'…'` (a constant).
pub fn canon_default(data_type: &str, raw: &str) -> String {
    let text = canon_expr(raw);
    let literal = text.len() >= 2
        && text.starts_with('\'')
        && text.ends_with('\'')
        && !text[1..text.len() - 1].contains('\'');
    if data_type == "boolean" && literal {
        let word = &text[1..text.len() - 1];
        return match word {
            "t" | "true" | "y" | "yes" | "on" | "1" => "true".to_owned(),
            "f" | "false" | "n" | "no" | "off" | "0" => "false".to_owned(),
            _ => text,
        };
    }
    let temporal = ["date", "timestamp", "time ", "interval"]
        .iter()
        .any(|t| data_type.starts_with(t));
    if temporal && literal {
        return "'…'".to_owned();
    }
    text
}

/// A foreign key: `foreign key (a) references t (id) on delete cascade`.
pub fn foreign_key_text(columns: &str, table: &str, referred: &str, on_delete: &str) -> String {
    format!("foreign key ({columns}) references {table} ({referred}) on delete {on_delete}")
}

/// An index that backs no constraint.
pub fn index_text(
    table: &str,
    unique: bool,
    method: &str,
    columns: &[String],
    partial: bool,
) -> String {
    format!(
        "on {table}{} using {} ({}){}",
        if unique { " unique" } else { "" },
        method.to_lowercase(),
        columns.join(", "),
        if partial { " where …" } else { "" }
    )
}

/// A type: `enum (a, b)` with its labels in order, or `type`.
pub fn type_text(labels: &[String]) -> String {
    if labels.is_empty() {
        "type".to_owned()
    } else {
        format!("enum ({})", labels.join(", "))
    }
}

/// Whether a default is a sequence's `nextval(…)` (a `serial` column).
pub fn is_nextval(default: &str) -> bool {
    default.trim_start().to_lowercase().starts_with("nextval(")
}

/// A type name in one spelling: PostgreSQL's own (`format_type`) for the
/// built-in aliases, modifiers without spaces, `[]` per array dimension.
pub fn canon_type(raw: &str) -> String {
    let mut text = raw.trim().to_lowercase().replace('"', "");
    let mut dims = 0;
    loop {
        let trimmed = text.trim_end();
        if let Some(open) = trimmed
            .strip_suffix(']')
            .and_then(|rest| rest.rfind('[').map(|at| (rest, at)))
        {
            text = open.0[..open.1].to_owned();
            dims += 1;
        } else if let Some(rest) = trimmed.strip_suffix(" array") {
            text = rest.to_owned();
            dims += 1;
        } else {
            break;
        }
    }
    let (words, mut mods) = match (text.find('('), text.find(')')) {
        (Some(open), Some(close)) if close > open => (
            format!("{} {}", &text[..open], &text[close + 1..]),
            Some(text[open + 1..close].replace(' ', "")),
        ),
        _ => (text.clone(), None),
    };
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let words = words
        .strip_prefix("public.")
        .or_else(|| words.strip_prefix("pg_catalog."))
        .unwrap_or(&words)
        .to_owned();
    let base = match words.as_str() {
        "int" | "integer" | "int4" | "serial" | "serial4" => "integer",
        "bigint" | "int8" | "bigserial" | "serial8" => "bigint",
        "smallint" | "int2" | "smallserial" | "serial2" => "smallint",
        "bool" | "boolean" => "boolean",
        "float8" | "double precision" | "double" => "double precision",
        "float4" | "real" => "real",
        "float" => {
            let precision = mods.take().and_then(|m| m.parse::<u32>().ok());
            if precision.is_some_and(|p| p <= 24) {
                "real"
            } else {
                "double precision"
            }
        }
        "varchar" | "character varying" | "char varying" => "character varying",
        "char" | "character" => {
            mods.get_or_insert_with(|| "1".to_owned());
            "character"
        }
        "decimal" | "numeric" | "dec" => "numeric",
        "timestamptz" | "timestamp with time zone" => "timestamp with time zone",
        "timestamp" | "timestamp without time zone" => "timestamp without time zone",
        "timetz" | "time with time zone" => "time with time zone",
        "time" | "time without time zone" => "time without time zone",
        "varbit" | "bit varying" => "bit varying",
        "bit" => {
            mods.get_or_insert_with(|| "1".to_owned());
            "bit"
        }
        other => other,
    };
    let mut out = base.to_owned();
    if let Some(mods) = mods {
        out.push('(');
        out.push_str(&mods);
        out.push(')');
    }
    for _ in 0..dims {
        out.push_str("[]");
    }
    out
}

/// An expression in a loose canonical spelling: lower case, no quotes around
/// identifiers, no casts, no parentheses, no white space, and numbers and
/// booleans unquoted (the server stores `-1` as `'-1'::integer`).
pub fn canon_expr(raw: &str) -> String {
    static CAST: OnceLock<Option<Regex>> = OnceLock::new();
    static QUOTED: OnceLock<Option<Regex>> = OnceLock::new();
    let cast = CAST.get_or_init(|| {
        Regex::new(
            r"::\s*[a-z_][a-z0-9_.]*(?:\s+(?:varying|precision|with|without|time|zone)\b|\s*\([0-9,\s]*\))*(?:\s*\[\s*\])*",
        )
        .ok()
    });
    let quoted = QUOTED.get_or_init(|| Regex::new(r"'(-?[0-9]+(?:\.[0-9]+)?|true|false)'").ok());
    let mut text = raw.to_lowercase().replace('"', "");
    if let Some(cast) = cast {
        text = cast.replace_all(&text, "").into_owned();
    }
    if let Some(quoted) = quoted {
        text = quoted.replace_all(&text, "$1").into_owned();
    }
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '(' && *c != ')')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{canon_expr, canon_type};

    #[test]
    fn type_aliases_meet() {
        for (a, b) in [
            ("int4", "integer"),
            ("serial", "integer"),
            ("BIGSERIAL", "bigint"),
            ("varchar(255)", "character varying(255)"),
            ("timestamptz", "timestamp with time zone"),
            ("TIMESTAMP(3) WITH TIME ZONE", "timestamp(3) with time zone"),
            ("int[]", "integer[]"),
            ("text ARRAY", "text[]"),
            ("numeric(10, 2)", "numeric(10,2)"),
            ("char", "character(1)"),
            ("float", "double precision"),
            ("\"public\".\"Mood\"", "mood"),
        ] {
            assert_eq!(canon_type(a), canon_type(b), "{a} vs {b}");
        }
        assert_ne!(canon_type("varchar(10)"), canon_type("varchar(20)"));
        assert_ne!(canon_type("timestamp"), canon_type("timestamptz"));
    }

    #[test]
    fn stored_expressions_meet_written_ones() {
        for (stored, written) in [
            ("'x'::character varying", "'x'"),
            ("'-1'::integer", "-1"),
            ("lower((email)::text)", "LOWER(email)"),
            ("'{}'::text[]", "'{}'"),
            (
                "(now() AT TIME ZONE 'utc'::text)",
                "now() at time zone 'utc'",
            ),
            ("CURRENT_TIMESTAMP", "current_timestamp"),
        ] {
            assert_eq!(
                canon_expr(stored),
                canon_expr(written),
                "{stored} vs {written}"
            );
        }
        assert_ne!(canon_expr("'a'::text"), canon_expr("'b'"));
    }
}

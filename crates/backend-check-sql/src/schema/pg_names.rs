//! The names PostgreSQL gives objects: identifiers cut to 63 bytes, and the
//! default names of indexes and constraints (`makeObjectName`,
//! `ChooseRelationName`, `ChooseIndexColumnNames` and `FigureColname` in
//! PostgreSQL's sources).

use crate::parse::{clip, MAX_IDENTIFIER};
use sqlparser::ast::{self, DataType, Expr, TrimWhereField};

/// `makeObjectName`: `name1[_name2][_label]` within 63 bytes, cutting the
/// longer of the two names first.
pub(crate) fn make_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let mut overhead = label.len() + 1;
    if name2.is_some() {
        overhead += 1;
    }
    let available = MAX_IDENTIFIER.saturating_sub(overhead);
    let (mut first, mut second) = (name1.len(), name2.map_or(0, str::len));
    while first + second > available {
        if first > second {
            first -= 1;
        } else {
            second -= 1;
        }
    }
    let mut name = clip(name1, first).to_owned();
    if let Some(name2) = name2 {
        name.push('_');
        name.push_str(clip(name2, second));
    }
    name.push('_');
    name.push_str(label);
    name
}

/// `ChooseRelationName` / `ChooseConstraintName`: the object name, or with
/// `1`, `2`, … appended to the label until `taken` says it is free.
pub(crate) fn choose_name(
    name1: &str,
    name2: Option<&str>,
    label: &str,
    taken: impl Fn(&str) -> bool,
) -> String {
    let mut name = make_object_name(name1, name2, label);
    let mut pass = 0;
    while taken(&name) && pass < 10_000 {
        pass += 1;
        name = make_object_name(name1, name2, &format!("{label}{pass}"));
    }
    name
}

/// `ChooseIndexNameAddition`: the column names joined with `_`, stopping
/// once the text reaches 64 bytes (the name is cut later anyway).
pub(crate) fn name_addition(columns: &[String]) -> String {
    let mut text = String::new();
    for column in columns {
        if !text.is_empty() {
            text.push('_');
        }
        text.push_str(clip(column, MAX_IDENTIFIER + 1));
        if text.len() > MAX_IDENTIFIER {
            break;
        }
    }
    text
}

/// `ChooseIndexColumnNames`: the name of each key of an index (a column's
/// name, or what `FigureColname` makes of an expression, else `expr`), with
/// a number appended to repeats.
pub(crate) fn index_column_names(keys: &[&Expr]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for key in keys {
        let original = figure_colname(key).map_or_else(|| "expr".to_owned(), |(name, _)| name);
        let mut name = original.clone();
        let mut n = 1;
        while names.contains(&name) {
            let suffix = n.to_string();
            name = format!(
                "{}{suffix}",
                clip(&original, MAX_IDENTIFIER.saturating_sub(suffix.len()))
            );
            n += 1;
        }
        names.push(name);
    }
    names
}

/// `FigureColnameInternal`: a name for an expression and how sure it is (2:
/// a column or function name; 1: a fallback such as a type name or `case`).
fn figure_colname(expr: &Expr) -> Option<(String, u8)> {
    let sure = |name: &str| Some((name.to_owned(), 2));
    match expr {
        Expr::Identifier(i) => Some((super::apply::ident(i), 2)),
        Expr::CompoundIdentifier(parts) => parts.last().map(|i| (super::apply::ident(i), 2)),
        Expr::Function(f) => {
            let last = f.name.0.last()?.as_ident()?;
            Some((super::apply::ident(last), 2))
        }
        Expr::Cast {
            expr, data_type, ..
        } => match figure_colname(expr) {
            Some(found @ (_, 2)) => Some(found),
            _ => Some((cast_type_name(data_type), 1)),
        },
        Expr::Collate { expr, .. } | Expr::Nested(expr) => figure_colname(expr),
        Expr::Case { else_result, .. } => match else_result.as_deref().and_then(figure_colname) {
            Some(found @ (_, 2)) => Some(found),
            _ => Some(("case".to_owned(), 1)),
        },
        Expr::Array(_) => Some(("array".to_owned(), 1)),
        Expr::Tuple(_) => Some(("row".to_owned(), 1)),
        Expr::Exists { .. } => sure("exists"),
        Expr::Extract { .. } => sure("extract"),
        Expr::Substring { .. } => sure("substring"),
        Expr::Position { .. } => sure("position"),
        Expr::Overlay { .. } => sure("overlay"),
        Expr::Ceil { .. } => sure("ceil"),
        Expr::Floor { .. } => sure("floor"),
        Expr::AtTimeZone { .. } => sure("timezone"),
        Expr::Trim { trim_where, .. } => sure(match trim_where {
            Some(TrimWhereField::Leading) => "ltrim",
            Some(TrimWhereField::Trailing) => "rtrim",
            _ => "btrim",
        }),
        _ => None,
    }
}

/// The last part of a type's name as PostgreSQL's grammar records it
/// (`integer` is `int4`, `character varying` is `varchar`).
fn cast_type_name(data_type: &DataType) -> String {
    let written = data_type.to_string().to_lowercase();
    let base = written
        .split('(')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let canonical = match base.as_str() {
        "int" | "integer" | "int4" => "int4",
        "bigint" | "int8" => "int8",
        "smallint" | "int2" => "int2",
        "real" | "float4" => "float4",
        "double precision" | "float" | "float8" => "float8",
        "boolean" | "bool" => "bool",
        "decimal" | "numeric" | "dec" => "numeric",
        "varchar" | "character varying" => "varchar",
        "char" | "character" | "bpchar" => "bpchar",
        "timestamp" | "timestamp without time zone" => "timestamp",
        "timestamptz" | "timestamp with time zone" => "timestamptz",
        "time" | "time without time zone" => "time",
        "timetz" | "time with time zone" => "timetz",
        "bit varying" | "varbit" => "varbit",
        other => other.rsplit('.').next().unwrap_or(other),
    };
    canonical.to_owned()
}

/// The default name of an index on `table` with these keys (`…_idx`), of
/// the index of a unique constraint (`…_key`), or of an exclusion
/// constraint (`…_excl`), before collisions are resolved.
pub(crate) fn index_addition(keys: &[&ast::Expr]) -> String {
    name_addition(&index_column_names(keys))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::truncate_identifier;

    #[test]
    fn long_names_cut_the_longer_part_first() {
        let table = "a".repeat(40);
        let column = "b".repeat(30);
        let name = make_object_name(&table, Some(&column), "key");
        assert_eq!(name.len(), 63);
        assert_eq!(name, format!("{}_{}_key", "a".repeat(29), "b".repeat(29)));
        assert_eq!(make_object_name("t", None, "pkey"), "t_pkey");
        assert_eq!(truncate_identifier(&"é".repeat(40)).len(), 62);
    }

    #[test]
    fn collisions_append_a_number_to_the_label() {
        let taken = ["t_a_idx".to_owned(), "t_a_idx1".to_owned()];
        assert_eq!(
            choose_name("t", Some("a"), "idx", |n| taken.iter().any(|t| t == n)),
            "t_a_idx2"
        );
    }
}

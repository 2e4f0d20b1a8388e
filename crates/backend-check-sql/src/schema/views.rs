//! The columns of a materialised view, from its `SELECT` where every output
//! column's name and type can be told from the tables it reads.

use sqlparser::ast::{self, Expr, SelectItem, SetExpr, TableFactor};

use super::apply::ident;
use super::catalog::{Catalog, Column, Origin, Table};
use super::TableName;

impl Catalog {
    /// The output columns of `query`, or `None` when one of them cannot be
    /// resolved (a set operation, an expression of unknown type, an unknown
    /// table).
    pub(super) fn query_columns(
        &self,
        query: &ast::Query,
        names: &[String],
        origin: Origin,
    ) -> Option<Vec<Column>> {
        let SetExpr::Select(select) = query.body.as_ref() else {
            return None;
        };
        let mut sources: Vec<(String, &Table)> = Vec::new();
        for from in &select.from {
            let factors =
                std::iter::once(&from.relation).chain(from.joins.iter().map(|j| &j.relation));
            for factor in factors {
                let TableFactor::Table { name, alias, .. } = factor else {
                    return None;
                };
                let name = TableName::from_object(name)?;
                let table = self.table(&name).filter(|t| !t.columns_unknown)?;
                let label = alias.as_ref().map_or(name.name, |a| ident(&a.name));
                sources.push((label, table));
            }
        }
        let mut columns = Vec::new();
        for item in &select.projection {
            match item {
                SelectItem::Wildcard(_) => {
                    for (_, table) in &sources {
                        columns.extend(
                            table
                                .columns
                                .iter()
                                .map(|c| (c.name.clone(), c.data_type.clone())),
                        );
                    }
                }
                SelectItem::QualifiedWildcard(
                    ast::SelectItemQualifiedWildcardKind::ObjectName(q),
                    _,
                ) => {
                    let q = TableName::from_object(q)?;
                    let (_, table) = sources.iter().find(|(label, _)| *label == q.name)?;
                    columns.extend(
                        table
                            .columns
                            .iter()
                            .map(|c| (c.name.clone(), c.data_type.clone())),
                    );
                }
                SelectItem::UnnamedExpr(expr) => {
                    let named = column_ref(expr, &sources).or_else(|| {
                        let Expr::Function(f) = expr else { return None };
                        let name = ident(f.name.0.last()?.as_ident()?);
                        Some((name, type_of(expr, &sources)?))
                    })?;
                    columns.push(named);
                }
                SelectItem::ExprWithAlias { expr, alias } => {
                    columns.push((ident(alias), type_of(expr, &sources)?));
                }
                _ => return None,
            }
        }
        Some(
            columns
                .into_iter()
                .enumerate()
                .map(|(i, (name, data_type))| {
                    let name = names.get(i).cloned().unwrap_or(name);
                    (name, data_type)
                })
                .map(|(name, data_type)| Column {
                    name,
                    data_type,
                    nullable: true,
                    default: None,
                    identity: false,
                    generated: false,
                    origin,
                    type_origin: origin,
                })
                .collect(),
        )
    }
}

/// The name and type of a plain column reference.
fn column_ref(expr: &Expr, sources: &[(String, &Table)]) -> Option<(String, String)> {
    let (qualifier, column) = match expr {
        Expr::Identifier(i) => (None, ident(i)),
        Expr::CompoundIdentifier(parts) => match parts.as_slice() {
            [.., q, c] => (Some(ident(q)), ident(c)),
            _ => return None,
        },
        _ => return None,
    };
    let found = sources
        .iter()
        .filter(|(label, _)| qualifier.as_ref().is_none_or(|q| q == label))
        .find_map(|(_, t)| t.column(&column))?;
    Some((column, plain_type(&found.data_type)))
}

fn type_of(expr: &Expr, sources: &[(String, &Table)]) -> Option<String> {
    match expr {
        Expr::Nested(inner) => type_of(inner, sources),
        Expr::Cast { data_type, .. } => Some(data_type.to_string().to_lowercase()),
        Expr::Function(f) => {
            let name = f.name.to_string().to_lowercase();
            let first = match &f.args {
                ast::FunctionArguments::List(list) => list.args.first().and_then(|a| match a {
                    ast::FunctionArg::Unnamed(ast::FunctionArgExpr::Expr(e)) => type_of(e, sources),
                    _ => None,
                }),
                _ => None,
            };
            let integer = |t: &str| matches!(t, "int" | "integer" | "int4" | "smallint" | "int2");
            match name.as_str() {
                "count" => Some("bigint".to_owned()),
                "sum" => first.map(|t| {
                    if integer(&t) {
                        "bigint".to_owned()
                    } else if matches!(t.as_str(), "bigint" | "int8") || t.starts_with("numeric") {
                        "numeric".to_owned()
                    } else {
                        t
                    }
                }),
                "max" | "min" | "coalesce" => first,
                "lower" | "upper" | "trim" | "concat" => Some("text".to_owned()),
                "now" => Some("timestamp with time zone".to_owned()),
                _ => None,
            }
        }
        other => column_ref(other, sources).map(|(_, t)| t),
    }
}

/// A view column takes the column's type, not its numbering.
fn plain_type(data_type: &str) -> String {
    match data_type {
        "serial" | "serial4" => "integer".to_owned(),
        "bigserial" | "serial8" => "bigint".to_owned(),
        "smallserial" | "serial2" => "smallint".to_owned(),
        other => other.to_owned(),
    }
}

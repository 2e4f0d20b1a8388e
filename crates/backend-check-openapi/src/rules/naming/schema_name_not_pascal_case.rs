use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::model::{child, SpecVersion};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Checks the names of the schemas under `components.schemas` (2.0
    /// `definitions`) for PascalCase (`Order`, `LineItem`, `OrderV2`;
    /// dot-separated namespaces such as `Billing.Invoice` are read part by
    /// part). When most names are PascalCase, each other name is reported.
    /// When most names follow another style, the document made its own
    /// choice: one finding on the section says so, rather than one per name.
    ///
    /// ## Why is this bad?
    /// Schema names become type names in generated clients. Names such as
    /// `order_item` or `create-order-request` turn into awkward or colliding
    /// identifiers once generators convert them (`OrderItem` and
    /// `order_item` map to the same class), and an odd name among PascalCase
    /// ones is usually a schema added without review.
    ///
    /// ## Example
    /// ```yaml
    /// components:
    ///   schemas:
    ///     Order: {type: object}
    ///     LineItem: {type: object}
    ///     shipping_rate: {type: object}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// components:
    ///   schemas:
    ///     Order: {type: object}
    ///     LineItem: {type: object}
    ///     ShippingRate: {type: object}
    /// ```
    ///
    /// ## Options
    /// None.
    pub SchemaNameNotPascalCase {
        code: "OAS086",
        name: "schema-name-not-pascal-case",
        checklist: ApiNaming,
        group: Pedantic,
        severity: Info,
        summary: "a schema name that is not PascalCase",
    }
}

impl SchemaNameNotPascalCase {
    /// Reports non-PascalCase schema names, or the section once when another style dominates.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        if !sink.enabled(&Self::META) {
            return;
        }
        let Some((section, schemas)) = section(cx) else {
            return;
        };
        let tree = cx.docs.tree(schemas.file);
        let names: Vec<(&str, At)> = tree
            .members(schemas.node)
            .filter_map(|e| Some((tree.text(e.key)?, At::new(schemas.file, e.key))))
            .filter(|(name, _)| !name.starts_with("x-"))
            .collect();
        let outliers: Vec<&(&str, At)> = names
            .iter()
            .filter(|(name, _)| !is_pascal_case(name))
            .collect();
        if outliers.is_empty() {
            return;
        }
        if outliers.len() * 2 > names.len() {
            let message = section_message(outliers.len(), names.len());
            sink.push(cx.diagnostic(&Self::META, section, message).with_help(
                "name schemas in PascalCase (`LineItem`): generated clients use them as type names",
            ));
            return;
        }
        for (name, at) in outliers {
            sink.push(
                cx.diagnostic(&Self::META, *at, message(name))
                    .with_help(format!(
                        "rename it to `{}` and update its `$ref`s",
                        pascal(name)
                    )),
            );
        }
    }
}

/// The section key and its mapping: `components.schemas` or `definitions`.
fn section(cx: &Context<'_>) -> Option<(At, At)> {
    let docs = cx.docs;
    let root = cx.api.root;
    let (owner, key) = if cx.api.version == SpecVersion::Swagger2 {
        (root, "definitions")
    } else {
        (child(docs, root, "components")?, "schemas")
    };
    let entry = docs.tree(owner.file).get(owner.node, key)?;
    Some((
        At::new(owner.file, entry.key),
        At::new(owner.file, entry.value),
    ))
}

fn is_pascal_case(name: &str) -> bool {
    name.split('.').all(|part| {
        part.starts_with(|c: char| c.is_ascii_uppercase())
            && part.chars().all(|c| c.is_ascii_alphanumeric())
    })
}

/// A PascalCase spelling of a name, for the help line.
fn pascal(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

fn message(name: &str) -> String {
    format!("schema name \"{name}\" is not PascalCase")
}

fn section_message(outliers: usize, total: usize) -> String {
    if outliers == total {
        format!("none of the {total} schema names is PascalCase")
    } else {
        format!("{outliers} of the {total} schema names are not PascalCase")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_case() {
        assert!(is_pascal_case("LineItem") && is_pascal_case("OrderV2"));
        assert!(is_pascal_case("Billing.Invoice"));
        assert!(!is_pascal_case("line_item") && !is_pascal_case("Line-Item"));
        assert_eq!(pascal("create-order_request"), "CreateOrderRequest");
    }
}

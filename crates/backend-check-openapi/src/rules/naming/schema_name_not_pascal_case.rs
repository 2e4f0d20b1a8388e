use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::model::{child, SpecVersion};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Checks the names of the schemas under `components.schemas` (2.0
    /// `definitions`) for PascalCase (`Order`, `LineItem`, `OrderV2`;
    /// dot-separated namespaces such as `Billing.Invoice` are read part by
    /// part, and so are variants `File--Mini` and generated generics
    /// `ListResponse_AppOut_`). When at least half the names are PascalCase,
    /// each other name is reported. When three quarters follow another style
    /// (`pull_request`, `simple-user`), that is the document's house style and
    /// only the names that break it are reported (more than ten get one
    /// finding on the section). When no style dominates, one
    /// finding on the section says so, rather than one per name.
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
        let Some((section, schemas)) = section(cx) else {
            return;
        };
        let tree = cx.docs.tree(schemas.file);
        let names: Vec<(&str, At)> = tree
            .members(schemas.node)
            .filter_map(|e| Some((tree.text(e.key)?, At::new(schemas.file, e.key))))
            .filter(|(name, _)| !name.starts_with("x-"))
            .collect();
        let fits = |name: &str, style: Style| styles_of(name).contains(&style);
        let following = |style: Style| names.iter().filter(|(n, _)| fits(n, style)).count();
        let total = names.len();
        if following(Style::Pascal) * 2 >= total {
            for (name, at) in names.iter().filter(|(n, _)| !fits(n, Style::Pascal)) {
                sink.push(
                    cx.diagnostic(&Self::META, *at, message(name))
                        .with_help(format!(
                            "rename it to `{}` and update its `$ref`s",
                            pascal(name)
                        )),
                );
            }
            return;
        }
        // Another style most names share is the document's house style: only
        // the names that break it are reported.
        let house = [Style::Snake, Style::Kebab, Style::Camel]
            .into_iter()
            .map(|style| (style, following(style)))
            .max_by_key(|(_, n)| *n)
            .filter(|(_, n)| *n >= 3 && n * 4 >= total * 3);
        if let Some((style, count)) = house {
            let outliers: Vec<_> = names.iter().filter(|(n, _)| !fits(n, style)).collect();
            // Many outliers are a family of their own (GitHub's `webhooks_*`):
            // one finding on the section, not one per name.
            if outliers.len() > MAX_NAMED_OUTLIERS {
                let message = format!(
                    "{} of the {total} schema names are not {}, the style of the other {count}",
                    outliers.len(),
                    style.name()
                );
                sink.push(
                    cx.diagnostic(&Self::META, section, message)
                        .with_help(format!(
                            "rename them in {}, the style the document's other schema names use",
                            style.name()
                        )),
                );
                return;
            }
            for (name, at) in outliers {
                sink.push(
                    cx.diagnostic(&Self::META, *at, house_message(name, style, count, total))
                        .with_help(format!(
                            "rename it in {}, the style the document's other schema names use",
                            style.name()
                        )),
                );
            }
            return;
        }
        let outliers = total - following(Style::Pascal);
        let message = section_message(outliers, total);
        sink.push(cx.diagnostic(&Self::META, section, message).with_help(
            "choose one style for schema names, PascalCase (`LineItem`) being what generated clients use as type names",
        ));
    }
}

/// Above this many names that break the house style, one finding sums them up.
const MAX_NAMED_OUTLIERS: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Pascal,
    Snake,
    Kebab,
    Camel,
}

impl Style {
    fn name(self) -> &'static str {
        match self {
            Style::Pascal => "PascalCase",
            Style::Snake => "snake_case",
            Style::Kebab => "kebab-case",
            Style::Camel => "camelCase",
        }
    }
}

/// The styles a schema name fits: a single lower-case word fits several.
fn styles_of(name: &str) -> Vec<Style> {
    // A dotted name is a namespace and a type (`io.k8s.api.core.v1.Pod`,
    // `billing_portal.session`): the type name carries the style.
    let name = name.rsplit('.').next().unwrap_or(name);
    if is_pascal_case(name) {
        return vec![Style::Pascal];
    }
    let word = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    };
    let joined =
        |sep: char| name.starts_with(|c: char| c.is_ascii_lowercase()) && name.split(sep).all(word);
    let mut styles = Vec::new();
    if joined('_') {
        styles.push(Style::Snake);
    }
    if joined('-') {
        styles.push(Style::Kebab);
    }
    if name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
    {
        styles.push(Style::Camel);
    }
    styles
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

/// PascalCase, read part by part across namespaces (`Billing.Invoice`, or
/// the type after a lower-case package such as `io.k8s.api.core.v1.Pod`),
/// variants (`File--Mini`) and generated generics (`ListResponse_AppOut_`).
fn is_pascal_case(name: &str) -> bool {
    let name = name.rsplit('.').next().unwrap_or(name);
    let parts: Vec<&str> = name.split("--").flat_map(|p| p.split('_')).collect();
    !name.starts_with('_')
        && parts.iter().any(|p| !p.is_empty())
        && parts.iter().filter(|p| !p.is_empty()).all(|part| {
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

fn house_message(name: &str, style: Style, count: usize, total: usize) -> String {
    format!(
        "schema name \"{name}\" is not {}, unlike {count} of the {total} schema names of the document",
        style.name()
    )
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
        assert!(is_pascal_case("File--Mini") && is_pascal_case("ListResponse_AppOut_"));
        assert!(!is_pascal_case("_metadata") && !is_pascal_case("Shipping_rate"));
        assert!(is_pascal_case("io.k8s.api.core.v1.Pod"));
        assert_eq!(
            styles_of("billing_portal.session"),
            [Style::Snake, Style::Kebab, Style::Camel]
        );
        assert_eq!(styles_of("copilot-metrics-1-day"), [Style::Kebab]);
        assert_eq!(pascal("create-order_request"), "CreateOrderRequest");
    }
}

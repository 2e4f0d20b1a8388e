use backend_check_core::{declare_rule, Sink};

use crate::load::{NodeId, Tree};
use crate::model::Types;
use crate::rules::Context;

use super::{format_of, has, is_enumerated, report, Wording};

declare_rule! {
    /// ## What it does
    /// Finds strings the API accepts (in parameters and request bodies)
    /// without an upper bound on their length: no `maxLength`, no `enum` or
    /// `const`, no `format` that bounds the length (`uuid`, `date`,
    /// `date-time`, `time`, `email`, `ipv4`, `ipv6`, `hostname`, …) and no
    /// anchored `pattern` without `*`, `+` or open `{n,}` repeats.
    ///
    /// Each schema is reported once where it is written, with the properties
    /// concerned: a named schema used by ten operations is one finding.
    /// Response schemas and `readOnly` properties are not checked, nor are
    /// `format: binary` uploads (their size is a server limit, not a schema one).
    /// A parameter written the same way in many operations is reported once,
    /// with a count. The rule is advice (`info`) by default: few published
    /// specs bound every string yet; raise it to `warning` once yours does.
    ///
    /// ## Why is this bad?
    /// An unbounded string lets a client send megabytes where a name was
    /// expected: memory and CPU spent on parsing, logging and validating it,
    /// columns overflowing in the database, and a larger surface for
    /// injection payloads. A `maxLength` in the contract documents the limit
    /// and lets generated validators enforce it at the edge (OWASP API4:2023,
    /// unrestricted resource consumption).
    ///
    /// ## Example
    /// ```yaml
    /// components:
    ///   schemas:
    ///     NewPet:
    ///       type: object
    ///       properties:
    ///         name: {type: string}
    ///         nickname: {type: string, pattern: '^[a-z]+$'}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// components:
    ///   schemas:
    ///     NewPet:
    ///       type: object
    ///       properties:
    ///         name: {type: string, maxLength: 100}
    ///         nickname: {type: string, pattern: '^[a-z]{1,30}$'}
    /// ```
    ///
    /// ## Options
    /// None.
    pub UnboundedString {
        code: "OAS060",
        name: "unbounded-string",
        checklist: SecInput,
        group: Pedantic,
        severity: Info,
        summary: "a string in a parameter or request body without maxLength, enum or a bounded format or pattern",
    }
}

impl UnboundedString {
    /// Reports unbounded request strings, once per schema group.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let wording = Wording {
            rule: &Self::META,
            plural: "strings without maxLength",
            list_details: false,
            label: "no maxLength",
            help: "add `maxLength` (or an `enum`, a bounded `format` such as `uuid` or `date-time`, or an anchored `pattern` without `*` or `+`) to every string the API accepts",
        };
        report(cx, sink, &wording, |tree, schema, _| gap(tree, schema));
    }
}

/// Formats whose values have a bounded length.
const BOUNDED_FORMATS: &[&str] = &[
    "uuid",
    "date",
    "date-time",
    "time",
    "email",
    "idn-email",
    "ipv4",
    "ipv6",
    "hostname",
    "idn-hostname",
    "duration",
    "int32",
    "int64",
    "double",
    "float",
    "decimal",
    "country-code",
    "currency-code",
    "language-code",
];

fn gap(tree: &Tree<'_>, schema: NodeId) -> Option<String> {
    let types = Types::of(tree, schema);
    if !types.contains(Types::STRING) || is_enumerated(tree, schema) {
        return None;
    }
    if has(tree, schema, "maxLength") {
        return None;
    }
    let format = format_of(tree, schema);
    if format.is_some_and(|f| BOUNDED_FORMATS.contains(&f) || f == "binary") {
        return None;
    }
    let pattern = tree.get_value(schema, "pattern").and_then(|p| tree.str(p));
    if pattern.is_some_and(is_bounded_pattern) {
        return None;
    }
    Some("string without maxLength".to_owned())
}

/// An anchored pattern (`^…$`) without `*`, `+` or open `{n,}` repeats
/// bounds the length of what it matches.
pub(crate) fn is_bounded_pattern(pattern: &str) -> bool {
    let Some(body) = pattern.strip_prefix('^') else {
        return false;
    };
    let Some(body) = body
        .strip_suffix('$')
        .filter(|b| !b.ends_with('\\') || b.ends_with("\\\\"))
    else {
        return false;
    };
    let mut chars = body.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' => in_class = true,
            ']' => in_class = false,
            '*' | '+' if !in_class => return false,
            '|' if !in_class => {}
            '{' if !in_class => {
                let repeat: String = chars.by_ref().take_while(|c| *c != '}').collect();
                if repeat.ends_with(',') {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::is_bounded_pattern;

    #[test]
    fn bounded_patterns() {
        for pattern in ["^[a-z]{1,30}$", "^\\d{4}-\\d{2}$", "^[*+]{2}$", "^(a|b)$"] {
            assert!(is_bounded_pattern(pattern), "{pattern}");
        }
        for pattern in [
            "[a-z]{1,30}",
            "^[a-z]+$",
            "^a.*$",
            "^a{2,}$",
            "^abc",
            "^a\\$",
        ] {
            assert!(!is_bounded_pattern(pattern), "{pattern}");
        }
    }
}

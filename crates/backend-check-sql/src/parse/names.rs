//! Table names as the database resolves them.

use std::fmt;

use sqlparser::ast::ObjectName;
use sqlparser::tokenizer::Token;

use super::SqlToken;

/// A table name, normalised: unquoted identifiers lower-cased (as PostgreSQL
/// folds them), quoted ones kept as written, and only the last two parts
/// (schema and table) of a qualified name kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableName {
    /// The schema, when the name was qualified.
    pub schema: Option<String>,
    /// The table.
    pub name: String,
}

impl TableName {
    /// A name from normalised parts.
    pub fn new(schema: Option<&str>, name: &str) -> TableName {
        TableName {
            schema: schema.map(str::to_owned),
            name: name.to_owned(),
        }
    }

    /// The name of an AST object name.
    pub fn from_object(object: &ObjectName) -> Option<TableName> {
        let parts: Vec<String> = object
            .0
            .iter()
            .map(|part| {
                part.as_ident()
                    .map(|ident| normalise(&ident.value, ident.quote_style.is_some()))
            })
            .collect::<Option<Vec<String>>>()?;
        from_parts(parts)
    }

    /// Reads a dotted name at the start of `tokens`; returns it and how many
    /// tokens it took.
    pub fn from_tokens(tokens: &[&SqlToken]) -> Option<(TableName, usize)> {
        let mut parts = Vec::new();
        let mut used = 0;
        loop {
            let Token::Word(word) = &tokens.get(used)?.token else {
                return None;
            };
            parts.push(normalise(&word.value, word.quote_style.is_some()));
            used += 1;
            if tokens.get(used).is_none_or(|t| t.token != Token::Period) {
                break;
            }
            used += 1;
        }
        from_parts(parts).map(|name| (name, used))
    }

    /// Whether two names can denote the same table: equal table names, and
    /// equal schemas unless one is unqualified (resolved by the search path,
    /// which we do not know, so it matches any schema).
    pub fn matches(&self, other: &TableName) -> bool {
        self.name == other.name
            && match (&self.schema, &other.schema) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }

    /// This name, placed in the schema of `other` when it has none (the target
    /// of `ALTER TABLE s.t RENAME TO u` stays in `s`).
    pub fn in_schema_of(mut self, other: &TableName) -> TableName {
        if self.schema.is_none() {
            self.schema.clone_from(&other.schema);
        }
        self
    }
}

impl fmt::Display for TableName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.schema {
            Some(schema) => write!(f, "{schema}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

fn normalise(value: &str, quoted: bool) -> String {
    if quoted {
        truncate_identifier(value)
    } else {
        truncate_identifier(&value.to_lowercase())
    }
}

fn from_parts(mut parts: Vec<String>) -> Option<TableName> {
    let name = parts.pop()?;
    let schema = parts.pop();
    Some(TableName { schema, name })
}

/// The longest identifier PostgreSQL keeps (`NAMEDATALEN - 1` bytes).
pub(crate) const MAX_IDENTIFIER: usize = 63;

/// An identifier cut to 63 bytes at a character boundary, as PostgreSQL's
/// scanner cuts every identifier (quoted or not).
pub(crate) fn truncate_identifier(name: &str) -> String {
    clip(name, MAX_IDENTIFIER).to_owned()
}

/// The longest prefix of `text` that fits `bytes` without splitting a
/// character.
pub(crate) fn clip(text: &str, bytes: usize) -> &str {
    if text.len() <= bytes {
        return text;
    }
    let mut end = bytes;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

//! SQL052: a password, token or card number stored in a plain text column.

use backend_check_core::{declare_rule, Sink};

use crate::engine::{SetSchema, SqlRule};
use crate::schema::{Column, TableName};

declare_rule! {
    /// ## What it does
    /// Replays the whole migration set and finds text columns (`text`,
    /// `varchar`, `char`, `citext`, MySQL's `*text`) whose name says they hold a
    /// secret: a password or passphrase, a secret, a token, an API or private
    /// key, a social security number, a credit card number or an IBAN. Names
    /// that say the value is protected (`password_hash`, `token_digest`,
    /// `encrypted_secret`, `ciphertext`, `salt`) or only describe it
    /// (`token_type`, `card_last4`, `api_key_prefix`, `secret_name`) are not
    /// reported. The finding is where the column was added.
    ///
    /// ## Why is this bad?
    /// Anyone who reads the table, a backup, a replica or a log of a slow query
    /// gets working credentials or card data: every password, session or API
    /// token in the table can be used at once. Passwords and tokens only need
    /// to be compared, so a hash (a slow one for passwords, SHA-256 for random
    /// tokens) is enough; data that must be read back (2FA secrets, IBANs)
    /// should be encrypted by the application or with `pgcrypto`.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE api_clients (
    ///     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ///     api_key text NOT NULL UNIQUE
    /// );
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE api_clients (
    ///     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ///     api_key_sha256 bytea NOT NULL UNIQUE,
    ///     api_key_prefix text NOT NULL
    /// );
    /// ```
    ///
    /// ## Options
    /// None. Info by default: the name cannot tell whether the application
    /// hashes or encrypts the value before writing it (a `password` column
    /// often holds a bcrypt hash). A column that holds a hash or ciphertext
    /// under a plain name is best renamed; otherwise allow the finding with a
    /// reason. CSRF tokens and device push tokens are not reported.
    pub PlaintextSensitiveColumn {
        code: "SQL052",
        name: "plaintext-sensitive-column",
        checklist: SecSensitiveData,
        group: Pedantic,
        severity: Info,
        summary: "a column named like a password, token, key or card number is stored as plain text",
    }
}

/// Single name parts that name a secret.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "ssn",
    "iban",
];

/// Adjacent name parts that name a secret.
const SECRET_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("private", "key"),
    ("secret", "key"),
    ("access", "key"),
    ("credit", "card"),
    ("card", "number"),
    ("cc", "number"),
    ("social", "security"),
];

/// Name parts that say the value is protected or only describes the secret.
const SAFE_WORDS: &[&str] = &[
    "hash",
    "hashed",
    "digest",
    "encrypted",
    "enc",
    "crypt",
    "crypted",
    "cipher",
    "ciphertext",
    "salt",
    "hmac",
    "sha",
    "sha1",
    "sha256",
    "sha512",
    "bcrypt",
    "argon2",
    "scrypt",
    "pbkdf2",
    "type",
    "kind",
    "id",
    "ids",
    "uuid",
    "name",
    "hint",
    "policy",
    "prefix",
    "suffix",
    "last4",
    "last",
    "mask",
    "masked",
    "fingerprint",
    "url",
    "uri",
    "endpoint",
    "at",
    "expires",
    "expiry",
    "expiration",
    "version",
    "count",
    "length",
    "len",
    "required",
    "enabled",
    "set",
    "changed",
    "reset",
    "strength",
    "algorithm",
    "alg",
    "method",
    "path",
    "ref",
    "csrf",
    "xsrf",
    "push",
    "public",
];

const TEXT_TYPES: &[&str] = &[
    "text",
    "varchar",
    "character varying",
    "char",
    "character",
    "citext",
    "nvarchar",
    "nchar",
    "tinytext",
    "mediumtext",
    "longtext",
    "string",
    "clob",
];

impl SqlRule for PlaintextSensitiveColumn {
    /// Checks the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        for (name, table) in &schema.catalog.tables {
            if !table.created || table.materialized_view {
                continue;
            }
            for column in table.columns.iter().filter(|c| is_text(c)) {
                let Some(what) = secret_kind(&column.name) else {
                    continue;
                };
                let origin = &column.origin;
                let found = schema.diagnostic(
                    &PlaintextSensitiveColumn::META,
                    origin,
                    origin.span,
                    schema.in_names_of_the_time(
                        origin,
                        name,
                        Some(&column.name),
                        message(name, column, what),
                    ),
                );
                if let Some(d) = found {
                    sink.push(d.with_help(help(what)));
                }
            }
        }
    }
}

fn is_text(column: &Column) -> bool {
    let base = column
        .data_type
        .split('(')
        .next()
        .unwrap_or_default()
        .trim();
    TEXT_TYPES.contains(&base)
}

/// What secret the column name names, unless it also says it is protected.
fn secret_kind(column: &str) -> Option<&'static str> {
    let lower = column.to_ascii_lowercase();
    let parts: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.iter().any(|p| SAFE_WORDS.contains(p)) {
        return None;
    }
    let pair = parts.windows(2).find_map(|w| match w {
        [a, b] => SECRET_PAIRS
            .iter()
            .find(|(x, y)| a == x && b == y)
            .map(|(x, _)| *x),
        _ => None,
    });
    if let Some(first) = pair {
        return Some(match first {
            "credit" | "card" | "cc" => "card number",
            "social" => "social security number",
            _ => "key",
        });
    }
    let word = parts
        .iter()
        .find_map(|p| SECRET_WORDS.iter().find(|w| *w == p))?;
    Some(match *word {
        "passwd" | "passphrase" | "password" => "password",
        "apikey" => "key",
        "ssn" => "social security number",
        other => other,
    })
}

fn message(table: &TableName, column: &Column, what: &str) -> String {
    format!(
        "column \"{table}.{}\" is named like a {what} and typed {}, so it may hold it in clear",
        column.name, column.data_type
    )
}

fn help(what: &str) -> &'static str {
    match what {
        "password" => "store a slow salted hash (argon2, bcrypt, scrypt) and name the column `password_hash`",
        "token" | "key" => "store a SHA-256 hash of the value (compare hashes on lookup), or encrypt it if it must be read back",
        _ => "encrypt the value in the application (or with pgcrypto) and name the column after it, e.g. `iban_encrypted`",
    }
}

#[cfg(test)]
mod tests {
    use super::secret_kind;
    use crate::test_support::{at, Repo};

    #[test]
    fn names_are_classified() {
        assert_eq!(secret_kind("password"), Some("password"));
        assert_eq!(secret_kind("user_passwd"), Some("password"));
        assert_eq!(secret_kind("refresh_token"), Some("token"));
        assert_eq!(secret_kind("api_key"), Some("key"));
        assert_eq!(secret_kind("card_number"), Some("card number"));
        assert_eq!(secret_kind("totp_secret"), Some("secret"));
        assert_eq!(secret_kind("password_hash"), None);
        assert_eq!(secret_kind("token_type"), None);
        assert_eq!(secret_kind("encrypted_secret"), None);
        assert_eq!(secret_kind("api_key_prefix"), None);
        assert_eq!(secret_kind("tokens_used"), None);
        assert_eq!(secret_kind("keyword"), None);
    }

    #[test]
    fn text_columns_fire_at_their_name() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  password varchar(255),\n  password_hash text,\n  reset_token_expires_at timestamptz,\n  totp_secret bytea\n);\nALTER TABLE users ADD COLUMN api_key text;\n",
        );
        let found: Vec<_> = repo
            .findings_with(&["SQL052"], None)
            .into_iter()
            .filter(|f| f.0 == "SQL052")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL052", "migrations/1_a.sql", 3, 3),
                at("SQL052", "migrations/1_a.sql", 8, 30)
            ]
        );
    }
}

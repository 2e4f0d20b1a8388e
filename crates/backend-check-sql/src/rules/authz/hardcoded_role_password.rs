//! SQL058: a role's password written into a migration.

use backend_check_core::{declare_rule, Diagnostic, Sink};
use sqlparser::tokenizer::Token;

use crate::engine::SqlRule;
use crate::model::MigrationSet;
use crate::parse::{SqlToken, Statement};

declare_rule! {
    /// ## What it does
    /// Finds `CREATE` and `ALTER` `ROLE`, `USER` and `GROUP` statements that
    /// set a password from a string literal (`PASSWORD '…'`, MySQL
    /// `IDENTIFIED BY '…'`) in migrations. Empty strings, placeholders
    /// (`${DB_PASSWORD}`, `{{ password }}`) and pre-hashed `md5…` or `SCRAM-SHA-256$…`
    /// values are not reported. The message never shows the password.
    ///
    /// ## Why is this bad?
    /// The password is in the repository and its history, in every clone, CI
    /// log and container image that holds the migrations, and it is the same in
    /// every environment the migration runs in. Rotating it means a new
    /// migration, and the old one keeps the old password readable forever.
    ///
    /// ## Example
    /// ```sql
    /// CREATE ROLE reporting LOGIN PASSWORD 'Summer2024!';
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE ROLE reporting LOGIN;
    /// -- set the password out of band, e.g. from the deployment's secret store:
    /// -- psql -c "ALTER ROLE reporting PASSWORD '$REPORTING_PASSWORD'"
    /// ```
    ///
    /// ## Options
    /// None.
    pub HardcodedRolePassword {
        code: "SQL058",
        name: "hardcoded-role-password",
        checklist: SecSecrets,
        group: Suspicious,
        severity: Warning,
        summary: "a role or user is given a password written in the migration",
    }
}

impl SqlRule for HardcodedRolePassword {
    /// Checks the up and down scripts of a set.
    fn set(&self, set: &MigrationSet, sink: &mut Sink<'_>) {
        let scripts = set.migrations.iter().flat_map(|m| m.scripts());
        for script in scripts {
            for statement in &script.statements {
                let Some((role, literal)) = password_literal(statement) else {
                    continue;
                };
                sink.push(
                Diagnostic::new(
                    &HardcodedRolePassword::META,
                    &script.file,
                    literal.span,
                    format!("password of {role} is written in the migration ('{}')", mask(literal)),
                )
                .with_help("create the role without a password and set it from a secret store at deploy time"),
            );
            }
        }
    }
}

/// The role and the password literal of a `CREATE/ALTER ROLE|USER|GROUP`.
fn password_literal(statement: &Statement) -> Option<(String, &SqlToken)> {
    let tokens = &statement.tokens;
    let verb = tokens.first()?;
    let object = tokens.get(1)?;
    let is_role = (verb.is_word("CREATE") || verb.is_word("ALTER"))
        && (object.is_word("ROLE") || object.is_word("USER") || object.is_word("GROUP"));
    if !is_role {
        return None;
    }
    let role = match &tokens.get(2)?.token {
        Token::Word(w) => format!("role \"{}\"", w.value),
        Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => format!("user \"{s}\""),
        _ => "role".to_owned(),
    };
    let literal = tokens.windows(2).find_map(|w| match w {
        [key, value] if key.is_word("PASSWORD") || key.is_word("BY") => {
            matches!(&value.token, Token::SingleQuotedString(s) if is_real_password(s))
                .then_some(value)
        }
        _ => None,
    })?;
    Some((role, literal))
}

fn is_real_password(text: &str) -> bool {
    let hashed = text.starts_with("md5") && text.len() == 35 || text.starts_with("SCRAM-SHA-256$");
    let placeholder = text.contains("${") || text.contains("{{") || text.starts_with(':');
    !text.is_empty() && !hashed && !placeholder
}

/// The literal with everything but its first character hidden.
fn mask(literal: &SqlToken) -> String {
    let Token::SingleQuotedString(text) = &literal.token else {
        return "***".to_owned();
    };
    let first: String = text.chars().take(1).collect();
    format!("{first}***")
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn literal_passwords_fire_masked() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE ROLE app LOGIN PASSWORD 'hunter2';\nCREATE ROLE ro LOGIN;\nALTER ROLE app PASSWORD '${APP_PASSWORD}';\nALTER USER app WITH PASSWORD 'md5aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';\n",
        );
        let output = repo.run(&[], None);
        let found: Vec<_> = output
            .diagnostics
            .iter()
            .filter(|d| d.rule.code == "SQL058")
            .collect();
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "password of role \"app\" is written in the migration ('h***')"
        );
        assert_eq!(
            repo.findings(&[], None)
                .into_iter()
                .filter(|f| f.0 == "SQL058")
                .collect::<Vec<_>>(),
            [at("SQL058", "migrations/1_a.sql", 1, 32)]
        );
    }
}

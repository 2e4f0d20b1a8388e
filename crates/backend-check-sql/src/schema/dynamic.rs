//! DDL a migration runs through a helper function: `SELECT
//! trigger_updated_at('users')` where the function's body is `EXECUTE
//! format('CREATE TRIGGER … ON %s …', tablename)` (the sqlx template's
//! pattern). The statement exists only at run time, but its text is the
//! format string with the literal argument put in.

use sqlparser::ast::{
    self, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, SelectItem, SetExpr,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

use super::catalog::Catalog;
use super::TableName;
use crate::parse::Statement;

/// The format string of a one-parameter routine whose body runs `EXECUTE
/// format('…', param)` with that parameter, when `statement` creates one.
pub(super) fn template(statement: &Statement) -> Option<(String, String)> {
    let Ok(ast::Statement::CreateFunction(f)) = &statement.parsed else {
        return None;
    };
    let [param] = f.args.as_deref()? else {
        return None;
    };
    let param = param.name.as_ref()?.value.to_lowercase();
    let name = TableName::from_object(&f.name)?.name;
    statement.body.iter().find_map(|inner| {
        let words: Vec<&Token> = inner.tokens.iter().map(|t| &t.token).collect();
        match words.as_slice() {
            [Token::Word(execute), Token::Word(format), Token::LParen, Token::SingleQuotedString(text), Token::Comma, Token::Word(arg), Token::RParen]
                if execute.value.eq_ignore_ascii_case("EXECUTE")
                    && format.value.eq_ignore_ascii_case("format")
                    && arg.value.eq_ignore_ascii_case(&param) =>
            {
                Some((name.clone(), text.clone()))
            }
            _ => None,
        }
    })
}

impl Catalog {
    /// The statements `SELECT f('literal')` runs when `f` has a template.
    pub(super) fn run_time_ddl(&self, query: &ast::Query, at: &Statement) -> Vec<Statement> {
        let SetExpr::Select(select) = query.body.as_ref() else {
            return Vec::new();
        };
        if !select.from.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for item in &select.projection {
            let SelectItem::UnnamedExpr(Expr::Function(call)) = item else {
                continue;
            };
            let Some(name) = TableName::from_object(&call.name) else {
                continue;
            };
            let Some(template) = self.templates.get(&name.name) else {
                continue;
            };
            let FunctionArguments::List(list) = &call.args else {
                continue;
            };
            let [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(value)))] =
                list.args.as_slice()
            else {
                continue;
            };
            let ast::Value::SingleQuotedString(argument) = &value.value else {
                continue;
            };
            let text = template.replace("%s", argument).replace("%I", argument);
            let Ok(parsed) = Parser::parse_sql(&PostgreSqlDialect {}, &text) else {
                continue;
            };
            out.extend(parsed.into_iter().map(|parsed| Statement {
                span: at.span,
                tokens: Vec::new(),
                parsed: Ok(parsed),
                normalised: false,
                body: Vec::new(),
            }));
        }
        out
    }
}

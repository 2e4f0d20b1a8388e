//! The arguments of expression macros (`format!`, `tracing::info!`, `json!`,
//! `assert!`…), parsed leniently: the token body is split at top-level commas
//! and semicolons, field prefixes (`name = `, `"key": `) and `tracing`
//! sigils (`%`, `?`) are dropped, and each piece that parses as an expression
//! is kept. A braced or bracketed piece that is not an expression (a `json!`
//! object) is searched the same way. Anything else is skipped quietly.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use syn::{Expr, Macro};

const MAX_DEPTH: usize = 8;

/// The expressions found in a macro's arguments.
pub fn arguments(mac: &Macro) -> Vec<Expr> {
    let mut out = Vec::new();
    collect(mac.tokens.clone(), &mut out, 0);
    out
}

fn collect(tokens: TokenStream, out: &mut Vec<Expr>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for piece in split(tokens) {
        let piece = strip_prefix(&piece);
        if piece.is_empty() {
            continue;
        }
        let stream: TokenStream = piece.iter().cloned().collect();
        match syn::parse2::<Expr>(stream) {
            Ok(expr) => out.push(expr),
            Err(_) => {
                if let [TokenTree::Group(group)] = piece {
                    if group.delimiter() != Delimiter::None {
                        collect(group.stream(), out, depth + 1);
                    }
                }
            }
        }
    }
}

fn split(tokens: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut pieces = vec![Vec::new()];
    for token in tokens {
        let separator =
            matches!(&token, TokenTree::Punct(p) if p.as_char() == ',' || p.as_char() == ';');
        if separator {
            pieces.push(Vec::new());
        } else if let Some(piece) = pieces.last_mut() {
            piece.push(token);
        }
    }
    pieces
}

/// Drops `a.b = `, `key: `, `"key": ` and leading `%` / `?`.
fn strip_prefix(piece: &[TokenTree]) -> &[TokenTree] {
    let mut rest = piece;
    if let Some(after) = strip_assignment(rest).or_else(|| strip_key(rest)) {
        rest = after;
    }
    while let Some((TokenTree::Punct(p), after)) = rest.split_first() {
        if p.as_char() == '%' || p.as_char() == '?' {
            rest = after;
        } else {
            break;
        }
    }
    rest
}

/// `name = …` or `a.b.c = …` (a lone `=`, not `==` or `=>`).
fn strip_assignment(piece: &[TokenTree]) -> Option<&[TokenTree]> {
    let mut i = 0;
    loop {
        match piece.get(i)? {
            TokenTree::Ident(_) => i += 1,
            _ => return None,
        }
        match piece.get(i)? {
            TokenTree::Punct(p) if p.as_char() == '.' => i += 1,
            TokenTree::Punct(p) if p.as_char() == '=' && p.spacing() == Spacing::Alone => {
                return piece.get(i + 1..);
            }
            _ => return None,
        }
    }
}

/// `key: …` or `"key": …` (a lone `:`, not `::`).
fn strip_key(piece: &[TokenTree]) -> Option<&[TokenTree]> {
    match (piece.first()?, piece.get(1)?) {
        (TokenTree::Ident(_) | TokenTree::Literal(_), TokenTree::Punct(p))
            if p.as_char() == ':' && p.spacing() == Spacing::Alone =>
        {
            piece.get(2..)
        }
        _ => None,
    }
}

//! Route attributes of actix-web and Rocket: `#[get("/p")]`,
//! `#[post("/p", data = "<x>")]`, `#[route("/p", method = "GET")]`,
//! `#[route(GET, uri = "/p")]`, also written `#[actix_web::get("/")]` or
//! `#[rocket::get("/")]`.

use proc_macro2::{TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::{Attribute, Lit};

use super::{Framework, Method};
use crate::model::RouteAttr;
use crate::parse::SpanMap;

/// The framework a crate name belongs to, for crates with route attributes.
pub fn framework_of_crate(name: &str) -> Option<Framework> {
    match name {
        "actix_web" | "actix_web_codegen" => Some(Framework::ActixWeb),
        "rocket" | "rocket_codegen" => Some(Framework::Rocket),
        _ => None,
    }
}

/// The first route attribute among `attrs`, with the macro's name (`get`, `route`).
pub fn route_attr(attrs: &[Attribute], spans: &SpanMap<'_>) -> Option<(RouteAttr, String)> {
    attrs.iter().find_map(|a| parse_attr(a, spans))
}

/// One argument of a route attribute.
enum Arg {
    /// `"/path"`.
    Str(String),
    /// `GET` (Rocket's `route`).
    Ident(String),
    /// `key = "value"` or `key = Value`.
    Pair(String, String),
    /// Anything else.
    Other,
}

fn parse_attr(attr: &Attribute, spans: &SpanMap<'_>) -> Option<(RouteAttr, String)> {
    let segments: Vec<String> = attr
        .path()
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    if matches!(segments.as_slice(), [krate, name] if krate == "utoipa" && name == "path") {
        return utoipa_path(attr, spans);
    }
    let (explicit, name) = match segments.as_slice() {
        [name] => (None, name.clone()),
        [krate, name] => (Some(framework_of_crate(krate)?), name.clone()),
        _ => return None,
    };
    let list = attr.meta.require_list().ok()?;
    let args = parse_args(list.tokens.clone());
    let path = args.iter().find_map(|a| match a {
        Arg::Str(s) => Some(s.clone()),
        Arg::Pair(k, v) if k == "uri" || k == "path" => Some(v.clone()),
        _ => None,
    })?;
    let methods = match Method::from_lower(&name) {
        Some(method) => vec![method],
        None if name == "route" => route_methods(&args),
        None => return None,
    };
    if methods.is_empty() {
        return None;
    }
    let framework = explicit.or_else(|| framework_from_args(&args, &path));
    let attr = RouteAttr {
        methods,
        path: Some(path),
        framework,
        span: spans.span(attr.span()),
        needs_link: false,
    };
    Some((attr, name))
}

/// `#[utoipa::path(get, path = "/p", …)]` (utoipa-axum): the method idents
/// (also inside `method(get, head)`) and the path.
fn utoipa_path(attr: &Attribute, spans: &SpanMap<'_>) -> Option<(RouteAttr, String)> {
    let list = attr.meta.require_list().ok()?;
    let mut methods = Vec::new();
    let mut path = None;
    let mut tokens = list.tokens.clone().into_iter().peekable();
    let mut at_start = true;
    while let Some(token) = tokens.next() {
        match &token {
            TokenTree::Ident(ident) if at_start => {
                let name = ident.to_string();
                if name == "path" {
                    if let (Some(TokenTree::Punct(_)), Some(TokenTree::Literal(lit))) =
                        (tokens.next(), tokens.next())
                    {
                        path = string_value(&lit);
                    }
                } else if name == "method" {
                    if let Some(TokenTree::Group(group)) = tokens.peek() {
                        methods.extend(group.stream().into_iter().filter_map(|t| match t {
                            TokenTree::Ident(i) => Method::from_name(&i.to_string()),
                            _ => None,
                        }));
                    }
                } else if let Some(method) = Method::from_name(&name) {
                    methods.push(method);
                }
                at_start = false;
            }
            TokenTree::Punct(p) if p.as_char() == ',' => at_start = true,
            _ => at_start = false,
        }
    }
    if methods.is_empty() {
        return None;
    }
    let attr = RouteAttr {
        methods,
        path: Some(path?),
        framework: Some(Framework::Axum),
        span: spans.span(attr.span()),
        needs_link: true,
    };
    Some((attr, "path".to_owned()))
}

fn route_methods(args: &[Arg]) -> Vec<Method> {
    args.iter()
        .filter_map(|a| match a {
            Arg::Ident(m) => Method::from_name(m),
            Arg::Pair(k, v) if k == "method" => Method::from_name(v),
            _ => None,
        })
        .collect()
}

/// Guesses the framework from what only one of them accepts.
fn framework_from_args(args: &[Arg], path: &str) -> Option<Framework> {
    let rocket_keys = ["data", "format", "rank", "uri"];
    let actix_keys = ["guard", "wrap", "name"];
    for arg in args {
        match arg {
            Arg::Pair(k, _) if rocket_keys.contains(&k.as_str()) => return Some(Framework::Rocket),
            Arg::Pair(k, _) if actix_keys.contains(&k.as_str()) => {
                return Some(Framework::ActixWeb)
            }
            Arg::Ident(_) => return Some(Framework::Rocket),
            _ => {}
        }
    }
    if path.contains('<') {
        Some(Framework::Rocket)
    } else if path.contains('{') {
        Some(Framework::ActixWeb)
    } else {
        None
    }
}

fn parse_args(tokens: TokenStream) -> Vec<Arg> {
    let mut pieces: Vec<Vec<TokenTree>> = vec![Vec::new()];
    for token in tokens {
        match &token {
            TokenTree::Punct(p) if p.as_char() == ',' => pieces.push(Vec::new()),
            _ => {
                if let Some(piece) = pieces.last_mut() {
                    piece.push(token);
                }
            }
        }
    }
    pieces
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| parse_arg(p))
        .collect()
}

fn parse_arg(piece: &[TokenTree]) -> Arg {
    match piece {
        [TokenTree::Literal(lit)] => string_value(lit).map_or(Arg::Other, Arg::Str),
        [TokenTree::Ident(ident)] => Arg::Ident(ident.to_string()),
        [TokenTree::Ident(key), TokenTree::Punct(eq), value @ ..] if eq.as_char() == '=' => {
            let value = match value {
                [TokenTree::Literal(lit)] => string_value(lit),
                [.., TokenTree::Ident(ident)] => Some(ident.to_string()),
                _ => None,
            };
            value.map_or(Arg::Other, |v| Arg::Pair(key.to_string(), v))
        }
        _ => Arg::Other,
    }
}

fn string_value(lit: &proc_macro2::Literal) -> Option<String> {
    match Lit::new(lit.clone()) {
        Lit::Str(s) => Some(s.value()),
        _ => None,
    }
}

/// A `#[instrument]` / `#[tracing::instrument]` attribute: `skip_all` and the names in `skip(…)`.
pub fn instrument(attrs: &[Attribute], spans: &SpanMap<'_>) -> Option<crate::model::Instrument> {
    let attr = attrs.iter().find(|a| {
        a.path()
            .segments
            .last()
            .is_some_and(|s| s.ident == "instrument")
    })?;
    let mut found = crate::model::Instrument {
        span: spans.span(attr.span()),
        skip_all: false,
        skip: Vec::new(),
    };
    if let syn::Meta::List(list) = &attr.meta {
        let mut tokens = list.tokens.clone().into_iter().peekable();
        while let Some(token) = tokens.next() {
            let TokenTree::Ident(ident) = token else {
                continue;
            };
            if ident == "skip_all" {
                found.skip_all = true;
            } else if ident == "skip" {
                if let Some(TokenTree::Group(group)) = tokens.peek() {
                    found
                        .skip
                        .extend(group.stream().into_iter().filter_map(|t| match t {
                            TokenTree::Ident(i) => Some(i.to_string()),
                            _ => None,
                        }));
                }
            }
        }
    }
    Some(found)
}

//! Function parameters: the extractor type each one is taken as and the
//! bindings its pattern destructures into (`Json(body): Json<T>` binds `body`).

use syn::{FnArg, GenericArgument, Pat, PathArguments, Type};

use crate::model::Param;

/// The parameters of a signature (`self` left out).
pub fn params(sig: &syn::Signature) -> Vec<Param> {
    sig.inputs
        .iter()
        .filter_map(|arg| match arg {
            FnArg::Typed(t) => Some(param(&t.pat, &t.ty)),
            FnArg::Receiver(_) => None,
        })
        .collect()
}

/// The parameters of a closure (untyped ones have no extractor).
pub fn closure_params(closure: &syn::ExprClosure) -> Vec<Param> {
    closure
        .inputs
        .iter()
        .map(|pat| match pat {
            Pat::Type(t) => param(&t.pat, &t.ty),
            other => param(other, &Type::Verbatim(proc_macro2::TokenStream::new())),
        })
        .collect()
}

fn param(pat: &Pat, ty: &Type) -> Param {
    let (type_path, inner) = type_parts(ty);
    let mut bindings = Vec::new();
    bindings_of(pat, &mut bindings);
    Param {
        type_path,
        inner,
        bindings,
    }
}

/// The path of a type (`web::Json` for `web::Json<T>`) and the last segment of its first type argument.
fn type_parts(ty: &Type) -> (Vec<String>, Option<String>) {
    match ty {
        Type::Path(p) => {
            let segments = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            let inner = p
                .path
                .segments
                .last()
                .and_then(|s| first_type_arg(&s.arguments));
            (segments, inner)
        }
        Type::Reference(r) => type_parts(&r.elem),
        Type::Paren(p) => type_parts(&p.elem),
        Type::Group(g) => type_parts(&g.elem),
        _ => (Vec::new(), None),
    }
}

fn first_type_arg(args: &PathArguments) -> Option<String> {
    let PathArguments::AngleBracketed(a) = args else {
        return None;
    };
    a.args.iter().find_map(|arg| match arg {
        GenericArgument::Type(t) => {
            let (path, _) = type_parts(t);
            match t {
                Type::Tuple(_) => Some("()".to_owned()),
                _ => Some(path.join("::")),
            }
        }
        _ => None,
    })
}

/// Every identifier a pattern binds.
fn bindings_of(pat: &Pat, out: &mut Vec<String>) {
    match pat {
        Pat::Ident(i) => {
            out.push(i.ident.to_string());
            if let Some((_, sub)) = &i.subpat {
                bindings_of(sub, out);
            }
        }
        Pat::TupleStruct(t) => t.elems.iter().for_each(|p| bindings_of(p, out)),
        Pat::Tuple(t) => t.elems.iter().for_each(|p| bindings_of(p, out)),
        Pat::Struct(s) => s.fields.iter().for_each(|f| bindings_of(&f.pat, out)),
        Pat::Reference(r) => bindings_of(&r.pat, out),
        Pat::Paren(p) => bindings_of(&p.pat, out),
        Pat::Type(t) => bindings_of(&t.pat, out),
        Pat::Slice(s) => s.elems.iter().for_each(|p| bindings_of(p, out)),
        _ => {}
    }
}

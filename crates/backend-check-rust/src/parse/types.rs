//! Struct definitions: derives, serde container attributes and fields, for
//! the rules on request bodies (validation) and on serialized secrets.

use syn::visit::{self, Visit};
use syn::{Attribute, Fields, Meta, Type};

use super::attrs::is_test_item;
use super::SpanMap;
use crate::model::{FieldDef, StructDef};

/// The structs of a file outside test modules.
pub fn structs(ast: &syn::File, spans: &SpanMap<'_>) -> Vec<StructDef> {
    if super::attrs::is_cfg_test(&ast.attrs) {
        return Vec::new();
    }
    let mut v = StructVisitor {
        spans,
        out: Vec::new(),
    };
    v.visit_file(ast);
    v.out
}

struct StructVisitor<'s, 'a> {
    spans: &'s SpanMap<'a>,
    out: Vec<StructDef>,
}

impl<'ast> Visit<'ast> for StructVisitor<'_, '_> {
    fn visit_item_mod(&mut self, node: &'ast syn::ItemMod) {
        if !is_test_item(&node.attrs) {
            visit::visit_item_mod(self, node);
        }
    }

    fn visit_item_fn(&mut self, _: &'ast syn::ItemFn) {}

    fn visit_item_impl(&mut self, _: &'ast syn::ItemImpl) {}

    fn visit_item_struct(&mut self, node: &'ast syn::ItemStruct) {
        let fields = match &node.fields {
            Fields::Named(named) => named
                .named
                .iter()
                .filter_map(|f| {
                    let ident = f.ident.as_ref()?;
                    Some(FieldDef {
                        name: ident.to_string(),
                        span: self.spans.span(ident.span()),
                        type_name: type_name(&f.ty),
                        serde: serde_words(&f.attrs),
                    })
                })
                .collect(),
            _ => Vec::new(),
        };
        self.out.push(StructDef {
            name: node.ident.to_string(),
            name_span: self.spans.span(node.ident.span()),
            derives: derives(&node.attrs),
            serde: serde_words(&node.attrs),
            has_validate_attrs: node
                .fields
                .iter()
                .any(|f| f.attrs.iter().any(is_validation_attr)),
            fields,
        });
    }
}

/// The last segments of the traits in `#[derive(…)]` attributes.
fn derives(attrs: &[Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(last) = meta.path.segments.last() {
                out.push(last.ident.to_string());
            }
            Ok(())
        });
    }
    out
}

/// The words of `#[serde(…)]` attributes (`skip_serializing`, `try_from`…), as
/// identifiers before `=` or standing alone.
fn serde_words(attrs: &[Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        if let Meta::List(list) = &attr.meta {
            for token in list.tokens.clone() {
                if let proc_macro2::TokenTree::Ident(i) = token {
                    out.push(i.to_string());
                }
            }
        }
    }
    out
}

/// `#[validate(…)]` (validator) or `#[garde(…)]`.
fn is_validation_attr(attr: &Attribute) -> bool {
    attr.path().is_ident("validate") || attr.path().is_ident("garde")
}

/// The last segment of a type, through references and `Option<…>` / `Vec<…>` kept as is.
fn type_name(ty: &Type) -> String {
    match ty {
        Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        Type::Reference(r) => type_name(&r.elem),
        Type::Paren(p) => type_name(&p.elem),
        Type::Group(g) => type_name(&g.elem),
        _ => String::new(),
    }
}

use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::model::{child, SpecVersion};
use crate::rules::lookup::text_of;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds server URLs (3.x `servers[].url`) that end with a slash, and in
    /// Swagger 2.0 a `host` or a `basePath` (other than `/`) that does. A
    /// bare `/` server is fine.
    ///
    /// ## Why is this bad?
    /// Paths start with a slash, and clients build request URLs by appending the
    /// path to the server URL: `https://api.shop.io/v1/` + `/orders` gives
    /// `https://api.shop.io/v1//orders`, which many servers, gateways and
    /// signatures treat as another route.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   - url: https://api.shop.io/v1/
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// servers:
    ///   - url: https://api.shop.io/v1
    /// ```
    ///
    /// ## Options
    /// None.
    pub ServerTrailingSlash {
        code: "OAS047",
        name: "server-trailing-slash",
        checklist: ApiRestful,
        group: Pedantic,
        severity: Warning,
        summary: "a server URL, host or basePath that ends with a slash",
    }
}

impl ServerTrailingSlash {
    /// Reports server URLs that end with a slash.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        match cx.api.version {
            SpecVersion::Swagger2 => {
                for key in ["host", "basePath"] {
                    check_field(cx, sink, key);
                }
            }
            _ => {
                for server in &cx.api.servers {
                    if let Some(written) = crate::model::text_at(cx.docs, server.node) {
                        report_if_slashed(cx, sink, server.node, &written);
                    }
                }
            }
        }
    }
}

fn check_field(cx: &Context<'_>, sink: &mut Sink<'_>, key: &str) {
    let (Some(at), Some(text)) = (
        child(cx.docs, cx.api.root, key),
        text_of(cx, cx.api.root, key),
    ) else {
        return;
    };
    report_if_slashed(cx, sink, at, &text);
}

fn report_if_slashed(cx: &Context<'_>, sink: &mut Sink<'_>, at: At, url: &str) {
    let url = url.trim();
    if url.len() > 1 && url.ends_with('/') && !url.ends_with("://") {
        sink.push(
            cx.diagnostic(&ServerTrailingSlash::META, at, message(url))
                .with_help(help()),
        );
    }
}

fn message(url: &str) -> String {
    format!("server URL \"{url}\" ends with a slash")
}

fn help() -> &'static str {
    "remove the trailing slash; paths start with `/`, so clients would request `//path`"
}

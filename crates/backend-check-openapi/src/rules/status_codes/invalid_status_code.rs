use backend_check_core::{declare_rule, Sink};

use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds keys of `responses` that are not HTTP status codes: anything other
    /// than a three-digit code from `100` to `599`, a range `1XX` to `5XX`, or
    /// `default` (extensions `x-…` are allowed). Typical mistakes are `20O`,
    /// `2xx0`, `OK`, `200 OK` and codes like `600`.
    ///
    /// ## Why is this bad?
    /// Tools ignore or reject a response under a key they cannot read as a
    /// status, so its description and schema silently vanish from generated
    /// clients, mocks and documentation.
    ///
    /// ## Example
    /// ```yaml
    /// responses:
    ///   '200 OK':
    ///     description: the pet
    ///   '40X':
    ///     description: client error
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// responses:
    ///   '200':
    ///     description: the pet
    ///   4XX:
    ///     description: client error
    /// ```
    ///
    /// ## Options
    /// None.
    pub InvalidStatusCode {
        code: "OAS011",
        name: "invalid-status-code",
        checklist: ApiStatusCodes,
        group: Correctness,
        severity: Error,
        summary: "a `responses` key that is not an HTTP status code, a range like `4XX`, or `default`",
    }
}

impl InvalidStatusCode {
    /// Reports every response key that is no status.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        for (_, response) in cx.api.distinct_responses() {
            if !is_status_key(&response.status) {
                sink.push(
                    cx.diagnostic(&Self::META, response.key, message(&response.status))
                        .with_help(help()),
                );
            }
        }
    }
}

/// `100`–`599`, `1XX`–`5XX` (any case), or `default`.
pub fn is_status_key(key: &str) -> bool {
    if key == "default" {
        return true;
    }
    let bytes = key.as_bytes();
    let [class @ b'1'..=b'5', rest @ ..] = bytes else {
        return false;
    };
    let _ = class;
    rest.len() == 2 && (rest.iter().all(u8::is_ascii_digit) || rest.eq_ignore_ascii_case(b"XX"))
}

fn message(key: &str) -> String {
    format!("response key \"{key}\" is not an HTTP status code")
}

fn help() -> &'static str {
    "use a status code from 100 to 599, a range such as `4XX`, or `default`"
}

#[cfg(test)]
mod tests {
    use super::is_status_key;

    #[test]
    fn status_keys() {
        for key in ["200", "404", "599", "1XX", "4xx", "default", "101"] {
            assert!(is_status_key(key), "{key}");
        }
        for key in [
            "20O", "600", "099", "2000", "OK", "200 OK", "40X", "Default", "",
        ] {
            assert!(!is_status_key(key), "{key}");
        }
    }
}

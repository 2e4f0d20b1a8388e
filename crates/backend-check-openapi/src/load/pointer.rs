//! JSON pointers (RFC 6901), also in the URI fragment form `$ref` uses (`#/…`).

use std::borrow::Cow;

/// The unescaped reference tokens of a pointer. A leading `#` marks the URI
/// fragment form, whose tokens are percent-decoded first.
pub fn tokens(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> {
    let (fragment, rest) = match pointer.strip_prefix('#') {
        Some(rest) => (true, rest),
        None => (false, pointer),
    };
    rest.strip_prefix('/')
        .map(|body| body.split('/'))
        .into_iter()
        .flatten()
        .map(move |raw| {
            let decoded = if fragment {
                percent_decode(raw)
            } else {
                Cow::Borrowed(raw)
            };
            unescape(decoded)
        })
}

/// Escapes a key for use as one pointer token (`/` becomes `~1`, `~` becomes `~0`).
pub fn escape(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Joins keys into a pointer: `["paths", "/pets"]` becomes `/paths/~1pets`.
pub fn join<'k>(keys: impl IntoIterator<Item = &'k str>) -> String {
    let mut out = String::new();
    for key in keys {
        out.push('/');
        out.push_str(&escape(key));
    }
    out
}

fn unescape(token: Cow<'_, str>) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        token
    }
}

pub(crate) fn percent_decode(raw: &str) -> Cow<'_, str> {
    if !raw.contains('%') {
        return Cow::Borrowed(raw);
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes.get(i + 1..i + 3).and_then(hex_byte);
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    match String::from_utf8(out) {
        Ok(text) => Cow::Owned(text),
        Err(_) => Cow::Borrowed(raw),
    }
}

fn hex_byte(pair: &[u8]) -> Option<u8> {
    let text = std::str::from_utf8(pair).ok()?;
    u8::from_str_radix(text, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(pointer: &str) -> Vec<String> {
        tokens(pointer).map(Cow::into_owned).collect()
    }

    #[test]
    fn splits_and_unescapes_tokens() {
        assert_eq!(
            all("/paths/~1pets~1{id}/get"),
            ["paths", "/pets/{id}", "get"]
        );
        assert_eq!(all("/a~01"), ["a~1"]);
        assert!(all("").is_empty());
        assert_eq!(all("/"), [""]);
    }

    #[test]
    fn fragment_form_is_percent_decoded() {
        assert_eq!(
            all("#/paths/~1pets~1%7Bid%7D/get"),
            ["paths", "/pets/{id}", "get"]
        );
        assert!(all("#").is_empty());
    }

    #[test]
    fn join_escapes_keys() {
        assert_eq!(join(["paths", "/a~b", "get"]), "/paths/~1a~0b/get");
    }
}

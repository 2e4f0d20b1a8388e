//! Fingerprints of findings that do not depend on line numbers, so they
//! survive edits elsewhere in the file (SARIF `partialFingerprints`, baselines).

use std::collections::HashMap;

use backend_check_core::Diagnostic;

/// 64-bit FNV-1a: stable across platforms and releases, unlike `DefaultHasher`.
fn fnv1a(bytes: &[u8], mut hash: u64) -> u64 {
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn normalized(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The content a fingerprint is made of: rule, file, and the whitespace-
/// normalised text of the line the finding starts on and of its span.
fn content_hash(d: &Diagnostic) -> u64 {
    let line = d.file.line_text(d.start().line - 1);
    let mut hash = FNV_OFFSET;
    for part in [
        d.rule.code,
        d.file.display_path(),
        &normalized(line),
        &normalized(d.snippet()),
    ] {
        hash = fnv1a(part.as_bytes(), hash);
        hash = fnv1a(&[0], hash);
    }
    hash
}

/// Fingerprints of `diagnostics` (sorted by position): the content hash plus
/// the ordinal among findings with the same content, as 16 hex digits and `:n`.
pub fn fingerprints(diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    diagnostics
        .iter()
        .map(|d| {
            let hash = content_hash(d);
            let ordinal = seen.entry(hash).or_insert(0);
            *ordinal += 1;
            format!("{hash:016x}:{ordinal}")
        })
        .collect()
}

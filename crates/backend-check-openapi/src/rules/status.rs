//! Status keys: which class a code is in (success, client error, error), and
//! the report of a status code that operations should list and do not.

use backend_check_core::{RuleMeta, Sink};

use crate::model::{Operation, Response};
use crate::rules::lookup::{document_key, responses_at};
use crate::rules::Context;

/// What a missing-status-code rule found: whether any operation writes the
/// code at all, and the operations that should and do not.
pub(crate) struct MissingCode<'a> {
    pub used: bool,
    pub offending: Vec<&'a Operation>,
}

impl MissingCode<'_> {
    /// Reports the offending operations: one finding on the document when no
    /// operation writes the code and several lack it, else one per operation.
    pub(crate) fn report(
        self,
        cx: &Context<'_>,
        sink: &mut Sink<'_>,
        rule: &'static RuleMeta,
        document_message: impl FnOnce(usize) -> String,
        message: impl Fn(&Operation) -> String,
        help: &str,
    ) {
        if !self.used && self.offending.len() > 1 {
            let text = document_message(self.offending.len());
            sink.push(cx.diagnostic(rule, document_key(cx), text).with_help(help));
            return;
        }
        for operation in self.offending {
            sink.push(
                cx.diagnostic(rule, responses_at(operation), message(operation))
                    .with_help(help),
            );
        }
    }
}

/// Whether a status key is a 4xx code or the `4XX` range.
pub(crate) fn is_client_error(status: &str) -> bool {
    status.len() == 3 && status.starts_with('4')
}

/// Whether a status key is a 4xx or 5xx code, a range of them, or `default`.
pub(crate) fn is_error(response: &Response) -> bool {
    let s = response.status.as_str();
    s == "default" || (s.len() == 3 && (s.starts_with('4') || s.starts_with('5')))
}

/// Whether an operation lists any client error (a 4xx code or `4XX`).
pub(crate) fn lists_client_errors(operation: &Operation) -> bool {
    operation
        .responses
        .iter()
        .any(|r| is_client_error(&r.status))
}

/// Whether a status key is a 2xx code or the `2XX` range.
pub(crate) fn is_success(status: &str) -> bool {
    status.len() == 3 && status.starts_with('2')
}

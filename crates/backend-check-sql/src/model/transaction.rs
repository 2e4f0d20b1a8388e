//! Whether the migration tool runs a script inside a transaction.

/// Whether the tool wraps a script in a transaction, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transaction {
    /// The tool runs the script inside one transaction.
    Wrapped,
    /// The tool runs the script outside a transaction because the script (or
    /// its metadata) asks for it; `why` names the switch.
    OptedOut {
        /// The switch, e.g. "`-- no-transaction`".
        why: &'static str,
    },
    /// The tool never wraps this script (golang-migrate, a loose file, a
    /// Flyway migration holding a non-transactional statement).
    Never {
        /// Why, in a few words.
        why: &'static str,
    },
}

impl Transaction {
    /// Whether the tool opens a transaction around the script.
    pub fn runner_wraps(self) -> bool {
        self == Transaction::Wrapped
    }

    /// A short description for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Transaction::Wrapped => "the migration tool runs this file in a transaction",
            Transaction::OptedOut { why } | Transaction::Never { why } => why,
        }
    }
}

//! Rule groups by confidence: how sure a rule is that its finding is a real
//! problem, and so whether it runs by default.

/// The confidence group of a rule (Clippy's lint groups are the model).
///
/// The default selection is [`Group::Correctness`] and [`Group::Suspicious`]:
/// findings the project's maintainers would accept. The other groups are
/// opt-in, by group name (`--select pedantic`), by code or by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// The input is wrong or will fail: an invalid spec, a migration the
    /// database rejects, a file that does not parse.
    Correctness,
    /// Very likely a real problem: security holes, locks and rewrites of live
    /// tables, code that breaks the running release.
    Suspicious,
    /// Advice that is right in general and often shrugged at in a given
    /// project: bounds on every input, descriptions, naming and path style,
    /// lock-timeout reminders, type preferences, architecture budgets.
    Pedantic,
    /// Rules still known to misfire; selected only by their own code or name,
    /// or by `nursery`.
    Nursery,
}

impl Group {
    /// Every group, most confident first.
    pub const ALL: [Group; 4] = [
        Group::Correctness,
        Group::Suspicious,
        Group::Pedantic,
        Group::Nursery,
    ];

    /// The name used in selectors, output and docs.
    pub const fn id(self) -> &'static str {
        match self {
            Group::Correctness => "correctness",
            Group::Suspicious => "suspicious",
            Group::Pedantic => "pedantic",
            Group::Nursery => "nursery",
        }
    }

    /// Whether the group's rules run when nothing is selected explicitly.
    pub const fn is_default(self) -> bool {
        matches!(self, Group::Correctness | Group::Suspicious)
    }

    /// One line saying what the group holds.
    pub const fn description(self) -> &'static str {
        match self {
            Group::Correctness => "the input is wrong or will fail: an invalid spec, a migration the database rejects, a down that cannot run",
            Group::Suspicious => "very likely a real problem: security holes, locks and rewrites of live tables, changes that break the running release",
            Group::Pedantic => "advice, right in general and often shrugged at: bounds on every input, descriptions, naming and path style, lock_timeout reminders, type preferences, handler budgets",
            Group::Nursery => "rules still known to misfire; selected only by their own code or name, or by `nursery`",
        }
    }

    /// The group named `text` (case-insensitive).
    pub fn from_id(text: &str) -> Option<Group> {
        Group::ALL
            .into_iter()
            .find(|g| g.id().eq_ignore_ascii_case(text.trim()))
    }
}

impl std::fmt::Display for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_only_the_confident_groups_are_default() {
        for group in Group::ALL {
            assert_eq!(Group::from_id(group.id()), Some(group));
            assert_eq!(Group::from_id(&group.id().to_uppercase()), Some(group));
        }
        assert_eq!(Group::from_id("style"), None);
        let default: Vec<_> = Group::ALL.into_iter().filter(|g| g.is_default()).collect();
        assert_eq!(default, [Group::Correctness, Group::Suspicious]);
    }
}

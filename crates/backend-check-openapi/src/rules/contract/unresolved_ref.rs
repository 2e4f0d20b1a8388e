use backend_check_core::{declare_rule, Sink};

use crate::load::{FileId, FileTarget, RefSite};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds `$ref`s that lead nowhere: a JSON pointer that names no node
    /// (`#/components/schemas/Pett`), a relative file that does not exist or does
    /// not name the node its `#/fragment` points at, a file outside the repository
    /// root (refused, never read), and chains of references that loop back on
    /// themselves without ever reaching a schema (`A: {$ref: B}`, `B: {$ref: A}`).
    /// A cycle is reported once, at its first reference. Recursive schemas (a
    /// `Tree` whose `children` are `Tree`s) are fine and not reported. References
    /// are followed in every file they reach, in any depth, YAML or JSON; a finding
    /// in a referenced file points into that file and names the document it was
    /// reached from. Remote `http(s)://` references are the job of OAS003.
    ///
    /// ## Why is this bad?
    /// A broken reference is a hole in the contract. Code generators stop or
    /// silently produce `any`, validators accept whatever is sent, and the
    /// documentation shows an empty schema. Typos in component names and files
    /// moved without updating their references are the usual cause.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /pets:
    ///     get:
    ///       responses:
    ///         '200':
    ///           $ref: '#/components/responses/PetList'
    /// components:
    ///   responses:
    ///     PetsList:
    ///       description: the pets
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /pets:
    ///     get:
    ///       responses:
    ///         '200':
    ///           $ref: '#/components/responses/PetsList'
    /// components:
    ///   responses:
    ///     PetsList:
    ///       description: the pets
    /// ```
    ///
    /// ## Options
    /// None. References are resolved relative to the file they are written in and
    /// must stay inside the folder the tool runs in.
    pub UnresolvedRef {
        code: "OAS002",
        name: "unresolved-ref",
        checklist: ApiContract,
        group: Correctness,
        severity: Error,
        summary: "a `$ref` that names no node, a missing file, a file outside the repository, or a cycle",
    }
}

impl UnresolvedRef {
    /// Reports every broken reference of the document and its referenced files.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        for site in &cx.docs.refs {
            let Some(problem) = problem(cx, site) else {
                continue;
            };
            let mut diagnostic = cx
                .diagnostic(&Self::META, site.value, message(site, &problem, cx))
                .with_help(help(&problem));
            if site.value.file != FileId::ROOT {
                diagnostic = diagnostic.with_label(cx.docs.span(site.key), "referenced here");
            }
            sink.push(diagnostic);
        }
    }
}

/// What is wrong with one reference.
enum Problem {
    Missing(String),
    NoNode,
    OutsideRoot,
    Cycle(usize),
}

fn problem(cx: &Context<'_>, site: &RefSite) -> Option<Problem> {
    match &site.target {
        FileTarget::Remote | FileTarget::Unparsable => None,
        FileTarget::Missing(reason) => Some(Problem::Missing(reason.clone())),
        FileTarget::OutsideRoot => Some(Problem::OutsideRoot),
        FileTarget::Loaded(_) => {
            if cx.docs.target_of(site).is_none() {
                return Some(Problem::NoNode);
            }
            let cycle = cx.docs.cycle_from(site)?;
            let first = cycle.iter().min().copied();
            (first == Some(site.holder)).then_some(Problem::Cycle(cycle.len()))
        }
    }
}

fn message(site: &RefSite, problem: &Problem, cx: &Context<'_>) -> String {
    let text = &site.text;
    let origin = if site.value.file == FileId::ROOT {
        String::new()
    } else {
        format!(
            " (reached from {})",
            cx.docs.source(FileId::ROOT).display_path()
        )
    };
    match problem {
        Problem::Missing(reason) => {
            format!("`$ref` \"{text}\" names a file that cannot be read: {reason}{origin}")
        }
        Problem::NoNode => format!("`$ref` \"{text}\" names no node{origin}"),
        Problem::OutsideRoot => {
            format!("`$ref` \"{text}\" leads outside the repository and is not followed{origin}")
        }
        Problem::Cycle(n) => {
            format!("`$ref` \"{text}\" starts a cycle of {n} references that never reaches a definition{origin}")
        }
    }
}

fn help(problem: &Problem) -> &'static str {
    match problem {
        Problem::Missing(_) => "fix the file path; it is resolved relative to the file the `$ref` is written in",
        Problem::NoNode => "fix the pointer after `#` so it names an existing node (check the spelling and the `components` section)",
        Problem::OutsideRoot => "keep referenced files inside the repository, or vendor the shared definitions into it",
        Problem::Cycle(_) => "make one reference of the cycle point at a real definition instead of another `$ref`",
    }
}

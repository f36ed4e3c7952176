//! Running a ruleset over one document: each enabled rule's `given` paths are walked, each
//! `then` function runs on what they select, and every finding is located in the original file
//! (JSON pointer, line and column). Per rule, how many targets were checked and how many failed
//! is kept too: [`crate::score`] turns those counts into the score and kitemark.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use pac_jsonpath::{self as jsonpath, Refs, Segment};
use pac_spec::locate::Positions;
use pac_spec::pointer;
use serde::Serialize;
use serde_json::Value;

use crate::context::{Caches, Ctx};
use crate::format::Format;
use crate::functions::print_value;
use crate::ruleset::{Field, Rule, Ruleset, Severity, View};

/// One thing a rule found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// JSON pointer into the original document.
    pub pointer: String,
    /// 1-based, in the original root file, when it could be read.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// How one rule fared: the base of the score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleRun {
    pub rule: String,
    /// Targets the rule looked at.
    pub checked: usize,
    /// Targets with at least one finding.
    pub failed: usize,
}

/// Everything one lint produced.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub runs: Vec<RuleRun>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// A document to lint.
pub struct Target<'a> {
    /// The document the rules run on.
    pub document: &'a Value,
    pub format: Format,
    /// The original root file's text, for lines and columns.
    pub text: Option<&'a str>,
    /// Its positions, when they were read already (with the value, in one pass).
    pub positions: Option<&'a Positions>,
    /// Set when `document` is the 3.0 conversion of a Swagger 2.0 original, with the places the
    /// conversion moved: pointers are translated back to 2.0's shapes before they are located.
    pub converted_from_swagger2: Option<&'a [(String, String)]>,
}

/// Runs every enabled rule of `ruleset` that applies to the target's format.
pub fn lint(ruleset: &Ruleset, target: &Target<'_>) -> Report {
    let caches = Caches::default();
    let mut report = Report::default();
    let mut seen: HashSet<(String, String, String)> = HashSet::new();
    let mut raw: Vec<(Finding, Vec<Segment>)> = Vec::new();
    let mut selections: HashMap<(String, bool), Rc<Vec<jsonpath::Node<'_>>>> = HashMap::new();
    for rule in ruleset.enabled() {
        if !rule.applies_to(target.format, ruleset.formats.as_deref()) {
            continue;
        }
        let ctx = Ctx {
            root: target.document,
            follow: rule.resolved,
            format: target.format,
            caches: &caches,
        };
        let refs = if rule.resolved {
            Refs::Follow
        } else {
            Refs::Keep
        };
        let mut run = RuleRun {
            rule: rule.name.clone(),
            checked: 0,
            failed: 0,
        };
        for given in &rule.given {
            if let Some(formats) = &given.formats
                && !formats.iter().any(|f| target.format.matches(f))
            {
                continue;
            }
            // Rules often share a given (no-eval-in-markdown and no-script-tags-in-markdown):
            // each path is walked once per document and mode.
            let key = (given.path.as_str().to_owned(), rule.resolved);
            let nodes = match selections.get(&key) {
                Some(nodes) => Rc::clone(nodes),
                None => {
                    let nodes = Rc::new(given.path.select(target.document, refs));
                    selections.insert(key, Rc::clone(&nodes));
                    nodes
                }
            };
            for node in nodes.iter() {
                for then in &rule.then {
                    for (value, path) in lint_targets(&ctx, node, &then.field, refs) {
                        run.checked += 1;
                        let hits = then.function.run(&ctx, value.as_deref(), &path);
                        if !hits.is_empty() {
                            run.failed += 1;
                        }
                        for hit in hits {
                            let walked = hit.path.unwrap_or_else(|| path.to_vec());
                            let location = real_location(&ctx, &walked);
                            let pointer = jsonpath::pointer(&location);
                            let message = render_message(rule, &hit.message, &ctx, &location);
                            if seen.insert((rule.name.clone(), pointer.clone(), message.clone())) {
                                raw.push((
                                    Finding {
                                        rule: rule.name.clone(),
                                        severity: rule.severity,
                                        message,
                                        pointer,
                                        line: None,
                                        column: None,
                                    },
                                    location,
                                ));
                            }
                        }
                    }
                }
            }
        }
        report.runs.push(run);
    }
    locate(target, &mut raw);
    report.findings = raw.into_iter().map(|(f, _)| f).collect();
    report.findings.sort_by(|a, b| {
        (a.line, a.column, &a.rule, &a.pointer).cmp(&(b.line, b.column, &b.rule, &b.pointer))
    });
    report
}

/// A value a `then` looks at (None when the field is absent) and where it is.
type LintTarget<'d, 'n> = (Option<Cow<'d, Value>>, Cow<'n, [Segment]>);

/// The values a `then` looks at on one given node, with their paths (Spectral's getLintTargets).
fn lint_targets<'d, 'n>(
    ctx: &Ctx<'d>,
    node: &'n jsonpath::Node<'d>,
    field: &Field,
    refs: Refs,
) -> Vec<LintTarget<'d, 'n>> {
    let value: &'d Value = match &node.value {
        Cow::Borrowed(v) => ctx.deref(v),
        // A property name selected with `~` is a string: only it can be checked.
        Cow::Owned(v) => {
            return vec![(
                Some(Cow::Owned(v.clone())),
                Cow::Borrowed(node.location.as_slice()),
            )];
        }
    };
    let is_object = value.is_object() || value.is_array();
    match field {
        Field::Node => vec![(
            Some(Cow::Borrowed(value)),
            Cow::Borrowed(node.location.as_slice()),
        )],
        _ if !is_object => vec![(
            Some(Cow::Borrowed(value)),
            Cow::Borrowed(node.location.as_slice()),
        )],
        Field::Keys => match value {
            Value::Object(o) => o
                .keys()
                .map(|k| {
                    let mut p = node.location.clone();
                    p.push(Segment::Key(k.clone()));
                    (Some(Cow::Owned(Value::String(k.clone()))), Cow::Owned(p))
                })
                .collect(),
            _ => vec![(None, Cow::Borrowed(node.location.as_slice()))],
        },
        Field::Member(parts) => {
            let mut p = node.location.clone();
            let mut v = Some(value);
            for part in parts {
                let parent = v.map(|x| ctx.deref(x));
                v = parent.and_then(|x| match x {
                    Value::Object(o) => o.get(part),
                    Value::Array(a) => part.parse::<usize>().ok().and_then(|i| a.get(i)),
                    _ => None,
                });
                p.push(match (parent, part.parse::<usize>()) {
                    (Some(Value::Array(_)), Ok(i)) => Segment::Index(i),
                    _ => Segment::Key(part.clone()),
                });
            }
            vec![(v.map(Cow::Borrowed), Cow::Owned(p))]
        }
        Field::Path(path) => {
            let found = path.select_from(ctx.root, value, &node.location, refs);
            if found.is_empty() {
                return vec![(None, Cow::Borrowed(node.location.as_slice()))];
            }
            found
                .into_iter()
                .map(|n| (Some(n.value), Cow::Owned(n.location)))
                .collect()
        }
    }
}

/// Where a walked path really is: through every `$ref` on the way to its target, and cut
/// back to the deepest node that exists (Spectral's closest path).
fn real_location(ctx: &Ctx<'_>, walked: &[Segment]) -> Vec<Segment> {
    let mut location: Vec<Segment> = Vec::with_capacity(walked.len());
    let mut v = ctx.root;
    for s in walked {
        if ctx.follow
            && let Some(r) = v.get("$ref").and_then(Value::as_str)
            && !matches!(s, Segment::Key(k) if k == "$ref")
            && let Some(decoded) = pointer::local_target(r)
            && let Some(target) = pointer::get(ctx.root, &decoded)
        {
            v = target;
            location = decoded
                .split('/')
                .skip(1)
                .map(|seg| Segment::Key(pointer::unescape(seg).into_owned()))
                .collect();
            // Indexes in the target's pointer are array positions.
            fix_indexes(ctx.root, &mut location);
        }
        let next = match (s, v) {
            (Segment::Key(k), Value::Object(o)) => o.get(k),
            (Segment::Index(i), Value::Array(a)) => a.get(*i),
            (Segment::Key(k), Value::Array(a)) => k.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        };
        match next {
            Some(n) => {
                location.push(s.clone());
                v = n;
            }
            None => break,
        }
    }
    location
}

fn fix_indexes(root: &Value, location: &mut [Segment]) {
    let mut v = root;
    for s in location.iter_mut() {
        if let (Segment::Key(k), Value::Array(_)) = (&*s, v)
            && let Ok(i) = k.parse::<usize>()
        {
            *s = Segment::Index(i);
        }
        v = match (&*s, v) {
            (Segment::Key(k), Value::Object(o)) => match o.get(k) {
                Some(x) => x,
                None => return,
            },
            (Segment::Index(i), Value::Array(a)) => match a.get(*i) {
                Some(x) => x,
                None => return,
            },
            _ => return,
        };
    }
}

/// A rule's message with Spectral's placeholders filled.
fn render_message(
    rule: &Rule,
    function_message: &str,
    ctx: &Ctx<'_>,
    location: &[Segment],
) -> String {
    let property = match location.last() {
        Some(Segment::Key(k)) => k.clone(),
        Some(Segment::Index(i)) => i.to_string(),
        None => String::new(),
    };
    let value = ctx.get(location);
    let fill = |template: &str, error: &str| -> String {
        let printed_property = if property.is_empty() {
            String::new()
        } else {
            format!("\"{property}\" property ")
        };
        let printed_value = value.map(print_value).unwrap_or_default();
        template
            .replace("#{{print(\"property\")}}", &printed_property)
            .replace("#{{print(\"value\")}}", &printed_value)
            .replace("{{error}}", error)
            .replace("{{property}}", &property)
            .replace("{{path}}", &jsonpath::pointer(location))
            .replace("{{description}}", rule.description.as_deref().unwrap_or(""))
            .replace(
                "{{value}}",
                &value
                    .map(|v| match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .unwrap_or_default(),
            )
    };
    let error = fill(function_message, "");
    match &rule.message {
        Some(m) => fill(m, &error).trim().to_owned(),
        None => rule.description.clone().unwrap_or(error).trim().to_owned(),
    }
}

/// Lines and columns for the findings, in the original root file.
fn locate(target: &Target<'_>, findings: &mut [(Finding, Vec<Segment>)]) {
    if findings.is_empty() {
        return;
    }
    let indexed;
    let positions = match target.positions {
        Some(p) => p,
        None => match target.text.and_then(Positions::index) {
            Some(p) => {
                indexed = p;
                &indexed
            }
            None => return,
        },
    };
    for (f, _) in findings.iter_mut() {
        if let Some(moves) = target.converted_from_swagger2 {
            f.pointer = pac_spec::swagger2::original_pointer(&f.pointer, moves);
        }
        let (line, column) = positions.nearest(&f.pointer);
        f.line = Some(line);
        f.column = Some(column);
    }
}

/// Lints a loaded description with `ruleset`, choosing the view the ruleset asks for.
pub fn lint_description(
    ruleset: &Ruleset,
    desc: &pac_spec::Description,
    limits: &pac_spec::Limits,
) -> Result<Report, pac_spec::SpecError> {
    let root = desc.files.first();
    let text = root.and_then(|f| std::str::from_utf8(&f.bytes).ok());
    match ruleset.view {
        View::Normalised => Ok(lint(
            ruleset,
            &Target {
                document: &desc.normalised,
                format: Format::of_normalised(desc.format),
                text,
                positions: None,
                converted_from_swagger2: (desc.format == pac_spec::SpecFormat::Swagger2)
                    .then_some(desc.swagger2_moves.as_slice()),
            },
        )),
        View::Original => {
            let original = match root {
                Some(f) => pac_spec::parse(&f.path, &f.bytes, limits)?.0,
                None => desc.normalised.clone(),
            };
            Ok(lint(
                ruleset,
                &Target {
                    document: &original,
                    format: Format::of(desc.format),
                    text,
                    positions: None,
                    converted_from_swagger2: None,
                },
            ))
        }
    }
}

/// Stack for lint threads: only touched pages are committed.
pub const LINT_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Lints a document as its author wrote it ([`pac_spec::input::original`]), for rulesets whose
/// view is the original.
pub fn lint_original(ruleset: &Ruleset, original: &pac_spec::input::Original) -> Report {
    lint(
        ruleset,
        &Target {
            document: &original.value,
            format: Format::of(original.format),
            text: Some(&original.text),
            positions: original.positions.as_ref(),
            converted_from_swagger2: None,
        },
    )
}

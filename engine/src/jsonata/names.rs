//! The field names an expression reads from its context item at the top
//! level: Step Functions refuses them, since its expressions have no context
//! item (`phone` instead of `$states.input.phone`).

use super::parse::{Ast, AstKind};

/// The names read at the top level of `ast`, in order of appearance.
pub(crate) fn top_level_names(ast: &Ast) -> Vec<String> {
    let mut out = Vec::new();
    walk(ast, &mut out);
    out
}

fn walk(ast: &Ast, out: &mut Vec<String>) {
    match &ast.kind {
        AstKind::Name(n) => out.push(n.clone()),
        // What follows a `.`, a predicate, a grouping or a sort term reads
        // the steps before it, not the top-level context.
        AstKind::Binary(".", lhs, _)
        | AstKind::Predicate(lhs, _)
        | AstKind::Group(lhs, _)
        | AstKind::Sort(lhs, _)
        | AstKind::Focus(lhs, _)
        | AstKind::Index(lhs, _) => walk(lhs, out),
        AstKind::Binary(_, l, r) | AstKind::Bind(l, r) | AstKind::Apply(l, r) => {
            walk(l, out);
            walk(r, out);
        }
        AstKind::Neg(inner) | AstKind::Lambda(_, _, inner) => walk(inner, out),
        AstKind::Array(items) | AstKind::Block(items) => items.iter().for_each(|i| walk(i, out)),
        AstKind::Object(pairs) => pairs.iter().for_each(|(k, v)| {
            walk(k, out);
            walk(v, out);
        }),
        AstKind::Condition(c, t, e) => {
            walk(c, out);
            walk(t, out);
            if let Some(e) = e {
                walk(e, out);
            }
        }
        AstKind::Call(f, args, _) => {
            walk(f, out);
            args.iter().for_each(|a| walk(a, out));
        }
        AstKind::Transform(a, b, c) => {
            walk(a, out);
            walk(b, out);
            if let Some(c) = c {
                walk(c, out);
            }
        }
        _ => {}
    }
}

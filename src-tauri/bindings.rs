//! Generates `ui/src/bindings.ts` (types and typed command wrappers) from the Rust definitions.
//! `cargo test -p leadbook-app bindings` fails when the checked-in file is stale;
//! `UPDATE_BINDINGS=1` rewrites it (`make bindings`).

use crate::data::DataTag;
use leadbook_core::{AppError, ErrorCode};
use std::any::TypeId;
use std::collections::HashSet;
use ts_rs::{TypeVisitor, TS};

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Collects the TypeScript declarations of every type the commands and events use, with
/// everything those types use in turn, once each and in the order first met.
pub struct TypeCollector {
    cfg: ts_rs::Config,
    seen: HashSet<TypeId>,
    decls: Vec<String>,
}

impl TypeCollector {
    fn new() -> Self {
        Self { cfg: ts_rs::Config::new().with_large_int("number"), seen: HashSet::new(), decls: Vec::new() }
    }

    /// `T`'s TypeScript name, declaring `T` and what it depends on.
    pub fn name<T: TS + 'static + ?Sized>(&mut self) -> String {
        self.visit::<T>();
        T::name(&self.cfg)
    }
}

impl TypeVisitor for TypeCollector {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        // Types with a declaration of their own (structs, enums) are declared; built-ins
        // (strings, numbers, Vec, Option, tuples) are only looked through.
        // By text too: serde_json's Value reaches here under more than one type id.
        if T::output_path().is_some() {
            let decl = T::decl(&self.cfg);
            if !self.decls.contains(&decl) {
                self.decls.push(decl);
            }
        }
        T::visit_dependencies(self);
        T::visit_generics(self);
    }
}

fn doc_comment(docs: &str, indent: &str) -> String {
    let lines: Vec<&str> = docs.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    match lines.as_slice() {
        [] => String::new(),
        [one] => format!("{indent}/** {one} */\n"),
        many => format!("{indent}/**\n{}{indent} */\n", many.iter().map(|l| format!("{indent} * {l}\n")).collect::<String>()),
    }
}

fn tags(tags: &[DataTag]) -> String {
    let names: Vec<String> = tags.iter().map(|t| serde_json::to_string(t).unwrap_or_default()).collect();
    format!("[{}]", names.join(", "))
}

/// `Lead` of `type Lead = …` (after any doc comment).
fn decl_name(decl: &str) -> &str {
    decl.split("type ").nth(1).and_then(|rest| rest.split([' ', '<']).next()).unwrap_or(decl)
}

pub fn typescript() -> String {
    let mut types = TypeCollector::new();
    // Errors and data tags are part of every call even where no signature names them.
    types.name::<ErrorCode>();
    types.name::<AppError>();
    types.name::<DataTag>();
    let commands = crate::commands::describe(&mut types);
    let events = crate::events::describe(&mut types);

    let mut out = String::from(
        "// Generated from the Rust command, event and type definitions by `cargo test -p leadbook-app bindings`.\n\
         // Do not edit by hand: change the Rust side and run `make bindings`.\n\
         import { invoke, Channel } from \"@tauri-apps/api/core\";\n",
    );
    // By name: the order dependencies are met in differs between builds of ts-rs's derive.
    let mut decls = types.decls.clone();
    decls.sort_by(|a, b| decl_name(a).cmp(decl_name(b)));
    for decl in &decls {
        out.push_str(&format!("\nexport {decl}\n"));
    }
    out.push_str(
        "\nlet onStale: (tags: DataTag[]) => void = () => {};\n\
         /** The data layer registers here: every command that succeeds reports the data it made stale. */\n\
         export function setStaleListener(listener: (tags: DataTag[]) => void) {\n  onStale = listener;\n}\n\
         \nasync function call<T>(name: string, args: Record<string, unknown>, stales: DataTag[]): Promise<T> {\n\
         \x20 const result = await invoke<T>(name, args);\n\
         \x20 if (stales.length > 0) onStale(stales);\n\
         \x20 return result;\n}\n",
    );
    out.push_str("\nexport const commands = {\n");
    for c in &commands {
        let mut params = Vec::new();
        let mut keys = Vec::new();
        if let Some((arg, ty)) = &c.request {
            params.push(format!("{}: {ty}", camel(arg)));
            keys.push(camel(arg));
        }
        if let Some((arg, ty)) = &c.stream {
            params.push(format!("{}: Channel<{ty}>", camel(arg)));
            keys.push(camel(arg));
        }
        let payload = if keys.is_empty() { "{}".to_owned() } else { format!("{{ {} }}", keys.join(", ")) };
        out.push_str(&doc_comment(c.docs, "  "));
        out.push_str(&format!(
            "  {}: ({}) => call<{}>(\"{}\", {payload}, {}),\n",
            camel(c.name),
            params.join(", "),
            c.returns,
            c.name,
            tags(c.stales)
        ));
    }
    out.push_str("};\n\nexport type CommandName = keyof typeof commands;\n");
    out.push_str("\n/** The data each command reads: a cached result goes stale when one of these changes. */\n");
    out.push_str("export const commandReads: Record<CommandName, DataTag[]> = {\n");
    for c in &commands {
        out.push_str(&format!("  {}: {},\n", camel(c.name), tags(c.reads)));
    }
    out.push_str("};\n");
    out.push_str("\n/** Events the app emits to the window: name → payload type. */\nexport type AppEvents = {\n");
    for (name, docs, payload) in &events {
        out.push_str(&doc_comment(docs, "  "));
        out.push_str(&format!("  \"{name}\": {payload};\n"));
    }
    out.push_str("};\n");
    out
}

#[cfg(test)]
mod tests {
    use super::{typescript, TypeCollector};
    use std::collections::HashSet;
    use std::path::Path;

    #[test]
    fn every_command_is_declared_once_named_domain_first_and_routed_to_its_domain() {
        let commands = crate::commands::describe(&mut TypeCollector::new());
        let mut names = HashSet::new();
        for c in &commands {
            assert!(names.insert(c.name), "{} is declared twice", c.name);
            let routed: Vec<_> = crate::commands::DOMAINS.iter().filter(|d| (d.handles)(c.name)).collect();
            assert_eq!(routed.len(), 1, "{} must be handled by exactly one domain", c.name);
            // `lead_create`, `segment_delete`, `rule_delete`: the domain first, then the verb.
            let verbs = ["create", "update", "delete", "list", "get", "add", "remove", "set"];
            let first = c.name.split('_').next().unwrap_or_default();
            assert!(!verbs.contains(&first), "{} starts with a verb: name it domain_verb", c.name);
        }
        assert!(commands.len() > 60, "all commands are described ({})", commands.len());
    }

    #[test]
    fn bindings_are_fresh() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings.ts");
        let generated = typescript();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &generated).unwrap();
            return;
        }
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            checked_in == generated,
            "ui/src/bindings.ts is stale: run `make bindings` (UPDATE_BINDINGS=1 cargo test -p leadbook-app bindings) and commit it"
        );
    }
}

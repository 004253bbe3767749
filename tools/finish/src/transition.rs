//! Before wasm-bindgen (`callcard-finish --no-transitions <module>…`, run by `make build` on the
//! modules cargo linked): reactive_graph's `AsyncTransition::register` emptied in a module that
//! cannot start a transition.
//!
//! Every load of a Leptos resource calls `register`, which hands the load's notice to the
//! transition in progress, if any, through a `std::sync::mpsc` channel. Only
//! `AsyncTransition::run` starts one (Leptos' router does, the widget does not), so in a module
//! without `run` there is never a transition and `register` only drops the notice. But the
//! compiler cannot know that, and kept the channel's code and what it brings: `std::thread`
//! (whose handles std allocates from its own `dlmalloc`, the call card's allocator being another).
//! Emptied, the rest is unreachable and wasm-opt removes it: the call card's module is 3.2 KB
//! brotli smaller (README, "Bundle budget"). The notice then stays undropped, a few bytes that
//! the card's allocator would not give back anyway; its sender's `send` succeeds instead of
//! failing, and reactive_graph ignores which.
//!
//! A module that has `run` (any function named after it: the function or its async body) is
//! refused, and the build fails: a transition must then be able to register.

use crate::rewrite::Contents;

/// The end of the mangled (v0) name of `reactive_graph::transition::AsyncTransition::register`.
const REGISTER: &str = "15AsyncTransition8register";
/// What every function named after `AsyncTransition::run` has in its mangled name.
const RUN: &str = "15AsyncTransition3run";

/// `module` (as cargo linked it, with its names) with `register` emptied; unchanged when it
/// has no `register` or it was emptied already (`make build` runs again on a module cargo did
/// not relink); an error when the module has `run`, has no names, or cannot be read.
pub fn without_transitions(module: &[u8]) -> Result<Vec<u8>, String> {
    let contents = Contents::read(module)?;
    let names = &contents.function_names;
    if let Some((_, name)) = names.iter().find(|(_, name)| name.contains(RUN)) {
        return Err(format!("the module can start a transition ({name}): `AsyncTransition::register` must stay"));
    }
    if names.is_empty() {
        return Err("the module names no function: which is `register` cannot be told".into());
    }
    let registers: Vec<u32> = names.iter().filter(|(_, name)| name.ends_with(REGISTER)).map(|(index, _)| *index).collect();
    match registers.as_slice() {
        // A module that loads no resource (the app's own page) has none to empty.
        [] => Ok(module.to_vec()),
        [register] => contents.with_empty_body(*register),
        more => Err(format!("{} functions are named `AsyncTransition::register`", more.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{CodeSection, CustomSection, Function, FunctionSection, ImportSection, Instruction, Module, NameMap, NameSection, TypeSection};

    /// A module of one imported function and three defined ones, named `names`, each calling
    /// the import; with a custom section after the code, as cargo's modules have.
    fn module(names: [&str; 3]) -> Vec<u8> {
        let mut module = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([wasm_encoder::ValType::I32], []);
        module.section(&types);
        let mut imports = ImportSection::new();
        imports.import("env", "imported", wasm_encoder::EntityType::Function(0));
        module.section(&imports);
        let mut functions = FunctionSection::new();
        let mut code = CodeSection::new();
        for _ in names {
            functions.function(0);
            let mut body = Function::new([(1, wasm_encoder::ValType::I32)]);
            body.instruction(&Instruction::LocalGet(0)).instruction(&Instruction::Call(0)).instruction(&Instruction::End);
            code.function(&body);
        }
        module.section(&functions);
        module.section(&code);
        let mut map = NameMap::new();
        map.append(0, "imported");
        for (index, name) in (1..).zip(names) {
            map.append(index, name);
        }
        let mut section = NameSection::new();
        section.functions(&map);
        module.section(&section);
        module.section(&CustomSection { name: "after".into(), data: b"kept".as_slice().into() });
        module.finish()
    }

    const REGISTER_NAME: &str = "_RNvMNtCs3WXPQ5ACDCv_14reactive_graph10transitionNtB2_15AsyncTransition8register";

    /// The defined functions' bodies, as written.
    fn bodies(module: &[u8]) -> Vec<Vec<u8>> {
        wasmparser::Parser::new(0)
            .parse_all(module)
            .filter_map(|p| match p.unwrap() {
                wasmparser::Payload::CodeSectionEntry(body) => Some(body.as_bytes().to_vec()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn register_is_emptied_and_the_rest_kept() {
        let before = module(["first", REGISTER_NAME, "last"]);
        let after = without_transitions(&before).unwrap();
        let (old, new) = (bodies(&before), bodies(&after));
        assert_eq!(new[1], crate::rewrite::EMPTY_BODY);
        assert_eq!((&new[0], &new[2]), (&old[0], &old[2]));
        assert!(after.ends_with(b"kept"), "the sections after the code stay");
        // Again, on the module it made: the same bytes.
        assert_eq!(without_transitions(&after).unwrap(), after);
    }

    #[test]
    fn a_module_that_can_start_a_transition_is_refused_and_one_without_register_kept() {
        let run = "_RNCNvMNtCs3WXPQ5ACDCv_14reactive_graph10transitionNtB4_15AsyncTransition3run0B6_";
        assert!(without_transitions(&module(["first", REGISTER_NAME, run])).unwrap_err().contains("can start a transition"));
        let without = module(["first", "second", "last"]);
        assert_eq!(without_transitions(&without).unwrap(), without, "no resource, nothing to empty");
        assert!(without_transitions(b"\0asm\x01\0\0\0\x0a").is_err(), "a cut module");
    }
}

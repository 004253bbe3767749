//! The module rewritten in one pass: the imports and exports that `main` picks renamed, and the
//! functions laid out so that alike ones are neighbours.
//!
//! Brotli finds a repeat more cheaply the nearer it is, and the module is mostly functions that
//! differ in little: the same generic code for different types, views of the same shape. The
//! order binaryen leaves them in says nothing of that. Here every function is followed by the
//! remaining one most like it (the share of byte 4-grams their bodies have in common), starting
//! from the function whose body sorts first. The call card's module weighs about 2.6 KB less
//! brotli-11 so (README, "Bundle budget").
//!
//! Only the names and the order change: every function index (calls, `ref.func`, the table's
//! elements, the exports, the start) is renumbered to match, and every other byte is re-encoded
//! as it was read. Imported functions keep their indices, since they come first.

use std::collections::HashMap;
use wasm_encoder::reencode::{self, Reencode};

/// What the rewriting starts from, read in one pass: the names of the imports (every import,
/// in order) and of the exports, which `main` picks the renamed from; how many functions are
/// imported; each defined function's body (its locals and code) as it is written, which the
/// order is chosen from; and the functions' names with their indices, where the module names
/// them (cargo's modules do; `transition` finds functions by them).
pub struct Contents<'a> {
    module: &'a [u8],
    pub imports: Vec<String>,
    pub exports: Vec<String>,
    imported: u32,
    bodies: Vec<&'a [u8]>,
    pub function_names: Vec<(u32, String)>,
}

impl<'a> Contents<'a> {
    pub fn read(module: &'a [u8]) -> Result<Self, String> {
        let unreadable = |e: wasmparser::BinaryReaderError| format!("the module cannot be read: {e}");
        let mut contents = Contents { module, imports: Vec::new(), exports: Vec::new(), imported: 0, bodies: Vec::new(), function_names: Vec::new() };
        for payload in wasmparser::Parser::new(0).parse_all(module) {
            match payload.map_err(unreadable)? {
                wasmparser::Payload::ImportSection(imports) => {
                    for import in imports.into_imports() {
                        let import = import.map_err(unreadable)?;
                        contents.imports.push(import.name.to_string());
                        if matches!(import.ty, wasmparser::TypeRef::Func(_)) {
                            contents.imported += 1;
                        }
                    }
                }
                wasmparser::Payload::ExportSection(exports) => {
                    for export in exports {
                        contents.exports.push(export.map_err(unreadable)?.name.to_string());
                    }
                }
                wasmparser::Payload::CodeSectionEntry(body) => contents.bodies.push(body.as_bytes()),
                wasmparser::Payload::CustomSection(section) => {
                    if let wasmparser::KnownCustom::Name(subsections) = section.as_known() {
                        for subsection in subsections {
                            if let wasmparser::Name::Function(names) = subsection.map_err(unreadable)? {
                                for naming in names {
                                    let naming = naming.map_err(unreadable)?;
                                    contents.function_names.push((naming.index, naming.name.to_string()));
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(contents)
    }

    /// The module with the imports and exports `renames` names renamed and its functions laid
    /// out alike beside alike.
    pub fn rewrite(&self, renames: &HashMap<String, String>) -> Result<Vec<u8>, String> {
        let order = nearest_neighbour_order(&self.bodies);
        self.reencode(Rewritten::new(self.imported, &order, renames))
    }

    /// The module as it is but for the function of index `function`, whose body does nothing:
    /// no locals, no code (`transition`). An imported function has no body to empty.
    pub fn with_empty_body(&self, function: u32) -> Result<Vec<u8>, String> {
        let defined = function.checked_sub(self.imported).filter(|&d| (d as usize) < self.bodies.len());
        let defined = defined.ok_or_else(|| format!("function {function} has no body"))?;
        let order: Vec<usize> = (0..self.bodies.len()).collect();
        let no_renames = HashMap::new();
        let mut rewritten = Rewritten::new(self.imported, &order, &no_renames);
        rewritten.emptied = Some(defined as usize);
        self.reencode(rewritten)
    }

    /// The module as it is but for the 16-byte values `replaced` names: each is replaced by its
    /// own wherever it is, at every place in the data and in every `v128.const` (`type_ids`).
    pub fn with_replaced(&self, replaced: &HashMap<[u8; 16], [u8; 16]>) -> Result<Vec<u8>, String> {
        let order: Vec<usize> = (0..self.bodies.len()).collect();
        let no_renames = HashMap::new();
        let mut rewritten = Rewritten::new(self.imported, &order, &no_renames);
        rewritten.replaced = Some(replaced);
        self.reencode(rewritten)
    }

    fn reencode(&self, mut rewritten: Rewritten<'_>) -> Result<Vec<u8>, String> {
        let mut out = wasm_encoder::Module::new();
        reencode::utils::parse_core_module(&mut rewritten, &mut out, wasmparser::Parser::new(0), self.module)
            .map_err(|e| format!("the module cannot be re-encoded: {e}"))?;
        Ok(out.finish())
    }
}

/// The order of `bodies` (each function's new place → its place now): greedily, each next the
/// remaining one most like the last, by the Jaccard index of their sets of byte 4-grams; ties go
/// to the earlier function, so the order depends on the bytes alone.
fn nearest_neighbour_order(bodies: &[&[u8]]) -> Vec<usize> {
    let grams: Vec<Vec<u32>> = bodies.iter().map(|body| four_grams(body)).collect();
    let Some(first) = (0..bodies.len()).min_by_key(|&i| (bodies[i], i)) else { return Vec::new() };
    let mut left: Vec<usize> = (0..bodies.len()).filter(|&i| i != first).collect();
    let mut order = vec![first];
    let mut last = first;
    while !left.is_empty() {
        let mut best = 0;
        let mut best_likeness = -1.0;
        for (place, &candidate) in left.iter().enumerate() {
            let likeness = jaccard(&grams[last], &grams[candidate]);
            if likeness > best_likeness || (likeness == best_likeness && candidate < left[best]) {
                best = place;
                best_likeness = likeness;
            }
        }
        last = left.remove(best);
        order.push(last);
    }
    order
}

/// The distinct 4-byte windows of `body`, sorted.
fn four_grams(body: &[u8]) -> Vec<u32> {
    let mut grams: Vec<u32> = body.windows(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// How many of two sorted sets' members they share, over how many they have between them (with
/// one more below, so that two empty sets are not alike).
fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared as f64 / ((a.len() + b.len() - shared) as f64 + 1.0)
}

/// Re-encodes a module with its defined functions in `order` and the names in `renames` renamed.
struct Rewritten<'a> {
    imported: u32,
    order: &'a [usize],
    /// A defined function's new index, at its place among the defined functions now.
    new_index: Vec<u32>,
    renames: &'a HashMap<String, String>,
    /// The defined function (its place among them now) whose body is written empty.
    emptied: Option<usize>,
    /// 16-byte values written anew, each as its own, in the data and the `v128.const`s.
    replaced: Option<&'a HashMap<[u8; 16], [u8; 16]>>,
}

/// Where `part` starts in `bytes`, at every offset.
pub fn places(bytes: &[u8], part: &[u8]) -> Vec<usize> {
    if part.is_empty() || bytes.len() < part.len() {
        return Vec::new();
    }
    (0..=bytes.len() - part.len()).filter(|&i| &bytes[i..i + part.len()] == part).collect()
}

/// A function body of no locals and no code. It is valid for a function that returns nothing.
pub const EMPTY_BODY: &[u8] = &[0x00, 0x0b];

impl<'a> Rewritten<'a> {
    fn new(imported: u32, order: &'a [usize], renames: &'a HashMap<String, String>) -> Self {
        let mut new_index = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = imported + new as u32;
        }
        Rewritten { imported, order, new_index, renames, emptied: None, replaced: None }
    }

    /// What the module lists one per defined function (their types, their bodies), in the new
    /// order.
    fn in_order<T: Clone>(&self, listed: &[T]) -> Result<Vec<T>, reencode::Error<String>> {
        let mismatch = || reencode::Error::UserError("the function and code sections differ in length".to_string());
        self.order.iter().map(|&old| listed.get(old).cloned().ok_or_else(mismatch)).collect()
    }

    fn new_name<'n>(&'n self, name: &'n str) -> &'n str {
        self.renames.get(name).map_or(name, String::as_str)
    }
}

impl Reencode for Rewritten<'_> {
    type Error = String;

    fn function_index(&mut self, func: u32) -> Result<u32, reencode::Error<String>> {
        if func < self.imported {
            return Ok(func);
        }
        self.new_index.get((func - self.imported) as usize).copied().ok_or_else(|| reencode::Error::UserError(format!("function {func} is not in the module")))
    }

    fn parse_imports(&mut self, section: &mut wasm_encoder::ImportSection, imports: wasmparser::Imports<'_>) -> Result<(), reencode::Error<String>> {
        // One entry each, as wasm-bindgen writes them (the compact encodings share a name).
        let wasmparser::Imports::Single(_, import) = imports else {
            return Err(reencode::Error::UserError("imports in a compact encoding".to_string()));
        };
        let ty = self.entity_type(import.ty)?;
        section.import(import.module, self.new_name(import.name), ty);
        Ok(())
    }

    fn parse_export(&mut self, exports: &mut wasm_encoder::ExportSection, export: wasmparser::Export<'_>) -> Result<(), reencode::Error<String>> {
        let (kind, index) = (self.export_kind(export.kind)?, self.external_index(export.kind, export.index)?);
        exports.export(self.new_name(export.name), kind, index);
        Ok(())
    }

    fn parse_function_section(
        &mut self,
        functions: &mut wasm_encoder::FunctionSection,
        section: wasmparser::FunctionSectionReader<'_>,
    ) -> Result<(), reencode::Error<String>> {
        let types = section.into_iter().collect::<Result<Vec<u32>, _>>()?;
        for ty in self.in_order(&types)? {
            functions.function(self.type_index(ty)?);
        }
        Ok(())
    }

    fn instruction<'o>(&mut self, operator: wasmparser::Operator<'o>) -> Result<wasm_encoder::Instruction<'o>, reencode::Error<String>> {
        if let (wasmparser::Operator::V128Const { value }, Some(replaced)) = (&operator, self.replaced) {
            if let Some(new) = replaced.get(value.bytes()) {
                return Ok(wasm_encoder::Instruction::V128Const(i128::from_le_bytes(*new)));
            }
        }
        reencode::utils::instruction(self, operator)
    }

    fn parse_data(&mut self, section: &mut wasm_encoder::DataSection, datum: wasmparser::Data<'_>) -> Result<(), reencode::Error<String>> {
        let Some(replaced) = self.replaced else {
            return reencode::utils::parse_data(self, section, datum);
        };
        let mut bytes = datum.data.to_vec();
        for (old, new) in replaced {
            for at in places(&bytes, old) {
                bytes[at..at + 16].copy_from_slice(new);
            }
        }
        match datum.kind {
            wasmparser::DataKind::Active { memory_index, offset_expr } => {
                let offset = self.const_expr(offset_expr)?;
                section.active(self.memory_index(memory_index)?, &offset, bytes);
            }
            wasmparser::DataKind::Passive => {
                section.passive(bytes);
            }
        }
        Ok(())
    }

    fn parse_code_section(
        &mut self,
        code: &mut wasm_encoder::CodeSection,
        section: wasmparser::CodeSectionReader<'_>,
    ) -> Result<(), reencode::Error<String>> {
        let bodies = section.into_iter().collect::<Result<Vec<_>, _>>()?;
        for (&old, body) in self.order.iter().zip(self.in_order(&bodies)?) {
            if self.emptied == Some(old) {
                code.raw(EMPTY_BODY);
            } else {
                self.parse_function_body(code, body)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        CodeSection, EntityType, ExportKind, ExportSection, Function, FunctionSection, GlobalType, ImportSection, Instruction, MemoryType, Module, RefType, TableType, TypeSection, ValType,
    };

    /// A module importing one function and defining three: `a` and `c` return a constant, and
    /// `b` (exported as `b`) calls `c` and the import.
    fn module() -> Vec<u8> {
        let mut types = TypeSection::new();
        types.ty().function([], [ValType::I32]);
        types.ty().function([ValType::I32], []);
        let mut imports = ImportSection::new();
        imports.import("host", "log", wasm_encoder::EntityType::Function(1));
        let mut functions = FunctionSection::new();
        let mut code = CodeSection::new();
        let constant = |value: i32| {
            let mut f = Function::new([]);
            f.instruction(&Instruction::I32Const(value)).instruction(&Instruction::End);
            f
        };
        functions.function(0);
        code.function(&constant(1_000_000));
        functions.function(0);
        let mut b = Function::new([]);
        b.instruction(&Instruction::Call(3)).instruction(&Instruction::Call(0)).instruction(&Instruction::I32Const(7)).instruction(&Instruction::End);
        code.function(&b);
        functions.function(0);
        code.function(&constant(7));
        let mut exports = ExportSection::new();
        exports.export("b", ExportKind::Func, 2);
        let mut module = Module::new();
        module.section(&types).section(&imports).section(&functions).section(&exports).section(&code);
        module.finish()
    }

    #[test]
    fn the_order_follows_likeness_and_the_bytes_alone() {
        let bodies: [&[u8]; 4] = [b"\x00zzzzzzzz", b"\x00abcdefgh", b"\x01zzzzzzzy", b"\x00abcdefgi"];
        // From the body that sorts first, each next the one most like the last.
        assert_eq!(nearest_neighbour_order(&bodies), vec![1, 3, 0, 2]);
        assert_eq!(nearest_neighbour_order(&[]), Vec::<usize>::new());
    }

    #[test]
    fn in_its_own_order_the_module_comes_out_byte_for_byte() {
        let module = module();
        let contents = Contents::read(&module).unwrap();
        assert_eq!(contents.imported, 1);
        let order: Vec<usize> = (0..contents.bodies.len()).collect();
        let no_renames = HashMap::new();
        let mut same = Rewritten::new(contents.imported, &order, &no_renames);
        let mut out = Module::new();
        reencode::utils::parse_core_module(&mut same, &mut out, wasmparser::Parser::new(0), &module).unwrap();
        assert_eq!(out.finish(), module);
    }

    #[test]
    fn reordered_the_calls_and_exports_reach_the_same_code() {
        let module = module();
        let reordered = Contents::read(&module).unwrap().rewrite(&HashMap::new()).unwrap();
        let after = Contents::read(&reordered).unwrap();
        assert_eq!(after.imported, 1);
        // The two constants are now neighbours: `b`, which calls, comes first or last.
        let b_place = after.bodies.iter().position(|body| body.windows(2).any(|w| w == [0x10, 0x00])).unwrap();
        assert!(b_place == 0 || b_place == 2, "{b_place}");
        let b_index = 1 + b_place as u32;
        // The export names `b`'s new index.
        let mut exported = None;
        for payload in wasmparser::Parser::new(0).parse_all(&reordered) {
            if let wasmparser::Payload::ExportSection(exports) = payload.unwrap() {
                exported = exports.into_iter().next().map(|e| e.unwrap().index);
            }
        }
        assert_eq!(exported, Some(b_index));
        // `b` calls the constant 7 wherever it now is, and the import where it was.
        let body = wasmparser::FunctionBody::new(wasmparser::BinaryReader::new(after.bodies[b_place], 0));
        let called: Vec<u32> = body
            .get_operators_reader()
            .unwrap()
            .into_iter()
            .filter_map(|op| match op.unwrap() {
                wasmparser::Operator::Call { function_index } => Some(function_index),
                _ => None,
            })
            .collect();
        assert_eq!(called.len(), 2);
        assert_eq!(called[1], 0);
        let seven = after.bodies[called[0] as usize - 1];
        assert!(seven.windows(2).any(|w| w == [0x41, 0x07]), "{seven:?}");
    }

    /// A module importing a function, a table, a memory and a global, and exporting its memory
    /// and two functions, as wasm-bindgen names them.
    fn named_module() -> Vec<u8> {
        let mut types = TypeSection::new();
        types.ty().function([], []);
        let mut imports = ImportSection::new();
        imports.import("./callcard_bg.js", "__wbg_remove_8228e91d7ddbc755", EntityType::Function(0));
        let table = TableType { element_type: RefType::EXTERNREF, table64: false, minimum: 128, maximum: None, shared: false };
        imports.import("./callcard_bg.js", "table", EntityType::Table(table));
        let memory = MemoryType { minimum: 17, maximum: Some(65536), memory64: false, shared: false, page_size_log2: None };
        imports.import("./callcard_bg.js", "memory", EntityType::Memory(memory));
        imports.import("./callcard_bg.js", "global", EntityType::Global(GlobalType { val_type: ValType::I32, mutable: true, shared: false }));
        let mut functions = FunctionSection::new();
        let mut code = CodeSection::new();
        for _ in 0..2 {
            functions.function(0);
            let mut f = Function::new([]);
            f.instruction(&Instruction::End);
            code.function(&f);
        }
        let mut exports = ExportSection::new();
        exports.export("memory", ExportKind::Memory, 0).export("wasm_bindgen_55ec___invoke_true_", ExportKind::Func, 1).export("main", ExportKind::Func, 2);
        let mut module = Module::new();
        module.section(&types).section(&imports).section(&functions).section(&exports).section(&code);
        module.finish()
    }

    #[test]
    fn names_are_read_and_renamed_and_the_rest_is_kept() {
        let module = named_module();
        let found = Contents::read(&module).unwrap();
        assert_eq!(found.imports, ["__wbg_remove_8228e91d7ddbc755", "table", "memory", "global"]);
        assert_eq!(found.exports, ["memory", "wasm_bindgen_55ec___invoke_true_", "main"]);
        let renames: HashMap<String, String> =
            [("__wbg_remove_8228e91d7ddbc755", "$0"), ("wasm_bindgen_55ec___invoke_true_", "$1")].iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        let renamed = found.rewrite(&renames).unwrap();
        let again = Contents::read(&renamed).unwrap();
        assert_eq!(again.imports, ["$0", "table", "memory", "global"]);
        assert_eq!(again.exports, ["memory", "$1", "main"]);
        // Each name shorter by its length, and the import section's size now fits one byte (135
        // bytes before, 108 after); the rest as it was.
        assert_eq!(renamed.len(), module.len() - (29 - 2) - (32 - 2) - 1);
        // In its own order and renamed back, the module is the same bytes.
        let order = [0, 1];
        let back: HashMap<String, String> = renames.iter().map(|(a, b)| (b.clone(), a.clone())).collect();
        let mut renamer = Rewritten::new(1, &order, &back);
        let mut out = Module::new();
        reencode::utils::parse_core_module(&mut renamer, &mut out, wasmparser::Parser::new(0), &renamed).unwrap();
        assert_eq!(out.finish(), module);
    }

    #[test]
    fn what_is_not_a_module_is_refused() {
        assert!(Contents::read(b"not wasm").is_err());
        let mut cut = named_module();
        cut.truncate(cut.len() - 3);
        assert!(Contents::read(&cut).is_err());
    }
}

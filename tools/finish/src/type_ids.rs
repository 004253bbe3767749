//! Before wasm-bindgen (`callcard-finish --small-type-ids <module>…`, run by `make build` on the
//! modules cargo linked): the module's type ids written as small numbers instead of hashes.
//!
//! Leptos keeps its signals, stored values and contexts as `dyn Any` and finds them again by
//! `TypeId`, and an erased view compares the `TypeId`s of the old and the new view. A `TypeId` is
//! a 128-bit hash of its type, compiled in as 16 bytes that look random: in the call card's
//! module, 85 of them, in its data and written in its code (`v128.const`, compared 16 bytes at a
//! time), 1.3 KB brotli that cannot compress. Only their equality matters (and, for the
//! contexts' map, a hash of them, which any values serve), so each is given a number of its own,
//! 1, 2, 3…, written as 16 bytes like the hash it replaces.
//!
//! A type id is a 16-byte value that the code writes as a `v128.const` or loads whole from a
//! constant address (`v128.load` of `i32.const`), and whose bytes look like a hash (many
//! different bytes, several of them 128 or more: no text, no small numbers, no addresses). Each
//! such value is replaced wherever it is, the same way everywhere: every place in the data and
//! every `v128.const` (`rewrite::Contents::with_replaced`, the tool's one re-encoding); so ids
//! compare as they did, found or not. A value that could be used another way than whole is left
//! as it is, everywhere: half of it as an `i64.const` (the compiler may compare a type id 8 bytes
//! at a time), a quarter as an `i32.const`, or half of it in the data without the other half
//! beside it. Left alone, it still equals every copy of itself, whole or in parts.

use std::collections::{BTreeSet, HashMap};
use wasmparser::{DataKind, Operator, Payload};

use crate::rewrite::{places, Contents};

/// `module` with its type ids numbered, and how many were; unchanged (and 0) when it has none
/// that are only used whole, or they were numbered already (`make build` runs again on a module
/// cargo did not relink).
pub fn with_small_type_ids(module: &[u8]) -> Result<(Vec<u8>, usize), String> {
    let found = Found::read(module)?;
    let ids: BTreeSet<[u8; 16]> = found.wide.iter().filter(|v| looks_hashed(v) && found.used_whole(v)).copied().collect();
    if ids.is_empty() {
        return Ok((module.to_vec(), 0));
    }
    let numbers: HashMap<[u8; 16], [u8; 16]> = ids.iter().zip(1u128..).map(|(id, n)| (*id, n.to_le_bytes())).collect();
    Ok((Contents::read(module)?.with_replaced(&numbers)?, ids.len()))
}

/// Whether 16 bytes look like a hash: at least 12 different byte values, at least 4 of the bytes
/// 128 or more. Text (bytes below 128), small numbers and addresses (mostly zeros) do not.
fn looks_hashed(value: &[u8; 16]) -> bool {
    let distinct = value.iter().collect::<BTreeSet<_>>().len();
    let high = value.iter().filter(|b| **b >= 0x80).count();
    distinct >= 12 && high >= 4
}

/// What the module holds that a type id could be.
struct Found {
    /// Active data segments at constant addresses: (address, bytes).
    data: Vec<(u64, Vec<u8>)>,
    /// Every 16-byte value written as a `v128.const` or loaded whole from a constant address.
    wide: BTreeSet<[u8; 16]>,
    /// Every `i64.const` and `i32.const` value.
    narrow64: BTreeSet<i64>,
    narrow32: BTreeSet<i32>,
}

impl Found {
    fn read(module: &[u8]) -> Result<Found, String> {
        let unreadable = |e: wasmparser::BinaryReaderError| format!("the module cannot be read: {e}");
        let mut found = Found { data: Vec::new(), wide: BTreeSet::new(), narrow64: BTreeSet::new(), narrow32: BTreeSet::new() };
        let mut loads = Vec::new();
        for payload in wasmparser::Parser::new(0).parse_all(module) {
            match payload.map_err(unreadable)? {
                Payload::DataSection(section) => {
                    for datum in section {
                        let datum = datum.map_err(unreadable)?;
                        if let DataKind::Active { offset_expr, .. } = datum.kind {
                            let mut reader = offset_expr.get_operators_reader();
                            if let Ok(Operator::I32Const { value }) = reader.read() {
                                found.data.push((u64::from(value as u32), datum.data.to_vec()));
                            }
                        }
                    }
                }
                Payload::CodeSectionEntry(body) => {
                    let mut previous = None;
                    for operator in body.get_operators_reader().map_err(unreadable)? {
                        let operator = operator.map_err(unreadable)?;
                        match &operator {
                            Operator::V128Const { value } => {
                                found.wide.insert(*value.bytes());
                            }
                            Operator::V128Load { memarg } => {
                                if let Some(Operator::I32Const { value }) = previous {
                                    loads.push(u64::from(value as u32) + memarg.offset);
                                }
                            }
                            Operator::I64Const { value } => {
                                found.narrow64.insert(*value);
                            }
                            Operator::I32Const { value } => {
                                found.narrow32.insert(*value);
                            }
                            _ => {}
                        }
                        previous = Some(operator);
                    }
                }
                _ => {}
            }
        }
        for address in loads {
            if let Some(value) = found.at(address) {
                found.wide.insert(value);
            }
        }
        Ok(found)
    }

    /// The 16 bytes at `address`, when one data segment holds them all.
    fn at(&self, address: u64) -> Option<[u8; 16]> {
        self.data.iter().find_map(|(start, bytes)| {
            let from = usize::try_from(address.checked_sub(*start)?).ok()?;
            bytes.get(from..from.checked_add(16)?)?.try_into().ok()
        })
    }

    /// Whether no part of `id` is used alone (see the module's documentation).
    fn used_whole(&self, id: &[u8; 16]) -> bool {
        let whole_places = self.data.iter().map(|(_, bytes)| places(bytes, id).len()).sum::<usize>();
        let (low, high) = id.split_at(8);
        let halves_whole = [low, high].into_iter().all(|half| {
            let value = half.try_into().map(i64::from_le_bytes);
            let half_places = self.data.iter().map(|(_, bytes)| places(bytes, half).len()).sum::<usize>();
            value.is_ok_and(|v| !self.narrow64.contains(&v)) && half_places == whole_places
        });
        let quarters_whole = id.chunks(4).all(|quarter| quarter.try_into().map(i32::from_le_bytes).is_ok_and(|v| !self.narrow32.contains(&v)));
        halves_whole && quarters_whole
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{CodeSection, ConstExpr, DataSection, Function, FunctionSection, Instruction, MemArg, MemorySection, MemoryType, Module, TypeSection};

    const ID_A: [u8; 16] = [0x23, 0x65, 0x4e, 0x88, 0x88, 0xbd, 0xce, 0x8c, 0x60, 0xc9, 0xe7, 0x93, 0x2b, 0xb7, 0x3a, 0x83];
    const ID_B: [u8; 16] = [0x25, 0x56, 0xb1, 0x64, 0xb8, 0x24, 0x26, 0x98, 0xb6, 0xb0, 0x93, 0x5c, 0xb1, 0x44, 0x8f, 0xb7];
    /// 16 bytes of text: loaded whole, but no hash.
    const TEXT: &[u8; 16] = b"callcard.draft.x";

    /// A module whose data at 1024 holds ID_A, TEXT and ID_B (and ID_A once more at 2048); one
    /// function loads ID_A and TEXT from their addresses and compares them with ID_B, written as
    /// a `v128.const`; `extra` is added to its code.
    fn module(extra: &[Instruction<'static>]) -> Vec<u8> {
        let mut module = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], [wasm_encoder::ValType::I32]);
        module.section(&types);
        let mut functions = FunctionSection::new();
        functions.function(0);
        module.section(&functions);
        let mut memories = MemorySection::new();
        memories.memory(MemoryType { minimum: 1, maximum: None, memory64: false, shared: false, page_size_log2: None });
        module.section(&memories);
        let mut code = CodeSection::new();
        let mut body = Function::new([]);
        let whole = |offset: u64| MemArg { offset, align: 4, target: wasm_encoder::MemArgTarget::Memory(0), ordering: None };
        body.instruction(&Instruction::I32Const(0)).instruction(&Instruction::V128Load(whole(1024)));
        body.instruction(&Instruction::I32Const(1040)).instruction(&Instruction::V128Load(whole(0)));
        body.instruction(&Instruction::I8x16Eq);
        body.instruction(&Instruction::V128Const(i128::from_le_bytes(ID_B))).instruction(&Instruction::I8x16Eq);
        body.instruction(&Instruction::V128AnyTrue);
        for instruction in extra {
            body.instruction(instruction);
        }
        body.instruction(&Instruction::End);
        code.function(&body);
        module.section(&code);
        let mut data = DataSection::new();
        data.active(0, &ConstExpr::i32_const(1024), [ID_A.as_slice(), TEXT, &ID_B].concat());
        data.active(0, &ConstExpr::i32_const(2048), ID_A);
        module.section(&data);
        module.finish()
    }

    fn data_of(module: &[u8]) -> Vec<Vec<u8>> {
        Found::read(module).unwrap().data.into_iter().map(|(_, bytes)| bytes).collect()
    }

    #[test]
    fn every_place_of_a_type_id_gets_its_number_and_the_rest_is_kept() {
        let (numbered, count) = with_small_type_ids(&module(&[])).unwrap();
        assert_eq!(count, 2);
        // Numbered in the order of their bytes: ID_A (0x23…) before ID_B (0x25…).
        let (one, two) = (1u128.to_le_bytes(), 2u128.to_le_bytes());
        assert_eq!(data_of(&numbered), [[one.as_slice(), TEXT, &two].concat(), one.to_vec()]);
        let found = Found::read(&numbered).unwrap();
        assert!(found.wide.contains(&two), "the v128.const became ID_B's number");
        assert!(!found.wide.iter().any(looks_hashed));
        // Numbered already: nothing more to do.
        let (again, count) = with_small_type_ids(&numbered).unwrap();
        assert_eq!((again, count), (numbered, 0));
    }

    #[test]
    fn a_type_id_used_in_parts_is_left_as_it_is_everywhere() {
        let one = 1u128.to_le_bytes();
        // Half of ID_B compared as an i64.const: ID_B stays (in the data and its v128.const), ID_A
        // is numbered alone.
        let low = i64::from_le_bytes(ID_B[..8].try_into().unwrap());
        let (numbered, count) = with_small_type_ids(&module(&[Instruction::Drop, Instruction::I64Const(low), Instruction::Drop, Instruction::I32Const(0)])).unwrap();
        assert_eq!(count, 1);
        assert_eq!(data_of(&numbered), [[one.as_slice(), TEXT, &ID_B].concat(), one.to_vec()]);
        assert!(Found::read(&numbered).unwrap().wide.contains(&ID_B), "ID_B's v128.const is kept");
        // A quarter of ID_A as an i32.const: ID_A stays, ID_B alone is numbered (1).
        let quarter = i32::from_le_bytes(ID_A[12..].try_into().unwrap());
        let (numbered, count) = with_small_type_ids(&module(&[Instruction::Drop, Instruction::I32Const(quarter)])).unwrap();
        assert_eq!(count, 1);
        assert_eq!(data_of(&numbered), [[ID_A.as_slice(), TEXT, &one].concat(), ID_A.to_vec()]);
        // Half of ID_A in the data alone: ID_A stays.
        let found = Found::read(&module(&[])).unwrap();
        assert!(found.used_whole(&ID_A) && found.used_whole(&ID_B));
        let lone_half = Found { data: vec![(0, ID_A.to_vec()), (64, ID_A[8..].to_vec())], ..found };
        assert!(!lone_half.used_whole(&ID_A) && lone_half.used_whole(&ID_B));
    }

    #[test]
    fn only_hashes_look_hashed() {
        assert!(looks_hashed(&ID_A) && looks_hashed(&ID_B));
        assert!(!looks_hashed(TEXT));
        assert!(!looks_hashed(&7u128.to_le_bytes()));
        let address_and_length = [0x00, 0x10, 0x10, 0x00, 0x2a, 0, 0, 0, 0x90, 0x11, 0x10, 0x00, 0x03, 0, 0, 0];
        assert!(!looks_hashed(&address_and_length));
    }
}

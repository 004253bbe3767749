//! The module's side: the names of its imports and exports, read and rewritten in place. Every
//! other section is copied byte for byte (names are not referenced by index anywhere).
//!
//! The binary format: <https://webassembly.github.io/spec/core/binary/modules.html>.

use std::collections::HashMap;

/// The import section's id, and the export section's.
const IMPORTS: u8 = 2;
const EXPORTS: u8 = 7;

/// A module's import names (of every import, in order) and export names.
pub struct Names {
    pub imports: Vec<String>,
    pub exports: Vec<String>,
}

pub fn names(module: &[u8]) -> Result<Names, String> {
    let mut names = Names { imports: Vec::new(), exports: Vec::new() };
    for (id, body) in sections(module)? {
        match id {
            IMPORTS => names.imports = imports(body)?.into_iter().map(|i| i.name).collect(),
            EXPORTS => names.exports = exports(body)?.into_iter().map(|e| e.name).collect(),
            _ => {}
        }
    }
    Ok(names)
}

/// The module with the imports and exports `renames` names renamed.
pub fn rename(module: &[u8], renames: &HashMap<String, String>) -> Result<Vec<u8>, String> {
    let new_name = |name: String| renames.get(&name).cloned().unwrap_or(name);
    let mut out = module[..8].to_vec();
    for (id, body) in sections(module)? {
        let body = match id {
            IMPORTS => {
                let entries = imports(body)?;
                let mut b = leb(entries.len() as u64);
                for entry in entries {
                    b.extend(name_bytes(&entry.module));
                    b.extend(name_bytes(&new_name(entry.name)));
                    b.extend_from_slice(entry.desc);
                }
                b
            }
            EXPORTS => {
                let entries = exports(body)?;
                let mut b = leb(entries.len() as u64);
                for entry in entries {
                    b.extend(name_bytes(&new_name(entry.name)));
                    b.extend_from_slice(entry.desc);
                }
                b
            }
            _ => body.to_vec(),
        };
        out.push(id);
        out.extend(leb(body.len() as u64));
        out.extend(body);
    }
    Ok(out)
}

/// The sections after the magic number and version: id and body.
fn sections(module: &[u8]) -> Result<Vec<(u8, &[u8])>, String> {
    if module.len() < 8 || &module[..4] != b"\0asm" {
        return Err("not a wasm module".into());
    }
    let mut r = Reader { bytes: module, at: 8 };
    let mut found = Vec::new();
    while r.at < module.len() {
        let id = r.byte()?;
        let size = r.u32()? as usize;
        found.push((id, r.take(size)?));
    }
    Ok(found)
}

struct Import<'a> {
    module: String,
    name: String,
    /// What is imported (its kind and type), as written.
    desc: &'a [u8],
}

struct Export<'a> {
    name: String,
    /// Its kind and index, as written.
    desc: &'a [u8],
}

fn imports(body: &[u8]) -> Result<Vec<Import<'_>>, String> {
    let mut r = Reader { bytes: body, at: 0 };
    let count = r.u32()?;
    let mut entries = Vec::new();
    for _ in 0..count {
        let module = r.name()?;
        let name = r.name()?;
        let start = r.at;
        match r.byte()? {
            // A function (its type's index) or a tag (an attribute, then its type's index).
            0x00 => {
                r.u32()?;
            }
            0x04 => {
                r.byte()?;
                r.u32()?;
            }
            // A table: its element type, then limits.
            0x01 => {
                r.byte()?;
                r.limits()?;
            }
            0x02 => r.limits()?,
            // A global: its value type and mutability.
            0x03 => {
                r.byte()?;
                r.byte()?;
            }
            kind => return Err(format!("import {name}: unknown kind {kind}")),
        }
        entries.push(Import { module, name, desc: &body[start..r.at] });
    }
    Ok(entries)
}

fn exports(body: &[u8]) -> Result<Vec<Export<'_>>, String> {
    let mut r = Reader { bytes: body, at: 0 };
    let count = r.u32()?;
    let mut entries = Vec::new();
    for _ in 0..count {
        let name = r.name()?;
        let start = r.at;
        r.byte()?;
        r.u32()?;
        entries.push(Export { name, desc: &body[start..r.at] });
    }
    Ok(entries)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.bytes.get(self.at).ok_or("the module ends early")?;
        self.at += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or("the module ends early")?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    /// An unsigned LEB128 number.
    fn u32(&mut self) -> Result<u32, String> {
        let mut value: u64 = 0;
        for shift in (0..35).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return u32::try_from(value).map_err(|_| "a number is out of range".to_string());
            }
        }
        Err("a number is too long".into())
    }

    fn name(&mut self) -> Result<String, String> {
        let len = self.u32()? as usize;
        String::from_utf8(self.take(len)?.to_vec()).map_err(|_| "a name is not UTF-8".to_string())
    }

    /// A table's or memory's limits: flags, the minimum, the maximum when flagged. A 64-bit
    /// memory's are LEB128 numbers too, so they read the same.
    fn limits(&mut self) -> Result<(), String> {
        let flags = self.byte()?;
        self.long()?;
        if flags & 1 != 0 {
            self.long()?;
        }
        Ok(())
    }

    fn long(&mut self) -> Result<(), String> {
        while self.byte()? & 0x80 != 0 {}
        Ok(())
    }
}

fn leb(mut n: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
}

fn name_bytes(name: &str) -> Vec<u8> {
    let mut out = leb(name.len() as u64);
    out.extend_from_slice(name.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing a function, a table, a memory and a global, exporting two functions
    /// and its memory, with a code section after the exports to copy.
    fn module() -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        let section = |m: &mut Vec<u8>, id: u8, body: Vec<u8>| {
            m.push(id);
            m.extend(leb(body.len() as u64));
            m.extend(body);
        };
        section(&mut m, 1, vec![1, 0x60, 0, 0]);
        let mut imports = leb(4);
        for (name, desc) in [
            ("__wbg_remove_8228e91d7ddbc755", vec![0x00, 0]),
            ("table", vec![0x01, 0x6f, 0x00, 0x80, 0x01]),
            ("memory", vec![0x02, 0x01, 17, 0x80, 0x80, 0x04]),
            ("global", vec![0x03, 0x7f, 0x01]),
        ] {
            imports.extend(name_bytes("./callcard_bg.js"));
            imports.extend(name_bytes(name));
            imports.extend(desc);
        }
        section(&mut m, IMPORTS, imports);
        section(&mut m, 3, vec![2, 0, 0]);
        let mut exports = leb(3);
        for (name, desc) in [("memory", [0x02, 0]), ("wasm_bindgen_55ec___invoke_true_", [0x00, 1]), ("main", [0x00, 2])] {
            exports.extend(name_bytes(name));
            exports.extend(desc);
        }
        section(&mut m, EXPORTS, exports);
        section(&mut m, 10, vec![2, 2, 0, 0x0b, 2, 0, 0x0b]);
        m
    }

    #[test]
    fn names_are_read_and_renamed_and_the_rest_is_kept() {
        let m = module();
        let found = names(&m).unwrap();
        assert_eq!(found.imports, ["__wbg_remove_8228e91d7ddbc755", "table", "memory", "global"]);
        assert_eq!(found.exports, ["memory", "wasm_bindgen_55ec___invoke_true_", "main"]);
        let renames: HashMap<String, String> =
            [("__wbg_remove_8228e91d7ddbc755", "$0"), ("wasm_bindgen_55ec___invoke_true_", "$1")].iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        let renamed = rename(&m, &renames).unwrap();
        let again = names(&renamed).unwrap();
        assert_eq!(again.imports, ["$0", "table", "memory", "global"]);
        assert_eq!(again.exports, ["memory", "$1", "main"]);
        // Each name shorter by its length, and the import section's size now fits one byte (135
        // bytes before, 108 after).
        assert_eq!(renamed.len(), m.len() - (29 - 2) - (32 - 2) - 1);
        assert!(renamed.ends_with(&[10, 7, 2, 2, 0, 0x0b, 2, 0, 0x0b]), "the code section follows as it was");
        // Renamed back, the module is the same bytes.
        let back: HashMap<String, String> = renames.iter().map(|(a, b)| (b.clone(), a.clone())).collect();
        assert_eq!(rename(&renamed, &back).unwrap(), m);
    }

    #[test]
    fn what_is_not_a_module_is_refused() {
        assert!(names(b"not wasm").is_err());
        let mut cut = module();
        cut.truncate(cut.len() - 3);
        assert!(names(&cut).is_err());
    }
}

//! The release build's last step (a Trunk `post_build` hook): gives the functions that the JS
//! glue and the wasm module call each other by short names, in both files, lays the module's
//! functions out alike beside alike (`rewrite`), names both files after their final bytes, and
//! gives the page those names and integrity values, and its loader script the one thing it
//! does (`loader`).
//!
//! wasm-bindgen names each import after its function and a hash (`__wbg_remove_8228e91d7ddbc755`)
//! and each closure's export after its full Rust type, hundreds of characters. Every name is
//! written in both files, and the hashes do not compress: the call card's 169 names weigh about
//! 4 KB brotli across the two. Renamed `$0`, `$1`… they weigh next to nothing.
//!
//! Usage: `callcard-finish <folder>`, the folder holding one Trunk build's `index.html`,
//! its JS glue (`*.js`) and its module (`*_bg.wasm`). Before wasm-bindgen, `callcard-finish
//! --no-transitions <module>…` empties what a module without transitions never needs
//! (`transition`), and `callcard-finish --small-type-ids <module>…` numbers its type ids
//! (`type_ids`).

mod js;
mod rewrite;
mod transition;
mod type_ids;

use base64::Engine;
use sha2::{Digest, Sha384};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    if std::env::args_os().nth(1).is_some_and(|a| a == "--no-transitions") {
        return no_transitions(std::env::args_os().skip(2).map(PathBuf::from).collect());
    }
    if std::env::args_os().nth(1).is_some_and(|a| a == "--small-type-ids") {
        return small_type_ids(std::env::args_os().skip(2).map(PathBuf::from).collect());
    }
    let Some(folder) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: callcard-finish <folder of a Trunk build>");
        return ExitCode::FAILURE;
    };
    match shorten(&folder) {
        Ok(count) => {
            println!("callcard-finish: {count} names shortened and the functions laid out in {}", folder.display());
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("callcard-finish: {}: {why}", folder.display());
            ExitCode::FAILURE
        }
    }
}

/// `transition::without_transitions` on each module, written in place when it changed.
fn no_transitions(modules: Vec<PathBuf>) -> ExitCode {
    let Some(changed) = in_place(&modules, |module| transition::without_transitions(module).map(|new| (new, 1))) else {
        return ExitCode::FAILURE;
    };
    let emptied = changed.iter().filter(|&&count| count > 0).count();
    println!("callcard-finish: `AsyncTransition::register` emptied in {emptied} of {} modules", modules.len());
    ExitCode::SUCCESS
}

/// `type_ids::with_small_type_ids` on each module, written in place when it changed.
fn small_type_ids(modules: Vec<PathBuf>) -> ExitCode {
    let Some(numbered) = in_place(&modules, type_ids::with_small_type_ids) else {
        return ExitCode::FAILURE;
    };
    let numbered: Vec<String> = numbered.iter().map(usize::to_string).collect();
    println!("callcard-finish: type ids numbered in {} modules: {}", modules.len(), numbered.join(", "));
    ExitCode::SUCCESS
}

/// One step before wasm-bindgen on each module as cargo linked it: `step` gives the new module
/// and how much it changed, and a module that changed is written in place, the same file (cargo
/// links its output under two names, and a later cargo run that finds it fresh leaves it as it
/// is). For each module, how much changed (0 when its bytes stayed the same); `None` when a
/// module could not be read, changed or written, which is said.
fn in_place(modules: &[PathBuf], step: impl Fn(&[u8]) -> Result<(Vec<u8>, usize), String>) -> Option<Vec<usize>> {
    let mut changed = Vec::new();
    for path in modules {
        let done = read(path).and_then(|module| {
            let (new, count) = step(&module)?;
            if new == module {
                changed.push(0);
                return Ok(());
            }
            changed.push(count);
            write(path, &new)
        });
        if let Err(why) = done {
            eprintln!("callcard-finish: {}: {why}", path.display());
            return None;
        }
    }
    Some(changed)
}

/// Renames in the folder's module and glue, lays out the module's functions, names both files
/// after their bytes, and updates the page; how many names were shortened.
fn shorten(folder: &Path) -> Result<usize, String> {
    let module_path = only_file(folder, "_bg.wasm")?;
    let glue_path = only_file(folder, ".js")?;
    let page_path = folder.join("index.html");
    let module = read(&module_path)?;
    let glue = String::from_utf8(read(&glue_path)?).map_err(|_| "the glue is not UTF-8".to_string())?;
    let page = String::from_utf8(read(&page_path)?).map_err(|_| "the page is not UTF-8".to_string())?;

    let contents = rewrite::Contents::read(&module)?;
    let renames = short_names(&contents.imports, &contents.exports, |name| {
        name.starts_with("__wbg_") || name.starts_with("__wbindgen_") || name.starts_with("wasm_bindgen_")
    });
    let new_module = contents.rewrite(&renames)?;
    let provided: Vec<String> = contents.imports.iter().filter(|name| renames.contains_key(*name)).cloned().collect();
    let new_glue = js::rename(&glue, &renames, &provided)?;

    let mut new_page = loader(&page)?;
    for (path, old, new) in [(&module_path, module.as_slice(), new_module.as_slice()), (&glue_path, glue.as_bytes(), new_glue.as_bytes())] {
        let (old_integrity, new_integrity) = (integrity(old), integrity(new));
        if !new_page.contains(&old_integrity) {
            return Err(format!("index.html does not carry {}'s integrity {old_integrity}", path.display()));
        }
        new_page = new_page.replace(&old_integrity, &new_integrity);
        // Trunk named the file after wasm-bindgen's output, before wasm-opt and this step: a
        // change of either alone would serve new bytes under a name browsers keep for a year,
        // which the new integrity then refuses. Named after its final bytes, it cannot.
        let old_name = file_name(path)?;
        let new_name = content_name(&old_name, new).ok_or_else(|| format!("{old_name} is not named `<name>-<hex digits>`"))?;
        if !new_page.contains(&old_name) {
            return Err(format!("index.html does not reference {old_name}"));
        }
        new_page = new_page.replace(&old_name, &new_name);
        write(path, new)?;
        std::fs::rename(path, path.with_file_name(&new_name)).map_err(|e| format!("{old_name} cannot be renamed: {e}"))?;
    }
    write(&page_path, new_page.as_bytes())?;
    Ok(renames.len())
}

/// The page's loader script, as Trunk writes it (minified), cut to what it is for: importing the
/// glue and starting the module. Trunk's also hands the glue's exports to every script of the
/// page (`window.wasmBindings`) and announces the start (`TrunkApplicationStarted`); nothing
/// here uses either, and each opening of the card would download them.
fn loader(page: &str) -> Result<String, String> {
    const TRUNKS: [&str; 3] = ["<script type=module>import init,*as bindings from\"", "\";const wasm=await init({module_or_path:`", "`});window.wasmBindings=bindings,dispatchEvent(new CustomEvent(`TrunkApplicationStarted`,{detail:{wasm}}));</script>"];
    let unknown = || "index.html's loader script is not the one Trunk writes".to_string();
    let start = page.find(TRUNKS[0]).ok_or_else(unknown)?;
    let glue_at = start + TRUNKS[0].len();
    let glue_end = glue_at + page[glue_at..].find(TRUNKS[1]).ok_or_else(unknown)?;
    let module_at = glue_end + TRUNKS[1].len();
    let module_end = module_at + page[module_at..].find(TRUNKS[2]).ok_or_else(unknown)?;
    let (glue, module) = (&page[glue_at..glue_end], &page[module_at..module_end]);
    if [glue, module].iter().any(|path| path.contains(['"', '`', '<'])) {
        return Err(unknown());
    }
    let script = format!("<script type=module>import init from\"{glue}\";init({{module_or_path:\"{module}\"}})</script>");
    Ok(format!("{}{script}{}", &page[..start], &page[module_end + TRUNKS[2].len()..]))
}

/// A Trunk file name (`callcard-a8edda79185a0770_bg.wasm`, `callcard-139ba9b1d5dc28f2.js`) with
/// its hash replaced by the start of `bytes`' SHA-384, 16 hex digits. Trunk writes its 64-bit
/// hash without leading zeros, so one name in sixteen has 15 digits, one in 256 has 14…
fn content_name(name: &str, bytes: &[u8]) -> Option<String> {
    let dash = name.rfind('-')?;
    let hex_len = name[dash + 1..].bytes().take_while(u8::is_ascii_hexdigit).count();
    if !(8..=16).contains(&hex_len) {
        return None;
    }
    let digest: String = Sha384::digest(bytes)[..8].iter().map(|b| format!("{b:02x}")).collect();
    Some(format!("{}-{digest}{}", &name[..dash], &name[dash + 1 + hex_len..]))
}

fn file_name(path: &Path) -> Result<String, String> {
    path.file_name().and_then(|n| n.to_str()).map(str::to_string).ok_or_else(|| format!("{} has no file name", path.display()))
}

/// `$0`, `$1`… for every import and export `renamed` picks. An import and an export that have
/// the same name keep it: the glue could not tell them apart.
fn short_names(imports: &[String], exports: &[String], renamed: impl Fn(&str) -> bool) -> HashMap<String, String> {
    let mut renames = HashMap::new();
    for name in imports.iter().chain(exports) {
        let in_both = imports.contains(name) && exports.contains(name);
        if renamed(name) && !in_both && !renames.contains_key(name) {
            let short = format!("${}", renames.len());
            renames.insert(name.clone(), short);
        }
    }
    renames
}

/// A subresource integrity value, as Trunk writes it.
fn integrity(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes)))
}

/// The one file of the folder whose name ends with `suffix`.
fn only_file(folder: &Path, suffix: &str) -> Result<PathBuf, String> {
    let entries = std::fs::read_dir(folder).map_err(|e| format!("cannot be read: {e}"))?;
    let found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(suffix)))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!("{} files end with {suffix}, one was expected", found.len())),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{} cannot be read: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{} cannot be written: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_chosen_names_are_shortened_and_a_name_on_both_sides_stays() {
        let imports = vec!["__wbg_remove_8228e91d7ddbc755".to_string(), "__wbindgen_init_externref_table".to_string(), "other".to_string()];
        let exports = vec!["memory".to_string(), "wasm_bindgen_55ec___invoke_true_".to_string(), "__wbindgen_init_externref_table".to_string()];
        let renames = short_names(&imports, &exports, |n| n.starts_with("__wb") || n.starts_with("wasm_bindgen_"));
        assert_eq!(renames.len(), 2, "{renames:?}");
        assert_eq!(renames["__wbg_remove_8228e91d7ddbc755"], "$0");
        assert_eq!(renames["wasm_bindgen_55ec___invoke_true_"], "$1");
    }

    #[test]
    fn a_file_is_named_after_its_bytes() {
        // SHA-384 of `abc` starts with cb00753f45a35e8b.
        assert_eq!(content_name("callcard-a8edda79185a0770_bg.wasm", b"abc").as_deref(), Some("callcard-cb00753f45a35e8b_bg.wasm"));
        assert_eq!(content_name("callcard-app-139ba9b1d5dc28f2.js", b"abc").as_deref(), Some("callcard-app-cb00753f45a35e8b.js"));
        // Trunk's hash without its leading zero (a build failed on this name).
        assert_eq!(content_name("callcard-453e00fe43f6840_bg.wasm", b"abc").as_deref(), Some("callcard-cb00753f45a35e8b_bg.wasm"));
        assert_eq!(content_name("callcard.js", b"abc"), None);
        assert_eq!(content_name("callcard-app.js", b"abc"), None);
    }

    #[test]
    fn the_loader_imports_the_glue_and_starts_the_module_and_nothing_else() {
        let trunks = "<title>t</title><script type=module>import init,*as bindings from\"./callcard-1a.js\";const wasm=await init({module_or_path:`./callcard-2b_bg.wasm`});window.wasmBindings=bindings,dispatchEvent(new CustomEvent(`TrunkApplicationStarted`,{detail:{wasm}}));</script><link rel=modulepreload>";
        assert_eq!(
            loader(trunks).unwrap(),
            "<title>t</title><script type=module>import init from\"./callcard-1a.js\";init({module_or_path:\"./callcard-2b_bg.wasm\"})</script><link rel=modulepreload>"
        );
        // Another loader (a Trunk of another version) is said, not guessed at.
        assert!(loader("<script type=module>import init from\"./x.js\";init()</script>").is_err());
    }

    #[test]
    fn integrity_is_trunks_sha384() {
        // `printf abc | openssl dgst -sha384 -binary | base64`
        assert_eq!(integrity(b"abc"), "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn");
    }
}

//! The glue's side: every identifier that is a renamed name, replaced whole.

use std::collections::HashMap;

/// The glue with the identifiers `renames` names replaced. Each of `provided` must be in it: an
/// import the glue does not provide means this is not the glue of that module. (An export the
/// glue never calls, such as `__wbindgen_free` in a module that never hands it a string, may
/// be absent.)
pub fn rename(glue: &str, renames: &HashMap<String, String>, provided: &[String]) -> Result<String, String> {
    let mut out = String::with_capacity(glue.len());
    let mut seen = std::collections::HashSet::new();
    let mut rest = glue;
    while let Some(start) = rest.find(is_identifier_char) {
        out.push_str(&rest[..start]);
        let word = &rest[start..];
        let end = word.find(|c: char| !is_identifier_char(c)).unwrap_or(word.len());
        let word = &word[..end];
        match renames.get(word) {
            Some(short) => {
                out.push_str(short);
                seen.insert(word);
            }
            None => out.push_str(word),
        }
        rest = &rest[start + end..];
    }
    out.push_str(rest);
    match provided.iter().find(|name| !seen.contains(name.as_str())) {
        Some(missing) => Err(format!("the glue never names {missing}")),
        None => Ok(out),
    }
}

fn is_identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renames(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn whole_identifiers_are_renamed_and_nothing_else() {
        let glue = r#"{"./m.js":{__wbg_a_1:function(e){e.remove();},__wbg_a_12:function(){}}};function w_1(e){wasm.w_1(e);}x.__wbg_a_1x"#;
        let map = renames(&[("__wbg_a_1", "$0"), ("__wbg_a_12", "$1"), ("w_1", "$2")]);
        let provided = ["__wbg_a_1".to_string(), "__wbg_a_12".to_string()];
        assert_eq!(
            rename(glue, &map, &provided).unwrap(),
            r#"{"./m.js":{$0:function(e){e.remove();},$1:function(){}}};function $2(e){wasm.$2(e);}x.__wbg_a_1x"#
        );
    }

    #[test]
    fn an_import_the_glue_lacks_is_an_error_an_export_is_not() {
        let map = renames(&[("__wbg_gone_1", "$0"), ("__wbindgen_free", "$1")]);
        assert_eq!(rename("wasm.other()", &map, &["__wbg_gone_1".to_string()]), Err("the glue never names __wbg_gone_1".to_string()));
        assert_eq!(rename("wasm.other()", &map, &[]), Ok("wasm.other()".to_string()));
    }
}

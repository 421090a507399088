//! The layer check: reads `src/`, extracts each module file's imports (`use crate::...`,
//! `use super::...` and inline `crate::`/`super::` paths; `mod` declarations and
//! `#[cfg(test)]` items do not count) and fails on any import cycle between files or
//! between top-level modules, and on any import from a lower layer to a higher one.
//! `LAYERS` is the table `ARCHITECTURE.md` shows; the test also checks that every module
//! file has its line there.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::root;

/// Layers, highest first: a module may import from its own layer or any layer below. A
/// module path names the file (or directory) it covers; the longest listed prefix wins,
/// which is how `lint` (the rule linter, which drives the matcher) sits above
/// `matcher` while the rest of `rules` sits below it.
const LAYERS: &[&[&str]] = &[
    &["main", "lib"],
    &["run"],
    &["config"],
    &["cli"],
    &["report", "nhi"],
    &["suppress", "source"],
    &["engine"],
    &["lint"],
    &["finding"],
    &["facts"],
    &["matcher"],
    &["rules"],
    &[
        "escape",
        "date",
        "progress",
        "secret",
        "pathmatch",
        "plural",
    ],
];

type Module = Vec<String>;

fn name(m: &Module) -> String {
    m.join("::")
}

/// The layer of a module (0 is the top), by the longest matching prefix in [`LAYERS`].
fn layer_of(m: &Module) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in LAYERS.iter().enumerate() {
        for entry in row.iter() {
            let parts: Vec<&str> = entry.split("::").collect();
            let matches = parts.len() <= m.len() && parts.iter().zip(m).all(|(a, b)| a == b);
            if matches && best.is_none_or(|(_, len)| parts.len() > len) {
                best = Some((i, parts.len()));
            }
        }
    }
    best
}

/// Every module file under `src/`, by module path (`src/a/mod.rs` and `src/a.rs` are `a`).
fn module_files(src: &Path) -> BTreeMap<Module, String> {
    fn walk(dir: &Path, src: &Path, out: &mut BTreeMap<Module, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, src, out);
            } else if path.file_name().is_some_and(|n| n == "tests.rs") {
                // A unit-test module kept in its own file (`#[cfg(test)] mod tests;`):
                // test code, like an inline `#[cfg(test)]` module.
                continue;
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(src).unwrap().with_extension("");
                let mut m: Module = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if m.last().is_some_and(|l| l == "mod") {
                    m.pop();
                }
                out.insert(m, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(src, src, &mut out);
    out
}

/// The code with comments, string and character literals blanked (so a path in a doc
/// comment or a message is no import). Newlines are kept, so line numbers stay true.
fn strip(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if rest.starts_with(b"/*") {
            let from = i;
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(b' ');
            newlines(&b[from..i.min(b.len())], &mut out);
        } else if let Some(len) = raw_string_len(rest) {
            i += len;
            out.extend_from_slice(b"\"\"");
            newlines(&rest[..len], &mut out);
        } else if rest[0] == b'"' {
            let from = i;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.extend_from_slice(b"\"\"");
            newlines(&b[from..i.min(b.len())], &mut out);
        } else if rest[0] == b'\'' {
            // A char literal ('x', '\n', '\u{1b}') or a lifetime ('a).
            if rest.get(1) == Some(&b'\\') {
                i += 2;
                while i < b.len() && b[i] != b'\'' {
                    i += 1;
                }
                i += 1;
                out.extend_from_slice(b"' '");
            } else if let Some(c) = text[i + 1..].chars().next() {
                let end = i + 1 + c.len_utf8();
                if b.get(end) == Some(&b'\'') {
                    i = end + 1;
                    out.extend_from_slice(b"' '");
                } else {
                    out.push(b'\'');
                    i += 1;
                }
            } else {
                i += 1;
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Pushes one newline for each in `skipped` (blanked text keeps its line count).
fn newlines(skipped: &[u8], out: &mut Vec<u8>) {
    out.extend(skipped.iter().filter(|&&c| c == b'\n'));
}

/// The length of a raw string literal (`r"..."`, `br#"..."#`) starting `s`, if one does.
fn raw_string_len(s: &[u8]) -> Option<usize> {
    let start = if s.starts_with(b"br") {
        2
    } else if s.starts_with(b"r") {
        1
    } else {
        return None;
    };
    let hashes = s[start..].iter().take_while(|&&c| c == b'#').count();
    if s.get(start + hashes) != Some(&b'"') {
        return None;
    }
    let mut close = vec![b'"'];
    close.extend(std::iter::repeat_n(b'#', hashes));
    let body = start + hashes + 1;
    let end = s[body..]
        .windows(close.len())
        .position(|w| w == close.as_slice())?;
    Some(body + end + close.len())
}

/// The code without `#[cfg(test)]` items (test modules may reach anywhere); their
/// newlines are kept.
fn without_tests(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        let b = item.as_bytes();
        let mut i = "#[cfg(test)]".len();
        while i < b.len() && b[i] != b'{' && b[i] != b';' {
            i += 1;
        }
        if i < b.len() && b[i] == b'{' {
            let mut depth = 0;
            while i < b.len() {
                match b[i] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        let end = (i + 1).min(item.len());
        out.extend(item[..end].chars().filter(|&c| c == '\n'));
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// Expands a use tree (`crate::a::{b, c::{d, e as f}}`) into paths.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or(&tree);
        return vec![path.replace(' ', "")];
    };
    let prefix = tree[..open].replace(' ', "");
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .flat_map(|item| expand(&format!("{prefix}{item}")))
        .collect()
}

/// The module file a path lands in (its longest prefix that is a module file).
fn resolve(from: &Module, path: &str, files: &BTreeMap<Module, String>) -> Option<Module> {
    let segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut full: Module = match segs.first()? {
        &"crate" => Vec::new(),
        &"super" | &"self" => from.clone(),
        _ => return None,
    };
    let mut i = 0;
    if segs[0] == "crate" {
        i = 1;
    } else {
        while segs.get(i) == Some(&"super") {
            full.pop();
            i += 1;
        }
        if segs.get(i) == Some(&"self") {
            i += 1;
        }
    }
    full.extend(segs[i..].iter().map(|s| s.to_string()));
    (0..=full.len())
        .rev()
        .map(|k| full[..k].to_vec())
        .find(|m| files.contains_key(m))
        .or_else(|| Some(vec!["lib".to_owned()]))
}

/// Each module file's imports of other module files.
fn imports(files: &BTreeMap<Module, String>) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut graph = BTreeMap::new();
    for (m, text) in files {
        let code = without_tests(&strip(text));
        let mut paths = Vec::new();
        // `use` trees.
        let mut rest = code.as_str();
        while let Some(at) = rest.find("use ") {
            let before = rest[..at].chars().next_back();
            let after = &rest[at + 4..];
            rest = after;
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let Some(end) = after.find(';') else { break };
            let tree = after[..end].trim();
            if tree.starts_with("crate::")
                || tree.starts_with("super::")
                || tree.starts_with("self::")
            {
                paths.extend(expand(tree));
            }
        }
        // Inline paths (`crate::report::sanitize(...)`).
        let b = code.as_bytes();
        for start in ["crate::", "super::"] {
            let mut from = 0;
            while let Some(at) = code[from..].find(start).map(|i| i + from) {
                from = at + start.len();
                if at > 0
                    && (b[at - 1].is_ascii_alphanumeric()
                        || b[at - 1] == b'_'
                        || b[at - 1] == b'$'
                        || b[at - 1] == b':')
                {
                    continue;
                }
                let end = code[at..]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .map_or(code.len(), |i| at + i);
                paths.push(code[at..end].trim_end_matches(':').to_owned());
            }
        }
        let targets: BTreeSet<Module> = paths
            .iter()
            .filter_map(|p| resolve(m, p, files))
            .filter(|t| t != m)
            .collect();
        graph.insert(m.clone(), targets);
    }
    graph
}

/// The strongly connected components with more than one member (Tarjan).
fn cycles<N: Ord + Clone>(graph: &BTreeMap<N, BTreeSet<N>>) -> Vec<Vec<N>> {
    struct State<N> {
        index: BTreeMap<N, usize>,
        low: BTreeMap<N, usize>,
        stack: Vec<N>,
        on: BTreeSet<N>,
        out: Vec<Vec<N>>,
    }
    fn visit<N: Ord + Clone>(v: &N, g: &BTreeMap<N, BTreeSet<N>>, s: &mut State<N>) {
        let i = s.index.len();
        s.index.insert(v.clone(), i);
        s.low.insert(v.clone(), i);
        s.stack.push(v.clone());
        s.on.insert(v.clone());
        for w in g.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(w, g, s);
                let l = s.low[w].min(s.low[v]);
                s.low.insert(v.clone(), l);
            } else if s.on.contains(w) {
                let l = s.index[w].min(s.low[v]);
                s.low.insert(v.clone(), l);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(&w);
                let done = &w == v;
                comp.push(w);
                if done {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v) {
            visit(v, graph, &mut s);
        }
    }
    s.out
}

#[test]
fn imports_point_only_down_the_layers() {
    let files = module_files(&root().join("src"));
    assert!(files.len() > 30, "read {} module files", files.len());
    let graph = imports(&files);
    // The extractor must see imports at all (a broken parser would pass everything).
    let engine = graph
        .get(&vec!["engine".to_owned()])
        .expect("src/engine/mod.rs");
    assert!(engine.contains(&vec!["matcher".to_owned()]), "{engine:?}");

    let mut problems = Vec::new();
    for (from, targets) in &graph {
        let Some((lf, _)) = layer_of(from) else {
            problems.push(format!(
                "{}: in no layer (add it to LAYERS and ARCHITECTURE.md)",
                name(from)
            ));
            continue;
        };
        for to in targets {
            let Some((lt, _)) = layer_of(to) else {
                continue;
            };
            if lt < lf {
                problems.push(format!(
                    "{} (layer {:?}) imports {} from the higher layer {:?}",
                    name(from),
                    LAYERS[lf],
                    name(to),
                    LAYERS[lt]
                ));
            }
        }
    }
    for c in cycles(&graph) {
        let names: Vec<String> = c.iter().map(name).collect();
        problems.push(format!("import cycle between files: {}", names.join(", ")));
    }
    // Between the table's modules too (`lint` counts apart from `rules`): two
    // modules of one layer must not import each other.
    let unit = |m: &Module| layer_of(m).map_or_else(|| name(m), |(_, len)| m[..len].join("::"));
    let mut top: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in &graph {
        let u = unit(from);
        let outs: Vec<String> = targets.iter().map(unit).filter(|t| *t != u).collect();
        top.entry(u).or_default().extend(outs);
    }
    for c in cycles(&top) {
        problems.push(format!("import cycle between modules: {}", c.join(", ")));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn architecture_md_names_every_module() {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let files = module_files(&root().join("src"));
    let missing: Vec<String> = files
        .keys()
        .map(name)
        .filter(|n| !doc.contains(&format!("`{n}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md has no line for: {} (one line per module, name in backticks)",
        missing.join(", ")
    );
    for row in LAYERS {
        for m in row.iter() {
            assert!(doc.contains(&format!("`{m}`")), "layer entry {m} missing");
        }
    }
}

/// The most lines a product file (tests included) may have.
const MAX_FILE_LINES: usize = 1_000;
/// The most lines a function outside `#[cfg(test)]` code may span, signature to closing
/// brace.
const MAX_FN_LINES: usize = 120;
/// Functions allowed over [`MAX_FN_LINES`], each with the reason, (file under `src/`, fn).
/// Keep it short: an entry is a debt, not a licence.
const LONG_FN_EXCEPTIONS: &[(&str, &str)] = &[];

/// Every `fn` with a body in `code` (already stripped): (name, first line, lines spanned).
fn functions(code: &str) -> Vec<(String, usize, usize)> {
    let b = code.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(pos) = code[at..].find("fn ") {
        let start = at + pos;
        at = start + 3;
        if start > 0 && ident(b[start - 1]) {
            continue;
        }
        let name: String = code[at..]
            .trim_start()
            .chars()
            .take_while(|&c| c.is_alphanumeric() || c == '_')
            .collect();
        if name.is_empty() {
            continue; // a `fn(..)` pointer type
        }
        // The body starts at the first `{` before any `;` (a declaration has none).
        let Some(open) = code[at..].find(['{', ';']).map(|o| at + o) else {
            break;
        };
        if b[open] == b';' {
            continue;
        }
        let mut depth = 0;
        let mut close = open;
        for (i, &c) in b.iter().enumerate().skip(open) {
            match c {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let line = |i: usize| code[..i].matches('\n').count() + 1;
        out.push((name, line(start), line(close) - line(start) + 1));
    }
    out
}

/// Issue 11: no product file over 1,000 lines and no function over 120 lines outside
/// tests, except the listed ones.
#[test]
fn files_and_functions_stay_small() {
    let src = root().join("src");
    let mut over = Vec::new();
    for (module, text) in module_files(&src) {
        let file = files_of(&src, &module);
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            over.push(format!("{file}: {lines} lines (limit {MAX_FILE_LINES})"));
        }
        for (name, line, len) in functions(&without_tests(&strip(&text))) {
            if len > MAX_FN_LINES && !LONG_FN_EXCEPTIONS.contains(&(file.as_str(), name.as_str())) {
                over.push(format!(
                    "{file}:{line}: fn {name} spans {len} lines (limit {MAX_FN_LINES})"
                ));
            }
        }
    }
    assert!(over.is_empty(), "too big:\n{}", over.join("\n"));
}

/// The file under `src/` of a module path (`a/b.rs` or `a/b/mod.rs`).
fn files_of(src: &Path, m: &Module) -> String {
    let joined = m.join("/");
    if src.join(format!("{joined}.rs")).is_file() {
        format!("{joined}.rs")
    } else {
        format!("{joined}/mod.rs")
    }
}

#[test]
fn the_extractor_sees_what_it_must() {
    let code = "use crate::a::{b, c::{D, e as f}};\n// use crate::z;\nlet s = \"crate::y\";\nfn g<'a>() { crate::h::i(); let c = '\"'; }\n#[cfg(test)]\nmod tests { use crate::t; }\n";
    let stripped = without_tests(&strip(code));
    assert!(
        !stripped.contains("crate::z") && !stripped.contains("crate::y"),
        "{stripped}"
    );
    assert!(!stripped.contains("crate::t"), "{stripped}");
    assert!(stripped.contains("crate::h::i"), "{stripped}");
    assert_eq!(stripped.lines().count(), code.lines().count(), "{stripped}");
    let fns = "fn a() {\n  let s = \"}\n\";\n}\ntype P = fn(u8);\ntrait T { fn d(&self); }\n  fn b<T>(x: T)\n  where T: Copy\n{ if true { } }\n";
    assert_eq!(
        functions(&strip(fns)),
        vec![("a".to_owned(), 1, 4), ("b".to_owned(), 7, 3)]
    );
    assert_eq!(
        expand("crate::a::{b, c::{D, e as f}}"),
        vec!["crate::a::b", "crate::a::c::D", "crate::a::c::e"]
    );
    let mut g = BTreeMap::new();
    g.insert(1, BTreeSet::from([2]));
    g.insert(2, BTreeSet::from([3]));
    g.insert(3, BTreeSet::from([1]));
    g.insert(4, BTreeSet::from([1]));
    assert_eq!(cycles(&g), vec![vec![1, 2, 3]]);
    assert_eq!(layer_of(&vec!["lint".into()]).map(|l| l.0), Some(7));
    assert_eq!(
        layer_of(&vec!["rules".into(), "spec".into()]).map(|l| l.0),
        Some(11)
    );
}

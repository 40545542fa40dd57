//! The library's modules point one way: web (the fairing, routes, guards, error pages) →
//! application (what an instance does) → infrastructure (the database, Redis) → base (values,
//! keys, configuration, small tools). This reads every `crate::` path in `src/` and fails on an
//! edge that points up, on a cycle between modules of one layer, and on a module the table
//! does not place (a new module must be given its layer here).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const LAYERS: &[(&str, &[&str])] = &[
    // Test-only modules inside the library may reach every layer.
    ("tests", &["properties"]),
    ("web", &["lib", "appliance", "fairing", "routes", "guards", "errors", "headers"]),
    (
        "application",
        &[
            "state",
            "intake",
            "captcha",
            "phone",
            "ratelimit",
            "sign_in",
            "back_office",
            "maintenance",
            "notify",
            "retention",
            "render",
            "assets",
        ],
    ),
    ("infrastructure", &["store", "redis_conn"]),
    (
        "base",
        &[
            "crypto", "domain", "i18n", "metrics", "keys", "config", "clock", "secret", "sync", "ttl_map",
            "files", "logging",
        ],
    ),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, modules)| modules.contains(&module))
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/admin/view.rs` → `admin`).
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap().as_os_str().to_string_lossy().to_string();
    first.trim_end_matches(".rs").to_string()
}

/// The top-level modules a file names through `crate::`, comments left out.
fn uses(text: &str) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    for line in text.lines().map(str::trim_start).filter(|l| !l.starts_with("//")) {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group.split('}').next().unwrap_or_default().split(',').collect(),
                None => vec![rest],
            };
            for name in names {
                let ident: String =
                    name.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if !ident.is_empty() && ident.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                    named.insert(ident);
                }
            }
        }
    }
    named
}

#[test]
fn the_module_graph_points_one_way() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for file in files.iter().filter(|f| !f.ends_with("main.rs")) {
        let from = module_of(&src, file);
        let Some(from_layer) = layer_of(&from) else {
            problems.push(format!("{from} is in no layer (tests/it/layers.rs)"));
            continue;
        };
        for to in uses(&std::fs::read_to_string(file).unwrap()) {
            if to == from {
                continue;
            }
            match layer_of(&to) {
                None => problems.push(format!("{to} (used by {from}) is in no layer")),
                Some(to_layer) if to_layer < from_layer => problems.push(format!(
                    "{} ({}) uses {to} ({}): an edge that points up",
                    file.strip_prefix(&src).unwrap().display(),
                    LAYERS[from_layer].0,
                    LAYERS[to_layer].0
                )),
                Some(_) => {
                    edges.entry(from.clone()).or_default().insert(to);
                }
            }
        }
    }
    // Within a layer, no two modules may need each other, however indirectly.
    for (start, _) in edges.iter() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = edges[start].iter().cloned().collect();
        while let Some(next) = stack.pop() {
            if next == *start {
                problems.push(format!("{start} reaches itself through its uses"));
                break;
            }
            if seen.insert(next.clone()) {
                stack.extend(edges.get(&next).into_iter().flatten().cloned());
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_reader_finds_grouped_and_nested_paths() {
    let text = "use crate::{config::Config, store};\n// crate::nothing\nlet x = crate::crypto::hex(b);";
    let found: Vec<String> = uses(text).into_iter().collect();
    assert_eq!(found, ["config", "crypto", "store"]);
}

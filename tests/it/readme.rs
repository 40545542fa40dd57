//! The README is a user's guide a newcomer reads in minutes; the rest lives in `docs/`, and
//! every file the guides point at is there.

use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The relative targets of a Markdown file's `](target)` links, without their `#anchor`.
fn local_links(markdown: &str) -> Vec<String> {
    markdown
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|target| !target.contains("://") && !target.starts_with('#'))
        .map(|target| target.split('#').next().unwrap_or(target).to_string())
        .collect()
}

#[test]
fn the_readme_stays_under_300_lines() {
    let lines = read("README.md").lines().count();
    assert!(lines < 300, "README.md has {lines} lines: move the detail to docs/");
}

#[test]
fn every_local_link_of_the_guides_resolves() {
    let mut guides = vec!["README.md".to_string()];
    for entry in std::fs::read_dir(Path::new(ROOT).join("docs")).expect("docs/") {
        let name = entry.expect("a docs entry").file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") {
            guides.push(format!("docs/{name}"));
        }
    }
    let mut checked = 0;
    for guide in &guides {
        let base = Path::new(ROOT).join(guide);
        let dir = base.parent().expect("a guide lives in a directory");
        for target in local_links(&read(guide)) {
            assert!(dir.join(&target).exists(), "{guide} links {target}, which does not exist");
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} local links found: is the link parser still right?");
}

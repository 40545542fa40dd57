//! The shipped Fluent catalogs, one bundle per language, built once at start and shared by
//! every page, error and email of an instance.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::RwLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentResource, FluentValue};
use fluent_syntax::ast;

use super::{Lang, Msg, Phrase};

pub use fluent_bundle::FluentArgs as Args;

/// The catalog source of each shipped language, in [`Lang::SHIPPED`] order.
const SOURCES: [&str; 4] = [
    include_str!("../../locales/en.ftl"),
    include_str!("../../locales/de.ftl"),
    include_str!("../../locales/fr.ftl"),
    include_str!("../../locales/es.ftl"),
];

pub struct Catalogs {
    bundles: Vec<FluentBundle<FluentResource>>,
    /// Per language: Monday to Sunday, short, as every listed preferred time shows them.
    weekdays: Vec<[String; 7]>,
    /// Per language: every message that reads no variable, worded once (a page of the admin's
    /// names a hundred of them).
    plain: Vec<HashMap<String, String>>,
    /// Per language: messages worded with values before (a row's status, an audit action): a
    /// list page words the same few again and again. Emptied when it holds [`REMEMBERED`], so
    /// one-off wordings (an email's request number) never crowd the recurring ones out.
    remembered: Vec<RwLock<HashMap<String, String>>>,
    /// Per language: each message id and the variables it reads, for the completeness check.
    entries: Vec<BTreeMap<String, BTreeSet<String>>>,
    /// Per language: what could not be parsed (a test keeps it empty).
    problems: Vec<Vec<String>>,
}

impl Catalogs {
    pub fn shipped() -> Catalogs {
        let mut catalogs = Catalogs {
            bundles: Vec::new(),
            weekdays: Vec::new(),
            plain: Vec::new(),
            remembered: Lang::SHIPPED.iter().map(|_| RwLock::default()).collect(),
            entries: Vec::new(),
            problems: Vec::new(),
        };
        for (lang, source) in Lang::SHIPPED.into_iter().zip(SOURCES) {
            let (resource, mut problems) = match FluentResource::try_new(source.to_string()) {
                Ok(resource) => (resource, Vec::new()),
                Err((resource, errors)) => (resource, errors.iter().map(|e| format!("{e:?}")).collect()),
            };
            let entries = messages_of(&resource);
            let tag = lang.code().parse().into_iter().collect();
            let mut bundle = FluentBundle::new_concurrent(tag);
            // Unicode isolation marks around every value would end up inside attributes and
            // plain-text emails; our values are names and numbers in a page of one direction.
            bundle.set_use_isolating(false);
            if let Err(errors) = bundle.add_resource(resource) {
                problems.extend(errors.iter().map(|e| format!("{e:?}")));
            }
            for problem in &problems {
                log::error!("catalog {}: {problem}", lang.code());
            }
            catalogs.bundles.push(bundle);
            catalogs.entries.push(entries);
            catalogs.problems.push(problems);
        }
        for lang in Lang::SHIPPED {
            let days = std::array::from_fn(|i| {
                let mut args = Args::new();
                args.set("day", i + 1);
                catalogs.worded(lang, "weekday", Some(&args))
            });
            catalogs.weekdays.push(days);
            let plain = catalogs.entries[lang.index()]
                .iter()
                .filter(|(_, variables)| variables.is_empty())
                .map(|(id, _)| (id.clone(), catalogs.worded(lang, id, None)))
                .collect();
            catalogs.plain.push(plain);
        }
        catalogs
    }

    pub fn weekdays(&self, lang: Lang) -> &[String; 7] {
        &self.weekdays[lang.index()]
    }

    /// The message in `lang`; a message missing from the catalog shows its id (and is logged):
    /// a page with one odd word beats no page.
    pub fn text(&self, lang: Lang, msg: Msg) -> String {
        self.format(lang, msg.id(), None)
    }

    pub fn phrase(&self, lang: Lang, phrase: &Phrase) -> String {
        let mut args = Args::new();
        for (variable, value) in &phrase.args {
            args.set(*variable, value.as_str());
        }
        self.format(lang, phrase.msg.id(), Some(&args))
    }

    pub fn format(&self, lang: Lang, id: &str, args: Option<&Args<'_>>) -> String {
        let Some(args) = args.filter(|args| args.iter().next().is_some()) else {
            return match self.plain.get(lang.index()).and_then(|plain| plain.get(id)) {
                Some(text) => text.clone(),
                None => self.worded(lang, id, None),
            };
        };
        let Some(key) = memo_key(id, args) else {
            return self.worded(lang, id, Some(args));
        };
        let remembered = &self.remembered[lang.index()];
        if let Some(text) = remembered.read().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return text.clone();
        }
        let text = self.worded(lang, id, Some(args));
        let mut remembered = remembered.write().unwrap_or_else(|e| e.into_inner());
        if remembered.len() >= REMEMBERED {
            remembered.clear();
        }
        remembered.insert(key, text.clone());
        text
    }

    /// The message formatted by Fluent.
    fn worded(&self, lang: Lang, id: &str, args: Option<&Args<'_>>) -> String {
        let bundle = &self.bundles[lang.index()];
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            log::error!("catalog {}: no message {id}", lang.code());
            return id.to_string();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            log::error!("catalog {}: message {id}: {errors:?}", lang.code());
        }
        text.into_owned()
    }

    /// Each message id of `lang`'s catalog with the variables it reads.
    pub fn messages(&self, lang: Lang) -> &BTreeMap<String, BTreeSet<String>> {
        &self.entries[lang.index()]
    }

    /// What `lang`'s catalog holds that Fluent could not read.
    #[cfg(test)]
    pub fn problems(&self, lang: Lang) -> &[String] {
        &self.problems[lang.index()]
    }
}

/// How many messages with values each language keeps worded before it starts again.
const REMEMBERED: usize = 4096;

/// `id` and its values as one key; none when a value is neither text nor a number.
fn memo_key(id: &str, args: &Args<'_>) -> Option<String> {
    let mut key = String::with_capacity(64);
    key.push_str(id);
    for (name, value) in args.iter() {
        key.push('\u{1}');
        key.push_str(name);
        key.push('=');
        match value {
            FluentValue::String(text) => key.push_str(text),
            FluentValue::Number(number) => key.push_str(&number.value.to_string()),
            _ => return None,
        }
    }
    Some(key)
}

fn messages_of(resource: &FluentResource) -> BTreeMap<String, BTreeSet<String>> {
    let mut found = BTreeMap::new();
    for entry in resource.entries() {
        if let ast::Entry::Message(message) = entry {
            let mut variables = BTreeSet::new();
            if let Some(pattern) = &message.value {
                variables_of(pattern, &mut variables);
            }
            found.insert(message.id.name.to_string(), variables);
        }
    }
    found
}

fn variables_of(pattern: &ast::Pattern<&str>, found: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, found);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, found: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, found);
            for variant in variants {
                variables_of(&variant.value, found);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, found),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, found: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            found.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, found),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// Every message id the templates, the code and the scripts name: the literals inside
    /// `contact_t(…)`, `Msg("…")`, catalog look-ups by id, and the scripts' `word("…")` and
    /// `WORDS["…"]`.
    fn used_ids() -> BTreeSet<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut found = BTreeSet::new();
        let mut files = Vec::new();
        for dir in ["templates", "src", "static"] {
            collect(&root.join(dir), &mut files);
        }
        let openers = ["contact_t(", "Msg(\"", "format(lang, \"", "word(\"", "WORDS[\""];
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for opener in openers {
                for (at, _) in text.match_indices(opener) {
                    let call = &text[at + opener.len() - usize::from(opener.ends_with('"'))..];
                    let args = &call[..call.find(')').or(call.find(']')).unwrap_or(call.len())];
                    found.extend(quoted_ids(args));
                }
            }
        }
        found
    }

    fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect(&path, files);
            } else {
                files.push(path);
            }
        }
    }

    /// `"form-heading"`, `"a" if x else "b"`: the quoted words shaped like message ids.
    fn quoted_ids(args: &str) -> Vec<String> {
        args.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                s.contains('-') && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            })
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn every_catalog_is_read_whole() {
        let catalogs = Catalogs::shipped();
        for lang in Lang::SHIPPED {
            assert!(catalogs.problems(lang).is_empty(), "{}: {:?}", lang.code(), catalogs.problems(lang));
        }
    }

    #[test]
    fn every_language_has_every_message_with_the_same_variables() {
        let catalogs = Catalogs::shipped();
        let english = catalogs.messages(Lang::En);
        for lang in Lang::SHIPPED {
            let messages = catalogs.messages(lang);
            let missing: Vec<_> = english.keys().filter(|id| !messages.contains_key(*id)).collect();
            let extra: Vec<_> = messages.keys().filter(|id| !english.contains_key(*id)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{}: missing {missing:?}, extra {extra:?}",
                lang.code()
            );
            for (id, variables) in english {
                assert_eq!(&messages[id], variables, "{}: {id} reads other variables", lang.code());
            }
        }
    }

    #[test]
    fn the_translations_are_not_english() {
        let catalogs = Catalogs::shipped();
        let english = catalogs.messages(Lang::En);
        for lang in [Lang::De, Lang::Fr, Lang::Es] {
            let same: Vec<_> = english
                .keys()
                .filter(|id| catalogs.format(lang, id, None) == catalogs.format(Lang::En, id, None))
                .collect();
            // A few words are the same in both (`Email`, `Status`), not a tenth of them.
            assert!(
                same.len() * 10 < english.len(),
                "{}: {} as in English: {same:?}",
                lang.code(),
                same.len()
            );
        }
    }

    #[test]
    fn every_message_used_is_in_the_catalog_and_every_message_is_used() {
        let catalogs = Catalogs::shipped();
        let english = catalogs.messages(Lang::En);
        let used = used_ids();
        let unknown: Vec<_> = used.iter().filter(|id| !english.contains_key(*id)).collect();
        assert!(unknown.is_empty(), "named but not in the catalog: {unknown:?}");
        // Built from parts, not named whole anywhere.
        let composed = ["weekday", "error-title", "error-explain", "email-owner-subject"];
        let unused: Vec<_> =
            english.keys().filter(|id| !used.contains(*id) && !composed.contains(&id.as_str())).collect();
        assert!(unused.is_empty(), "in the catalog but never used: {unused:?}");
    }

    #[test]
    fn words_kept_from_before_are_the_words_fluent_gives() {
        let catalogs = Catalogs::shipped();
        for (status, count) in [("new", 1), ("spam", 2), ("new", 2), ("new", 1)] {
            let mut args = Args::new();
            args.set("status", status);
            args.set("count", count);
            for id in ["status-name", "people-caption"] {
                let kept = catalogs.format(Lang::De, id, Some(&args));
                assert_eq!(kept, catalogs.worded(Lang::De, id, Some(&args)), "{id} {status} {count}");
            }
        }
        assert_eq!(
            catalogs.format(Lang::De, "status-name", None),
            catalogs.worded(Lang::De, "status-name", None)
        );
        assert_eq!(catalogs.format(Lang::Fr, "col-received", Some(&Args::new())), "Reçue");
        for id in 0..(REMEMBERED as i64 + 10) {
            let mut args = Args::new();
            args.set("id", id);
            catalogs.format(Lang::De, "email-owner-subject", Some(&args));
        }
        let kept = catalogs.remembered[Lang::De.index()].read().unwrap().len();
        assert!(kept <= REMEMBERED, "one-off wordings stay bounded: {kept}");
        let mut args = Args::new();
        args.set("status", "closed");
        catalogs.format(Lang::De, "status-name", Some(&args));
        let remembered = catalogs.remembered[Lang::De.index()].read().unwrap();
        assert!(remembered.contains_key("status-name\u{1}status=closed"), "a new wording is still kept");
    }

    #[test]
    fn plurals_and_selections_follow_the_language() {
        let catalogs = Catalogs::shipped();
        let count = |lang, n: i64| {
            let mut args = Args::new();
            args.set("count", n);
            catalogs.format(lang, "form-alert-heading", Some(&args))
        };
        assert_eq!(count(Lang::En, 1), "Please check this field");
        assert_eq!(count(Lang::En, 3), "Please check these 3 fields");
        assert_ne!(count(Lang::De, 1), count(Lang::De, 3).replace('3', "1"));
        assert_eq!(catalogs.weekdays(Lang::En)[1], "Tue");
        assert_eq!(catalogs.weekdays(Lang::De)[1], "Di");
        assert_eq!(catalogs.weekdays(Lang::Fr)[1], "mar.");
        assert_eq!(catalogs.weekdays(Lang::Es)[1], "mar");
    }
}

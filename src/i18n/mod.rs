//! What a visitor or an admin reads, in their language: the shipped languages, the ones an
//! instance offers, the choice among them for a request, and the Fluent catalogs
//! (`locales/<code>.ftl`, embedded) the words come from.

mod catalogs;
mod negotiate;

pub use catalogs::{Args, Catalogs};

/// A language we ship a complete catalog for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    De,
    Fr,
    Es,
}

impl Lang {
    pub const SHIPPED: [Lang; 4] = [Lang::En, Lang::De, Lang::Fr, Lang::Es];

    /// The BCP 47 tag, as in `<html lang>` and `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
        }
    }

    /// The language's own name for itself, as the language menu shows it.
    pub fn autonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "Deutsch",
            Lang::Fr => "Français",
            Lang::Es => "Español",
        }
    }

    /// Its place in [`Lang::SHIPPED`], for per-language tables.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn parse(code: &str) -> Option<Lang> {
        Lang::SHIPPED.into_iter().find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }
}

/// The languages an instance offers (`LANGUAGES`), never empty; the first is the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Languages(Vec<Lang>);

impl Default for Languages {
    fn default() -> Languages {
        Languages(vec![Lang::En])
    }
}

impl Languages {
    /// `de,en`: codes of shipped languages, each once.
    pub fn parse(raw: &str) -> Result<Languages, &'static str> {
        let mut offered = Vec::new();
        for code in raw.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let lang = Lang::parse(code).ok_or("must list shipped languages only: en, de, fr, es")?;
            if offered.contains(&lang) {
                return Err("names a language twice");
            }
            offered.push(lang);
        }
        if offered.is_empty() {
            return Err("must name at least one language");
        }
        Ok(Languages(offered))
    }

    pub fn default_lang(&self) -> Lang {
        self.0[0]
    }

    pub fn offered(&self) -> &[Lang] {
        &self.0
    }

    /// More than one: pages show the language menu and their links name the language.
    pub fn several(&self) -> bool {
        self.0.len() > 1
    }

    /// An offered language by its code (`?lang=`, the cookie), else none.
    pub fn find(&self, code: &str) -> Option<Lang> {
        Lang::parse(code).filter(|lang| self.0.contains(lang))
    }

    /// The offered language an `Accept-Language` header prefers, else the default.
    pub fn negotiate(&self, accept_language: Option<&str>) -> Lang {
        accept_language.and_then(|header| negotiate::best(header, &self.0)).unwrap_or(self.default_lang())
    }
}

/// The id of a message in the catalogs: what a check found wrong, a page's heading. Values
/// below the web layer say what to tell as a `Msg`; the page it ends on words it in the
/// reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Msg(pub &'static str);

impl Msg {
    pub fn id(self) -> &'static str {
        self.0
    }
}

/// A message with the values of its variables (a user's name), worded later in the language
/// of whoever reads it: the page's, or the default on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub msg: Msg,
    pub args: Vec<(&'static str, String)>,
}

impl Phrase {
    pub fn with(mut self, variable: &'static str, value: impl ToString) -> Phrase {
        self.args.push((variable, value.to_string()));
        self
    }
}

impl From<Msg> for Phrase {
    fn from(msg: Msg) -> Phrase {
        Phrase { msg, args: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_parse_shipped_codes_once() {
        assert_eq!(Languages::parse("de, en").unwrap().offered(), &[Lang::De, Lang::En]);
        assert_eq!(Languages::parse("FR").unwrap().default_lang(), Lang::Fr);
        for bad in ["", " , ", "en,xx", "en,en", "english"] {
            assert!(Languages::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn negotiation_stays_within_the_offered_languages() {
        let offered = Languages::parse("en,de,fr").unwrap();
        assert_eq!(offered.negotiate(Some("de-AT,de;q=0.9,en;q=0.5")), Lang::De);
        assert_eq!(offered.negotiate(Some("es-ES,fr;q=0.4")), Lang::Fr);
        assert_eq!(offered.negotiate(Some("en;q=0.2, fr-CA;q=0.8")), Lang::Fr, "weights, not order");
        assert_eq!(offered.negotiate(Some("fr;q=0, de;q=0.1")), Lang::De, "q=0 is a refusal");
        assert_eq!(offered.negotiate(Some("ja, *;q=0.1")), Lang::En);
        assert_eq!(offered.negotiate(Some(";;,=,q=")), Lang::En);
        assert_eq!(offered.negotiate(None), Lang::En);
        assert_eq!(Languages::parse("es").unwrap().negotiate(Some("de")), Lang::Es);
    }
}

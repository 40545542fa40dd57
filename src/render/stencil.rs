//! A page that differs between visitors only in a few tokens (the blank form: its CSRF and
//! CAPTCHA tokens) is rendered once with markers where those tokens go, and then filled in
//! per request. Running the template engine was a third of the form's CPU time; filling is a
//! few copies. The result is byte for byte what rendering with the real values would give.

use std::fmt::Write;
use std::sync::{Arc, Mutex};

use minijinja::HtmlEscape;

use crate::sync::lock;

/// Marks slot `i` in a template context: `\0i\0`. No template text contains NUL, and HTML
/// escaping leaves it alone, so the markers come out of rendering exactly as they went in.
pub fn slot(i: usize) -> String {
    format!("\0{i}\0")
}

/// A rendered page cut at its `N` slots.
#[derive(Debug)]
pub struct Stencil<const N: usize> {
    /// Literal text, then the slot that follows it, in page order. Every slot is below `N`.
    pieces: Vec<(String, usize)>,
    tail: String,
    /// All the literal text's length, to size each filled page at once.
    literal_len: usize,
}

impl<const N: usize> Stencil<N> {
    /// Cuts a page rendered with [`slot`] markers for slots `0..N`.
    pub fn cut(page: &str) -> Stencil<N> {
        let mut parts = page.split('\0');
        let mut pieces = Vec::new();
        let mut text = parts.next().unwrap_or_default().to_string();
        while let Some(index) = parts.next() {
            match (index.parse::<usize>(), parts.next()) {
                (Ok(slot), Some(after)) if slot < N => {
                    pieces.push((std::mem::replace(&mut text, after.to_string()), slot))
                }
                // Not one of our markers (a NUL from elsewhere): keep the text as it was.
                (_, after) => {
                    text.extend(["\0", index]);
                    if let Some(after) = after {
                        text.extend(["\0", after]);
                    }
                }
            }
        }
        let literal_len = pieces.iter().map(|(text, _)| text.len()).sum::<usize>() + text.len();
        Stencil { pieces, tail: text, literal_len }
    }

    /// The page with `values[i]` (HTML-escaped, as the template would) in slot `i`.
    pub fn fill(&self, values: [&str; N]) -> String {
        let filled: usize = self.pieces.iter().map(|(_, slot)| values[*slot].len()).sum();
        let mut page = String::with_capacity(self.literal_len + filled);
        for (text, slot) in &self.pieces {
            page.push_str(text);
            // Writing into a String cannot fail.
            let _ = write!(page, "{}", HtmlEscape(values[*slot]));
        }
        page.push_str(&self.tail);
        page
    }
}

/// The stencil for the current period (the minute, for the form: its date limits change
/// then), rendered by the first request of each period.
#[derive(Default)]
pub struct Periodic<const N: usize>(Mutex<Option<(i64, Arc<Stencil<N>>)>>);

impl<const N: usize> Periodic<N> {
    pub fn get<E>(
        &self,
        period: i64,
        render: impl FnOnce() -> Result<Stencil<N>, E>,
    ) -> Result<Arc<Stencil<N>>, E> {
        // Rendering under the lock: at a period's turn the others wait a few microseconds
        // instead of all rendering the same page.
        let mut current = lock(&self.0);
        match &*current {
            Some((at, stencil)) if *at == period => Ok(stencil.clone()),
            _ => {
                let stencil = Arc::new(render()?);
                *current = Some((period, stencil.clone()));
                Ok(stencil)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_every_occurrence_and_escapes() {
        let page = format!("<a href=\"/c/{}/i\">{}</a><b>{}</b>", slot(1), slot(0), slot(1));
        let stencil = Stencil::<2>::cut(&page);
        assert_eq!(stencil.fill(["x<y", "tok"]), "<a href=\"/c/tok/i\">x&lt;y</a><b>tok</b>");
    }

    #[test]
    fn text_without_slots_is_kept_whole() {
        for page in ["plain \0 odd \x009\0 end", "one \0 nul", "\x000\0 \0"] {
            let stencil = Stencil::<0>::cut(page);
            assert_eq!(stencil.fill([]), page);
        }
    }

    #[test]
    fn filled_form_is_the_form_rendered_with_the_values() {
        use crate::config::BasePath;
        use crate::i18n::{Catalogs, Lang, Languages};
        use crate::render::Renderer;
        let languages = Languages::parse("en,de").unwrap();
        let catalogs = std::sync::Arc::new(Catalogs::shipped());
        let renderer =
            Renderer::new(&BasePath::parse("/contact").unwrap(), Default::default(), catalogs, &languages);
        let page = |csrf: &str, captcha: &str| {
            let ctx = minijinja::context! {
                values => minijinja::context! {}, errors => minijinja::context! {},
                csrf_token => csrf, captcha_token => captcha,
                min_time => "2026-11-25T10:00", max_time => "2027-11-25T10:00",
            };
            renderer.render("contact/form.html", Lang::De, ctx).unwrap()
        };
        let (csrf, captcha) = ("Zm9v-YmFy_\"q", "dG9rZW4");
        let stencil = Stencil::<2>::cut(&page(&slot(0), &slot(1)));
        assert_eq!(stencil.fill([csrf, captcha]), page(csrf, captcha));
        assert_eq!(stencil.pieces.len(), 4, "one CSRF slot and three CAPTCHA slots");
    }

    #[test]
    fn renders_once_per_period() {
        let periodic = Periodic::<0>::default();
        let mut renders = 0;
        for period in [1, 1, 1, 2, 2] {
            periodic
                .get::<()>(period, || {
                    renders += 1;
                    Ok(Stencil::cut(&period.to_string()))
                })
                .unwrap();
        }
        assert_eq!(renders, 2);
    }
}

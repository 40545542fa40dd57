use std::io::Cursor;
use std::path::PathBuf;

use rocket::http::{ContentType, Header, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{self, Responder, Response};
use rocket::{get, routes, Route};

use crate::assets::StaticBytes;
use crate::guards::limited::budget;
use crate::guards::App;
use crate::ratelimit::LimitKind;

pub fn routes() -> Vec<Route> {
    budget(LimitKind::Default, routes![static_file, embed_script])
}

/// The `If-None-Match` header, for answering 304 to a browser that has the file already.
struct IfNoneMatch(Option<String>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for IfNoneMatch {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(IfNoneMatch(req.headers().get_one("If-None-Match").map(str::to_string)))
    }
}

struct Asset {
    body: StaticBytes,
    content_type: ContentType,
    etag: String,
    not_modified: bool,
    versioned: bool,
}

#[get("/static/<file..>?<v>")]
fn static_file(app: App, file: PathBuf, v: Option<&str>, if_none_match: IfNoneMatch) -> Option<Asset> {
    asset(&app, &file, v, if_none_match)
}

/// The script another site includes to show the form in a frame, at a fixed address.
#[get("/embed.js")]
fn embed_script(app: App, if_none_match: IfNoneMatch) -> Option<Asset> {
    asset(&app, std::path::Path::new("embed.js"), None, if_none_match)
}

fn asset(app: &App, file: &std::path::Path, v: Option<&str>, if_none_match: IfNoneMatch) -> Option<Asset> {
    let name = file.to_str()?;
    let found = app.render.static_file(name)?;
    let print = found.fingerprint;
    let etag = format!("\"{print}\"");
    let content_type = file
        .extension()
        .and_then(|e| e.to_str())
        .and_then(ContentType::from_extension)
        .unwrap_or(ContentType::Binary);
    Some(Asset {
        not_modified: if_none_match.0.as_deref() == Some(etag.as_str()),
        versioned: v == Some(print.as_str()),
        body: found.data,
        content_type,
        etag,
    })
}

impl<'r> Responder<'r, 'static> for Asset {
    fn respond_to(self, _req: &'r Request<'_>) -> response::Result<'static> {
        // A fingerprinted URL never changes content; a plain one may after an upgrade.
        let cache =
            if self.versioned { "public, max-age=31536000, immutable" } else { "public, max-age=3600" };
        let mut builder = Response::build();
        builder
            .header(self.content_type)
            .header(Header::new("ETag", self.etag))
            .header(Header::new("Cache-Control", cache));
        if self.not_modified {
            builder.status(Status::NotModified);
        } else {
            builder.sized_body(self.body.as_ref().len(), Cursor::new(self.body));
        }
        builder.ok()
    }
}

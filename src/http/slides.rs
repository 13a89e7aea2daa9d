//! The office's own slides for the side area of its lobby screens (`display_slides`):
//! the list of images in the configured folder and each image.
//!
//! The folder is read again on every request, so staff change the slides by copying
//! files, without a restart. What is served is bounded: only PNG, JPEG and WebP (no SVG,
//! which can carry scripts), at most [`MAX_SLIDES`] files of at most [`MAX_SLIDE_BYTES`]
//! each, and a file is served only by a name that the listing gives — never a path.

use super::error::ApiError;
use super::extract::OfficePath;
use super::schemas::ErrorBody;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;
use utoipa::ToSchema;

/// Most images listed (the first by name).
pub const MAX_SLIDES: usize = 50;
/// Largest image served; bigger files are left out of the list.
pub const MAX_SLIDE_BYTES: u64 = 10 * 1024 * 1024;
/// Entries of the folder looked at, at most (a folder of images is far smaller).
const MAX_ENTRIES: usize = 10_000;
/// Longest file name listed.
const MAX_NAME_BYTES: usize = 200;

/// `GET /api/v1/offices/{office}/slides`.
#[derive(Serialize, ToSchema)]
pub struct Slides {
    /// The images, sorted by file name (empty: the office shows no slides).
    slides: Vec<Slide>,
    /// Seconds each image stays on screen.
    seconds: u32,
}

/// One image of the office's slides.
#[derive(Serialize, ToSchema)]
pub struct Slide {
    /// Where to fetch it; its `v` changes when the file changes.
    url: String,
    /// Its file name.
    name: String,
}

/// A file of the folder that may be served.
struct SlideFile {
    name: String,
    path: PathBuf,
    /// Names this version of the file (size and modification time).
    etag: String,
}

/// Whether `name` can be the name of a slide: a plain file name, no path in it.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_BYTES
        && !name.starts_with('.')
        && !name.contains("..")
        && !name
            .chars()
            .any(|c| c == '/' || c == '\\' || c == '%' || c.is_control())
}

/// The content type of a slide by its extension; `None` for files that are not slides.
fn image_type(name: &str) -> Option<&'static str> {
    let (_, extension) = name.rsplit_once('.')?;
    match extension.to_ascii_lowercase().as_str() {
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "webp" => Some("image/webp"),
        _ => None,
    }
}

/// The slides in `folder`: images by name, bounded. An unreadable folder lists none (and
/// says why in the log): a TV without its slides still shows the calls.
fn list(folder: &Path) -> Vec<SlideFile> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) => {
            tracing::warn!(folder = %folder.display(), error = %e, "display_slides: cannot read the folder");
            return Vec::new();
        }
    };
    // Names first (cheap), sorted, so that "the first 50 by name" holds in any folder;
    // a folder of many thousands of files is not read whole.
    let mut names: Vec<(String, std::path::PathBuf)> = entries
        .filter_map(Result::ok)
        .take(MAX_ENTRIES)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            (plain_name(&name) && image_type(&name).is_some()).then(|| (name, entry.path()))
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|(name, path)| {
            // metadata() follows a link the office put there on purpose; what is served
            // must still be an image (`is_image`).
            let meta = std::fs::metadata(&path).ok()?;
            if !meta.is_file() || meta.len() == 0 || meta.len() > MAX_SLIDE_BYTES {
                return None;
            }
            if !begins_as_image(&name, &path) {
                tracing::warn!(file = %path.display(), "display_slides: named like an image but is not one; left out");
                return None;
            }
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            let digest = Sha256::digest(format!("{name}\0{}\0{modified}", meta.len()));
            let etag = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
            Some(SlideFile { name, path, etag })
        })
        .take(MAX_SLIDES)
        .collect()
}

/// Whether the file at `path` begins as the image its name says (its first 12 bytes).
fn begins_as_image(name: &str, path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 12];
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let read = file.take(12).read(&mut head).unwrap_or(0);
    is_image(name, &head[..read])
}

/// Whether `bytes` begin as the image type `name` says (PNG, JPEG, WebP): a file named
/// like an image but holding something else (a link to a configuration file, say) is
/// never served.
fn is_image(name: &str, bytes: &[u8]) -> bool {
    match image_type(name) {
        Some("image/png") => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        Some("image/jpeg") => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        Some("image/webp") => {
            bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP"
        }
        _ => false,
    }
}

/// A file name as one path segment: unreserved characters as they are, the rest
/// percent-encoded (UTF-8).
fn segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The office's slides folder, read off the request's thread.
async fn files(o: &OfficePath) -> Vec<SlideFile> {
    let Some(folder) = o.spec.display_slides.clone() else {
        return Vec::new();
    };
    web::block(move || list(&folder)).await.unwrap_or_default()
}

/// `GET /api/v1/offices/{office}/slides`: the images the office's lobby screens show
/// beside the calls.
#[utoipa::path(get, path = "/api/v1/offices/{office}/slides", tag = "citizens",
    params(("office" = String, Path, description = "Office id (slug), e.g. `central`.")),
    responses(
        (status = 200, description = "The slides (none when the office has no `display_slides`).", body = Slides),
        (status = 404, description = "`office_not_found`.", body = ErrorBody),
    ))]
pub async fn list_slides(o: OfficePath) -> HttpResponse {
    let office = segment(&o.spec.id);
    let slides = files(&o)
        .await
        .into_iter()
        .map(|f| Slide {
            url: format!(
                "/api/v1/offices/{office}/slides/{}?v={}",
                segment(&f.name),
                f.etag
            ),
            name: f.name,
        })
        .collect();
    HttpResponse::Ok()
        // The list follows the folder: a screen asks again to see new images.
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .json(Slides {
            slides,
            seconds: o.spec.display_slide_seconds,
        })
}

/// `GET /api/v1/offices/{office}/slides/{name}`: one image of the slides.
#[utoipa::path(get, path = "/api/v1/offices/{office}/slides/{name}", tag = "citizens",
    params(
        ("office" = String, Path, description = "Office id (slug), e.g. `central`."),
        ("name" = String, Path, description = "The image's file name, as the list gives it."),
    ),
    responses(
        (status = 200, description = "The image (PNG, JPEG or WebP), with an `ETag`.", content(
            (Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/webp"),
        )),
        (status = 304, description = "Not modified (`If-None-Match`)."),
        (status = 404, description = "`office_not_found`, or `slide_not_found`: no such image among the slides.", body = ErrorBody),
    ))]
pub async fn get_slide(
    req: HttpRequest,
    o: OfficePath,
    name: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (_, name) = name.into_inner();
    // Checked before the folder is read; then only a name the listing has is served.
    if !plain_name(&name) {
        return Err(ApiError::SlideNotFound);
    }
    let file = files(&o)
        .await
        .into_iter()
        .find(|f| f.name == name)
        .ok_or(ApiError::SlideNotFound)?;
    let etag = format!("\"{}\"", file.etag);
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    let mut response = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        ))
        .insert_header((header::ETAG, etag));
    if fresh {
        return Ok(response.finish());
    }
    let path = file.path.clone();
    let bytes = web::block(move || std::fs::read(path))
        .await
        .ok()
        .and_then(Result::ok)
        .filter(|b| b.len() as u64 <= MAX_SLIDE_BYTES && is_image(&file.name, b))
        .ok_or_else(|| {
            tracing::warn!(file = %file.path.display(), "display_slides: cannot read the image, or it is not the image its name says");
            ApiError::SlideNotFound
        })?;
    Ok(response
        .content_type(image_type(&file.name).unwrap_or("application/octet-stream"))
        .body(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_is_the_image_its_name_says_is_served() {
        assert!(is_image("a.png", b"\x89PNG\r\n\x1a\n rest"));
        assert!(is_image("a.JPG", &[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(is_image("a.webp", b"RIFF\0\0\0\0WEBPVP8 "));
        assert!(!is_image("turnero.png", b"[[offices]]\nid = \"central\""));
        assert!(!is_image("a.jpg", b"\x89PNG\r\n\x1a\n"));
        assert!(!is_image("a.webp", b"RIFF"));
    }

    #[test]
    fn only_plain_names_of_images() {
        for bad in [
            "",
            "../turnero.toml",
            "..",
            "a/b.png",
            "a\\b.png",
            ".hidden.png",
            "x..png",
            "%2e%2e.png",
            "a\nb.png",
        ] {
            assert!(!plain_name(bad), "{bad:?}");
        }
        assert!(plain_name("01 Bienvenida.png"));
        assert!(plain_name("Campaña.jpeg"));
        assert_eq!(image_type("a.PNG"), Some("image/png"));
        assert_eq!(image_type("a.jpg"), Some("image/jpeg"));
        assert_eq!(image_type("a.webp"), Some("image/webp"));
        assert_eq!(image_type("a.svg"), None, "an SVG can carry scripts");
        assert_eq!(image_type("png"), None);
    }

    #[test]
    fn names_are_one_path_segment() {
        assert_eq!(segment("01 Bienvenida.png"), "01%20Bienvenida.png");
        assert_eq!(segment("Campaña.png"), "Campa%C3%B1a.png");
    }

    #[test]
    fn the_list_is_sorted_bounded_and_only_images() {
        let dir = tempfile::tempdir().unwrap();
        for i in (0..60).rev() {
            std::fs::write(dir.path().join(format!("{i:02}.png")), b"\x89PNG\r\n\x1a\n").unwrap();
        }
        // Named like the first image, but not one: left out, the next take its place.
        std::fs::write(dir.path().join("000.png"), b"[[users]]").unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"x").unwrap();
        std::fs::write(dir.path().join("logo.svg"), b"<svg/>").unwrap();
        std::fs::write(dir.path().join("empty.png"), b"").unwrap();
        std::fs::create_dir(dir.path().join("folder.png")).unwrap();
        let names: Vec<_> = list(dir.path()).into_iter().map(|f| f.name).collect();
        assert_eq!(names.len(), MAX_SLIDES);
        assert_eq!(names[0], "00.png");
        assert_eq!(names[49], "49.png");
        assert!(list(&dir.path().join("missing")).is_empty());
    }
}

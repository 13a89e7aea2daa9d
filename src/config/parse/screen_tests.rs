//! The parser on what an office shows and says: its languages and the names in them,
//! the lobby screens' slides.

use super::*;

#[test]
fn an_office_chooses_its_languages_and_names_things_in_them() {
    use crate::domain::Language;
    let demo = super::super::DEMO_TOML;
    let c = parse(demo).unwrap();
    let o = &c.offices[0];
    assert_eq!(o.languages, [Language::Es, Language::En]);
    assert_eq!(o.services[0].name_in(Language::En), "Property Registry");
    assert_eq!(
        o.services[0].name_in(Language::Es),
        "Registro de la Propiedad"
    );
    assert_eq!(o.categories[1].label_in(Language::En), "Older adult");
    // Without `languages`, Spanish alone; a name in a language not offered is refused.
    let spanish = demo.replacen("languages = [\"es\", \"en\"]\n", "", 1);
    let errors = parse(&spanish).unwrap_err();
    assert!(errors[0].message.contains("languages"), "{errors:?}");
    let line = spanish
        .lines()
        .position(|l| l.contains("Property Registry"))
        .unwrap()
        + 1;
    assert_eq!(errors[0].line, line, "{errors:?}");
    for (languages, says) in [
        ("[\"fr\"]", "«fr» no está disponible"),
        ("[\"es\", \"es\"]", "repetido"),
        ("[]", "no puede estar vacío"),
    ] {
        let errors = parse(&demo.replacen(
            "languages = [\"es\", \"en\"]",
            &format!("languages = {languages}"),
            1,
        ))
        .unwrap_err();
        assert!(
            errors.iter().any(|e| e.message.contains(says)),
            "{languages}: {errors:?}"
        );
    }
    // English first: the names are then English themselves, and a "translation" into
    // the office's own language is pointed out, not taken as a second name.
    let english_first = demo.replacen(
        "languages = [\"es\", \"en\"]",
        "languages = [\"en\", \"es\"]",
        1,
    );
    let errors = parse(&english_first).unwrap_err();
    assert!(errors[0].message.contains("idioma propio"), "{errors:?}");
    let english_first = parse(&english_first.replace("{ en = ", "{ es = ")).unwrap();
    assert_eq!(english_first.offices[0].languages[0], Language::En);
    assert_eq!(
        english_first.offices[0].services[0].name_in(Language::Es),
        "Property Registry"
    );
}

/// The demo with `lines` added to its office, after `footer_lines`, and the line
/// number of the first added line.
fn demo_with(lines: &str) -> (String, usize) {
    let demo = super::super::DEMO_TOML;
    let anchor = "footer_lines = [\"Gracias por su visita\"]\n";
    let at = demo.find(anchor).expect("the demo has footer_lines") + anchor.len();
    let line = demo[..at].matches('\n').count() + 1;
    (format!("{}{lines}\n{}", &demo[..at], &demo[at..]), line)
}

#[test]
fn display_slides_names_a_readable_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (text, _) = demo_with(&format!(
        "display_slides = {:?}\ndisplay_slide_seconds = 4",
        dir.path().display().to_string()
    ));
    let c = parse(&text).unwrap();
    let o = &c.offices[0];
    assert_eq!(o.display_slides.as_deref(), Some(dir.path()));
    assert_eq!(o.display_slide_seconds, 4);
    // Without the key: no side area, and 10 s were it configured.
    let demo = parse(super::super::DEMO_TOML).unwrap();
    assert_eq!(demo.offices[0].display_slides, None);
    assert_eq!(demo.offices[0].display_slide_seconds, 10);
}

#[test]
fn a_missing_slides_folder_is_an_error_on_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("diapositivas");
    let (text, line) = demo_with(&format!(
        "display_slides = {:?}",
        missing.display().to_string()
    ));
    let errors = parse(&text).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, line, "{errors:?}");
    assert!(errors[0].message.contains("no existe"), "{errors:?}");
    assert!(errors[0].message.contains("diapositivas"), "{errors:?}");

    // A file where a folder was meant.
    let file = dir.path().join("logo.png");
    std::fs::write(&file, b"x").unwrap();
    let (text, line) = demo_with(&format!(
        "display_slides = {:?}",
        file.display().to_string()
    ));
    let errors = parse(&text).unwrap_err();
    assert_eq!(errors[0].line, line, "{errors:?}");
    assert!(
        errors[0].message.contains("no es una carpeta"),
        "{errors:?}"
    );

    // Seconds out of range.
    let (text, line) = demo_with(&format!(
        "display_slides = {:?}\ndisplay_slide_seconds = 0",
        dir.path().display().to_string()
    ));
    let errors = parse(&text).unwrap_err();
    assert_eq!(errors[0].line, line + 1, "{errors:?}");
    assert!(
        errors[0].message.contains("display_slide_seconds"),
        "{errors:?}"
    );
}

#[test]
fn an_office_says_when_a_turn_is_near() {
    let demo = super::super::DEMO_TOML;
    let c = parse(demo).unwrap();
    assert_eq!(c.offices[0].near.at_position, Some(3), "the default");
    assert_eq!(c.offices[0].near.at_minutes, None);
    let (text, _) = demo_with("notify_at_position = 0\nnotify_at_minutes = 10");
    let c = parse(&text).unwrap();
    assert_eq!(c.offices[0].near.at_position, None, "0: never by position");
    assert_eq!(c.offices[0].near.at_minutes, Some(10));
    let (text, line) = demo_with("notify_at_minutes = 0");
    let errors = parse(&text).unwrap_err();
    assert_eq!(errors[0].line, line, "{errors:?}");
    assert!(
        errors[0].message.contains("notify_at_minutes"),
        "{errors:?}"
    );
}

#[test]
fn an_office_says_who_may_join_from_the_phone_and_how() {
    use crate::config::JoinMode;
    let demo = super::super::DEMO_TOML;
    let rules = parse(demo).unwrap().issuing("central");
    assert_eq!(
        rules.join,
        JoinMode::Off,
        "nobody joins by phone unless the office says so"
    );
    assert_eq!(
        (rules.join_code_window.as_secs(), rules.join_daily_limit),
        (300, 2)
    );
    let lobby = parse(&demo.replacen(
        "ticketing = \"open\"",
        "ticketing = \"kiosks\"\njoin = \"lobby\"\njoin_code_minutes = 3\njoin_daily_limit = 4",
        1,
    ))
    .unwrap()
    .issuing("central");
    assert_eq!(lobby.join, JoinMode::Lobby);
    assert_eq!(
        (lobby.join_code_window.as_secs(), lobby.join_daily_limit),
        (180, 4)
    );
    let errors = parse(&demo.replacen(
        "ticketing = \"open\"",
        "join = \"siempre\"\njoin_code_minutes = 0\njoin_daily_limit = 500",
        1,
    ))
    .unwrap_err();
    for says in ["join debe ser", "join_code_minutes", "join_daily_limit"] {
        assert!(
            errors.iter().any(|e| e.message.contains(says)),
            "{says}: {errors:?}"
        );
    }
    // A lobby code needs a screen in the lobby to show it: a paired device.
    let start = demo.find("[[offices.kiosks]]").unwrap();
    let end = demo[start..]
        .find("\n[[offices.")
        .map_or(demo.len(), |i| start + i + 1);
    let no_kiosk = format!("{}{}", &demo[..start], &demo[end..]).replacen(
        "ticketing = \"open\"",
        "join = \"lobby\"",
        1,
    );
    let errors = parse(&no_kiosk).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("pantalla de la sala")),
        "{errors:?}"
    );
}

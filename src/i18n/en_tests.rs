//! The English texts: a sentence for every refusal, dates and plurals, and the same items
//! as the Spanish module, so the two cannot drift apart.

use super::*;
use crate::domain::CaseType;

fn at(utc: &str) -> DateTime<Tz> {
    let tz: Tz = "America/Bogota".parse().unwrap();
    utc.parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap()
        .with_timezone(&tz)
}

/// One of every variant (some twice, for their plurals). The match below has no
/// wildcard, so a new variant does not compile until it is listed there; add it to
/// the list too, and to the count in the test.
fn every_error() -> Vec<DomainError> {
    let all = vec![
        DomainError::ServiceNotFound,
        DomainError::CategoryNotFound,
        DomainError::CounterNotFound,
        DomainError::TicketNotFound,
        DomainError::OfficeClosed {
            next_opening: Some(at("2026-11-30T13:00:00Z")),
        },
        DomainError::OfficeClosed { next_opening: None },
        DomainError::NumberRangeExhausted,
        DomainError::CounterClosed,
        DomainError::CounterPaused,
        DomainError::CounterNotPaused,
        DomainError::CounterBusy,
        DomainError::NoCurrentTurn,
        DomainError::AlreadyServing,
        DomainError::CounterTaken {
            agent: "Ana Pérez".into(),
        },
        DomainError::AgentHasCounter {
            counter: "Counter 2".into(),
        },
        DomainError::ServiceNotServed,
        DomainError::SameService,
        DomainError::TurnNotWaiting,
        DomainError::RecallRequired { required: 1 },
        DomainError::RecallRequired { required: 2 },
        DomainError::NothingToUndo,
        DomainError::UndoExpired { seconds: 60 },
        DomainError::InvalidReason,
        DomainError::ReasonRequired,
        DomainError::UnknownReason,
        DomainError::NoteRequired,
        DomainError::NoteTooLong,
        DomainError::InvalidScore {
            question: "wait_time",
        },
        DomainError::CommentTooLong,
        DomainError::UnknownCaseType,
        DomainError::NotServed,
        DomainError::AlreadyAnswered,
        DomainError::SurveyClosed { days: 1 },
        DomainError::SurveyClosed { days: 7 },
        DomainError::SnoozeOff,
        DomainError::AlreadySnoozed,
        DomainError::TurnNotCalled,
    ];
    for e in &all {
        match e {
            DomainError::ServiceNotFound
            | DomainError::CategoryNotFound
            | DomainError::CounterNotFound
            | DomainError::TicketNotFound
            | DomainError::OfficeClosed { .. }
            | DomainError::NumberRangeExhausted
            | DomainError::CounterClosed
            | DomainError::CounterPaused
            | DomainError::CounterNotPaused
            | DomainError::CounterBusy
            | DomainError::NoCurrentTurn
            | DomainError::AlreadyServing
            | DomainError::CounterTaken { .. }
            | DomainError::AgentHasCounter { .. }
            | DomainError::ServiceNotServed
            | DomainError::SameService
            | DomainError::TurnNotWaiting
            | DomainError::RecallRequired { .. }
            | DomainError::NothingToUndo
            | DomainError::UndoExpired { .. }
            | DomainError::InvalidReason
            | DomainError::ReasonRequired
            | DomainError::UnknownReason
            | DomainError::NoteRequired
            | DomainError::NoteTooLong
            | DomainError::InvalidScore { .. }
            | DomainError::CommentTooLong
            | DomainError::UnknownCaseType
            | DomainError::NotServed
            | DomainError::AlreadyAnswered
            | DomainError::SurveyClosed { .. }
            | DomainError::SnoozeOff
            | DomainError::AlreadySnoozed
            | DomainError::TurnNotCalled => {}
        }
    }
    all
}

#[test]
fn every_domain_error_is_an_english_sentence() {
    let now = at("2026-11-27T20:00:00Z");
    let codes: std::collections::BTreeSet<_> = every_error().iter().map(|e| e.code()).collect();
    assert_eq!(codes.len(), 34, "one of each variant: {codes:?}");
    for e in every_error() {
        let text = domain_error(&e, now);
        let spanish = crate::i18n::es::domain_error(&e, now);
        assert!(text.ends_with('.'), "{e:?}: {text}");
        assert!(
            text.chars().next().is_some_and(char::is_uppercase),
            "{e:?}: {text}"
        );
        assert!(text.len() > 20, "{e:?}: {text}");
        assert_ne!(text, spanish, "{e:?} is not translated");
        assert!(
            !text.contains("ventanilla") && !text.contains("turno") && !text.contains('«'),
            "{e:?} is still Spanish: {text}"
        );
    }
}

#[test]
fn domain_errors_fill_in_their_details() {
    let now = at("2026-11-27T20:00:00Z");
    let say = |e: DomainError| domain_error(&e, now);
    assert_eq!(
        say(DomainError::OfficeClosed {
            next_opening: Some(at("2026-11-30T13:00:00Z"))
        }),
        "The office is closed at the moment; it opens on Monday 30 November at 08:00."
    );
    assert_eq!(
        say(DomainError::RecallRequired { required: 1 }),
        "Before marking a no-show, call the ticket again at least once."
    );
    assert_eq!(
        say(DomainError::RecallRequired { required: 3 }),
        "Before marking a no-show, call the ticket again at least 3 times."
    );
    assert!(say(DomainError::SurveyClosed { days: 1 }).contains("up to 1 day after"));
    assert!(say(DomainError::SurveyClosed { days: 7 }).contains("up to 7 days after"));
    assert!(say(DomainError::CounterTaken {
        agent: "Ana Pérez".into()
    })
    .starts_with("Ana Pérez is already working at this counter"));
    assert!(say(DomainError::InvalidScore {
        question: "overall"
    })
    .contains("“Overall, how satisfied are you with the service you received?”"));
    assert!(say(DomainError::CommentTooLong).contains("500 characters"));
}

#[test]
fn dates_read_naturally() {
    let now = at("2026-11-27T20:00:00Z"); // Friday 27 November, 15:00 in Bogotá
    assert_eq!(
        when(now + chrono::Duration::hours(1), now),
        "today at 16:00"
    );
    assert_eq!(when(at("2026-11-28T13:00:00Z"), now), "tomorrow at 08:00");
    assert_eq!(
        when(at("2026-11-30T13:00:00Z"), now),
        "on Monday 30 November at 08:00"
    );
}

#[test]
fn serde_details_explained() {
    assert_eq!(
        bad_json("missing field `service` at line 1 column 2"),
        "The field “service” is missing from the request body."
    );
    assert_eq!(
        bad_json("unknown field `servce`, expected one of `service`, `category` at line 1"),
        "The field “servce” is not recognised; check its name in the API documentation."
    );
    assert!(bad_json("invalid type: string \"x\", expected u8 at line 1").contains("wrong type"));
    assert!(bad_json("expected value at line 1 column 1").contains("not valid JSON"));
}

#[test]
fn survey_and_offices() {
    for id in [
        "overall",
        "attention",
        "clarity",
        "wait_time",
        "response_time",
    ] {
        assert!(survey_question(id).ends_with('?'), "{id}");
    }
    assert_eq!(survey_question("nope"), "");
    assert_eq!(SURVEY_SCALE[0], "Very dissatisfied");
    assert_eq!(SURVEY_SCALE[4], "Very satisfied");
    for case in CaseType::ALL {
        assert_ne!(
            case_type_label(case),
            crate::i18n::es::case_type_label(case)
        );
    }
    assert!(offices_unavailable(&["central"]).starts_with("The log of office central is "));
    assert!(offices_unavailable(&["a", "b"]).starts_with("The logs of offices a, b are "));
}

/// The `pub const NAME: TYPE` and `pub fn name(…) -> …` items of a module's source,
/// at the top level, whitespace collapsed.
fn public_items(source: &str) -> std::collections::BTreeSet<String> {
    let mut items = std::collections::BTreeSet::new();
    let mut rest = source;
    while let Some(start) = rest.find("\npub ") {
        rest = &rest[start + 1..];
        let end = if rest.starts_with("pub fn ") {
            rest.find('{')
        } else if rest.starts_with("pub const ") {
            rest.find('=')
        } else {
            rest.find('\n')
        }
        .unwrap_or(rest.len());
        items.insert(rest[..end].split_whitespace().collect::<Vec<_>>().join(" "));
        rest = &rest[end..];
    }
    items
}

#[test]
fn english_and_spanish_have_the_same_items() {
    let es = public_items(include_str!("es.rs"));
    let en = public_items(include_str!("en.rs"));
    assert!(es.len() > 60, "{es:?}");
    assert!(es.contains("pub fn when(at: DateTime<Tz>, now: DateTime<Tz>) -> String"));
    assert!(es.contains("pub const SURVEY_SCALE: [&str; 5]"));
    let only_es: Vec<_> = es.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&es).collect();
    assert!(
        only_es.is_empty() && only_en.is_empty(),
        "only in es.rs: {only_es:#?}\nonly in en.rs: {only_en:#?}"
    );
}

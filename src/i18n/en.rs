//! English texts, the same items as [`super::es`]: plain, polite public-service English
//! with British spelling, one sentence a person can act on. "Ticket" is the citizen's
//! turn, "counter" the window (ventanilla), "no-show", "priority service" (atención
//! preferencial).

use crate::domain::DomainError;
use chrono::{DateTime, Datelike, Timelike};
use chrono_tz::Tz;

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "today at 13:00", "tomorrow at 08:00" or "on Monday 30 November at 08:00".
pub fn when(at: DateTime<Tz>, now: DateTime<Tz>) -> String {
    let time = format!("{:02}:{:02}", at.hour(), at.minute());
    let days = (at.date_naive() - now.date_naive()).num_days();
    match days {
        0 => format!("today at {time}"),
        1 => format!("tomorrow at {time}"),
        _ => format!(
            "on {} {} {} at {time}",
            WEEKDAYS[at.weekday().num_days_from_monday() as usize],
            at.day(),
            MONTHS[at.month0() as usize]
        ),
    }
}

/// The sentence for a refused command.
pub fn domain_error(e: &DomainError, now: DateTime<Tz>) -> String {
    match e {
        DomainError::ServiceNotFound => {
            "The requested service does not exist in this office; choose one from the list of services.".into()
        }
        DomainError::CategoryNotFound => {
            "That category (general or priority service) does not exist in this office; choose one of the categories offered.".into()
        }
        DomainError::CounterNotFound => {
            "The counter does not exist in this office; check its identifier.".into()
        }
        DomainError::TicketNotFound => {
            "We could not find that ticket; check the code or the link on your ticket.".into()
        }
        DomainError::OfficeClosed { next_opening: Some(at) } => format!(
            "The office is closed at the moment; it opens {}.",
            when(*at, now)
        ),
        DomainError::OfficeClosed { next_opening: None } => {
            "The office is closed and has no upcoming opening hours.".into()
        }
        DomainError::NumberRangeExhausted => {
            "There are no more tickets for this service today; please ask a member of staff for help.".into()
        }
        DomainError::CounterClosed => {
            "The counter is closed; open it before serving tickets.".into()
        }
        DomainError::CounterPaused => {
            "The counter is paused; resume it before calling a ticket.".into()
        }
        DomainError::CounterNotPaused => {
            "The counter is not paused, so there is nothing to resume.".into()
        }
        DomainError::CounterBusy => "The counter still has a ticket in progress; finish it, mark it as a no-show or transfer it before continuing.".into(),
        DomainError::NoCurrentTurn => {
            "The counter has no ticket in progress; call the next ticket first.".into()
        }
        DomainError::AlreadyServing => {
            "The ticket is already being served; finish it or transfer it.".into()
        }
        DomainError::CounterTaken { agent } => {
            format!("{agent} is already working at this counter; choose another counter.")
        }
        DomainError::AgentHasCounter { counter } => {
            format!("You are already working at {counter}; close it before opening another counter.")
        }
        DomainError::ServiceNotServed => "This counter does not handle that ticket's service; call it from a counter that does.".into(),
        DomainError::SameService => {
            "The ticket is already in that service; choose a different service to transfer it to.".into()
        }
        DomainError::TurnNotWaiting => {
            "That ticket is no longer waiting: it may already have been called, served or cancelled.".into()
        }
        DomainError::RecallRequired { required } => format!(
            "Before marking a no-show, call the ticket again at least {}.",
            if *required == 1 { "once".to_owned() } else { format!("{required} times") }
        ),
        DomainError::NothingToUndo => {
            "There is no no-show from this counter to undo.".into()
        }
        DomainError::UndoExpired { seconds } => format!(
            "More than {seconds} seconds have passed since you marked the no-show; if the person has arrived, ask them to take a new ticket."
        ),
        DomainError::InvalidReason => {
            "Give the reason for the pause in a few words (up to 200 characters).".into()
        }
        DomainError::ReasonRequired => {
            "To call a turn out of order, give the reason (reason).".into()
        }
        DomainError::UnknownReason => {
            "That reason is not on the office's list; choose one of the configured reasons.".into()
        }
        DomainError::NoteRequired => {
            "With “Other reason”, write in the note (note) why you call this turn.".into()
        }
        DomainError::NoteTooLong => "The call's note may have up to 200 characters; shorten it.".into(),
        DomainError::InvalidScore { question } => format!(
            "The answer to the question “{}” must be a whole number from 1 to 5.",
            survey_question(question)
        ),
        DomainError::CommentTooLong => format!(
            "The comment is too long; please keep it to {} characters or fewer.",
            crate::domain::survey::MAX_COMMENT_CHARS
        ),
        DomainError::UnknownCaseType => "That type of case does not exist; choose complaint, request for advice, suggestion, compliment, report of wrongdoing or petition.".into(),
        DomainError::NotServed => {
            "The survey can be answered once your ticket has been served.".into()
        }
        DomainError::AlreadyAnswered => {
            "You have already answered the survey for this ticket; thank you for your feedback.".into()
        }
        DomainError::SnoozeOff => {
            "This office does not offer “on my way”; please go to the counter that called you.".into()
        }
        DomainError::AlreadySnoozed => {
            "You already asked for a few minutes for this ticket; please go to the counter when you are called.".into()
        }
        DomainError::TurnNotCalled => {
            "You can ask for a few minutes only once your ticket has been called and before you are served.".into()
        }
        DomainError::SurveyClosed { days } => format!(
            "The time to answer the survey for this ticket has ended (it could be answered up to {days} {} after the service).",
            if *days == 1 { "day" } else { "days" }
        ),
    }
}

/// The survey's questions (protocol 000 §9.1.B–C), by question id.
pub fn survey_question(id: &str) -> &'static str {
    match id {
        "overall" => "Overall, how satisfied are you with the service you received?",
        "attention" => "How satisfied are you with the service you received during your visit?",
        "clarity" => "How satisfied are you with the clarity of the information you were given about your request?",
        "wait_time" => "How satisfied are you with the time you waited to be served at the counter?",
        "response_time" => "How satisfied are you with the time taken to deal with your request?",
        _ => "",
    }
}

/// The labels of the survey's 1–5 scale.
pub const SURVEY_SCALE: [&str; 5] = [
    "Very dissatisfied",
    "Dissatisfied",
    "Neither satisfied nor dissatisfied",
    "Satisfied",
    "Very satisfied",
];

/// The label of a case type.
pub fn case_type_label(case: crate::domain::CaseType) -> &'static str {
    use crate::domain::CaseType as C;
    match case {
        C::Queja => "Complaint",
        C::Asesoria => "Request for advice",
        C::Sugerencia => "Suggestion",
        C::Felicitacion => "Compliment",
        C::Denuncia => "Report of wrongdoing",
        C::Peticion => "Petition",
    }
}

/// Said when a survey is received.
pub const SURVEY_THANKS: &str =
    "Thank you for answering the survey; your opinion helps us improve.";
/// A date in a report's query that is not YYYY-MM-DD.
pub const BAD_DATE: &str =
    "Dates must be in the format YYYY-MM-DD (for example, 2026-11-23); check from and to.";
/// A report range that ends before it starts.
pub const RANGE_REVERSED: &str =
    "The start date (from) is after the end date (to); swap or correct them.";
/// A report range that is too long.
pub const RANGE_TOO_LONG: &str =
    "The report period cannot be longer than 366 days; choose a shorter period.";
/// A report format other than json or csv.
pub const BAD_FORMAT: &str = "The report format must be json or csv.";

/// No such office.
pub const OFFICE_NOT_FOUND: &str = "The office does not exist; check the address.";
/// The store failed; nothing was done.
pub const STORE_UNAVAILABLE: &str =
    "We could not save the operation, so it was not carried out; try again in a few seconds.";
/// The office's log holds events of a newer version: reading works, writing does not.
pub const OFFICE_READ_ONLY: &str = "This office's log holds operations from a newer version of Turnero; for now it can only be viewed. Ask the administrator to run that version.";
/// `/readyz` when some offices cannot write to their log.
pub fn offices_unavailable(offices: &[&str]) -> String {
    match offices {
        [one] => format!(
            "The log of office {one} is not accepting writes (the disk is full, read-only or failing); no tickets are served there until it recovers, which happens on its own."
        ),
        many => format!(
            "The logs of offices {} are not accepting writes (the disk is full, read-only or failing); no tickets are served there until they recover, which happens on their own.",
            many.join(", ")
        ),
    }
}
/// Too many commands queued.
pub const OVERLOADED: &str = "The system is very busy; try again in a few seconds.";
/// Shutting down.
pub const STOPPING: &str = "The server is restarting; try again in a few seconds.";
/// No route.
pub const NOT_FOUND: &str =
    "The requested address does not exist; check the path in the API documentation.";
/// Wrong method.
pub const METHOD_NOT_ALLOWED: &str =
    "This address does not accept that method; check the API documentation.";
/// Not signed in.
pub const UNAUTHENTICATED: &str =
    "Sign in to continue (the Authorization: Bearer header is missing).";
/// Expired or forged session.
pub const SESSION_INVALID: &str = "Your session is not valid or has expired; sign in again.";
/// Wrong username or password.
pub const BAD_CREDENTIALS: &str =
    "The username or password is not correct; check them and try again.";
/// Too many failed logins.
pub const TOO_MANY_ATTEMPTS: &str =
    "Too many failed sign-in attempts; wait a few minutes and try again.";
/// Another office's counters.
pub const OTHER_OFFICE: &str = "You can only operate the counters of your own office.";
/// Role not allowed.
pub const ROLE_FORBIDDEN: &str =
    "Your role does not allow this operation; ask a supervisor for help.";
/// Body too large.
pub const TOO_LARGE: &str = "The request is too large; send only the fields that are needed.";
/// Not JSON.
pub const NOT_JSON: &str = "Send the body as JSON with the header Content-Type: application/json.";
/// Bad token format.
pub const BAD_TOKEN: &str = "The ticket link is not valid; check that you copied all of it.";
/// Unknown service in a filter.
pub const BAD_SERVICE_FILTER: &str =
    "One of the services in the filter does not exist in this office; check the services parameter.";

/// No such image among the office's slides.
pub const SLIDE_NOT_FOUND: &str =
    "That image is not among the office's slides; ask for the list again.";

/// Explains a JSON body serde refused, in English.
pub fn bad_json(detail: &str) -> String {
    let quoted = |s: &str| s.split('`').nth(1).unwrap_or("").to_owned();
    if detail.starts_with("missing field") {
        format!(
            "The field “{}” is missing from the request body.",
            quoted(detail)
        )
    } else if detail.starts_with("unknown field") {
        format!(
            "The field “{}” is not recognised; check its name in the API documentation.",
            quoted(detail)
        )
    } else if detail.starts_with("invalid type") || detail.starts_with("invalid value") {
        "A field has the wrong type of data (for example, text where a number is expected); check the request body.".into()
    } else {
        "The request body is not valid JSON; check its format.".into()
    }
}

// Printing (src/printing, src/http/printing.rs). The printer's own reasons (paper out,
// cover open…) come from the printer crate's `en` module.

/// Printed under the header of a copy a supervisor asked for.
pub const REPRINT_LINE: &str = "Copy (reprint)";
/// A kiosk id in a ticket request that the office does not have (the turn is still valid).
pub const PRINT_KIOSK_UNKNOWN: &str =
    "This kiosk is not set up in the office, so the ticket was not printed; the ticket is valid. Please tell a member of staff.";
/// An unknown kiosk in an address or body.
pub const KIOSK_NOT_FOUND: &str = "The kiosk does not exist in this office; check its identifier.";
/// A reprint that does not say where, for a turn printed nowhere yet.
pub const KIOSK_REQUIRED: &str =
    "Say which kiosk should reprint the ticket (field “kiosk”): this ticket has not been printed at any kiosk.";
/// A reprint of a turn that has ended.
pub const REPRINT_CLOSED: &str = "This ticket has already ended; there is no point reprinting it.";
/// A turn never sent to a printer.
pub const PRINT_NOT_FOUND: &str = "This ticket has not been sent to any printer.";
/// Added to the printer's reason while a job is still being retried.
pub const PRINT_RETRYING: &str = "Still trying to print the ticket.";
/// A job waiting for a print agent that is not connected.
pub const AGENT_OFFLINE: &str =
    "The kiosk's printing computer is not connected; the ticket will be printed as soon as it connects.";
/// Added to the expiry reason when the agent never came back in time.
pub const AGENT_WAS_OFFLINE: &str = "The kiosk's printing computer was not connected.";
/// The printer's queue is full.
pub const PRINT_QUEUE_FULL: &str =
    "The printer's queue is full; check the printer (paper, cover, cable) before continuing.";
/// The printer's queue has stopped (the server is stopping).
pub const PRINT_QUEUE_STOPPED: &str = "The print queue has stopped; try again in a few seconds.";
/// The shared print queue (Redis) could not take the job (the turn is still valid).
pub const PRINT_QUEUE_UNAVAILABLE: &str =
    "The ticket could not be sent to the printer because the shared store is not responding; the ticket is valid. You can reprint it in a few seconds.";
/// No server process drives a kiosk's printer at the moment.
pub const PRINT_NO_OWNER: &str =
    "No server is handling this printer at the moment; this will resume in a few seconds.";
/// A job found on the shared queue that no printer can take.
pub const PRINT_JOB_DAMAGED: &str =
    "The print job arrived damaged and was not printed; reprint the ticket.";
/// Too many sign-ins are being checked at once (a flood): try again in a moment.
pub const SIGN_IN_BUSY: &str = "Too many sign-ins are in progress; try again in a few seconds.";
/// A turn with its own feeds open already.
pub const TOO_MANY_FEEDS: &str =
    "This ticket is already being followed on several screens; close one and open this page again.";
/// A lobby screen over the cap of its address.
pub const TOO_MANY_SCREENS_ADDRESS: &str =
    "Too many screens are already open from this address; close one or ask the administrator to raise max_screens_per_address.";
/// A lobby screen over what the server's open-file limit allows.
pub const TOO_MANY_SCREENS_SERVER: &str =
    "The server already has as many screens open as it can serve; close one or ask the administrator to raise the open-file limit.";
/// A lobby screen over the cap of its office.
pub const TOO_MANY_SCREENS_OFFICE: &str =
    "This office already has too many screens open; close one or ask the administrator to raise max_screens_per_office.";
/// A connection over the server's cap (`max_connections`).
pub const TOO_MANY_CONNECTIONS: &str =
    "The server is already handling all the connections it allows; try again in a few seconds and, if this happens again, tell the administrator.";
/// A request body that came too slowly.
pub const BODY_TOO_SLOW: &str =
    "The request arrived too slowly and was discarded; check the connection and try again.";
/// A bulk cancel whose first number is above its last.
pub const BAD_NUMBER_RANGE: &str =
    "The range of numbers is not valid: “from” must be less than or equal to “to”.";
/// A device token that is missing or wrong.
pub const AGENT_TOKEN_INVALID: &str =
    "The print agent's key is not valid for this kiosk; check the key configured in the agent.";
/// The agent socket of a kiosk that prints from the server.
pub const KIOSK_NOT_AGENT: &str =
    "This kiosk prints directly from the server; it does not use a print agent.";
/// A paper width other than 80 or 58.
pub const BAD_PAPER_WIDTH: &str = "The paper width (width) must be 80 or 58 millimetres.";
/// A QR mode other than native or raster.
pub const BAD_QR_MODE: &str = "The QR code mode (qr) must be native or raster.";
/// A code page other than pc850 or wpc1252.
pub const BAD_CODE_PAGE: &str = "The code page (code_page) must be pc850 or wpc1252.";
/// A language the office does not offer.
pub const LANGUAGE_NOT_OFFERED: &str =
    "This office does not serve in that language; choose one of the languages it offers (GET /offices/{office}, field languages).";
/// The agent socket answered over plain HTTP.
pub const WEBSOCKET_REQUIRED: &str =
    "This address is a WebSocket; connect with a WebSocket client.";
/// Query parameters that do not parse.
pub fn bad_query(detail: &str) -> String {
    format!("The query parameters are not valid ({detail}); check them.")
}
/// An audit trail filter naming no action.
pub fn unknown_audit_action(name: &str) -> String {
    format!(
        "The trail has no action «{name}»; use one of: {}.",
        super::audit_action_names()
    )
}
/// The join page of an office that takes no turns from phones.
pub const JOIN_OFF: &str =
    "This office does not give tickets by phone; please take one at the kiosk by the entrance.";
/// A join in lobby mode without the lobby's current code.
pub const JOIN_CODE_INVALID: &str =
    "That code is not the one the waiting-room screen shows now (it changes every few minutes); scan the screen's QR code again or type the code it shows.";
/// A join from anywhere without a phone number.
pub const PHONE_REQUIRED: &str =
    "To take a ticket from your phone, enter your number with the country code, for example +573001234567.";
/// A phone number over its turns for the day.
pub const JOIN_DAILY_LIMIT: &str =
    "This phone number has already taken today's tickets allowed by phone; if you need another one, please take it at the office's kiosk.";
/// An anonymous turn in an office that issues only at its kiosks and by its staff.
pub const ISSUING_RESTRICTED: &str =
    "In this office, tickets are issued at the kiosks at the entrance or by the staff; please go to one of them.";
/// A bearer token that is neither a paired kiosk's nor a session of the office.
pub const DEVICE_TOKEN_INVALID: &str =
    "This kiosk's key or the session is not valid for this office; ask a supervisor to pair the kiosk again.";
/// An anonymous request that names a kiosk.
pub const KIOSK_NOT_PAIRED: &str =
    "This kiosk is not paired: a supervisor must pair it with its device key before it can print tickets.";
/// A paired kiosk that names another kiosk.
pub const KIOSK_MISMATCH: &str =
    "This kiosk's key belongs to another kiosk; pair it again with its own key.";
/// A bulk cancel that names nothing to cancel.
pub const BULK_SELECTION_MISSING: &str =
    "Say which tickets to cancel: a service with “from” and “to”, a kiosk (“kiosk”) or an address (“address”).";
/// An anonymous client over the office's limit of turns.
pub const TOO_MANY_TURNS: &str =
    "Several tickets have been taken from this connection recently; wait a few minutes or go to a kiosk in the office.";
/// A bulk cancel by an address that is not one.
pub const BAD_ADDRESS: &str = "The “address” is not a valid IP address (for example, 203.0.113.7).";

/// The SMS when a turn is near (the office's `texts_in.en.near` replaces it).
pub const NOTIFY_NEAR: &str =
    "Turnero: your turn {code} is coming up. Please come back to the waiting room.";
/// The SMS when a turn is called.
pub const NOTIFY_CALLED: &str = "Turnero: {code}, please go to {counter}.";
/// The SMS when a turn is called again.
pub const NOTIFY_RECALLED: &str =
    "Turnero: {code}, we are calling you again. Please go to {counter} now.";
/// The SMS when a turn was marked as not present.
pub const NOTIFY_NO_SHOW: &str = "Turnero: {code} did not come in time.";
/// A phone number that is not in international form.
pub const BAD_PHONE: &str = "The phone number must be in international form: «+», the country code and the number, 8 to 15 digits in all (for example, +573001234567).";
/// A Web Push subscription of the wrong shape.
pub const BAD_SUBSCRIPTION: &str = "The browser's notification subscription is not valid: it needs an https «endpoint» and the keys «p256dh» and «auth».";
/// A notify request that names no way to tell the citizen.
pub const NOTIFY_NOTHING: &str =
    "Give a phone number («phone») or a browser subscription («web_push»).";
/// A phone number left where the office sends no SMS.
pub const SMS_UNAVAILABLE: &str =
    "This office does not send SMS alerts; follow your turn on this page.";
/// A Web Push subscription where the office has no key to send with.
pub const WEB_PUSH_UNAVAILABLE: &str =
    "This office does not send browser notifications; follow your turn on this page.";
/// A notification asked for a turn that has ended.
pub const TURN_ENDED: &str = "This turn has ended; there is nothing left to tell you.";

// Web Push notifications on the citizen's phone (src/webpush): the page's own words, so
// a notification and the open page say the same.

/// A push notification: the turn is near (title, text).
pub fn push_near(code: &str, people: u32) -> (String, String) {
    let body = match people {
        0 => format!("Your ticket {code} is next. Please come back to the waiting room."),
        1 => format!(
            "Your ticket {code} is near: 1 ahead of you. Please come back to the waiting room."
        ),
        n => format!(
            "Your ticket {code} is near: {n} ahead of you. Please come back to the waiting room."
        ),
    };
    ("Your ticket is near".to_owned(), body)
}

/// A push notification: the turn is called (title, text).
pub fn push_called(code: &str, counter: &str) -> (String, String) {
    (
        format!("You are being called: ticket {code}"),
        format!("Your ticket has been called: please go to {counter}"),
    )
}

/// A push notification: the turn is called again (title, text).
pub fn push_recalled(code: &str, counter: &str) -> (String, String) {
    (
        format!("You are being called again: ticket {code}"),
        format!("We are calling you again: please go to {counter} now."),
    )
}

/// A push notification: the turn was called and nobody came (title, text).
pub fn push_no_show(code: &str) -> (String, String) {
    (
        format!("Your ticket {code} was called and you did not come to the counter"),
        "If you are still in the office, please take a new ticket at the entrance.".to_owned(),
    )
}

#[cfg(test)]
#[path = "en_tests.rs"]
mod tests;

/// Minutes, rounded down, of a span in seconds.
fn whole_minutes(seconds: u32) -> u32 {
    seconds / 60
}

/// An alert's message for supervisors: what is wrong, with its figures now (`detail`;
/// none once it no longer holds and is about to clear).
pub fn alert_message(
    kind: crate::domain::alerts::AlertKind,
    about: &str,
    detail: Option<&crate::domain::alerts::Detail>,
) -> String {
    use crate::domain::alerts::{AlertKind as K, Detail as D};
    match (kind, detail) {
        (K::WaitOver, Some(D::Wait { seconds, limit })) => format!(
            "{about}: the longest wait is {} min (limit {}).",
            whole_minutes(*seconds),
            whole_minutes(*limit)
        ),
        (K::WaitOver, _) => format!("{about}: the longest wait went over the limit."),
        (K::WaitingOver, Some(D::Waiting { count, limit })) => {
            format!("{about}: {count} people are waiting (limit {limit}).")
        }
        (K::WaitingOver, _) => format!("{about}: more people wait than the limit."),
        (K::NoCounter, Some(D::NoCounter { count })) => format!(
            "{about}: {} and no open counter serves it.",
            if *count == 1 {
                "1 person is waiting".to_owned()
            } else {
                format!("{count} people are waiting")
            }
        ),
        (K::NoCounter, _) => format!("{about}: people are waiting and no open counter serves it."),
        (
            K::CounterPaused,
            Some(D::Paused {
                seconds,
                limit,
                reason,
            }),
        ) => format!(
            "{about} has been paused for {} min (limit {}): “{reason}”.",
            whole_minutes(*seconds),
            whole_minutes(*limit)
        ),
        (K::CounterPaused, _) => format!("{about} has been paused longer than the limit."),
        (K::PrinterPaper, _) => format!("The printer of “{about}” is out of paper."),
        (K::PrinterOffline, Some(D::Printer { reason })) if !reason.is_empty() => {
            // The print service's reasons are sentences of their own.
            let reason = reason.trim_end_matches('.');
            format!("The printer of “{about}” cannot print: {reason}.")
        }
        (K::PrinterOffline, _) => format!("The printer of “{about}” does not answer."),
        (K::SatisfactionLow, Some(D::Satisfaction { mean, answers })) => {
            format!("{about}: satisfaction over the last {answers} answers is {mean:.1} (below 3).")
        }
        (K::SatisfactionLow, _) => format!("{about}: recent satisfaction is below 3."),
    }
}

/// The forecast's advice for a service that would miss its target: how many counters to
/// open, before when, and the wait it would reach.
pub fn forecast_advice(
    service: &str,
    advice: &crate::domain::forecast::Advice,
    open: u32,
    before: DateTime<Tz>,
    now: bool,
) -> String {
    let when = if now {
        "now".to_owned()
    } else {
        format!("before {:02}:{:02}", before.hour(), before.minute())
    };
    let target = whole_minutes(advice.target);
    let reach = match advice.would_reach {
        Some(w) => format!(
            "the wait would reach {} min (target {target})",
            (w + 30) / 60
        ),
        None => format!("with no counter open the wait has no end (target {target} min)"),
    };
    let more = if open == 0 { "" } else { " more" };
    let open_what = match advice.extra_counters {
        Some(1) => format!("Open one{more} counter for {service}"),
        Some(n) => format!("Open {n}{more} counters for {service}"),
        None => format!("Open every counter you can for {service}"),
    };
    let short = match advice.extra_counters {
        Some(n) if n > advice.available && advice.available == 0 => {
            " No other counter serves it: assign the service to others.".to_owned()
        }
        Some(n) if n > advice.available => format!(
            " Only {} more can serve it: assign the service to others.",
            advice.available
        ),
        _ => String::new(),
    };
    format!("{open_what} {when}: {reach}.{short}")
}

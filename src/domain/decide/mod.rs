//! Commands and the rules that turn them into events: `decide(state, command, now)`.

use super::error::DomainError;
use super::event::Event;
use super::spec::CounterIdx;
use super::state::OfficeState;
use super::survey::{self, SurveyForm, SurveyTurn};
use super::ticket::TicketStatus;
use super::token::Token;
use chrono::{DateTime, Utc};

mod counter;
use counter::counter_action;

/// Longest pause reason accepted, in characters.
pub const MAX_REASON_CHARS: usize = 200;

/// How long after a no-show the agent may take it back (the citizen turns up at once, or
/// the button was pressed by mistake).
pub const UNDO_NO_SHOW_WITHIN: chrono::Duration = chrono::Duration::seconds(60);

/// How often the staffing forecast is kept in the log, in seconds (each quarter hour).
pub const FORECAST_EVERY_SECONDS: i64 = 15 * 60;

/// Something a citizen, kiosk or agent asks of an office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Take a turn.
    Issue {
        /// Service slug.
        service: String,
        /// Category slug (`general` when absent).
        category: Option<String>,
        /// Who asks: the paired kiosk, the staff member or the client's address.
        issuer: Option<super::Issuer>,
        /// Randomness for the token, chosen by the caller.
        entropy: [u8; 12],
        /// The citizen's language (none: the office's own).
        language: Option<super::Language>,
    },
    /// A citizen withdraws a waiting turn.
    Cancel {
        /// The turn's token.
        token: Token,
    },
    /// A citizen called but still on the way asks for a few minutes (once): the turn is
    /// called again after the office's `snooze_turns` other turns.
    Snooze {
        /// The turn's token.
        token: Token,
    },
    /// A supervisor cancels every waiting turn of a service numbered `from..=to` (a
    /// flood of turns nobody will come for).
    CancelRange {
        /// Service slug.
        service: String,
        /// First number.
        from: u32,
        /// Last number.
        to: u32,
    },
    /// A supervisor cancels every waiting turn one kiosk or address brought in (of one
    /// service, if given), as after a flood.
    CancelIssuedBy {
        /// Who brought them in.
        issuer: super::Issuer,
        /// Only turns of this service (slug), if given.
        service: Option<String>,
    },
    /// An action at a counter by an agent.
    Counter {
        /// Counter slug.
        counter: String,
        /// The user acting.
        agent: String,
        /// What to do.
        action: CounterAction,
    },
    /// A command of a member of staff that the audit trail keeps: its events, and the
    /// trail's line in the same batch (nothing when the command changed nothing).
    Audited {
        /// The command.
        command: Box<Command>,
        /// Who, what and from where.
        entry: super::AuditEntry,
    },
    /// A line of the audit trail alone, for an action that changes no turn (a sign-in,
    /// a reprint).
    Record {
        /// Who, what and from where.
        entry: super::AuditEntry,
    },
    /// Bring the supervisors' alerts in force in line with what holds now (the office's
    /// alert evaluator sends it on every change and on a timer).
    EvaluateAlerts {
        /// What the print service says of the office's kiosk printers.
        printers: Vec<super::alerts::PrinterReport>,
    },
    /// Keep the staffing forecast just made, once per quarter of an hour.
    RecordForecast {
        /// Per service (slug): expected wait in seconds, share within target in
        /// thousandths, counters counted on.
        services: Vec<(String, u32, u16, u16)>,
    },
    /// A citizen answers the satisfaction survey of an attended turn.
    AnswerSurvey {
        /// The turn, as read from its day (today's or an older one).
        turn: Box<SurveyTurn>,
        /// The answers as sent.
        form: Box<SurveyForm>,
    },
}

/// What an agent does at a counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CounterAction {
    /// Take the counter.
    Open,
    /// Call the next turn by the policy.
    CallNext,
    /// Call one waiting turn by its code, out of order, saying why.
    Call {
        /// The code (`A-017`).
        code: String,
        /// The id of one of the office's `out_of_order_reasons` (required).
        reason: Option<String>,
        /// Free text, up to [`MAX_REASON_CHARS`] (required for `otro`).
        note: Option<String>,
    },
    /// Call the current turn again.
    Recall,
    /// The citizen arrived.
    Start,
    /// The attention ended.
    Finish,
    /// The citizen did not come.
    NoShow,
    /// The citizen came after all: the counter's latest no-show, within
    /// [`UNDO_NO_SHOW_WITHIN`], is called again at the counter.
    UndoNoShow,
    /// Send the current turn to another service.
    Transfer {
        /// Target service slug.
        service: String,
    },
    /// Step away.
    Pause {
        /// Why (shown to supervisors).
        reason: String,
    },
    /// Come back.
    Resume,
    /// Leave the counter.
    Close,
    /// A supervisor takes the counter from the agent holding it (the turn in progress
    /// and a pause stay as they are); on a free counter, the same as `Open`.
    TakeOver,
}

/// What a command touched, so the caller can show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A turn.
    Ticket(u32),
    /// A counter.
    Counter(CounterIdx),
    /// Nothing to call (call-next on empty queues).
    Nothing,
    /// This many turns (a bulk cancel).
    Turns(u32),
}

/// Decides what a command does to the office, without changing it.
pub fn decide(
    state: &OfficeState,
    command: &Command,
    now: DateTime<Utc>,
) -> Result<(Vec<Event>, Subject), DomainError> {
    match command {
        Command::Issue {
            service,
            category,
            issuer,
            entropy,
            language,
        } => issue(
            state,
            service,
            category.as_deref(),
            issuer,
            *entropy,
            *language,
            now,
        ),
        Command::Cancel { token } => {
            let t = state
                .ticket_by_token(token)
                .ok_or(DomainError::TicketNotFound)?;
            if t.status != TicketStatus::Waiting {
                return Err(DomainError::TurnNotWaiting);
            }
            Ok((
                vec![Event::TicketCancelled {
                    seq: t.seq,
                    at: now,
                }],
                Subject::Ticket(t.seq),
            ))
        }
        Command::Snooze { token } => snooze(state, token, now),
        Command::Audited { command, entry } => {
            let (mut events, subject) = decide(state, command, now)?;
            if !events.is_empty() {
                events.push(Event::StaffAction {
                    entry: entry.clone(),
                    at: now,
                });
            }
            Ok((events, subject))
        }
        Command::Record { entry } => Ok((
            vec![Event::StaffAction {
                entry: entry.clone(),
                at: now,
            }],
            Subject::Turns(0),
        )),
        Command::CancelRange { service, from, to } => {
            let s = state
                .spec
                .service_idx(service)
                .ok_or(DomainError::ServiceNotFound)?;
            let events: Vec<Event> = state
                .tickets
                .iter()
                .filter(|t| {
                    !t.placeholder
                        && t.code_service == s
                        && t.status == TicketStatus::Waiting
                        && (*from..=*to).contains(&t.number)
                })
                .map(|t| Event::TicketCancelled {
                    seq: t.seq,
                    at: now,
                })
                .collect();
            let n = events.len() as u32;
            Ok((events, Subject::Turns(n)))
        }
        Command::CancelIssuedBy { issuer, service } => {
            let s = match service {
                Some(id) => Some(
                    state
                        .spec
                        .service_idx(id)
                        .ok_or(DomainError::ServiceNotFound)?,
                ),
                None => None,
            };
            let events: Vec<Event> = state
                .waiting_issued_by(issuer, s)
                .into_iter()
                .map(|seq| Event::TicketCancelled { seq, at: now })
                .collect();
            let n = events.len() as u32;
            Ok((events, Subject::Turns(n)))
        }
        Command::Counter {
            counter,
            agent,
            action,
        } => {
            let c = state
                .spec
                .counter_idx(counter)
                .ok_or(DomainError::CounterNotFound)?;
            counter_action(state, c, agent, action, now)
        }
        Command::EvaluateAlerts { printers } => Ok((
            super::alerts::changes(state, now, printers),
            Subject::Nothing,
        )),
        Command::RecordForecast { services } => {
            let slot = |at: DateTime<Utc>| at.timestamp().div_euclid(FORECAST_EVERY_SECONDS);
            // Another process may have kept this quarter's already: once is enough.
            if state
                .last_forecast_at
                .is_some_and(|last| slot(last) == slot(now))
            {
                return Ok((Vec::new(), Subject::Nothing));
            }
            let events = services
                .iter()
                .map(|(service, wait, share, counters)| Event::ForecastMade {
                    service: service.clone(),
                    expected_wait_seconds: *wait,
                    within_target_permille: *share,
                    counters: *counters,
                    at: now,
                })
                .collect();
            Ok((events, Subject::Nothing))
        }
        Command::AnswerSurvey { turn, form } => {
            let event = survey::answer(state, turn, form, now)?;
            // The subject is today's turn when it is one; older turns are not in `state`.
            let subject = if turn.day == state.day {
                Subject::Ticket(turn.seq)
            } else {
                Subject::Nothing
            };
            Ok((vec![event], subject))
        }
    }
}

fn issue(
    state: &OfficeState,
    service: &str,
    category: Option<&str>,
    issuer: &Option<super::Issuer>,
    entropy: [u8; 12],
    language: Option<super::Language>,
    now: DateTime<Utc>,
) -> Result<(Vec<Event>, Subject), DomainError> {
    let spec = &state.spec;
    let s = spec
        .service_idx(service)
        .ok_or(DomainError::ServiceNotFound)?;
    let category = category.unwrap_or("general");
    let c = spec
        .category_idx(category)
        .ok_or(DomainError::CategoryNotFound)?;
    if !spec.hours.is_open(spec.timezone, now) {
        return Err(DomainError::OfficeClosed {
            next_opening: spec.hours.next_opening(spec.timezone, now),
        });
    }
    let number = state
        .number_for(s)
        .ok_or(DomainError::NumberRangeExhausted)?;
    let seq = state.tickets.len() as u32;
    // Issue times never go backwards, so the aging cutoff can binary-search them.
    let at = now.max(state.tickets.last().map_or(now, |t| t.issued_at));
    Ok((
        vec![Event::TicketIssued {
            seq,
            number,
            token: Token::new(entropy, state.day),
            service: service.to_owned(),
            category: category.to_owned(),
            preferential: spec.categories[c as usize].preferential,
            issuer: issuer.clone(),
            prefix: Some(spec.services[s as usize].prefix.clone()),
            // The office's own language goes without saying.
            language: language.filter(|l| *l != spec.own_language()),
            at,
        }],
        Subject::Ticket(seq),
    ))
}

/// The event that ends a day: waiting and called turns expire, turns being served are
/// closed as served.
pub fn close_day(state: &OfficeState, at: DateTime<Utc>) -> Event {
    let mut expired = Vec::new();
    let mut closed_served = Vec::new();
    for t in &state.tickets {
        match t.status {
            TicketStatus::Waiting | TicketStatus::Called => expired.push(t.seq),
            TicketStatus::Serving => closed_served.push(t.seq),
            _ => {}
        }
    }
    Event::DayClosed {
        at,
        expired,
        closed_served,
    }
}

/// "Voy en camino": a called turn, not yet being attended, waits again for the office's
/// `snooze_turns` calls — once. The counter that called it is free for the next turn.
fn snooze(
    state: &OfficeState,
    token: &Token,
    now: DateTime<Utc>,
) -> Result<(Vec<Event>, Subject), DomainError> {
    let t = state
        .ticket_by_token(token)
        .ok_or(DomainError::TicketNotFound)?;
    let turns = state.spec.policy.snooze_turns;
    if turns == 0 {
        return Err(DomainError::SnoozeOff);
    }
    match t.status {
        TicketStatus::Called => {}
        TicketStatus::Serving => return Err(DomainError::AlreadyServing),
        _ => return Err(DomainError::TurnNotCalled),
    }
    if t.snoozed {
        return Err(DomainError::AlreadySnoozed);
    }
    let counter = t
        .counter
        .map(|c| state.spec.counters[c as usize].id.clone())
        .ok_or(DomainError::TurnNotCalled)?;
    Ok((
        vec![Event::TicketSnoozed {
            seq: t.seq,
            counter,
            turns,
            at: now,
        }],
        Subject::Ticket(t.seq),
    ))
}

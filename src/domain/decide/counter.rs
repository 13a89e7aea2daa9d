//! What an agent's action at a counter decides: opening and taking over, calling (next
//! or by code), recalling, starting, finishing, no-show and its undoing, transferring,
//! pausing, resuming and closing. A counter's actions belong to the agent holding it.

use super::{CounterAction, Subject, MAX_REASON_CHARS};
use crate::domain::error::DomainError;
use crate::domain::event::{CallReason, Event, OutOfOrder};
use crate::domain::policy;
use crate::domain::spec::{CounterIdx, OfficeSpec, OTHER_REASON};
use crate::domain::state::{CounterStatus, OfficeState};
use crate::domain::ticket::TicketStatus;
use chrono::{DateTime, Utc};

pub(super) fn counter_action(
    state: &OfficeState,
    c: CounterIdx,
    agent: &str,
    action: &CounterAction,
    now: DateTime<Utc>,
) -> Result<(Vec<Event>, Subject), DomainError> {
    let spec = &state.spec;
    let counter = &state.counters[c as usize];
    let id = spec.counters[c as usize].id.clone();
    let current = counter.current.map(|seq| state.tickets[seq as usize]);
    let on_counter = |e: Event| Ok((vec![e], Subject::Counter(c)));
    let on_ticket = |e: Event, seq: u32| Ok((vec![e], Subject::Ticket(seq)));

    let opening = matches!(action, CounterAction::Open | CounterAction::TakeOver);
    // Every action but Open needs the counter staffed.
    if !opening && counter.status == CounterStatus::Closed {
        return Err(DomainError::CounterClosed);
    }
    // A counter belongs to the agent who opened it: nobody else acts in their name.
    if let Some(holder) = counter.agent.as_deref().filter(|a| *a != agent) {
        if *action != CounterAction::TakeOver {
            return Err(DomainError::CounterTaken {
                agent: holder.to_owned(),
            });
        }
    }
    match action {
        CounterAction::TakeOver if counter.status != CounterStatus::Closed => {
            let Some(holder) = counter.agent.as_deref().filter(|a| *a != agent) else {
                return Ok((Vec::new(), Subject::Counter(c)));
            };
            if let Some(other) = state
                .counters
                .iter()
                .position(|o| o.agent.as_deref() == Some(agent))
            {
                return Err(DomainError::AgentHasCounter {
                    counter: spec.counters[other].name.clone(),
                });
            }
            on_counter(Event::CounterTakenOver {
                counter: id,
                from: holder.to_owned(),
                agent: agent.to_owned(),
                at: now,
            })
        }
        CounterAction::Open | CounterAction::TakeOver => {
            if let Some(holder) = counter.agent.as_deref().filter(|a| *a != agent) {
                return Err(DomainError::CounterTaken {
                    agent: holder.to_owned(),
                });
            }
            if let Some(other) = state
                .counters
                .iter()
                .position(|o| o.agent.as_deref() == Some(agent))
                .filter(|&o| o != c as usize)
            {
                return Err(DomainError::AgentHasCounter {
                    counter: spec.counters[other].name.clone(),
                });
            }
            if counter.status != CounterStatus::Closed {
                return Ok((Vec::new(), Subject::Counter(c)));
            }
            on_counter(Event::CounterOpened {
                counter: id,
                agent: agent.to_owned(),
                at: now,
            })
        }
        CounterAction::CallNext | CounterAction::Call { .. } => {
            if matches!(counter.status, CounterStatus::Paused { .. }) {
                return Err(DomainError::CounterPaused);
            }
            if current.is_some() {
                return Err(DomainError::CounterBusy);
            }
            let services = &spec.counters[c as usize].services;
            let (seq, reason, streak, out_of_order) = match action {
                CounterAction::Call { code, reason, note } => {
                    // The reason first: a refused call must say what to fix before
                    // anything about the turn.
                    let why = out_of_order(spec, reason.as_deref(), note.as_deref())?;
                    let t = state
                        .ticket_by_code(code)
                        .ok_or(DomainError::TicketNotFound)?;
                    if t.status != TicketStatus::Waiting {
                        return Err(DomainError::TurnNotWaiting);
                    }
                    if !services.contains(&t.service) {
                        return Err(DomainError::ServiceNotServed);
                    }
                    (t.seq, CallReason::OutOfOrder, state.streak, Some(why))
                }
                _ => {
                    let cutoff = policy::aging_cutoff(&state.tickets, &spec.policy, now);
                    match policy::choose(
                        state.queues(),
                        services,
                        cutoff,
                        state.streak,
                        &spec.policy,
                    ) {
                        Some(choice) => (choice.seq, choice.reason, choice.streak, None),
                        None => return Ok((Vec::new(), Subject::Nothing)),
                    }
                }
            };
            on_ticket(
                Event::TicketCalled {
                    seq,
                    counter: id,
                    agent: agent.to_owned(),
                    reason,
                    streak,
                    out_of_order,
                    at: now,
                },
                seq,
            )
        }
        CounterAction::Recall | CounterAction::Start | CounterAction::NoShow => {
            let t = current.ok_or(DomainError::NoCurrentTurn)?;
            if t.status != TicketStatus::Called {
                return Err(DomainError::AlreadyServing);
            }
            let seq = t.seq;
            let event = match action {
                CounterAction::Recall => Event::TicketRecalled {
                    seq,
                    counter: id,
                    at: now,
                },
                CounterAction::Start => Event::ServiceStarted {
                    seq,
                    counter: id,
                    at: now,
                },
                _ => {
                    let required = spec.policy.min_recalls_before_no_show;
                    if t.recalls < required {
                        return Err(DomainError::RecallRequired { required });
                    }
                    Event::TicketNoShow {
                        seq,
                        counter: id,
                        at: now,
                    }
                }
            };
            on_ticket(event, seq)
        }
        CounterAction::UndoNoShow => {
            if current.is_some() {
                return Err(DomainError::CounterBusy);
            }
            let t = state
                .tickets
                .iter()
                .rev()
                .find(|t| !t.placeholder && t.counter == Some(c) && t.status.is_final())
                .filter(|t| t.status == TicketStatus::NoShow)
                .ok_or(DomainError::NothingToUndo)?;
            let ended = t.finished_at.unwrap_or(now);
            if now - ended > super::UNDO_NO_SHOW_WITHIN {
                return Err(DomainError::UndoExpired {
                    seconds: super::UNDO_NO_SHOW_WITHIN.num_seconds() as u32,
                });
            }
            on_ticket(
                Event::NoShowUndone {
                    seq: t.seq,
                    counter: id,
                    at: now,
                },
                t.seq,
            )
        }
        CounterAction::Finish => {
            let t = current.ok_or(DomainError::NoCurrentTurn)?;
            on_ticket(
                Event::TicketServed {
                    seq: t.seq,
                    counter: id,
                    agent: agent.to_owned(),
                    at: now,
                },
                t.seq,
            )
        }
        CounterAction::Transfer { service } => {
            let t = current.ok_or(DomainError::NoCurrentTurn)?;
            let to = spec
                .service_idx(service)
                .ok_or(DomainError::ServiceNotFound)?;
            if to == t.service {
                return Err(DomainError::SameService);
            }
            on_ticket(
                Event::TicketTransferred {
                    seq: t.seq,
                    counter: id,
                    from_service: spec.services[t.service as usize].id.clone(),
                    to_service: service.clone(),
                    at: now,
                },
                t.seq,
            )
        }
        CounterAction::Pause { reason } => {
            let reason = reason.trim();
            if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
                return Err(DomainError::InvalidReason);
            }
            if current.is_some() {
                return Err(DomainError::CounterBusy);
            }
            if matches!(counter.status, CounterStatus::Paused { .. }) {
                return Err(DomainError::CounterPaused);
            }
            on_counter(Event::CounterPaused {
                counter: id,
                reason: reason.to_owned(),
                at: now,
            })
        }
        CounterAction::Resume => {
            if !matches!(counter.status, CounterStatus::Paused { .. }) {
                return Err(DomainError::CounterNotPaused);
            }
            on_counter(Event::CounterResumed {
                counter: id,
                at: now,
            })
        }
        CounterAction::Close => {
            if current.is_some() {
                return Err(DomainError::CounterBusy);
            }
            on_counter(Event::CounterClosed {
                counter: id,
                at: now,
            })
        }
    }
}

/// The reason for a call out of order, checked against the office's list: required, one
/// of the configured ids, with a note of at most [`MAX_REASON_CHARS`] (required for
/// `otro`, which says nothing by itself).
fn out_of_order(
    spec: &OfficeSpec,
    reason: Option<&str>,
    note: Option<&str>,
) -> Result<OutOfOrder, DomainError> {
    let reason = reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .ok_or(DomainError::ReasonRequired)?;
    if !spec.out_of_order_reasons.iter().any(|r| r.id == reason) {
        return Err(DomainError::UnknownReason);
    }
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > MAX_REASON_CHARS) {
        return Err(DomainError::NoteTooLong);
    }
    if reason == OTHER_REASON && note.is_none() {
        return Err(DomainError::NoteRequired);
    }
    Ok(OutOfOrder {
        reason: reason.to_owned(),
        note: note.map(str::to_owned),
    })
}

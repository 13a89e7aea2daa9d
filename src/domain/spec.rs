//! The static description of an office (services, categories, counters, hours, policy),
//! as loaded from configuration and trusted by the rest of the domain.

use super::event::Event;
use super::language::Language;
use super::schedule::WeeklyHours;
use chrono_tz::Tz;
use std::path::PathBuf;

/// The target wait of a service the configuration does not name (as the protocol's).
pub const DEFAULT_TARGET_WAIT_SECONDS: u32 = 15 * 60;
/// The service time assumed for a service the configuration does not name.
pub const DEFAULT_SERVICE_SECONDS: u32 = 5 * 60;
/// How long a lobby screen shows each slide when the configuration does not say.
pub const DEFAULT_SLIDE_SECONDS: u32 = 10;

/// Index of a service inside its office's [`OfficeSpec::services`].
pub type ServiceIdx = u16;
/// Index of a category inside its office's [`OfficeSpec::categories`].
pub type CategoryIdx = u16;
/// Index of a counter inside its office's [`OfficeSpec::counters`].
pub type CounterIdx = u16;

/// One office and everything that is configured about it.
#[derive(Debug, Clone)]
pub struct OfficeSpec {
    /// Slug used in URLs (`central`).
    pub id: String,
    /// Name people read (`Oficina Central`).
    pub name: String,
    /// IANA time zone of the office; the local day and opening hours follow it.
    pub timezone: Tz,
    /// Opening hours per weekday, with breaks.
    pub hours: WeeklyHours,
    /// Base URL used in the links printed on tickets (`https://turnos.example.org`).
    pub public_base_url: Option<String>,
    /// The announcement line the lobby screens show (`display_notice`); a screen's own
    /// `aviso=` wins.
    pub display_notice: Option<String>,
    /// The languages its screens, tickets and announcements offer; the first is the
    /// office's own (never empty).
    pub languages: Vec<Language>,
    /// The folder whose images the lobby screens show beside the calls
    /// (`display_slides`); none: no side area.
    pub display_slides: Option<PathBuf>,
    /// Seconds each slide stays on screen (`display_slide_seconds`, 10 by default).
    pub display_slide_seconds: u32,
    /// When a waiting citizen is told their turn is near.
    pub near: NearRule,
    /// The services (trámites) offered.
    pub services: Vec<ServiceSpec>,
    /// The attention categories a citizen can declare.
    pub categories: Vec<CategorySpec>,
    /// The windows (ventanillas).
    pub counters: Vec<CounterSpec>,
    /// How the next turn is chosen.
    pub policy: PolicySpec,
    /// Days after a turn's day during which its satisfaction survey may be answered.
    pub survey_days: u32,
    /// The reasons an agent may give for calling a turn by its code, out of order
    /// (`out_of_order_reasons`; never empty).
    pub out_of_order_reasons: Vec<OutOfOrderReason>,
    /// The office-wide alert thresholds (`alert_pause_minutes_over`, …).
    pub alerts: super::alerts::AlertSpec,
    /// For each service, the services whose turns compete with it for the same counters
    /// (every service served by a counter that serves it, itself included). Derived.
    pub competing: Vec<Vec<ServiceIdx>>,
}

/// When a waiting turn is "near" (`notify_at_position`, `notify_at_minutes`): the phone
/// page, and the notifications, tell the citizen to come back to the lobby.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NearRule {
    /// Near with at most this many turns ahead (`None`: not by position).
    pub at_position: Option<u32>,
    /// Near with an expected wait of at most this many minutes (`None`: not by time).
    pub at_minutes: Option<u32>,
}

impl Default for NearRule {
    /// The protocol's habit: three turns ahead.
    fn default() -> Self {
        NearRule {
            at_position: Some(3),
            at_minutes: None,
        }
    }
}

impl NearRule {
    /// Whether a waiting turn with `position` turns ahead and `wait_seconds` to go is near.
    pub fn is_near(&self, position: u32, wait_seconds: u32) -> bool {
        self.at_position.is_some_and(|n| position <= n)
            || self
                .at_minutes
                .is_some_and(|m| u64::from(wait_seconds) <= u64::from(m) * 60)
    }
}

/// What a service does when its range of numbers is used up for the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnExhausted {
    /// Numbering starts again from the first number, skipping every number whose turn is
    /// not final, so no two live turns share a code; refused only when all are live.
    #[default]
    Wrap,
    /// No more turns for the service until the next day.
    Refuse,
}

/// A service (trámite) and its numbering.
#[derive(Debug, Clone)]
pub struct ServiceSpec {
    /// Slug (`registro`).
    pub id: String,
    /// Name people read.
    pub name: String,
    /// Letter(s) that start the turn code (`A` in `A-023`).
    pub prefix: String,
    /// First number of the day.
    pub first_number: u32,
    /// Last number of the day; past it, numbering wraps or stops (`on_exhausted`).
    pub last_number: u32,
    /// What happens when the range is used up.
    pub on_exhausted: OnExhausted,
    /// The wait the office aims to stay under, in seconds.
    pub target_wait_seconds: u32,
    /// Service time assumed for estimates until one has been observed today, in seconds.
    pub default_service_seconds: u32,
    /// The kiosk's pictogram for it (`documento`, `casa`, …; none: its letter alone).
    pub pictogram: Option<String>,
    /// Its name in the office's other languages (`names = { en = "…" }`).
    pub names: Vec<(Language, String)>,
    /// More turns waiting than this alerts (`alert_waiting_over`; none: never).
    pub alert_waiting_over: Option<u32>,
    /// A longest wait over this many seconds alerts (`alert_wait_minutes_over`; none:
    /// the target).
    pub alert_wait_seconds_over: Option<u32>,
}

impl ServiceSpec {
    /// Its name in `language`, or its own name when none is configured.
    pub fn name_in(&self, language: Language) -> &str {
        translated(&self.name, &self.names, language)
    }
}

/// The text for `language` among `translations`, else `own`.
fn translated<'a>(
    own: &'a str,
    translations: &'a [(Language, String)],
    language: Language,
) -> &'a str {
    translations
        .iter()
        .find(|(l, _)| *l == language)
        .map_or(own, |(_, text)| text)
}

/// A category of citizen (general, adulto mayor, …).
#[derive(Debug, Clone)]
pub struct CategorySpec {
    /// Slug (`adulto_mayor`).
    pub id: String,
    /// Label people read (`Adulto mayor`).
    pub label: String,
    /// Whether turns of this category get preferential attention.
    pub preferential: bool,
    /// Its label in the office's other languages (`labels = { en = "…" }`).
    pub labels: Vec<(Language, String)>,
}

impl CategorySpec {
    /// Its label in `language`, or its own label when none is configured.
    pub fn label_in(&self, language: Language) -> &str {
        translated(&self.label, &self.labels, language)
    }
}

/// A counter (ventanilla) and the services it serves.
#[derive(Debug, Clone)]
pub struct CounterSpec {
    /// Slug (`v3`).
    pub id: String,
    /// Name people read (`Ventanilla 3`).
    pub name: String,
    /// The services this counter calls turns from.
    pub services: Vec<ServiceIdx>,
}

/// The office's priority policy (see `policy.rs` for the exact rule).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicySpec {
    /// At most this many preferential calls in a row while normal turns wait; `None` means
    /// strict priority (the protocol's default rule).
    pub max_consecutive_preferential: Option<u32>,
    /// A normal turn that has waited at least this many seconds is called as if it were
    /// preferential; `None` disables aging.
    pub aging_seconds: Option<u32>,
    /// How many times a turn must be recalled before it may be marked as a no-show.
    pub min_recalls_before_no_show: u16,
    /// A called citizen not yet at the window may ask for a few minutes once: the turn
    /// goes back to waiting and is called again after this many other turns (sooner when
    /// fewer wait). 0: not offered.
    pub snooze_turns: u32,
}

/// A reason an agent may give for a call out of order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfOrderReason {
    /// Its id, as sent and recorded (`cita`).
    pub id: String,
    /// What supervisors and agents read (`Cita programada`).
    pub label: String,
}

/// The reason whose note is required: "other" says nothing by itself.
pub const OTHER_REASON: &str = "otro";

/// The reasons an office has when it configures none.
pub fn default_out_of_order_reasons() -> Vec<OutOfOrderReason> {
    [
        ("cita", "Cita programada"),
        ("error", "Llamado por error"),
        ("relacionado", "Trámite relacionado"),
        (OTHER_REASON, "Otro motivo"),
    ]
    .into_iter()
    .map(|(id, label)| OutOfOrderReason {
        id: id.to_owned(),
        label: label.to_owned(),
    })
    .collect()
}

/// The protocol's few minutes for a citizen on the way: three turns.
pub const DEFAULT_SNOOZE_TURNS: u32 = 3;

impl OfficeSpec {
    /// Finds a service by its slug.
    pub fn service_idx(&self, id: &str) -> Option<ServiceIdx> {
        self.services
            .iter()
            .position(|s| s.id == id)
            .map(|i| i as ServiceIdx)
    }

    /// Finds a category by its slug.
    pub fn category_idx(&self, id: &str) -> Option<CategoryIdx> {
        self.categories
            .iter()
            .position(|c| c.id == id)
            .map(|i| i as CategoryIdx)
    }

    /// Finds a counter by its slug.
    pub fn counter_idx(&self, id: &str) -> Option<CounterIdx> {
        self.counters
            .iter()
            .position(|c| c.id == id)
            .map(|i| i as CounterIdx)
    }

    /// The service whose prefix starts a code such as `A-017`, with the number.
    pub fn parse_code(&self, code: &str) -> Option<(ServiceIdx, u32)> {
        let (prefix, number) = code.trim().rsplit_once('-')?;
        let number: u32 = number.parse().ok()?;
        let service = self
            .services
            .iter()
            .position(|s| s.prefix.eq_ignore_ascii_case(prefix))?;
        Some((service as ServiceIdx, number))
    }

    /// The office's own language: the first of its languages.
    pub fn own_language(&self) -> Language {
        self.languages.first().copied().unwrap_or(Language::Es)
    }

    /// Fills [`OfficeSpec::competing`] from the counters; call after building a spec.
    pub fn derive_competing(&mut self) {
        let n = self.services.len();
        self.competing = (0..n)
            .map(|s| {
                let s = s as ServiceIdx;
                let mut set: Vec<ServiceIdx> = vec![s];
                for counter in self.counters.iter().filter(|c| c.services.contains(&s)) {
                    set.extend(counter.services.iter().copied());
                }
                set.sort_unstable();
                set.dedup();
                set
            })
            .collect();
    }

    /// This configuration plus every service, category and counter that `events` name and
    /// it no longer has (named by their slug), so that a report counts turns of a removed
    /// or renamed service under their own slug instead of dropping them.
    pub fn covering<'a>(&self, events: impl IntoIterator<Item = &'a Event>) -> OfficeSpec {
        self.covering_refs(&spec_refs(events))
    }

    /// [`OfficeSpec::covering`] from the references of [`spec_refs`] (what a day's report
    /// summary keeps of its log), in the order the events named them.
    pub fn covering_refs<'a>(&self, refs: impl IntoIterator<Item = &'a SpecRef>) -> OfficeSpec {
        let mut spec = self.clone();
        for r in refs {
            match r {
                SpecRef::Service { id, prefix } => {
                    if spec.service_idx(id).is_none() {
                        spec.services.push(ServiceSpec {
                            id: id.clone(),
                            name: id.clone(),
                            prefix: prefix.clone().unwrap_or_else(|| "?".to_owned()),
                            first_number: 1,
                            last_number: u32::MAX,
                            on_exhausted: OnExhausted::Refuse,
                            target_wait_seconds: DEFAULT_TARGET_WAIT_SECONDS,
                            default_service_seconds: DEFAULT_SERVICE_SECONDS,
                            pictogram: None,
                            names: Vec::new(),
                            alert_waiting_over: None,
                            alert_wait_seconds_over: None,
                        });
                    }
                }
                SpecRef::Category { id, preferential } => {
                    if spec.category_idx(id).is_none() {
                        spec.categories.push(CategorySpec {
                            id: id.clone(),
                            label: id.clone(),
                            preferential: *preferential,
                            labels: Vec::new(),
                        });
                    }
                }
                SpecRef::Counter { id } => {
                    if spec.counter_idx(id).is_none() {
                        spec.counters.push(CounterSpec {
                            id: id.clone(),
                            name: id.clone(),
                            services: Vec::new(),
                        });
                    }
                }
            }
        }
        spec.derive_competing();
        spec
    }

    /// Formats the code people read for a number of a service (`A-023`).
    pub fn code(&self, service: ServiceIdx, number: u32) -> String {
        format!("{}-{:03}", self.services[service as usize].prefix, number)
    }
}

/// A service, category or counter that a log names, as [`OfficeSpec::covering`] needs it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum SpecRef {
    /// A service, with the prefix of its first issue (`None`: first named by a transfer).
    Service {
        /// Its slug.
        id: String,
        /// The prefix recorded with the turn.
        prefix: Option<String>,
    },
    /// A category, with whether it was preferential.
    Category {
        /// Its slug.
        id: String,
        /// Preferential when first named.
        preferential: bool,
    },
    /// A counter.
    Counter {
        /// Its slug.
        id: String,
    },
}

/// Every service, category and counter `events` name, each once, in the order they are
/// first named (the first naming is the one `covering` uses).
pub fn spec_refs<'a>(events: impl IntoIterator<Item = &'a Event>) -> Vec<SpecRef> {
    let mut seen: std::collections::HashSet<(u8, &'a str)> = std::collections::HashSet::new();
    let mut refs = Vec::new();
    let mut add = |kind: u8, id: &'a str, make: &dyn Fn() -> SpecRef| {
        if seen.insert((kind, id)) {
            refs.push(make());
        }
    };
    for e in events {
        match e {
            Event::TicketIssued {
                service,
                category,
                preferential,
                prefix,
                ..
            } => {
                add(0, service, &|| SpecRef::Service {
                    id: service.clone(),
                    prefix: prefix.clone(),
                });
                add(1, category, &|| SpecRef::Category {
                    id: category.clone(),
                    preferential: *preferential,
                });
            }
            Event::TicketTransferred { to_service, .. } => {
                add(0, to_service, &|| SpecRef::Service {
                    id: to_service.clone(),
                    prefix: None,
                })
            }
            Event::TicketCalled { counter: c, .. }
            | Event::TicketRecalled { counter: c, .. }
            | Event::CounterOpened { counter: c, .. }
            | Event::CounterTakenOver { counter: c, .. }
            | Event::CounterPaused { counter: c, .. }
            | Event::CounterResumed { counter: c, .. }
            | Event::CounterClosed { counter: c, .. } => {
                add(2, c, &|| SpecRef::Counter { id: c.clone() })
            }
            Event::DayOpened { counters, .. } => {
                for c in counters {
                    add(2, &c.counter, &|| SpecRef::Counter {
                        id: c.counter.clone(),
                    })
                }
            }
            _ => {}
        }
    }
    refs
}

//! Prometheus metrics: turns, calls, waits and screens per office and service, and the
//! store's append latency. Handles are created once per office so the hot path only
//! touches atomics.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

/// Labels for per-service series.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ServiceLabels {
    /// Office id.
    pub office: String,
    /// Service id.
    pub service: String,
}

/// Labels for the survey's general score.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ScoreLabels {
    /// Office id.
    pub office: String,
    /// The answer to the general question, 1–5.
    pub score: u8,
}

/// Labels for per-office series.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OfficeLabels {
    /// Office id.
    pub office: String,
}

/// Labels for the citizens' notifications.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct NotifyLabels {
    /// Office id.
    pub office: String,
    /// How it was sent (`sms`, `web_push`).
    pub channel: String,
    /// Which message (`near`, `called`, `recalled`, `no_show`).
    pub kind: String,
}

/// The notification series of one office, channel and kind.
#[derive(Clone, Default)]
pub struct NotifyCounters {
    /// Messages the other side accepted.
    pub sent: Counter,
    /// Messages given up on after their last try (or refused for good).
    pub failed: Counter,
    /// Tries made again after a failure.
    pub retries: Counter,
}

fn wait_histogram() -> Histogram {
    // 15 s … ~4 h
    Histogram::new(exponential_buckets(15.0, 2.0, 10))
}

/// Every metric the server exports.
pub struct Metrics {
    registry: Registry,
    issued: Family<ServiceLabels, Counter>,
    called: Family<ServiceLabels, Counter>,
    served: Family<ServiceLabels, Counter>,
    no_shows: Family<ServiceLabels, Counter>,
    waiting: Family<ServiceLabels, Gauge>,
    wait_seconds: Family<ServiceLabels, Histogram, fn() -> Histogram>,
    screens: Family<OfficeLabels, Gauge>,
    phones: Family<OfficeLabels, Gauge>,
    survey_answers: Family<ServiceLabels, Counter>,
    survey_overall: Family<ScoreLabels, Counter>,
    log_damage: Family<OfficeLabels, Counter>,
    available: Family<OfficeLabels, Gauge>,
    read_only: Family<OfficeLabels, Gauge>,
    recoveries: Family<OfficeLabels, Counter>,
    conflicts: Family<OfficeLabels, Counter>,
    turn_waits: Family<OfficeLabels, Counter>,
    rebuilds: Family<OfficeLabels, Counter>,
    notify_sent: Family<NotifyLabels, Counter>,
    notify_failed: Family<NotifyLabels, Counter>,
    notify_retries: Family<NotifyLabels, Counter>,
    notify_dropped: Family<OfficeLabels, Counter>,
    notify_queued: Family<OfficeLabels, Gauge>,
    /// Seconds each store append (write + fsync) took.
    pub append_seconds: Histogram,
    /// Commands decided per append (group commit).
    pub batch_size: Histogram,
    /// Seconds of one append call to the store: a Redis round trip (the embedded store's
    /// write, before its fsync).
    pub store_call_seconds: Histogram,
    /// Connections served now (`src/http/connections.rs`).
    pub connections_open: Gauge,
    /// Connections refused because the server held as many as it may.
    pub connections_refused: Counter,
    resident_bytes: Gauge,
    open_fds: Gauge,
}

/// The handles one office's engine updates.
#[derive(Clone)]
pub struct OfficeMetrics {
    /// Turns issued, per service.
    pub issued: Vec<Counter>,
    /// Calls (not recalls), per service.
    pub called: Vec<Counter>,
    /// Turns served, per service.
    pub served: Vec<Counter>,
    /// No-shows, per service.
    pub no_shows: Vec<Counter>,
    /// Turns waiting now, per service.
    pub waiting: Vec<Gauge>,
    /// Wait from issue to first call, per service.
    pub wait_seconds: Vec<Histogram>,
    /// Lobby screens connected.
    pub screens: Gauge,
    /// Citizens' pages following their turn (`/tickets/{token}/live`).
    pub phones: Gauge,
    /// Surveys answered, per service.
    pub survey_answers: Vec<Counter>,
    /// Surveys by their general score (index 0 = score 1 … 4 = score 5).
    pub survey_overall: Vec<Counter>,
    /// Damaged stretches and torn tails found in the office's logs.
    pub log_damage: Counter,
    /// 1 while the office takes writes, 0 while its store refuses them.
    pub available: Gauge,
    /// 1 while the office's log holds events this version does not know.
    pub read_only: Gauge,
    /// Times the office cut its log back and rebuilt its state after a failure.
    pub recoveries: Counter,
    /// Times another writer was first (or the log grew behind this one) and the office
    /// took its records in before deciding again.
    pub conflicts: Counter,
    /// Times the office's writer waited for another process's writing turn.
    pub turn_waits: Counter,
    /// Times the log held fewer records than were applied (a failover) and the day was
    /// rebuilt from it.
    pub rebuilds: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Creates and registers every metric.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("turnero");
        let m = Metrics {
            issued: Family::default(),
            called: Family::default(),
            served: Family::default(),
            no_shows: Family::default(),
            waiting: Family::default(),
            wait_seconds: Family::new_with_constructor(wait_histogram),
            screens: Family::default(),
            phones: Family::default(),
            survey_answers: Family::default(),
            survey_overall: Family::default(),
            log_damage: Family::default(),
            available: Family::default(),
            read_only: Family::default(),
            recoveries: Family::default(),
            conflicts: Family::default(),
            turn_waits: Family::default(),
            rebuilds: Family::default(),
            notify_sent: Family::default(),
            notify_failed: Family::default(),
            notify_retries: Family::default(),
            notify_dropped: Family::default(),
            notify_queued: Family::default(),
            append_seconds: Histogram::new(exponential_buckets(0.0001, 2.0, 14)),
            batch_size: Histogram::new(exponential_buckets(1.0, 2.0, 10)),
            store_call_seconds: Histogram::new(exponential_buckets(0.00005, 2.0, 16)),
            connections_open: Gauge::default(),
            connections_refused: Counter::default(),
            resident_bytes: Gauge::default(),
            open_fds: Gauge::default(),
            registry: Registry::default(),
        };
        registry.register("tickets_issued", "Turns issued", m.issued.clone());
        registry.register("calls", "Turns called to a counter", m.called.clone());
        registry.register("tickets_served", "Turns attended", m.served.clone());
        registry.register("no_shows", "Turns marked as no-show", m.no_shows.clone());
        registry.register("waiting", "Turns waiting now", m.waiting.clone());
        registry.register(
            "wait_seconds",
            "Wait from issue to first call",
            m.wait_seconds.clone(),
        );
        registry.register(
            "screens_connected",
            "Lobby screens connected",
            m.screens.clone(),
        );
        registry.register(
            "phones_following",
            "Citizens' pages following their turn",
            m.phones.clone(),
        );
        registry.register(
            "survey_answers",
            "Satisfaction surveys answered",
            m.survey_answers.clone(),
        );
        registry.register(
            "survey_overall_answers",
            "Satisfaction surveys by their answer to the general question (1-5)",
            m.survey_overall.clone(),
        );
        registry.register(
            "log_damage",
            "Damaged stretches and torn tails found in an office's logs",
            m.log_damage.clone(),
        );
        registry.register(
            "office_available",
            "1 while the office takes writes, 0 while its store refuses them",
            m.available.clone(),
        );
        registry.register(
            "office_read_only",
            "1 while the office's log holds events this version does not know",
            m.read_only.clone(),
        );
        registry.register(
            "store_recoveries",
            "Times an office cut its log back to what is durable and rebuilt its state",
            m.recoveries.clone(),
        );
        registry.register(
            "store_conflicts",
            "Times another process wrote first and the office took its records in",
            m.conflicts.clone(),
        );
        registry.register(
            "store_turn_waits",
            "Times the office's writer waited for another process's writing turn",
            m.turn_waits.clone(),
        );
        registry.register(
            "store_rebuilds",
            "Times the log held fewer records than were applied (a failover) and the day was rebuilt",
            m.rebuilds.clone(),
        );
        registry.register(
            "notifications_sent",
            "Messages to citizens the gateway (or push service) accepted",
            m.notify_sent.clone(),
        );
        registry.register(
            "notifications_failed",
            "Messages to citizens given up on after their last try",
            m.notify_failed.clone(),
        );
        registry.register(
            "notifications_retries",
            "Tries of a message to a citizen made again after a failure",
            m.notify_retries.clone(),
        );
        registry.register(
            "notifications_dropped",
            "Messages to citizens dropped because the delivery queue was full",
            m.notify_dropped.clone(),
        );
        registry.register(
            "notifications_queued",
            "Messages to citizens waiting to be sent or retried",
            m.notify_queued.clone(),
        );
        registry.register(
            "store_append_seconds",
            "Time to write and fsync one group of events",
            m.append_seconds.clone(),
        );
        registry.register(
            "store_call_seconds",
            "Time of one append call to the store (a Redis round trip; the embedded store's write before its fsync)",
            m.store_call_seconds.clone(),
        );
        registry.register(
            "connections_open",
            "Connections served now, below max_connections",
            m.connections_open.clone(),
        );
        registry.register(
            "connections_refused",
            "Connections answered 503 too_many_connections because the server held as many as it may",
            m.connections_refused.clone(),
        );
        registry.register(
            "process_resident_memory_bytes",
            "Resident memory of this process",
            m.resident_bytes.clone(),
        );
        registry.register(
            "process_open_fds",
            "Open file descriptors of this process",
            m.open_fds.clone(),
        );
        registry.register(
            "store_batch_commands",
            "Commands committed by one append",
            m.batch_size.clone(),
        );
        Metrics { registry, ..m }
    }

    /// The notification counters of an office, channel and kind.
    pub fn notify(&self, office: &str, channel: &str, kind: &str) -> NotifyCounters {
        let labels = NotifyLabels {
            office: office.to_owned(),
            channel: channel.to_owned(),
            kind: kind.to_owned(),
        };
        NotifyCounters {
            sent: self.notify_sent.get_or_create(&labels).clone(),
            failed: self.notify_failed.get_or_create(&labels).clone(),
            retries: self.notify_retries.get_or_create(&labels).clone(),
        }
    }

    /// An office's queued-notifications gauge and dropped-notifications counter.
    pub fn notify_queue(&self, office: &str) -> (Gauge, Counter) {
        let labels = OfficeLabels {
            office: office.to_owned(),
        };
        (
            self.notify_queued.get_or_create(&labels).clone(),
            self.notify_dropped.get_or_create(&labels).clone(),
        )
    }

    /// Handles for one office's services.
    pub fn office(&self, office: &str, services: &[String]) -> OfficeMetrics {
        let office_labels = OfficeLabels {
            office: office.to_owned(),
        };
        let labels = |s: &String| ServiceLabels {
            office: office.to_owned(),
            service: s.clone(),
        };
        OfficeMetrics {
            issued: services
                .iter()
                .map(|s| self.issued.get_or_create(&labels(s)).clone())
                .collect(),
            called: services
                .iter()
                .map(|s| self.called.get_or_create(&labels(s)).clone())
                .collect(),
            served: services
                .iter()
                .map(|s| self.served.get_or_create(&labels(s)).clone())
                .collect(),
            no_shows: services
                .iter()
                .map(|s| self.no_shows.get_or_create(&labels(s)).clone())
                .collect(),
            waiting: services
                .iter()
                .map(|s| self.waiting.get_or_create(&labels(s)).clone())
                .collect(),
            wait_seconds: services
                .iter()
                .map(|s| self.wait_seconds.get_or_create(&labels(s)).clone())
                .collect(),
            survey_answers: services
                .iter()
                .map(|s| self.survey_answers.get_or_create(&labels(s)).clone())
                .collect(),
            survey_overall: (1..=5)
                .map(|score| {
                    self.survey_overall
                        .get_or_create(&ScoreLabels {
                            office: office.to_owned(),
                            score,
                        })
                        .clone()
                })
                .collect(),
            screens: self.screens.get_or_create(&office_labels).clone(),
            phones: self.phones.get_or_create(&office_labels).clone(),
            log_damage: self.log_damage.get_or_create(&office_labels).clone(),
            available: self.available.get_or_create(&office_labels).clone(),
            read_only: self.read_only.get_or_create(&office_labels).clone(),
            recoveries: self.recoveries.get_or_create(&office_labels).clone(),
            conflicts: self.conflicts.get_or_create(&office_labels).clone(),
            turn_waits: self.turn_waits.get_or_create(&office_labels).clone(),
            rebuilds: self.rebuilds.get_or_create(&office_labels).clone(),
        }
    }

    /// Reads this process's memory and open files (Linux `/proc`), for the next encode.
    pub fn refresh_process(&self) {
        let rss_kb = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmRSS:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<i64>().ok())
            });
        if let Some(kb) = rss_kb {
            self.resident_bytes.set(kb * 1024);
        }
        if let Ok(fds) = std::fs::read_dir("/proc/self/fd") {
            self.open_fds.set(fds.count() as i64);
        }
    }

    /// The text exposition format.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

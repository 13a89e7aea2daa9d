//! An office from its `[[offices]]` table: services, categories, counters and the
//! priority policy, checked against each other and built into an `OfficeSpec`.

use super::errors::Errors;
use super::hours::hours;
use super::kiosks::RawKiosk;
use super::languages::{languages, translations, RawTranslations};
use crate::domain::{CategorySpec, CounterSpec, OfficeSpec, OnExhausted, PolicySpec, ServiceSpec};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOffice {
    pub(super) id: Spanned<String>,
    name: String,
    timezone: Spanned<String>,
    public_base_url: Option<String>,
    display_notice: Option<Spanned<String>>,
    /// The office's languages, its own first (`["es", "en"]`).
    languages: Option<Spanned<Vec<Spanned<String>>>>,
    /// A folder of images the lobby screens show beside the calls.
    display_slides: Option<Spanned<String>>,
    /// Seconds each of those images stays on screen.
    display_slide_seconds: Option<Spanned<u32>>,
    /// A waiting turn is near with at most this many turns ahead (0: never by position).
    notify_at_position: Option<u32>,
    /// … or with at most this many minutes to wait.
    notify_at_minutes: Option<Spanned<u32>>,
    /// The SMS/WhatsApp gateway, the messages' texts and the Web Push key.
    pub(super) notifications: Option<super::notifications::RawNotifications>,
    #[serde(default)]
    pub(super) always_open: bool,
    #[serde(default)]
    pub(super) hours: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    pub(super) closed_dates: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) header_lines: Vec<String>,
    #[serde(default)]
    pub(super) footer_lines: Vec<String>,
    #[serde(default)]
    policy: RawPolicy,
    /// Days after a turn during which its satisfaction survey may be answered.
    survey_days: Option<Spanned<u32>>,
    /// The reasons an agent may give for a call out of order (`{ id = "label" }`).
    out_of_order_reasons: Option<super::reasons::RawReasons>,
    #[serde(default)]
    services: Vec<Spanned<RawService>>,
    #[serde(default)]
    categories: Vec<Spanned<RawCategory>>,
    #[serde(default)]
    counters: Vec<Spanned<RawCounter>>,
    #[serde(default)]
    pub(super) kiosks: Vec<Spanned<RawKiosk>>,
    /// `kiosks` or `open`.
    pub(super) ticketing: Option<Spanned<String>>,
    /// Turns one address may take in `open_limit_minutes`, in `open` mode.
    pub(super) open_limit: Option<Spanned<u32>>,
    /// The window of `open_limit`.
    pub(super) open_limit_minutes: Option<Spanned<u32>>,
    /// `off`, `lobby` or `anywhere`: who may take a turn from their phone.
    pub(super) join: Option<Spanned<String>>,
    /// Minutes each lobby code lasts.
    pub(super) join_code_minutes: Option<Spanned<u32>>,
    /// Turns one phone number may take a day, in `anywhere` mode.
    pub(super) join_daily_limit: Option<Spanned<u32>>,
    /// A counter paused longer than this many minutes alerts supervisors.
    pub(super) alert_pause_minutes_over: Option<Spanned<u32>>,
    /// How many latest survey answers of a service the satisfaction alert averages.
    pub(super) alert_satisfaction_answers: Option<Spanned<u32>>,
    /// Where alerts are posted as they are raised and cleared (an outgoing webhook).
    pub(super) alert_webhook_url: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    max_consecutive_preferential: Option<Spanned<u32>>,
    aging_minutes: Option<Spanned<u32>>,
    min_recalls_before_no_show: Option<u16>,
    /// Turns a called citizen on the way may let go by, once (0: no snooze).
    snooze_turns: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    id: Spanned<String>,
    name: String,
    prefix: Spanned<String>,
    range: Option<Spanned<[u32; 2]>>,
    on_range_exhausted: Option<Spanned<String>>,
    target_wait_minutes: Option<u32>,
    default_service_minutes: Option<u32>,
    pictogram: Option<Spanned<String>>,
    /// Its name in the office's other languages.
    names: Option<RawTranslations>,
    /// More turns waiting than this alerts supervisors.
    alert_waiting_over: Option<Spanned<u32>>,
    /// A longest wait over this many minutes alerts (default: the target).
    alert_wait_minutes_over: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    id: Spanned<String>,
    label: String,
    preferential: bool,
    /// Its label in the office's other languages.
    labels: Option<RawTranslations>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCounter {
    id: Spanned<String>,
    name: String,
    services: Vec<Spanned<String>>,
}

/// The pictograms the kiosk draws for services (`display/assets/js/pictograms.js`).
pub const SERVICE_PICTOGRAMS: &[&str] = &[
    "documento",
    "casa",
    "pago",
    "persona",
    "familia",
    "certificado",
    "vehiculo",
    "consulta",
];

pub(super) fn office_spec(
    errors: &mut Errors<'_>,
    office: &Spanned<RawOffice>,
) -> Option<OfficeSpec> {
    let o = office.get_ref();
    let before = errors.list.len();
    let timezone = o.timezone.get_ref().parse::<chrono_tz::Tz>().ok();
    if timezone.is_none() {
        errors.at(
            &o.timezone,
            format!(
                "la zona horaria «{}» no existe; use un nombre IANA como «America/Bogota»",
                o.timezone.get_ref()
            ),
        );
    }
    let hours = hours(errors, o);
    let languages = languages(errors, o.languages.as_ref());

    let mut services = Vec::new();
    let mut service_ids = HashSet::new();
    let mut prefixes = HashSet::new();
    if o.services.is_empty() {
        errors.at(
            &o.id,
            format!("la oficina «{}» no tiene servicios", o.id.get_ref()),
        );
    }
    for s in &o.services {
        let s = s.get_ref();
        errors.slug(&s.id, "servicio");
        errors.unique(&mut service_ids, &s.id, "El servicio");
        let prefix = s.prefix.get_ref();
        if prefix.is_empty() || prefix.len() > 3 || !prefix.chars().all(|c| c.is_ascii_uppercase())
        {
            errors.at(
                &s.prefix,
                format!("el prefijo «{prefix}» debe tener de 1 a 3 letras mayúsculas sin tildes"),
            );
        }
        if !prefixes.insert(prefix.as_str()) {
            errors.at(
                &s.prefix,
                format!("el prefijo «{prefix}» ya lo usa otro servicio: los turnos se repetirían"),
            );
        }
        let [first, last] = s.range.as_ref().map_or([1, 999], |r| *r.get_ref());
        if let Some(range) = &s.range {
            if first == 0 || first > last {
                errors.at(
                    range,
                    "el rango de números debe ser [primero, último] con 1 ≤ primero ≤ último",
                );
            }
        }
        let on_exhausted = match s.on_range_exhausted.as_ref().map(|v| v.get_ref().as_str()) {
            None | Some("wrap") => OnExhausted::Wrap,
            Some("refuse") => OnExhausted::Refuse,
            Some(other) => {
                if let Some(v) = &s.on_range_exhausted {
                    errors.at(
                        v,
                        format!("on_range_exhausted «{other}» no existe: use «wrap» (volver al primer número libre) o «refuse» (no dar más turnos)"),
                    );
                }
                OnExhausted::Wrap
            }
        };
        if let Some(p) = &s.pictogram {
            if !SERVICE_PICTOGRAMS.contains(&p.get_ref().as_str()) {
                errors.at(
                    p,
                    format!(
                        "el pictograma «{}» no existe; use uno de: {}",
                        p.get_ref(),
                        SERVICE_PICTOGRAMS.join(", ")
                    ),
                );
            }
        }
        services.push(ServiceSpec {
            id: s.id.get_ref().clone(),
            name: s.name.clone(),
            prefix: prefix.clone(),
            first_number: first,
            last_number: last,
            on_exhausted,
            target_wait_seconds: s.target_wait_minutes.unwrap_or(15) * 60,
            default_service_seconds: s.default_service_minutes.unwrap_or(5).max(1) * 60,
            pictogram: s.pictogram.as_ref().map(|p| p.get_ref().clone()),
            names: translations(errors, s.names.as_ref(), &languages, "names"),
            alert_waiting_over: super::alerts::waiting_over(errors, s.alert_waiting_over.as_ref()),
            alert_wait_seconds_over: super::alerts::wait_minutes_over(
                errors,
                s.alert_wait_minutes_over.as_ref(),
            ),
        });
    }

    let mut categories = Vec::new();
    let mut category_ids = HashSet::new();
    for c in &o.categories {
        let c = c.get_ref();
        errors.slug(&c.id, "categoría");
        errors.unique(&mut category_ids, &c.id, "La categoría");
        categories.push(CategorySpec {
            id: c.id.get_ref().clone(),
            label: c.label.clone(),
            preferential: c.preferential,
            labels: translations(errors, c.labels.as_ref(), &languages, "labels"),
        });
    }
    if !category_ids.contains("general") {
        // Tickets default to `general`: an office always has it.
        categories.insert(
            0,
            CategorySpec {
                id: "general".into(),
                label: "General".into(),
                preferential: false,
                labels: vec![(crate::domain::Language::En, "General".into())]
                    .into_iter()
                    .filter(|(l, _)| languages.contains(l))
                    .collect(),
            },
        );
    }

    let mut counters = Vec::new();
    let mut counter_ids = HashSet::new();
    for c in &o.counters {
        let c = c.get_ref();
        errors.slug(&c.id, "ventanilla");
        errors.unique(&mut counter_ids, &c.id, "La ventanilla");
        let mut served = Vec::new();
        for s in &c.services {
            match services.iter().position(|x| x.id == *s.get_ref()) {
                Some(i) => served.push(i as u16),
                None => errors.at(
                    s,
                    format!(
                        "la ventanilla «{}» atiende el servicio «{}», que no existe en la oficina",
                        c.id.get_ref(),
                        s.get_ref()
                    ),
                ),
            }
        }
        if c.services.is_empty() {
            errors.at(
                &c.id,
                format!(
                    "la ventanilla «{}» no atiende ningún servicio",
                    c.id.get_ref()
                ),
            );
        }
        counters.push(CounterSpec {
            id: c.id.get_ref().clone(),
            name: c.name.clone(),
            services: served,
        });
    }
    for s in &o.services {
        let id = s.get_ref().id.get_ref();
        if !o
            .counters
            .iter()
            .any(|c| c.get_ref().services.iter().any(|x| x.get_ref() == id))
        {
            errors.at(
                &s.get_ref().id,
                format!(
                    "ninguna ventanilla atiende el servicio «{id}»: sus turnos nunca se llamarían"
                ),
            );
        }
    }

    let policy = &o.policy;
    if let Some(k) = &policy.max_consecutive_preferential {
        if *k.get_ref() == 0 {
            errors.at(k, "max_consecutive_preferential debe ser al menos 1");
        }
    }
    if let Some(n) = &policy.snooze_turns {
        if *n.get_ref() > 20 {
            errors.at(
                n,
                "snooze_turns debe estar entre 0 (sin «voy en camino») y 20 turnos",
            );
        }
    }
    if let Some(a) = &policy.aging_minutes {
        if *a.get_ref() == 0 {
            errors.at(a, "aging_minutes debe ser al menos 1");
        }
    }
    if let Some(m) = &o.notify_at_minutes {
        if !(1..=240).contains(m.get_ref()) {
            errors.at(m, "notify_at_minutes debe estar entre 1 y 240 (minutos de espera que faltan para avisar)");
        }
    }
    if let Some(d) = &o.survey_days {
        if *d.get_ref() > 366 {
            errors.at(d, "survey_days debe ser como máximo 366");
        }
    }
    if let Some(notice) = &o.display_notice {
        if notice.get_ref().chars().count() > 200 {
            errors.at(
                notice,
                "display_notice no puede pasar de 200 caracteres: es una línea que se lee de lejos",
            );
        }
    }
    let display_slides = o
        .display_slides
        .as_ref()
        .and_then(|folder| slides_folder(errors, folder));
    if let Some(seconds) = &o.display_slide_seconds {
        if !(1..=3600).contains(seconds.get_ref()) {
            errors.at(
                seconds,
                "display_slide_seconds debe estar entre 1 y 3600 (segundos que se ve cada imagen)",
            );
        }
    }
    let out_of_order_reasons =
        super::reasons::out_of_order_reasons(errors, o.out_of_order_reasons.as_ref());
    let alerts = super::alerts::office_alerts(errors, o);
    if errors.list.len() > before {
        return None;
    }
    let mut spec = OfficeSpec {
        id: o.id.get_ref().clone(),
        name: o.name.clone(),
        timezone: timezone?,
        hours,
        public_base_url: o
            .public_base_url
            .as_deref()
            .map(|u| u.trim_end_matches('/').to_owned()),
        display_notice: o
            .display_notice
            .as_ref()
            .map(|n| n.get_ref().trim().to_owned())
            .filter(|n| !n.is_empty()),
        languages,
        display_slides,
        near: crate::domain::spec::NearRule {
            at_position: match o.notify_at_position {
                None => crate::domain::spec::NearRule::default().at_position,
                Some(0) => None,
                Some(n) => Some(n),
            },
            at_minutes: o.notify_at_minutes.as_ref().map(|m| *m.get_ref()),
        },
        display_slide_seconds: o
            .display_slide_seconds
            .as_ref()
            .map_or(crate::domain::spec::DEFAULT_SLIDE_SECONDS, |s| *s.get_ref()),
        services,
        categories,
        counters,
        policy: PolicySpec {
            max_consecutive_preferential: policy
                .max_consecutive_preferential
                .as_ref()
                .map(|k| *k.get_ref()),
            aging_seconds: policy.aging_minutes.as_ref().map(|a| a.get_ref() * 60),
            // The protocol's rule: a turn is called again before it is given up.
            min_recalls_before_no_show: policy.min_recalls_before_no_show.unwrap_or(1),
            snooze_turns: policy
                .snooze_turns
                .as_ref()
                .map_or(crate::domain::spec::DEFAULT_SNOOZE_TURNS, |n| *n.get_ref()),
        },
        survey_days: o
            .survey_days
            .as_ref()
            .map_or(crate::domain::survey::DEFAULT_SURVEY_DAYS, |d| *d.get_ref()),
        out_of_order_reasons,
        alerts,
        competing: Vec::new(),
    };
    spec.derive_competing();
    Some(spec)
}

/// The folder of `display_slides`, checked now so that a mistyped path is found by
/// `check-config` and at start rather than by a TV that stays without slides. It is read
/// again on every request (`src/http/slides.rs`): images may be changed while running.
fn slides_folder(errors: &mut Errors<'_>, folder: &Spanned<String>) -> Option<PathBuf> {
    let path = PathBuf::from(folder.get_ref().trim());
    let shown = path.display();
    let problem = match std::fs::metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            format!("display_slides: la carpeta «{shown}» no existe")
        }
        Err(e) => format!("display_slides: no se puede abrir la carpeta «{shown}» ({e})"),
        Ok(meta) if !meta.is_dir() => {
            format!("display_slides: «{shown}» no es una carpeta; indique la carpeta que guarda las imágenes")
        }
        Ok(_) => match std::fs::read_dir(&path) {
            Ok(_) => return Some(path),
            Err(e) => format!(
                "display_slides: no se puede leer la carpeta «{shown}» ({e}); el usuario que ejecuta Turnero necesita permiso de lectura"
            ),
        },
    };
    errors.at(folder, problem);
    None
}

//! Spanish texts: polite "usted" forms, plain words, one sentence a person can act on.

use crate::domain::DomainError;
use chrono::{DateTime, Datelike, Timelike};
use chrono_tz::Tz;

const WEEKDAYS: [&str; 7] = [
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
];
const MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// "hoy a las 13:00", "mañana a las 08:00" or "el lunes 30 de noviembre a las 08:00".
pub fn when(at: DateTime<Tz>, now: DateTime<Tz>) -> String {
    let time = format!("{:02}:{:02}", at.hour(), at.minute());
    let days = (at.date_naive() - now.date_naive()).num_days();
    match days {
        0 => format!("hoy a las {time}"),
        1 => format!("mañana a las {time}"),
        _ => format!(
            "el {} {} de {} a las {time}",
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
            "El servicio solicitado no existe en esta oficina; elija uno de la lista de servicios.".into()
        }
        DomainError::CategoryNotFound => {
            "La categoría de atención no existe en esta oficina; elija una de las categorías ofrecidas.".into()
        }
        DomainError::CounterNotFound => {
            "La ventanilla no existe en esta oficina; revise su identificador.".into()
        }
        DomainError::TicketNotFound => {
            "No encontramos ese turno; revise el código o el enlace de su tiquete.".into()
        }
        DomainError::OfficeClosed { next_opening: Some(at) } => format!(
            "La oficina está cerrada en este momento; abre {}.",
            when(*at, now)
        ),
        DomainError::OfficeClosed { next_opening: None } => {
            "La oficina está cerrada y no tiene un horario de apertura próximo.".into()
        }
        DomainError::NumberRangeExhausted => {
            "Se agotaron los turnos de este servicio por hoy; por favor acérquese a un orientador.".into()
        }
        DomainError::CounterClosed => {
            "La ventanilla está cerrada; ábrala antes de atender turnos.".into()
        }
        DomainError::CounterPaused => {
            "La ventanilla está en pausa; reanúdela antes de llamar un turno.".into()
        }
        DomainError::CounterNotPaused => {
            "La ventanilla no está en pausa, así que no hay nada que reanudar.".into()
        }
        DomainError::CounterBusy => "La ventanilla todavía tiene un turno en curso; finalícelo, márquelo como no presentado o transfiéralo antes de continuar.".into(),
        DomainError::NoCurrentTurn => {
            "La ventanilla no tiene un turno en curso; llame primero al siguiente turno.".into()
        }
        DomainError::AlreadyServing => {
            "El turno ya está en atención; finalícelo o transfiéralo.".into()
        }
        DomainError::CounterTaken { agent } => {
            format!("Esta ventanilla ya la atiende {agent}; elija otra ventanilla.")
        }
        DomainError::AgentHasCounter { counter } => {
            format!("Usted ya atiende la {counter}; ciérrela antes de abrir otra ventanilla.")
        }
        DomainError::ServiceNotServed => "Esta ventanilla no atiende el servicio de ese turno; llámelo desde una ventanilla que lo atienda.".into(),
        DomainError::SameService => {
            "El turno ya está en ese servicio; elija un servicio distinto para transferirlo.".into()
        }
        DomainError::TurnNotWaiting => {
            "Ese turno ya no está en espera: puede que ya haya sido llamado, atendido o cancelado.".into()
        }
        DomainError::RecallRequired { required } => format!(
            "Antes de marcar que no se presentó, vuelva a llamar el turno al menos {required} {}.",
            if *required == 1 { "vez" } else { "veces" }
        ),
        DomainError::NothingToUndo => {
            "No hay un «no se presentó» de esta ventanilla que deshacer.".into()
        }
        DomainError::UndoExpired { seconds } => format!(
            "Ya pasaron más de {seconds} segundos desde que marcó «no se presentó»; si el ciudadano llegó, pídale que tome un turno nuevo."
        ),
        DomainError::InvalidReason => {
            "Indique el motivo de la pausa en pocas palabras (hasta 200 caracteres).".into()
        }
        DomainError::ReasonRequired => {
            "Para llamar un turno fuera de orden indique el motivo (reason).".into()
        }
        DomainError::UnknownReason => {
            "Ese motivo no está en la lista de la oficina; elija uno de los motivos configurados.".into()
        }
        DomainError::NoteRequired => {
            "Con «Otro motivo» escriba en la nota (note) por qué llama este turno.".into()
        }
        DomainError::NoteTooLong => {
            "La nota del llamado puede tener hasta 200 caracteres; acórtela.".into()
        }
        DomainError::InvalidScore { question } => format!(
            "La respuesta a la pregunta «{}» debe ser un número entero del 1 al 5.",
            survey_question(question)
        ),
        DomainError::CommentTooLong => format!(
            "El comentario es demasiado largo; escríbalo en {} caracteres o menos.",
            crate::domain::survey::MAX_COMMENT_CHARS
        ),
        DomainError::UnknownCaseType => "El tipo de caso no existe; elija queja, asesoría, sugerencia, felicitación, denuncia o petición.".into(),
        DomainError::NotServed => {
            "La encuesta se puede responder cuando su turno haya sido atendido.".into()
        }
        DomainError::AlreadyAnswered => {
            "Usted ya respondió la encuesta de este turno; gracias por su opinión.".into()
        }
        DomainError::SnoozeOff => {
            "Esta oficina no ofrece «voy en camino»; acérquese a la ventanilla que lo llamó.".into()
        }
        DomainError::AlreadySnoozed => {
            "Ya pidió unos minutos para este turno; acérquese a la ventanilla cuando lo llamen.".into()
        }
        DomainError::TurnNotCalled => {
            "Solo se pueden pedir unos minutos cuando el turno ha sido llamado y aún no lo atienden.".into()
        }
        DomainError::SurveyClosed { days } => format!(
            "El plazo para responder la encuesta de este turno ya terminó (hasta {days} {} después de la atención).",
            if *days == 1 { "día" } else { "días" }
        ),
    }
}

/// The survey's questions (protocol 000 §9.1.B–C), by question id.
pub fn survey_question(id: &str) -> &'static str {
    match id {
        "overall" => "¿Qué tan satisfecho se encuentra usted a nivel general con la atención que recibió?",
        "attention" => "¿Qué tan satisfecho se encuentra con la atención que recibió en su visita?",
        "clarity" => "¿Qué tan satisfecho se encuentra con la claridad de la información recibida en su trámite?",
        "wait_time" => "¿Qué tan satisfecho se encuentra con el tiempo de espera para ser atendido en ventanilla?",
        "response_time" => "¿Qué tan satisfecho se encuentra con el tiempo de respuesta de su trámite?",
        _ => "",
    }
}

/// The labels of the survey's 1–5 scale.
pub const SURVEY_SCALE: [&str; 5] = [
    "Totalmente insatisfecho",
    "Insatisfecho",
    "Ni satisfecho ni insatisfecho",
    "Satisfecho",
    "Totalmente satisfecho",
];

/// The label of a case type.
pub fn case_type_label(case: crate::domain::CaseType) -> &'static str {
    use crate::domain::CaseType as C;
    match case {
        C::Queja => "Queja",
        C::Asesoria => "Asesoría",
        C::Sugerencia => "Sugerencia",
        C::Felicitacion => "Felicitación",
        C::Denuncia => "Denuncia",
        C::Peticion => "Petición",
    }
}

/// Said when a survey is received.
pub const SURVEY_THANKS: &str =
    "Gracias por responder la encuesta; su opinión nos ayuda a mejorar.";
/// A date in a report's query that is not YYYY-MM-DD.
pub const BAD_DATE: &str =
    "Las fechas deben tener el formato AAAA-MM-DD (por ejemplo, 2026-11-23); revise from y to.";
/// A report range that ends before it starts.
pub const RANGE_REVERSED: &str =
    "La fecha inicial (from) es posterior a la final (to); inviértalas o corríjalas.";
/// A report range that is too long.
pub const RANGE_TOO_LONG: &str =
    "El periodo del informe no puede pasar de 366 días; elija un periodo más corto.";
/// A report format other than json or csv.
pub const BAD_FORMAT: &str = "El formato del informe debe ser json o csv.";

/// No such office.
pub const OFFICE_NOT_FOUND: &str = "La oficina no existe; revise la dirección.";
/// The store failed; nothing was done.
pub const STORE_UNAVAILABLE: &str =
    "No pudimos guardar la operación, así que no se realizó; intente de nuevo en unos segundos.";
/// The office's log holds events of a newer version: reading works, writing does not.
pub const OFFICE_READ_ONLY: &str = "El registro de esta oficina tiene operaciones de una versión más nueva de Turnero; por ahora solo se puede consultar. Pida al administrador que ponga en marcha esa versión.";
/// `/readyz` when some offices cannot write to their log.
pub fn offices_unavailable(offices: &[&str]) -> String {
    format!(
        "El registro de {} no acepta escrituras (disco lleno, de solo lectura o con errores); no se atienden turnos allí hasta que se recupere, lo que ocurre solo.",
        match offices {
            [one] => format!("la oficina {one}"),
            many => format!("las oficinas {}", many.join(", ")),
        }
    )
}
/// Too many commands queued.
pub const OVERLOADED: &str = "El sistema está muy ocupado; intente de nuevo en unos segundos.";
/// Shutting down.
pub const STOPPING: &str = "El servidor se está reiniciando; intente de nuevo en unos segundos.";
/// No route.
pub const NOT_FOUND: &str =
    "La dirección solicitada no existe; revise la ruta en la documentación de la API.";
/// Wrong method.
pub const METHOD_NOT_ALLOWED: &str =
    "Esta dirección no acepta ese método; revise la documentación de la API.";
/// Not signed in.
pub const UNAUTHENTICATED: &str =
    "Inicie sesión para continuar (falta el encabezado Authorization: Bearer).";
/// Expired or forged session.
pub const SESSION_INVALID: &str = "Su sesión no es válida o ha vencido; inicie sesión de nuevo.";
/// Wrong username or password.
pub const BAD_CREDENTIALS: &str =
    "El usuario o la contraseña no son correctos; revíselos e intente de nuevo.";
/// Too many failed logins.
pub const TOO_MANY_ATTEMPTS: &str =
    "Demasiados intentos fallidos de inicio de sesión; espere unos minutos e intente de nuevo.";
/// Another office's counters.
pub const OTHER_OFFICE: &str = "Usted solo puede operar las ventanillas de su propia oficina.";
/// Role not allowed.
pub const ROLE_FORBIDDEN: &str =
    "Su perfil no tiene permiso para esta operación; pida ayuda a un supervisor.";
/// Body too large.
pub const TOO_LARGE: &str = "La solicitud es demasiado grande; envíe solo los campos necesarios.";
/// Not JSON.
pub const NOT_JSON: &str =
    "Envíe el cuerpo en formato JSON con el encabezado Content-Type: application/json.";
/// Bad token format.
pub const BAD_TOKEN: &str =
    "El enlace del turno no es válido; revise que lo haya copiado completo.";
/// Unknown service in a filter.
pub const BAD_SERVICE_FILTER: &str =
    "Alguno de los servicios del filtro no existe en esta oficina; revise el parámetro services.";
/// No such image among the office's slides.
pub const SLIDE_NOT_FOUND: &str =
    "Esa imagen no está entre las diapositivas de la oficina; pida la lista de nuevo.";

/// Explains a JSON body serde refused, in Spanish.
pub fn bad_json(detail: &str) -> String {
    let quoted = |s: &str| s.split('`').nth(1).unwrap_or("").to_owned();
    if detail.starts_with("missing field") {
        format!(
            "Falta el campo «{}» en el cuerpo de la solicitud.",
            quoted(detail)
        )
    } else if detail.starts_with("unknown field") {
        format!(
            "El campo «{}» no se reconoce; revise el nombre en la documentación de la API.",
            quoted(detail)
        )
    } else if detail.starts_with("invalid type") || detail.starts_with("invalid value") {
        "Algún campo tiene un tipo de dato incorrecto (por ejemplo, texto donde se espera un número); revise el cuerpo de la solicitud.".into()
    } else {
        "El cuerpo de la solicitud no es JSON válido; revise su formato.".into()
    }
}

// Printing (src/printing, src/http/printing.rs). The printer's own reasons (paper out,
// cover open…) come from the printer crate's `es` module.

/// Printed under the header of a copy a supervisor asked for.
pub const REPRINT_LINE: &str = "Copia (reimpresión)";
/// A kiosk id in a ticket request that the office does not have (the turn is still valid).
pub const PRINT_KIOSK_UNKNOWN: &str =
    "Este kiosco no está configurado en la oficina, así que el turno no se imprimió; el turno es válido. Avise al personal.";
/// An unknown kiosk in an address or body.
pub const KIOSK_NOT_FOUND: &str = "El kiosco no existe en esta oficina; revise su identificador.";
/// A reprint that does not say where, for a turn printed nowhere yet.
pub const KIOSK_REQUIRED: &str =
    "Indique en qué kiosco reimprimir el turno (campo «kiosk»): este turno no se imprimió en ningún kiosco.";
/// A reprint of a turn that has ended.
pub const REPRINT_CLOSED: &str = "Este turno ya terminó; no tiene sentido reimprimirlo.";
/// A turn never sent to a printer.
pub const PRINT_NOT_FOUND: &str = "Este turno no se ha enviado a ninguna impresora.";
/// Added to the printer's reason while a job is still being retried.
pub const PRINT_RETRYING: &str = "Se sigue intentando imprimir el turno.";
/// A job waiting for a print agent that is not connected.
pub const AGENT_OFFLINE: &str =
    "El equipo de impresión del kiosco no está conectado; el turno se imprimirá en cuanto se conecte.";
/// Added to the expiry reason when the agent never came back in time.
pub const AGENT_WAS_OFFLINE: &str = "El equipo de impresión del kiosco no estaba conectado.";
/// The printer's queue is full.
pub const PRINT_QUEUE_FULL: &str =
    "La cola de la impresora está llena; revise la impresora (papel, tapa, cable) antes de seguir.";
/// The printer's queue has stopped (the server is stopping).
pub const PRINT_QUEUE_STOPPED: &str =
    "La cola de impresión se detuvo; intente de nuevo en unos segundos.";
/// The shared print queue (Redis) could not take the job (the turn is still valid).
pub const PRINT_QUEUE_UNAVAILABLE: &str =
    "No se pudo enviar el turno a la impresora porque el almacén compartido no responde; el turno es válido. Puede reimprimirlo en unos segundos.";
/// No server process drives a kiosk's printer at the moment.
pub const PRINT_NO_OWNER: &str =
    "Ningún servidor atiende esta impresora en este momento; se retomará en unos segundos.";
/// A job found on the shared queue that no printer can take.
pub const PRINT_JOB_DAMAGED: &str =
    "El trabajo de impresión llegó dañado y no se imprimió; reimprima el turno.";
/// Too many sign-ins are being checked at once (a flood): try again in a moment.
pub const SIGN_IN_BUSY: &str =
    "Hay demasiados inicios de sesión en curso; intente de nuevo en unos segundos.";
/// A turn with its own feeds open already.
pub const TOO_MANY_FEEDS: &str =
    "Este turno ya se está siguiendo en varias pantallas; cierre alguna y vuelva a abrir esta página.";
/// A lobby screen over the cap of its address.
pub const TOO_MANY_SCREENS_ADDRESS: &str =
    "Desde esta dirección ya hay demasiadas pantallas abiertas; cierre alguna o pida al administrador que aumente max_screens_per_address.";
/// A lobby screen over what the server's open-file limit allows.
pub const TOO_MANY_SCREENS_SERVER: &str =
    "El servidor ya tiene abiertas todas las pantallas que puede atender; cierre alguna o pida al administrador que aumente el límite de archivos abiertos.";
/// A lobby screen over the cap of its office.
pub const TOO_MANY_SCREENS_OFFICE: &str =
    "Esta oficina ya tiene demasiadas pantallas abiertas; cierre alguna o pida al administrador que aumente max_screens_per_office.";
/// A connection over the server's cap (`max_connections`).
pub const TOO_MANY_CONNECTIONS: &str =
    "El servidor ya atiende todas las conexiones que admite; intente de nuevo en unos segundos y, si se repite, avise al administrador.";
/// A request body that came too slowly.
pub const BODY_TOO_SLOW: &str =
    "La solicitud llegó demasiado lenta y se descartó; revise la conexión e intente de nuevo.";
/// A bulk cancel whose first number is above its last.
pub const BAD_NUMBER_RANGE: &str =
    "El rango de números no es válido: «from» debe ser menor o igual que «to».";
/// A device token that is missing or wrong.
pub const AGENT_TOKEN_INVALID: &str =
    "La clave del equipo de impresión no es válida para este kiosco; revise la clave configurada en el agente.";
/// The agent socket of a kiosk that prints from the server.
pub const KIOSK_NOT_AGENT: &str =
    "Este kiosco imprime directamente desde el servidor; no usa un agente de impresión.";
/// A paper width other than 80 or 58.
pub const BAD_PAPER_WIDTH: &str = "El ancho del papel (width) debe ser 80 o 58 milímetros.";
/// A QR mode other than native or raster.
pub const BAD_QR_MODE: &str = "El modo del código QR (qr) debe ser native o raster.";
/// A code page other than pc850 or wpc1252.
pub const BAD_CODE_PAGE: &str = "La página de códigos (code_page) debe ser pc850 o wpc1252.";
/// A language the office does not offer.
pub const LANGUAGE_NOT_OFFERED: &str =
    "Esta oficina no atiende en ese idioma; elija uno de los idiomas que ofrece (GET /offices/{office}, campo languages).";
/// The agent socket answered over plain HTTP.
pub const WEBSOCKET_REQUIRED: &str =
    "Esta dirección es un WebSocket; conéctese con un cliente WebSocket.";
/// Query parameters that do not parse.
pub fn bad_query(detail: &str) -> String {
    format!("Los parámetros de la dirección no son válidos ({detail}); revíselos.")
}
/// An audit trail filter naming no action.
pub fn unknown_audit_action(name: &str) -> String {
    format!(
        "No hay acciones «{name}» en el registro; use una de: {}.",
        super::audit_action_names()
    )
}
/// The join page of an office that takes no turns from phones.
pub const JOIN_OFF: &str =
    "Esta oficina no entrega turnos desde el teléfono; tómelo en el kiosco de la entrada.";
/// A join in lobby mode without the lobby's current code.
pub const JOIN_CODE_INVALID: &str =
    "Ese código no es el que muestra ahora la pantalla de la sala (cambia cada pocos minutos); escanee de nuevo el código QR de la pantalla o escriba el código que se ve en ella.";
/// A join from anywhere without a phone number.
pub const PHONE_REQUIRED: &str =
    "Para tomar un turno desde su teléfono, escriba su número con el indicativo del país, por ejemplo +573001234567.";
/// A phone number over its turns for the day.
pub const JOIN_DAILY_LIMIT: &str =
    "Este número de teléfono ya tomó hoy los turnos permitidos desde el teléfono; si necesita otro, tómelo en el kiosco de la oficina.";
/// An anonymous turn in an office that issues only at its kiosks and by its staff.
pub const ISSUING_RESTRICTED: &str =
    "En esta oficina los turnos se toman en los kioscos de la entrada o con el personal de atención; acérquese a uno de ellos.";
/// A bearer token that is neither a paired kiosk's nor a session of the office.
pub const DEVICE_TOKEN_INVALID: &str =
    "La clave de este kiosco o la sesión no es válida para esta oficina; pida a un supervisor que vuelva a vincular el kiosco.";
/// An anonymous request that names a kiosk.
pub const KIOSK_NOT_PAIRED: &str =
    "Este kiosco no está vinculado: un supervisor debe vincularlo con su clave de dispositivo antes de imprimir turnos.";
/// A paired kiosk that names another kiosk.
pub const KIOSK_MISMATCH: &str =
    "La clave de este kiosco pertenece a otro kiosco; vincúlelo de nuevo con su propia clave.";
/// A bulk cancel that names nothing to cancel.
pub const BULK_SELECTION_MISSING: &str =
    "Indique qué turnos cancelar: un servicio con «from» y «to», un kiosco («kiosk») o una dirección («address»).";
/// An anonymous client over the office's limit of turns.
pub const TOO_MANY_TURNS: &str =
    "Ya se tomaron varios turnos desde esta conexión hace poco; espere unos minutos o acérquese a un kiosco de la oficina.";
/// A bulk cancel by an address that is not one.
pub const BAD_ADDRESS: &str =
    "La dirección «address» no es una dirección IP válida (por ejemplo, 203.0.113.7).";

/// The SMS when a turn is near (the office's `texts.near` replaces it).
pub const NOTIFY_NEAR: &str = "Turnero: su turno {code} está próximo. Acérquese a la sala.";
/// The SMS when a turn is called.
pub const NOTIFY_CALLED: &str = "Turnero: {code}, pase a {counter}.";
/// The SMS when a turn is called again.
pub const NOTIFY_RECALLED: &str =
    "Turnero: {code}, le estamos llamando de nuevo. Pase ya a {counter}.";
/// The SMS when a turn was marked as not present.
pub const NOTIFY_NO_SHOW: &str = "Turnero: {code} no se presentó a tiempo.";
/// A phone number that is not in international form.
pub const BAD_PHONE: &str = "El número de teléfono debe ir en formato internacional: «+», el código del país y el número, entre 8 y 15 cifras en total (por ejemplo, +573001234567).";
/// A Web Push subscription of the wrong shape.
pub const BAD_SUBSCRIPTION: &str = "La suscripción de notificaciones del navegador no es válida: hace falta un «endpoint» https y las claves «p256dh» y «auth».";
/// A notify request that names no way to tell the citizen.
pub const NOTIFY_NOTHING: &str =
    "Indique un número de teléfono («phone») o una suscripción del navegador («web_push»).";
/// A phone number left where the office sends no SMS.
pub const SMS_UNAVAILABLE: &str =
    "Esta oficina no envía avisos por SMS; siga su turno en esta página.";
/// A Web Push subscription where the office has no key to send with.
pub const WEB_PUSH_UNAVAILABLE: &str =
    "Esta oficina no envía notificaciones al navegador; siga su turno en esta página.";
/// A notification asked for a turn that has ended.
pub const TURN_ENDED: &str = "Este turno ya terminó; no hay avisos que enviar.";

// Web Push notifications on the citizen's phone (src/webpush): the page's own words, so
// a notification and the open page say the same.

/// A push notification: the turn is near (title, text).
pub fn push_near(code: &str, people: u32) -> (String, String) {
    let body = match people {
        0 => format!("Su turno {code} es el siguiente. Acérquese a la sala de espera."),
        1 => format!(
            "Su turno {code} está cerca: falta 1 antes de usted. Acérquese a la sala de espera."
        ),
        n => format!(
            "Su turno {code} está cerca: faltan {n} antes de usted. Acérquese a la sala de espera."
        ),
    };
    ("Su turno está próximo".to_owned(), body)
}

/// A push notification: the turn is called (title, text).
pub fn push_called(code: &str, counter: &str) -> (String, String) {
    (
        format!("Lo llaman: turno {code}"),
        format!("Su turno ha sido llamado: diríjase a {counter}"),
    )
}

/// A push notification: the turn is called again (title, text).
pub fn push_recalled(code: &str, counter: &str) -> (String, String) {
    (
        format!("Lo llaman de nuevo: turno {code}"),
        format!("Lo estamos llamando de nuevo: acérquese ya a {counter}, por favor."),
    )
}

/// A push notification: the turn was called and nobody came (title, text).
pub fn push_no_show(code: &str) -> (String, String) {
    (
        format!("Su turno {code} fue llamado y no se presentó"),
        "Si todavía está en la oficina, tome un nuevo turno en el punto de atención.".to_owned(),
    )
}

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
            "{about}: la espera más larga va en {} min (límite {}).",
            whole_minutes(*seconds),
            whole_minutes(*limit)
        ),
        (K::WaitOver, _) => format!("{about}: la espera más larga pasó el límite."),
        (K::WaitingOver, Some(D::Waiting { count, limit })) => {
            format!("{about}: esperan {count} personas (límite {limit}).")
        }
        (K::WaitingOver, _) => format!("{about}: esperan más personas que el límite."),
        (K::NoCounter, Some(D::NoCounter { count })) => format!(
            "{about}: {} y ninguna ventanilla abierta lo atiende.",
            if *count == 1 {
                "espera 1 persona".to_owned()
            } else {
                format!("esperan {count} personas")
            }
        ),
        (K::NoCounter, _) => {
            format!("{about}: hay personas esperando y ninguna ventanilla abierta lo atiende.")
        }
        (
            K::CounterPaused,
            Some(D::Paused {
                seconds,
                limit,
                reason,
            }),
        ) => format!(
            "{about} lleva {} min en pausa (límite {}): «{reason}».",
            whole_minutes(*seconds),
            whole_minutes(*limit)
        ),
        (K::CounterPaused, _) => format!("{about} lleva en pausa más del límite."),
        (K::PrinterPaper, _) => format!("La impresora de «{about}» se quedó sin papel."),
        (K::PrinterOffline, Some(D::Printer { reason })) if !reason.is_empty() => {
            // The print service's reasons are sentences of their own.
            let reason = reason.trim_end_matches('.');
            format!("La impresora de «{about}» no imprime: {reason}.")
        }
        (K::PrinterOffline, _) => format!("La impresora de «{about}» no responde."),
        (K::SatisfactionLow, Some(D::Satisfaction { mean, answers })) => format!(
            "{about}: la satisfacción de las últimas {answers} respuestas es {} (por debajo de 3).",
            format!("{mean:.1}").replace('.', ",")
        ),
        (K::SatisfactionLow, _) => {
            format!("{about}: la satisfacción reciente está por debajo de 3.")
        }
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
        "ahora".to_owned()
    } else {
        format!("antes de las {:02}:{:02}", before.hour(), before.minute())
    };
    let target = whole_minutes(advice.target);
    let reach = match advice.would_reach {
        Some(w) if w <= advice.target => format!(
            "solo el {:.0} % de los turnos se llamaría dentro de la meta de {target} min",
            advice.within_target * 100.0
        ),
        Some(w) => format!("la espera llegaría a {} min (meta {target})", (w + 30) / 60),
        None => format!("sin ventanilla abierta la espera no tiene fin (meta {target} min)"),
    };
    let more = if open == 0 { "" } else { " más" };
    let open_what = match advice.extra_counters {
        Some(1) => format!("Abra una ventanilla{more} para {service}"),
        Some(n) => format!("Abra {n} ventanillas{more} para {service}"),
        None => format!("Abra todas las ventanillas que pueda para {service}"),
    };
    let short = match advice.extra_counters {
        Some(n) if n > advice.available && advice.available == 0 => {
            " Ninguna otra ventanilla lo atiende: asigne el servicio a otras.".to_owned()
        }
        Some(n) if n > advice.available => format!(
            " Solo {} más lo atiende{}: asigne el servicio a otras.",
            if advice.available == 1 {
                "1 ventanilla".to_owned()
            } else {
                format!("{} ventanillas", advice.available)
            },
            if advice.available == 1 { "" } else { "n" }
        ),
        _ => String::new(),
    };
    format!("{open_what} {when}: {reach}.{short}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_naturally() {
        let tz: Tz = "America/Bogota".parse().unwrap();
        let now = "2026-11-27T20:00:00Z"
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
            .with_timezone(&tz);
        let at = "2026-11-30T13:00:00Z"
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
            .with_timezone(&tz);
        assert_eq!(when(at, now), "el lunes 30 de noviembre a las 08:00");
        assert_eq!(
            when(now + chrono::Duration::hours(1), now),
            "hoy a las 16:00"
        );
        assert_eq!(
            bad_json("missing field `service` at line 1"),
            "Falta el campo «service» en el cuerpo de la solicitud."
        );
    }
}

// Spanish: every text the screens show or speak. To add a language, copy this file
// (same keys, same functions), translate it, and pick it in ../js/i18n.js.

/** The language's code (BCP 47) and its name in itself, for a language switch. */
export const code = "es";
export const name = "Español";

const UNITS = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho",
  "nueve", "diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete",
  "dieciocho", "diecinueve", "veinte", "veintiuno", "veintidós", "veintitrés",
  "veinticuatro", "veinticinco", "veintiséis", "veintisiete", "veintiocho", "veintinueve"];
const TENS = ["", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta",
  "ochenta", "noventa"];
const HUNDREDS = ["", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos",
  "seiscientos", "setecientos", "ochocientos", "novecientos"];

function below1000(n) {
  if (n < 30) return UNITS[n];
  if (n < 100) {
    const u = n % 10;
    return TENS[Math.floor(n / 10)] + (u ? " y " + UNITS[u] : "");
  }
  if (n === 100) return "cien";
  const rest = n % 100;
  return HUNDREDS[Math.floor(n / 100)] + (rest ? " " + below1000(rest) : "");
}

// "uno" becomes "un" before "mil" and "millones": veintiún mil, un millón.
const apocope = (words) => words.replace(/(^|\s)uno$/, "$1un").replace(/veintiuno$/, "veintiún");

/** A whole number in Spanish words: 23 → "veintitrés", 1001 → "mil uno". */
export function numberToWords(value) {
  let n = Math.trunc(Number(value));
  if (!Number.isFinite(n)) return String(value);
  if (n < 0) return "menos " + numberToWords(-n);
  if (n >= 1e12) return String(n);
  const parts = [];
  const millions = Math.floor(n / 1e6);
  n %= 1e6;
  if (millions) parts.push(millions === 1 ? "un millón" : apocope(numberToWords(millions)) + " millones");
  const thousands = Math.floor(n / 1000);
  n %= 1000;
  if (thousands) parts.push(thousands === 1 ? "mil" : apocope(below1000(thousands)) + " mil");
  if (n || parts.length === 0) parts.push(below1000(n));
  return parts.join(" ");
}

// How letters of a turn's prefix are read aloud, as they are named in Latin America
// ("ve", "doble ve"; Spain's "uve" would puzzle a lobby in Bogotá or Lima).
const LETTERS = { A: "A", B: "be", C: "ce", D: "de", E: "e", F: "efe", G: "ge", H: "hache",
  I: "i", J: "jota", K: "ka", L: "ele", M: "eme", N: "ene", Ñ: "eñe", O: "o", P: "pe",
  Q: "cu", R: "erre", S: "ese", T: "te", U: "u", V: "ve", W: "doble ve", X: "equis",
  Y: "ye", Z: "zeta" };

/** "A-023" → "A veintitrés"; letters by their names, the number in words. */
export function spokenCode(code) {
  const m = /^([A-Za-zÑñ]*)[-\s]?0*(\d+)$/.exec(String(code).trim());
  if (!m) return String(code);
  const letters = [...m[1].toUpperCase()].map((c) => LETTERS[c] || c).join(" ");
  return (letters ? letters + " " : "") + numberToWords(Number(m[2]));
}

/** "Ventanilla 3" → "a la ventanilla tres"; "Módulo 2" → "al módulo dos". */
export function spokenPlace(name) {
  const words = String(name).trim().replace(/\d+/g, (d) => numberToWords(Number(d))).split(/\s+/);
  const first = (words[0] || "").toLowerCase();
  words[0] = first;
  const feminine = /a$/.test(first) || ["mesa", "caja", "sala", "oficina"].includes(first);
  return (feminine ? "a la " : "al ") + words.join(" ");
}

/** The sentence a lobby screen speaks for a call. */
export function spokenCall(call) {
  const again = call.recall ? "Nuevo llamado. " : "";
  return `${again}Turno ${spokenCode(call.code)}, diríjase ${spokenPlace(call.counter_name || call.counter)}.`;
}

/** "unos 5 minutos" and the like, for an expected wait in seconds. */
export function waitText(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return "menos de un minuto";
  // Rounded to the nearest minute, as the printed ticket is, so paper and screen agree.
  const minutes = Math.round(s / 60);
  if (minutes === 1) return "un minuto";
  if (minutes < 60) return `unos ${minutes} minutos`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const hours = h === 1 ? "1 hora" : `${h} horas`;
  return m ? `alrededor de ${hours} y ${m} minutos` : `alrededor de ${hours}`;
}

/** How long someone has waited, short: "8 min", "1 h 05 min". */
export function shortDuration(seconds) {
  const s = Math.max(0, Math.round(seconds || 0));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** "3 personas" / "1 persona" / "nadie". */
export function people(n) {
  if (!n) return "nadie";
  return n === 1 ? "1 persona" : `${n} personas`;
}

/** "1 respuesta" / "12 respuestas", for a count of survey answers. */
export function responses(n) {
  const count = Number(n) || 0;
  return count === 1 ? "1 respuesta" : `${new Intl.NumberFormat("es").format(count)} respuestas`;
}

export const strings = {
  locale: "es",
  "app.name": "Turnero",

  "error.network": "No hay conexión con el servidor. Revise la red; el sistema lo intentará de nuevo.",
  "error.generic": "Algo salió mal. Intente de nuevo en un momento.",
  "error.office": "No encontramos la oficina «{office}». Revise la dirección de esta pantalla.",

  "lang.switch": "Idioma",
  "agent.actionColumn": "Acción",
  "sup.sections": "Secciones",
  "conn.offline": "Sin conexión. Reintentando…",
  "conn.retry": "Sin conexión. Reintentando en {seconds} s…",

  // Lobby display
  "display.title": "Turnos — {office}",
  "display.turn": "Turno",
  "display.goTo": "Diríjase a",
  "display.recall": "Nuevo llamado",
  "display.preferential": "Preferencial",
  "display.empty": "Bienvenido",
  "display.emptyHint": "Aquí verá el turno llamado y la ventanilla a la que debe dirigirse.",
  "display.history": "Últimos llamados",
  "display.historyEmpty": "Todavía no hay llamados.",
  "display.waiting": "En espera",
  "display.sound": "El sonido está desactivado. Toque la pantalla o pulse una tecla para activar los avisos con voz.",
  "display.soundOn": "Sonido activado.",
  "display.alsoCalled": "También llamado",
  "display.voice": "Voz: {voice}",
  "display.voiceRecorded": "grabaciones de Turnero",
  "display.voiceNone": "sin voz en este equipo",
  "display.slides": "Información de la oficina",

  // Joining from the door (the phone, no kiosk)
  "join.title": "Tome su turno — {office}",
  "join.noOffice": "No encontramos esta oficina; revise la dirección del cartel o escanee de nuevo su código.",
  "join.offTitle": "Esta oficina no entrega turnos por teléfono",
  "join.offText": "Tome su turno en el kiosco de la entrada; desde allí podrá seguirlo en su teléfono.",
  "join.codeTitle": "Escriba el código de la pantalla",
  "join.codeLabel": "Código de la sala",
  "join.codeHint": "Lo muestra la pantalla de la sala de espera, junto al código QR; cambia cada pocos minutos.",
  "join.codeMissing": "Escriba el código que muestra la pantalla de la sala.",
  "join.phoneTitle": "Su número de teléfono",
  "join.phoneLabel": "Teléfono celular",
  "join.phoneHint": "Con el indicativo del país, por ejemplo +573001234567. Solo se usa para limitar los turnos por persona.",
  "join.phoneMissing": "Escriba su número de teléfono con el indicativo del país.",
  "join.submit": "Tomar mi turno",
  "display.joinTitle": "Tome su turno con el teléfono",
  "display.joinText": "Escanee el código QR o entre a {url}",
  "display.joinCode": "Código",

  // Kiosk
  "kiosk.title": "Tome su turno — {office}",
  "kiosk.welcome": "Bienvenido",
  "kiosk.chooseService": "Toque el trámite que viene a realizar",
  "kiosk.waiting": "{people} antes que usted",
  "kiosk.expected": "Espera aproximada: {wait}",
  "kiosk.help": "Si necesita ayuda, acérquese al punto de información.",
  "kiosk.noServices": "En este momento no hay trámites disponibles.",
  "kiosk.preferentialQuestion": "¿Requiere atención preferencial?",
  "kiosk.preferentialHint": "Toque la opción que le corresponde. Si ninguna le corresponde, toque «No».",
  "kiosk.no": "No",
  "kiosk.noDetail": "Atención general",
  "kiosk.back": "Volver",
  "kiosk.yourTurn": "Su turno",
  "kiosk.ahead": "Personas antes de usted",
  "kiosk.expectedWait": "Espera aproximada",
  "kiosk.qr": "Escanee el código con su teléfono para seguir su turno.",
  "kiosk.printing": "Imprimiendo su ticket…",
  "kiosk.printed": "Tome su ticket impreso.",
  "kiosk.printFailed": "No pudimos imprimir su ticket. Su turno es válido: anote el número o escanee el código.",
  "kiosk.noPrinter": "Anote su número o escanee el código: este equipo no imprime tickets.",
  "kiosk.done": "Listo",
  "kiosk.backSoon": "Esta pantalla volverá al inicio en {seconds} s.",
  "kiosk.smsOffer": "Recibir aviso por SMS (opcional)",
  "kiosk.smsTitle": "Su número de celular, con el indicativo del país (+57…)",
  "kiosk.smsCancel": "Cancelar",
  "kiosk.smsSend": "Enviarme los avisos",
  "kiosk.smsErase": "Borrar",
  "kiosk.smsDone": "Le enviaremos un SMS a {phone} cuando su turno esté próximo y cuando lo llamen.",
  "kiosk.closed": "La oficina está cerrada",
  "kiosk.nextOpening": "Volvemos a atender el {when}.",
  "kiosk.closedNoDate": "Consulte el horario de atención en la entrada.",
  "kiosk.issuing": "Un momento, por favor…",
  "kiosk.unavailable": "En este momento no podemos entregar turnos; por favor acérquese a un orientador.",
  "kiosk.pairTitle": "Vincular este kiosco",
  "kiosk.pairText": "Este kiosco todavía no está vinculado a la oficina. Un supervisor debe escribir aquí la clave del kiosco (la que dio «turnero new-device-token»); se guarda en este equipo.",
  "kiosk.pairTextOpen": "Sin vincular, este kiosco solo puede dar unos pocos turnos seguidos. Un supervisor puede vincularlo con la clave del kiosco (la que dio «turnero new-device-token»).",
  "kiosk.pairLabel": "Clave del kiosco",
  "kiosk.pairSubmit": "Vincular",
  "kiosk.pairCancel": "Volver",
  "kiosk.pairOpen": "Vincular este kiosco",
  "kiosk.pairRefused": "Esa clave no corresponde a ningún kiosco de esta oficina; revísela.",
  "kiosk.unpaired": "La clave de este kiosco dejó de ser válida; un supervisor debe vincularlo de nuevo.",

  // Agent console
  "agent.title": "Consola de ventanilla",
  "agent.signIn": "Iniciar sesión",
  "agent.username": "Usuario",
  "agent.password": "Contraseña",
  "agent.enter": "Ingresar",
  "agent.pickOffice": "Elija la oficina",
  "agent.pickCounter": "Elija su ventanilla",
  "agent.signOut": "Cerrar sesión",
  "agent.changeCounter": "Cambiar de ventanilla",
  "agent.takenOver": "{agent} tomó esta ventanilla; elija otra para seguir atendiendo.",
  "agent.closeCounter": "Cerrar ventanilla",
  "agent.openCounter": "Abrir ventanilla",
  "agent.sessionEnded": "Su sesión terminó. Inicie sesión de nuevo.",
  "agent.current": "Turno actual",
  "agent.noCurrent": "Sin turno en curso",
  "agent.noCurrentHint": "Pulse «Llamar siguiente» para llamar al próximo turno.",
  "agent.calledFor": "Llamado hace {time}",
  "agent.servingFor": "En atención hace {time}",
  "agent.pausedFor": "En pausa hace {time}",
  "agent.recalls": "Llamado {n} veces",
  "agent.callNext": "Llamar siguiente",
  "agent.recall": "Volver a llamar",
  "agent.start": "Iniciar atención",
  "agent.finish": "Finalizar",
  "agent.noShow": "No se presentó",
  "agent.noShowTitle": "¿El turno {code} no se presentó?",
  "agent.noShowText": "El turno se cerrará. Si el ciudadano llega enseguida, podrá deshacerlo durante un minuto.",
  "agent.noShowConfirm": "Sí, no se presentó",
  "agent.noShowDone": "{code} marcado como no presentado.",
  "agent.undo": "Deshacer",
  "agent.recalled": "Volvió a llamar el turno {code}.",
  "agent.started": "Atención del turno {code} iniciada.",
  "agent.finished": "Turno {code} finalizado.",
  "agent.pausedDone": "Ventanilla en pausa.",
  "agent.resumedDone": "Ventanilla disponible de nuevo.",
  "agent.openedDone": "Ventanilla abierta.",
  "agent.online": "Conectado",
  "agent.offline": "Sin conexión · reintentando",
  "agent.undone": "{code} vuelve a estar llamado en esta ventanilla.",
  "agent.transfer": "Transferir",
  "agent.callCode": "Llamar un turno específico",
  "agent.pause": "Pausa",
  "agent.resume": "Reanudar",
  "agent.waitingTitle": "Turnos en espera",
  "agent.waitingNone": "No hay turnos en espera para esta ventanilla.",
  "agent.waitingSummary": "{count} en espera · espera más larga {longest} ({code})",
  "agent.colCode": "Turno",
  "agent.colService": "Trámite",
  "agent.colCategory": "Atención",
  "agent.colWait": "Espera",
  "agent.call": "Llamar",
  "agent.nobodyWaiting": "No hay turnos en espera para esta ventanilla.",
  "agent.called": "Llamó el turno {code}.",
  "agent.done": "Listo.",
  "agent.transferTo": "Transferir el turno {code} a:",
  "agent.transferred": "El turno {code} pasó a {service}.",
  "agent.snoozed": "El ciudadano del turno {code} pidió unos minutos: vuelve a la fila después de {turns} turnos. Llame al siguiente.",
  "agent.codeLabel": "Código del turno (por ejemplo A-017)",
  "agent.callReason": "Motivo del llamado fuera de orden",
  "agent.callReasonPick": "Elija el motivo…",
  "agent.callNote": "Nota (obligatoria con «Otro motivo»; la ve el supervisor)",
  "agent.pauseReason": "Motivo de la pausa",
  "agent.pauseOther": "Otro motivo",
  "agent.pauseReasons": ["Almuerzo", "Descanso", "Consulta interna", "Reunión"],
  "agent.confirm": "Confirmar",
  "agent.cancel": "Cancelar",
  "agent.shortcuts": "Atajos de teclado: L llamar siguiente · R volver a llamar · I iniciar · F finalizar · N no se presentó · T transferir · E turno específico · P pausa o reanudar.",
  "agent.live": "Actualizado en vivo",
  "state.closed": "Cerrada",
  "state.open": "Disponible",
  "state.calling": "Llamando",
  "state.serving": "Atendiendo",
  "state.paused": "En pausa",

  // Citizen's page
  "ticket.title": "Su turno {code}",
  "ticket.notFound": "No encontramos este turno. Revise el enlace o vuelva a escanear el código del ticket.",
  "ticket.yourTurn": "Su turno",
  "ticket.waiting": "En espera",
  "ticket.ahead": "Personas antes de usted",
  "ticket.notifyButton": "Avisarme en este teléfono",
  "ticket.notifyOn": "Le avisaremos en este teléfono cuando su turno esté próximo y cuando lo llamen.",
  "ticket.notifyDenied": "Este teléfono no permite avisos de esta página: manténgala abierta y le avisaremos con sonido y vibración.",
  "ticket.notifySoundOnly": "Mantenga esta página abierta: le avisaremos con sonido y vibración.",
  "ticket.notifyPush": "Le avisaremos en este teléfono cuando su turno esté próximo y cuando lo llamen, aunque cierre esta página.",
  "ticket.notifyPushFailed": "No se pudieron activar los avisos con la página cerrada: manténgala abierta y le avisaremos cuando su turno esté próximo y cuando lo llamen.",
  "ticket.near": "Su turno está próximo",
  "ticket.nearText": "Su turno {code} está cerca: faltan {people} antes de usted. Acérquese a la sala de espera.",
  "ticket.calledTitle": "Lo llaman: turno {code}",
  "ticket.aheadNow": "Ahora hay {people} antes de usted.",
  "ticket.next": "¡Usted es el siguiente!",
  "ticket.expected": "Espera aproximada",
  "ticket.live": "Esta página se actualiza sola. Le avisaremos cuando lo llamen.",
  "ticket.called": "Su turno ha sido llamado: diríjase a {counter}",
  "ticket.calledAgain": "Lo estamos llamando de nuevo: acérquese ya, por favor.",
  "ticket.showCode": "Muestre este número al llegar a la ventanilla.",
  "ticket.serving": "Usted está siendo atendido en {counter}.",
  "ticket.served": "Gracias por su visita",
  "ticket.servedText": "Su atención ha terminado. Que tenga un buen día.",
  "ticket.survey": "Encuesta de satisfacción",
  "ticket.surveySoon": "Muy pronto podrá calificar aquí la atención que recibió. Su opinión nos ayuda a mejorar.",
  "ticket.noShow": "Su turno fue llamado y no se presentó",
  "ticket.noShowText": "Si todavía está en la oficina, tome un nuevo turno en el punto de atención.",
  "ticket.cancelled": "Usted canceló este turno",
  "ticket.cancelledText": "Si lo necesita, puede tomar un nuevo turno en la oficina.",
  "ticket.expired": "Este turno venció",
  "ticket.expiredText": "La jornada terminó antes de que fuera atendido. Tome un nuevo turno en su próxima visita.",
  "ticket.cancel": "Cancelar mi turno",
  "ticket.cancelQuestion": "¿Desea cancelar su turno {code}? Perderá su lugar en la fila.",
  "ticket.cancelYes": "Sí, cancelar mi turno",
  "ticket.cancelNo": "No, conservar mi turno",
  "ticket.smsButton": "Avisarme por SMS",
  "ticket.smsLabel": "Su número de celular",
  "ticket.smsHint": "Con el indicativo del país, por ejemplo +573001234567. Le escribiremos cuando su turno esté próximo y cuando lo llamen; el número se borra al terminar su turno.",
  "ticket.smsSubmit": "Enviarme los avisos",
  "ticket.smsMissing": "Escriba su número de celular con el indicativo del país.",
  "ticket.smsOn": "Le enviaremos un SMS a {phone} cuando su turno esté próximo y cuando lo llamen.",
  "ticket.smsForget": "No enviar más SMS",
  "ticket.snooze": "Voy en camino: deme unos minutos",
  "ticket.snoozeQuestion": "¿Va en camino? Su turno {code} volverá a la fila y lo llamarán de nuevo después de {turns} turnos. Solo puede pedirlo una vez.",
  "ticket.snoozeYes": "Sí, voy en camino",
  "ticket.snoozeNo": "No, ya voy a la ventanilla",
  "ticket.snoozedText": "Pidió unos minutos: su turno volverá a ser llamado en breve. Acérquese a la sala de espera.",
  "ticket.service": "Trámite",
  "ticket.issued": "Tomado a las {time}",

  // Satisfaction survey (citizen's page; protocol 000 §9.1.B–C)
  "survey.title": "Encuesta de satisfacción",
  "survey.intro": "Califique la atención que recibió. Son cinco preguntas y le tomará menos de un minuto.",
  "survey.scaleHint": "1 es totalmente insatisfecho y 5 es totalmente satisfecho.",
  "survey.q.overall": "¿Qué tan satisfecho se encuentra usted a nivel general con la atención que recibió?",
  "survey.q.attention": "¿Qué tan satisfecho se encuentra con la atención que recibió en su visita?",
  "survey.q.clarity": "¿Qué tan satisfecho se encuentra con la claridad de la información recibida en su trámite?",
  "survey.q.wait_time": "¿Qué tan satisfecho se encuentra con el tiempo de espera para ser atendido en ventanilla?",
  "survey.q.response_time": "¿Qué tan satisfecho se encuentra con el tiempo de respuesta de su trámite?",
  "survey.scale": ["Totalmente insatisfecho", "Insatisfecho", "Ni satisfecho ni insatisfecho", "Satisfecho", "Totalmente satisfecho"],
  "survey.chosen": "Su respuesta: {label}",
  "survey.notChosen": "Toque una carita para responder.",
  "survey.dimensions": "Cuéntenos un poco más",
  "survey.comment": "Comentario (opcional)",
  "survey.commentHint": "Si desea, cuéntenos qué podemos mejorar o qué le gustó.",
  "survey.count": "{n} de {max} caracteres",
  "survey.caseType": "¿Su comentario es…? (opcional)",
  "survey.caseNone": "Ninguno",
  "survey.caseTypes": [
    ["queja", "Queja"], ["asesoria", "Asesoría"], ["sugerencia", "Sugerencia"],
    ["felicitacion", "Felicitación"], ["denuncia", "Denuncia"], ["peticion", "Petición"],
  ],
  "survey.submit": "Enviar mis respuestas",
  "survey.sending": "Enviando…",
  "survey.missing": "Falta responder: {questions}. Toque una carita en cada pregunta.",
  "survey.missingOne": "la pregunta {n}",
  "survey.thanks": "¡Gracias por su opinión!",
  "survey.thanksText": "Sus respuestas nos ayudan a mejorar la atención.",
  "survey.closed": "El plazo para responder esta encuesta ya terminó",
  "survey.closedText": "Gracias de todos modos. Si desea dejar un comentario, puede hacerlo en la oficina.",

  // The organisation (admins)
  "org.title": "La organización",
  "org.signInHint": "Solo para administradores: todas las oficinas en una página.",
  "org.onlyAdmins": "Solo los administradores ven toda la organización; use el tablero del supervisor para su oficina.",
  "org.offices": "Oficinas",
  "org.officesTitle": "Las oficinas hoy",
  "org.office": "Oficina",
  "org.countersOpen": "Ventanillas abiertas",
  "org.paused": "En pausa",
  "org.waiting": "En espera",
  "org.longest": "Espera más larga",
  "org.served": "Atendidos hoy",
  "org.within": "Dentro de la meta",
  "org.satisfaction": "Satisfacción hoy (respuestas)",
  "org.closed": "Cerrada",
  "org.minutes": "{minutes} min",
  "org.reportTitle": "Informe de toda la organización",
  "org.reportHint": "Las cifras de todas las oficinas juntas, con las mismas desagregaciones que el informe de una oficina y una fila por oficina. Las ventanillas llevan el nombre de su oficina.",
  "org.alerts": "Alertas",
  "org.noAlerts": "Ninguna",
  "org.updated": "Actualizado a las {time}.",

  // Supervisor dashboard
  "sup.title": "Tablero del supervisor",
  "sup.signIn": "Iniciar sesión",
  "sup.signInHint": "Solo para supervisores y administradores.",
  "sup.notAllowed": "Su usuario ({user}) es de ventanilla y no puede ver este tablero. Pida acceso a un supervisor o use la consola de ventanilla.",
  "sup.toConsole": "Ir a la consola de ventanilla",
  "sup.sessionEnded": "Su sesión terminó. Inicie sesión de nuevo.",
  "sup.signOut": "Cerrar sesión",
  "sup.office": "Oficina",
  "sup.pickOffice": "Elija la oficina",
  "sup.tabLive": "Hoy en vivo",
  "sup.tabReport": "Informe",
  "sup.live": "En vivo",
  "sup.updated": "Actualizado a las {time}",
  "sup.waitingNow": "En espera ahora",
  "sup.longestWait": "Espera más larga",
  "sup.longestNone": "Nadie espera",
  "sup.countersOpen": "Ventanillas abiertas",
  "sup.countersPaused": "En pausa",
  "sup.countersClosed": "Cerradas",
  "sup.servedToday": "Atendidos hoy",
  "sup.waitingByService": "En espera por trámite",
  "sup.colService": "Trámite",
  "sup.colWaiting": "En espera",
  "sup.colPreferential": "Preferenciales",
  "sup.colLongest": "Espera más larga",
  "sup.colEstimated": "Espera estimada",
  "sup.counters": "Ventanillas",
  "sup.currentTurn": "Turno {code}",
  "sup.noTurn": "Sin turno",
  "sup.pauseReason": "Motivo: {reason}",
  "sup.callsPerHour": "Turnos por hora hoy",
  "sup.callsPerHourDesc": "Turnos emitidos, llamados y atendidos en cada hora del día (hora de emisión).",
  "sup.lastCalls": "Últimos llamados",
  "sup.noCalls": "Todavía no hay llamados hoy.",
  "sup.from": "Desde",
  "sup.to": "Hasta",
  "sup.show": "Ver informe",
  "sup.csv": "Descargar CSV",
  "sup.csvReady": "Descarga lista.",
  "sup.loading": "Cargando…",
  "sup.range": "Informe del {from} al {to}",
  "sup.rangeOne": "Informe del {from}",
  "sup.turns": "Turnos",
  "sup.issued": "Emitidos",
  "sup.called": "Llamados",
  "sup.served": "Atendidos",
  "sup.noShow": "No se presentaron",
  "sup.transferred": "Transferidos",
  "sup.alertsTitle": "Alertas",
  "sup.alertsNone": "Sin alertas: todo dentro de lo previsto.",
  "sup.alertsSoundOn": "Sonido de alertas: activado",
  "sup.alertsSoundOff": "Sonido de alertas: silenciado",
  "sup.forecastTitle": "Próxima hora (pronóstico)",
  "sup.forecastService": "Trámite",
  "sup.forecastWait": "Espera prevista",
  "sup.forecastWithin": "Dentro de la meta",
  "sup.forecastAdvice": "Qué hacer",
  "sup.forecastOnTarget": "Dentro de la meta: nada que hacer.",
  "sup.forecastMinutes": "{minutes} min",
  "sup.smsFailing": "Los avisos por SMS a los ciudadanos están fallando desde las {since} ({error}). {pending} en espera de reintento, {failed} perdidos hoy. Revise la pasarela o avise a soporte.",
  "sup.snoozed": "Pidieron unos minutos",
  "sup.expired": "Vencidos",
  "sup.cancelled": "Cancelados",
  "sup.wait": "Espera",
  "sup.service": "Atención en ventanilla",
  "sup.mean": "Promedio",
  "sup.p50": "Mediana",
  "sup.p90": "Percentil 90",
  "sup.max": "Máxima",
  "sup.satisfaction": "Satisfacción",
  "sup.index": "Índice (1 a 5)",
  "sup.responses": "Respuestas",
  "sup.responseRate": "Tasa de respuesta",
  "sup.dissatisfied": "Insatisfechos (menos de 3)",
  "sup.topShare": "Totalmente satisfechos",
  "sup.withinTarget": "Atendidos dentro de la meta de espera",
  "sup.outcomes": "Qué pasó con los turnos",
  "sup.outcomesDesc": "Turnos emitidos según cómo terminaron.",
  "sup.other": "Otros (en espera o en curso)",
  "sup.perHour": "Turnos por hora",
  "sup.perHourDesc": "Turnos emitidos, llamados y atendidos según la hora en que se emitieron.",
  "sup.waitByService": "Espera por trámite (minutos)",
  "sup.waitByServiceDesc": "Mediana y percentil 90 de la espera, en minutos, de cada trámite.",
  "sup.waitByServiceSec": "Espera por trámite (segundos)",
  "sup.waitByServiceDescSec": "Mediana y percentil 90 de la espera, en segundos, de cada trámite.",
  "sup.satByQuestion": "Satisfacción por pregunta (1 a 5)",
  "sup.satByQuestionDesc": "Promedio de las respuestas a cada pregunta, en la escala de 1 (totalmente insatisfecho) a 5 (totalmente satisfecho).",
  "sup.q.overall": "General",
  "sup.q.attention": "Atención en la visita",
  "sup.q.clarity": "Claridad de la información",
  "sup.q.wait_time": "Tiempo de espera",
  "sup.q.response_time": "Tiempo de respuesta",
  "sup.tabAudit": "Registro de acciones",
  "sup.auditTitle": "Acciones del personal",
  "sup.auditDay": "Día",
  "sup.auditUser": "Usuario",
  "sup.auditAction": "Acción",
  "sup.auditEvery": "Todas",
  "sup.auditAt": "Hora",
  "sup.auditDetail": "Sobre qué",
  "sup.auditAddress": "Desde",
  "sup.auditNone": "Ninguna acción ese día con esos filtros.",
  "sup.auditOne": "1 acción.",
  "sup.auditMany": "{n} acciones.",
  "sup.audit.sign_in": "Inició sesión",
  "sup.audit.sign_out": "Cerró sesión",
  "sup.audit.take_over": "Tomó una ventanilla",
  "sup.audit.out_of_order_call": "Llamó fuera de orden",
  "sup.audit.no_show_undone": "Deshizo un «no se presentó»",
  "sup.audit.bulk_cancel": "Canceló turnos en bloque",
  "sup.audit.reprint": "Reimprimió un turno",
  "sup.auditShow": "Ver acciones",
  "sup.role.agent": "Agente",
  "sup.role.supervisor": "Supervisión",
  "sup.role.admin": "Administración",
  "sup.byOffice": "Por oficina",
  "sup.byService": "Por trámite",
  "sup.byCategory": "Por tipo de atención",
  "sup.byClass": "Preferencial y general",
  "sup.byCounter": "Por ventanilla",
  "sup.byAgent": "Por agente",
  "sup.byHour": "Por hora",
  "sup.colName": "Nombre",
  "sup.colIssued": "Emitidos",
  "sup.colServed": "Atendidos",
  "sup.colNoShow": "No se presentaron",
  "sup.colWaitP50": "Espera mediana",
  "sup.colWaitP90": "Espera p90",
  "sup.colServiceP50": "Atención mediana",
  "sup.colSat": "Satisfacción",
  "sup.colIdle": "Tiempo libre",
  "sup.colPause": "En pausa",
  "sup.fairness": "Equidad en el orden de atención",
  "sup.fairOutOfOrder": "Llamados fuera de orden por agente y motivo",
  "sup.colAgent": "Agente",
  "sup.fairNotes": "Notas",
  "sup.fairNone": "No hubo llamados fuera de orden.",
  "sup.fairPrefShare": "Llamados preferenciales",
  "sup.fairPolicy": "Política",
  "sup.fairStrict": "Prioridad estricta (sin tope)",
  "sup.fairCap": "Hasta {k} seguidos ({share} como máximo)",
  "sup.fairStreak": "Racha más larga de preferenciales con turnos generales esperando",
  "sup.fairBehind": "Mayor espera de un turno general detrás de preferenciales",
  "sup.fairBehindValue": "{code} ({day}): {minutes} min, {n} preferenciales pasaron antes",
  "sup.fairSkipped": "Turnos saltados por llamados fuera de orden",
  "sup.fairSkippedValue": "{turns} turnos, {times} veces",
  "sup.fairSkippedList": "Turnos saltados que más esperaron",
  "sup.fairColTurn": "Turno",
  "sup.fairColUntilCalled": "Desde el primer salto hasta su llamado",
  "sup.fairNotCalled": "no fue llamado",
  "sup.pauses": "Pausas",
  "sup.colReason": "Motivo",
  "sup.colCount": "Veces",
  "sup.colTotal": "Tiempo total",
  "sup.cases": "Casos recibidos en la encuesta",
  "sup.colCaseType": "Tipo",
  "sup.empty": "Sin datos en este periodo.",
  "sup.none": "—",
  "sup.badRange": "Elija las dos fechas del periodo.",

  // Landing page
  "index.title": "Turnero — demostración",
  "index.tagline": "Turnos y atención por ventanilla para oficinas de servicio público.",
  "index.officeNote": "Oficina de demostración:",
  "index.display.title": "Pantalla de sala",
  "index.display.text": "Para el televisor de la sala de espera: el turno llamado, la ventanilla y los últimos llamados, con aviso por voz.",
  "index.display.open": "Abrir la pantalla",
  "index.kiosk.title": "Kiosco de turnos",
  "index.kiosk.text": "Pantalla táctil de la entrada: el ciudadano elige su trámite y recibe su turno con un código QR.",
  "index.kiosk.open": "Abrir el kiosco",
  "index.agent.title": "Consola de ventanilla",
  "index.agent.text": "Para el agente: llamar, volver a llamar, atender, transferir y pausar. Usuarios {first} a {last}, contraseña {password}.",
  "index.agent.open": "Abrir la consola",
  "index.supervisor.title": "Tablero del supervisor",
  "index.supervisor.text": "La oficina hoy en vivo y el informe del periodo: esperas, atención, no presentados y satisfacción, con descarga en CSV. Usuario {user}, contraseña {password}.",
  "index.supervisor.open": "Abrir el tablero",
  "index.ticket.title": "Página del ciudadano",
  "index.ticket.text": "Se abre desde el código QR del ticket, en el teléfono: posición, espera, aviso cuando lo llaman y, al final, la encuesta de satisfacción.",
  "index.ticket.open": "Tome un turno para verla",
  "index.tour.title": "Recorrido de la demostración",
  "index.tour.1": "Abra la pantalla de sala en una ventana y toque la pantalla una vez para activar el sonido.",
  "index.tour.2": "En el kiosco, elija un trámite y responda si requiere atención preferencial.",
  "index.tour.3": "Escanee el código QR del ticket (o ábralo en otra pestaña) para seguir el turno.",
  "index.tour.4": "En la consola, inicie sesión como {user}, elija una ventanilla y pulse «Llamar siguiente».",
  "index.tour.5": "Al finalizar la atención, la página del ciudadano muestra la encuesta de satisfacción.",
  "index.tour.6": "En el tablero del supervisor, vea la oficina en vivo y el informe del día.",
};

/** The Spanish pack. */
export default {
  code,
  name,
  strings,
  numberToWords,
  spokenCode,
  spokenPlace,
  spokenCall,
  waitText,
  shortDuration,
  people,
  responses,
};

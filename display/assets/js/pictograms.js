// Pictograms for the preferential categories, drawn inline (currentColor, 64×64) so they
// follow the button's colour. Hidden from screen readers: the visible label says it all.
const svg = (body) =>
  `<svg viewBox="0 0 64 64" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`;

export const pictograms = {
  // An older person walking with a cane.
  adulto_mayor: svg(
    `<circle cx="30" cy="10" r="6" fill="currentColor" stroke="none"/>
     <path d="M28 20 C24 26 23 32 24 38 L20 58"/><path d="M24 38 L32 46 L34 58"/>
     <path d="M27 24 L38 32"/><path d="M38 32 L42 58"/>`),
  // A pregnant woman.
  embarazada: svg(
    `<circle cx="30" cy="10" r="6" fill="currentColor" stroke="none"/>
     <path d="M28 18 L24 34 L26 44 L24 58"/><path d="M30 44 L32 58"/>
     <path d="M29 22 C44 26 44 42 30 44"/><path d="M26 24 L20 34"/>`),
  // The wheelchair symbol.
  discapacidad: svg(
    `<circle cx="26" cy="9" r="6" fill="currentColor" stroke="none"/>
     <path d="M25 18 L27 36 L42 36 L48 50"/><path d="M26 26 L38 26"/>
     <path d="M20 30 A15 15 0 1 0 40 48"/>`),
  // An adult carrying a small child.
  nino_en_brazos: svg(
    `<circle cx="24" cy="10" r="6" fill="currentColor" stroke="none"/>
     <path d="M24 18 L22 38 L18 58"/><path d="M22 38 L28 58"/>
     <circle cx="38" cy="24" r="4.5" fill="currentColor" stroke="none"/>
     <path d="M25 24 L34 34 L44 32"/><path d="M36 30 L40 40"/>`),
};

// The services' pictograms (`pictogram = "…"` in a service's configuration), drawn like
// the categories'. The names are those `turnero check-config` accepts.
export const servicePictograms = {
  // A sheet with lines and a folded corner: registries, paperwork.
  documento: svg(
    `<path d="M16 6 H38 L50 18 V58 H16 Z"/><path d="M38 6 V18 H50"/>
     <path d="M23 30 H43"/><path d="M23 39 H43"/><path d="M23 48 H36"/>`),
  // A house: property, land registry.
  casa: svg(
    `<path d="M8 30 L32 10 L56 30"/><path d="M14 26 V56 H50 V26"/>
     <path d="M27 56 V40 H37 V56"/>`),
  // A banknote and a coin: payments, cashier.
  pago: svg(
    `<rect x="16" y="10" width="42" height="26" rx="3"/><circle cx="37" cy="23" r="6"/>
     <circle cx="18" cy="44" r="11"/><path d="M18 39 V49"/>`),
  // One person: personal attention.
  persona: svg(
    `<circle cx="32" cy="16" r="9"/><path d="M14 56 C14 40 22 32 32 32 C42 32 50 40 50 56"/>`),
  // Two adults and a child: family and civil records.
  familia: svg(
    `<circle cx="20" cy="14" r="6"/><circle cx="44" cy="14" r="6"/><circle cx="32" cy="32" r="4.5"/>
     <path d="M10 52 C10 34 30 30 30 46"/><path d="M54 52 C54 34 34 30 34 46"/><path d="M26 56 C26 44 38 44 38 56"/>`),
  // A certificate with a seal.
  certificado: svg(
    `<rect x="8" y="10" width="48" height="34" rx="3"/><path d="M16 20 H48"/><path d="M16 28 H36"/>
     <circle cx="42" cy="44" r="8"/><path d="M38 50 L36 60 L42 56 L48 60 L46 50"/>`),
  // A car: vehicles, transit.
  vehiculo: svg(
    `<path d="M8 42 V32 L16 18 H48 L56 32 V42 Z"/><path d="M12 32 H52"/>
     <circle cx="20" cy="46" r="5"/><circle cx="44" cy="46" r="5"/>`),
  // A speech bubble with a question mark: information, advice.
  consulta: svg(
    `<path d="M8 12 H56 V44 H28 L16 56 V44 H8 Z"/>
     <path d="M26 22 C26 16 38 16 38 22 C38 27 32 27 32 32"/><circle cx="32" cy="38" r="1.5" fill="currentColor"/>`),
};

// Any other preferential category from the configuration: a person and a star.
export const fallbackPictogram = svg(
  `<circle cx="26" cy="10" r="6" fill="currentColor" stroke="none"/>
   <path d="M26 18 L26 40 L20 58"/><path d="M26 40 L32 58"/><path d="M16 28 L36 28"/>
   <path d="M48 18 L51 25 L58 25 L52 30 L54 37 L48 33 L42 37 L44 30 L38 25 L45 25 Z" stroke-width="2.5"/>`);

/** A service's mark: its pictogram with its letter, or the letter alone (kiosk and join
 * page). */
export function serviceMark(service) {
  const drawing = servicePictograms[service.pictogram];
  const mark = document.createElement("span");
  mark.setAttribute("aria-hidden", "true");
  if (!drawing) {
    mark.className = "letter";
    mark.textContent = service.prefix;
    return mark;
  }
  mark.className = "letter pictogram";
  mark.innerHTML = drawing;
  const prefix = document.createElement("span");
  prefix.className = "prefix";
  prefix.textContent = service.prefix;
  mark.append(prefix);
  return mark;
}

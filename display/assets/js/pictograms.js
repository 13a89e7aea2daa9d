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

// Any other preferential category from the configuration: a person and a star.
export const fallbackPictogram = svg(
  `<circle cx="26" cy="10" r="6" fill="currentColor" stroke="none"/>
   <path d="M26 18 L26 40 L20 58"/><path d="M26 40 L32 58"/><path d="M16 28 L36 28"/>
   <path d="M48 18 L51 25 L58 25 L52 30 L54 37 L48 33 L42 37 L44 30 L38 25 L45 25 Z" stroke-width="2.5"/>`);

// Recorded announcements, for browsers without a voice for the language (the usual Linux
// kiosk TV has none): a call's sentence is cut into the words and phrases that have a
// clip under /assets/audio/<lang>/ (its manifest.json names them), and the clips are
// played back to back with Web Audio. See assets/audio/README.md.
//
// The sentence is the very one speechSynthesis would say (the pack's spokenCall), so any
// language with a manifest works without code of its own here.

const BASE = "/assets/audio";
// Pauses the player adds, in seconds: the clips themselves are cut tight.
const WORD_GAP = 0.03;
const CLAUSE_GAP = 0.28;
const LONGEST_PHRASE = 4; // words in the longest manifest key

/** The words of a sentence, per clause: lower case, without punctuation. */
export function clauses(sentence) {
  return String(sentence)
    .normalize("NFC")
    .toLowerCase()
    .split(/[.,;:!?¡¿…]+/)
    .map((clause) => clause.split(/[\s\-–—]+/).filter(Boolean))
    .filter((words) => words.length);
}

// The longest run of manifest keys at the start of `words`: [key, length] or null.
function phraseAt(words, start, table) {
  for (let n = Math.min(LONGEST_PHRASE, words.length - start); n > 0; n--) {
    const key = words.slice(start, start + n).join(" ");
    if (Object.hasOwn(table, key)) return [key, n];
  }
  return null;
}

/**
 * The clips that say `sentence`, in order: [{word, file, gap}] where `gap` is the
 * silence before the clip. A clause with a word the manifest has no clip for (a counter
 * named "Sala de Lactancia 2") is said as its lead ("diríjase a la", when it begins
 * with one of the manifest's `lead`) and the number it ends with ("dos"); without a
 * final number it is left out, and the screen still shows where to go.
 */
export function clipSequence(sentence, manifest) {
  const table = manifest.words || {};
  const numbers = new Set(manifest.numbers || []);
  const leads = new Set(manifest.lead || []);
  const out = [];
  for (const words of clauses(sentence)) {
    const said = [];
    let unknown = false;
    for (let i = 0; i < words.length; ) {
      const found = phraseAt(words, i, table);
      if (found) {
        said.push({ word: found[0], at: i, length: found[1] });
        i += found[1];
      } else {
        unknown = true;
        i += 1;
      }
    }
    let keep = said;
    if (unknown) {
      // The number the clause ends with: its last words, each a number word.
      let tail = words.length;
      while (tail > 0 && numbers.has(words[tail - 1])) tail--;
      const number = said.filter((s) => s.at >= tail);
      const lead = said.length && said[0].at === 0 && leads.has(said[0].word) ? [said[0]] : [];
      keep = number.length && tail < words.length ? [...lead, ...number] : [];
    }
    keep.forEach((s, i) => out.push({ word: s.word, file: table[s.word], gap: i === 0 && out.length ? CLAUSE_GAP : WORD_GAP }));
  }
  return out;
}

/** Plays clips with Web Audio; each manifest and clip is fetched and decoded once. */
export class ClipPlayer {
  constructor(context) {
    this.context = context;
    this.manifests = new Map(); // lang → Promise<manifest | null>
    this.buffers = new Map(); // url → Promise<AudioBuffer | null>
    this.sources = new Set(); // playing, kept referenced until they end
  }

  /** The manifest of a language, or null when it has no clips (fetched once). */
  manifest(code) {
    if (!this.manifests.has(code)) {
      const loading = fetch(`${BASE}/${encodeURIComponent(code)}/manifest.json`)
        .then((r) => (r.ok ? r.json() : null))
        .catch(() => null)
        .then((m) => (m && m.words ? m : null));
      this.manifests.set(code, loading);
      // A failed fetch (the server restarting) is tried again at the next call.
      loading.then((m) => m || this.manifests.delete(code));
    }
    return this.manifests.get(code);
  }

  buffer(url) {
    if (!this.buffers.has(url)) {
      const loading = fetch(url)
        .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(String(r.status)))))
        .then((bytes) => this.context.decodeAudioData(bytes))
        .catch(() => null);
      this.buffers.set(url, loading);
      loading.then((b) => b || this.buffers.delete(url));
    }
    return this.buffers.get(url);
  }

  /** Says `sentence` in language `code`; resolves when the last clip has played. False
   * when nothing could be played (no manifest, no clip decoded). */
  async play(sentence, code) {
    const ctx = this.context;
    const manifest = await this.manifest(code);
    if (!manifest || !ctx) return false;
    const sequence = clipSequence(sentence, manifest);
    const buffers = await Promise.all(sequence.map((c) => this.buffer(`${BASE}/${encodeURIComponent(code)}/${c.file}`)));
    if (!buffers.some(Boolean)) return false;
    // Scheduled on the audio clock, so there is no gap between clips whatever the page
    // is doing meanwhile.
    let at = ctx.currentTime + 0.05;
    let last = null;
    sequence.forEach((clip, i) => {
      const buffer = buffers[i];
      if (!buffer) return;
      at += clip.gap;
      const source = ctx.createBufferSource();
      source.buffer = buffer;
      source.connect(ctx.destination);
      this.sources.add(source);
      source.onended = () => {
        source.disconnect();
        this.sources.delete(source);
      };
      source.start(at);
      at += buffer.duration;
      last = source;
    });
    const seconds = at - ctx.currentTime;
    await new Promise((resolve) => {
      // onended is the signal; the timer is there in case the audio clock stalls.
      const guard = setTimeout(resolve, seconds * 1000 + 1500);
      const previous = last.onended;
      last.onended = () => {
        previous();
        clearTimeout(guard);
        resolve();
      };
    });
    return true;
  }
}

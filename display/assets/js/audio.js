// Sound for the lobby display: a chime made with Web Audio (no files), then each call
// spoken in each of the office's languages — by the browser's voice for the language
// (speechSynthesis) when it has one, otherwise by Turnero's recorded clips (clips.js).
//
// Calls wait in a queue and are never cut off. A burst is shortened, never cut: calls
// that queue up while one is being announced are said after it without a chime of
// their own (one chime per burst), so the second of two calls made 0.3 s apart is heard
// about two seconds after the first, not seven.
import { ClipPlayer } from "./clips.js";

// Calls waiting to be said: at worst, a minute of speech. Beyond it the oldest goes
// (the screen and the live region still show it).
const MAX_QUEUE = 20;
const BETWEEN_CALLS_MS = 250;
const CHIME_MS = 1500;

/** How a language is spoken: by a voice of the browser, by the clips, or not at all. */
export const Mode = Object.freeze({ VOICE: "voice", CLIPS: "clips", NONE: "none" });

export class Announcer {
  /**
   * `onLockChange(locked)` tells when the browser keeps sound off; `onVoices()` when the
   * choice of voices may have changed (see `voices`).
   */
  constructor({ onLockChange = () => {}, onVoices = () => {} } = {}) {
    this.queue = [];
    this.busy = false;
    this.context = null;
    this.onLockChange = onLockChange;
    this.onVoices = onVoices;
    this.languages = ["es"];
    this.clipLangs = new Set(); // languages whose manifest loaded
    this.speaking = null; // keeps the utterance referenced (Chrome drops unreferenced ones)
    const Context = window.AudioContext || window.webkitAudioContext;
    if (Context) {
      try {
        this.context = new Context();
        this.context.onstatechange = () => this.onLockChange(this.locked());
      } catch {
        this.context = null;
      }
    }
    this.clips = new ClipPlayer(this.context);
    if ("speechSynthesis" in window) {
      speechSynthesis.addEventListener("voiceschanged", () => this.onVoices());
    }
  }

  /** The office's languages, the default first; their clips are fetched ahead. */
  setLanguages(codes) {
    this.languages = codes.length ? [...codes] : ["es"];
    for (const code of this.languages) {
      this.clips.manifest(code).then((m) => {
        if (m) this.clipLangs.add(code);
        else this.clipLangs.delete(code);
        this.onVoices();
      });
    }
  }

  /** True while the browser keeps sound off until someone touches the screen. */
  locked() {
    return !!this.context && this.context.state !== "running";
  }

  /** Called from a touch or key press: browsers allow sound from then on. */
  unlock() {
    if (this.context && this.context.state !== "running") this.context.resume().catch(() => {});
    if ("speechSynthesis" in window) {
      // A silent utterance inside the gesture unlocks speech in browsers that need it.
      const u = new SpeechSynthesisUtterance(" ");
      u.volume = 0;
      speechSynthesis.speak(u);
    }
  }

  /** The browser's best voice for a language code, or null. Latin American Spanish
   * first for "es"; local voices before network ones. */
  voiceFor(code) {
    if (!("speechSynthesis" in window)) return null;
    const prefix = new RegExp(`^${code}(\\b|[-_])`, "i");
    const voices = speechSynthesis.getVoices().filter((v) => prefix.test(v.lang));
    const regional = code === "es" ? /419|MX|US|CO|AR|CL|PE/i : /US/i;
    const rank = (v) => (regional.test(v.lang) ? 0 : 1) + (v.localService ? 0 : 0.5);
    voices.sort((a, b) => rank(a) - rank(b));
    return voices[0] || null;
  }

  /** How each language is spoken now: [{code, mode, voice}]. */
  voices() {
    return this.languages.map((code) => {
      const voice = this.voiceFor(code);
      if (voice) return { code, mode: Mode.VOICE, voice };
      return { code, mode: this.clipLangs.has(code) ? Mode.CLIPS : Mode.NONE, voice: null };
    });
  }

  /**
   * Queues a call: `sentences` is [{code, text}], one per language, said in turn. Calls
   * made while sound is locked are dropped (nobody could hear them).
   */
  announce(sentences) {
    if (this.locked()) return;
    if (this.queue.length >= MAX_QUEUE) this.queue.shift();
    this.queue.push(sentences);
    this.pump();
  }

  async pump() {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length) {
        // One chime for all that queued up together, then every call in turn.
        await this.chime();
        while (this.queue.length) {
          const sentences = this.queue.shift();
          for (const { code, text } of sentences) await this.say(text, code);
          await sleep(BETWEEN_CALLS_MS);
        }
      }
    } finally {
      this.busy = false;
    }
  }

  async say(text, code) {
    const voice = this.voiceFor(code);
    if (!voice && (await this.clips.play(text, code))) return;
    await this.speak(text, code, voice);
  }

  chime() {
    const ctx = this.context;
    if (!ctx || ctx.state !== "running") return Promise.resolve();
    const start = ctx.currentTime + 0.05;
    // Two soft bell tones, high then low ("ding-dong").
    [[880, 0], [659.25, 0.45]].forEach(([freq, offset]) => {
      for (const [mult, level] of [[1, 0.32], [2, 0.08], [3, 0.03]]) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = "sine";
        osc.frequency.value = freq * mult;
        const t0 = start + offset;
        gain.gain.setValueAtTime(0.0001, t0);
        gain.gain.exponentialRampToValueAtTime(level, t0 + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 1.1);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t0);
        osc.stop(t0 + 1.15);
        osc.onended = () => {
          osc.disconnect();
          gain.disconnect();
        };
      }
    });
    return sleep(CHIME_MS);
  }

  speak(text, code, voice) {
    if (!("speechSynthesis" in window)) return Promise.resolve();
    return new Promise((resolve) => {
      const u = new SpeechSynthesisUtterance(text);
      u.lang = voice ? voice.lang : code === "es" ? "es-419" : code;
      try {
        if (voice) u.voice = voice;
      } catch {
        // A voice object the engine does not take: its language alone still picks one.
      }
      u.rate = 0.9;
      let finished = false;
      // Some engines never fire "end": give up after a generous time so the queue moves.
      const guard = setTimeout(() => done(), 4000 + text.length * 150);
      const done = () => {
        if (finished) return;
        finished = true;
        clearTimeout(guard);
        this.speaking = null;
        resolve();
      };
      u.onend = done;
      u.onerror = done;
      this.speaking = u;
      speechSynthesis.speak(u);
    });
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

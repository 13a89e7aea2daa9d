// Sound for the lobby display: a chime made with Web Audio (no files) and spoken calls
// through speechSynthesis, one after another through a queue so that no announcement is
// ever cut off by the next one.

const MAX_QUEUE = 20;

export class Announcer {
  constructor({ onLockChange = () => {} } = {}) {
    this.queue = [];
    this.busy = false;
    this.context = null;
    this.voice = null;
    this.onLockChange = onLockChange;
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
    if ("speechSynthesis" in window) {
      this.pickVoice();
      speechSynthesis.addEventListener("voiceschanged", () => this.pickVoice());
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

  pickVoice() {
    const voices = speechSynthesis.getVoices().filter((v) => /^es\b|^es[-_]/i.test(v.lang));
    const rank = (v) => (/419|MX|US|CO|AR|CL|PE/i.test(v.lang) ? 0 : 1) + (v.localService ? 0 : 0.5);
    voices.sort((a, b) => rank(a) - rank(b));
    this.voice = voices[0] || null;
  }

  /** Queues a chime and a sentence. Announcements made while sound is locked are dropped. */
  announce(text) {
    if (this.locked()) return;
    if (this.queue.length >= MAX_QUEUE) this.queue.shift();
    this.queue.push(text);
    this.pump();
  }

  async pump() {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length) {
        const text = this.queue.shift();
        await this.chime();
        await this.speak(text);
        await sleep(700);
      }
    } finally {
      this.busy = false;
    }
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
    return sleep(1500);
  }

  speak(text) {
    if (!("speechSynthesis" in window)) return Promise.resolve();
    return new Promise((resolve) => {
      const u = new SpeechSynthesisUtterance(text);
      u.lang = this.voice ? this.voice.lang : "es-419";
      if (this.voice) u.voice = this.voice;
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

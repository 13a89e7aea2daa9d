#!/usr/bin/env python3
"""Makes the recorded clips the lobby display plays when the browser has no voice for a
language (display/assets/js/clips.js): one short Ogg Opus file per word or phrase, and a
manifest.json per language folder naming the file of each.

Run once, from anywhere, and commit what it writes (README.md says why and how):

    apt-get install -y espeak-ng sox opus-tools
    python3 display/assets/audio/make-clips.py

espeak-ng speaks each word to a WAV, sox trims the silence at both ends and normalises
the level, opusenc encodes it mono at 16 kbit/s. Opus rather than Vorbis because a Vorbis
file carries about 4 KB of headers: more than the word itself, a hundred times over.
The same input always gives the same files (no dates in them), so running it again
without a change makes no difference in git.
"""

import json
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
BITRATE_KBPS = "16"
# Slower than espeak's 175 words a minute: a lobby is noisy and echoes.
SPEED = "145"

ES_NUMBERS = [
    "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
    "diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete",
    "dieciocho", "diecinueve", "veinte", "veintiuno", "veintidós", "veintitrés",
    "veinticuatro", "veinticinco", "veintiséis", "veintisiete", "veintiocho",
    "veintinueve", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta",
    "noventa", "y", "cien", "ciento", "doscientos", "trescientos", "cuatrocientos",
    "quinientos", "seiscientos", "setecientos", "ochocientos", "novecientos", "mil",
]

# The names of the letters as Latin America says them (i18n/es.js, LETTERS). "a", "e",
# "o", "u" and "de" are also the words of the sentence: one clip serves both.
ES_LETTERS = [
    "a", "be", "ce", "de", "e", "efe", "ge", "hache", "i", "jota", "ka", "ele", "eme",
    "ene", "eñe", "o", "pe", "cu", "erre", "ese", "te", "u", "ve", "doble ve", "equis",
    "ye", "zeta",
]

# spokenCall: "[Nuevo llamado.] Turno A veintitrés, diríjase a la ventanilla tres."
# spokenPlace gives "a la ventanilla", "al módulo", …: the usual counter words are here.
ES_WORDS = [
    "turno", "nuevo llamado", "diríjase a la", "diríjase al", "diríjase a", "ventanilla",
    "caja", "módulo", "mesa", "puesto", "sala", "oficina", "consultorio", "escritorio",
    "cubículo", "box", "número", "la", "al",
]
# The beginnings kept when a counter's name has words without a clip (see clips.js).
ES_LEAD = ["diríjase a la", "diríjase al", "diríjase a"]

EN_NUMBERS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
    "eighty", "ninety", "hundred", "thousand", "and",
]
# Letter names, keyed by how a sentence may write them: the letter itself ("A") or its
# name ("double u").
EN_LETTER_NAMES = {
    "a": "ay", "b": "bee", "c": "see", "d": "dee", "e": "ee", "f": "ef", "g": "jee",
    "h": "aitch", "i": "eye", "j": "jay", "k": "kay", "l": "el", "m": "em", "n": "en",
    "o": "oh", "p": "pee", "q": "cue", "r": "ar", "s": "ess", "t": "tee", "u": "you",
    "v": "vee", "w": "double you", "x": "ex", "y": "why", "z": "zed",
}
EN_WORDS = [
    "ticket", "number", "recall", "calling again", "please go to the", "please go to",
    "counter", "desk", "window", "booth", "cashier", "table", "room", "office", "station",
    "the", "to",
]
EN_LEAD = ["please go to the", "please go to"]


def slug(text):
    """A file name for a word: ASCII, lower case, dashes (ñ → ni)."""
    text = text.lower().replace("ñ", "ni")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in text).split())


def record(text, voice, out):
    """Speaks `text` with espeak-ng into `out` (Ogg Opus, mono), trimmed and levelled."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        trimmed = Path(tmp) / "trimmed.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", SPEED, "-w", str(raw), text],
                       check=True)
        # Silence off the start, then (reversed) off the end; a level for every clip.
        subprocess.run(["sox", "-R", "-D", str(raw), "-c", "1", str(trimmed),
                        "silence", "1", "0.01", "0.3%", "reverse",
                        "silence", "1", "0.01", "0.3%", "reverse",
                        "pad", "0.02", "0.02", "norm", "-1"], check=True)
        subprocess.run(["opusenc", "--quiet", "--bitrate", BITRATE_KBPS, "--comp", "10",
                        "--padding", "0", "--discard-comments", "--discard-pictures",
                        "--serial", "1", str(trimmed), str(out)], check=True)


def build(lang, voice, entries, numbers, lead):
    """Writes folder `lang`: one clip per (key, spoken) entry and the manifest."""
    folder = HERE / lang
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    words = {}
    for key, spoken in entries:
        name = slug(key) + ".opus"
        if name in words.values():
            sys.exit(f"{lang}: two words would share {name}")
        record(spoken, voice, folder / name)
        words[key] = name
    manifest = {
        "lang": lang,
        "made_with": f"espeak-ng -v {voice} -s {SPEED}, sox, opusenc {BITRATE_KBPS} kbit/s",
        "words": words,
        "numbers": numbers,
        "lead": lead,
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    size = sum(f.stat().st_size for f in folder.iterdir())
    print(f"{lang}: {len(words)} clips, {size / 1024:.0f} KB")


def main():
    for tool in ("espeak-ng", "sox", "opusenc"):
        if not shutil.which(tool):
            sys.exit(f"missing {tool}: apt-get install -y espeak-ng sox opus-tools")
    es = [(w, w) for w in ES_NUMBERS + ES_LETTERS + ES_WORDS]
    build("es", "es-419", es, ES_NUMBERS, ES_LEAD)
    en = [(w, w) for w in EN_NUMBERS + EN_WORDS]
    en += [(letter, name) for letter, name in EN_LETTER_NAMES.items()]
    en += [("double u", "double you")]
    build("en", "en-us", en, EN_NUMBERS, EN_LEAD)


if __name__ == "__main__":
    main()

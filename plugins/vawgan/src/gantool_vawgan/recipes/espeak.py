"""`speech-espeak`: a parallel speech corpus synthesised with espeak-ng, for offline benches.

Four espeak-ng voices (different voice variants, accents, pitch and speed) read the same
Harvard sentences (IEEE 1969 recommended practice for speech quality measurements; public
domain). Output: `<out>/<speaker>/<sentence>.wav` (22.05 kHz mono, as espeak-ng writes) and
`<out>/split.json` naming the ten held-out sentences, which training skips and evaluation
compares across speakers.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np

from gantool.errors import GantoolError
from gantool.files import atomic_write_text

HARVARD = (
    # list 1
    "The birch canoe slid on the smooth planks.",
    "Glue the sheet to the dark blue background.",
    "It's easy to tell the depth of a well.",
    "These days a chicken leg is a rare dish.",
    "Rice is often served in round bowls.",
    "The juice of lemons makes fine punch.",
    "The box was thrown beside the parked truck.",
    "The hogs were fed chopped corn and garbage.",
    "Four hours of steady work faced us.",
    "A large size in stockings is hard to sell.",
    # list 2
    "The boy was there when the sun rose.",
    "A rod is used to catch pink salmon.",
    "The source of the huge river is the clear spring.",
    "Kick the ball straight and follow through.",
    "Help the woman get back to her feet.",
    "A pot of tea helps to pass the evening.",
    "Smoky fires lack flame and heat.",
    "The soft cushion broke the man's fall.",
    "The salt breeze came across from the sea.",
    "The girl at the booth sold fifty bonds.",
    # list 3
    "The small pup gnawed a hole in the sock.",
    "The fish twisted and turned on the bent hook.",
    "Press the pants and sew a button on the vest.",
    "The swan dive was far short of perfect.",
    "The beauty of the view stunned the young boy.",
    "Two blue fish swam in the tank.",
    "Her purse was full of useless trash.",
    "The colt reared and threw the tall rider.",
    "It snowed, rained, and hailed the same morning.",
    "Read verse out loud for pleasure.",
    # list 4
    "Hoist the load to your left shoulder.",
    "Take the winding path to reach the lake.",
    "Note closely the size of the gas tank.",
    "Wipe the grease off his dirty face.",
    "Mend the coat before you go out.",
    "The wrist was badly strained and hung limp.",
    "The stray cat gave birth to kittens.",
    "The young girl gave no clear response.",
    "The meal was cooked before the bell rang.",
    "What joy there is in living.",
    # list 5
    "A king ruled the state in the early days.",
    "The ship was torn apart on the sharp reef.",
    "Sickness kept him home the third week.",
    "The wide road shimmered in the hot sun.",
    "The lazy cow lay in the cool grass.",
    "Lift the square stone over the fence.",
    "The rope will bind the seven books at once.",
    "Hop over the fence and plunge in.",
    "The friendly gang left the drug store.",
    "Mesh wire keeps chicks inside.",
)

VOICES = {
    # speaker: (espeak-ng voice+variant, pitch 0-99, words per minute)
    "us-m3": ("en-us+m3", 30, 150),
    "us-f3": ("en-us+f3", 70, 165),
    "gb-m7": ("en-gb+m7", 50, 135),
    "us-f4": ("en-us+f4", 85, 180),
}
HELD_OUT = 10


def espeak() -> str:
    path = shutil.which("espeak-ng")
    if path is None:
        raise GantoolError("espeak-ng is not installed; install it (Debian/Ubuntu: "
                           "`sudo apt-get install espeak-ng`) and build speech-espeak again")
    return path


def speak(binary: str, text: str, voice: tuple[str, int, int], path: Path) -> None:
    name, pitch, speed = voice
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        subprocess.run([binary, "-v", name, "-p", str(pitch), "-s", str(speed), "-w", str(tmp),
                        text], check=True, capture_output=True, timeout=60)
    except subprocess.CalledProcessError as exc:
        tmp.unlink(missing_ok=True)
        raise GantoolError(f"espeak-ng failed for voice {name} "
                           f"({exc.stderr.decode(errors='replace').strip()}); check its "
                           "installation (`espeak-ng --voices=en`)") from None
    tmp.replace(path)


def build(source: Path | None, out: Path, seed: int) -> Path:
    """Synthesise every sentence with every voice; hold out `HELD_OUT` sentences by `seed`."""
    binary = espeak()
    out = Path(out)
    for speaker, voice in VOICES.items():
        folder = out / speaker
        folder.mkdir(parents=True, exist_ok=True)
        for index, text in enumerate(HARVARD):
            speak(binary, text, voice, folder / f"h{index + 1:03d}.wav")
    order = np.random.default_rng(seed).permutation(len(HARVARD))
    held_out = sorted(f"h{index + 1:03d}" for index in order[:HELD_OUT])
    atomic_write_text(out / "split.json", json.dumps({"held_out": held_out}, indent=2) + "\n")
    atomic_write_text(out / "sentences.txt", "".join(
        f"h{index + 1:03d}\t{text}\n" for index, text in enumerate(HARVARD)))
    return out

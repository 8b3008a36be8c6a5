"""Speech engines behind one interface: text in, MP3 bytes out.

`EspeakEngine` uses Debian's espeak-ng Vietnamese voice; `ModelEngine` runs a command that
loads a better Vietnamese voice model (piper and the like) when SPEECH_MODEL_PATH is set.
Both produce WAV and encode it with lame.
"""

from __future__ import annotations

import hashlib
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

TIMEOUT_SECONDS = 300


class SpeechError(Exception):
    """The engine or the encoder is missing or failed."""


def _run(args: list[str], stdin: bytes) -> bytes:
    if shutil.which(args[0]) is None:
        raise SpeechError(f"{args[0]} is not installed")
    try:
        done = subprocess.run(args, input=stdin, capture_output=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as exc:
        raise SpeechError(f"{args[0]} took too long") from exc
    if done.returncode != 0:
        raise SpeechError(f"{args[0]} failed: {done.stderr.decode(errors='replace')[:500]}")
    return done.stdout


def wav_to_mp3(wav: bytes) -> bytes:
    mp3 = _run(["lame", "--quiet", "-b", "64", "-", "-"], wav)
    if not mp3:
        raise SpeechError("lame produced nothing")
    return mp3


def mp3_to_wav(mp3: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder, "in.mp3"), Path(folder, "out.wav")
        source.write_bytes(mp3)
        _run(["lame", "--quiet", "--decode", str(source), str(target)], b"")
        return target.read_bytes()


class SpeechEngine:
    """Turns (already normalised) Vietnamese text into MP3 audio."""

    def synthesise(self, text: str) -> bytes:
        raise NotImplementedError

    @property
    def identity(self) -> str:
        """Changes when the voice changes, so stored audio is regenerated."""
        return type(self).__name__


class EspeakEngine(SpeechEngine):
    def __init__(self, voice: str = "vi", rate: int | None = None) -> None:
        self.voice = voice
        self.rate = rate

    @property
    def identity(self) -> str:
        return f"espeak-ng:{self.voice}:{self.rate or ''}"

    def synthesise(self, text: str) -> bytes:
        args = ["espeak-ng", "-v", self.voice, "--stdout", "--stdin"]
        if self.rate:
            args[3:3] = ["-s", str(self.rate)]
        wav = _run(args, text.encode("utf-8"))
        return wav_to_mp3(wav)


class ModelEngine(SpeechEngine):
    """Runs `command` with the text on stdin; {model} and {output} (a WAV path) are filled in.

    The default command suits piper: `piper --model {model} --output_file {output}`.
    """

    DEFAULT_COMMAND = "piper --model {model} --output_file {output}"

    def __init__(self, model_path: str, command: str = "") -> None:
        self.model_path = model_path
        self.command = command or self.DEFAULT_COMMAND

    @property
    def identity(self) -> str:
        return f"model:{self.command}:{self.model_path}"

    def synthesise(self, text: str) -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            output = Path(folder, "speech.wav")
            args = [
                part.format(model=self.model_path, output=str(output))
                for part in shlex.split(self.command)
            ]
            _run(args, text.encode("utf-8"))
            if not output.exists() or output.stat().st_size == 0:
                raise SpeechError("the voice model produced no audio")
            return wav_to_mp3(output.read_bytes())


def engine_from_settings() -> SpeechEngine:
    model_path = getattr(settings, "SPEECH_MODEL_PATH", "")
    if model_path:
        return ModelEngine(model_path, getattr(settings, "SPEECH_MODEL_COMMAND", ""))
    return EspeakEngine(
        voice=getattr(settings, "SPEECH_VOICE", "vi") or "vi",
        rate=getattr(settings, "SPEECH_RATE", None) or None,
    )


def text_hash(text: str, engine: SpeechEngine) -> str:
    return hashlib.sha256(f"{engine.identity}\n{text}".encode()).hexdigest()


# MPEG audio layer III frame tables.
_BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
_BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
_SAMPLE_RATES = {3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000]}


def _skip_id3(data: bytes) -> int:
    if data[:3] == b"ID3" and len(data) >= 10:
        size = 0
        for byte in data[6:10]:
            size = (size << 7) | (byte & 0x7F)
        return 10 + size
    return 0


def duration_of(mp3: bytes) -> float:
    """Seconds of audio in an MP3 (layer III), by walking its frame headers."""
    pos = _skip_id3(mp3)
    seconds = 0.0
    frames = 0
    while pos + 4 <= len(mp3):
        header = int.from_bytes(mp3[pos : pos + 4], "big")
        if header >> 21 != 0x7FF:
            pos += 1
            continue
        version = (header >> 19) & 3
        layer = (header >> 17) & 3
        bitrate_index = (header >> 12) & 0xF
        rate_index = (header >> 10) & 3
        padding = (header >> 9) & 1
        if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
            pos += 1
            continue
        rate = _SAMPLE_RATES[version][rate_index]
        if version == 3:
            bitrate = _BITRATES_V1[bitrate_index] * 1000
            length, samples = 144 * bitrate // rate + padding, 1152
        else:
            bitrate = _BITRATES_V2[bitrate_index] * 1000
            length, samples = 72 * bitrate // rate + padding, 576
        seconds += samples / rate
        frames += 1
        pos += length
    if not frames:
        raise ValueError("not an MP3 file")
    return seconds

import io
import math
import os
import shutil
import struct
import wave

import pytest

from kehoach.content.speech import engines
from kehoach.content.speech.normalize import normalize

HAVE_TOOLS = bool(shutil.which("espeak-ng") and shutil.which("lame"))
needs_tools = pytest.mark.skipif(
    not HAVE_TOOLS and os.environ.get("CI") != "true",
    reason="espeak-ng and lame are not installed (they are required under CI)",
)

SENTENCE = normalize(
    "UBND phường thông báo: ngày 12/6/2026 lúc 7h30, tại nhà văn hóa TDP số 3 sẽ tổ chức "
    "tiêm chủng cho trẻ em dưới 5 tuổi; đề nghị các gia đình đưa con em đến đúng giờ."
)


def _rms(wav_bytes: bytes) -> float:
    with wave.open(io.BytesIO(wav_bytes)) as wav:
        assert wav.getsampwidth() == 2
        frames = wav.readframes(wav.getnframes())
    samples = struct.unpack(f"<{len(frames) // 2}h", frames)
    return math.sqrt(sum(s * s for s in samples) / len(samples))


def _is_mp3(data: bytes) -> bool:
    start = engines._skip_id3(data)
    return data[start] == 0xFF and data[start + 1] & 0xE0 == 0xE0


@needs_tools
def test_espeak_produces_a_valid_mp3_that_is_not_silent():
    mp3 = engines.EspeakEngine().synthesise(SENTENCE)
    assert _is_mp3(mp3)
    assert _rms(engines.mp3_to_wav(mp3)) > 300


@needs_tools
def test_the_length_of_speech_follows_the_length_of_the_text():
    assert 30 <= len(SENTENCE.split()) <= 80
    engine = engines.EspeakEngine()
    long = engines.duration_of(engine.synthesise(SENTENCE))
    short = engines.duration_of(engine.synthesise("Xin chào bà con."))
    assert 3 < long < 60
    assert short < 4
    assert long > 3 * short


@needs_tools
def test_duration_from_frames_matches_the_decoded_audio():
    mp3 = engines.EspeakEngine().synthesise("Một hai ba bốn năm sáu bảy tám chín mười.")
    with wave.open(io.BytesIO(engines.mp3_to_wav(mp3))) as wav:
        decoded = wav.getnframes() / wav.getframerate()
    assert engines.duration_of(mp3) == pytest.approx(decoded, abs=0.2)


@needs_tools
def test_a_slower_rate_gives_longer_audio():
    slow = engines.EspeakEngine(rate=100).synthesise(SENTENCE)
    fast = engines.EspeakEngine(rate=250).synthesise(SENTENCE)
    assert engines.duration_of(slow) > engines.duration_of(fast) * 1.5


def test_duration_refuses_what_is_not_mp3():
    with pytest.raises(ValueError):
        engines.duration_of(b"RIFF....WAVEfmt not an mp3 at all")


def test_the_model_engine_is_used_only_when_a_model_path_is_set(settings):
    settings.SPEECH_MODEL_PATH = ""
    settings.SPEECH_VOICE = "vi"
    settings.SPEECH_RATE = 140
    engine = engines.engine_from_settings()
    assert isinstance(engine, engines.EspeakEngine)
    assert engine.rate == 140
    settings.SPEECH_MODEL_PATH = "/models/vi.onnx"
    settings.SPEECH_MODEL_COMMAND = "piper --model {model} --output_file {output}"
    engine = engines.engine_from_settings()
    assert isinstance(engine, engines.ModelEngine)
    assert engine.model_path == "/models/vi.onnx"


@needs_tools
def test_the_model_engine_runs_its_command_and_encodes_the_wav(tmp_path):
    # A stand-in "voice model": espeak-ng writing the WAV file the engine asks for.
    engine = engines.ModelEngine(
        str(tmp_path / "unused.onnx"), command="espeak-ng -v vi --stdin -w {output}"
    )
    mp3 = engine.synthesise("Xin chào bà con tổ dân phố số ba.")
    assert _is_mp3(mp3)
    assert engines.duration_of(mp3) > 0.5


def test_a_missing_engine_is_reported_as_a_speech_error():
    engine = engines.ModelEngine("/x.onnx", command="no-such-voice-engine-here --model {model}")
    with pytest.raises(engines.SpeechError):
        engine.synthesise("Xin chào")


def test_the_text_hash_changes_with_the_text_and_the_voice():
    a = engines.text_hash("xin chào", engines.EspeakEngine())
    assert a == engines.text_hash("xin chào", engines.EspeakEngine())
    assert a != engines.text_hash("xin chào bà con", engines.EspeakEngine())
    assert a != engines.text_hash("xin chào", engines.EspeakEngine(rate=120))

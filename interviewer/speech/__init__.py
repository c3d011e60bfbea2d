"""Speech: audio validation (audio), transcripts and their figures (transcript), recognition, synthesis."""

from interviewer.speech.audio import MAX_SECONDS, AudioError, validate_audio
from interviewer.speech.recognition import (
    DOMAIN_PROMPT,
    OpenAISTT,
    SpeechToText,
    WhisperSTT,
    build_prompt,
    make_stt,
    transcribe_file,
)
from interviewer.speech.synthesis import PiperTTS, TextToSpeech, make_tts
from interviewer.speech.transcript import SpeechFigures, Transcript, speech_figures

__all__ = [
    "DOMAIN_PROMPT",
    "MAX_SECONDS",
    "AudioError",
    "OpenAISTT",
    "PiperTTS",
    "SpeechFigures",
    "SpeechToText",
    "TextToSpeech",
    "Transcript",
    "WhisperSTT",
    "build_prompt",
    "make_stt",
    "make_tts",
    "speech_figures",
    "transcribe_file",
    "validate_audio",
]

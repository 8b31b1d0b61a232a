"""TF-IDF over jieba words and character 1–3-grams, and a linear classifier over the 32 categories.

Saved as plain arrays (numpy .npz without pickle), so a stored model is data that cannot
run code when it is loaded.
"""

import io
import json
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from portal.suggest import text as chinese

FORMAT = 1
CHAR_NGRAMS = (1, 3)
MAX_WORDS, MAX_CHAR_NGRAMS = 30_000, 50_000  # bound the stored model (32 × features floats)
REGULARISATION = 20.0
FILLER = "的了是"  # pieces with these say nothing to the reader about why


@dataclass(frozen=True)
class Ranked:
    number: int
    score: float  # the model's probability, 0–1
    words: list[str]  # the words of the text that pushed towards this category most


def _word_vectorizer(vocabulary: dict | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=chinese.words, sublinear_tf=True, vocabulary=vocabulary,
                           max_features=MAX_WORDS)


def _char_vectorizer(vocabulary: dict | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=CHAR_NGRAMS, sublinear_tf=True,
                           vocabulary=vocabulary, max_features=MAX_CHAR_NGRAMS)


class SuggesterModel:
    def __init__(self, word_vec: TfidfVectorizer, char_vec: TfidfVectorizer,
                 coef: np.ndarray, intercept: np.ndarray, classes: np.ndarray) -> None:
        self.word_vec, self.char_vec = word_vec, char_vec
        self.coef, self.intercept, self.classes = coef, intercept, classes
        self.word_names = word_vec.get_feature_names_out()
        self.char_names = char_vec.get_feature_names_out()

    @classmethod
    def fit(cls, texts: list[str], labels: list[int], weights: list[float]) -> "SuggesterModel":
        normal = [chinese.normalise(t) for t in texts]
        word_vec, char_vec = _word_vectorizer(), _char_vectorizer()
        features = sparse.hstack([word_vec.fit_transform(normal),
                                  char_vec.fit_transform([chinese.compact(t) for t in texts])
                                  ]).tocsr()
        classifier = LogisticRegression(C=REGULARISATION, max_iter=3000)
        classifier.fit(features, np.asarray(labels), sample_weight=np.asarray(weights))
        return cls(word_vec, char_vec, classifier.coef_.astype(np.float32),
                   classifier.intercept_.astype(np.float32), classifier.classes_)

    def _features(self, text: str) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        return (self.word_vec.transform([chinese.normalise(text)]).tocsr(),
                self.char_vec.transform([chinese.compact(text)]).tocsr())

    def rank(self, text: str, k: int = 3) -> list[Ranked]:
        """The k most likely categories with their probabilities and matched words."""
        words, chars = self._features(text)
        x = sparse.hstack([words, chars]).tocsr()
        logits = np.asarray(x @ self.coef.T).ravel() + self.intercept
        probabilities = np.exp(logits - logits.max())
        probabilities /= probabilities.sum()
        best = np.argsort(-probabilities)[:k]
        return [Ranked(number=int(self.classes[i]), score=float(probabilities[i]),
                       words=self._matched(words, chars, i)) for i in best]

    def _matched(self, words: sparse.csr_matrix, chars: sparse.csr_matrix, row: int,
                 limit: int = 4) -> list[str]:
        """Words (or, failing those, 2–3-character pieces) that weigh most for class `row`."""
        n_words = len(self.word_names)
        found: list[str] = []
        for part, names, offset, min_len in ((words, self.word_names, 0, 2),
                                             (chars, self.char_names, n_words, 2)):
            weights = part.data * self.coef[row, part.indices + offset]
            for j in np.argsort(-weights):
                name = str(names[part.indices[j]])
                if weights[j] <= 0 or len(found) >= limit:
                    break
                if (len(name) >= min_len and not any(c in name for c in FILLER)
                        and not any(name in f or f in name for f in found)):
                    found.append(name)
        return found

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer, format=np.array([FORMAT]), coef=self.coef, intercept=self.intercept,
            classes=self.classes, word_idf=self.word_vec.idf_.astype(np.float32),
            char_idf=self.char_vec.idf_.astype(np.float32),
            vocabularies=np.array([json.dumps({"word": list(self.word_names),
                                               "char": list(self.char_names)},
                                              ensure_ascii=False)]))
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "SuggesterModel":
        arrays = np.load(io.BytesIO(data), allow_pickle=False)
        if int(arrays["format"][0]) != FORMAT:
            raise ValueError("unknown suggester model format")
        names = json.loads(str(arrays["vocabularies"][0]))
        word_vec = _word_vectorizer({w: i for i, w in enumerate(names["word"])})
        char_vec = _char_vectorizer({c: i for i, c in enumerate(names["char"])})
        word_vec.idf_ = arrays["word_idf"].astype(np.float64)
        char_vec.idf_ = arrays["char_idf"].astype(np.float64)
        return cls(word_vec, char_vec, arrays["coef"], arrays["intercept"], arrays["classes"])

"""Chinese text for the suggester: traditional → simplified, then jieba words with a domain dictionary.

The tokenizer is built once per process (jieba's prefix dictionary takes ~0.5 s to load);
everything it needs ships inside the installed packages, nothing is downloaded.
"""

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

DOMAIN_WORDS = Path(__file__).with_name("domain_words.txt")
_PUNCTUATION = re.compile(r"[\s\W_]+", re.UNICODE)
_lock = threading.Lock()
# Function words that say nothing about a category.
STOPWORDS = frozenset("""的 了 是 在 我 我们 他 他们 你 都 就 也 还 和 与 及 又 被 把 让 给 对 说 要 有 没 没有
不 很 太 这 那 这个 那个 一个 什么 怎么 到 去 来 上 下 里 中 时 后 前 吧 吗 呢 啊 呀 着 过 等 或 而 但 并 其
人 事 一直 现在 已经 之前 以后 因为 所以 如果 可以 能 会 想 为 为了 从 向 以 于 之 个 次 些 各 每 多 很多
就是 还是 其实 只是 可是 然后 一下 一点 知道 不知道 觉得 问题 时候 的时候""".split())


@lru_cache(maxsize=1)
def _converter():  # noqa: ANN202
    import opencc  # opencc-python-reimplemented: pure Python, dictionaries in the package

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _tokenizer():  # noqa: ANN202
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(DOMAIN_WORDS))
    return tokenizer


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, traditional characters to simplified."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _converter().convert(text)


def compact(text: str) -> str:
    """The normalised text without spaces or punctuation: what the character n-grams see."""
    return _PUNCTUATION.sub("", normalise(text))


def words(text: str) -> list[str]:
    """Content words of a normalised text (jieba with the domain dictionary, no stopwords)."""
    with _lock:  # jieba's Tokenizer initialises lazily and is not thread-safe while doing so
        tokens = _tokenizer().lcut(text, HMM=True)
    return [w for w in tokens if w.strip() and not _PUNCTUATION.fullmatch(w)
            and w not in STOPWORDS]

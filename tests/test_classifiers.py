"""The heads' features: the sparse n-gram path gives the probabilities of the dense one it replaces."""

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from advisor.classifiers import NGRAM_FEATURES, Features, Head, ngrams_many, ngrams_sparse


def test_ngrams_match_sklearns_hashing_vectorizer():
    texts = ["Should we build or buy a feature store?", "", "?", "vs vs vs", "é ü 漢字"]
    ref = HashingVectorizer(n_features=NGRAM_FEATURES, ngram_range=(1, 2), alternate_sign=False, norm="l2",
                            token_pattern=r"(?u)\b\w+\b|\?").transform(texts).toarray()
    assert np.allclose(ngrams_many(texts), ref, atol=1e-6)
    assert np.allclose(np.linalg.norm(ngrams_many(texts[:1])), 1.0, atol=1e-6)


def test_sparse_features_give_the_dense_probabilities():
    rng = np.random.default_rng(0)
    dense = rng.standard_normal((3, 10)).astype(np.float32)
    grams = ngrams_sparse(["buy a feature store", "or build it", "is it enough?"])
    X = np.hstack([dense, grams.toarray()])
    for multilabel, classes in ((False, ["a", "b", "c"]), (True, ["x", "y"]), (False, ["no", "yes"])):
        rows = 1 if classes == ["no", "yes"] else len(classes)  # sklearn's binary head has one row
        head = Head(classes, rng.standard_normal((rows, X.shape[1])).astype(np.float32),
                    rng.standard_normal(rows).astype(np.float32), multilabel)
        assert np.allclose(head.proba(Features(dense, grams)), head.proba(X), atol=1e-5)

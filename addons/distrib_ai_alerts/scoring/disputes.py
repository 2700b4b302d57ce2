"""Dispute classification: a text model (scikit-learn) on the dispute's words
and its order's facts.

``fit_classifier(examples)`` trains a TF-IDF (words and word pairs) + logistic
regression pipeline on ``(text, facts, label, weight)`` examples; the facts
(a price alert, a short delivery, a late delivery) enter as tokens of their
own. ``suggest(model, text, facts)`` returns the label, the confidence and the
words or facts that weighed most. Seed examples (``SEED_EXAMPLES``, by
category code) let it suggest before any dispute was confirmed; confirmed and
corrected disputes are the examples that count (higher weight).
"""

import numpy as np

FACT_TOKENS = {
    "price_alert": "zzfactpricealert",
    "short_delivery": "zzfactshortdelivery",
    "late_delivery": "zzfactlatedelivery",
}
FACT_LABELS = {
    "price_alert": "the order has a price alert",
    "short_delivery": "less was delivered than invoiced",
    "late_delivery": "the delivery was late",
}
SEED_EXAMPLES = {
    "pricing": [
        "price higher than agreed",
        "wrong price charged on the invoice",
        "discount not applied",
        "invoiced above the quoted price",
        "contract price not respected",
        FACT_TOKENS["price_alert"],
    ],
    "quantity_short": [
        "received fewer units than invoiced",
        "short delivery, cases missing",
        "quantity short on the delivery",
        "only part of the order arrived",
        FACT_TOKENS["short_delivery"],
    ],
    "damaged": [
        "goods arrived damaged",
        "broken items in the box",
        "packaging crushed, products damaged",
        "product leaking on arrival",
    ],
    "late": [
        "delivery arrived late",
        "missed the promised delivery date",
        "shipment delayed by a week",
        "arrived after the date we were promised",
        FACT_TOKENS["late_delivery"],
    ],
    "wrong_item": [
        "wrong product delivered",
        "received a different item than ordered",
        "wrong size or colour",
        "not the article we ordered",
    ],
    "duplicate_billing": [
        "invoiced twice for the same order",
        "duplicate invoice",
        "charged two times",
        "billed twice for one delivery",
    ],
    "other": [
        "question about the invoice",
        "general complaint",
        "other issue with the account",
    ],
}
# a confirmed or corrected dispute weighs this many seed examples
CONFIRMED_WEIGHT = 4.0


def document(text, facts):
    """The text the model reads: the dispute's words and its facts' tokens."""
    tokens = " ".join(FACT_TOKENS[f] for f in sorted(facts or ()) if f in FACT_TOKENS)
    return f"{text or ''} {tokens}".strip()


def fit_classifier(examples):
    """``examples``: ``(text, facts, label, weight)``. Returns the fitted
    pipeline, or None with fewer than two labels."""
    # imported here: the rest of the addon loads where scikit-learn is missing
    # (the manifest's external_dependencies keep it from being installed so)
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    labels = [label for _text, _facts, label, _weight in examples]
    if len(set(labels)) < 2:
        return None
    docs = [document(text, facts) for text, facts, _label, _weight in examples]
    weights = np.asarray([weight for *_rest, weight in examples], dtype=float)
    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english"),
        LogisticRegression(max_iter=2000, C=10.0),
    )
    model.fit(docs, labels, logisticregression__sample_weight=weights)
    return model


def suggest(model, text, facts, top=3):
    """``(label, confidence 0-1, [driver, ...])`` for one dispute; drivers are
    the words (or ``fact:<name>``) that weighed most for the label."""
    doc = document(text, facts)
    probabilities = model.predict_proba([doc])[0]
    best = int(np.argmax(probabilities))
    classifier = model[-1]
    vectorizer = model[0]
    label = classifier.classes_[best]
    row = vectorizer.transform([doc])
    coef = classifier.coef_
    weights = coef[best] if coef.shape[0] > 1 else (coef[0] if best else -coef[0])
    contribution = row.multiply(weights).toarray()[0]
    names = vectorizer.get_feature_names_out()
    order = np.argsort(-contribution)
    drivers = []
    reverse = {token: fact for fact, token in FACT_TOKENS.items()}
    for index in order[: top * 3]:
        if contribution[index] <= 0 or len(drivers) >= top:
            break
        name = names[index]
        if name in reverse:
            drivers.append(f"fact:{reverse[name]}")
        elif " " not in name and not any(name in d for d in drivers):
            drivers.append(name)
    return label, float(probabilities[best]), drivers

"""Real tables for neurite's proof (issue 10): seeded train/test CSV splits and the scikit-learn peer.

    /usr/bin/python3 bench/python/tables.py OUT_DIR VEGA_DATA_DIR [--splits-only] TABLE:SEED[,SEED...] ...

For each table and seed it writes OUT_DIR/<table>/seed<k>/train.csv and test.csv (a stratified 75/25
split for classification), fits the scikit-learn pipeline a careful user would write on train.csv,
scores it on test.csv, and prints one JSON line per split:
{table, seed, dir, target, task, metric, trainRows, testRows, baseline, sklearn: {<variant>: score}}
(--splits-only: the files and {table, seed, dir, target, task, metric} only).

The peer is Pipeline(ColumnTransformer(numeric: SimpleImputer(median) + StandardScaler; text:
SimpleImputer(most_frequent) + OneHotEncoder(handle_unknown='ignore')), MLPClassifier/MLPRegressor)
with scikit-learn's defaults, run twice: without and with early_stopping (the better one is the bar).
Rows whose target is missing stay in train.csv (neurite must cope with them) but scikit-learn cannot
fit them, so its pipeline drops them; test.csv only holds rows with a target, since only they score.
"""

import json
import os
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn import datasets
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

warnings.filterwarnings("ignore", category=ConvergenceWarning)

MAX_ITER = 500


def bundled(loader, target, labels=True):
    b = loader()
    frame = pd.DataFrame(b.data, columns=[str(c) for c in b.feature_names])
    names = getattr(b, "target_names", None)
    frame[target] = [names[i] for i in b.target] if labels and names is not None else b.target
    return frame


def vega(vega_dir, name):
    path = os.path.join(vega_dir, name)
    return pd.read_json(path) if name.endswith(".json") else pd.read_csv(path)


# name -> (target column, task, loader(vega_dir) -> DataFrame)
TABLES = {
    "diabetes": ("progression", "regression", lambda v: bundled(datasets.load_diabetes, "progression", labels=False)),
    "digits": ("digit", "classification", lambda v: bundled(datasets.load_digits, "digit", labels=False)),
    "wine": ("cultivar", "classification", lambda v: bundled(datasets.load_wine, "cultivar")),
    "breast-cancer": ("diagnosis", "classification", lambda v: bundled(datasets.load_breast_cancer, "diagnosis")),
    "iris": ("species", "classification", lambda v: bundled(datasets.load_iris, "species")),
    # Missing numbers and sexes, two text columns.
    "penguins": ("Species", "classification", lambda v: vega(v, "penguins.json")),
    # Missing targets and horsepowers, a near-unique Name, a Year date, a text Origin.
    "cars": ("Miles_per_Gallon", "regression", lambda v: vega(v, "cars.json")),
    # A unique date per row; five unbalanced classes.
    "seattle-weather": ("weather", "classification", lambda v: vega(v, "seattle-weather.csv")),
    # 3,201 films: missing cells in most columns, missing targets, unique titles, release dates, directors.
    "movies": ("IMDB Rating", "regression", lambda v: vega(v, "movies.json")),
}


def baseline(task, y_train, y_test):
    if task == "classification":
        majority = y_train.value_counts().idxmax()
        return float(np.mean(y_test == majority))
    return float(r2_score(y_test, np.full(len(y_test), y_train.mean())))


def as_text(frame, columns):
    """Text columns as strings (a title such as 1776 among words would be an int), missing as NaN."""
    frame = frame.copy()
    for c in columns:
        frame[c] = frame[c].map(lambda v: v if pd.isna(v) else str(v))
    return frame


def sklearn_score(task, train, test, target, seed, early_stopping):
    train = train[train[target].notna()]
    x, y = train.drop(columns=[target]), train[target]
    numeric = [c for c in x.columns if pd.api.types.is_numeric_dtype(x[c])]
    text = [c for c in x.columns if c not in numeric]
    x = as_text(x, text)
    pre = ColumnTransformer(
        [
            ("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), numeric),
            (
                "text",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="most_frequent")),
                        ("onehot", OneHotEncoder(handle_unknown="ignore")),
                    ]
                ),
                text,
            ),
        ]
    )
    kind = MLPClassifier if task == "classification" else MLPRegressor
    model = Pipeline(
        [("pre", pre), ("mlp", kind(random_state=seed, max_iter=MAX_ITER, early_stopping=early_stopping))]
    )
    if task == "regression":
        # Adam's default step suits targets near unit scale; raw targets (diabetes: 25-346) leave the
        # network far from converged, so the peer standardises them as neurite does.
        model = TransformedTargetRegressor(regressor=model, transformer=StandardScaler())
    model.fit(x, y)
    pred = model.predict(as_text(test.drop(columns=[target]), text))
    y_test = test[target]
    return float(accuracy_score(y_test, pred) if task == "classification" else r2_score(y_test, pred))


def split(name, frame, target, task, seed, out_dir):
    known = frame[frame[target].notna()]
    unknown = frame[frame[target].isna()]
    train, test = train_test_split(
        known,
        test_size=0.25,
        random_state=seed,
        stratify=known[target] if task == "classification" else None,
    )
    train = pd.concat([train, unknown]).sample(frac=1, random_state=seed)
    d = os.path.join(out_dir, name, f"seed{seed}")
    os.makedirs(d, exist_ok=True)
    train.to_csv(os.path.join(d, "train.csv"), index=False)
    test.to_csv(os.path.join(d, "test.csv"), index=False)
    # Both sides read the same files back, so they see the same cells.
    return d, pd.read_csv(os.path.join(d, "train.csv")), pd.read_csv(os.path.join(d, "test.csv"))


def main(argv):
    out_dir, vega_dir, specs = argv[0], argv[1], argv[2:]
    splits_only = "--splits-only" in specs
    specs = [s for s in specs if s != "--splits-only"]
    for spec in specs:
        name, _, seeds = spec.partition(":")
        target, task, load = TABLES[name]
        frame = load(vega_dir)
        for seed in [int(s) for s in seeds.split(",")]:
            d, train, test = split(name, frame, target, task, seed, out_dir)
            known = train[train[target].notna()]
            row = {
                "table": name,
                "seed": seed,
                "dir": d,
                "target": target,
                "task": task,
                "metric": "accuracy" if task == "classification" else "r2",
            }
            if splits_only:
                print(json.dumps(row), flush=True)
                continue
            row |= {
                "trainRows": len(train),
                "testRows": len(test),
                "baseline": baseline(task, known[target], test[target]),
                "testVariance": float(np.var(test[target])) if task == "regression" else 0.0,
                "sklearn": {
                    "default": sklearn_score(task, train, test, target, seed, False),
                    "earlyStopping": sklearn_score(task, train, test, target, seed, True),
                },
            }
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

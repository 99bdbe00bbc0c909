#!/bin/sh
# The README's fidelity table (`make fidelity`, about seven minutes): each
# claim of the paper that a shipped scene shows, the paper's or the
# authors' notebook's value, and what sgdscope measures over sampling
# seeds 1-5 on the scene's data: median [min, max].  Prints the table as
# Markdown, then one line per claim saying whether the paper's direction
# holds.  Exit status 1 if a direction fails (a science check like
# `make science`, not a unit test; it asserts no wall-clock time).
#
# Every number comes from `sgdscope --headless --summary` (or --csv for
# Proposition 2) on the scene named in the row, so each row's command
# reproduces it.
bin=${1:-./sgdscope}
export SGDSCOPE_SCENES=${SGDSCOPE_SCENES:-scenes}
seeds="1 2 3 4 5"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

summ() { # name scene [args...]: summaries of seeds 1-5 into $tmp/name
    name=$1; shift
    for s in $seeds; do
        "$bin" --headless --summary --seed "$s" "$@" || exit 1
    done > "$tmp/$name" || { echo "fidelity: $name failed" >&2; exit 1; }
}
summ fig2 fig2-compare
summ fig2edge fig2-compare --set eta=0.282 --set small.eta=0.25
summ fig4 fig4-compare
summ fig10 fig10-compare
summ fig11 fig11-relu-overreg
summ appcd appc-sde-diag
summ appcr appc-sde-relu
summ fig3 fig3-surface
summ fig13 fig13-ts2-compare
summ fig5 fig5-ts3-compare
for s in $seeds; do
    "$bin" --headless --csv - --every 1 --seed "$s" prop2-quad \
        > "$tmp/prop2-$s.csv" || exit 1
done

python3 - "$tmp" <<'EOF'
import csv, json, math, statistics, sys
tmp = sys.argv[1]
seeds = [1, 2, 3, 4, 5]

def runs(name):
    by = {}
    for line in open(f"{tmp}/{name}"):
        o = json.loads(line)
        by.setdefault(o["run"], []).append(o)
    return by

def g(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if isinstance(x, int) or float(x).is_integer() and abs(x) >= 1:
        return "%d" % x
    return "%.2g" % x

def mmm(xs):
    """median [min, max] of the values, diverged runs left out (counted)."""
    xs = [x for x in xs if x is not None]
    if not xs:
        return "–"
    return "%s [%s, %s]" % (g(statistics.median(xs)), g(min(xs)), g(max(xs)))

def col(objs, key, stable_only=True):
    return [o.get(key) for o in objs if not (stable_only and o["diverged"])]

def ndiv(objs):
    return sum(o["diverged"] for o in objs)

rows, checks = [], []
def row(claim, paper, ours, cmd):
    rows.append((claim, paper, ours, cmd))
def check(what, ok):
    checks.append(("PASS" if ok else "FAIL", what))

# Proposition 2: the two sides of the valley and the loss band, steps
# 1000-2000 (after the transient)
lo_side, hi_side, losses = [], [], []
for s in seeds:
    th, L = [], []
    for r in csv.DictReader(open(f"{tmp}/prop2-{s}.csv")):
        if int(r["step"]) >= 1000:
            th.append(float(r["theta"])); L.append(float(r["train_loss"]))
    lo_side.append((min(t for t in th if t < 1), max(t for t in th if t < 1)))
    hi_side.append((min(t for t in th if t > 1), max(t for t in th if t > 1)))
    losses.append((min(L), max(L)))
def rng(pairs):
    return "(%.2f, %.2f)" % (statistics.median(p[0] for p in pairs),
                             statistics.median(p[1] for p in pairs))
row("Prop. 2: θ bounces (a = 1, b = 1.05, η = 1.1, θ₀ = 0.3): low side / "
    "high side / loss band",
    "(0.70, 0.84) / (1.10, 1.15) / (0.012, 0.066)",
    "%s / %s / (%.3f, %.3f) (medians of each end)" % (
        rng(lo_side), rng(hi_side),
        statistics.median(p[0] for p in losses),
        statistics.median(p[1] for p in losses)),
    "`sgdscope --headless --csv - --every 1 --seed S prop2-quad`")
check("Prop. 2: every seed bounces with the loss held away from 0",
      all(a > 0.6 and b < 1 for a, b in lo_side) and
      all(a > 1 and b < 1.17 for a, b in hi_side) and
      all(a > 1e-3 for a, _ in losses))

f2 = runs("fig2")
order = ["small", "decay10", "decay30", "decay50"]
row("Fig. 2: test loss, small / decay at 10 / 30 / 50 % (η = 0.25; "
    "0.27 decayed)",
    "3.5e-3 / 6.6e-4 / 2.8e-4 / 1.5e-4 (notebook, η = 0.282, seed 1)",
    " / ".join(mmm(col(f2[r], "test_loss")) for r in order) +
    "; diverged %s" % "/".join(str(ndiv(f2[r])) for r in order),
    "`sgdscope --headless --summary --seed S fig2-compare`")
med = [statistics.median(col(f2[r], "test_loss")) for r in order]
check("Fig. 2: test-loss medians fall as the decay comes later",
      med[0] > med[1] > med[2] > med[3])
row("Fig. 2: ‖β‖₀ at β_j beyond ±1e-50, same runs",
    "200 / 156 / 89 / 71",
    " / ".join(mmm(col(f2[r], "l0_nb")) for r in order),
    "same")
row("Fig. 2: ‖β‖₀ at β_j beyond ±1e-6, same runs", "–",
    " / ".join(mmm(col(f2[r], "l0")) for r in order), "same")
l0m = [statistics.median(col(f2[r], "l0")) for r in order]
check("Fig. 2: ‖β‖₀ (1e-6) medians fall as the decay comes later",
      l0m[0] > l0m[1] > l0m[2] > l0m[3])
e = runs("fig2edge")
row("Fig. 2 at the paper's η = 0.282: test loss of the runs that survive; "
    "diverged runs",
    "3 of 10 sampling seeds diverge (measured on the authors' machine); "
    "the notebook's own code here: decay 50 % diverges for seeds 1, 2, 4, 5",
    " / ".join(mmm(col(e[r], "test_loss")) for r in order) +
    "; diverged %s of 5" % "/".join(str(ndiv(e[r])) for r in order),
    "`sgdscope --headless --summary --seed S --set eta=0.282 "
    "--set small.eta=0.25 fig2-compare`")
row("Fig. 2 at η = 0.282: ‖β‖₀ at β_j beyond ±1e-50 of the runs that "
    "survive", "200 / 156 / 89 / 71",
    " / ".join(mmm(col(e[r], "l0_nb")) for r in order), "same")

f4 = runs("fig4")
for key, label in (("kinks", "kinks"), ("rank", "NTK rank (τ = 1e-4)"),
                   ("feature_sparsity", "feature sparsity (c = 0.999)"),
                   ("train_loss", "train loss")):
    row("Fig. 4: %s, warmup to 2 %% / to 50 %%" % label,
        {"kinks": "50 %% run: far fewer", "rank": "50 %% run: lower",
         "feature_sparsity": "50 %% run: lower",
         "train_loss": "2.1e-4 / 1.7e-4 (notebook)"}[key] % (),
        "%s / %s" % (mmm(col(f4["decay2"], key)), mmm(col(f4["decay50"], key))),
        "`sgdscope --headless --summary --seed S fig4-compare`")
for key in ("kinks", "rank", "feature_sparsity"):
    a = statistics.median(col(f4["decay2"], key))
    b = statistics.median(col(f4["decay50"], key))
    check("Fig. 4: the 50 %% run ends with a lower median %s" % key, b < a)

f10 = runs("fig10")
row("Fig. 10 (n = 40, d = 100): test loss, GD η = 2 / GD η = 3.51 decayed "
    "at 10 / 30 / 50 % / SGD",
    "GD at the edge 0.44–0.50; SGD 0.039 (η = 0.272, one run)",
    " / ".join(mmm(col(f10[r], "test_loss"))
               for r in ("gd", "gd10", "gd30", "gd50", "sgd")),
    "`sgdscope --headless --summary --seed S fig10-compare`")
row("Fig. 10: ‖β‖₀ at 1e-50, same runs",
    "GD at the edge 78–86; SGD 33",
    " / ".join(mmm(col(f10[r], "l0_nb"))
               for r in ("gd", "gd10", "gd30", "gd50", "sgd")), "same")
gd_test = min(statistics.median(col(f10[r], "test_loss"))
              for r in ("gd", "gd10", "gd30", "gd50"))
check("Fig. 10: SGD's median test loss is below every GD run's",
      statistics.median(col(f10["sgd"], "test_loss")) < gd_test)
check("Fig. 10: SGD's median ‖β‖₀ (1e-6) is below GD-at-the-edge's",
      statistics.median(col(f10["sgd"], "l0")) <
      min(statistics.median(col(f10[r], "l0")) for r in ("gd10", "gd30", "gd50")))

f11 = runs("fig11")["main"]
row("Fig. 11 (warmup to 50 %, W = 700 f): train loss at the end",
    "stays near 10^-0.5 (notebook, W = 500 f: 0.27)",
    mmm(col(f11, "train_loss")) + "; over-regularized (> 0.1): %d of 5" %
    sum(o["train_loss"] > 0.1 for o in f11),
    "`sgdscope --headless --summary --seed S fig11-relu-overreg`")
check("Fig. 11: most seeds over-regularize (train loss > 0.1)",
      sum(o["train_loss"] > 0.1 for o in f11) >= 3)

for name, scene, extra in (("appcd", "appc-sde-diag", "l0"),
                           ("appcr", "appc-sde-relu", "kinks")):
    a = runs(name)
    row("App. C (%s): NTK rank at the end, SGD / SDE / gradient flow" % scene,
        "SGD and its SDE sparsify, gradient flow does not (Fig. 8)",
        " / ".join(mmm(col(a[r], "rank")) for r in ("sgd", "sde", "flow")),
        "`sgdscope --headless --summary --seed S %s`" % scene)
    fl = statistics.median(col(a["flow"], "rank"))
    check("App. C (%s): SGD and SDE median rank below 0.75 × flow's" % scene,
          statistics.median(col(a["sgd"], "rank")) < 0.75 * fl and
          statistics.median(col(a["sde"], "rank")) < 0.75 * fl)

f3 = runs("fig3")
row("Fig. 3 (n = 20, d = 30, r = 3, on the notebook's draw): test loss, "
    "gradient flow / GD / SGD",
    "SGD generalizes best; the notebook prints 0.0149 / 0.126 / 4.0e-8 "
    "(SGD seed 2)",
    " / ".join(mmm(col(f3[r], "test_loss")) for r in ("gf", "gd", "sgd")),
    "`sgdscope --headless --summary --seed S fig3-surface`")
check("Fig. 3: SGD's median test loss is below GD's and gradient flow's",
      statistics.median(col(f3["sgd"], "test_loss")) <
      min(statistics.median(col(f3[r], "test_loss")) for r in ("gf", "gd")))

f13 = runs("fig13")
t13 = ["small", "decay10", "decay30", "decay50"]
row("Fig. 9/13 (ts2, η = 0.13 / 0.3 decayed at 10 / 30 / 50 %): mean "
    "angle of the active neurons to the nearest teacher direction (°)",
    "large step: neurons cluster on the teacher directions (Fig. 9; "
    "paper's large η 0.455)",
    " / ".join(mmm(col(f13[r], "teacher_angle")) for r in t13) +
    "; diverged %s" % "/".join(str(ndiv(f13[r])) for r in t13),
    "`sgdscope --headless --summary --seed S fig13-ts2-compare`")
row("Fig. 13: feature sparsity (c = 0.99), same runs",
    "lower for the large step, the later the decay the lower",
    " / ".join(mmm(col(f13[r], "feature_sparsity")) for r in t13), "same")
for key in ("teacher_angle", "feature_sparsity"):
    sm = statistics.median(col(f13["small"], key))
    check("Fig. 13: every large-step run's median %s is below the small "
          "step's" % key,
          all(statistics.median(col(f13[r], key)) < sm for r in t13[1:]))

f5 = runs("fig5")
t5 = ["small", "warm10", "warm30", "warm50"]
row("Fig. 5 (ts3, η = 0.011 / 0.04 with warmup to 10 / 30 / 50 %): "
    "feature sparsity of hidden layer 2 (c = 0.99)",
    "lower with the large step on both layers; notebook: 46.6 % → 18.2 % "
    "active in layer 2",
    " / ".join(mmm(col(f5[r], "feature_sparsity2")) for r in t5),
    "`sgdscope --headless --summary --seed S fig5-ts3-compare`")
row("Fig. 5: feature sparsity of hidden layer 1, same runs", "lower",
    " / ".join(mmm(col(f5[r], "feature_sparsity")) for r in t5), "same")
row("Fig. 5: test loss, same runs", "smaller for longer schedules",
    " / ".join(mmm(col(f5[r], "test_loss")) for r in t5), "same")
for key in ("feature_sparsity2", "feature_sparsity", "test_loss"):
    sm = statistics.median(col(f5["small"], key))
    check("Fig. 5: every warmup run's median %s is below the small step's"
          % key,
          all(statistics.median(col(f5[r], key)) < sm for r in t5[1:]))

print("| claim | paper / notebook | sgdscope, seeds 1-5: median [min, max] | command (S = 1..5) |")
print("|---|---|---|---|")
for r in rows:
    print("| %s | %s | %s | %s |" % r)
print()
bad = 0
for st, what in checks:
    print("%s  %s" % (st, what))
    bad += st == "FAIL"
sys.exit(1 if bad else 0)
EOF

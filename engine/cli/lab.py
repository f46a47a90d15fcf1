"""`deepmine lab`: the guided experiments of the deep-learning lab, measured, as text or JSON."""

from __future__ import annotations

import argparse

from engine.core.i18n import t

VARIANT_FIELDS = ("name", "train_accuracy", "val_accuracy", "grad_ratio_first_last", "diverged", "seconds")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lab", help=t("run a guided deep-learning experiment (vanishing, exploding, overfitting, "
                                     "explainability)"),
                       description=t("Reproduce the article's problems of deep learning on digits and measure their "
                                     "fixes. Results are cached by their settings, so a rerun is instant."))
    p.add_argument("experiment", nargs="?", metavar="EXPERIMENT", help=t("the experiment to run (see --list)"))
    p.add_argument("--list", action="store_true", help=t("list the experiments"))
    p.add_argument("--json", action="store_true", help=t("print the measured figures as JSON"))
    p.add_argument("--size", choices=["full", "tiny"], default="full",
                   help=t("full (under a minute) or tiny (a few seconds, for a quick look); default: full"))
    p.add_argument("--data", choices=["auto", "offline"], default="auto",
                   help=t("auto (the full MNIST when the app has it) or offline (the bundled 5,000-digit sample)"))
    p.add_argument("--no-cache", action="store_true", help=t("run again even when a cached result exists"))
    p.set_defaults(handler=_lab)


def _lab(args: argparse.Namespace) -> int:
    from engine.cli.output import print_json, terminal_progress
    from engine.core.errors import InputError
    from engine.core.tasks import run_task
    from engine.lab.experiments import EXPERIMENTS
    from engine.lab.readings import experiment_readings, experiment_title

    if args.list:
        for name in EXPERIMENTS:
            print(f"{name}\t{experiment_title(name)}")
        return 0
    if not args.experiment:
        raise InputError("Name an experiment ({names}) or use --list.", names=", ".join(EXPERIMENTS))
    from engine.lab.experiments import experiment_settings, run_experiment_task

    experiment_settings(args.experiment, args.size)  # an unknown name is one line, before TensorFlow loads
    result = run_task(run_experiment_task(args.experiment, args.size, source=args.data, use_cache=not args.no_cache),
                      terminal_progress(t("lab: ")))
    if args.json:
        print_json({"experiment": result["experiment"], "size": result["size"], "data": result["data_label"],
                    "seconds": result["seconds"], "cached": result["cached"],
                    "variants": [{k: v.get(k) for k in (*VARIANT_FIELDS, "gap", "reason")}
                                 for v in result["variants"]],
                    "readings": experiment_readings(result)})
        return 0
    print(experiment_title(result["experiment"]))
    header = [t("variant"), t("training accuracy"), t("validation accuracy"), t("gradient ratio first/last"),
              t("diverged"), t("seconds")]
    print("\t".join(header))
    for v in result["variants"]:
        print("\t".join([v["name"], _fmt(v["train_accuracy"]), _fmt(v["val_accuracy"]),
                         _fmt(v["grad_ratio_first_last"]), t("Yes") if v["diverged"] else t("No"),
                         f"{v['seconds']:.1f}"]))
    for sentence in experiment_readings(result):
        print(sentence)
    return 0


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3g}"

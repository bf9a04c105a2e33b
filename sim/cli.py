"""The `collabsim` command line: thin commands that parse, call the library and print."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shlex
import sys
from datetime import datetime
from pathlib import Path

import click

from sim.i18n import LANGUAGES, has, language, set_language
from sim.i18n import text as T
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.overrides import parse_assignments

EXIT_BAD_INPUT = 2


def log(ctx: click.Context, text: str) -> None:
    """Progress and notes go to stderr, silenced by -q/--quiet."""
    if not ctx.find_root().params.get("quiet"):
        click.echo(text, err=True)


def set_lang(_ctx, _param, value: str | None) -> str | None:
    """--lang th|en: the language of messages, figures and reports from here on."""
    if value:
        set_language(value)
    return value


LANG_HELP = "Language of messages, figures and reports [from the locale, else en]."


def quiet_option(f):
    """-q/--quiet and --lang on every command (also accepted before the command name)."""
    def set_quiet(ctx, _param, value):
        if value:
            ctx.find_root().params["quiet"] = True
        return value
    f = click.option("--lang", type=click.Choice(["en", "th"]), expose_value=False,
                     callback=set_lang, is_eager=True, help=LANG_HELP)(f)
    return click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=set_quiet,
                        help="Print only results and errors.")(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-q", "--quiet", is_flag=True, help="Print only results and errors.")
@click.option("--lang", type=click.Choice(["en", "th"]), callback=set_lang, is_eager=True,
              help=LANG_HELP)
@click.version_option(package_name="collabsim")
def cli(quiet: bool, lang: str | None) -> None:
    """collabsim: how dialogue continuity and norms shape multi-stakeholder collaboration."""


def default_out(paths: list[str], seed: int) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    tag = hashlib.sha256(("|".join(paths) + f"|{seed}").encode()).hexdigest()[:6]
    return Path("results") / f"run-{stamp}-{tag}"


def folder_name(path: Path) -> str:
    return f"{path.parent.name}_{path.stem}"


@cli.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--steps", type=click.IntRange(min=1), help="Months to simulate [run.steps].")
@click.option("--seed", type=click.IntRange(min=0), help="Root seed [run.seed].")
@click.option("--set", "sets", multiple=True, metavar="KEY.PATH=VALUE",
              help="Override any scenario key (a TOML value; bare words are strings).")
@click.option("--out", type=click.Path(path_type=Path), help="Output folder [results/run-…].")
@click.option("--no-figures", is_flag=True, help="Skip timeseries.png.")
@click.option("--point", is_flag=True,
              help="Plausible ranges of context files at their midpoints (no sampling).")
@quiet_option
@click.pass_context
def run(ctx, scenarios, steps, seed, sets, out, no_figures, point) -> None:
    """Run one or more scenario files once each; several files give one folder each under OUT."""
    from sim.experiment.single import run_scenario, write_run

    overrides = parse_assignments(sets)
    loaded = [load_scenario(p, overrides, point) for p in scenarios]  # all checked before running
    out = out or default_out([str(p) for p in scenarios], seed or 0)
    for path, scenario in zip(scenarios, loaded):
        run_seed = seed if seed is not None else scenario["run.seed"]
        folder = out if len(scenarios) == 1 else out / folder_name(path)
        result = run_scenario(scenario, run_seed, steps)
        write_run(result, folder, figure=not no_figures)
        log(ctx, T("cli.run_done", name=scenario.name, steps=result.steps,
                   actors=result.n_actors, seconds=result.seconds, folder=folder))
    click.echo(str(out))


def parse_shard(_ctx, _param, value: str | None) -> tuple[int, int] | None:
    """`I/N` with 1 ≤ I ≤ N."""
    if value is None:
        return None
    try:
        i, n = (int(x) for x in value.split("/"))
    except ValueError:
        i = n = 0
    if not 1 <= i <= n:
        raise click.BadParameter(f"got {value!r}; allowed: I/N with 1 ≤ I ≤ N, e.g. 2/8")
    return i, n


def run_options(f):
    """Where and how an experiment runs (none of these change its numbers or its hash)."""
    for option in reversed((
        click.option("--workers", type=click.IntRange(min=1),
                     help="Local worker processes [all cores; 1 runs in-process]."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="Run on a Dask cluster, e.g. tcp://host:8786 (collabsim[cluster])."),
        click.option("--shard", metavar="I/N", callback=parse_shard,
                     help="Run only the I-th of N slices (merge them with `collabsim merge`)."),
        click.option("--out", type=click.Path(path_type=Path),
                     help="Results folder [results/<name>-<hash>; $COLLABSIM_RESULTS replaces results/]."),
        click.option("--no-figures", is_flag=True, help="Skip figures/."),
        click.option("--report", "with_report", is_flag=True,
                     help="Also write report.html (as `collabsim report` does)."),
    )):
        f = option(f)
    return quiet_option(f)


def design_options(f=None, *, replications: int = 30):
    """What an experiment runs: replications, months, root seed, overrides, baseline, outcomes."""
    if f is None:
        return lambda g: design_options(g, replications=replications)
    for option in reversed((
        click.option("--replications", type=click.IntRange(min=1), default=replications,
                     show_default=True, help="Runs per scenario (and design point)."),
        click.option("--steps", type=click.IntRange(min=1), help="Months per run [run.steps]."),
        click.option("--seed", type=click.IntRange(min=0), help="Root seed [run.seed]."),
        click.option("--set", "sets", multiple=True, metavar="KEY.PATH=VALUE",
                     help="Override a scenario key in every scenario."),
        click.option("--baseline", metavar="SCENARIO",
                     help="Paired differences against this scenario (or arrangement) "
                          "[the one without an intermediary, else the first]."),
        click.option("--outcomes", metavar="A,B", help="Outcomes of interest [all nine]."),
        click.option("--point", is_flag=True,
                     help="Plausible ranges at their midpoints, not sampled per replication."),
    )):
        f = option(f)
    return f


def spec_from_options(name: str, scenarios, opts: dict, vary=(), design="grid", points=None,
                      parse=None):
    """The ExperimentSpec the command line spells (`parse` reads each --vary; sweep's by
    default)."""
    from sim.experiment.design import parse_vary
    from sim.experiment.files import check_outcomes
    from sim.experiment.plan import ExperimentSpec
    from sim.model.outcomes import OUTCOMES

    outcomes = opts["outcomes"].split(",") if opts.get("outcomes") else list(OUTCOMES)
    return ExperimentSpec(
        name=name, scenarios=list(scenarios), overrides=parse_assignments(opts["sets"]),
        vary=[(parse or parse_vary)(v) for v in vary], design=design, points=points,
        replications=opts["replications"], steps=opts["steps"], seed=opts["seed"],
        outcomes=check_outcomes("--outcomes", [o.strip() for o in outcomes]),
        baseline=opts["baseline"], point=opts["point"])


def execute_spec(ctx: click.Context, spec, run: dict, before=None, after=None) -> None:
    """Resolve, `before(plan)`, announce the run count, run what is missing, export, then
    `after(plan, outcome)`; exit 1 on failed runs."""
    from sim.experiment.plan import Plan, default_folder
    from sim.experiment.runner import run_experiment

    if run["workers"] and run["scheduler"]:
        raise click.UsageError("--workers and --scheduler exclude each other; allowed: one")
    if run["scheduler"]:
        from sim.experiment.backends import check_scheduler

        check_scheduler(run["scheduler"])
    plan = Plan(spec)
    if before is not None:
        before(plan)
    log(ctx, T("cli.run_count", name=spec.name, scenarios=len(plan.base),
               points=len(plan.points), replications=spec.replications, total=plan.total))
    quiet = ctx.find_root().params.get("quiet")
    outcome = run_experiment(
        plan, run["out"] or default_folder(plan, run["shard"]), workers=run["workers"],
        scheduler=run["scheduler"], shard=run["shard"], figures=not run["no_figures"],
        command=shlex.join(["collabsim", *sys.argv[1:]]), say=lambda t: log(ctx, t),
        progress=not quiet)
    log(ctx, T("cli.made", ran=outcome.ran, failed=outcome.failed, folder=outcome.folder))
    if after is not None:
        after(plan, outcome)
    if run["with_report"]:
        from sim.analysis.report import write_report

        log(ctx, T("cli.report", path=write_report(outcome.folder)))
    click.echo(str(outcome.folder))
    if outcome.failed:
        click.echo(T("cli.error", message=T("cli.failed_runs", failed=outcome.failed,
                                            store=outcome.folder / "results.sqlite")), err=True)
        sys.exit(1)


RUN_KEYS = ("workers", "scheduler", "shard", "out", "no_figures", "with_report")


@cli.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(path_type=Path))
@design_options
@run_options
@click.pass_context
def compare(ctx, scenarios, **opts) -> None:
    """Run every scenario N times and compare them, paired by replication, with a baseline."""
    spec = spec_from_options(f"compare-{scenarios[0].stem}", scenarios, opts)
    execute_spec(ctx, spec, {k: opts[k] for k in RUN_KEYS})


@cli.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--vary", multiple=True, required=True, metavar="KEY.PATH=START:STOP:NUM",
              help="A varied key: a range of NUM values, or a list v1,v2,v3. Repeatable.")
@click.option("--design", type=click.Choice(["grid", "lhs"]), default="grid", show_default=True,
              help="Full grid of the values, or a Latin hypercube over the ranges.")
@click.option("--points", type=click.IntRange(min=1),
              help="Latin-hypercube points [the largest NUM].")
@design_options
@run_options
@click.pass_context
def sweep(ctx, scenarios, vary, design, points, **opts) -> None:
    """Vary scenario keys over a grid or a Latin hypercube, each point replicated."""
    spec = spec_from_options(f"sweep-{scenarios[0].stem}", scenarios, opts, vary, design, points)
    execute_spec(ctx, spec, {k: opts[k] for k in RUN_KEYS})


@cli.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--vary", multiple=True, required=True, metavar="KEY.PATH=LOW:HIGH",
              help="A key varied continuously between bounds. Repeatable.")
@click.option("--method", type=click.Choice(["sobol", "morris"]), default="sobol",
              show_default=True, help="Sobol indices (S1, ST, S2) or Morris screening (μ*, σ).")
@click.option("--samples", type=click.IntRange(min=1),
              help="Sobol: base sample N, a power of two (N·(2D+2) points) [64]; "
                   "Morris: trajectories (N·(D+1) points) [20].")
@design_options(replications=1)
@run_options
@click.pass_context
def sensitivity(ctx, scenario, vary, method, samples, **opts) -> None:
    """Global sensitivity analysis of one scenario with SALib: which varied keys drive the
    outcomes, and how they interact; writes indices.csv and figures; the same command resumes."""
    from sim.experiment.design import parse_bounds, points_per_sample

    n = samples or DEFAULT_SAMPLES[method]
    spec = spec_from_options(f"sensitivity-{scenario.stem}", [scenario], opts, vary, method, n,
                             parse=parse_bounds)

    def announce(plan) -> None:
        d = len(spec.vary)
        formula, per_sample = points_per_sample(method, d)
        log(ctx, T("cli.sensitivity_count", method=method, n=n, d=d, formula=f"N·({formula})",
                   points=n * per_sample, replications=spec.replications, total=plan.total))

    def analyse(plan, outcome) -> None:
        from sim.analysis.sensitivity_outputs import write_sensitivity

        if run_opts["shard"] or outcome.failed:
            log(ctx, T("cli.sensitivity_needs_all"))
            return
        for line in write_sensitivity(outcome.folder, plan, figures=not run_opts["no_figures"]):
            log(ctx, line)

    run_opts = {k: opts[k] for k in RUN_KEYS}
    execute_spec(ctx, spec, run_opts, before=announce, after=analyse)


DEFAULT_SAMPLES = {"sobol": 64, "morris": 20}


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--point", is_flag=True,
              help="Plausible ranges at their midpoints, as `point = true` in the file.")
@run_options
@click.pass_context
def experiment(ctx, file, point, **opts) -> None:
    """Run an experiment file (scenarios/experiments/*.toml); the same command again resumes."""
    from sim.experiment.files import load_experiment

    spec = load_experiment(file)
    spec.point = spec.point or point
    execute_spec(ctx, spec, opts)


@cli.command()
@click.argument("shards", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Merged folder.")
@click.option("--no-figures", is_flag=True, help="Skip figures/.")
@quiet_option
@click.pass_context
def merge(ctx, shards, out, no_figures) -> None:
    """Join the result folders of shards of one experiment into OUT."""
    from sim.experiment.exports import export_folder
    from sim.experiment.merge import merge as merge_shards
    from sim.experiment.runner import now

    started = now()
    report = merge_shards(list(shards), out)
    export_folder(out, {"command": shlex.join(["collabsim", *sys.argv[1:]]), "started": started,
                        "finished": now(), "merged_from": [str(s) for s in shards]},
                  not no_figures)
    log(ctx, T("cli.merged", copied=report.copied, total=report.total,
               duplicates=len(report.duplicates), missing=len(report.missing)))
    if report.duplicates:  # warnings, shown even with -q
        click.echo(T("cli.duplicates", ids=_ids(report.duplicates)), err=True)
    if report.missing:
        click.echo(T("cli.missing", n=len(report.missing), ids=_ids(report.missing)), err=True)
    click.echo(str(out))


def _ids(ids: list[int], limit: int = 20) -> str:
    more = f" … (+{len(ids) - limit})" if len(ids) > limit else ""
    return ", ".join(map(str, ids[:limit])) + more


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@quiet_option
@click.pass_context
def report(ctx, folder) -> None:
    """Write FOLDER/report.html (in Thai with --lang th): one self-contained page of an
    experiment's results."""
    from sim.analysis.report import write_report

    if not (folder / "manifest.json").is_file():
        raise ScenarioError(folder, None, T("error.no_manifest"))
    if (folder / "results.sqlite").is_file() and not (folder / "runs.csv").is_file():
        from sim.experiment.exports import export_folder  # a run cut short: export what finished

        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        export_folder(folder, {k: manifest.get(k) for k in ("command", "started", "finished")})
    click.echo(str(write_report(folder)))


@cli.command()
@click.argument("scenario", required=False, type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this computer only).")
@quiet_option
@click.pass_context
def viz(ctx, scenario, port, host) -> None:
    """Start the teaching dashboard in the browser (needs collabsim[viz]); SCENARIO, a composed
    context × arrangement file, is shown first (its context, arrangement and slider keys)."""
    from sim.viz.launch import serve

    serve(host, port, scenario, bool(ctx.find_root().params.get("quiet")), click.echo)


@cli.group()
@quiet_option
def docking() -> None:
    """Docking with published models; each subcommand prints one JSON line (docs/validation.md)."""


def parse_epsilons(_ctx, _param, value: str) -> tuple[float, ...]:
    """A comma-separated list of confidence bounds, each in (0, 2]."""
    try:
        eps = tuple(float(x) for x in value.split(","))
    except ValueError:
        eps = ()
    if not eps or not all(0 < e <= 2 for e in eps):
        raise click.BadParameter(f"got {value!r}; allowed: numbers in (0, 2] separated by commas")
    return eps


@docking.command()
@click.option("--metanorms", is_flag=True, help="Play the metanorms game, not the norms game.")
@click.option("--seeds", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--generations", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=1, show_default=True,
              help="Root seed; seed r plays with SeedSequence(SEED).spawn(SEEDS)[r].")
@quiet_option
@click.pass_context
def axelrod(ctx, metanorms, seeds, generations, seed) -> None:
    """Axelrod's (1986) norms or metanorms game through the model's norm submodel."""
    from sim.validation.docking import axelrod as play

    step = max(1, generations // 10)

    def progress(g: int) -> None:
        if g % step == 0:
            log(ctx, f"generation {g}/{generations}")

    click.echo(json.dumps(play(seeds, generations, metanorms, seed, progress)))


@docking.command()
@click.option("--agents", type=click.IntRange(min=2), default=100, show_default=True)
@click.option("--dims", type=click.IntRange(1, 3), default=1, show_default=True,
              help="1: Hegselmann & Krause's line; 3: the model's positions.")
@click.option("--seeds", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=1, show_default=True)
@click.option("--epsilons", default="0.05,0.1,0.15,0.2,0.25,0.3,0.4", show_default=True,
              callback=parse_epsilons, help="Confidence bounds ε.")
@quiet_option
def hk(agents, dims, seeds, seed, epsilons) -> None:
    """Hegselmann & Krause (2002): opinion clusters per ε with the model's opinion update."""
    from sim.validation.docking_hk import hk as clusters

    click.echo(json.dumps(clusters(agents, dims, seeds, seed, epsilons)))


@docking.command()
@click.option("--groups", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option("--rounds", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=1, show_default=True)
@click.option("--first-belief", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="What members expect the others to give in round 1 (share of endowment).")
@quiet_option
def pooling(groups, rounds, seed, first_belief) -> None:
    """Public goods without punishment (Fehr & Gächter 2000) with the model's contribution rule."""
    from sim.validation.docking_pooling import pooling as play

    click.echo(json.dumps(play(groups, rounds, seed, first_belief)))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@quiet_option
@click.pass_context
def validate(ctx, files) -> None:
    """Check scenario, context and arrangement files; one line per problem, exit 2 if any."""
    from sim.scenario.loader import describe

    bad = 0
    for path in files:
        try:
            kind, _ = describe(path) if path.exists() else ("scenario", "")
            if kind == "experiment":
                from sim.experiment.files import load_experiment
                from sim.experiment.plan import Plan

                Plan(load_experiment(path))  # loads every scenario and design point
            else:
                load_scenario(path)
            log(ctx, T("cli.ok", path=path, kind=kind))
        except ScenarioError as exc:
            click.echo(T("cli.error", message=exc), err=True)
            bad += 1
    if bad:
        sys.exit(EXIT_BAD_INPUT)


@cli.command()
@click.option("--out", type=click.Path(path_type=Path), help="Write to a file instead of stdout.")
@quiet_option
def schema(out) -> None:
    """Print the JSON Schema of scenario files (for editors)."""
    from sim.scenario.schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)


@cli.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@quiet_option
def scenarios(folder) -> None:
    """List the scenario library: each file with its kind and description (in Thai with
    --lang th)."""
    from sim.scenario.library import library_root
    from sim.scenario.loader import describe

    root = folder or library_root()
    if not root.is_dir():
        raise ScenarioError(root, None, T("error.no_folder"))
    for path in sorted(root.rglob("*.toml")):
        kind, description = describe(path, language())
        click.echo(f"{path.relative_to(root)!s:48} {kind:12} {description}")


def chosen_language(argv: list[str]) -> str | None:
    """`--lang X` or `--lang=X` anywhere on the command line (help is shown before options are
    parsed, so its language is read here)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def localise_help(command: click.Command, path: tuple[str, ...] = ()) -> None:
    """The catalogue's help texts (help.*) for a command, its options and its subcommands."""
    name = ".".join(path) or "collabsim"
    if has(f"help.command.{name}"):
        command.help = T(f"help.command.{name}")
    for param in command.params:
        keys = (f"help.{name}.{param.name}", f"help.option.{param.name}")
        key = next((k for k in keys if has(k)), None)
        if isinstance(param, click.Option) and param.help and key:
            param.help = T(key)
    for sub, child in getattr(command, "commands", {}).items():
        localise_help(child, (*path, sub))


def leave() -> None:
    """End the process once a command has finished: its files are closed and its worker
    processes joined, so after flushing the output there is nothing left to do but the
    interpreter's teardown, which frees every module (numpy, pandas, scipy, matplotlib, Mesa)
    one by one and costs about 0.3 s."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed or broken pipe: nothing more can be written
            pass
    os._exit(0)


def main(argv: list[str] | None = None) -> None:
    """Entry point: bad input is one line on stderr and exit code 2, never a traceback."""
    if (lang := chosen_language(sys.argv[1:] if argv is None else argv)) in LANGUAGES:
        set_language(lang)
    if language() != "en":
        localise_help(cli)
    try:
        cli.main(args=argv, prog_name="collabsim", standalone_mode=False)
        if argv is None:  # the console script, its work done
            leave()
    except ScenarioError as exc:
        click.echo(T("cli.error", message=exc), err=True)
        sys.exit(EXIT_BAD_INPUT)
    except click.UsageError as exc:
        click.echo(T("cli.error", message=exc.format_message()).replace("\n", " "), err=True)
        sys.exit(EXIT_BAD_INPUT)
    except click.ClickException as exc:
        click.echo(T("cli.error", message=exc.format_message()), err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo(T("cli.interrupted"), err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo(T("cli.interrupted"), err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()

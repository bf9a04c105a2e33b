"""The `collabsim` command line: thin commands that parse, call the library and print."""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import datetime
from pathlib import Path

import click

from sim.scenario import ScenarioError, load_scenario
from sim.scenario.overrides import parse_assignments

EXIT_BAD_INPUT = 2


def log(ctx: click.Context, text: str) -> None:
    """Progress and notes go to stderr, silenced by -q/--quiet."""
    if not ctx.find_root().params.get("quiet"):
        click.echo(text, err=True)


def quiet_option(f):
    """-q/--quiet on every command (also accepted before the command name)."""
    def set_quiet(ctx, _param, value):
        if value:
            ctx.find_root().params["quiet"] = True
        return value
    return click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=set_quiet,
                        help="Print only results and errors.")(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-q", "--quiet", is_flag=True, help="Print only results and errors.")
@click.version_option(package_name="collabsim")
def cli(quiet: bool) -> None:
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
@quiet_option
@click.pass_context
def run(ctx, scenarios, steps, seed, sets, out, no_figures) -> None:
    """Run one or more scenario files once each; several files give one folder each under OUT."""
    from sim.experiment.single import run_scenario, write_run

    overrides = parse_assignments(sets)
    loaded = [load_scenario(p, overrides) for p in scenarios]  # every file checked before running
    out = out or default_out([str(p) for p in scenarios], seed or 0)
    for path, scenario in zip(scenarios, loaded):
        run_seed = seed if seed is not None else scenario["run.seed"]
        folder = out if len(scenarios) == 1 else out / folder_name(path)
        result = run_scenario(scenario, run_seed, steps)
        write_run(result, folder, figure=not no_figures)
        log(ctx, f"{scenario.name}: {result.steps} months, {result.n_actors} actors, "
                 f"{result.seconds:.2f} s → {folder}")
    click.echo(str(out))


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
                raise ScenarioError(path, "kind", "experiment files are checked when run by "
                                    "the experiment layer; allowed here: context, arrangement, "
                                    "scenario")
            load_scenario(path)
            log(ctx, f"ok  {path} ({kind})")
        except ScenarioError as exc:
            click.echo(f"error: {exc}", err=True)
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


def library_root() -> Path:
    """./scenarios if present, else the scenario library beside the package."""
    here = Path("scenarios")
    return here if here.is_dir() else Path(__file__).resolve().parent.parent / "scenarios"


@cli.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@quiet_option
def scenarios(folder) -> None:
    """List the scenario library: each file with its kind and description."""
    from sim.scenario.loader import describe

    root = folder or library_root()
    if not root.is_dir():
        raise ScenarioError(root, None, "folder not found; allowed: a folder of .toml files")
    for path in sorted(root.rglob("*.toml")):
        kind, description = describe(path)
        click.echo(f"{path.relative_to(root)!s:48} {kind:12} {description}")


def main(argv: list[str] | None = None) -> None:
    """Entry point: bad input is one line on stderr and exit code 2, never a traceback."""
    try:
        cli.main(args=argv, prog_name="collabsim", standalone_mode=False)
    except ScenarioError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except click.UsageError as exc:
        click.echo(f"error: {exc.format_message()}".replace("\n", " "), err=True)
        sys.exit(EXIT_BAD_INPUT)
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("interrupted: finished runs are kept", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("interrupted: finished runs are kept", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()

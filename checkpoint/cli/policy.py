"""`checkpoint policy`: the key-area list and the suggested dispositions (show, set); how a policy
prints and how --rule RULE=DISPOSITION reads, which `checkpoint township policy` shares."""

from __future__ import annotations

import click

from checkpoint.cli.context import as_options, db_option, open_as, open_station
from checkpoint.errors import InputError
from checkpoint.i18n import t


def parse_rules(items: tuple[str, ...], field: str | None = None) -> dict[str, str]:
    """--rule RULE=DISPOSITION options as {rule: disposition key}; a disposition no one knows is an
    InputError (naming `field` when given)."""
    from checkpoint.domain.policy import parse_disposition

    parsed: dict[str, str] = {}
    for item in items:
        rule, _, value = item.partition("=")
        key = parse_disposition(value)
        if not key:
            raise InputError("disposition.unknown", field=field, value=value)
        parsed[rule.strip()] = key
    return parsed


def echo_policy(policy, heading: str) -> None:
    """Print `heading`, the key areas and one line per rule of `policy` (station's or township's)."""
    click.echo(heading)
    click.echo(t("policy.key_areas", areas="、".join(policy.key_areas) or "-"))
    for rule in policy.RULE_FIELDS:
        click.echo(f"{t('policy.rule.' + rule)} ({rule}): {t('disposition.' + getattr(policy, rule))}")


@click.group()
def policy():
    """The key-area list and the suggested dispositions."""


@policy.command("show")
@db_option
@click.pass_context
def policy_show(ctx):
    from checkpoint.services.policy import current_policy

    p = current_policy(open_station(ctx, create=False))
    echo_policy(p, t("policy.version", version=p.version) if p.version else t("dayclose.policy_default"))


@policy.command("set")
@db_option
@as_options
@click.option("--key-areas", default=None, help="Comma-separated key areas (replaces the list).")
@click.option("--rule", "rules", multiple=True, help="RULE=DISPOSITION, e.g. outsider_default=turn-back")
@click.option("--note", default="")
@click.pass_context
def policy_set(ctx, as_name, pin, key_areas, rules, note):
    """Add a new policy version."""
    from checkpoint.services.policy import parse_key_areas, update_policy

    parsed = parse_rules(rules, field="rules")
    store, by = open_as(ctx, as_name, pin)
    areas = parse_key_areas(key_areas) if key_areas is not None else None
    p = update_policy(store, by, areas, parsed, note)
    click.echo(t("policy.saved", version=p.version))

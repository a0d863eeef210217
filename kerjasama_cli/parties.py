"""Naming a party of a record on the command line: by its 1-based position, its region (name,
alias or code, as the gazetteer resolves it) or its organisation's name, as `sign --number`
and `add --number`/`--signatory` do."""

from __future__ import annotations

from typing import Any

from kerjasama_cli.errors import UsageError
from kerjasama_cli.i18n import _

# (flag, party as given, key, value): a party's number or signatory given as a flag.
PartyExtra = tuple[str, str, str, Any]


def party_position(parties: list[Any], given: str, flag: str) -> int:
    """The 0-based position of the party ``given`` names: its 1-based position, its region
    (name or code, as the gazetteer resolves it) or its organisation's name."""
    from kerjasama_cli.gazetteer import load_gazetteer

    text = given.strip()
    if text.isdigit():
        position = int(text)
        if 1 <= position <= len(parties):
            return position - 1
        raise UsageError(
            _("{flag}: there is no party {position}; the record has {count} parties").format(
                flag=flag, position=position, count=len(parties)
            )
        )
    gazetteer = load_gazetteer()
    wanted = {text.casefold()}
    wanted |= {r.code for r in gazetteer.resolve(text).matches}
    found: list[int] = []
    for i, party in enumerate(parties):
        if not isinstance(party, dict):
            continue
        region = party.get("region")
        name = party.get("name")
        keys = {str(v).casefold() for v in (region, name) if v is not None}
        if region is not None:
            keys |= {r.code for r in gazetteer.resolve(str(region)).matches}
        if keys & wanted:
            found.append(i)
    if len(found) == 1:
        return found[0]
    if found:
        which = ", ".join(f"{i + 1} ({_party_label(parties[i])})" for i in found)
        raise UsageError(
            _("{flag}: {text!r} could be party {which}; give the party's position instead").format(
                flag=flag, text=text, which=which
            )
        )
    names = ", ".join(
        f"{i + 1} ({_party_label(p)})" for i, p in enumerate(parties) if isinstance(p, dict)
    )
    raise UsageError(
        _("{flag}: no party is {text!r}; expected a position or a party: {names}").format(
            flag=flag, text=text, names=names
        )
    )


def _party_label(party: dict[str, Any]) -> str:
    from kerjasama_cli.gazetteer import load_gazetteer

    if party.get("name"):
        return str(party["name"])
    region = str(party.get("region", ""))
    found = load_gazetteer().resolve(region).region
    return found.display_name if found else region


def apply_party_extras(data: dict[str, Any], extras: list[PartyExtra]) -> None:
    """Put each --number and --signatory on the party it names."""
    from kerjasama_cli.errors import UsageError

    if not extras:
        return
    parties = data.get("parties")
    if not isinstance(parties, list):
        raise UsageError(
            _("{flag}: the record has no parties to give it to").format(flag=extras[0][0])
        )
    for flag, party, key, value in extras:
        target = parties[party_position(parties, party, flag)]
        if not isinstance(target, dict):
            raise UsageError(
                _("{flag}: party {party} is not a mapping").format(flag=flag, party=party)
            )
        target[key] = value

"""`twoins people add|list|disable`: a region's people in the network's Keycloak realm.

A cluster manager's IT puts a new facilitator, expert or cluster manager into the region's
group with one realm role, lists who the region has, and disables who leaves, without the
Keycloak admin console. Every call goes through Keycloak's admin API (python-keycloak's
`KeycloakAdmin`), signed in as an administrator of the master realm.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from keycloak import KeycloakAdmin, KeycloakError
from rich.console import Console
from rich.table import Table

from twoins.common.languages import READING_LANGUAGES
from twoins.common.network import DEFAULT_NETWORK_FILE, load_network
from twoins.common.realm_config import CLUSTER_MANAGER, EXPERT, FACILITATOR, REALM

#: The roles a region gives its own people (a network coordinator is the network's, a node's
#: service account is made with the realm, neither through this command).
REGIONAL_ROLES = (FACILITATOR, EXPERT, CLUSTER_MANAGER)
#: The languages the console speaks.
CONSOLE_LANGUAGES = tuple(READING_LANGUAGES)
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ADMIN_PASSWORD_VARIABLE = "TWOINS_KEYCLOAK_ADMIN_PASSWORD"  # noqa: S105 - a variable's name
ADMIN_USER_VARIABLE = "TWOINS_KEYCLOAK_ADMIN_USER"


class PeopleError(Exception):
    """What went wrong, said so that the operator knows what to do next."""


@dataclass(frozen=True)
class Person:
    username: str
    email: str
    first_name: str
    last_name: str
    roles: tuple[str, ...]
    enabled: bool


class RegionPeople:
    """The people of one region: the members of its group in the realm."""

    def __init__(self, admin: KeycloakAdmin, region: str) -> None:
        self._admin = admin
        self.region = region
        self._group = self._group_id()

    def _group_id(self) -> str:
        try:
            group = self._admin.get_group_by_path(f"/{self.region}")
        except KeycloakError as error:
            if getattr(error, "response_code", None) != 404:
                raise  # signing in or reaching Keycloak failed: said by region_people
            raise PeopleError(
                f"the realm has no group /{self.region}: import the realm of deploy/keycloak/ "
                "(it has one group a region)"
            ) from error
        if not group or "id" not in group:
            raise PeopleError(f"the realm has no group /{self.region}")
        return str(group["id"])

    def add(
        self,
        username: str,
        role: str,
        email: str,
        first_name: str = "",
        last_name: str = "",
        locale: str = "",
    ) -> str:
        """Creates the person in the region's group with `role`; returns the temporary
        password they must change at first sign-in."""
        _check_username(username)
        if role not in REGIONAL_ROLES:
            raise PeopleError(f"--role must be one of {', '.join(REGIONAL_ROLES)}, not {role!r}")
        if not EMAIL.match(email):
            raise PeopleError(f"--email {email!r} is not an e-mail address")
        if self._admin.get_user_id(username) is not None:
            raise PeopleError(
                f"{username} already exists in the realm: `twoins people list --region "
                f"{self.region}` shows the region's people; choose another username"
            )
        password = secrets.token_urlsafe(12)
        user_id = self._admin.create_user(
            {
                "username": username,
                "email": email,
                "emailVerified": True,
                "firstName": first_name,
                "lastName": last_name,
                "enabled": True,
                "groups": [f"/{self.region}"],
                "attributes": {"locale": [locale]} if locale else {},
                "credentials": [{"type": "password", "value": password, "temporary": True}],
            },
            exist_ok=False,
        )
        try:
            self._admin.assign_realm_roles(user_id, [self._admin.get_realm_role(role)])
        except KeycloakError:
            self._admin.delete_user(user_id)  # no person without their role is left behind
            raise
        return password

    def list(self, role: str | None = None) -> list[Person]:
        people = []
        for member in self._admin.get_group_members(self._group, {"max": 1000}):
            roles = tuple(
                sorted(
                    found["name"]
                    for found in self._admin.get_realm_roles_of_user(member["id"])
                    if found["name"] in REGIONAL_ROLES
                )
            )
            if role is not None and role not in roles:
                continue
            people.append(
                Person(
                    member["username"],
                    member.get("email", ""),
                    member.get("firstName", ""),
                    member.get("lastName", ""),
                    roles,
                    bool(member.get("enabled", False)),
                )
            )
        return sorted(people, key=lambda person: person.username)

    def disable(self, username: str) -> None:
        """Disables the person and ends their sessions; only a member of this region."""
        _check_username(username)
        user_id = self._admin.get_user_id(username)
        if user_id is None:
            raise PeopleError(f"the realm has no user {username}")
        groups = {group["path"] for group in self._admin.get_user_groups(user_id)}
        if f"/{self.region}" not in groups:
            raise PeopleError(
                f"{username} is not one of {self.region}'s people: a region disables only its own"
            )
        self._admin.update_user(user_id, {"enabled": False})
        self._admin.user_logout(user_id)


def _check_username(username: str) -> None:
    if not USERNAME.match(username):
        raise PeopleError(
            f"{username!r} is not a username: 2 to 63 lower-case letters, digits, '.', '_' "
            "or '-', starting with a letter or digit"
        )


@contextmanager
def region_people(
    keycloak_url: str, admin_user: str, admin_password: str, region: str
) -> Iterator[RegionPeople]:
    try:
        admin = KeycloakAdmin(
            server_url=keycloak_url.rstrip("/") + "/",
            username=admin_user,
            password=admin_password,
            realm_name=REALM,
            user_realm_name="master",
            timeout=20,
        )
        yield RegionPeople(admin, region)
    except KeycloakError as error:
        raise PeopleError(_keycloak_reason(error, keycloak_url)) from error
    except OSError as error:
        raise PeopleError(
            f"Keycloak does not answer at {keycloak_url} ({error}): is it running "
            "(`make run` starts one), and is --keycloak-url right?"
        ) from error


def _keycloak_reason(error: KeycloakError, url: str) -> str:
    code = getattr(error, "response_code", None)
    body = getattr(error, "error_message", "") or str(error)
    if isinstance(body, bytes):
        body = body.decode(errors="replace")
    if code == 401 or "invalid_grant" in body:
        return (
            f"Keycloak at {url} refused the administrator's sign-in: check --admin-user and "
            f"{ADMIN_PASSWORD_VARIABLE}"
        )
    if code == 403:
        return "the administrator may not manage the realm's users: use a realm administrator"
    return f"Keycloak at {url} answered {code or 'an error'}: {body}"


def _default_keycloak_url(network_file: Path) -> str:
    network = load_network(network_file)
    port = urlsplit(network.network.identity_url).port or 8080
    return f"http://127.0.0.1:{port}"


_network_option = click.option(
    "--network",
    "network_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=DEFAULT_NETWORK_FILE,
    show_default=True,
    help="The network's regions (and where its Keycloak listens).",
)
_region_option = click.option(
    "--region", required=True, help="The region whose people these are, e.g. it-basilicata."
)
_keycloak_options = [
    click.option(
        "--keycloak-url",
        default=None,
        help="Keycloak's address (default: the network file's identity_url, on loopback).",
    ),
    click.option(
        "--admin-user",
        envvar=ADMIN_USER_VARIABLE,
        default="admin",
        show_default=True,
        help=f"A Keycloak administrator (or {ADMIN_USER_VARIABLE}).",
    ),
    click.option(
        "--admin-password",
        envvar=ADMIN_PASSWORD_VARIABLE,
        required=True,
        help=f"The administrator's password; better given as {ADMIN_PASSWORD_VARIABLE}.",
    ),
]


def _with_keycloak(command: Any) -> Any:
    for option in reversed([_network_option, _region_option, *_keycloak_options]):
        command = option(command)
    return command


@contextmanager
def _people(options: dict[str, Any]) -> Iterator[RegionPeople]:
    network_file: Path = options["network_file"]
    region: str = options["region"]
    try:
        regions = load_network(network_file).region_ids
    except (OSError, ValueError) as error:
        raise click.ClickException(f"cannot read {network_file}: {error}") from error
    if region not in regions:
        raise click.ClickException(
            f"--region {region!r} is not one of the network's: {', '.join(regions)}"
        )
    url = options["keycloak_url"] or _default_keycloak_url(network_file)
    try:
        with region_people(url, options["admin_user"], options["admin_password"], region) as found:
            yield found
    except PeopleError as error:
        raise click.ClickException(str(error)) from error


@click.group("people")
def people_group() -> None:
    """A region's people in the network's Keycloak: add, list, disable."""


@people_group.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(REGIONAL_ROLES), help="Their role.")
@click.option("--email", required=True, help="Their e-mail address.")
@click.option("--first-name", default="", help="Their first name.")
@click.option("--last-name", default="", help="Their last name.")
@click.option(
    "--locale",
    type=click.Choice(CONSOLE_LANGUAGES),
    default=None,
    help="The console's language for them (else their browser's).",
)
@_with_keycloak
def add(
    username: str,
    role: str,
    email: str,
    first_name: str,
    last_name: str,
    locale: str | None,
    **options: Any,
) -> None:
    """Adds USERNAME to the region with one role and a temporary password."""
    console = Console(stderr=True)
    with _people(options) as people:
        console.print(f"==> adding {username} to {people.region} as {role}")
        password = people.add(username, role, email, first_name, last_name, locale or "")
    console.print(f"[green]✓[/green] {username} added to {people.region} as {role}")
    console.print(
        "  temporary password (they choose their own at first sign-in; give it to them "
        "by a channel other than e-mail):"
    )
    click.echo(password)


@people_group.command("list")
@click.option("--role", type=click.Choice(REGIONAL_ROLES), default=None, help="Only this role.")
@click.option("--json", "as_json", is_flag=True, help="As JSON, for scripts.")
@_with_keycloak
def list_people(role: str | None, as_json: bool, **options: Any) -> None:
    """Lists the region's people, their roles and whether they may sign in."""
    with _people(options) as people:
        found = people.list(role)
    if as_json:
        click.echo(json.dumps([asdict(person) for person in found], indent=2))
        return
    table = Table(title=f"People of {people.region}")
    for column in ("username", "name", "e-mail", "roles", "enabled"):
        table.add_column(column)
    for person in found:
        table.add_row(
            person.username,
            f"{person.first_name} {person.last_name}".strip(),
            person.email,
            ", ".join(person.roles) or "—",
            "yes" if person.enabled else "no",
        )
    Console().print(table)
    Console(stderr=True).print(f"{len(found)} people")


@people_group.command("disable")
@click.argument("username")
@_with_keycloak
def disable(username: str, **options: Any) -> None:
    """Disables USERNAME (one of the region's people) and ends their sessions."""
    console = Console(stderr=True)
    with _people(options) as people:
        people.disable(username)
    console.print(
        f"[green]✓[/green] {username} disabled: they can no longer sign in, and their "
        "sessions are ended"
    )

"""Finds names of people and organisations: the SME's own, and third parties it does not know."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache

from twoins.node.domain.anonymiser.folding import FoldedText, compiled, fold
from twoins.node.domain.anonymiser.gazetteer import (
    LEGAL_FORMS,
    ORGANISATION_CUES,
    PERSON_CUES,
    PERSON_ORGANISATION_LINKS,
    PERSON_TITLES,
    country_names,
    first_names,
    last_names,
)
from twoins.node.domain.anonymiser.patterns import trie_pattern
from twoins.node.domain.anonymiser.spans import KnownIdentity, Span

_SCRIPTS = [*range(0x41, 0x250), *range(0x370, 0x400)]
UPPER = "".join(chr(code) for code in _SCRIPTS if chr(code).isupper())
LOWER = "".join(chr(code) for code in _SCRIPTS if chr(code).islower())
_U = f"[{re.escape(UPPER)}]"
_L = f"[{re.escape(LOWER)}]"
# A capitalised word: "Rossi", "D'Amelio", "Aix-en-Provence", "Ċensu", "Παπαδόπουλος".
CAPITALISED = (
    rf"{_U}(?:(?:{_L}|{_U})+(?:['’-]{_U}?(?:{_L}|{_U})+)*|['’]{_U}(?:{_L}|{_U})+"
    rf"(?:-{_U}?(?:{_L}|{_U})+)*)"
)
NAME_WORD = rf"(?:{CAPITALISED}|{_U}\.)"
_CONNECTORS = (
    r"(?:de|di|da|del|della|dello|dei|degli|des|du|van|von|der|dos|das|y|i|e|et|and|"
    r"&|ta'|tal-|tas-|ta|la|le|el|lo)"
)
LEGAL_FORM = "(?:" + "|".join(LEGAL_FORMS) + r")(?![\w])"

# Organisation: name words (some lower-case words allowed inside, "Chantier naval Mercier")
# and a legal form, optionally after a comma: "Tramuntana Tech, S.L.".
ORG_WITH_FORM = re.compile(
    rf"(?:{NAME_WORD}|\d+)"
    rf"(?:[ \u00a0](?:{NAME_WORD}|{_CONNECTORS}|{_L}+(?=[ \u00a0]{_U})|\d+)){{0,6}}"
    rf",?[ \u00a0]{LEGAL_FORM}"
)
# A capitalised run of two to five words. Only "&" and "and" may join them: "di", "de", "of"
# and "ta'" link a person to the organisation they work for, and split the run there.
_RUN_CONNECTORS = r"(?:&|and|y|i|e|et|van|von|der)"
CAPITALISED_RUN = re.compile(
    rf"(?<![\w@./-]){CAPITALISED}(?:[ \u00a0](?:{_RUN_CONNECTORS}[ \u00a0])?{CAPITALISED}){{1,4}}"
    r"(?![\w@])"
)
INITIAL_AND_SURNAME = re.compile(
    rf"(?<![\w.]){_U}\.[ \u00a0]?{_U}{_L}+(?:['’-]{_U}?{_L}+)*(?:[ \u00a0]{CAPITALISED})?"
)
# A surname and an initial: "Papadopoulou D.", "Fabre N.".
SURNAME_AND_INITIAL = re.compile(
    rf"(?<![\w.-]){_U}{_L}+(?:['’-]{_U}?{_L}+)*[ \u00a0]{_U}\.(?![\w])"
)
SINGLE_WORD = re.compile(CAPITALISED)

# Words that start a sentence or name a public body, a programme or a fair: a run that
# holds one is not a private party.
ARTICLES = frozenset(
    fold(word)
    for word in (
        "The",
        "A",
        "An",
        "La",
        "Il",
        "Lo",
        "Le",
        "Les",
        "L",
        "El",
        "Los",
        "Las",
        "Un",
        "Una",
        "Une",
        "Η",
        "Ο",
        "Το",
        "Την",
        "Τη",
        "Της",
        "Του",
        "Τον",
        "Οι",
        "Τα",
        "Il-",
        "L-",
        "Ir-",
        "Is-",
        "It-",
        "In-",
        "Id-",
        "Ix-",
        "Ta",
        "Dal",
        "Della",
        "Del",
        "Al",
        "Au",
        "Aux",
        "Per",
        "Para",
        "Pour",
        "For",
        "With",
        "Con",
        "Avec",
        "Με",
        "Για",
        "Από",
        "Στην",
        "Στη",
        "Στο",
        "Στον",
    )
)
PUBLIC_MARKERS = frozenset(
    fold(word)
    for word in (
        "University",
        "Università",
        "Universita",
        "Université",
        "Universitat",
        "Universidad",
        "Università",
        "Πανεπιστήμιο",
        "Πολυτεχνείο",
        "Polytechnic",
        "Politecnico",
        "Institute",
        "Istituto",
        "Institut",
        "Instituto",
        "Ινστιτούτο",
        "Horizon",
        "Interreg",
        "Eurostars",
        "Programme",
        "Program",
        "Programma",
        "Programa",
        "Europe",
        "Europa",
        "European",
        "Europeo",
        "Européen",
        "EIC",
        "ΕΣΠΑ",
        "ESPA",
        "PNRR",
        "FESR",
        "FEDER",
        "ERDF",
        "COSME",
        "LIFE",
        "Erasmus",
        "Messe",
        "Expo",
        "Fair",
        "Fiera",
        "Feria",
        "Foire",
        "Salon",
        "Salone",
        "Show",
        "Festival",
        "Week",
        "Summit",
        "Forum",
        "Congress",
        "Congresso",
        "Congrès",
        "Trade",
        "Chamber",
        "Camera",
        "Chambre",
        "Cámara",
        "Ministry",
        "Ministero",
        "Ministère",
        "Ministerio",
        "Υπουργείο",
        "Region",
        "Regione",
        "Région",
        "Región",
        "Περιφέρεια",
        "Council",
        "Consiglio",
        "Council",
        "Kunsill",
        "Agency",
        "Agenzia",
        "Agence",
        "Agencia",
        "Cluster",
        "Clusters",
        "Network",
        "Accelerator",
        "Tech",
        "Start",
        "Startup",
        "Fund",
        "Fondo",
        "Fonds",
        "Bank",
        "Banca",
        "Banque",
        "Banco",
        "Τράπεζα",
        "Worldwide",
        "International",
        "Internazionale",
        "CE",
        "UE",
        "EU",
        "DOP",
        "IGP",
        "DOC",
        "DOCG",
        "PDO",
        "PGI",
        "ΠΟΠ",
        "ΠΓΕ",
    )
)
# Places: a run of places is no party, unless it also holds a trade word ("Mallorca Olives").
PLACE_MARKERS = frozenset(
    fold(word)
    for word in (
        "Middle",
        "East",
        "Asia",
        "America",
        "Africa",
        "Paris",
        "Milano",
        "Bologna",
        "Hannover",
        "Düsseldorf",
        "Cologne",
        "Genova",
        "Barcelona",
        "Madrid",
        "Athens",
        "Αθήνα",
        "Malta",
        "Vision",
        "Food",
        "Fancy",
        "Digital",
        "Smart",
        "Green",
        "Blue",
        "Growth",
        "Neotec",
        "Tremplin",
        "Sud",
        "Nord",
        "Antipolis",
        "Sophia",
        "Patras",
        "Potenza",
        "Matera",
        "Palma",
        "Marseille",
        "Isla",
        "Italia",
        "France",
        "España",
        "Ελλάδα",
        "Greece",
        "Spain",
        "Italy",
        "Germany",
        "Deutschland",
        "Basilicata",
        "Attica",
        "Αττική",
        "Provence",
        "Balears",
        "Baleares",
        "Mallorca",
        "Menorca",
        "Ibiza",
        "Gozo",
        "Sicilia",
        "Puglia",
        "Calabria",
        "Campania",
        "Lombardia",
        "Toscana",
        "Occitanie",
        "Catalunya",
        "Andalucía",
        "Valencia",
        "Peloponnese",
        "Πελοπόννησος",
        "Crete",
        "Κρήτη",
        "ISO",
        "IEC",
        "NACE",
        "ATECO",
        "GDPR",
    )
)
SECTOR_WORDS = frozenset(
    fold(word)
    for word in (
        "Caseificio",
        "Frantoio",
        "Pastificio",
        "Cantine",
        "Cantina",
        "Tessitura",
        "Apicoltura",
        "Meccanica",
        "Arredamenti",
        "Ceramiche",
        "Oleificio",
        "Panificio",
        "Salumificio",
        "Falegnameria",
        "Officine",
        "Officina",
        "Costruzioni",
        "Trasporti",
        "Distribuzione",
        "Agricola",
        "Azienda",
        "Industrie",
        "Elettronica",
        "Teixits",
        "Olis",
        "Talleres",
        "Bodegas",
        "Bodega",
        "Náutica",
        "Nautica",
        "Construcciones",
        "Transportes",
        "Ortopedia",
        "Fromagerie",
        "Savonnerie",
        "Chantier",
        "Atelier",
        "Maison",
        "Boulangerie",
        "Confiserie",
        "Distillerie",
        "Brasserie",
        "Domaine",
        "Château",
        "Marine",
        "Boatyard",
        "Confectionery",
        "Ceramics",
        "Supplies",
        "Medical",
        "Foods",
        "Furniture",
        "Textiles",
        "Wines",
        "Winery",
        "Bakery",
        "Dairy",
        "Engineering",
        "Logistics",
        "Trading",
        "Systems",
        "Solutions",
        "Software",
        "Labs",
        "Group",
        "Holdings",
        "Industries",
        "Enterprises",
        "Imports",
        "Exports",
        "Aqua",
        "Honey",
        "Boats",
        "Shipyard",
        "Olive",
        "Olives",
        "Oils",
        "Seafood",
        "Fisheries",
        "Forn",
        "Pasta",
        "Cosmesi",
        "Cosmetics",
        "Cosmétiques",
        "Cosméticos",
        "Trade",
        "Deli",
        "Fish",
        "Farm",
        "Farms",
        "Garden",
        "Studio",
        "Consulting",
        "Services",
        "Servizi",
        "Catering",
        "Supermarket",
        "Supermarkets",
        "Supermercati",
        "Supermercato",
        "Supermercats",
        "Supermercados",
        "Supermarché",
        "Market",
        "Markets",
        "Mercato",
        "Mercado",
        "Store",
        "Stores",
        "Shop",
        "Shops",
        "Restaurant",
        "Restaurants",
        "Ristorante",
        "Hotel",
        "Hotels",
        "Pharma",
        "Pharmacy",
        "Farmacia",
        "Pharmacie",
        "Motors",
        "Auto",
        "Energy",
        "Energia",
        "Énergie",
        "Solar",
        "Drinks",
        "Beverages",
        "Coffee",
        "Caffè",
        "Café",
        "Vini",
        "Vinos",
        "Vins",
        "Oli",
        "Olio",
        "Aceites",
        "Huiles",
        "Conserve",
        "Conservas",
        "Conserverie",
        "Construction",
        "Constructions",
        "Builders",
        "Design",
        "Media",
        "Print",
        "Packaging",
        "Imballaggi",
        "Plastics",
        "Plastica",
        "Metals",
        "Metalli",
        "Steel",
        "Acciai",
        "Glass",
        "Verre",
        "Vetro",
        "Vetreria",
        "Textile",
        "Textiles",
        "Tessuti",
        "Fashion",
        "Moda",
        "Dolci",
        "Dolciaria",
        "Pâtisserie",
        "Pastelería",
        "Panadería",
        "Carni",
        "Macelleria",
        "Agro",
        "Agri",
        "Organics",
        "Nautisme",
        "Yachts",
        "Yachting",
        "Transport",
        "Shipping",
        "Tours",
        "Travel",
        "Viaggi",
        "Partners",
        "Associates",
        "Lab",
        "Laboratories",
        "Laboratorio",
        "Laboratoire",
        "Clinic",
        "Salt",
        "Pans",
        "Quesería",
        "Queso",
        "Formaggi",
        "Latte",
        "Lácteos",
        "Laiterie",
        "Dairy",
        "Salumi",
        "Embutidos",
        "Charcuterie",
        "Mobili",
        "Muebles",
        "Meubles",
        "Jewellery",
        "Gioielli",
        "Joyería",
        "Bijoux",
        "Tiles",
        "Marmi",
        "Stone",
        "Pietra",
        "Impianti",
        "Instalaciones",
        "Elettrica",
        "Electric",
        "Electronics",
        "Robotics",
        "Automation",
        "Automazione",
        "Biotech",
        "Diagnostics",
        "Cosmetica",
        "Beauty",
        "Spa",
        "Εμπορική",
        "Οινοποιία",
        "Τυροκομία",
        "Ζαχαροπλαστική",
        "Φούρνος",
        "Καταστήματα",
        "Ιχθυοκαλλιέργειες",
        "Αρτοποιία",
        "Ελαιουργία",
        "Οινοποιία",
        "Τυροκομείο",
        "Μελισσοκομία",
        "Επιπλοποιία",
        "Ναυπηγεία",
        "Εμπορική",
        "Βιομηχανία",
        "Τεχνική",
        "Κατασκευαστική",
    )
)
# First words of place names: "San Marino", "Porto Cesareo" are no trade and surname.
PLACE_PREFIXES = frozenset(
    fold(word)
    for word in (
        "San",
        "Santa",
        "Santo",
        "Sant",
        "Saint",
        "Sainte",
        "St",
        "Porto",
        "Port",
        "Monte",
        "Mont",
        "Costa",
        "Val",
        "Valle",
        "Villa",
        "Isola",
        "Cala",
        "Castel",
        "Castello",
        "Castell",
        "Bagni",
        "Lido",
        "Marina",
        "Capo",
        "Punta",
        "Torre",
        "Ville",
        "Aix",
        "Agios",
        "Agia",
        "Άγιος",
        "Αγία",
        "Ħal",
        "Bir",
        "Wied",
        "Ras",
    )
)
_COMMON_WORDS = frozenset(
    fold(word)
    for word in (
        "Via",
        "Santa",
        "San",
        "Santo",
        "Costa",
        "Marina",
        "Porto",
        "Villa",
        "Monte",
        "Mare",
        "Sole",
        "Terra",
        "Casa",
        "Nuova",
        "Grande",
        "Bella",
        "Fiore",
        "Luce",
        "Export",
        "Import",
        "Contact",
        "Email",
        "Tel",
        "Phone",
        "Mobile",
        "Website",
        "Referente",
    )
)
_TITLE_PATTERN = re.compile(
    r"(?<![\w.])(?:"
    + trie_pattern(PERSON_TITLES)
    + rf")[ \u00a0]+(?P<name>{CAPITALISED}(?:[ \u00a0]{CAPITALISED}){{0,3}})"
)
_CUE_PATTERN = re.compile(
    r"(?i:"
    + trie_pattern(PERSON_CUES)
    + rf")[\s,:]+(?P<name>{CAPITALISED}(?:[ \u00a0]{CAPITALISED}){{1,3}})"
)


_CUE_BEFORE = re.compile(r"(?<!\w)(?i:" + trie_pattern(PERSON_CUES) + r")[\s,:]+$")


def follows_person_cue(text: str, position: int) -> bool:
    """Whether a cue that a person's name follows ("la mia collega", "recomendó") ends just
    before `position`, and the word there is not an article ("la figlia del fondatore")."""
    word = re.match(r"[^\W\d_]+", text[position : position + 40])
    if word is None or fold(word.group()) in ARTICLES or re.fullmatch(_CONNECTORS, word.group()):
        return False
    return _CUE_BEFORE.search(text, max(0, position - 40), position) is not None


_RUN_WITH_INNER_LOWER = (
    rf"{CAPITALISED}(?:[ \u00a0](?:{_CONNECTORS}[ \u00a0])?(?:{CAPITALISED}|"
    rf"{_L}+(?=[ \u00a0]{_U}))){{0,4}}"
)
_ORG_CUE_PATTERN = re.compile(
    r"(?i:"
    + trie_pattern(ORGANISATION_CUES)
    + r")[ \u00a0]+(?:(?i:the|la|il|le|l'|el|η|ο|την|τον|lil|a)[ \u00a0]+)?"
    + rf"(?P<name>{_RUN_WITH_INNER_LOWER})"
)
_PERSON_OF_ORGANISATION = re.compile(
    rf"(?P<person>(?:{_U}\.[ \u00a0]?{CAPITALISED}|{CAPITALISED}[ \u00a0]{_U}\.|"
    rf"{CAPITALISED}(?:[ \u00a0]{CAPITALISED}){{1,3}}))"
    r"[ \u00a0]+(?:"
    + trie_pattern(PERSON_ORGANISATION_LINKS)
    + rf")[ \u00a0]+(?P<organisation>{_RUN_WITH_INNER_LOWER})"
)
_FAIR_CUE = re.compile(
    r"(?:salon|salone|fiera|feria|fair|messe|stand|έκθεση|fiera|trade show|"
    r"expo|exhibition|fira|wirja)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)


def _words(value: str) -> list[str]:
    return [fold(word) for word in re.findall(rf"{CAPITALISED}", value)]


def _strip_legal_form(name: str) -> str:
    return re.sub(rf",?\s*{LEGAL_FORM}\s*$", "", name).strip()


# Greek surnames change with case and gender: Παπαδόπουλος, του Παπαδόπουλου, η
# Παπαδοπούλου; Μακρής, Μακρή. Folded endings and what else they are written as.
_INFLECTED_ENDINGS = (("os", ("ou", "o")), ("is", ("i",)), ("as", ("a",)), ("es", ("e",)))


def _inflections(surname: str) -> list[str]:
    folded = fold(surname)
    if len(folded) < 5:
        return [folded]
    for ending, others in _INFLECTED_ENDINGS:
        if folded.endswith(ending):
            return [folded, *(folded[: -len(ending)] + other for other in others)]
    return [folded]


@cache
def _not_first_names() -> frozenset[str]:
    return _COMMON_WORDS | ARTICLES | SECTOR_WORDS | PLACE_PREFIXES


@lru_cache(maxsize=4096)
def written_forms(name: str) -> tuple[str, ...]:
    """The ways a person's name is written: as recorded, surname first, with an initial
    for the first name on either side ("G. Cifarelli", "Cifarelli G."), the surname
    inflected ("Παπαδοπούλου"); `find_all` then matches them in any case or accent."""
    parts = name.split()
    if len(parts) < 2:
        return (name,)
    first, surnames = parts[0], parts[1:]
    initial = fold(first)[:1] + "."
    forms = [name]
    for surname in [" ".join(surnames), *(() if len(surnames) == 1 else (surnames[0],))]:
        for inflected in _inflections(surname) if len(surnames) == 1 else [fold(surname)]:
            forms += [
                f"{first} {inflected}",
                f"{inflected} {first}",
                f"{initial} {inflected}",
                f"{inflected} {initial}",
            ]
    return tuple(dict.fromkeys(forms))


def find_known_names(text: str, folded: FoldedText, known: KnownIdentity) -> Iterator[Span]:
    """The SME's own names and its contacts' names, in any case, accent or script."""
    organisation_names = {known.legal_name, *known.trading_names, *known.extra_names}
    for name in list(organisation_names):
        organisation_names.add(_strip_legal_form(name))
    names = tuple(sorted(name for name in organisation_names if len(name.strip()) >= 3))
    for start, end in folded.find_any(names):
        yield Span(start, end, "ORG")
    forms = tuple(
        form
        for contact in known.contacts
        if contact.name.strip()
        for form in written_forms(contact.name)
    )
    for start, end in folded.find_any(forms):
        yield Span(start, end, "PERSON")
    for contact in known.contacts:
        if not contact.name.strip():
            continue
        parts = contact.name.split()
        if len(parts) >= 2 and len(parts[-1]) >= 4:
            # A relative or colleague of the same family: "Carmen Fiol" beside "Neus Fiol".
            surname = "|".join(re.escape(form) for form in _inflections(parts[-1]))
            relatives = compiled(
                rf"(?<![\w-])(?P<first>[a-z][a-z'-]{{2,}}) (?:{surname})(?![a-z0-9])"
            )
            for match in relatives.finditer(folded.folded):
                first = match.group("first")
                if first not in _not_first_names() and (
                    first in first_names() or first not in last_names()
                ):
                    yield Span(
                        folded.origin[match.start()], folded.origin[match.end() - 1] + 1, "PERSON"
                    )
            # The surname after a title ("Sig. Ferrara", "κ. Παπαδόπουλος").
            for match in _TITLE_PATTERN.finditer(text):
                if fold(match.group("name")).split()[-1] == fold(parts[-1]):
                    yield Span(match.start("name"), match.end("name"), "PERSON")


def find_organisations(text: str) -> Iterator[Span]:
    for match in ORG_WITH_FORM.finditer(text):
        start = match.start()
        # Drop leading articles and sentence words: "Η Nikolaou S.A." -> "Nikolaou S.A.".
        words = list(re.finditer(r"\S+", match.group()))
        while len(words) > 1 and (
            fold(words[0].group()).strip("'’") in ARTICLES or words[0].group()[0].islower()
        ):
            words.pop(0)
        # "Fornisce già Oleificio ... S.r.l.": a sentence's verb and adverb are not the name,
        # while a trade word keeps its lower-case companion ("Chantier naval Mercier SASU").
        while (
            len(words) > 2
            and words[1].group()[0].islower()
            and not re.fullmatch(_CONNECTORS, words[1].group())
            and fold(words[0].group()) not in SECTOR_WORDS
        ):
            del words[:2]
            while len(words) > 1 and words[0].group()[0].islower():
                words.pop(0)
        start = match.start() + words[0].start()
        linked = _PERSON_OF_ORGANISATION.match(text, start, match.end())
        if linked is not None and (
            _is_person_name(_words(linked.group("person"))[:2])
            or INITIAL_AND_SURNAME.fullmatch(linked.group("person"))
            or SURNAME_AND_INITIAL.fullmatch(linked.group("person"))
        ):
            start = linked.start("organisation")
        yield Span(start, match.end(), "ORG")


def _is_person_name(words: list[str]) -> bool:
    """A first name and surnames, or a surname written first ("Mercier Thomas", "Pappas
    Nikos"): a listed surname, then a listed first name."""
    if len(words) < 2 or len(words) > 4:
        return False
    if any(word in _COMMON_WORDS for word in words[:2]):
        return False
    if words[0] not in first_names():
        return len(words) == 2 and words[0] in last_names() and words[1] in first_names()
    return all(word in last_names() or word in first_names() or len(word) > 3 for word in words[1:])


def _is_public(text: str, start: int, words: list[str]) -> bool:
    if any(word in PUBLIC_MARKERS for word in words):
        return True
    if any(word in PLACE_MARKERS for word in words) and not any(
        word in SECTOR_WORDS for word in words
    ):
        return True
    return bool(_FAIR_CUE.search(text[max(0, start - 30) : start]))


def find_cued_organisations(text: str) -> Iterator[Span]:
    """Organisations named where the sentence says one follows: a customer, a distributor,
    the employer of a person."""
    for match in _ORG_CUE_PATTERN.finditer(text):
        name = match.group("name")
        words = _words(name)
        # The cue says an organisation follows: a place in its name does not make it public.
        public = any(word in PUBLIC_MARKERS for word in words) or _FAIR_CUE.search(
            text[max(0, match.start("name") - 30) : match.start("name")]
        )
        if words and not public and not (len(words) == 1 and words[0] in ARTICLES):
            if _is_person_name(words) and not any(word in SECTOR_WORDS for word in words):
                continue
            yield Span(match.start("name"), match.end("name"), "ORG")
    for match in _PERSON_OF_ORGANISATION.finditer(text):
        person_words = _words(match.group("person"))
        while person_words and person_words[0] in ARTICLES:
            person_words.pop(0)
        if not _is_person_name(person_words[-3:]) and not _is_person_name(person_words[:2]):
            continue
        organisation_words = _words(match.group("organisation"))
        if organisation_words and not _is_public(
            text, match.start("organisation"), organisation_words
        ):
            yield Span(match.start("organisation"), match.end("organisation"), "ORG")
            person = match.group("person")
            skip = len(person) - len(person.lstrip())
            raw = re.findall(CAPITALISED, person)
            if raw and fold(raw[0]) in ARTICLES:
                skip = person.index(raw[1])
            yield Span(match.start("person") + skip, match.end("person"), "PERSON")


def find_people(text: str) -> Iterator[Span]:
    for match in _TITLE_PATTERN.finditer(text):
        words = _words(match.group("name"))
        if not any(word in PUBLIC_MARKERS for word in words):
            yield Span(match.start("name"), match.end("name"), "PERSON")
    for match in _CUE_PATTERN.finditer(text):
        words = _words(match.group("name"))
        if _is_person_name(words[:2]) or (
            words
            and (words[-1] in last_names() or (len(words) == 2 and words[1] in first_names()))
            and not any(w in SECTOR_WORDS or w in _COMMON_WORDS for w in words)
        ):
            yield Span(match.start("name"), match.end("name"), "PERSON")
    for match in INITIAL_AND_SURNAME.finditer(text):
        surname = fold(match.group().split(".", 1)[1].strip().split()[0])
        if surname in last_names() or (
            len(surname) >= 3 and surname not in PUBLIC_MARKERS and surname not in SECTOR_WORDS
        ):
            yield Span(match.start(), match.end(), "PERSON")
    for match in SURNAME_AND_INITIAL.finditer(text):
        surname = fold(match.group().split()[0])
        if surname in last_names() and surname not in _COMMON_WORDS | PUBLIC_MARKERS:
            yield Span(match.start(), match.end(), "PERSON")


def find_capitalised_runs(text: str) -> Iterator[Span]:
    """Third parties nobody labelled: a person by the name lists, or an organisation by the
    surname or trade word it carries. Runs that name a public body, fair or place are left."""
    for match in CAPITALISED_RUN.finditer(text):
        raw_words = re.findall(rf"{CAPITALISED}", match.group())
        words = [fold(word) for word in raw_words]
        offset = 0
        while words and words[0] in ARTICLES:
            offset = match.group().index(raw_words[1]) if len(raw_words) > 1 else 0
            raw_words.pop(0)
            words.pop(0)
        if len(words) < 2 or _is_public(text, match.start(), words):
            continue
        if fold(text[match.start() + offset : match.end()]) in country_names():
            continue
        if all(word.upper() == word for word in raw_words):
            continue  # acronyms
        start = match.start() + offset
        if any(word in SECTOR_WORDS for word in words) and any(
            word in last_names() or word not in SECTOR_WORDS for word in words
        ):
            yield Span(start, match.end(), "ORG")
        elif _is_person_name(words):
            yield Span(start, match.end(), "PERSON")
        elif (
            len(words) == 2
            and words[1] in last_names()
            and words[0] not in first_names()
            and words[0] not in PLACE_PREFIXES
            and words[0] not in _COMMON_WORDS
            and raw_words[0][1:].islower()
        ):
            # "<trade> <surname>", the way small firms are named: "Forn Pons", "Olis Coll".
            yield Span(start, match.end(), "ORG")

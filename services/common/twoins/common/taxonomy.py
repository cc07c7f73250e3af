"""Code lists the network shares: NACE Rev. 2, countries, languages, partner NUTS 2 regions."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pycountry
from babel import Locale
from stdnum.eu import nace as stdnum_nace
from stdnum.exceptions import ValidationError as StdnumValidationError

#: Languages of the user interface and of every label in this module.
LABEL_LANGUAGES = ("en", "it", "el", "fr", "es", "mt")

NACE_REVISION = "2.0"  # NACE Rev. 2 (2008); python-stdnum defaults to Rev. 2.1.

# Official titles of the 21 NACE Rev. 2 sections (Eurostat), in the label languages; the
# Maltese ones are added below the table.
# python-stdnum ships the English titles of every level; translated titles below the
# section level are not packaged anywhere, so divisions fall back to English.
_NACE_SECTION_TITLES: dict[str, dict[str, str]] = {
    "A": {
        "it": "Agricoltura, silvicoltura e pesca",
        "el": "Γεωργία, δασοκομία και αλιεία",
        "fr": "Agriculture, sylviculture et pêche",
        "es": "Agricultura, ganadería, silvicultura y pesca",
    },
    "B": {
        "it": "Estrazione di minerali da cave e miniere",
        "el": "Ορυχεία και λατομεία",
        "fr": "Industries extractives",
        "es": "Industrias extractivas",
    },
    "C": {
        "it": "Attività manifatturiere",
        "el": "Μεταποίηση",
        "fr": "Industrie manufacturière",
        "es": "Industria manufacturera",
    },
    "D": {
        "it": "Fornitura di energia elettrica, gas, vapore e aria condizionata",
        "el": "Παροχή ηλεκτρικού ρεύματος, φυσικού αερίου, ατμού και κλιματισμού",
        "fr": "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné",
        "es": "Suministro de energía eléctrica, gas, vapor y aire acondicionado",
    },
    "E": {
        "it": "Fornitura di acqua; reti fognarie, attività di gestione dei rifiuti e risanamento",
        "el": "Παροχή νερού· επεξεργασία λυμάτων, διαχείριση αποβλήτων και δραστηριότητες "
        "εξυγίανσης",
        "fr": "Production et distribution d'eau; assainissement, gestion des déchets et "
        "dépollution",
        "es": "Suministro de agua, actividades de saneamiento, gestión de residuos y "
        "descontaminación",
    },
    "F": {"it": "Costruzioni", "el": "Κατασκευές", "fr": "Construction", "es": "Construcción"},
    "G": {
        "it": "Commercio all'ingrosso e al dettaglio; riparazione di autoveicoli e motocicli",
        "el": "Χονδρικό και λιανικό εμπόριο· επισκευή μηχανοκίνητων οχημάτων και μοτοσυκλετών",
        "fr": "Commerce; réparation d'automobiles et de motocycles",
        "es": "Comercio al por mayor y al por menor; reparación de vehículos de motor y "
        "motocicletas",
    },
    "H": {
        "it": "Trasporto e magazzinaggio",
        "el": "Μεταφορά και αποθήκευση",
        "fr": "Transports et entreposage",
        "es": "Transporte y almacenamiento",
    },
    "I": {
        "it": "Attività dei servizi di alloggio e di ristorazione",
        "el": "Δραστηριότητες υπηρεσιών παροχής καταλύματος και υπηρεσιών εστίασης",
        "fr": "Hébergement et restauration",
        "es": "Hostelería",
    },
    "J": {
        "it": "Servizi di informazione e comunicazione",
        "el": "Ενημέρωση και επικοινωνία",
        "fr": "Information et communication",
        "es": "Información y comunicaciones",
    },
    "K": {
        "it": "Attività finanziarie e assicurative",
        "el": "Χρηματοπιστωτικές και ασφαλιστικές δραστηριότητες",
        "fr": "Activités financières et d'assurance",
        "es": "Actividades financieras y de seguros",
    },
    "L": {
        "it": "Attività immobiliari",
        "el": "Διαχείριση ακίνητης περιουσίας",
        "fr": "Activités immobilières",
        "es": "Actividades inmobiliarias",
    },
    "M": {
        "it": "Attività professionali, scientifiche e tecniche",
        "el": "Επαγγελματικές, επιστημονικές και τεχνικές δραστηριότητες",
        "fr": "Activités spécialisées, scientifiques et techniques",
        "es": "Actividades profesionales, científicas y técnicas",
    },
    "N": {
        "it": "Noleggio, agenzie di viaggio, servizi di supporto alle imprese",
        "el": "Διοικητικές και υποστηρικτικές δραστηριότητες",
        "fr": "Activités de services administratifs et de soutien",
        "es": "Actividades administrativas y servicios auxiliares",
    },
    "O": {
        "it": "Amministrazione pubblica e difesa; assicurazione sociale obbligatoria",
        "el": "Δημόσια διοίκηση και άμυνα· υποχρεωτική κοινωνική ασφάλιση",
        "fr": "Administration publique et défense; sécurité sociale obligatoire",
        "es": "Administración pública y defensa; seguridad social obligatoria",
    },
    "P": {"it": "Istruzione", "el": "Εκπαίδευση", "fr": "Enseignement", "es": "Educación"},
    "Q": {
        "it": "Sanità e assistenza sociale",
        "el": "Δραστηριότητες σχετικές με την ανθρώπινη υγεία και την κοινωνική μέριμνα",
        "fr": "Santé humaine et action sociale",
        "es": "Actividades sanitarias y de servicios sociales",
    },
    "R": {
        "it": "Attività artistiche, sportive, di intrattenimento e divertimento",
        "el": "Τέχνες, διασκέδαση και ψυχαγωγία",
        "fr": "Arts, spectacles et activités récréatives",
        "es": "Actividades artísticas, recreativas y de entretenimiento",
    },
    "S": {
        "it": "Altre attività di servizi",
        "el": "Άλλες δραστηριότητες παροχής υπηρεσιών",
        "fr": "Autres activités de services",
        "es": "Otros servicios",
    },
    "T": {
        "it": "Attività di famiglie e convivenze come datori di lavoro per personale "
        "domestico; produzione di beni e servizi indifferenziati per uso proprio",
        "el": "Δραστηριότητες νοικοκυριών ως εργοδοτών· μη διαφοροποιημένες δραστηριότητες "
        "νοικοκυριών που αφορούν την παραγωγή αγαθών και υπηρεσιών για ιδία χρήση",
        "fr": "Activités des ménages en tant qu'employeurs; activités indifférenciées des "
        "ménages en tant que producteurs de biens et services pour usage propre",
        "es": "Actividades de los hogares como empleadores de personal doméstico y como "
        "productores de bienes y servicios para uso propio",
    },
    "U": {
        "it": "Organizzazioni ed organismi extraterritoriali",
        "el": "Δραστηριότητες ετερόδικων οργανισμών και φορέων",
        "fr": "Activités extra-territoriales",
        "es": "Actividades de organizaciones y organismos extraterritoriales",
    },
}

_NACE_SECTION_TITLES_MT = {
    "A": "Agrikoltura, forestrija u sajd",
    "B": "Tħaffir fil-minjieri u barrieri",
    "C": "Manifattura",
    "D": "Provvista ta' elettriku, gass, fwar u arja kkundizzjonata",
    "E": "Provvista tal-ilma; drenaġġ, immaniġġjar tal-iskart u attivitajiet ta' rimedju",
    "F": "Kostruzzjoni",
    "G": "Kummerċ bl-ingrossa u bl-imnut; tiswija ta' vetturi bil-mutur u muturi",
    "H": "Trasport u ħżin",
    "I": "Attivitajiet ta' akkomodazzjoni u servizzi tal-ikel",
    "J": "Informazzjoni u komunikazzjoni",
    "K": "Attivitajiet finanzjarji u tal-assigurazzjoni",
    "L": "Attivitajiet tal-proprjetà immobbli",
    "M": "Attivitajiet professjonali, xjentifiċi u tekniċi",
    "N": "Attivitajiet ta' servizzi amministrattivi u ta' appoġġ",
    "O": "Amministrazzjoni pubblika u difiża; sigurtà soċjali obbligatorja",
    "P": "Edukazzjoni",
    "Q": "Attivitajiet tas-saħħa tal-bniedem u ta' ħidma soċjali",
    "R": "Arti, divertiment u rikreazzjoni",
    "S": "Attivitajiet ta' servizzi oħra",
    "T": "Attivitajiet tal-familji bħala impjegaturi; attivitajiet tal-familji li "
    "jipproduċu oġġetti u servizzi għall-użu proprju",
    "U": "Attivitajiet ta' organizzazzjonijiet u korpi extraterritorjali",
}
for _letter, _title in _NACE_SECTION_TITLES_MT.items():
    _NACE_SECTION_TITLES[_letter]["mt"] = _title


# NUTS 2 regions of the partner clusters (NUTS 2021), with their names as used locally.
_PARTNER_NUTS2: dict[str, dict[str, str]] = {
    "EL30": {"en": "Attica", "it": "Attica", "el": "Αττική", "fr": "Attique", "es": "Ática"},
    "EL63": {
        "en": "Western Greece",
        "it": "Grecia occidentale",
        "el": "Δυτική Ελλάδα",
        "fr": "Grèce-Occidentale",
        "es": "Grecia Occidental",
    },
    "FRL0": {
        "en": "Provence-Alpes-Côte d'Azur",
        "it": "Provenza-Alpi-Costa Azzurra",
        "el": "Προβηγκία-Άλπεις-Κυανή Ακτή",
        "fr": "Provence-Alpes-Côte d'Azur",
        "es": "Provenza-Alpes-Costa Azul",
    },
    "ITF5": {
        "en": "Basilicata",
        "it": "Basilicata",
        "el": "Βασιλικάτα",
        "fr": "Basilicate",
        "es": "Basilicata",
    },
    "ES53": {
        "en": "Balearic Islands",
        "it": "Isole Baleari",
        "el": "Βαλεαρίδες Νήσοι",
        "fr": "Îles Baléares",
        "es": "Illes Balears",
    },
    "MT00": {"en": "Malta", "it": "Malta", "el": "Μάλτα", "fr": "Malte", "es": "Malta"},
}

# Eurostat writes Greece as EL; ISO 3166 as GR. We store ISO and accept both.
_EU_COUNTRY_ALIASES = {"EL": "GR", "UK": "GB"}


_NACE_FORMAT = re.compile(r"^(?:[A-U]|[0-9]{2}(?:\.?[0-9]{1,2})?)$")


class UnknownCode(ValueError):
    """A code that is not in its code list; the message says which list and what was given."""


@dataclass(frozen=True, slots=True)
class NaceActivity:
    """An entry of NACE Rev. 2: section ("C"), division ("10"), group ("10.4"), class ("10.41")."""

    code: str
    level: str  # "section", "division", "group" or "class"
    section: str
    division: str  # empty for a section
    label_en: str

    def label(self, language: str = "en") -> str:
        if self.level == "section":
            return _NACE_SECTION_TITLES[self.code].get(language, self.label_en)
        return self.label_en


def _format_nace(compact: str) -> str:
    if len(compact) <= 2:
        return compact
    return f"{compact[:2]}.{compact[2:]}"


@functools.lru_cache(maxsize=4096)
def nace_activity(code: str) -> NaceActivity:
    """Looks up a NACE Rev. 2 code written with or without the dot ("62.01", "6201", "c")."""
    written = code.strip().upper()
    if not _NACE_FORMAT.match(written):
        raise UnknownCode(
            f"{code!r} is not a NACE Rev. 2 code: write a section letter ('C'), "
            "a division ('10'), a group ('10.4') or a class ('10.41')"
        )
    compact = written.replace(".", "")
    levels = {1: "section", 2: "division", 3: "group", 4: "class"}
    try:
        info = stdnum_nace.info(compact, revision=NACE_REVISION)
    except StdnumValidationError:
        raise UnknownCode(f"{code!r} does not exist in NACE Rev. 2") from None
    if len(compact) == 1:
        return NaceActivity(compact, "section", compact, "", info["label"].capitalize())
    division = compact[:2]
    section = stdnum_nace.info(division, revision=NACE_REVISION)["section"]
    return NaceActivity(
        _format_nace(compact), levels[len(compact)], section, division, info["label"]
    )


def nace_sections() -> list[NaceActivity]:
    return [nace_activity(letter) for letter in sorted(_NACE_SECTION_TITLES)]


@functools.cache
def nace_divisions() -> list[NaceActivity]:
    divisions = []
    for number in range(1, 100):
        try:
            divisions.append(nace_activity(f"{number:02d}"))
        except UnknownCode:
            continue
    return divisions


def normalise_country(code: str) -> str:
    """Returns the ISO 3166-1 alpha-2 code for `code`, accepting the EU's EL for Greece."""
    candidate = code.strip().upper()
    candidate = _EU_COUNTRY_ALIASES.get(candidate, candidate)
    if len(candidate) != 2 or pycountry.countries.get(alpha_2=candidate) is None:
        raise UnknownCode(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return candidate


def eu_country_code(iso_code: str) -> str:
    """The code the EU uses for a country (EL for Greece), as in VAT ids and NUTS codes."""
    return {"GR": "EL"}.get(iso_code, iso_code)


def country_name(iso_code: str, language: str = "en") -> str:
    return str(Locale.parse(language).territories.get(iso_code, iso_code))


#: The ISO 639-1 language codes. Kept here rather than asked of pycountry, whose ISO 639-3
#: table (about 8,000 languages) held 4.5 MiB of every node for 184 two-letter codes; a test
#: checks them against pycountry's.
_ISO_639_1 = (
    "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu "
    "cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he "
    "hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko "
    "kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd "
    "ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se "
    "sg sh si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw "
    "ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu"
)
ISO_639_1_CODES = frozenset(_ISO_639_1.split())


def normalise_language(code: str) -> str:
    """Returns the ISO 639-1 code for `code`."""
    candidate = code.strip().lower()
    if candidate not in ISO_639_1_CODES:
        raise UnknownCode(f"{code!r} is not an ISO 639-1 language code")
    return candidate


def language_name(code: str, language: str = "en") -> str:
    return str(Locale.parse(language).languages.get(code, code))


def partner_nuts2_codes() -> list[str]:
    return sorted(_PARTNER_NUTS2)


def nuts2_name(code: str, language: str = "en") -> str:
    try:
        names = _PARTNER_NUTS2[code]
    except KeyError:
        raise UnknownCode(f"{code!r} is not the NUTS 2 code of a partner region") from None
    return names.get(language, names["en"])


def nuts2_country(code: str) -> str:
    """ISO country of a NUTS code (its first two letters are the EU country code)."""
    return normalise_country(code[:2])

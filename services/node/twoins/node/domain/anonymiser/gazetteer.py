"""Word lists the name and address detectors use: person names, legal forms, street types."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from twoins.node.domain.anonymiser.folding import fold


@cache
def _names(file_name: str) -> frozenset[str]:
    text = (files("twoins.node.domain.anonymiser") / "data" / file_name).read_text("utf-8")
    return frozenset(fold(line) for line in text.splitlines() if line and not line.startswith("#"))


def first_names() -> frozenset[str]:
    return _names("first_names.txt")


def last_names() -> frozenset[str]:
    return _names("last_names.txt")


# Legal forms written after a company's name, in the partner countries and their neighbours.
LEGAL_FORMS = (
    r"S\.?\s?p\.?\s?A\.?", r"S\.?\s?r\.?\s?l\.?(?:\s?s\.?)?", r"S\.?\s?n\.?\s?c\.?",
    r"S\.?\s?a\.?\s?s\.?", r"S\.?\s?a\.?\s?p\.?\s?a\.?", r"Soc\.\s?Coop\.?(?:\s?a\s?r\.?\s?l\.?)?",
    r"S\.?\s?C\.?\s?a\.?\s?r\.?\s?l\.?", r"Società Cooperativa", r"s\.?\s?c\.?\s?a\.?\s?r\.?\s?l\.?",
    r"S\.?\s?A\.?\s?S\.?\s?U\.?", r"S\.?\s?A\.?\s?S\.?", r"S\.?\s?A\.?\s?R\.?\s?L\.?",
    r"E\.?\s?U\.?\s?R\.?\s?L\.?", r"S\.?\s?C\.?\s?O\.?\s?P\.?", r"S\.?\s?N\.?\s?C\.?",
    r"S\.?\s?A\.?", r"SE", r"S\.?\s?L\.?\s?U\.?", r"S\.?\s?L\.?\s?L\.?", r"S\.?\s?L\.?",
    r"S\.?\s?Coop\.?(?:\s?And\.?)?", r"S\.?\s?C\.?", r"C\.?\s?B\.?",
    r"Ltd\.?", r"Limited", r"L\.?L\.?C\.?", r"PLC", r"plc", r"LLP", r"Inc\.?", r"Corp\.?",
    r"GmbH(?:\s?&\s?Co\.?\s?KG)?", r"AG", r"KG", r"B\.?V\.?", r"N\.?V\.?",
    r"A\.?\s?E\.?", r"Α\.?\s?Ε\.?", r"Α\.?\s?Β\.?\s?Ε\.?\s?Ε\.?", r"A\.?\s?B\.?\s?E\.?\s?E\.?",
    r"Ο\.?\s?Ε\.?", r"O\.?\s?E\.?", r"Ε\.?\s?Ε\.?", r"E\.?\s?E\.?", r"Ε\.?\s?Π\.?\s?Ε\.?",
    r"E\.?\s?P\.?\s?E\.?", r"Ι\.?\s?Κ\.?\s?Ε\.?", r"I\.?\s?K\.?\s?E\.?", r"Μ\.?\s?Ι\.?\s?Κ\.?\s?Ε\.?",
    r"G\.?\s?P\.?", r"Co\.?\s?G\.?\s?P\.?", r"& Co\.?", r"& Cie", r"& C\.", r"& ΣΙΑ", r"& Sons",
    r"& Fils", r"& Figli", r"& Hijos", r"Bros\.?(?:\s?(?:Ltd\.?|Limited))?", r"e Figli",
    r"et Fils", r"Fratelli", r"Hermanos", r"Sp\.\s?z\s?o\.\s?o\.", r"s\.\s?r\.\s?o\.",
    r"d\.\s?o\.\s?o\.", r"Kft\.?", r"AB", r"A/S", r"ApS", r"Oy", r"P\.\s?C\.",
    r"Ι\.\s?Κ\.\s?Ε\.", r"Lda\.?", r"Unipessoal", r"S\.\s?C\.\s?S\.",
    r"srl", r"s\.r\.l\.", r"spa", r"s\.p\.a\.", r"snc", r"s\.n\.c\.", r"sarl", r"sasu", r"gmbh",
    r"ltd\.?",
)

# Words before an organisation's name that say an organisation follows.
ORGANISATION_CUES = (
    "customer is", "client is", "largest customer is", "main customer is", "supply",
    "supplies", "already supply", "already supplies", "distributor,", "previous distributor,",
    "former distributor,", "importer,", "our client,", "notre client,",
    "il nostro cliente,", "nuestro cliente,", "la société", "la società", "the company",
    "la empresa", "η εταιρεία", "il-kumpanija", "l'azienda", "l'entreprise", "the firm", "buyer at", "works with", "working with",
    "cliente principale è", "il cliente principale è", "fornisce già", "rifornisce già",
    "fornisce", "distributore,", "precedente distributore,", "ex distributore,",
    "importatore,", "principal client est", "le principal client est", "fournit déjà",
    "fournit", "distributeur,", "ancien distributeur,", "importateur,",
    "cliente principal es", "su cliente principal es", "suministra a", "ya suministra a",
    "distribuidor,", "antiguo distribuidor,", "importador,",
    "πελάτης είναι η", "πελάτης είναι ο", "προμηθεύει την", "προμηθεύει τον", "διανομέας, η",
    "διανομέας, ο", "προηγούμενος διανομέας, η",
    "klijent ewlieni hu", "il-klijent ewlieni hu", "distributur preċedenti,", "diġà jforni lil",
    "jforni lil", "diġà tforni lil", "tforni lil",
)
# Words between a person and the organisation they work for: "Anna Rossi di Frantoio Rossi".
PERSON_ORGANISATION_LINKS = ("di", "de", "of", "ta'", "from", "da", "από την", "από τη",
                             "από το", "της", "at", "chez", "del", "de la")

# Titles and honorifics written before a person's name (outside the PERSON span).
PERSON_TITLES = (
    "Dr", "Dr.", "Dott.", "Dott.ssa", "Dottssa", "Sig.", "Sig.ra", "Sig.na", "Sigg.", "Ing.",
    "Avv.", "Arch.", "Prof.", "Prof.ssa", "Geom.", "Rag.", "Mr", "Mr.", "Mrs", "Mrs.", "Ms",
    "Ms.", "Miss", "Sir", "M.", "Mme", "Mme.", "Mlle", "Me", "Maître", "Sr.", "Sra.", "Srta.",
    "D.", "Dña.", "Dª", "Don", "Doña", "κ.", "Κ.", "κα", "κα.", "Δρ.", "Καθ.", "Is-Sur",
    "Is-Sinjura", "Sur", "Sinjura", "Dott", "Mister", "Madame", "Monsieur", "Signor", "Signora",
    "Señor", "Señora", "Herr", "Frau",
)

# Words in front of a person's name that say a person follows.
PERSON_CUES = (
    "contact", "contact person", "referente", "titolare", "la titolare", "il titolare",
    "collega", "my colleague", "colleague", "owner", "the owner", "buyer", "founder",
    "ceo", "manager", "gérant", "gérante", "la gérante", "le gérant", "interlocuteur",
    "interlocutrice", "contacto", "persona de contacto", "propietario", "propietaria",
    "gerente", "comprador", "compradora", "acheteur", "acheteuse", "xerrej", "xerrejja",
    "kuntatt", "sid", "sidt", "ιδιοκτήτης", "ιδιοκτήτρια", "υπεύθυνος", "υπεύθυνη",
    "επικοινωνίας", "αγοραστής", "αγοράστρια", "συνάδελφος", "signalati da", "segnalati da",
    "recommended by", "introduced by", "referred by", "recomendó", "recommandé par",
    "nous a été présenté par", "ci ha presentato", "σύστησε ο", "σύστησε η",
    "founder", "fondatore", "fondatrice", "fondateur", "fondatrice", "fundador", "fundadora",
    "fundatur", "ιδρυτής", "ιδρύτρια", "son", "daughter", "figlio", "figlia", "hijo", "hija",
    "fils", "fille", "bint", "iben", "γιος", "κόρη", "accountant", "commercialista",
    "comptable", "contable", "λογιστής", "kontabilista", "lilna minn", "irreferuti lilna minn",
    "ikteb lil", "written to", "write to", "scrivere a", "écrire à", "escribir a",
    "γράψετε στη", "γράψετε στον", "call", "chiamare", "appeler", "llamar",
)

# Street types that start a postal address.
STREET_TYPES = (
    "via", "viale", "v.le", "corso", "c.so", "piazza", "p.zza", "piazzale", "largo", "vicolo",
    "contrada", "c.da", "strada", "località", "loc.", "borgo", "traversa", "rione", "lungomare",
    "rue", "avenue", "av.", "boulevard", "bd", "bd.", "chemin", "place", "allée", "impasse",
    "quai", "route", "cours", "square", "passage", "montée", "traverse", "zone", "za",
    "calle", "c/", "carrer", "c.", "avinguda", "avda.", "avenida", "plaza", "plaça", "pl.",
    "passeig", "paseo", "pg.", "camí", "camino", "carretera", "ctra.", "polígono", "pol.",
    "ronda", "travessera", "rambla", "cami",
    "triq", "trejqa", "misraħ", "vjal", "pjazza", "sqaq",
    "street", "st", "st.", "road", "rd", "rd.", "lane", "way", "drive", "industrial estate",
    "οδός", "οδ.", "λεωφόρος", "λεωφ.", "πλατεία", "πλ.", "odos", "leoforos", "plateia",
)

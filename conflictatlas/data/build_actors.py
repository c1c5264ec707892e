"""Build ``actors.jsonl`` and ``demonyms.json`` from pycountry, a demonym table and the curated file.

    python -m conflictatlas.data.build_actors          # rewrites the two files next to this one

What it writes:

* ``demonyms.json``: ``{"iraqi": "Iraq", "iraq": "Iraq", "democratic republic of congo": ...}``,
  every adjective (and the country's own names) -> ACLED's country name. The matcher uses it to
  read "Iraqi troops", "Myanmar military", "Kenyan police" as the forces of that country.
* ``actors.jsonl``: for every ISO 3166 country, "Military Forces of X" and "Police Forces of X"
  (type State forces), "Government of X" (the state acting politically); then every line of
  ``actors_curated.jsonl`` (rebels, militias, external forces, named state units, generic actors),
  whose aliases are merged into the generated line of the same name.

Only the build needs pycountry; at run time the package reads the JSON files.
"""
from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent

#: ISO alpha-2 -> ACLED's spelling of the country where it differs from pycountry's common name.
ACLED_NAMES = {
    "BO": "Bolivia", "CD": "Democratic Republic of Congo", "CG": "Republic of Congo",
    "CI": "Ivory Coast", "CV": "Cape Verde", "CZ": "Czech Republic", "FM": "Micronesia",
    "IR": "Iran", "KP": "North Korea", "KR": "South Korea", "LA": "Laos", "MD": "Moldova",
    "PS": "Palestine", "RU": "Russia", "SY": "Syria", "SZ": "eSwatini", "TL": "East Timor",
    "TR": "Turkey", "TW": "Taiwan", "TZ": "Tanzania", "VE": "Venezuela", "VN": "Vietnam",
    "BN": "Brunei", "VA": "Vatican City", "CW": "Curacao", "RE": "Reunion",
    "GG": "Bailiwick of Guernsey", "JE": "Bailiwick of Jersey", "FK": "Falkland Islands",
    "BL": "Saint-Barthelemy", "MF": "Saint-Martin", "SX": "Sint Maarten", "MO": "Macau",
    "VG": "British Virgin Islands", "VI": "Virgin Islands, U.S.", "AX": "Aland Islands",
    "CC": "Cocos (Keeling) Islands", "SH": "Saint Helena, Ascension and Tristan da Cunha",
    "BQ": "Caribbean Netherlands", "HK": "Hong Kong", "GB": "United Kingdom", "US": "United States",
}

#: Countries not (yet) in ISO 3166 that ACLED codes.
EXTRA_COUNTRIES = {"XK": "Kosovo"}

#: ISO alpha-2 -> adjectives/demonyms (and other names) used in news text, written for this project.
DEMONYMS = """
AF Afghan|Afghani|Afghanistan's
AL Albanian
DZ Algerian
AD Andorran
AO Angolan
AG Antiguan
AR Argentine|Argentinian|Argentinean
AM Armenian
AU Australian
AT Austrian
AZ Azerbaijani|Azeri
BS Bahamian|Bahamas
BH Bahraini
BD Bangladeshi
BB Barbadian|Bajan
BY Belarusian|Belarussian
BE Belgian
BZ Belizean
BJ Beninese|Beninois
BT Bhutanese
BO Bolivian
BA Bosnian|Bosnia|Bosnian Serb
BW Botswanan|Motswana
BR Brazilian
BN Bruneian
BG Bulgarian
BF Burkinabe|Burkinabè|Burkina
BI Burundian
KH Cambodian
CM Cameroonian
CA Canadian
CV Cape Verdean
CF Central African|CAR
TD Chadian
CL Chilean
CN Chinese|PRC
CO Colombian
KM Comorian
CD Congolese|DRC|DR Congo|D.R. Congo|DRC's|Democratic Republic of the Congo|Congo-Kinshasa
CG Congo-Brazzaville|Republic of the Congo
CR Costa Rican
CI Ivorian|Cote d'Ivoire|Côte d'Ivoire
HR Croatian
CU Cuban
CY Cypriot|Greek Cypriot|Turkish Cypriot
CZ Czech|Czechia
DK Danish
DJ Djiboutian
DM Dominican (Dominica)
DO Dominican
EC Ecuadorian|Ecuadorean
EG Egyptian
SV Salvadoran|Salvadorean
GQ Equatorial Guinean|Equatoguinean
ER Eritrean
EE Estonian
SZ Swazi|Eswatini|Swaziland
ET Ethiopian
FJ Fijian
FI Finnish
FR French
GA Gabonese
GM Gambian|The Gambia
GE Georgian
DE German
GH Ghanaian
GR Greek
GD Grenadian
GT Guatemalan
GN Guinean
GW Bissau-Guinean|Guinea Bissau
GY Guyanese
HT Haitian
HN Honduran
HU Hungarian
IS Icelandic
IN Indian
ID Indonesian
IR Iranian|Persian
IQ Iraqi
IE Irish
IL Israeli|Israel's|Zionist
IT Italian
JM Jamaican
JP Japanese
JO Jordanian
KZ Kazakh|Kazakhstani
KE Kenyan
KI I-Kiribati
KP North Korean|DPRK
KR South Korean|Korean
KW Kuwaiti
KG Kyrgyz|Kyrgyzstani
LA Lao|Laotian
LV Latvian
LB Lebanese
LS Basotho|Lesothan
LR Liberian
LY Libyan
LI Liechtensteiner
LT Lithuanian
LU Luxembourgish|Luxembourger
MG Malagasy
MW Malawian
MY Malaysian
MV Maldivian
ML Malian
MT Maltese
MH Marshallese
MR Mauritanian
MU Mauritian
MX Mexican
FM Micronesian
MD Moldovan
MC Monegasque
MN Mongolian
ME Montenegrin
MA Moroccan
MZ Mozambican
MM Burmese|Burma|Myanmar's
NA Namibian
NR Nauruan
NP Nepali|Nepalese
NL Dutch|Holland
NZ New Zealand|Kiwi
NI Nicaraguan
NE Nigerien
NG Nigerian
MK Macedonian|North Macedonian
NO Norwegian
OM Omani
PK Pakistani
PW Palauan
PS Palestinian|Gazan|West Bank
PA Panamanian
PG Papua New Guinean|PNG
PY Paraguayan
PE Peruvian
PH Philippine|Filipino
PL Polish
PT Portuguese
QA Qatari
RO Romanian
RU Russian|Russia's
RW Rwandan|Rwandese
KN Kittitian|Nevisian
LC Saint Lucian
VC Vincentian
WS Samoan
SM Sammarinese
ST Santomean
SA Saudi|Saudi Arabian
SN Senegalese
RS Serbian|Serb
SC Seychellois
SL Sierra Leonean
SG Singaporean
SK Slovak
SI Slovenian|Slovene
SB Solomon Islander
SO Somali|Somalian
ZA South African
SS South Sudanese
ES Spanish
LK Sri Lankan|Lankan
SD Sudanese
SR Surinamese
SE Swedish
CH Swiss
SY Syrian
TW Taiwanese
TJ Tajik|Tajikistani
TZ Tanzanian
TH Thai
TL Timorese|East Timorese|Timor-Leste
TG Togolese
TO Tongan
TT Trinidadian|Tobagonian
TN Tunisian
TR Turkish|Türkiye|Turkiye
TM Turkmen
TV Tuvaluan
UG Ugandan
UA Ukrainian|Ukraine's
AE Emirati|UAE
GB British|UK|U.K.|English|Scottish|Welsh|Britain
US American|US|U.S.|USA|United States'
UY Uruguayan
UZ Uzbek|Uzbekistani
VU Vanuatuan|Ni-Vanuatu
VE Venezuelan
VN Vietnamese
YE Yemeni
ZM Zambian
ZW Zimbabwean
XK Kosovar|Kosovan
PR Puerto Rican
GL Greenlandic
"""

#: Named national forces and their common names (from general knowledge of each country's forces).
#: ACLED country -> (military aliases, police aliases).
NAMED_FORCES = {
    "Mali": (["FAMa", "Malian Armed Forces"], []),
    "Democratic Republic of Congo": (["FARDC"], ["PNC"]),
    "Myanmar": (["Tatmadaw", "junta forces", "junta troops", "junta soldiers", "SAC forces",
                 "SAC troops", "junta army", "regime troops", "military council troops"], []),
    "Israel": (["IDF", "Israel Defense Forces", "Israeli occupation forces", "IOF",
                "occupation forces", "Israeli occupation army"], ["Border Police"]),
    "Ukraine": (["ZSU", "AFU", "Armed Forces of Ukraine", "Ukrainian Armed Forces",
                 "Ukrainian government forces", "governmental forces"], ["National Police of Ukraine"]),
    "Russia": (["Russian Armed Forces", "Rosgvardia", "Russian National Guard"], []),
    "Nigeria": (["Nigerian Army", "NAF jets", "Operation Hadin Kai", "Operation Safe Haven"],
                ["NPF", "Nigeria Police Force"]),
    "Somalia": (["SNA", "Somali National Army", "Danab", "SNA forces"], []),
    "Ethiopia": (["ENDF", "Ethiopian National Defense Force", "Ethiopian National Defence Force"],
                 ["Federal Police"]),
    "Sudan": (["SAF", "Sudanese Armed Forces"], ["Central Reserve Police", "Abu Tira"]),
    "South Sudan": (["SSPDF", "SPLA", "South Sudan People's Defence Forces"], []),
    "Central African Republic": (["FACA"], []),
    "Niger": (["FAN"], []),
    "Burkina Faso": (["FDS"], []),
    "Cameroon": (["BIR", "Rapid Intervention Battalion"], []),
    "Chad": (["ANT"], []),
    "Mozambique": (["FADM"], ["UIR", "PRM"]),
    "South Africa": (["SANDF"], ["SAPS"]),
    "Zimbabwe": (["ZNA", "ZDF"], ["ZRP"]),
    "Kenya": (["KDF", "Kenya Defence Forces"], ["GSU", "General Service Unit"]),
    "Uganda": (["UPDF", "Uganda People's Defence Force"], []),
    "Rwanda": (["RDF", "Rwanda Defence Force"], []),
    "Burundi": (["FDNB"], []),
    "Tanzania": (["TPDF"], []),
    "Venezuela": (["FANB", "Bolivarian National Armed Forces"], ["GNB", "Bolivarian National Guard", "PNB"]),
    "Colombia": (["National Army of Colombia"], ["ESMAD", "National Police of Colombia"]),
    "Mexico": (["SEDENA", "National Guard", "Guardia Nacional", "Mexican Navy", "SEMAR"], []),
    "Brazil": ([], ["PRF", "Federal Highway Police"]),
    "Philippines": (["AFP", "Armed Forces of the Philippines"], ["PNP", "Philippine National Police"]),
    "Pakistan": (["Frontier Corps", "FC personnel"], ["CTD", "Counter Terrorism Department"]),
    "India": (["BSF", "Border Security Force", "Assam Rifles", "CRPF", "Central Reserve Police Force",
               "ITBP", "SSB"], ["Jammu and Kashmir Police", "J&K Police"]),
    "Iraq": (["ISF", "Iraqi Security Forces", "CTS", "Counter Terrorism Service"], ["Federal Police"]),
    "Syria": (["SAA", "Syrian Arab Army", "regime forces", "government forces", "Assad forces",
               "Syrian regime forces", "regime troops", "Fourth Division"], []),
    "Turkey": (["TSK", "Turkish Armed Forces"], ["Jandarma"]),
    "Egypt": ([], []),
    "Libya": (["LNA", "Libyan National Army", "Haftar forces"], []),
    "Afghanistan": ([], []),
    "Iran": (["IRGC", "Islamic Revolutionary Guard Corps", "Revolutionary Guards", "Basij"], []),
    "Lebanon": (["LAF", "Lebanese Armed Forces"], ["ISF (Lebanon)"]),
    "Saudi Arabia": (["Saudi border guards"], []),
    "Azerbaijan": ([], []),
    "Armenia": ([], []),
    "Bangladesh": (["BGB", "Border Guard Bangladesh"], ["RAB", "Rapid Action Battalion"]),
    "Indonesia": (["TNI"], ["Polri", "Brimob"]),
    "Thailand": (["Royal Thai Army"], []),
    "El Salvador": (["FAES"], ["PNC (El Salvador)"]),
}


def _countries():
    import pycountry
    out = {}
    for c in pycountry.countries:
        name = ACLED_NAMES.get(c.alpha_2) or getattr(c, "common_name", None) or c.name
        out[c.alpha_2] = (name, {c.name, getattr(c, "common_name", c.name),
                                 getattr(c, "official_name", c.name), name})
    for code, name in EXTRA_COUNTRIES.items():
        out[code] = (name, {name})
    return out


def build() -> tuple[list[dict], dict[str, str]]:
    countries = _countries()
    dem: dict[str, str] = {}
    table = {}
    for line in DEMONYMS.strip().splitlines():
        code, _, words = line.partition(" ")
        table[code] = [w.strip() for w in words.split("|") if w.strip() and "(" not in w]
    for code, (name, names) in countries.items():
        for w in list(names) + table.get(code, []):
            if "," in w:
                continue
            dem.setdefault(w.lower(), name)
            if w.lower().startswith("the "):
                dem.setdefault(w.lower()[4:], name)
    dem["dominican"] = "Dominican Republic"
    # a bare "Korean"/"Congolese" is read as the bigger neighbour; "Guinea" is Guinea.
    actors: list[dict] = []
    src = "generated from pycountry + demonym table (ACLED actor naming convention)"
    for code, (name, names) in sorted(countries.items(), key=lambda kv: kv[1][0]):
        mil, pol = NAMED_FORCES.get(name, ([], []))
        the = "the " if name in ("Democratic Republic of Congo", "Republic of Congo", "Central African Republic",
                                 "Philippines", "United States", "United Kingdom", "Netherlands",
                                 "Dominican Republic", "Gambia", "Bahamas") else ""
        actors.append({"name": f"Military Forces of {the}{name}", "aliases": [f"Military Forces of {name}"] + mil
                       + [f"army of {name}", f"armed forces of {name}"],
                       "type": "State forces", "country": name, "kind": "state", "source": src})
        actors.append({"name": f"Police Forces of {the}{name}", "aliases": [f"Police Forces of {name}"] + pol
                       + [f"police of {name}"],
                       "type": "State forces", "country": name, "kind": "police", "source": src})
        actors.append({"name": f"Government of {the}{name}", "aliases": [f"government of {name}"],
                       "type": "State forces", "country": name, "kind": "government", "source": src})
    by_name = {a["name"]: a for a in actors}
    curated = HERE / "actors_curated.jsonl"
    from conflictatlas.actors import ActorFileError, jsonl_records
    try:
        records = [rec for _n, rec in jsonl_records(curated)]
    except ActorFileError as exc:
        raise SystemExit(str(exc))
    for rec in records:
        old = by_name.get(rec["name"])
        if old is not None and not rec.get("from") and not rec.get("until"):
            old["aliases"] += [a for a in rec.get("aliases", []) if a not in old["aliases"]]
            for k, v in rec.items():
                if k not in ("aliases", "name"):
                    old[k] = v
            continue
        actors.append(rec)
        by_name.setdefault(rec["name"], rec)
    return actors, dict(sorted(dem.items()))


def main() -> None:
    actors, dem = build()
    with open(HERE / "actors.jsonl", "w", encoding="utf-8") as f:
        for a in actors:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    with open(HERE / "demonyms.json", "w", encoding="utf-8") as f:
        json.dump(dem, f, ensure_ascii=False, indent=0, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(actors)} actors and {len(dem)} demonyms to {HERE}")


if __name__ == "__main__":
    main()

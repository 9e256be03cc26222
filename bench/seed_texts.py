"""Place names and descriptions the benchmarks seed associations with (bench/directory.py,
bench/pages.py)."""

PLACES = [
    "Nordnes",
    "Sandviken",
    "Åsane",
    "Fana",
    "Laksevåg",
    "Arna",
    "Ytrebygda",
    "Fyllingsdalen",
    "Landås",
    "Møhlenpris",
]
DESCRIPTIONS = [
    "Vi møtes hver uke og ønsker nye medlemmer velkommen.",
    "Et lavterskeltilbud for alle aldre i nærmiljøet.",
    "Frivillige som driver aktivitet for barn og unge.",
    "Vi arrangerer turer, kurs og sosiale kvelder.",
    "Laget samarbeider med skolen og biblioteket.",
]

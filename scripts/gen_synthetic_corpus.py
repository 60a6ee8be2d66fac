#!/usr/bin/env python3
"""Generate a deterministic synthetic corpus of policy-like documents for benchmarks.

Usage:
    python3 scripts/gen_synthetic_corpus.py --docs N --out DIR
        [--seed S] [--format jsonl|txt] [--long-fraction F] [--no-cache]

    --docs N            number of documents to generate (required)
    --out DIR           output directory; it is created if it does not exist
    --seed S            random seed (default 42); the same seed gives the same output
    --format jsonl|txt  output format (default jsonl)
    --long-fraction F   share of long (20-80 KB) documents (default 0.02)
    --no-cache          train the text model afresh; neither read nor write the cache

Examples:
    python3 scripts/gen_synthetic_corpus.py --docs 10000 --out /tmp/syn10k
    python3 scripts/gen_synthetic_corpus.py --docs 1000 --out /tmp/syn-txt --format txt

Output formats:
    jsonl  DIR/part-0000.jsonl, DIR/part-0001.jsonl, ... with at most 5,000
           documents per file. Each line is one JSON object with the keys
           {"id", "title", "text", "year", "organisation", "priority_area", "url"}.
    txt    DIR/NNN/doc-NNNNNN.txt, 1,000 documents per directory. Each document
           has a sidecar DIR/NNN/doc-NNNNNN.meta.json holding
           {"title", "organisation", "year"}.

Source text. The running text is modelled on Webster's Revised Unabridged
Dictionary (1913), read from /usr/share/dictd/gcide.dict.dz of the Debian
package dict-gcide (scripts/install-deps.sh installs it; without it the
script exits with status 2). That file is GCIDE, which is under the GPL as a
whole for its later additions (WordNet entries and editors' work, marked
"[WordNet 1.5]", "[PJC]", "[1913 Webster +PJC]", ...). Only the blocks marked
"[1913 Webster]" are used: they are the text of the 1913 dictionary, which
is in the public domain. A block is the run of lines that ends with that
marker. Of each block the headword and pronunciation line, bracketed
etymologies and labels ("[L. abdicatio.]", "[Obs.]"), citation tags
("--Shak."), sense numbers, "Note:"/"Syn:"/"Usage:" labels and field labels
("(Zool.)") are dropped; definitions, usage notes and quotations are kept,
with GCIDE's accent markup as plain letters ("co["o]peration" ->
"cooperation").

Text model. Only the Python standard library is used.
  * Vocabulary: the 1913 Webster text has 2.67 million words and 92,529
    distinct lower-case words. Each word keeps its most frequent spelling
    outside sentence starts ("the", "China", "see"). The words are ranked by
    frequency, and the vocabulary is extended to VOCAB_SIZE (300,000) words
    by derived forms of the frequent ones (plurals, -ing, -ation, re-, non-,
    inter- ...), ranked after them in a seeded shuffle. The .txt seed
    documents in the repository's corpus/ directory (found relative to this
    script) add their words, so that policy words ("ASEAN", "biodiversity")
    stay present.
  * Word choice: a fresh word follows a Zipf-Mandelbrot law over the
    vocabulary's ranks, except that a SEED_SHARE (7%) share of fresh words
    follows the same law over the seed words' ranks. With probability
    BIGRAM_P a word instead follows one of the 2.5 million word pairs
    (bigrams) of the Webster text that start with the previous word, which
    gives real local word order; words found only in the seeds follow the
    seeds' word pairs.
  * The trained model is cached in ${XDG_CACHE_HOME:-~/.cache}/policy-search/
    (15 MB), keyed by the SHA-256 of the dictionary file and of this script.
    Training takes about 6 s; loading the cache about 0.3 s.
  * Sentences have 8-35 words and paragraphs have 2-8 sentences. There are
    occasional numbered section headings and bullet lists, years ("in 2012")
    and project codes ("GEF-0421").
  * Multiword phrases that occur in the seeds ("air pollution", "capacity
    building", "Green Envoys Program", "climate change", "e-waste", "PM2.5", ...)
    are embedded at realistic rates. Each document favours the phrases of its
    priority area.
  * Document length is log-normal and capped at 100 KB. A --long-fraction
    share of documents is long instead: 20-80 KB, log-uniform. With the
    defaults, the median is about 3.7 KB and the mean about 5.0 KB, so
    100,000 documents come to about 497 MB of text (528 MB of JSONL) and
    10,000 documents to about 50 MB. Measured with Debian python3 3.11 on
    one core of a busy two-core machine, with the model cached: about 1,800
    documents per second (10,000 jsonl documents in 6 s, 100,000 in 53 s).
    Word choice is the main cost: the 300,000-word vocabulary and its word
    pairs do not fit in the CPU caches. The txt format is slower, about 800
    documents per second, because it writes two files per document.
  * Vocabulary statistics, split at hyphens as the indexer does: 10,000
    documents hold about 250,000 distinct lower-case words, 28% of them
    only once; the most frequent are "of" (3.7% of words), "the" (3.5%),
    "a" (2.5%), "or" and "to" (2.4%), and the top 20 words make up 26% of
    the text. About 4.5% of words are derived forms. 100,000 documents use
    the whole vocabulary (about 305,000 words).
  * Years run from 1995 to 2025, with more documents in recent years. About 25
    organisations are used, each only within the years it existed, and about
    15 priority areas.
  * URLs use the reserved .invalid top-level domain, so they are clearly
    synthetic and do not point at real pages.

The generator is deterministic. Document i depends only on (seed, i,
long-fraction) and the two source texts, so the first 1,000 documents of a
10,000-document run are identical to the documents of a 1,000-document run
with the same seed and long-fraction. The same documents are written in
both formats.
"""

import argparse
import array
import bisect
import collections
import gzip
import hashlib
import itertools
import json
import math
import os
import pickle
import random
import re
import sys
import tempfile
import time
from pathlib import Path

REPO_CORPUS = Path(__file__).resolve().parent.parent / "corpus"
WEBSTER_DICT = Path("/usr/share/dictd/gcide.dict.dz")
WEBSTER_PACKAGE = "dict-gcide"

DOCS_PER_PART = 5000
DOCS_PER_DIR = 1000

# Length model, in characters. Base documents: log-normal with median
# BASE_MEDIAN and sigma BASE_SIGMA, clipped to [MIN_LEN, MAX_LEN]. Long
# documents: log-uniform between LONG_MIN and LONG_MAX.
BASE_MEDIAN = 3200.0
BASE_SIGMA = 0.55
MIN_LEN = 400
MAX_LEN = 100_000
LONG_MIN = 20_000
LONG_MAX = 80_000
DEFAULT_LONG_FRACTION = 0.02

ZIPF_S = 1.0          # exponent of the Zipf-Mandelbrot law
ZIPF_Q = 2.7          # Mandelbrot offset (flattens the very top ranks)
VOCAB_SIZE = 300_000  # Webster words plus derived forms
SEED_SHARE = 0.07     # probability that a fresh word is drawn from the seed words
BIGRAM_P = 0.55       # probability of following a bigram instead of a fresh draw

YEAR_MIN, YEAR_MAX = 1995, 2025

# (full name, short name, first year active, last year active)
ORGANISATIONS = [
    ("U.S. Environmental Protection Agency", "EPA", 1995, 2025),
    ("U.S. Department of State", "DOS", 1995, 2025),
    ("U.S. Department of Energy", "DOE", 1995, 2025),
    ("U.S. Department of Transportation", "DOT", 1995, 2025),
    ("U.S. Trade and Development Agency", "USTDA", 1995, 2025),
    ("State Environmental Protection Administration of China", "SEPA", 1998, 2008),
    ("Ministry of Environmental Protection of China", "MEP", 2008, 2018),
    ("Ministry of Ecology and Environment of China", "MEE", 2018, 2025),
    ("National Development and Reform Commission", "NDRC", 2003, 2025),
    ("Ministry of Science and Technology of China", "MOST", 1998, 2025),
    ("Ministry of Water Resources of China", "MWR", 1995, 2025),
    ("ASEAN Secretariat", "ASEC", 1995, 2025),
    ("ASEAN Centre for Biodiversity", "ACB", 2005, 2025),
    ("China-ASEAN Environmental Cooperation Center", "CAEC", 2010, 2025),
    ("United Nations Environment Programme", "UNEP", 1995, 2025),
    ("United Nations Development Programme", "UNDP", 1995, 2025),
    ("United Nations Economic and Social Commission for Asia and the Pacific", "ESCAP", 1995, 2025),
    ("Asian Development Bank", "ADB", 1995, 2025),
    ("World Bank", "WB", 1995, 2025),
    ("Global Environment Facility", "GEF", 1995, 2025),
    ("International Union for Conservation of Nature", "IUCN", 1995, 2025),
    ("World Wide Fund for Nature", "WWF", 1995, 2025),
    ("China Council for International Cooperation on Environment and Development", "CCICED", 1995, 2025),
    ("Secretariat of the Convention on Biological Diversity", "SCBD", 1995, 2025),
    ("Shanghai Environmental Protection Bureau", "SEPB", 1995, 2018),
    ("Deutsche Gesellschaft fuer Internationale Zusammenarbeit", "GIZ", 2011, 2025),
]

# Priority area -> topical phrases (most of them occur in the seed texts).
PRIORITY_AREAS = {
    "air quality": [
        "air pollution", "air quality", "PM2.5", "air quality management",
        "sulfur dioxide", "vehicle emissions", "multi-pollutant",
        "emissions control", "regional air quality", "AirNOW",
        "volatile-organic-compounds", "toxic air pollutants", "cleaner fuels",
    ],
    "water": [
        "water pollution", "drinking water", "source water protection",
        "groundwater", "watershed protection", "clean water",
        "water sustainability", "Sister Lake Partnership", "water monitoring",
    ],
    "chemicals and toxics": [
        "toxic chemicals", "persistent organic pollutants", "mercury",
        "sound management of chemicals", "hazardous chemicals",
        "computational toxicology", "existing chemical substances",
    ],
    "e-waste": [
        "e-waste", "electronic waste", "e-waste recycling",
        "Electronics Stewardship", "e-waste management", "recycling facilities",
    ],
    "climate change": [
        "climate change", "greenhouse gas", "greenhouse gases",
        "Paris Agreement", "Climate Change Working Group", "low-carbon",
        "climate-resilient", "carbon capture, utilization, and storage",
        "climate change mitigation and adaptation", "smart grids",
    ],
    "biodiversity and ecological conservation": [
        "biodiversity conservation", "ecological conservation",
        "Aichi Biodiversity Targets", "ASEAN Heritage Parks",
        "invasive alien species", "Convention on Biological Diversity",
        "ASEAN Centre for Biodiversity", "genetic resources",
    ],
    "hazardous and solid waste": [
        "hazardous and solid waste", "contaminated sites", "urban waste",
        "soil remediation", "environmentally sound treatment and disposal",
    ],
    "environmental law and enforcement": [
        "environmental law", "compliance and enforcement",
        "Environmental Protection Law", "penalty provisions",
        "environmental permits", "information disclosure",
        "public interests litigation", "legal tools for sustainability",
    ],
    "environmental impact assessment": [
        "environmental impact assessment", "EIA", "environmental reviews",
        "risk assessment and management", "ecological red lines",
    ],
    "environmentally sustainable cities": [
        "Environmentally Sustainable Cities", "Eco-friendly cities",
        "low-carbon cities", "urban environmental management",
        "green urban and rural development", "model cities",
    ],
    "environmental education and public awareness": [
        "public awareness", "environmental education", "Green Envoys Program",
        "Eco-schools", "public participation", "youth",
    ],
    "environmental industry and technology": [
        "environmentally sound technology", "environmental labeling",
        "cleaner production", "demonstration base", "technology transfer",
        "green supply chain", "environmental industries",
    ],
    "clean energy and energy efficiency": [
        "energy efficiency", "clean energy", "new and existing buildings",
        "power sector emissions", "cookstoves", "fuel standards",
    ],
    "marine and coastal environment": [
        "marine environmental protection", "coral reefs", "mangrove",
        "coastal zone planning", "land-based pollution",
        "coastal and marine environment",
    ],
    "emergency preparedness and response": [
        "emergency preparedness and response", "emergency response",
        "natural disasters", "transboundary environmental pollution",
    ],
    "green development and south-south cooperation": [
        "green development", "South-South", "sustainable development",
        "One Belt One Road", "green silk roads", "ecological civilization",
        "inclusive growth",
    ],
}

# Phrases used in every area (institutions, programmes, generic policy terms).
GENERAL_PHRASES = [
    "capacity building", "climate change", "environmental protection",
    "sustainable development", "policy dialogue", "joint research",
    "action plan", "ASEAN Member States", "ASEAN-China", "China-ASEAN",
    "Ministry of Environmental Protection", "Ministry of Ecology and Environment",
    "National Development and Reform Commission", "ASEAN Secretariat",
    "Strategic and Economic Dialogue", "S&ED", "U.S.-China",
    "high-level policy dialogue", "knowledge and experience sharing",
    "international organizations", "demonstration projects",
    "study tours", "technical assistance", "best practices",
    "environmental cooperation", "environmental management",
    "South-South Cooperation", "Environment Outlook", "focal points",
    "public health", "long-term sustainability", "key stakeholders",
    "market-based instruments", "environmental information",
    "EcoPartnerships", "green development", "e-waste", "PM2.5",
    "air pollution", "Green Envoys Program",
]

TITLE_TEMPLATES = [
    "{Area} Cooperation Strategy ({y}-{y2})",
    "Action Plan on {Area} ({y}-{y2})",
    "Annual Report on {Area} {y}",
    "Joint Statement on {Area}",
    "Guidelines for {Area} Management",
    "Fact Sheet: {Area}",
    "Memorandum of Understanding on {Area} Cooperation",
    "Workshop Summary: {Area} and Regional Cooperation",
    "{Org} Collaboration on {Area}",
    "Progress Review of {Area} Programmes {y}",
    "Framework for {Area} and Green Development",
    "Policy Brief: {Area} in Southeast Asia",
    "Technical Assistance Report: {Area}",
    "{Org} Work Plan on {Area} {y}",
    "Outcomes of the {n} Forum on {Area}",
]

SECTION_HEADINGS = [
    "Background", "Objectives", "Principles", "Areas of Cooperation",
    "Activities", "Implementation Arrangements", "Funding mechanism",
    "Review of Cooperation", "Key Outcomes", "Next Steps",
    "Institutional arrangement", "Forms of cooperation", "Monitoring and Evaluation",
    "Partners", "Lessons Learned", "Recommendations",
]

ORDINALS = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh",
            "Eighth", "Ninth", "Tenth", "11th", "12th", "13th", "14th", "15th"]

# Affixes of the derived forms that extend the vocabulary. The prefixes have
# no hyphen: the indexer splits at hyphens, so "co-" forms would add no terms.
PREFIXES = ["re", "co", "non", "sub", "inter", "multi", "pre", "over", "under",
            "counter", "anti", "un"]
SUFFIXES = ["s", "ed", "ing", "al", "ity", "ation", "ations",
            "ment", "ments", "ness", "ive", "ist", "ists", "ize", "ized"]
# Bases with these endings are already inflected or derived; they get
# prefixes but no further suffixes (avoids "nationss", "revisedment").
NO_SUFFIX_ENDINGS = ("s", "ed", "ing", "ly", "al", "ment", "ness", "ity",
                     "ive", "ism", "ist", "ize", "ion", "ions", "er", "ers", "y")

TOKEN_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9&’'\-]|\.(?=[A-Za-z0-9]))*\.?")
LOWER_WORD_RE = re.compile(r"^[a-z]{5,}$")

# GCIDE markup. A line ending in "[1913 Webster]" ends a Webster block; a
# line ending in another source's marker ("[WordNet 1.5]", "[PJC]",
# "[1913 Webster +PJC]", "[Webster 1913 Suppl.]", ...) ends a block that is
# not used.
WEBSTER_MARK = "1913 Webster"
END_MARK_RE = re.compile(r"\[([^\[\]]*)\]$")
OTHER_SOURCE_RE = re.compile(r"Webster|WordNet|PJC|Century|RDH|^AS$")
# Accented letters: ["o] o-diaeresis, [=e] e-macron, [i^], [ae], [oe] ...
ACCENT_RE = re.compile(r"""\[["'`=~.\-^,*]?([A-Za-z]{1,2})\^?\]""")
NAMED_LETTERS = {"[imac]": "i", "[aum]": "a", "[asl]": "a", "[add]": "a",
                 "[udd]": "u", "[thorn]": "th", "[eth]": "th"}
NAMED_LETTER_RE = re.compile("|".join(re.escape(k) for k in NAMED_LETTERS))
INNER_BRACKETS_RE = re.compile(r"\[[^\[\]]*\]")
CITATION_RE = re.compile(r"--(?=[A-Z0-9])[^\n]*")          # "--Shak.", "--1 Sam. ix. 26."
SENSE_RE = re.compile(r"(?m)^\s*(?:\d+\.|\([a-z]\)|Note:|Syn:|Usage:)\s")
FIELD_LABEL_RE = re.compile(r"\((?:[A-Za-z]+\.\s*(?:&\s*|,\s*)?)+(?:[A-Z][a-z]+)?\)")
CITATION_INDENT = " " * 40   # deeper lines hold only the wrapped end of a citation
BRACES_TABLE = str.maketrans("[]", "  ", "{}")   # "{Abdicate}" marks a cross-reference


# --------------------------------------------------------------------------
# Seed texts
# --------------------------------------------------------------------------

def load_seed_texts():
    """Return (source directory, list of seed texts)."""
    files = sorted(p for p in REPO_CORPUS.glob("*.txt") if p.is_file())
    if not files:
        sys.exit("error: no seed texts found in %s" % REPO_CORPUS)
    return REPO_CORPUS, [p.read_text(encoding="utf-8", errors="replace") for p in files]


def strip_final_period(tok):
    """Drop a sentence-final period unless the token is an abbreviation with
    internal periods, e.g. "U.S."."""
    if tok.endswith(".") and "." not in tok[:-1]:
        return tok[:-1]
    return tok


def tokenize(text):
    return [strip_final_period(tok) for tok in TOKEN_RE.findall(text)
            if not tok.startswith("app:")]


def seed_vocabulary(texts):
    """Return (seed words by descending frequency, bigram successor lists).

    Each word keeps its most frequent spelling in the seeds ("China", "ASEAN",
    "the"), so proper nouns and acronyms keep their capitals. The successor
    lists map a word to every word that follows it in the seeds, repeated as
    often as the bigram occurs.
    """
    counts = {}
    forms = {}
    seqs = []
    for text in texts:
        seq = []
        for tok in tokenize(text):
            key = tok.lower()
            if key in ("app", "ds"):   # PDF extraction artefacts ("app:ds:...")
                continue
            seq.append(key)
            counts[key] = counts.get(key, 0) + 1
            f = forms.setdefault(key, {})
            f[tok] = f.get(tok, 0) + 1
        seqs.append(seq)
    keys = sorted(counts, key=lambda k: (-counts[k], k))
    surface = {k: max(sorted(forms[k]), key=lambda t: forms[k][t]) for k in keys}
    succ = {}
    for seq in seqs:
        for a, b in zip(seq, seq[1:]):
            succ.setdefault(surface[a], []).append(surface[b])
    for v in succ.values():
        v.sort()   # independent of the order in which seed files are read
    return [surface[k] for k in keys], succ


# --------------------------------------------------------------------------
# 1913 Webster text
# --------------------------------------------------------------------------

def webster_blocks(text):
    """Yield the 1913 Webster blocks of GCIDE's dictd text, each a list of lines."""
    block = []
    for line in text.split("\n"):
        line = line.rstrip()
        if not line:
            block = []
            continue
        if line[-1] == "]":
            m = END_MARK_RE.search(line)
            if m is not None:
                if m.group(1) == WEBSTER_MARK:
                    if line[:m.start()].strip():
                        block.append(line[:m.start()])
                    if block:
                        yield block
                    block = []
                    continue
                if OTHER_SOURCE_RE.search(m.group(1)):
                    block = []
                    continue
        block.append(line)


def unclosed_bracket(line):
    """Index of the outermost "[" that the line leaves open, or None."""
    depth = 0
    start = None
    for i, ch in enumerate(line):
        if ch == "[":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
    return start if depth else None


def webster_prose(block):
    """The running text of one block, without dictionary apparatus."""
    lines = [l for l in block if not l.startswith(CITATION_INDENT)]
    if not lines:
        return ""
    text = "\n".join(lines)
    text = NAMED_LETTER_RE.sub(lambda m: NAMED_LETTERS[m.group()], ACCENT_RE.sub(r"\1", text))
    if not lines[0].startswith(" "):
        # The headword line ("Abdication \Ab`di*ca"tion\, n. [L. abdicatio: cf. F.")
        # goes; an etymology it leaves open is removed with the other brackets.
        first, nl, rest = text.partition("\n")
        start = unclosed_bracket(first)
        text = (first[start:] if start is not None else "") + nl + rest
    while True:   # innermost brackets first: etymologies nest
        stripped = INNER_BRACKETS_RE.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    text = CITATION_RE.sub(" ", text)
    text = SENSE_RE.sub(" ", text)
    text = FIELD_LABEL_RE.sub(" ", text)
    return text.translate(BRACES_TABLE)


def derived_forms(keys, count):
    """The first `count` words formed by affixing the lower-case words of
    `keys`, most frequent first, that are not in `keys` themselves. They are
    returned in a seeded shuffle, so that their ranks are arbitrary but
    deterministic."""
    known = set(keys)
    derived = []
    for b in keys:
        if len(derived) >= count:
            break
        if not LOWER_WORD_RE.match(b):
            continue
        forms = []
        if not b.endswith(NO_SUFFIX_ENDINGS):
            # "cooperate" + "ing" -> "cooperating"; "manage" + "ment" -> "management"
            forms += [(b[:-1] if b.endswith("e") and suf[0] in "aeiou" else b) + suf
                      for suf in SUFFIXES]
        forms += [pre + b for pre in PREFIXES]
        for w in forms:
            if w not in known:
                known.add(w)
                derived.append(w)
    derived = derived[:count]
    random.Random(12345).shuffle(derived)
    return derived


def train_webster(data):
    """Train the text model on the gzip-compressed GCIDE dictd file `data`.

    Returns a dict: "words", the vocabulary by rank (Webster words by
    descending frequency, then derived forms); "succ" and "succ_start", the
    bigram successors of word i as succ[succ_start[i]:succ_start[i + 1]],
    repeated as often as the bigram occurs; and counts for the report.
    """
    text = gzip.decompress(data).decode("utf-8", errors="replace")
    seqs = [TOKEN_RE.findall(webster_prose(b)) for b in webster_blocks(text)]
    raw_counts = collections.Counter(itertools.chain.from_iterable(seqs))
    # Sentence-initial tokens: capitals there say nothing about the word.
    initial = collections.Counter(seq[0] for seq in seqs if seq)
    for seq in seqs:
        initial.update([b for a, b in zip(seq, seq[1:]) if a[-1] == "."])

    form_of = {r: strip_final_period(r) for r in raw_counts}
    total = collections.Counter()
    inside = collections.Counter()   # occurrences outside sentence starts
    for r, c in raw_counts.items():
        total[form_of[r]] += c
        inside[form_of[r]] += c - initial[r]
    key_count = collections.Counter()
    for f, c in total.items():
        key_count[f.lower()] += c
    keys = sorted(key_count, key=lambda k: (-key_count[k], k))
    surface = {}
    for f in sorted(total):
        k = f.lower()
        if k not in surface or (inside[f], total[f]) > (inside[surface[k]], total[surface[k]]):
            surface[k] = f

    key_id = {k: i for i, k in enumerate(keys)}
    raw_id = {r: key_id[form_of[r].lower()] for r in raw_counts}
    ids = [list(map(raw_id.__getitem__, seq)) for seq in seqs]
    # Successor lists, grouped by first word (a counting sort).
    n_succ = collections.Counter(itertools.chain.from_iterable(seq[:-1] for seq in ids))
    succ_start = array.array("I", itertools.accumulate(
        (n_succ[i] for i in range(len(keys))), initial=0))
    succ = array.array("I", [0]) * succ_start[-1]
    fill = succ_start.tolist()
    for seq in ids:
        for a, b in zip(seq, seq[1:]):
            succ[fill[a]] = b
            fill[a] += 1

    derived = derived_forms(keys, VOCAB_SIZE - len(keys))
    succ_start.extend(itertools.repeat(succ_start[-1], len(derived)))
    return {
        "words": [surface[k] for k in keys] + derived,
        "succ": succ,
        "succ_start": succ_start,
        "blocks": len(seqs),
        "tokens": sum(map(len, seqs)),
        "webster_types": len(keys),
    }


def cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "policy-search"


def load_webster_model(use_cache):
    """The trained model, from the cache when it is there. Returns (model,
    where it came from)."""
    try:
        data = WEBSTER_DICT.read_bytes()
    except FileNotFoundError:
        print("error: %s not found; install the Debian package %s "
              "(apt-get install %s, or scripts/install-deps.sh)"
              % (WEBSTER_DICT, WEBSTER_PACKAGE, WEBSTER_PACKAGE), file=sys.stderr)
        sys.exit(2)
    key = hashlib.sha256(hashlib.sha256(data).digest()
                         + hashlib.sha256(Path(__file__).read_bytes()).digest()).hexdigest()[:16]
    path = cache_dir() / ("webster-model-%s.pickle" % key)
    if use_cache:
        try:
            with open(path, "rb") as f:
                model = pickle.load(f)
            if model.get("key") == key:
                return model, "cache %s" % path
        except Exception:   # missing, unreadable or corrupt: train afresh
            pass
    t0 = time.perf_counter()
    model = train_webster(data)
    model["key"] = key
    where = "trained in %.1f s" % (time.perf_counter() - t0)
    if use_cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written beside its final name and renamed, so that concurrent
            # runs never read half a file.
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".webster-model-")
            try:
                with os.fdopen(fd, "wb") as f:
                    pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
            for old in path.parent.glob("webster-model-*.pickle"):
                if old != path:   # from another version of this script or dictionary
                    old.unlink(missing_ok=True)
            where += ", cached in %s" % path
        except OSError as e:
            where += ", not cached (%s)" % e
    return model, where


def zipf_weights(n, total=1.0):
    w = [1.0 / (r + ZIPF_Q) ** ZIPF_S for r in range(1, n + 1)]
    scale = total / sum(w)
    return [x * scale for x in w]


def phrases_present(phrases, seed_text_lower):
    """Keep the phrases that occur in the seeds (all of them if none occur)."""
    keep = [p for p in phrases if p.lower() in seed_text_lower]
    return keep or list(phrases)


# --------------------------------------------------------------------------
# Document generator
# --------------------------------------------------------------------------

class Generator:
    def __init__(self, seed, long_fraction, use_cache=True):
        self.seed = seed
        self.long_fraction = long_fraction
        model, self.model_source = load_webster_model(use_cache)
        self.seed_dir, texts = load_seed_texts()
        seed_words, seed_succ = seed_vocabulary(texts)

        # One vocabulary: the model's words by rank, then the seed words it
        # lacks. Seed-only words follow their seed successors.
        vocab = model["words"]
        n_model = len(vocab)
        succ, succ_start = model["succ"], model["succ_start"]
        word_id = {w.lower(): i for i, w in enumerate(vocab)}
        seed_ids = []
        seed_only = []
        for w in seed_words:
            i = word_id.get(w.lower())
            if i is None:
                i = word_id[w.lower()] = len(vocab)
                vocab.append(w)
                seed_only.append(w)
            seed_ids.append(i)
        for w in seed_only:
            succ.extend(word_id[s.lower()] for s in seed_succ.get(w, ()))
            succ_start.append(len(succ))
        self.vocab, self.succ, self.succ_start = vocab, succ, succ_start

        # Fresh draws: a mixture of the Zipf law over the model's ranks and,
        # with weight SEED_SHARE, the Zipf law over the seed words' ranks.
        weights = zipf_weights(n_model, 1.0 - SEED_SHARE) + [0.0] * len(seed_only)
        for i, x in zip(seed_ids, zipf_weights(len(seed_ids), SEED_SHARE)):
            weights[i] += x
        # An array, not a list: bisect then reads contiguous memory.
        self.cum = array.array("d", itertools.accumulate(weights))
        self.cum_total = self.cum[-1]
        self.stats = (model["tokens"], model["webster_types"],
                      n_model - model["webster_types"],
                      len(seed_words), len(seed_only))

        joined = re.sub(r"\s+", " ", " ".join(texts)).lower()
        self.general = phrases_present(GENERAL_PHRASES, joined)
        self.area_names = list(PRIORITY_AREAS)
        # Area phrases are kept even if a few (e.g. "vehicle emissions") are
        # not literally in the seeds: they keep the topics distinct.
        self.area_phrases = {a: list(PRIORITY_AREAS[a]) for a in self.area_names}
        self.phrase_total = sum(len(v) for v in self.area_phrases.values()) + len(self.general)
        self.phrases_in_seeds = sum(
            1 for p in itertools.chain(self.general, *self.area_phrases.values())
            if p.lower() in joined)

        # Year weights grow linearly toward recent years.
        self.years = list(range(YEAR_MIN, YEAR_MAX + 1))
        self.year_cum = list(itertools.accumulate(
            1.0 + 2.0 * i / (len(self.years) - 1) for i in range(len(self.years))))

    # ---- small helpers ---------------------------------------------------

    def words(self, rng, k):
        """k words: each one either follows a bigram of the previous word
        (probability BIGRAM_P, when the previous word has successors) or is a
        fresh draw from the Zipf mixture over the whole vocabulary."""
        cum, total, hi = self.cum, self.cum_total, len(self.cum) - 1
        vocab, succ, start = self.vocab, self.succ, self.succ_start
        rand = rng.random
        bis = bisect.bisect
        i = bis(cum, rand() * total, 0, hi)
        out = [vocab[i]]
        for _ in range(k - 1):
            if rand() < BIGRAM_P:
                s = start[i]
                n = start[i + 1] - s
                if n:
                    i = succ[s + int(rand() * n)]
                    out.append(vocab[i])
                    continue
            i = bis(cum, rand() * total, 0, hi)
            out.append(vocab[i])
        return out

    def sentence(self, rng, area_ph, year):
        n = rng.randint(8, 35)
        ws = self.words(rng, n)
        r = rng.random()
        # Embed a topical phrase in about 45% of sentences and a general
        # phrase in about 25%; some sentences get both.
        if r < 0.45:
            ws[rng.randrange(n)] = area_ph[min(int(rng.expovariate(0.35)), len(area_ph) - 1)]
        if rng.random() < 0.25:
            g = self.general
            ws[rng.randrange(n)] = g[min(int(rng.expovariate(0.12)), len(g) - 1)]
        r = rng.random()
        if r < 0.06:
            ws.insert(rng.randrange(n), "in %d" % rng.randint(max(YEAR_MIN - 10, 1980), year))
        elif r < 0.08:
            ws.insert(rng.randrange(n), "%s-%04d" % (rng.choice(("TA", "GEF", "PRJ", "MOU", "Grant")),
                                                     rng.randrange(10000)))
        if n > 12 and rng.random() < 0.5:
            i = rng.randrange(3, n - 3)
            ws[i] = ws[i] + ","
        first = ws[0]
        ws[0] = first[:1].upper() + first[1:]
        s = " ".join(ws)
        return s if s.endswith(".") else s + "."

    def paragraph(self, rng, area_ph, year):
        return " ".join(self.sentence(rng, area_ph, year) for _ in range(rng.randint(2, 8)))

    def bullets(self, rng, area_ph):
        items = []
        for _ in range(rng.randint(3, 8)):
            ws = self.words(rng, rng.randint(3, 12))
            ws[rng.randrange(len(ws))] = rng.choice(area_ph)
            items.append("  \u2022 " + " ".join(ws) + ";")
        return "\n".join(items)

    def target_length(self, rng):
        if rng.random() < self.long_fraction:
            return int(math.exp(rng.uniform(math.log(LONG_MIN), math.log(LONG_MAX))))
        n = rng.lognormvariate(math.log(BASE_MEDIAN), BASE_SIGMA)
        return int(min(max(n, MIN_LEN), MAX_LEN))

    def pick_org(self, rng, year):
        while True:
            org = rng.choice(ORGANISATIONS)
            if org[2] <= year <= org[3]:
                return org

    # ---- one document ----------------------------------------------------

    def document(self, i):
        rng = random.Random("%d:%d" % (self.seed, i))
        year = self.years[bisect.bisect(self.year_cum, rng.random() * self.year_cum[-1])]
        org_name, org_short, _, _ = self.pick_org(rng, year)
        area = rng.choice(self.area_names)
        area_ph = self.area_phrases[area]
        # Shuffle the area phrases per document so each document has its own
        # favourite terms, still drawn from the area's list.
        area_ph = area_ph[:]
        rng.shuffle(area_ph)

        y2 = min(year + rng.choice((2, 3, 4, 5)), YEAR_MAX + 5)
        title = rng.choice(TITLE_TEMPLATES).format(
            Area=area[:1].upper() + area[1:], y=year, y2=y2, Org=org_short,
            n=rng.choice(ORDINALS))

        target = self.target_length(rng)
        parts = [title, ""]
        size = len(title) + 2
        section = 0
        while size < target:
            r = rng.random()
            if r < 0.12:
                section += 1
                block = "%d. %s" % (section, rng.choice(SECTION_HEADINGS))
            elif r < 0.20:
                block = self.bullets(rng, area_ph)
            else:
                block = self.paragraph(rng, area_ph, year)
            parts.append(block)
            parts.append("")
            size += len(block) + 2
        text = "\n".join(parts)

        slug = re.sub(r"[^a-z0-9]+", "-", org_short.lower()).strip("-")
        return {
            "id": None,  # filled in by the writer
            "title": title,
            "text": text,
            "year": year,
            "organisation": org_name,
            "priority_area": area,
            "url": "https://policy-docs.synthetic.invalid/%s/%d/doc-%06d" % (slug, year, i),
        }


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------

def write_jsonl(gen, ndocs, out, width):
    text_bytes = 0
    file_bytes = 0
    fh = None
    dumps = json.dumps
    for i in range(ndocs):
        if i % DOCS_PER_PART == 0:
            if fh:
                fh.close()
            fh = open(out / ("part-%04d.jsonl" % (i // DOCS_PER_PART)), "wb")
        d = gen.document(i)
        d["id"] = "doc-%0*d" % (width, i)
        line = (dumps(d, ensure_ascii=False) + "\n").encode("utf-8")
        fh.write(line)
        file_bytes += len(line)
        text_bytes += len(d["text"].encode("utf-8"))
    if fh:
        fh.close()
    return text_bytes, file_bytes


def write_txt(gen, ndocs, out, width):
    text_bytes = 0
    file_bytes = 0
    dwidth = max(3, len(str(max(ndocs - 1, 0) // DOCS_PER_DIR)))
    cur_dir = None
    for i in range(ndocs):
        sub = out / ("%0*d" % (dwidth, i // DOCS_PER_DIR))
        if sub != cur_dir:
            sub.mkdir(parents=True, exist_ok=True)
            cur_dir = sub
        d = gen.document(i)
        base = "doc-%0*d" % (width, i)
        data = d["text"].encode("utf-8")
        meta = (json.dumps({"title": d["title"], "organisation": d["organisation"],
                            "year": d["year"]}, ensure_ascii=False) + "\n").encode("utf-8")
        with open(sub / (base + ".txt"), "wb") as f:
            f.write(data)
        with open(sub / (base + ".meta.json"), "wb") as f:
            f.write(meta)
        text_bytes += len(data)
        file_bytes += len(data) + len(meta)
    return text_bytes, file_bytes


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Deterministic synthetic policy-document corpus generator.")
    ap.add_argument("--docs", type=int, required=True, help="number of documents")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    ap.add_argument("--format", choices=("jsonl", "txt"), default="jsonl")
    ap.add_argument("--long-fraction", type=float, default=DEFAULT_LONG_FRACTION,
                    help="share of long 20-80 KB documents (default %.2f)" % DEFAULT_LONG_FRACTION)
    ap.add_argument("--no-cache", action="store_true",
                    help="train the text model afresh; neither read nor write the cache")
    args = ap.parse_args(argv)
    if args.docs < 0:
        ap.error("--docs must be >= 0")
    if not 0.0 <= args.long_fraction <= 1.0:
        ap.error("--long-fraction must be between 0 and 1")

    t0 = time.perf_counter()
    gen = Generator(args.seed, args.long_fraction, use_cache=not args.no_cache)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    width = max(6, len(str(max(args.docs - 1, 0))))
    writer = write_jsonl if args.format == "jsonl" else write_txt
    text_bytes, file_bytes = writer(gen, args.docs, out, width)
    dt = time.perf_counter() - t0

    mb = 1e6
    tokens, webster_types, derived, seed_types, seed_only = gen.stats
    print("text model: %s, %s" % (WEBSTER_DICT, gen.model_source))
    print("vocabulary: %d Webster words (from %d tokens) + %d derived forms + %d seed-only words"
          % (webster_types, tokens, derived, seed_only))
    print("seeds: %s (%d words, %d/%d phrases found in seeds)"
          % (gen.seed_dir, seed_types, gen.phrases_in_seeds, gen.phrase_total))
    print("docs: %d  format: %s  seed: %d  long-fraction: %.3f"
          % (args.docs, args.format, args.seed, args.long_fraction))
    print("total text: %d bytes (%.1f MB), mean %.0f bytes/doc"
          % (text_bytes, text_bytes / mb, text_bytes / max(args.docs, 1)))
    print("total written: %d bytes (%.1f MB) in %s" % (file_bytes, file_bytes / mb, out))
    print("time: %.1f s (%.0f docs/s, %.1f MB/s)"
          % (dt, args.docs / dt if dt else 0.0, text_bytes / mb / dt if dt else 0.0))
    return 0


if __name__ == "__main__":
    sys.exit(main())

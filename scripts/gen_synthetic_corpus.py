#!/usr/bin/env python3
"""Generate a deterministic synthetic corpus of policy-like documents for benchmarks.

Usage:
    python3 scripts/gen_synthetic_corpus.py --docs N --out DIR
        [--seed S] [--format jsonl|txt] [--long-fraction F]

    --docs N            number of documents to generate (required)
    --out DIR           output directory; it is created if it does not exist
    --seed S            random seed (default 42); the same seed gives the same output
    --format jsonl|txt  output format (default jsonl)
    --long-fraction F   share of long (20-80 KB) documents (default 0.02)

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

How the text is built. Only the Python standard library is used.
  * Vocabulary: the words of the five seed documents. They are read at run time
    from the repository's corpus/ directory (found relative to this script),
    so that every machine generates the same corpus. A tail of
    derived word forms is added (plurals, -ing, -ation, co-/re-/non- ...), and
    so are occasional project codes, so that the vocabulary keeps growing with
    corpus size, as it does in real collections.
  * Word choice follows a Zipf-Mandelbrot law over the words' frequency rank in
    the seeds, so frequent words are frequent. About half of the words instead
    follow a word pair (bigram) that occurs in the seeds, which gives
    phrase-like local word order.
  * Sentences have 8-35 words and paragraphs have 2-8 sentences. There are
    occasional numbered section headings and bullet lists.
  * Multiword phrases that occur in the seeds ("air pollution", "capacity
    building", "Green Envoys Program", "climate change", "e-waste", "PM2.5", ...)
    are embedded at realistic rates. Each document favours the phrases of its
    priority area.
  * Document length is log-normal and capped at 100 KB. A --long-fraction
    share of documents is long instead: 20-80 KB, log-uniform. With the
    defaults, the median is about 3.8 KB and the mean about 5.0 KB, so
    100,000 documents come to about 504 MB of text (535 MB of JSONL) and
    10,000 documents to about 50 MB. Measured with Debian python3 3.11 on one
    core: about 4,400 documents per second (10,000 jsonl documents in 2.3 s,
    100,000 in 23 s). The txt format is slower, about 2,500 documents per
    second, because it writes two files per document.
  * Years run from 1995 to 2025, with more documents in recent years. About 25
    organisations are used, each only within the years it existed, and about
    15 priority areas.
  * URLs use the reserved .invalid top-level domain, so they are clearly
    synthetic and do not point at real pages.

The generator is deterministic. Document i depends only on (seed, i,
long-fraction), so the first 1,000 documents of a 10,000-document run are
identical to the documents of a 1,000-document run with the same seed and
long-fraction. The same documents are written in both formats.
"""

import argparse
import bisect
import itertools
import json
import math
import os
import random
import re
import sys
import time
from pathlib import Path

REPO_CORPUS = Path(__file__).resolve().parent.parent / "corpus"

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
TAIL_SHARE = 0.015    # probability mass given to derived (tail) word forms

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

PREFIXES = ["re", "co-", "non-", "sub", "inter", "multi-", "pre-", "cross-"]
SUFFIXES = ["s", "ed", "ing", "al", "ity", "ation", "ations",
            "ment", "ments", "ness", "ive", "ist", "ists", "ize", "ized"]
# Bases with these endings are already inflected or derived; they get
# prefixes but no further suffixes (avoids "nationss", "revisedment").
NO_SUFFIX_ENDINGS = ("s", "ed", "ing", "ly", "al", "ment", "ness", "ity",
                     "ive", "ism", "ist", "ize", "ion", "ions", "er", "ers", "y")
BIGRAM_P = 0.55       # probability of following a seed bigram instead of a Zipf draw

TOKEN_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9&’'\-]|\.(?=[A-Za-z0-9]))*\.?")
LOWER_WORD_RE = re.compile(r"^[a-z]{5,}$")


# --------------------------------------------------------------------------
# Seed loading and vocabulary
# --------------------------------------------------------------------------

def load_seed_texts():
    """Return (source directory, list of seed texts)."""
    files = sorted(p for p in REPO_CORPUS.glob("*.txt") if p.is_file())
    if not files:
        sys.exit("error: no seed texts found in %s" % REPO_CORPUS)
    return REPO_CORPUS, [p.read_text(encoding="utf-8", errors="replace") for p in files]


def tokenize(text):
    out = []
    for tok in TOKEN_RE.findall(text):
        # Strip a sentence-final period unless the token is an abbreviation
        # with internal periods, e.g. "U.S.".
        if tok.endswith(".") and "." not in tok[:-1]:
            tok = tok[:-1]
        if tok.startswith("app:"):
            continue
        out.append(tok)
    return out


def build_vocabulary(texts):
    """Return (core words by descending seed frequency, derived tail words,
    bigram successor lists).

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
    core = [surface[k] for k in keys]
    succ = {}
    for seq in seqs:
        for a, b in zip(seq, seq[1:]):
            succ.setdefault(surface[a], []).append(surface[b])
    for v in succ.values():
        v.sort()   # independent of the order in which seed files are read

    # Tail: derived forms of the seed's content words, in a seeded shuffle so
    # that their Zipf ranks are arbitrary but deterministic.
    known = set(keys)
    bases = [k for k in keys if LOWER_WORD_RE.match(k)]
    derived = []
    seen = set()
    for b in bases:
        if not b.endswith(NO_SUFFIX_ENDINGS):
            for suf in SUFFIXES:
                # "cooperate" + "ing" -> "cooperating"; "manage" + "ment" -> "management"
                w = (b[:-1] if b.endswith("e") and suf[0] in "aeiou" else b) + suf
                if w not in known and w not in seen:
                    seen.add(w)
                    derived.append(w)
        for pre in PREFIXES:
            w = pre + b
            if w not in known and w not in seen:
                seen.add(w)
                derived.append(w)
    random.Random(12345).shuffle(derived)
    return core, derived, succ


def zipf_cum_weights(n, start_rank=1, total=1.0):
    w = [1.0 / (r + ZIPF_Q) ** ZIPF_S for r in range(start_rank, start_rank + n)]
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
    def __init__(self, seed, long_fraction):
        self.seed = seed
        self.long_fraction = long_fraction
        self.seed_dir, texts = load_seed_texts()
        core, derived, self.succ = build_vocabulary(texts)
        self.core_size = len(core)
        self.tail_size = len(derived)
        self.vocab = core + derived
        w = zipf_cum_weights(len(core), 1, 1.0 - TAIL_SHARE)
        w += zipf_cum_weights(len(derived), 1, TAIL_SHARE)
        self.cum = list(itertools.accumulate(w))
        self.cum_total = self.cum[-1]

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
        """k words: each one either follows a seed bigram of the previous word
        (probability BIGRAM_P, when the previous word has successors) or is a
        fresh Zipf draw over the whole vocabulary."""
        cum, vocab, total, hi = self.cum, self.vocab, self.cum_total, len(self.vocab) - 1
        succ_get = self.succ.get
        rand = rng.random
        bis = bisect.bisect
        w = vocab[bis(cum, rand() * total, 0, hi)]
        out = [w]
        for _ in range(k - 1):
            s = succ_get(w)
            if s is not None and rand() < BIGRAM_P:
                w = s[int(rand() * len(s))]
            else:
                w = vocab[bis(cum, rand() * total, 0, hi)]
            out.append(w)
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
    args = ap.parse_args(argv)
    if args.docs < 0:
        ap.error("--docs must be >= 0")
    if not 0.0 <= args.long_fraction <= 1.0:
        ap.error("--long-fraction must be between 0 and 1")

    t0 = time.perf_counter()
    gen = Generator(args.seed, args.long_fraction)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    width = max(6, len(str(max(args.docs - 1, 0))))
    writer = write_jsonl if args.format == "jsonl" else write_txt
    text_bytes, file_bytes = writer(gen, args.docs, out, width)
    dt = time.perf_counter() - t0

    mb = 1e6
    print("seeds: %s (vocabulary %d seed words + %d derived forms, %d/%d phrases found in seeds)"
          % (gen.seed_dir, gen.core_size, gen.tail_size, gen.phrases_in_seeds, gen.phrase_total))
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

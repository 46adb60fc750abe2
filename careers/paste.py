"""Paste-to-post: read a job ad as it circulates in WhatsApp groups and guess the fields of a vacancy.

Pure Python (no database, no models), so it runs anywhere: the posting form calls parse_vacancy() and pre-fills what
it found; the poster checks and corrects. Every guess is conservative: a field stays empty rather than wrong.

Robust to Windows line endings, WhatsApp formatting (*bold*, _italic_, ~strike~), Unicode "bold" letters, emoji and
bullets; never raises; input is cut to MAX_CHARS first, patterns run line by line with bounded repeats, so a 20,000
character paste takes well under a second (tests/careers/test_paste.py feeds it adversarial ones).

Left empty on purpose (the poster fills them in): a deadline relative to an unknown date ("3 hari setelah
pengumuman"), pay per hour/meeting/article/year (the salary fields are monthly rupiah), a region spanning provinces
("Jabodetabek"), and the kind of job when the ad does not say it.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from alumni.provinces import PROVINCES

from .places import ALIASES, AMBIGUOUS_CITIES, CITIES, PROVINCE_ALIASES

MAX_CHARS = 20_000


@dataclass
class PastedVacancy:
    """What a pasted ad gives; "" / None / False where it says nothing. found names the filled fields, in this
    order, for the form's "We filled in: …" line."""

    title: str = ""
    organisation: str = ""
    kind: str = ""
    province_code: str = ""
    city: str = ""
    remote: bool = False
    closing_date: datetime.date | None = None
    apply_email: str = ""
    apply_url: str = ""
    phone: str = ""
    salary_min: int | None = None
    salary_max: int | None = None
    requirements: str = ""
    description: str = ""
    found: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------------- text

_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\ufe0e\ufe0f\u20e3]")
_BULLET = re.compile(r"^\s*(?:[-•·▪●◦‣⁃*✓✔☑→>+–—]+|\d{1,2}[.)]|[a-hA-H][.)])\s+")
_WA_MARK = re.compile(r"(?<![\w*_~])[*_~]+|[*_~]+(?![\w*_~])")
_SPACES = re.compile(r"[ \t]+")


def _is_pictograph(char: str) -> bool:
    if "\u2190" <= char <= "\u21ff":  # arrows: "Indonesian ⇄ English" keeps its meaning
        return False
    return unicodedata.category(char) in ("So", "Sk", "Cs", "Co", "Cn") and char not in "©®°"


def _strip_emoji(line: str) -> str:
    return "".join(" " if _is_pictograph(c) else c for c in line)


def _clean(line: str) -> str:
    """One line without emoji, WhatsApp markers and doubled spaces."""
    line = _strip_emoji(line).replace("*", " ").replace("~", " ")
    line = _WA_MARK.sub(" ", line)
    return _SPACES.sub(" ", line).strip()


def _unbullet(line: str) -> str:
    return _BULLET.sub("", line, count=1).strip()


def _normalise(text: str) -> str:
    text = str(text or "")[:MAX_CHARS]
    text = unicodedata.normalize("NFKC", text)[:MAX_CHARS]
    text = _INVISIBLE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\t", " ")
    return text


# ------------------------------------------------------------------------------------------------- places index

def _place_pattern(names, *, ignore_case: bool) -> re.Pattern:
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(r"(?<![\w@./-])(" + alternation + r")(?![\w@-])", flags)


_CANONICAL = {name.lower(): name for name in CITIES}
_CANONICAL.update({alias.lower(): target for alias, target in ALIASES.items()})
_AMBIGUOUS_LOWER = {name.lower() for name in AMBIGUOUS_CITIES}
_PLACE_NAMES = [*CITIES, *ALIASES]
_PLACE_ANY_CASE = _place_pattern(_PLACE_NAMES, ignore_case=True)
_PLACE_CASED = _place_pattern([*_PLACE_NAMES, *(n.upper() for n in _PLACE_NAMES)], ignore_case=False)
_PROVINCE_NAMES = {name.lower(): code for code, name in PROVINCES}
_PROVINCE_NAMES.update({name.lower(): code for name, code in PROVINCE_ALIASES.items()})
_PROVINCE_NAMES.update({"yogyakarta": "040000"})
_PROVINCE_CASED = _place_pattern(
    [n for code, name in PROVINCES for n in (name, name.upper())]
    + [n for name in PROVINCE_ALIASES for n in (name, name.upper())],
    ignore_case=False,
)
_PLACE_PREFIX = re.compile(r"(?:kota|kab\.?|kabupaten|di|daerah|wilayah|area|sekitar|city of)\s+$", re.IGNORECASE)


def _city_in(text: str, *, labelled: bool) -> str:
    """The first city named in text: any case and ambiguous names too on a line that says where the job is;
    elsewhere only capitalised, and ambiguous names only after "Kota", "Kab.", "di" and the like."""
    pattern = _PLACE_ANY_CASE if labelled else _PLACE_CASED
    for match in pattern.finditer(text):
        key = match.group(1).lower()
        if not labelled and key in _AMBIGUOUS_LOWER and not _PLACE_PREFIX.search(text[max(0, match.start() - 12):
                                                                                         match.start()]):
            continue
        return _CANONICAL.get(key, "")
    return ""


# ------------------------------------------------------------------------------------------------------ labels

_LABEL = re.compile(r"^([A-Za-z][A-Za-z /.&'-]{1,30}?)\s*[:=]\s*(.*)$")
_TITLE_LABELS = {
    "posisi", "position", "jabatan", "formasi", "lowongan", "role", "job title", "vacancy", "job vacancy",
    "nama posisi", "posisi yang dibutuhkan", "dibutuhkan", "open position", "lowongan posisi", "job position",
    "title", "judul", "opening", "job opening", "job openings", "open positions", "posisi dibuka", "lowongan kerja",
    "lowongan jabatan", "nama jabatan", "hiring", "we are hiring", "we're hiring", "now hiring",
    "position available", "available position", "positions available", "lowongan tersedia", "job role", "posisi kerja",
}
_ORG_LABELS = {
    "perusahaan", "instansi", "company", "organisation", "organization", "lembaga", "employer", "nama perusahaan",
    "institusi", "nama instansi", "organisasi", "company name", "hiring company", "klien", "client", "institution",
    "nama sekolah", "sekolah", "kampus", "universitas", "satuan kerja", "satker",
}
_LOCATION_LABEL = re.compile(
    r"^(?:lokasi(?: kerja| penempatan)?|location|penempatan(?: kerja)?|duty station|tempat(?: kerja| tugas)?|"
    r"work location|job location|kota|city|placement|based in|area|wilayah(?: kerja)?|unit kerja|office)\b",
    re.IGNORECASE,
)
_LOCATION_PHRASE = re.compile(
    r"\b(?:penempatan|ditempatkan|berlokasi|lokasi|based|located|bertempat|kantor)\s+(?:di|in|at)\s+",
    re.IGNORECASE,
)
_DOMICILE = re.compile(r"\b(?:ber)?domisili\b|\bdomicile\b", re.IGNORECASE)


def _label(line: str) -> tuple[str, str] | None:
    match = _LABEL.match(line)
    if not match:
        return None
    return match.group(1).strip().lower(), match.group(2).strip()


# ------------------------------------------------------------------------------------------------------- title

_TITLE_PREFIX = re.compile(
    r"^(?:\[[^\]]{0,40}\]|#\w+|"
    r"(?:info\s+)?(?:loker|lowker|lowongan(?:\s+kerja)?|job\s+vacancy|vacancy)\b|"
    r"(?:we(?:'re|\s+are)|now|is|are|urgently|urgent)\s+hiring\b|hiring\b|"
    r"open\s+recruit(?:ment)?\b|oprec\b|rekrutmen\b|recruitment\b|"
    r"dibutuhkan(?:\s+segera)?\b|dicari(?:kan)?\b|segera\b|urgent(?:ly)?(?:\s+needed)?\b|butuh\b|"
    r"job\s+(?:alert|opening|opportunity|vacancy)\b|(?:career|volunteer|internship)\s+opportunit(?:y|ies)\b|"
    r"opportunit(?:y|ies)\b|kesempatan\s+kerja\b|remote\b|alert\b|(?:formasi|posisi|position)\b(?!\s*[:=])|"
    r"(?:yuk|ayo|mari|come\s+and)\s+(?:gabung|bergabung|daftar|join)(?:\s+(?:jadi|menjadi|sebagai|bersama|as|us\s+as))?"
    r"(?:\s+an?)?\b|join\s+(?:us|our\s+team)\s+as(?:\s+an?)?\b|"
    r"[:\-–—|!.,/]+)\s*",
    re.IGNORECASE,
)
_FILLER = re.compile(
    r"^(?:assalam|asalam|bismillah|hal+o\b|hai\b|hi\b|hello\b|hey\b|dear\b|selamat\s+(?:pagi|siang|sore|malam)|"
    r"salam\b|met\s+(?:pagi|siang|sore|malam)|good\s+(?:morning|afternoon|evening)|permisi|izin|ijin|mohon|"
    r"bantu\s|info\s+(?:untuk|buat|dari|nih|bagi)|ada\s+info|sharing|share\b|repost|fyi\b|untuk\s+(?:teman|rekan|"
    r"alumni|kawan|adik|para)|bagi\s+(?:teman|rekan|alumni|kawan|yang|para)|teman-teman|rekan-rekan|"
    r"pengumuman\b|announcement\b|vacancy announcement\b|nomor\b|no\.\s|hal\s*:|perihal|lampiran|kepada|yth|"
    r"wassalam|terima\s*kasih|thank|forwarded|diteruskan|sumber\s*:|source\s*:|cc\s*:)",
    re.IGNORECASE,
)
_ORG_PREFIX = (
    r"(?:PT\.?|CV\.?|Bank|BPRS?|Yayasan|Universitas|Institut|Politeknik|Sekolah\s+Tinggi|STAI|STAIN|STIE|STIKES|"
    r"STMIK|UIN|IAIN|Fakultas|Perpustakaan|Dinas|Badan|Kementerian|Kemenag|Pemerintah|Pemkab|Pemkot|Pemprov|"
    r"Sekretariat|RSUD|RSU|RSIA|RS|Rumah\s+Sakit|Klinik|Puskesmas|Apotek|KAP|Kantor\s+Akuntan\s+Publik|"
    r"Kantor\s+Hukum|Koperasi|Penerbit|Lembaga|SDIT|SDN|SD|SMPIT|SMPN|SMP|SMAN|SMA|SMKN|SMK|MTsN|MTs|MAN|"
    r"Madrasah|Pondok\s+Pesantren|Ponpes|Pesantren|Sekolah|TK|PAUD|Hotel|Perum|Perumda|PDAM|Balai|Museum|"
    r"Arsip|LBH|Komunitas|Kedutaan|Embassy|Startup|Studio|Toko|Restoran|Kafe|Cafe)"
)
_NAME_START = r"(?=[A-Z0-9(]|(?:dr|drg|Ir|H|KH|Hj|Prof)\.?\s)"
_ORG_START = re.compile(r"(?<![\w@.])" + _ORG_PREFIX + r"\s+" + _NAME_START)
# the same names written in capitals ("UNIVERSITAS NEGERI MALANG"), for the lines of the body only: in a title line
# "… BANK BNI 2026" is part of the title
_ORG_START_CAPS = re.compile(r"(?<![\w@.])" + re.sub(r"\\s\+", " ", _ORG_PREFIX).upper().replace(" ", r"\s+")
                             + r"\s+(?=[A-Z0-9(])")
_ORG_VERBS = (
    r"(?i:is\s+(?:looking\s+for|hiring|seeking|searching\s+for|opening|recruiting)|are\s+(?:looking\s+for|hiring)|"
    r"membuka\s+(?:lowongan(?:\s+kerja)?|kesempatan|rekrutmen|pendaftaran)|sedang\s+(?:mencari|membutuhkan|"
    r"membuka)|membutuhkan|mencari|menerima|merekrut|mengundang|invites|seeks|kembali\s+membuka|membuka)"
)
_ORG_VERB_LINE = re.compile(
    r"^((?:[A-Z0-9][\w&.'()-]*)(?:\s+(?:[A-Z0-9&(][\w&.'()-]*|dan|of|and|for|the|&|de|di|van|al)){0,9})\s+" + _ORG_VERBS
    + r"\b[\s:]*(.*)$"
)
_ORG_STOP = re.compile(
    r"\s+" + _ORG_VERBS + r"\b|\s+(?:yang|untuk|adalah|berlokasi|beralamat|bergerak|hadir|kini|saat\s+ini|"
    r"bekerja\s+sama|is|are|was|has|have|we|kami|with|dengan|membuka|sedang|buka)\b|\s[-–—|]\s|[,;:!?]|"
    r"(?<!\bPT)(?<!\bCV)(?<!\bPte)(?<!\bLtd)(?<!\bTbk)(?<!\bInc)(?<!\bCo)(?<!\bNo)(?<!\bJl)(?<!\bKab)(?<!\bKec)"
    r"(?<!\bKel)(?<!\bProv)(?<!\bSt)(?<!\bDr)(?<!\bdr)(?<!\bdrg)(?<!\bIr)(?<!\bKH)(?<!\bHj)(?<!\bProf)(?<!\bH)"
    r"\.(?:\s|$)|\s+cabang\s|\s+(?:di|in|at)\s+(?=[A-Z])"
)
_NOT_ORG = re.compile(r"^(?:kami|kita|we|our|saya|i|perusahaan kami|sekolah kami|kantor kami|tim kami|"
                      r"the company|dicari|dibutuhkan)\b", re.IGNORECASE)
_KIND_WORDS = re.compile(
    r"^(?:full[\s-]?time|part[\s-]?time|paruh\s+waktu|kontrak|contract|freelance|freelancer|lepas|magang|"
    r"intern(?:ship)?|remote|wfh|work\s+from\s+home|hybrid|onsite|on-site|volunteer|relawan|pkl|tetap|"
    r"permanent|urgent)(?:\s*[/,&]\s*(?:full[\s-]?time|part[\s-]?time|remote|wfh|hybrid|onsite|kontrak|"
    r"contract|freelance))*$",
    re.IGNORECASE,
)
_TRAILING_PAREN = re.compile(r"\s*\(([^()]{0,60})\)\s*$")
_PAREN_NOISE = re.compile(
    r"^(?:\d+\s*(?:orang|org|posisi|person|people|pax|formasi|kuota|slot)s?|pria|wanita|laki-laki|perempuan|"
    r"male|female|urgent|segera|fresh\s*graduate|fg|.*\b(?:pria|wanita|th|thn|tahun|usia|years?\s+old)\b.*|"
    r"(?:s1|s2|s3|d1|d2|d3|d4|sma|smk|slta|min\.?|minimal|lulusan)\b.*|"
    + _KIND_WORDS.pattern[1:-1] + r")$",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s+(?:[-–—|@]|at|di|for|untuk)\s+", re.IGNORECASE)
_TRAIL_PUNCT = re.compile(r"[\s:;,.!?|/\\\-–—=+]+$")
_LEAD_PUNCT = re.compile(r"^[\s:;,.!?|/\\\-–—=+>]+")
_LOWER_WORDS = {"dan", "di", "ke", "dari", "untuk", "yang", "atau", "the", "and", "of", "for", "at", "in", "on",
                "to", "a", "an", "or", "with", "bagi", "pada", "dengan"}
_SHORT_WORDS = {"tim", "dan", "the", "and", "for", "web", "new", "top", "big", "art", "ibu", "bu", "pak", "kak",
                "staf", "all", "day", "ke", "di", "ahli", "non", "via", "pro", "bar", "spa", "one", "lab"}
_ABBREVIATIONS = {"pt", "cv", "tbk", "ltd", "pte", "inc", "co", "corp", "bhd", "llc", "dr", "ir", "h", "st", "jl"}


def _smart_case(text: str) -> str:
    """Title case for a line written in capitals or in lower case; short capitalised acronyms (ODP, BNI, IT, UI/UX)
    stay as they are, and Indonesian/English small words go lower case."""
    all_upper = text.upper() == text
    words = []
    for index, word in enumerate(text.split(" ")):
        parts = re.split(r"([-/])", word)
        out = []
        for part in parts:
            letters = re.sub(r"[^A-Za-z]", "", part)
            if not letters:
                out.append(part)
            elif index and letters.lower() in _LOWER_WORDS:
                out.append(part.lower())
            elif all_upper and len(letters) <= 3 and letters.lower() not in _SHORT_WORDS:
                out.append(part)
            else:
                pos = part.find(letters[0])
                out.append(part[:pos] + part[pos].upper() + part[pos + 1:].lower())
        words.append("".join(out))
    return " ".join(words)


_GENERIC_HEADER = re.compile(
    r"^(?:(?:hotel|pabrik|bumn|bank|terbaru|hari\s+ini|update|umum|cpns|pppk|startup|sekolah|kampus|"
    r"kerja|karir|career|jobs?|info|loker|lowongan|bulan\s+ini|minggu\s+ini|fresh\s*graduate|lulusan\s+baru|"
    r"jabodetabek|jabodetabekpur|jawa|sumatera|kalimantan|sulawesi|indonesia|\d{4})\b[\s,&/-]*)+$",
    re.IGNORECASE,
)
_SENTENCE_TITLE = re.compile(
    r"^(?:we(?:'re|\s+are)|kami|kita|i'?m|saya|our\s+team\s+is|tim\s+kami)\s+(?:lagi\s+|sedang\s+|currently\s+|"
    r"are\s+|is\s+)?(?:looking\s+for|hiring|searching\s+for|seeking|mencari|cari|membutuhkan|butuh|merekrut)\s+"
    r"(?:(?:an?|one|some|beberapa|seorang|posisi|sebagai)\s+)?(.{2,100}?)"
    r"(?:\s+(?:to\s+join|untuk\s+bergabung\s+(?:di|dengan|bersama)|bergabung\s+(?:di|dengan|bersama)|at|di|"
    r"buat|untuk|for|in)\s+(.{2,100}?))?\s*[.!]*$",
    re.IGNORECASE,
)


def _sentence_title(text: str) -> tuple[str, str] | None:
    """"We're looking for a Junior Developer to join Eduloka in Bandung!" -> ("Junior Developer", "Eduloka")."""
    match = _SENTENCE_TITLE.match(text)
    if not match:
        return None
    title, rest = match.group(1), match.group(2) or ""
    org = re.split(r"\s+(?:in|di|at)\s+|[,;(]", rest)[0].strip()
    if not org[:1].isupper() or _place_only(org) or _KIND_WORDS.match(org):
        org = ""
    return _polish_title(title), (_polish_org(org) if org else "")


def _strip_prefixes(text: str) -> str:
    for _ in range(8):
        stripped = _TITLE_PREFIX.sub("", text, count=1).strip()
        if stripped == text:
            break
        text = stripped
    return text


def _tidy(text: str, *, keep_abbreviation_dot: bool = False) -> str:
    text = _SPACES.sub(" ", text).strip()
    for _ in range(4):
        before = text
        if keep_abbreviation_dot and text.endswith("."):
            last = re.split(r"[\s.]", text[:-1])[-1].lower() if text[:-1] else ""
            if last in _ABBREVIATIONS:
                return text
        text = _TRAIL_PUNCT.sub("", text)
        text = _LEAD_PUNCT.sub("", text)
        if text == before:
            break
    return text.strip()


_TITLE_CUT = re.compile(
    r"[,;!?]\s|[,;!?]$|\.\s|\s(?:daerah|area|wilayah|domisili|penempatan|lokasi|cabang|dengan\s+gaji|gaji|fee|honor|"
    r"salary|minat|hubungi|hub|japri|call|wa|segera|periode|batch|angkatan|gelombang|tahun\s+\d{4}|"
    r"for\s+the\s+(?:period|year|batch))\s",
    re.IGNORECASE,
)
_ABBREVIATION_END = re.compile(r"(?:\b(?:dr|drg|Ir|H|KH|Hj|Prof|No|Jl|St|Kab|Kec|Prov|PT|CV|Pte|Ltd|Tbk|Inc|Co|S|M)"
                               r"|\b[A-Z])$")


def _cut_title(text: str) -> str:
    """The title is the job, not the sentence around it: cut at the first comma, full stop or a word that starts
    the place, the pay or the contact ("Guru Privat daerah Sleman, fee 100rb" -> "Guru Privat")."""
    depth = 0
    for position, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0 and position > 1:
            match = _TITLE_CUT.match(text, position)
            if match and not (char == "." and _ABBREVIATION_END.search(text[:position])):
                return text[:position]
    return text


_TRAILING_COUNT = re.compile(r"\s*[-–—:,]?\s*\(?\d{1,3}\s*(?:orang|org|posisi|formasi|people|persons?|pax)\)?$",
                             re.IGNORECASE)


def _polish_title(text: str) -> str:
    text = _cut_title(_tidy(_strip_prefixes(_tidy(text))))
    text = _tidy(_TRAILING_COUNT.sub("", _tidy(text)))
    for _ in range(3):
        match = _TRAILING_PAREN.search(text)
        inside = match.group(1).strip() if match else ""
        if not match or not (_PAREN_NOISE.match(inside) or (_place_only(inside) and re.search(r"\w", inside))):
            break
        text = _tidy(text[: match.start()])
    text = _tidy(_DANGLING_WORD.sub("", _tidy(text)))
    if _LEADING_PREPOSITION.match(text):
        return ""  # "di Aceh untuk lulusan SMK" names no job
    if text and (text.upper() == text or text.lower() == text) and re.search(r"[A-Za-z]", text):
        text = _smart_case(text)
    return text[:200]


_DANGLING_WORD = re.compile(r"(?:\s+(?:untuk|di|at|for|in|dengan|yang|dan|and|&|of|ke|to|bagi|sebagai|as))+$",
                            re.IGNORECASE)
_LEADING_PREPOSITION = re.compile(r"^(?:di|untuk|for|at|in|bagi|ke|to|dengan|with)\b", re.IGNORECASE)


def _is_org(text: str) -> bool:
    return bool(re.match(_ORG_PREFIX + r"\s+" + _NAME_START, text))


def _polish_org(text: str) -> str:
    text = _tidy(text)
    cut = _ORG_STOP.search(text, 2)
    if cut:
        text = text[: cut.start()]
    text = _tidy(text, keep_abbreviation_dot=True)
    match = _TRAILING_PAREN.search(text)
    if match and (_city_in(match.group(1), labelled=True) or _province_in(match.group(1))
                  or match.group(1).strip()[:1].islower()):
        text = _tidy(text[: match.start()], keep_abbreviation_dot=True)
    text = _tidy(re.sub(r"\s+(?:(?:tahun|th\.?|year|periode|batch)\s+)?(?:19|20)\d\d$", "", text, flags=re.IGNORECASE),
                 keep_abbreviation_dot=True)
    if _NOT_ORG.match(text) or len(text) < 2:
        return ""
    if text.upper() == text and re.search(r"[A-Z]{4}", text):
        text = _org_case(text)
    return text[:150]


_ACRONYMS = {
    "pt", "cv", "tbk", "bpr", "bprs", "bpd", "bni", "bri", "bca", "btn", "bsi", "bjb", "bumn", "bumd", "uin", "iain",
    "itb", "ugm", "ui", "ipb", "its", "unair", "sd", "sdn", "sdit", "smp", "smpn", "sma", "sman", "smk", "smkn", "tk",
    "paud", "rs", "rsud", "rsu", "rsia", "kap", "kc", "kcp", "kk", "ngo", "lbh", "pln", "kai", "pdam", "hrd", "it",
    "ri", "dki", "diy", "ntb", "ntt", "mts", "man", "mi", "ma", "stai", "stie", "stmik", "umkm", "ukm", "bpjs",
}


def _org_case(text: str) -> str:
    """An organisation written in capitals, in the case people write it: acronyms stay ("BPR", "PT", "SMKN"),
    words take a capital letter ("ARTHA MAS ABADI" -> "Artha Mas Abadi")."""
    words = []
    for word in text.split(" "):
        letters = re.sub(r"[^A-Za-z]", "", word)
        if not letters or letters.lower() in _ACRONYMS or not re.search(r"[AEIOUaeiou]", letters):
            words.append(word)
        elif letters.lower() in _LOWER_WORDS and words:
            words.append(word.lower())
        else:
            pos = word.find(letters[0])
            words.append(word[:pos] + word[pos].upper() + word[pos + 1:].lower())
    return " ".join(words)


_ORGISH = re.compile(
    r"\b(?:Kopi|Coffee|Cafe|Kafe|Resto|Restoran|Bakery|Store|Shop|Mart|Group|Grup|Corp|Corporation|Tbk|Indonesia|"
    r"Media|Digital|Teknologi|Technology|Technologies|Solutions?|Solusi|Consulting|Konsultan|Foundation|Institute|"
    r"Center|Centre|Academy|Akademi|School|Bimbel|Kursus|Studio|Agency|Agensi|Labs?|Travel|Tours?|Logistik|"
    r"Logistics|Farma|Pharma|Clinic|Hospital|Hotel|Resort|Inn|Villa|Property|Properti|Finance|Capital|Ventures|"
    r"Foods?|Makmur|Jaya|Abadi|Sejahtera|Sentosa|Mandiri|Nusantara|Kelas|Komunitas|Gerakan|Rumah)\b"
)


def _split_title(text: str) -> tuple[str, str]:
    """"Staff Admin - PT Maju Jaya" -> ("Staff Admin", "PT Maju Jaya"); a trailing kind or place is dropped."""
    for match in _SEPARATORS.finditer(text):
        left, right = text[: match.start()].strip(), _tidy(text[match.end():])
        sep = match.group(0).strip().lower()
        if not left or not right:
            continue
        if _KIND_WORDS.match(_tidy(right.strip("()"))):
            return left, ""
        if _is_org(right):
            return left, _polish_org(right)
        if _city_in(right, labelled=True) and len(right.split()) <= 3:
            if sep in ("-", "–", "—", "|", "di", "@", "at"):
                return left, ""
            continue
        if sep in ("at", "@") and right[:1].isupper():
            return left, _polish_org(right)
        if sep in ("untuk", "for", "di") and right[:1].isupper() and _ORGISH.search(right):
            return left, _polish_org(right)
    if not _SEPARATORS.search(text):
        inside = _ORG_START.search(text, 1)
        if inside and text[: inside.start()].strip() and text[inside.start() - 1] == " ":
            return text[: inside.start()].strip(), _polish_org(text[inside.start():])
    return text, ""


# -------------------------------------------------------------------------------------------------------- kind

_KIND_RULES = [
    ("internship", re.compile(r"\b(?:magang|internship|interns?|pkl|praktik\s+kerja\s+lapangan|praktek\s+kerja"
                              r"\s+lapangan|kerja\s+praktik|kerja\s+praktek)\b", re.IGNORECASE)),
    ("volunteer", re.compile(r"\b(?:relawan|sukarelawan|volunteers?|volunteering)\b", re.IGNORECASE)),
    ("freelance", re.compile(r"\b(?:freelancer?s?|free\s+lance|(?:pekerja|penerjemah|penulis|tenaga|kerja|desainer|"
                             r"editor|fotografer|translator|pengajar|guru)\s+lepas)\b", re.IGNORECASE)),
    ("part_time", re.compile(r"\b(?:part[\s-]?time(?:r)?|paruh[\s-]waktu)\b", re.IGNORECASE)),
    ("contract", re.compile(r"\b(?:kontrak|contracts?|contractual|pkwt|honorer|harian\s+lepas|outsourc\w*|"
                            r"temporary|fixed[\s-]term)\b", re.IGNORECASE)),
    ("full_time", re.compile(r"\b(?:full[\s-]?time|penuh\s+waktu|pkwtt|permanent|(?:karyawan|pegawai|dosen|guru|"
                             r"staff?|status|pekerja|tenaga|posisi)\s*:?\s+tetap)\b", re.IGNORECASE)),
]
_NOT_FREELANCE = re.compile(r"\bharian\s+lepas\b", re.IGNORECASE)


# "pernah magang", "experience working remotely", "pengalaman sebagai relawan" describe the candidate, not the job
_CANDIDATE_HISTORY = re.compile(
    r"\b(?:pengalaman|berpengalaman|pernah|experience[ds]?|sertifikat|certificate|certified|track\s+record|"
    r"riwayat)\b[^\n.;]{0,40}",
    re.IGNORECASE,
)


# words that look like a kind of job but are its subject: "review kontrak", "audit intern" (internal audit in
# Indonesian), "volunteer experience"
_NOT_KIND = re.compile(
    r"\b(?:review(?:ing)?|drafting|draft|menyusun|penyusunan|manajemen|management|manage|managing|administrasi|"
    r"pengelolaan|mengelola|negosiasi|negotiat\w*|legal|perjanjian|dokumen|documents?|vendor|supplier|tender)\s+"
    r"(?:of\s+|atas\s+)?(?:kontrak|contracts?)\b"
    r"|\b(?:auditor|pengawasan|pengendalian|kontrol|control)\s+intern\b|\bsatuan\s+pengawasan\s+intern\b"
    r"|\b(?:volunteer(?:ing)?|relawan|freelance|magang|internship|kontrak|contract)\s+(?:experience|pengalaman)\b",
    re.IGNORECASE,
)


def _kind(text: str) -> str:
    text = _CANDIDATE_HISTORY.sub(" ", _NOT_KIND.sub(" ", text))
    for kind, pattern in _KIND_RULES:
        if kind == "freelance":
            if pattern.search(_NOT_FREELANCE.sub(" ", text)):
                return kind
        elif pattern.search(text):
            return kind
    return ""


_REMOTE = re.compile(
    r"\b(?:remote(?:ly)?(?!\s+(?:sensing|control|area|site|island|village|desa))|wfh|wfa|work\s+from\s+(?:home|anywhere)|(?:kerja|bekerja|dikerjakan|bisa\s+dikerjakan|"
    r"mengajar|mengerjakan|bertugas)\s+"
    r"dari\s+(?:rumah|mana\s+saja|manapun))\b",
    re.IGNORECASE,
)
_NOT_REMOTE = re.compile(r"\b(?:no|not|tidak|bukan|non)[\s-]+(?:remote|wfh)\b", re.IGNORECASE)


# ------------------------------------------------------------------------------------------------------- dates

_MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "agus": 8, "aug": 8, "ags": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = re.compile(
    r"(?<![\w/.])(?:"
    r"(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s/.-]{0,3}" + _MONTH + r"(?![a-z])(?:[\s,/.-]{0,3}(\d{4})(?!\d))?"
    r"|" + _MONTH + r"(?![a-z])\s{0,3}(\d{1,2})(?:st|nd|rd|th)?(?!\d)(?:[\s,]{1,3}(\d{4})(?!\d))?"
    r"|(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"
    r"|(\d{1,2})([/.-])(\d{1,2})\11(\d{4}|\d{2})(?![\d/.-]?\d)"
    r")",
    re.IGNORECASE,
)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|s/d|s\.?\s?d\.?|sampai(?:\s+dengan)?|hingga|to|until|till)\s*", re.IGNORECASE)
_CLOSING_KEYWORD = re.compile(
    r"(?:paling\s+lambat|selambat[\s-]+lambatnya|deadline|batas(?:\s+(?:akhir|waktu|pendaftaran|pengiriman|"
    r"pengumpulan))?|ditutup|tutup|(?<![\w])s\.?\s?d\.?(?![\w])|(?<![\w])s/d(?![\w])|sampai(?:\s+dengan)?|hingga|"
    r"closing(?:\s+date)?|closes|close|(?<![\w])by(?=\s+(?:\d|[a-z]{3}))|no\s+later\s+than|not\s+later\s+than|"
    r"before|sebelum|terakhir|last\s+day|apply\s+by|until|"
    r"till|due(?:\s+date)?|berakhir|(?:periode|masa)\s+pendaftaran|pendaftaran|registration|applications?\s+"
    r"(?:open|close)|dibuka)",
    re.IGNORECASE,
)
_CALENDAR_EMOJI = ("📅", "🗓", "📆", "⏳", "⌛")


def _date_from_match(match: re.Match, today: datetime.date) -> datetime.date | None:
    g = match.groups()
    try:
        if g[0]:
            day, month, year = int(g[0]), _MONTHS[g[1].lower()], g[2]
        elif g[3]:
            day, month, year = int(g[4]), _MONTHS[g[3].lower()], g[5]
        elif g[6]:
            return datetime.date(int(g[6]), int(g[7]), int(g[8]))
        else:
            day, month, year = int(g[9]), int(g[11]), g[12]
            if len(year) == 2:
                year = str(2000 + int(year))
            if month > 12 >= day:  # 12/15/2026 can only be month-first
                day, month = month, day
        if year:
            return datetime.date(int(year), month, day)
        for offset in range(0, 9):
            try:
                candidate = datetime.date(today.year + offset, month, day)
            except ValueError:
                continue
            if candidate >= today:
                return candidate
    except (ValueError, KeyError, TypeError, OverflowError):
        return None
    return None


def parse_date(text: str, *, today: datetime.date) -> datetime.date | None:
    """The first date in text (the end of a range "1 - 14 Desember"); a date without a year is the next one on or
    after today."""
    for match in _DATE.finditer(text[:400]):
        found = _date_from_match(match, today)
        if found is None:
            continue
        join = _RANGE_JOIN.match(text, match.end())
        if join:
            second = _DATE.match(text, join.end())
            if second:
                end = _date_from_match(second, today)
                if end is not None:
                    return end
        return found
    return None


def _closing_date(lines: list[str], today: datetime.date) -> datetime.date | None:
    for index, line in enumerate(lines):
        for keyword in _CLOSING_KEYWORD.finditer(line):
            after = line[keyword.end(): keyword.end() + 120]
            if not after.strip(" :.-") and index + 1 < len(lines):
                after = lines[index + 1][:120]
            found = parse_date(after, today=today) or _day_month(after, today)
            if found:
                return found
    return None


_DAY_MONTH = re.compile(r"^[\s:,(]*(?:(?:tanggal|tgl\.?|date|hari\s+\w+,?)\s*)?(\d{1,2})[/-](\d{1,2})(?![\d/-])",
                        re.IGNORECASE)


def _day_month(text: str, today: datetime.date) -> datetime.date | None:
    """"Deadline 18/12": a day and month right after a closing keyword (never "18.12", which may be a time)."""
    match = _DAY_MONTH.match(text)
    if not match:
        return None
    day, month = int(match.group(1)), int(match.group(2))
    for offset in range(0, 9):
        try:
            candidate = datetime.date(today.year + offset, month, day)
        except ValueError:
            if not 1 <= month <= 12 or not 1 <= day <= 31:
                return None
            continue
        if candidate >= today:
            return candidate
    return None


def _calendar_date(raw_lines: list[str], today: datetime.date) -> datetime.date | None:
    for raw in raw_lines:
        if any(mark in raw for mark in _CALENDAR_EMOJI):
            found = parse_date(_clean(raw), today=today)
            if found:
                return found
    return None


# ------------------------------------------------------------------------------------------ contacts and links

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,5}"
                    r"\.[A-Za-z]{2,12}(?![\w-])")
_URL = re.compile(r"\bhttps?://[^\s<>\"'*\]\[()]{1,500}", re.IGNORECASE)
_BARE_URL = re.compile(
    r"(?<![\w@./:-])(?:www\.)?(?:[A-Za-z0-9-]{1,63}\.){1,4}(?:com|co\.id|ac\.id|go\.id|or\.id|sch\.id|my\.id|"
    r"web\.id|biz\.id|id|co|org|net|io|ly|gle|me|info|biz|gl|ee|link|app|dev|ai|jobs|careers)"
    r"(?![\w-])(/[^\s<>\"'*\]\[()]{0,500})?",
    re.IGNORECASE,
)
_SHORTENERS = ("bit.ly", "s.id", "forms.gle", "goo.gl", "tinyurl.com", "linktr.ee", "t.ly", "lnk.bio",
               "cutt.ly", "shorturl.at", "rebrand.ly", "bit.do", "ow.ly", "heylink.me", "msha.ke")
_WHATSAPP_LINK = re.compile(r"(?:wa\.me/|api\.whatsapp\.com/send\?phone=|whatsapp\.com/send/?\?phone=)\+?(\d{8,15})",
                            re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+/.,])(?:\+[ \t]?62[ \t.-]?|62[ \t.-]?|\(?0)\d[\d \t().-]{6,18}\d(?![\d])")
_URL_TAIL = re.compile(r"[.,;:!?)\]}'\"]+$")


def _emails(text: str) -> list[re.Match]:
    return list(_EMAIL.finditer(text))


def _apply_url(text: str) -> str:
    candidates = []
    for match in _URL.finditer(text):
        url = _URL_TAIL.sub("", match.group(0))
        if not re.search(r"//(?:www\.)?(?:wa\.me|api\.whatsapp\.com|whatsapp\.com)\b", url, re.IGNORECASE):
            candidates.append((match.start(), url))
    masked = _URL.sub(lambda m: " " * len(m.group(0)), text)
    masked = _EMAIL.sub(lambda m: " " * len(m.group(0)), masked)
    for match in _BARE_URL.finditer(masked):
        url = _URL_TAIL.sub("", match.group(0))
        host = url.split("/", 1)[0].lower()
        host_no_www = host[4:] if host.startswith("www.") else host
        if host_no_www in ("wa.me", "api.whatsapp.com", "whatsapp.com"):
            continue
        has_path = "/" in url and len(url.split("/", 1)[1]) > 0
        if host_no_www in _SHORTENERS and has_path or host.startswith("www.") or has_path:
            candidates.append((match.start(), "https://" + url))
    candidates.sort()
    return candidates[0][1][:500] if candidates else ""


def normalise_phone(raw: str) -> str:
    """An Indonesian number as +62…; "" when it is not one (too short, too long, not a mobile or area code)."""
    digits = re.sub(r"\D", "", raw or "")
    if digits.startswith("62"):
        rest = digits[2:]
    elif digits.startswith("0"):
        rest = digits[1:]
    else:
        return ""
    rest = rest.lstrip("0")
    if rest.startswith("8"):
        ok = 9 <= len(rest) <= 12
    else:
        ok = rest[:1] in "234567" and 8 <= len(rest) <= 11
    return "+62" + rest if ok and rest else ""


def _phone(text: str) -> str:
    candidates = []
    for match in _WHATSAPP_LINK.finditer(text):
        candidates.append((match.start(), normalise_phone(match.group(1))))
    masked = _URL.sub(lambda m: " " * len(m.group(0)), text)
    masked = _EMAIL.sub(lambda m: " " * len(m.group(0)), masked)
    masked = _WHATSAPP_LINK.sub(lambda m: " " * len(m.group(0)), masked)
    for match in _PHONE.finditer(masked):
        candidates.append((match.start(), normalise_phone(match.group(0))))
    candidates = sorted((position, phone) for position, phone in candidates if phone)
    mobiles = [phone for _, phone in candidates if phone.startswith("+628")]
    if mobiles:
        return mobiles[0]
    return candidates[0][1] if candidates else ""


# ------------------------------------------------------------------------------------------------------ salary

_SALARY_KEYWORD = re.compile(
    r"\b(?:gaji|gapok|salary|salaries|upah|honor(?:arium)?|uang\s+saku|insentif|fee|take\s+home\s+pay|thp|"
    r"penghasilan|pendapatan|kompensasi|compensation|stipend|remunerasi|remuneration|pay|rate|imbalan|"
    r"monthly\s+allowance|allowance\s+(?:of|per\s+month)|tunjangan\s+bulanan)\b",
    re.IGNORECASE,
)
_NOT_SALARY = re.compile(r"\b(?:biaya|denda|penalti|pinalti|deposit|jaminan|pinjaman|modal|omzet|omset|"
                         r"dipungut|fee\s+pendaftaran|registration\s+fee)\b", re.IGNORECASE)
_AMOUNT = re.compile(
    r"(?<![\w.,])(?:(rp\.?|idr)\s{0,2})?(\d{1,3}(?:[.,]\d{3}){1,4}(?:[.,]\d{1,2})?|\d{1,9}(?:[.,]\d{1,3})?)"
    r"\s{0,2}(juta|jt|jeti|million|mio|m|rb|ribu|k)?(?![\w])",
    re.IGNORECASE,
)
_PER_SMALL_UNIT = re.compile(
    r"\s*(?:,-)?\s*(?:/|per\s+|tiap\s+|setiap\s+|an\s+hour|a\s+day)\s*(?:jam|hour|hr|hrs|artikel|article|halaman|hal|"
    r"page|kata|word|hari|day|minggu|week|project|proyek|naskah|sesi|session|kunjungan|visit|shift|task|video|"
    r"konten|content|post|pertemuan|kali|visit|meeting|murid|siswa|orang|pcs|unit|item|transaksi|"
    r"tahun|thn|th|year|yr|annum)\b|\s*(?:p\.a\.|annually|setahun)",
    re.IGNORECASE,
)
_AMOUNT_JOIN = re.compile(r"^\s*(?:,-)?\s*(?:-|–|—|~|s\.?\s?d\.?|sampai|hingga|to)\s*$", re.IGNORECASE)


def _number(raw: str, unit: str) -> float | None:
    raw = raw.strip()
    thousands = re.fullmatch(r"\d{1,3}(?:[.,]\d{3}){1,4}(?:[.,]\d{1,2})?", raw)
    if thousands and (not unit or (unit in ("rb", "ribu", "k") and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw))):
        separator = raw[len(raw.split(".")[0].split(",")[0])]
        groups = re.split(r"[.,]", raw)
        if len(groups[-1]) <= 2 and raw[-(len(groups[-1]) + 1)] != separator:
            groups = groups[:-1]
        return float("".join(groups))
    if unit:
        return float(raw.replace(",", ".")) if raw.count(",") + raw.count(".") <= 1 else None
    if re.fullmatch(r"\d+", raw):
        return float(raw)
    return float(raw.replace(",", ".")) if raw.count(",") + raw.count(".") == 1 else None


_MULTIPLIER = {"juta": 1_000_000, "jt": 1_000_000, "jeti": 1_000_000, "million": 1_000_000, "mio": 1_000_000,
               "m": 1_000_000, "rb": 1_000, "ribu": 1_000, "k": 1_000}
# "mulai 4 juta" is a floor, "s/d 7 juta" a ceiling
_FLOOR_WORDS = re.compile(r"(?:mulai(?:\s+dari)?|from|start(?:ing)?\s+(?:from|at)|minimal|minimum|min\.?|>=?|≥|"
                          r"di\s+atas|above|lebih\s+dari)\s*(?:rp\.?|idr)?\s*$", re.IGNORECASE)
_CEILING_WORDS = re.compile(r"(?:s/d|s\.?\s?d\.?|sampai(?:\s+dengan)?|hingga|up\s+to|maks(?:imal|imum)?\.?|"
                            r"max(?:imum)?\.?|<=?|≤|di\s+bawah|below)\s*(?:rp\.?|idr)?\s*$", re.IGNORECASE)


def _salary_in(line: str) -> tuple[int | None, int | None] | None:
    tokens = []
    for match in _AMOUNT.finditer(line):
        currency, raw, unit = match.group(1), match.group(2), (match.group(3) or "").lower()
        if _PER_SMALL_UNIT.match(line, match.end()):
            tokens.append(None)
            continue
        tokens.append((match, currency, raw, unit))
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token is None:
            index += 1
            continue
        match, currency, raw, unit = token
        partner = tokens[index + 1] if index + 1 < len(tokens) else None
        if partner is not None and _AMOUNT_JOIN.match(line[match.end(): partner[0].start()]):
            unit_low = unit or (partner[3] if not re.fullmatch(r"\d{1,3}(?:[.,]\d{3}){1,4}", raw) else "")
            low = _number(raw, unit_low)
            high = _number(partner[2], partner[3])
            if low is not None and high is not None:
                low_value = int(round(low * _MULTIPLIER.get(unit_low, 1)))
                high_value = int(round(high * _MULTIPLIER.get(partner[3], 1)))
                if 100_000 <= low_value <= high_value <= 10**11:
                    return low_value, high_value
        number = _number(raw, unit)
        if number is not None:
            value = int(round(number * _MULTIPLIER.get(unit, 1)))
            if 100_000 <= value <= 10**11 and (unit or currency or value >= 500_000):
                before = line[max(0, match.start() - 24): match.start()]
                if _CEILING_WORDS.search(before):
                    return None, value
                if _FLOOR_WORDS.search(before):
                    return value, None
                return value, value
        index += 1
    return None


_NOT_SALARY_ALONE = re.compile(r"\b(?:bonus|komisi|commission|tunjangan|allowance|thr|reward|hadiah|prize|"
                               r"uang\s+makan|transport\w*|lembur|overtime|insentif\s+tambahan)\b", re.IGNORECASE)


def _salary(lines: list[str]) -> tuple[int | None, int | None] | None:
    for line in lines:
        if _SALARY_KEYWORD.search(line) and not _NOT_SALARY.search(line):
            found = _salary_in(line)
            if found:
                return found
    for line in lines:
        if (re.search(r"\b(?:rp|idr)\b|\brp\d", line, re.IGNORECASE) and not _NOT_SALARY.search(line)
                and not _NOT_SALARY_ALONE.search(line)):
            found = _salary_in(line)
            if found:
                return found
    return None


# ------------------------------------------------------------------------------------------------ requirements

_REQUIREMENTS_WORDS = (
    r"(?:kualifikasi|persyaratan|syarat|requirements?|qualifications?|kriteria|criteria|yang\s+(?:kami|kita)\s+"
    r"(?:cari|butuhkan)|who\s+you\s+are|what\s+we(?:'re|\s+are)\s+looking\s+for|you\s+(?:have|need)|"
    r"ketentuan|must\s+have|minimum\s+requirements?)"
)
# "Kualifikasi:", "Syarat umum:", "Persyaratan: S1 …" (a colon, maybe text after it), or the bare heading word(s)
_REQUIREMENTS_HEADING = re.compile(
    r"^" + _REQUIREMENTS_WORDS + r"(?:\s+[\w/&()-]+){0,3}\s*:\s*(.*)$"
    r"|^" + _REQUIREMENTS_WORDS + r"(?:\s+(?:umum|khusus|tambahan|pelamar|calon|kandidat|jabatan|pekerjaan|"
    r"administrasi|minimum|minimal|utama|wajib|&\s+kualifikasi|dan\s+kualifikasi))?\s*()$",
    re.IGNORECASE,
)
_HEADING_WORDS = re.compile(
    r"^(?:benefits?|fasilitas|facilities|what\s+we\s+offer|we\s+offer|kami\s+menawarkan|job\s*desc(?:ription)?s?|"
    r"deskripsi(?:\s+pekerjaan)?|tugas(?:\s+dan\s+tanggung\s+jawab)?|tanggung\s+jawab|responsibilit(?:y|ies)|"
    r"cara\s+(?:melamar|mendaftar|daftar|apply)|how\s+to\s+apply|berkas(?:\s+lamaran)?|dokumen|"
    r"pendaftaran|registration|kontak|contact|informasi|info|catatan|note|notes|keterangan|penempatan|lokasi|"
    r"location|gaji|salary|kualifikasi|persyaratan|syarat|requirements?|qualifications?)\b.{0,30}$",
    re.IGNORECASE,
)


def _is_heading(clean_line: str) -> bool:
    if not clean_line or _BULLET.match(clean_line):
        return False
    if len(clean_line) <= 50 and clean_line.endswith(":"):
        return True
    return len(clean_line) <= 40 and bool(_HEADING_WORDS.match(clean_line)) and not _label(clean_line)


# emoji used as list bullets (not the ones that label a line, such as 📍 or 📅)
_EMOJI_BULLETS = frozenset("✅✔☑✓▪▫◾◽■□●○◆◇►▶➤➡👉🔹🔸🔘⭐✨🟢💠🔶🔷❇✳❖🌟💡🔰🔵⚡🎯")


def _glyph_bullet(raw: str) -> bool:
    stripped = raw.lstrip()
    return bool(stripped) and (stripped[0] in _EMOJI_BULLETS or stripped.startswith(("~ ", "* ")))


def _requirements(clean_lines: list[str], raw_lines: list[str]) -> tuple[str, set[int]]:
    """The block under a "Kualifikasi"/"Persyaratan"/"Requirements" heading, up to the next heading, the end of its
    list (a line without a bullet after bulleted ones) or a blank line before plain text."""
    glyph_bullet = [_glyph_bullet(raw) for raw in raw_lines]
    bulleted = [bool(_BULLET.match(clean)) or glyph for clean, glyph in zip(clean_lines, glyph_bullet, strict=True)]
    # next_filled[i]: the index of the first non-empty line after line i (-1 at the end), computed once so that a
    # paste of thousands of blank lines stays linear
    next_filled = [-1] * (len(clean_lines) + 1)
    for position in range(len(clean_lines) - 2, -1, -1):
        next_filled[position] = position + 1 if clean_lines[position + 1] else next_filled[position + 1]
    for index, line in enumerate(clean_lines):
        if _BULLET.match(line) or len(line) > 200:
            continue
        match = _REQUIREMENTS_HEADING.match(line)
        if not match:
            continue
        inline = (match.group(1) or "").strip()
        taken: list[str] = [inline] if inline else []
        any_bullet = False
        used = {index}
        cursor = index + 1
        while cursor < len(clean_lines):
            current = clean_lines[cursor]
            if _is_heading(current):
                break
            if not current:
                following = next_filled[cursor]
                if taken and (following < 0 or not bulleted[following]):
                    break
                cursor += 1
                continue
            if any_bullet and not bulleted[cursor]:
                break
            any_bullet = any_bullet or bulleted[cursor]
            # "✅ S1 Akuntansi" and "~ S1 PBA" lose their glyph with the emoji and WhatsApp markers: keep a bullet
            taken.append("• " + current if glyph_bullet[cursor] and not _BULLET.match(current) else current)
            used.add(cursor)
            cursor += 1
        text = "\n".join(t for t in taken if t).strip()
        if text:
            return text[:5000], used
    return "", set()


# -------------------------------------------------------------------------------------------------------- main

def _province_in(text: str) -> str:
    for match in _PROVINCE_CASED.finditer(text):
        code = _PROVINCE_NAMES.get(match.group(1).lower())
        if code:
            return code
    return ""


def _location(clean_lines: list[str], raw_lines: list[str], masked_text: str, organisation: str) -> tuple[str, str]:
    labelled: list[str] = []
    domicile: list[str] = []
    for raw, line in zip(raw_lines, clean_lines, strict=True):
        body = _unbullet(line)
        if "📍" in raw or _LOCATION_LABEL.match(body):
            labelled.append(_LOCATION_LABEL.sub("", body, count=1))
        phrase = _LOCATION_PHRASE.search(body)
        if phrase:
            labelled.append(body[phrase.end():])
        domicile_match = _DOMICILE.search(body)
        if domicile_match:
            domicile.append(body[domicile_match.end():])
    for text in labelled + domicile:
        city = _city_in(text, labelled=True)
        if city:
            return city, CITIES[city]
    city = _city_in(masked_text, labelled=False)
    if city:
        return city, CITIES[city]
    for text in labelled + domicile:
        code = _province_in(text)
        if code:
            return "", code
    without_org = masked_text.replace(organisation, " ") if organisation else masked_text
    return "", _province_in(without_org)


def _title_and_org(clean_lines: list[str], raw_lines: list[str]) -> tuple[str, str, int | None]:
    title, organisation, title_line = "", "", None
    labelled_org = ""
    for index, line in enumerate(clean_lines):
        label = _label(_unbullet(line))
        if not label:
            continue
        key, value = label
        if key in _TITLE_LABELS and value and not title:
            title_text, org_from_title = _split_title(_polish_title(value))
            title, title_line = _polish_title(title_text), index
            organisation = organisation or org_from_title
        elif key in _ORG_LABELS and value and not labelled_org:
            labelled_org = _polish_org_label(value)
    if labelled_org:
        organisation = labelled_org
    seen = 0
    previous = ""
    after_header = False
    for index, line in enumerate(clean_lines):
        if title or seen >= 10:
            break
        if not line:
            continue
        seen += 1
        before, previous = previous, line
        body = _unbullet(line)
        if body != line and not (_POSITIONS_HEADING.search(before) or after_header):
            continue  # a list item is a title only under "Posisi:", "Dibutuhkan:", "LOKER SEMARANG" and the like
        if _FILLER.match(body) or body.endswith(":") or len(body) > 160 or _NOT_TITLE.match(body):
            after_header = False
            continue
        label = _label(body)
        if label and label[0] not in _TITLE_LABELS:
            continue
        bold = _bold_title(raw_lines[index])
        if bold:
            title, title_line = bold, index
            break
        stripped = _tidy(_strip_prefixes(body))
        if not stripped or _KIND_WORDS.match(stripped) or not re.search(r"[A-Za-z]{2}", stripped):
            continue
        rest = _tidy(_PLACE_ANY_CASE.sub(" ", stripped))
        if stripped != body and (not rest or _GENERIC_HEADER.match(rest)):
            after_header = True
            continue
        sentence = _sentence_title(stripped)
        if sentence and sentence[0]:
            title, title_line = sentence[0], index
            organisation = organisation or sentence[1]
            break
        verb = _ORG_VERB_LINE.match(stripped)
        if verb:
            subject = _polish_org(verb.group(1))
            tail = _job_from(verb.group(2))
            if subject and not organisation:
                organisation = subject
            if subject and tail:
                title, title_line = _polish_title(tail), index
                break
            if subject:
                continue
        loose = _ORG_VERB_ANY.match(stripped)
        if loose:
            subject_text = loose.group(1)
            inside = _ORG_START.search(subject_text)
            subject = _polish_org(subject_text[inside.start():]) if inside else ""
            tail = _job_from(loose.group(2))
            if subject or re.match(r"(?:we|kami|kita|our|tim\s+kami)\b", subject_text, re.IGNORECASE):
                organisation = organisation or subject
                if tail:
                    title, title_line = _polish_title(tail), index
                    break
                continue
        if _is_org(stripped) and not _SEPARATORS.search(stripped):
            organisation = organisation or _polish_org(stripped)
            continue
        if _place_only(stripped):
            continue
        title_text, org_from_title = _split_title(stripped)
        title, title_line = _polish_title(title_text), index
        if org_from_title and not labelled_org:
            organisation = org_from_title
    if not organisation:
        organisation = _organisation_in_body(clean_lines, skip=title_line)
    return title, organisation, title_line


_ORG_VERB_ANY = re.compile(r"^(.{2,80}?)\s+" + _ORG_VERBS + r"\b[\s:]*(.*)$")
_NOT_TITLE = re.compile(
    r"^(?:gaji|salary|upah|hub(?:ungi)?\b|kirim|lamar|apply|daftar|kontak|contact|cp\b|wa\b|whatsapp|e-?mail|"
    r"deadline|batas|paling\s+lambat|syarat|kualifikasi|requirements?|lokasi|location|penempatan|benefit|fasilitas|"
    r"jam\s+kerja|working\s+hours|note|catatan|nb\b|link\b|berkas|dokumen|pendaftaran|registration|domisili|"
    r"applications?\b|closing|apply\b|send\b|interested|tertarik|info\s+lengkap|info\s+lebih)",
    re.IGNORECASE,
)


def _job_from(wanted: str) -> str:
    """The job in the words after "… is hiring", "… membuka lowongan", "… sedang mencari"."""
    named = re.search(r"\b(?:posisi|sebagai|position\s+of|as\s+an?|as)\s+(.+)$", wanted, re.IGNORECASE)
    if named:
        wanted = named.group(1)
    tail = _tidy(re.split(r"[.!?]\s|\s(?:untuk|dengan|yang|who|to|with)\s|[,;(!]", wanted)[0])
    tail = re.sub(r"^(?:(?:posisi|position|sebagai|as|an?|for|kerja|untuk|of|the)\s+)+", "", tail,
                  flags=re.IGNORECASE)
    return tail if len(tail) <= 60 else ""


_POSITIONS_HEADING = re.compile(
    r"(?:posisi|position|formasi|lowongan|dibutuhkan|membutuhkan|mencari|dicari|opening|vacanc\w*|jabatan|"
    r"sebagai|looking\s+for|hiring)[^:]{0,40}:$",
    re.IGNORECASE,
)


_STREET = re.compile(r"\b(?:Jl|Jln|Jalan|Gg|Gang|Street|St)\b\.?[ \t]*(?:[A-Z][\w'-]*\.?[ \t]?){1,4}")


def _place_only(text: str) -> bool:
    rest = _PLACE_ANY_CASE.sub("", text)
    rest = _PROVINCE_CASED.sub("", rest)
    return not re.search(r"[A-Za-z]{3}", re.sub(r"\b(?:kota|kab|kabupaten|provinsi|dan|and)\b", "", rest,
                                                  flags=re.IGNORECASE))


def _polish_org_label(value: str) -> str:
    value = _tidy(value, keep_abbreviation_dot=True)
    match = _TRAILING_PAREN.search(value)
    if match and (_city_in(match.group(1), labelled=True) or _province_in(match.group(1))):
        value = _tidy(value[: match.start()], keep_abbreviation_dot=True)
    return value[:150]


def _bold_title(raw_line: str) -> str:
    """A *bold* phrase inside a sentence ("Kita lagi cari *UI/UX Designer* buat …") is the title."""
    line = _strip_emoji(raw_line)
    segments = list(re.finditer(r"(?<![\w*])\*([^*\n]{2,120})\*(?![\w*])", line))
    if not segments:
        return ""
    outside = _clean(re.sub(r"(?<![\w*])\*[^*\n]{2,120}\*(?![\w*])", " ", line))
    outside = _tidy(_strip_prefixes(outside))
    if len(re.findall(r"[A-Za-z]{2,}", outside)) < 2:
        return ""
    for segment in segments:
        candidate = _polish_title(_clean(segment.group(1)))
        if candidate and not _KIND_WORDS.match(candidate):
            return candidate
    return ""


_INTRO_LEAD = re.compile(
    r"^(?:(?:berikut|ada|sharing|share|repost)\s+)?(?:info\s+)?(?:(?:lowongan|loker)(?:\s+kerja)?\s+)?"
    r"(?:(?:kami|we\s+are)\s+)?(?:dari|from)$",
    re.IGNORECASE,
)
_ORG_VERB_AFTER = re.compile(r"\s" + _ORG_VERBS + r"\b")


def _organisation_in_body(clean_lines: list[str], *, skip: int | None) -> str:
    """The employer named in the body: a line that starts with "PT …", "Universitas …", "RSUD …", or one that
    names it before a hiring verb ("Halo! KAP Sutanto & Rekan membuka …"). A name in the middle of other words
    ("memiliki rekening Bank BCA", "lulusan Universitas Indonesia") and list items are not the employer."""
    for index, line in enumerate(clean_lines):
        if index == skip or not line or _BULLET.match(line):
            continue
        verb = _ORG_VERB_LINE.match(line)
        starts = _ORG_START.search(line) or _ORG_START_CAPS.match(line)
        if verb and (not starts or starts.start() > 0):
            subject = _polish_org(verb.group(1))
            if subject:
                return subject
        if not starts:
            continue
        lead = _tidy(_strip_prefixes(_tidy(line[: starts.start()])))
        if lead and not _INTRO_LEAD.match(lead) and not _ORG_VERB_AFTER.search(line, starts.end()):
            continue
        org = _polish_org(line[starts.start():])
        if org and len(org.split()) >= 2:
            return org
    return ""


def _description(clean_lines: list[str], skip: set[int]) -> str:
    kept = [line for index, line in enumerate(clean_lines) if index not in skip]
    text = "\n".join(kept)
    return re.sub(r"\n{3,}", "\n\n", text).strip()[:MAX_CHARS]


def _parse(text: str, *, today: datetime.date) -> PastedVacancy:
    text = _normalise(text)
    raw_lines = text.split("\n")
    clean_lines = [_clean(line) for line in raw_lines]
    clean_text = "\n".join(clean_lines)
    result = PastedVacancy()

    title, organisation, title_line = _title_and_org(clean_lines, raw_lines)
    result.title, result.organisation = title, organisation

    emails = _emails(clean_text)
    result.apply_email = emails[0].group(0).rstrip(".") if emails else ""
    result.apply_url = _apply_url(clean_text)
    result.phone = _phone(clean_text)

    masked = _URL.sub(lambda m: " " * len(m.group(0)), clean_text)
    masked = _EMAIL.sub(lambda m: " " * len(m.group(0)), masked)
    masked = _BARE_URL.sub(lambda m: " " * len(m.group(0)), masked)
    masked_lines = masked.split("\n")
    # "Jl. Malang No. 5, Bandung": a street named after a city is not the city
    places_text = _STREET.sub(lambda m: " " * len(m.group(0)), masked)
    result.requirements, used = _requirements(clean_lines, raw_lines)
    # a city in the requirements ("lulusan Universitas Brawijaya Malang") is not where the job is, unless a line
    # there says so ("Penempatan di Gresik", "Domisili Bekasi"), which _location reads from every line
    places_lines = places_text.split("\n")
    outside_requirements = "\n".join("" if index in used else line for index, line in enumerate(places_lines))
    result.city, result.province_code = _location(places_lines, raw_lines, outside_requirements, organisation)

    result.kind = _kind(masked)
    about_job = _CANDIDATE_HISTORY.sub(" ", masked)
    result.remote = bool(_REMOTE.search(about_job)) and not _NOT_REMOTE.search(about_job)
    result.closing_date = _closing_date(masked_lines, today) or _calendar_date(raw_lines, today)

    salary = _salary([
        ("gaji " + line) if any(mark in raw for mark in "💰💵💸🤑") else line
        for line, raw in zip(masked_lines, raw_lines, strict=True)
    ])
    if salary:
        result.salary_min, result.salary_max = salary

    skip = set(used)
    if title_line is not None:
        skip.add(title_line)
    result.description = _description(clean_lines, skip)

    result.found = [
        name
        for name in ("title", "organisation", "kind", "province_code", "city", "remote", "closing_date",
                     "apply_email", "apply_url", "phone", "salary_min", "salary_max", "requirements", "description")
        if getattr(result, name) not in ("", None, False)
    ]
    return result


def parse_vacancy(text: str, *, today: datetime.date) -> PastedVacancy:
    """The fields a pasted job ad gives, as far as they can be told; never raises (a pasted text is not trusted to
    be anything in particular), returning the text as the description if something unforeseen goes wrong."""
    try:
        return _parse(text, today=today)
    except Exception:  # noqa: BLE001 - a paste must never break the form; the fuzz test calls _parse directly
        fallback = str(text or "")[:MAX_CHARS] if isinstance(text, str) else ""
        return PastedVacancy(description=fallback, found=["description"] if fallback else [])

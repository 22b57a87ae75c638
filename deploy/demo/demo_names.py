"""Bangladeshi personal names, shop names and official titles, in Bangla with an English transliteration.

Search precision depends on what is *not* in a name: no name word here is a category name or alias from
schemas/taxonomy.json (a barber is never "কসাই ..."); shop names use neutral trade words only. Clinics
and pharmacies say what they are (নিরাময় ক্লিনিক, সেবা ফার্মেসি) and are invented, never a real hospital's
name. The unit tests check every generated name against the taxonomy, so adding a word here is safe to try.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from demo_bangla import Name, bangla_digits, nfc, nfc_names
from demo_taxonomy import Upazila


@dataclass(frozen=True, slots=True)
class OfficialPost:
    name: Name
    round_the_clock: bool = False
    """Answered day and night (a police station, a fire station); otherwise the office keeps office hours."""


MUSLIM_MALE_GIVEN = nfc_names(
    (
        ("রফিকুল", "Rafiqul"),
        ("শফিকুল", "Shafiqul"),
        ("আমিনুল", "Aminul"),
        ("জাহাঙ্গীর", "Jahangir"),
        ("আব্দুল করিম", "Abdul Karim"),
        ("আব্দুর রহিম", "Abdur Rahim"),
        ("আব্দুল হাই", "Abdul Hai"),
        ("মোস্তফা", "Mostafa"),
        ("কামরুল", "Kamrul"),
        ("মিজানুর", "Mizanur"),
        ("হাবিবুর", "Habibur"),
        ("মাহবুব", "Mahbub"),
        ("সাইফুল", "Saiful"),
        ("নজরুল", "Nazrul"),
        ("আনোয়ার", "Anwar"),
        ("জসিম", "Jasim"),
        ("হারুন", "Harun"),
        ("ফারুক", "Faruk"),
        ("শাহজাহান", "Shahjahan"),
        ("আলমগীর", "Alamgir"),
        ("বাবুল", "Babul"),
        ("রাসেল", "Rasel"),
        ("সোহেল", "Sohel"),
        ("মামুন", "Mamun"),
        ("রুবেল", "Rubel"),
        ("শরিফুল", "Shariful"),
        ("তোফাজ্জল", "Tofazzal"),
        ("মোজাম্মেল", "Mozammel"),
        ("আজিজুল", "Azizul"),
        ("ইকবাল", "Iqbal"),
        ("আরিফ", "Arif"),
        ("ফয়সাল", "Faisal"),
        ("নাঈম", "Naeem"),
        ("তানভীর", "Tanvir"),
        ("জুয়েল", "Juwel"),
        ("মনির", "Monir"),
    )
)
MUSLIM_MALE_FAMILY = nfc_names(
    (
        ("ইসলাম", "Islam"),
        ("হোসেন", "Hossain"),
        ("উদ্দিন", "Uddin"),
        ("মিয়া", "Mia"),
        ("রহমান", "Rahman"),
        ("আলম", "Alam"),
        ("হক", "Haque"),
        ("আহমেদ", "Ahmed"),
        ("খান", "Khan"),
        ("ভূঁইয়া", "Bhuiyan"),
        ("সরকার", "Sarkar"),
        ("মোল্লা", "Molla"),
        ("কবির", "Kabir"),
        ("চৌধুরী", "Chowdhury"),
        ("আলী", "Ali"),
        ("মাহমুদ", "Mahmud"),
        ("তালুকদার", "Talukder"),
    )
)
MUSLIM_FEMALE_GIVEN = nfc_names(
    (
        ("শাহানা", "Shahana"),
        ("নাসরিন", "Nasrin"),
        ("রোকসানা", "Roksana"),
        ("ফাতেমা", "Fatema"),
        ("রহিমা", "Rahima"),
        ("সালমা", "Salma"),
        ("রুনা", "Runa"),
        ("শিরিন", "Shirin"),
        ("হালিমা", "Halima"),
        ("জাহানারা", "Jahanara"),
        ("মরিয়ম", "Moriom"),
        ("তাসলিমা", "Taslima"),
        ("নাজমা", "Nazma"),
        ("রেহানা", "Rehana"),
        ("সুমাইয়া", "Sumaiya"),
        ("মৌসুমী", "Mousumi"),
        ("আয়েশা", "Ayesha"),
        ("ফারজানা", "Farzana"),
        ("শারমিন", "Sharmin"),
        ("সাবিনা", "Sabina"),
        ("রাবেয়া", "Rabeya"),
        ("লাকী", "Lucky"),
    )
)
MUSLIM_FEMALE_FAMILY = nfc_names(
    (
        ("আক্তার", "Akter"),
        ("বেগম", "Begum"),
        ("খাতুন", "Khatun"),
        ("সুলতানা", "Sultana"),
        ("ইসলাম", "Islam"),
        ("জাহান", "Jahan"),
        ("পারভীন", "Parvin"),
        ("নাহার", "Nahar"),
    )
)
HINDU_MALE_GIVEN = nfc_names(
    (
        ("সুমন", "Suman"),
        ("রতন", "Ratan"),
        ("প্রদীপ", "Pradip"),
        ("বিপ্লব", "Biplob"),
        ("গোপাল", "Gopal"),
        ("নিখিল", "Nikhil"),
        ("সঞ্জয়", "Sanjoy"),
        ("অমল", "Amal"),
        ("দীপক", "Dipak"),
        ("হরিপদ", "Haripada"),
        ("শ্যামল", "Shyamal"),
        ("উত্তম", "Uttam"),
        ("লিটন", "Liton"),
        ("বাবলু", "Bablu"),
    )
)
HINDU_FEMALE_GIVEN = nfc_names(
    (
        ("শিপ্রা", "Shipra"),
        ("মিনতি", "Minoti"),
        ("কল্পনা", "Kalpana"),
        ("অঞ্জলি", "Anjali"),
        ("সুমিত্রা", "Sumitra"),
        ("পূর্ণিমা", "Purnima"),
        ("রীতা", "Rita"),
        ("দীপালী", "Dipali"),
        ("মালতী", "Malati"),
        ("শেফালী", "Shefali"),
    )
)
HINDU_FAMILY = nfc_names(
    (
        ("দাস", "Das"),
        ("সাহা", "Saha"),
        ("শীল", "Shil"),
        ("পাল", "Pal"),
        ("দেবনাথ", "Debnath"),
        ("বর্মন", "Barman"),
        ("সরকার", "Sarkar"),
        ("ঘোষ", "Ghosh"),
        ("রায়", "Roy"),
        ("বণিক", "Banik"),
        ("সূত্রধর", "Sutradhar"),
        ("ভৌমিক", "Bhowmik"),
        ("রবিদাস", "Robidas"),
    )
)
(MALE_PREFIX,) = nfc_names((("মোঃ", "Md."),))
(FEMALE_PREFIX,) = nfc_names((("মোছাঃ", "Mst."),))
(HINDU_MALE_MIDDLE, HINDU_MALE_MIDDLE_ALT, HINDU_FEMALE_MIDDLE) = nfc_names(
    (("কুমার", "Kumar"), ("চন্দ্র", "Chandra"), ("রানী", "Rani"))
)

# Words that turn a person's name into a business name without saying what the business does.
SHOP_WORDS: dict[str, tuple[Name, ...]] = {
    "shop": nfc_names(
        (
            ("এন্টারপ্রাইজ", "Enterprise"),
            ("ট্রেডার্স", "Traders"),
            ("স্টোর", "Store"),
            ("সেন্টার", "Centre"),
            ("অ্যান্ড ব্রাদার্স", "& Brothers"),
            ("ভান্ডার", "Bhandar"),
            ("বিতান", "Bitan"),
        )
    ),
    "ladies": nfc_names((("সাজঘর", "Sajghar"), ("রূপসজ্জা", "Rupshojja"), ("হারবাল কর্নার", "Herbal Corner"))),
    "gents": nfc_names(
        (("জেন্টস কর্নার", "Gents Corner"), ("স্টাইল কর্নার", "Style Corner"), ("কাটিং কর্নার", "Cutting Corner"))
    ),
    "transport": nfc_names((("ট্রাভেলস", "Travels"), ("পরিবহন", "Paribahan"), ("এন্টারপ্রাইজ", "Enterprise"))),
    "care": nfc_names((("সেবা", "Sheba"), ("সার্ভিস", "Service"), ("পরিবহন", "Paribahan"))),
    "building": nfc_names(
        (
            ("ভিলা", "Villa"),
            ("মঞ্জিল", "Manzil"),
            ("ম্যানশন", "Mansion"),
            ("টাওয়ার", "Tower"),
            ("প্রপার্টিজ", "Properties"),
        )
    ),
    # Health institutions are named by what they are: the kind of place is the point of the name.
    "pharmacy": nfc_names(
        (
            ("ফার্মেসি", "Pharmacy"),
            ("ফার্মেসী", "Pharmacy"),
            ("মেডিকেল হল", "Medical Hall"),
            ("ড্রাগ হাউস", "Drug House"),
            ("মেডিসিন কর্নার", "Medicine Corner"),
        )
    ),
    "hospital": nfc_names(
        (("হাসপাতাল", "Hospital"), ("হসপিটাল", "Hospital"), ("মেডিকেল সেন্টার", "Medical Centre"))
    ),
    "clinic": nfc_names(
        (("ক্লিনিক", "Clinic"), ("নার্সিং হোম", "Nursing Home"), ("ক্লিনিক অ্যান্ড ডায়াগনস্টিক", "Clinic & Diagnostic"))
    ),
    "diagnostic": nfc_names(
        (
            ("ডায়াগনস্টিক সেন্টার", "Diagnostic Centre"),
            ("ডায়াগনস্টিক", "Diagnostics"),
            ("প্যাথলজি ও ডায়াগনস্টিক সেন্টার", "Pathology & Diagnostic Centre"),
        )
    ),
}
BLESSINGS = nfc_names(
    (
        ("মায়ের দোয়া", "Mayer Doa"),
        ("বিসমিল্লাহ", "Bismillah"),
        ("ভাই ভাই", "Bhai Bhai"),
        ("জননী", "Jononi"),
        ("আল্লাহর দান", "Allahr Dan"),
        ("মা তারা", "Ma Tara"),
        ("আল-মদিনা", "Al-Madina"),
        ("সততা", "Shotota"),
    )
)

# Invented words of hope and healing that clinics and pharmacies take as names. Deliberately never a place,
# a person's full name, "General", "Sadar" or "Medical College": the demo must not give a real hospital
# (the district's general hospital, the medical college) a made-up phone number.
HEALTH_HEADS = nfc_names(
    (
        ("নিরাময়", "Niramoy"),
        ("আরোগ্য", "Arogya"),
        ("শেফা", "Shefa"),
        ("সেবা", "Sheba"),
        ("নিউ লাইফ", "New Life"),
        ("শান্তি", "Shanti"),
        ("আস্থা", "Astha"),
        ("প্রত্যাশা", "Prottasha"),
        ("আশার আলো", "Ashar Alo"),
        ("সুরক্ষা", "Surokkha"),
        ("জীবনধারা", "Jibondhara"),
        ("সুস্থতা", "Sustota"),
    )
)

# Officials are listed by post, not by person: the post outlives whoever holds it. `{u}` is the upazila.
# A post's office keeps government hours (Sunday to Thursday) unless it is marked round the clock: a police
# station's officer-in-charge and a fire station are answered day and night.
OFFICIAL_POSTS: tuple[OfficialPost, ...] = tuple(
    OfficialPost((nfc(bn), en), round_the_clock)
    for bn, en, round_the_clock in (
        ("উপজেলা নির্বাহী কর্মকর্তা (ইউএনও), {u}", "Upazila Nirbahi Officer (UNO), {u}", False),
        ("উপজেলা পরিষদ চেয়ারম্যান, {u}", "Upazila Parishad Chairman, {u}", False),
        ("অফিসার ইনচার্জ (ওসি), {u} থানা", "Officer-in-Charge (OC), {u} Police Station", True),
        ("সহকারী কমিশনার (ভূমি), {u}", "Assistant Commissioner (Land), {u}", False),
        ("উপজেলা স্বাস্থ্য ও পরিবার পরিকল্পনা কর্মকর্তা, {u}", "Upazila Health and Family Planning Officer, {u}", False),
        ("ফায়ার সার্ভিস স্টেশন অফিসার, {u}", "Fire Service Station Officer, {u}", True),
        ("উপজেলা ভাইস চেয়ারম্যান, {u}", "Upazila Vice Chairman, {u}", False),
        ("মহিলা ভাইস চেয়ারম্যান, {u}", "Female Vice Chairman, {u}", False),
        ("উপজেলা কৃষি কর্মকর্তা, {u}", "Upazila Agriculture Officer, {u}", False),
        ("উপজেলা প্রাণিসম্পদ কর্মকর্তা, {u}", "Upazila Livestock Officer, {u}", False),
        ("উপজেলা মৎস্য কর্মকর্তা, {u}", "Upazila Fisheries Officer, {u}", False),
        ("উপজেলা মাধ্যমিক শিক্ষা কর্মকর্তা, {u}", "Upazila Secondary Education Officer, {u}", False),
    )
)
UNION_CHAIRMAN: Name = nfc_names(
    (("{k} নং ইউনিয়ন পরিষদ চেয়ারম্যান, {u}", "Chairman, Union Parishad No. {k}, {u}"),)
)[0]
UNIONS_PER_UPAZILA = 15


@dataclass(frozen=True, slots=True)
class Person:
    """A name split into parts, so a shop name can reuse the given or family name alone."""

    given: Name
    family: Name
    prefix: Name | None = None
    middle: Name | None = None
    female: bool = False

    def full(self, honorific: Name | None = None) -> Name:
        parts = [p for p in (honorific, self.prefix, self.given, self.middle, self.family) if p is not None]
        return " ".join(p[0] for p in parts), " ".join(p[1] for p in parts)


def random_person(rng: Random, *, female: bool, hindu: bool) -> Person:
    if hindu:
        given = rng.choice(HINDU_FEMALE_GIVEN if female else HINDU_MALE_GIVEN)
        if female:
            middle = HINDU_FEMALE_MIDDLE if rng.random() < 0.7 else None
        else:
            middle = rng.choice((HINDU_MALE_MIDDLE, HINDU_MALE_MIDDLE_ALT, None, None))
        return Person(given, rng.choice(HINDU_FAMILY), middle=middle, female=female)
    if female:
        prefix = FEMALE_PREFIX if rng.random() < 0.25 else None
        return Person(rng.choice(MUSLIM_FEMALE_GIVEN), rng.choice(MUSLIM_FEMALE_FAMILY), prefix, female=True)
    prefix = MALE_PREFIX if rng.random() < 0.5 else None
    return Person(rng.choice(MUSLIM_MALE_GIVEN), rng.choice(MUSLIM_MALE_FAMILY), prefix)


def business_name(rng: Random, owner: Person, words: str) -> Name:
    """ "রহিম এন্টারপ্রাইজ", "মায়ের দোয়া ট্রাভেলস", "সাহা ভিলা": owner or blessing plus a neutral word."""
    word = rng.choice(SHOP_WORDS[words])
    roll = rng.random()
    if roll < 0.4:
        head = rng.choice(BLESSINGS)
    elif roll < 0.7 or owner.female:
        head = owner.given
    else:
        head = owner.family
    return f"{head[0]} {word[0]}", f"{head[1]} {word[1]}"


def institution_name(rng: Random, owner: Person, words: str) -> Name:
    """ "নিরাময় ক্লিনিক", "মায়ের দোয়া ফার্মেসি", "সাহা মেডিকেল হল": a word of healing or a blessing, or
    for a pharmacy sometimes the owner's family name, then the kind of place. Never a full name or a place."""
    word = rng.choice(SHOP_WORDS[words])
    roll = rng.random()
    if roll < 0.6:
        head = rng.choice(HEALTH_HEADS)
    elif roll < 0.85 or words != "pharmacy":
        head = rng.choice(BLESSINGS)
    else:
        head = owner.family
    return f"{head[0]} {word[0]}", f"{head[1]} {word[1]}"


def official_post(n: int, upazila: Upazila) -> OfficialPost:
    """The n-th post (1-based) in an upazila; past the named posts, union parishad chairmen, cycling."""
    if n <= len(OFFICIAL_POSTS):
        post = OFFICIAL_POSTS[n - 1]
        bn, en = post.name
        return OfficialPost((bn.format(u=upazila.bn), en.format(u=upazila.en)), post.round_the_clock)
    k = (n - len(OFFICIAL_POSTS) - 1) % UNIONS_PER_UPAZILA + 1
    bn, en = UNION_CHAIRMAN
    return OfficialPost((bn.format(k=bangla_digits(str(k)), u=upazila.bn), en.format(k=k, u=upazila.en)))

"""What each kind of provider offers and how it works: services, hours, who does the job, shop names.

Keyed by the taxonomy's provider slugs. The services name the work in the trade's own words and never use
another category's name or alias, so a search for one trade does not surface another. A category that is
in the taxonomy but not here still gets providers, through `GENERIC_TRADE`.

Some trades list kinds of provider with their own services, hours and names: a hospital's emergency never
closes, a diagnostic centre keeps long days, a pharmacy by the hospitals stays open all night. Urgent trades
guarantee what a citizen needs at night: the first providers of every upazila are always open, available
and callable (`reachable_first`), while others keep their phone private, as real listings do.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from demo_bangla import Name, nfc, nfc_names


@dataclass(frozen=True, slots=True)
class Trade:
    services: tuple[str, ...] = ()
    hours: tuple[tuple[str, float], ...] = ()
    """(pattern name in demo_hours.HOURS_PATTERNS, weight)."""
    female_share: float = 0.05
    hindu_share: float = 0.1
    business_share: float = 0.0
    """How often the listing is under a shop or firm name instead of the person's own."""
    business_words: str = "shop"
    honorific: Name | None = None
    honorific_share: float = 0.0
    radius_km: float = 6.0
    official: bool = False
    """Listed by post and upazila (ইউএনও, ওসি ...), not by a person's name."""
    donates_blood: bool = False
    office: Name | None = None
    """A fixed address such as the upazila parishad, instead of a street address."""
    core_services: int = 0
    """The first this many services are offered by every provider of the trade (a hospital's emergency),
    listed first; the rest are sampled."""
    institution: bool = False
    """Listed under an invented institution name (নিরাময় ক্লিনিক), never a person's; see demo_names."""
    kinds: tuple[tuple[Trade, float], ...] = ()
    """Kinds of provider within the category (hospital, clinic, diagnostic centre) and how often each is
    listed; each kind is a Trade of its own services, hours, names and spread, so the category's own
    Trade only says how the kinds are dealt."""
    reachable_first: int = 0
    """The first this many providers of every upazila are of the first kind, always open, available and
    with a public phone: what a citizen can call at any hour, in every upazila."""

    def kind_for(self, rng: Random, n: int) -> Trade:
        """The trade itself, or for a trade with kinds the kind of its n-th provider in an upazila."""
        if not self.kinds:
            return self
        if n <= self.reachable_first:
            return self.kinds[0][0]
        return rng.choices([kind for kind, _ in self.kinds], [weight for _, weight in self.kinds])[0]


def _services(*names: str) -> tuple[str, ...]:
    return tuple(nfc(s) for s in names)


(DOCTOR, ADVOCATE) = nfc_names((("ডাঃ", "Dr."), ("অ্যাডভোকেট", "Advocate")))

# Pharmacies: most keep a long day in their neighbourhood; a few by the hospitals never close.
ROUND_THE_CLOCK_PHARMACY = Trade(
    _services(
        "২৪ ঘণ্টা ওষুধ",
        "প্রেসক্রিপশনের ওষুধ",
        "ইনসুলিন ও ঠান্ডায় রাখা ওষুধ",
        "সার্জিক্যাল সামগ্রী",
        "ইনজেকশন পুশ",
        "নেবুলাইজার",
    ),
    (("always", 1.0),),
    female_share=0.05,
    hindu_share=0.2,
    business_words="pharmacy",
    institution=True,
    radius_km=1.5,
    core_services=1,
)
NEIGHBOURHOOD_PHARMACY = Trade(
    _services(
        "প্রেসক্রিপশনের ওষুধ",
        "বেবি ফুড",
        "ইনজেকশন পুশ",
        "সার্জিক্যাল সামগ্রী",
        "জন্মনিয়ন্ত্রণ সামগ্রী",
        "আয়ুর্বেদিক ও ইউনানি ওষুধ",
    ),
    (("pharmacy", 0.6), ("pharmacy_fri_pm", 0.4)),
    female_share=0.05,
    hindu_share=0.2,
    business_words="pharmacy",
    institution=True,
    radius_km=5.0,
)
# Hospitals, clinics and diagnostic centres: private ones, invented; the emergency of a hospital never
# closes, a clinic admits round the clock or through long days, a diagnostic centre works 8 a.m.–10 p.m.
PRIVATE_HOSPITAL = Trade(
    _services(
        "২৪ ঘণ্টা জরুরি বিভাগ",
        "ভর্তি ও কেবিন",
        "অপারেশন থিয়েটার",
        "সিজার ও নরমাল ডেলিভারি",
        "বহির্বিভাগ",
        "ডিজিটাল এক্স-রে",
        "নবজাতক পরিচর্যা",
    ),
    (("always", 1.0),),
    business_words="hospital",
    institution=True,
    radius_km=2.0,
    core_services=1,
)
CLINIC = Trade(
    _services(
        "ভর্তি ও কেবিন",
        "সিজার ও নরমাল ডেলিভারি",
        "ছোট অপারেশন",
        "ড্রেসিং ও ক্ষত সেলাই",
        "বহির্বিভাগ",
        "নবজাতক পরিচর্যা",
    ),
    (("always", 0.5), ("long_day", 0.5)),
    business_words="clinic",
    institution=True,
    radius_km=3.0,
)
DIAGNOSTIC_CENTRE = Trade(
    _services(
        "ডিজিটাল এক্স-রে",
        "আল্ট্রাসনোগ্রাম",
        "ইসিজি",
        "সকল প্রকার প্যাথলজি পরীক্ষা",
        "ইকো কার্ডিওগ্রাম",
        "অনলাইনে রিপোর্ট",
    ),
    (("diagnostic", 0.6), ("diagnostic_fri_pm", 0.4)),
    business_words="diagnostic",
    institution=True,
    radius_km=3.0,
)

TRADES: dict[str, Trade] = {
    "electrician": Trade(
        _services(
            "হাউস ওয়্যারিং",
            "ফ্যান মেরামত",
            "আইপিএস ও সোলার সংযোগ",
            "মিটার ও সার্কিট ব্রেকার",
            "সুইচবোর্ড মেরামত",
            "লাইট ফিটিং",
        ),
        (("always", 0.25), ("shop", 0.3), ("shop_fri_pm", 0.25), ("split", 0.2)),
        female_share=0.0,
        business_share=0.35,
    ),
    "domestic_worker": Trade(
        _services("রান্নার কাজ", "ঘর মোছা ও ঝাড়ু", "কাপড় ধোয়া", "শিশু দেখাশোনা", "বয়স্কদের সেবা", "থালাবাসন ধোয়া"),
        (("every_day", 0.6), ("split", 0.3), ("always", 0.1)),
        female_share=0.9,
    ),
    "beautician": Trade(
        _services(
            "ব্রাইডাল সাজ", "ফেসিয়াল", "মেহেদি ডিজাইন", "ভ্রু প্লাক ও থ্রেডিং", "চুলের যত্ন ও রিবন্ডিং", "মেনিকিউর-পেডিকিউর"
        ),
        (("late_shop", 0.4), ("shop_fri_pm", 0.3), ("split", 0.3)),
        female_share=0.95,
        business_share=0.4,
        business_words="ladies",
    ),
    "barber": Trade(
        _services("চুল কাটা", "দাড়ি শেভ", "শিশুদের চুল কাটা", "চুলে কলপ", "ফেস ম্যাসাজ"),
        (("late_shop", 0.4), ("split", 0.3), ("shop_fri_pm", 0.3)),
        female_share=0.0,
        hindu_share=0.5,
        business_share=0.4,
        business_words="gents",
    ),
    "carpenter": Trade(
        _services("খাট ও আলমারি তৈরি", "দরজা-জানালা মেরামত", "ফার্নিচার পলিশ", "কিচেন কেবিনেট", "কাঠের সোফা তৈরি"),
        (("shop", 0.6), ("every_day", 0.4)),
        female_share=0.0,
        hindu_share=0.3,
        business_share=0.3,
    ),
    "painter": Trade(
        _services("ঘরের ভেতরের রং", "বাইরের দেয়াল রং", "এনামেল ও ডিস্টেম্পার", "দরজা-গ্রিল রং", "ওয়াটারপ্রুফ কোটিং"),
        (("shop", 0.6), ("every_day", 0.4)),
        female_share=0.0,
        business_share=0.2,
    ),
    "mason": Trade(
        _services("ইটের গাঁথুনি", "প্লাস্টার", "ছাদ ঢালাই", "টাইলস বসানো", "সেপটিক ট্যাংক তৈরি"),
        (("shop", 0.6), ("every_day", 0.4)),
        female_share=0.0,
    ),
    "butcher": Trade(
        _services("গরুর মাংস", "খাসির মাংস", "হাড় ছাড়া মাংস", "কোরবানির পশু জবাই ও কাটা", "বিয়ে-অনুষ্ঠানের মাংস সরবরাহ"),
        (("every_day", 0.5), ("split", 0.3), ("shop_fri_pm", 0.2)),
        female_share=0.0,
        business_share=0.35,
    ),
    "cleaner": Trade(
        _services("বাথরুম ও টয়লেট পরিষ্কার", "অফিস পরিষ্কার", "পানির ট্যাংক পরিষ্কার", "ডিপ ক্লিনিং", "ড্রেন পরিষ্কার"),
        (("shop", 0.4), ("night", 0.3), ("always", 0.3)),
        female_share=0.4,
        hindu_share=0.4,
    ),
    "cobbler": Trade(
        _services("জুতা মেরামত", "জুতা পালিশ", "স্যান্ডেল সেলাই", "ব্যাগের চেইন লাগানো", "ছাতা মেরামত"),
        (("shop", 0.5), ("every_day", 0.5)),
        hindu_share=0.6,
    ),
    "day_labourer": Trade(
        _services("মাটি কাটা", "ইট-বালু বহন", "মালামাল লোড-আনলোড", "ধান কাটা ও মাড়াই", "বাগানের কাজ"),
        (("every_day", 0.8), ("always", 0.2)),
        female_share=0.15,
    ),
    "blood_donor": Trade(
        _services("জরুরি রক্তদান", "স্বেচ্ছায় নিয়মিত রক্তদান", "থ্যালাসেমিয়া রোগীদের জন্য রক্তদান", "প্লাটিলেট দান"),
        (("always", 0.9), ("every_day", 0.1)),
        female_share=0.25,
        donates_blood=True,
    ),
    "driver": Trade(
        _services("প্রাইভেট কার চালানো", "দূরপাল্লার যাত্রা", "মাসিক চুক্তিতে কাজ", "হালকা ও ভারী লাইসেন্স"),
        (("always", 0.3), ("every_day", 0.4), ("night", 0.3)),
        female_share=0.02,
    ),
    "rickshaw_auto": Trade(
        _services("শহরের ভেতরে যাতায়াত", "রিজার্ভ ট্রিপ", "স্কুল-কলেজ আনা-নেওয়া", "স্টেশন ও লঞ্চঘাট ট্রিপ", "মালামাল পরিবহন"),
        (("every_day", 0.4), ("night", 0.3), ("always", 0.3)),
        female_share=0.0,
    ),
    "vehicle_rental": Trade(
        _services("মাইক্রোবাস ভাড়া", "বিয়ের গাড়ি", "পিকআপ ভাড়া", "ট্রাক ভাড়া", "ঢাকা-কিশোরগঞ্জ রিজার্ভ"),
        (("always", 0.5), ("shop", 0.5)),
        business_share=0.7,
        business_words="transport",
    ),
    "property_rental": Trade(
        _services("বাসা ভাড়া", "দোকান ভাড়া", "অফিস স্পেস", "গোডাউন ভাড়া", "মেস ও সাবলেট"),
        (("shop", 0.6), ("shop_fri_pm", 0.2), ("always", 0.2)),
        female_share=0.25,
        business_share=0.5,
        business_words="building",
    ),
    "doctor": Trade(
        _services("মেডিসিন", "শিশু রোগ", "গাইনি ও প্রসূতি", "ডায়াবেটিস ও হরমোন", "হৃদরোগ", "চর্ম ও যৌন রোগ"),
        (("split", 0.7), ("shop", 0.3)),
        female_share=0.35,
        honorific=DOCTOR,
        honorific_share=1.0,
        radius_km=4.0,
    ),
    "ambulance": Trade(
        _services("এসি অ্যাম্বুলেন্স", "আইসিইউ অ্যাম্বুলেন্স", "অক্সিজেন সুবিধা", "ঢাকায় রোগী পরিবহন", "লাশবাহী ফ্রিজিং গাড়ি"),
        (("always", 0.9), ("every_day", 0.1)),
        female_share=0.0,
        business_share=0.6,
        business_words="care",
        radius_km=4.0,
        reachable_first=2,
    ),
    "pharmacy": Trade(
        kinds=((ROUND_THE_CLOCK_PHARMACY, 0.1), (NEIGHBOURHOOD_PHARMACY, 0.9)),
        reachable_first=1,
        radius_km=5.0,
    ),
    "hospital": Trade(
        kinds=((PRIVATE_HOSPITAL, 0.2), (CLINIC, 0.45), (DIAGNOSTIC_CENTRE, 0.35)),
        reachable_first=1,
        radius_km=3.0,
    ),
    "lawyer": Trade(
        _services("দেওয়ানি মামলা", "ফৌজদারি মামলা", "জমিজমা ও দলিল", "পারিবারিক মামলা", "জামিন"),
        (("split", 0.7), ("office", 0.3)),
        female_share=0.25,
        honorific=ADVOCATE,
        honorific_share=0.7,
        radius_km=4.0,
    ),
    "official": Trade(
        _services("নাগরিক অভিযোগ গ্রহণ", "জরুরি সহায়তা", "প্রত্যয়নপত্র", "সরকারি সেবা তথ্য"),
        (("office", 1.0),),  # except round-the-clock posts: demo_names.OFFICIAL_POSTS
        radius_km=1.5,
        official=True,
        office=(nfc("উপজেলা পরিষদ কমপ্লেক্স"), "Upazila Parishad Complex"),
    ),
}

GENERIC_TRADE = Trade(
    _services("বাড়িতে গিয়ে সেবা", "জরুরি সেবা", "পরামর্শ"),
    (("shop", 0.5), ("always", 0.2), ("every_day", 0.3)),
    female_share=0.2,
)


def trade_for(slug: str) -> Trade:
    return TRADES.get(slug, GENERIC_TRADE)

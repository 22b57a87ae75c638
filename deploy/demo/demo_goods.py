"""What sells in Kishoreganj's storefronts and cattle market: title variants, units and realistic prices.

Keyed by the taxonomy item's English name. Every Bangla variant contains the item's Bangla name and every
English variant its English name, so a search for the item finds the listing; no variant names an item of
another category (no "মহিষের দই", no "rice pitha"), so a search for that item does not. Prices are BDT
in late 2026 and are per unit (per kg, litre, piece) except for livestock, priced per head by weight.
"""

from __future__ import annotations

from dataclasses import dataclass

from demo_bangla import Name, nfc, nfc_names


@dataclass(frozen=True, slots=True)
class Variant:
    bn: str
    en: str
    breed: str | None = None


@dataclass(frozen=True, slots=True)
class Goods:
    variants: tuple[Variant, ...]
    unit: str
    """Key into UNITS. "head" is livestock: priced by weight, titled with the weight."""
    quantities: tuple[float, ...]
    price: tuple[float, float]
    """Per unit, or per head for livestock."""
    styles: tuple[Name, ...] = ()
    """Optional suffix such as a colour or size, for goods sold one by one."""
    weight_kg: tuple[int, int] | None = None
    age_months: tuple[int, int] | None = None


# unit -> (Bangla, English singular, English plural)
UNITS: dict[str, tuple[str, str, str]] = {
    "kg": (nfc("কেজি"), "kg", "kg"),
    "litre": (nfc("লিটার"), "litre", "litres"),
    "piece": (nfc("টি"), "pc", "pcs"),
    "bundle": (nfc("আঁটি"), "bundle", "bundles"),
    "maund": (nfc("মণ"), "maund (40 kg)", "maunds (40 kg each)"),
    "head": (nfc("কেজি"), "kg", "kg"),
}
GRAM = nfc("গ্রাম")


def _v(bn: str, en: str, breed: str | None = None) -> Variant:
    return Variant(nfc(bn), en, breed)


COLOURS = nfc_names(
    (
        ("লাল", "red"),
        ("নীল", "blue"),
        ("সবুজ", "green"),
        ("মেরুন", "maroon"),
        ("কালো", "black"),
        ("সাদা", "white"),
        ("গোলাপি", "pink"),
        ("আকাশি", "sky blue"),
    )
)
SIZES = nfc_names((("বড়", "large"), ("মাঝারি", "medium"), ("ছোট", "small")))
BED_SIZES = nfc_names((("ডাবল", "double"), ("সিঙ্গেল", "single")))

GOODS: dict[str, Goods] = {
    # rice and grains
    "rice": Goods(
        (
            _v("মিনিকেট চাল", "Miniket rice"),
            _v("নাজিরশাইল চাল", "Nazirshail rice"),
            _v("চিনিগুঁড়া সুগন্ধি চাল", "Chinigura aromatic rice"),
            _v("হাওরের বোরো চাল", "Haor boro rice"),
            _v("বিআর-২৮ চাল", "BR-28 rice"),
        ),
        "kg",
        (1, 5, 10, 25),
        (60, 90),
    ),
    "paddy": Goods(
        (_v("বোরো ধান", "Boro paddy"), _v("আমন ধান", "Aman paddy"), _v("শুকনা ধান", "Dry paddy")),
        "maund",
        (1, 5, 10),
        (1100, 1500),
    ),
    "puffed rice": Goods(
        (_v("হাতে ভাজা মুড়ি", "Hand-roasted puffed rice"), _v("ভৈরবের মুড়ি", "Bhairab puffed rice")),
        "kg",
        (0.5, 1, 2),
        (90, 160),
    ),
    "flattened rice": Goods(
        (_v("লাল চিড়া", "Red flattened rice"), _v("সাদা চিড়া", "White flattened rice")),
        "kg",
        (0.5, 1, 2),
        (70, 120),
    ),
    # vegetables
    "potato": Goods(
        (_v("ডায়মন্ড আলু", "Diamond potato"), _v("লাল দেশি আলু", "Red local potato")), "kg", (1, 5, 10), (30, 60)
    ),
    "brinjal": Goods(
        (
            _v("লম্বা বেগুন", "Long brinjal"),
            _v("গোল বেগুন", "Round brinjal"),
            _v("কীটনাশকমুক্ত বেগুন", "Pesticide-free brinjal"),
        ),
        "kg",
        (1, 2, 5),
        (40, 90),
    ),
    "bottle gourd": Goods(
        (_v("কচি লাউ", "Tender bottle gourd"), _v("মাচার লাউ", "Trellis-grown bottle gourd")),
        "piece",
        (1, 2),
        (40, 100),
    ),
    "red amaranth": Goods(
        (_v("তাজা লালশাক", "Fresh red amaranth"), _v("লালশাক", "Red amaranth")), "bundle", (2, 5, 10), (10, 25)
    ),
    # fish
    "hilsa": Goods(
        (_v("পদ্মার ইলিশ", "Padma hilsa"), _v("মেঘনার ইলিশ", "Meghna hilsa"), _v("তাজা ইলিশ", "Fresh hilsa")),
        "kg",
        (1, 2),
        (1200, 2500),
    ),
    "rohu": Goods(
        (_v("হাওরের রুই মাছ", "Haor rohu fish"), _v("বড় রুই", "Large rohu"), _v("পুকুরের রুই", "Pond rohu")),
        "kg",
        (1, 2, 3),
        (300, 550),
    ),
    "climbing perch": Goods(
        (_v("দেশি কই মাছ", "Local koi fish (climbing perch)"), _v("জ্যান্ত কই", "Live climbing perch")),
        "kg",
        (0.5, 1, 2),
        (300, 600),
    ),
    "dried fish": Goods(
        (
            _v("হাওরের পুঁটি শুঁটকি", "Haor puti shutki (dried fish)"),
            _v("চ্যাপা শুঁটকি", "Chepa shutki (fermented dried fish)"),
            _v("লইট্যা শুঁটকি", "Loitta dried fish"),
        ),
        "kg",
        (0.25, 0.5, 1),
        (600, 1600),
    ),
    # livestock, priced per head by weight
    "cow": Goods(
        (
            _v("দেশি গাভী গরু", "Local cow", "deshi"),
            _v("শাহীওয়াল ক্রস গরু", "Sahiwal cross cow", "sahiwal cross"),
            _v("ফ্রিজিয়ান ক্রস গরু", "Friesian cross cow", "friesian cross"),
            _v("লাল চাটগাঁইয়া গরু", "Red Chittagong cow", "red chittagong"),
        ),
        "head",
        (1,),
        (60_000, 250_000),
        weight_kg=(150, 450),
        age_months=(24, 72),
    ),
    "bull": Goods(
        (
            _v("দেশি ষাঁড় গরু", "Local bull", "deshi"),
            _v("কোরবানির ষাঁড়", "Qurbani bull", "deshi"),
            _v("শাহীওয়াল ক্রস ষাঁড়", "Sahiwal cross bull", "sahiwal cross"),
            _v("পাবনা জাতের ষাঁড়", "Pabna breed bull", "pabna"),
        ),
        "head",
        (1,),
        (70_000, 250_000),
        weight_kg=(200, 600),
        age_months=(24, 48),
    ),
    "goat": Goods(
        (
            _v("ব্ল্যাক বেঙ্গল ছাগল", "Black Bengal goat", "black bengal"),
            _v("খাসি ছাগল", "Castrated goat (khashi)", "black bengal"),
            _v("যমুনাপাড়ি ছাগল", "Jamunapari goat", "jamunapari"),
        ),
        "head",
        (1,),
        (8_000, 30_000),
        weight_kg=(12, 35),
        age_months=(8, 30),
    ),
    "buffalo": Goods(
        (
            _v("হাওরের মহিষ", "Haor buffalo", "deshi"),
            _v("দেশি মহিষ", "Local buffalo", "deshi"),
            _v("মুররাহ ক্রস মহিষ", "Murrah cross buffalo", "murrah cross"),
        ),
        "head",
        (1,),
        (120_000, 300_000),
        weight_kg=(300, 650),
        age_months=(30, 84),
    ),
    "sheep": Goods(
        (_v("দেশি ভেড়া", "Local sheep", "deshi"), _v("গাড়ল ভেড়া", "Garol sheep", "garol")),
        "head",
        (1,),
        (7_000, 20_000),
        weight_kg=(15, 40),
        age_months=(8, 30),
    ),
    # poultry and eggs
    "local chicken": Goods(
        (_v("দেশি মুরগি (জ্যান্ত)", "Live local chicken"), _v("বাড়িতে পালা দেশি মুরগি", "Home-raised local chicken")),
        "piece",
        (1, 2),
        (500, 900),
    ),
    "duck": Goods(
        (_v("হাওরের হাঁস", "Haor duck"), _v("খাকি ক্যাম্পবেল হাঁস", "Khaki Campbell duck")),
        "piece",
        (1, 2, 4),
        (500, 900),
    ),
    "egg": Goods(
        (
            _v("ফার্মের ডিম", "Farm egg"),
            _v("হাঁসের ডিম", "Duck egg"),
            _v("দেশি মুরগির ডিম", "Free-range chicken egg"),
        ),
        "piece",
        (12, 30),
        (11, 20),
    ),
    # dairy
    "milk": Goods(
        (_v("খাঁটি দুধ", "Pure milk"), _v("গাভীর খাঁটি দুধ", "Fresh farm milk")), "litre", (1, 2, 5), (70, 110)
    ),
    "yogurt": Goods(
        (_v("টক দই", "Sour yogurt"), _v("সাদা দই", "Plain yogurt"), _v("বগুড়ার দই", "Bogura-style yogurt")),
        "kg",
        (0.5, 1, 2),
        (180, 350),
    ),
    "ghee": Goods(
        (_v("খাঁটি গাওয়া ঘি", "Pure gawa ghee"), _v("ঘরে তৈরি ঘি", "Homemade ghee")),
        "kg",
        (0.25, 0.5, 1),
        (1200, 1800),
    ),
    "cheese": Goods(
        (_v("অষ্টগ্রামের পনির", "Austagram cheese (panir)"), _v("দেশি পনির", "Local cheese")),
        "kg",
        (0.5, 1),
        (800, 1400),
    ),
    # sweets and snacks
    "rasmalai": Goods(
        (_v("কিশোরগঞ্জের রসমালাই", "Kishoreganj rasmalai"), _v("স্পেশাল রসমালাই", "Special rasmalai")),
        "kg",
        (0.5, 1, 2),
        (300, 500),
    ),
    "chomchom": Goods(
        (_v("টাঙ্গাইলের চমচম", "Tangail chomchom"), _v("লাল চমচম", "Red chomchom")), "kg", (0.5, 1, 2), (250, 450)
    ),
    "pitha": Goods(
        (
            _v("ভাপা পিঠা", "Bhapa pitha"),
            _v("নকশি পিঠা", "Nakshi pitha"),
            _v("পাটিসাপটা পিঠা", "Patishapta pitha"),
            _v("চিতই পিঠা", "Chitoi pitha"),
        ),
        "piece",
        (10, 20, 50),
        (8, 25),
    ),
    "sweets": Goods(
        (
            _v("ছানার মিষ্টি", "Chhana sweets"),
            _v("রসগোল্লা মিষ্টি", "Rosogolla sweets"),
            _v("বালিশ মিষ্টি", "Balish sweets"),
        ),
        "kg",
        (0.5, 1, 2, 5),
        (250, 600),
    ),
    # handicrafts, sold one by one
    "nakshi kantha": Goods(
        (_v("হাতে সেলাই নকশিকাঁথা", "Hand-stitched nakshi kantha"), _v("নকশিকাঁথা", "Nakshi kantha")),
        "piece",
        (1,),
        (2500, 15_000),
        styles=BED_SIZES,
    ),
    "shital pati": Goods(
        (_v("নকশা করা শীতলপাটি", "Patterned shital pati"), _v("শীতলপাটি", "Shital pati")),
        "piece",
        (1,),
        (1200, 6000),
        styles=SIZES,
    ),
    "bamboo basket": Goods(
        (_v("বাঁশের ঝুড়ি", "Bamboo basket"), _v("হাতে বোনা বাঁশের ঝুড়ি", "Hand-woven bamboo basket")),
        "piece",
        (1,),
        (150, 600),
        styles=SIZES,
    ),
    "clay pot": Goods(
        (_v("মাটির হাঁড়ি", "Clay pot"), _v("রান্নার মাটির হাঁড়ি", "Clay pot for cooking")),
        "piece",
        (1,),
        (80, 400),
        styles=SIZES,
    ),
    # clothing
    "lungi": Goods(
        (_v("তাঁতের লুঙ্গি", "Handloom lungi"), _v("চেক লুঙ্গি", "Check lungi")),
        "piece",
        (1,),
        (350, 1200),
        styles=COLOURS,
    ),
    "saree": Goods(
        (
            _v("জামদানি শাড়ি", "Jamdani saree"),
            _v("টাঙ্গাইল তাঁতের শাড়ি", "Tangail handloom saree"),
            _v("সুতি শাড়ি", "Cotton saree"),
            _v("কাতান শাড়ি", "Katan saree"),
        ),
        "piece",
        (1,),
        (1500, 12_000),
        styles=COLOURS,
    ),
    "gamchha": Goods(
        (_v("তাঁতের গামছা", "Handloom gamchha"), _v("চেক গামছা", "Check gamchha")),
        "piece",
        (1,),
        (120, 350),
        styles=COLOURS,
    ),
    "panjabi": Goods(
        (_v("সুতি পাঞ্জাবি", "Cotton panjabi"), _v("ঈদের পাঞ্জাবি", "Eid panjabi")),
        "piece",
        (1,),
        (800, 3500),
        styles=COLOURS,
    ),
    # honey, oil and spices
    "honey": Goods(
        (
            _v("সুন্দরবনের খাঁটি মধু", "Pure Sundarbans honey"),
            _v("সরিষা ফুলের মধু", "Mustard flower honey"),
            _v("লিচু ফুলের মধু", "Litchi flower honey"),
        ),
        "kg",
        (0.5, 1, 2),
        (600, 1200),
    ),
    "turmeric": Goods(
        (_v("হলুদের গুঁড়া", "Turmeric powder"), _v("শুকনা হলুদ", "Dried turmeric")), "kg", (0.25, 0.5, 1), (250, 450)
    ),
    "chilli": Goods(
        (_v("শুকনা মরিচ", "Dried red chilli"), _v("মরিচের গুঁড়া", "Chilli powder")),
        "kg",
        (0.25, 0.5, 1),
        (300, 550),
    ),
    "mustard oil": Goods(
        (_v("ঘানি ভাঙা সরিষার তেল", "Ghani-pressed mustard oil"), _v("খাঁটি সরিষার তেল", "Pure mustard oil")),
        "litre",
        (1, 2, 5),
        (250, 350),
    ),
}

# One sentence about the goods, by product category; the generator adds a delivery or payment note.
CATEGORY_NOTES: dict[str, tuple[Name, ...]] = {
    "rice_grain": nfc_names(
        (
            ("নিজের জমির ফসল, পরিষ্কার ও কাঁকরমুক্ত।", "From our own fields, cleaned and stone-free."),
            ("নতুন মৌসুমের ফসল।", "This season's harvest."),
        )
    ),
    "vegetables": nfc_names(
        (
            ("সকালে তোলা তাজা সবজি।", "Picked fresh this morning."),
            ("জৈব সারে চাষ, কীটনাশক ছাড়া।", "Grown with organic manure, no pesticides."),
        )
    ),
    "fish": nfc_names(
        (
            ("হাওর থেকে ধরা তাজা, ফরমালিনমুক্ত।", "Freshly caught from the haor, formalin-free."),
            ("অর্ডার দিলে কেটে-ধুয়ে দেওয়া হয়।", "Cleaned and cut on request."),
        )
    ),
    "livestock": nfc_names(
        (
            ("প্রাকৃতিক খাবারে লালিত — খড়, কাঁচা ঘাস ও ভুসি।", "Raised on natural feed — straw, green grass and bran."),
            ("নিয়মিত টিকা ও কৃমিনাশক দেওয়া।", "Vaccinated and dewormed regularly."),
            ("খামারে এসে দেখে কিনতে পারবেন।", "Visit the farm to see before buying."),
        )
    ),
    "poultry_eggs": nfc_names(
        (
            ("খোলা পরিবেশে পালা, অ্যান্টিবায়োটিকমুক্ত।", "Free-range and antibiotic-free."),
            ("প্রতিদিন সকালে সংগ্রহ।", "Collected every morning."),
        )
    ),
    "dairy": nfc_names(
        (
            ("কোনো ভেজাল বা প্রিজারভেটিভ নেই।", "No adulteration or preservatives."),
            ("প্রতিদিন সকালে তৈরি।", "Made fresh every morning."),
        )
    ),
    "sweets_snacks": nfc_names(
        (
            ("খাঁটি ছানা ও খেজুরের গুড় দিয়ে তৈরি।", "Made with pure chhana and date-palm jaggery."),
            ("অর্ডার দিলে তৈরি করে দেওয়া হয়।", "Made to order."),
        )
    ),
    "handicrafts": nfc_names(
        (
            ("গ্রামের নারী কারিগরদের হাতে তৈরি।", "Handmade by village women artisans."),
            ("উপহার হিসেবে চমৎকার।", "A lovely gift."),
        )
    ),
    "clothing": nfc_names(
        (
            ("স্থানীয় তাঁতে বোনা।", "Woven on local handlooms."),
            ("রং পাকা, আরামদায়ক সুতা।", "Colour-fast, comfortable cotton."),
        )
    ),
    "honey_spices": nfc_names(
        (
            ("ভেজালমুক্ত, ল্যাব পরীক্ষিত।", "Unadulterated and lab-tested."),
            ("নিজস্ব খামার থেকে সংগ্রহ।", "From our own farm."),
        )
    ),
}
# `{u}` is the seller's upazila.
TRADE_NOTES = nfc_names(
    (
        ("{u} উপজেলার ভেতরে হোম ডেলিভারি।", "Home delivery within {u} upazila."),
        ("বিকাশ ও নগদে পেমেন্ট করা যায়।", "bKash and Nagad payments accepted."),
        ("দাম সামান্য আলোচনা সাপেক্ষ।", "Price slightly negotiable."),
        ("ক্যাশ অন ডেলিভারি।", "Cash on delivery."),
        ("{u} থেকে সারা জেলায় পাঠানো হয়।", "Sent from {u} anywhere in the district."),
    )
)


def goods_for(item_en: str, item_bn: str) -> Goods:
    """The profile for a taxonomy item; an item nobody has described yet is titled by its own name."""
    return GOODS.get(item_en) or Goods((Variant(item_bn, item_en.capitalize()),), "piece", (1,), (100, 1000))

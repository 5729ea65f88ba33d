"""Word lists the analysis and the engines share: attribute categories, preposition contrasts,
number words and the nouns that do not name depicted objects.

Attribute categories are lists of *groups*: words in one group mean the same thing (so replacing
one by another would make a true caption); a replacement always comes from a different group.
In the scalar categories (size, age, state) only the groups listed as opposites of each other contrast,
so "small" becomes "large" but never "little".
"""

from __future__ import annotations

ATTRIBUTE_GROUPS: dict[str, tuple[tuple[str, ...], ...]] = {
    "colour": (
        ("red",), ("blue",), ("green",), ("yellow",), ("orange",), ("purple",), ("pink",),
        ("brown",), ("black",), ("white",), ("grey", "gray"), ("silver",), ("gold", "golden"),
        ("beige", "tan"), ("maroon",), ("turquoise",),
    ),
    "size": (
        ("small", "little", "tiny", "miniature"), ("large", "big", "huge", "giant", "enormous"),
        ("tall",), ("short",), ("long",), ("short",), ("wide",), ("narrow",), ("thick",), ("thin",),
    ),
    "material": (
        ("wooden", "wood"), ("metal", "metallic", "steel", "iron"), ("plastic",), ("glass",),
        ("leather",), ("stone",), ("brick",), ("concrete",), ("ceramic", "porcelain"),
        ("paper", "cardboard"), ("wicker",), ("marble",),
    ),
    "shape": (("round", "circular"), ("square", "rectangular"), ("triangular",), ("oval",)),
    "age": (("old", "elderly"), ("young",), ("old", "antique", "vintage"), ("new", "modern")),
    "state": (
        ("empty",), ("full",), ("wet",), ("dry",), ("clean",), ("dirty",), ("sunny",), ("cloudy", "overcast"),
        ("busy", "crowded"), ("deserted",), ("cooked",), ("raw", "uncooked"), ("cluttered", "messy"), ("neat", "tidy"),
    ),
}

_CLOSE_COLOUR_PAIRS = (
    ("red", "orange"), ("red", "pink"), ("red", "maroon"), ("orange", "yellow"), ("orange", "brown"),
    ("orange", "gold"), ("yellow", "gold"), ("yellow", "beige"), ("green", "turquoise"), ("blue", "turquoise"),
    ("blue", "purple"), ("purple", "pink"), ("purple", "maroon"), ("brown", "beige"), ("brown", "gold"),
    ("brown", "maroon"), ("brown", "black"), ("black", "grey"), ("white", "grey"), ("white", "silver"),
    ("white", "beige"), ("grey", "silver"), ("gold", "beige"),
)
CLOSE_COLOURS: dict[str, frozenset[str]] = {
    c: frozenset(b if a == c else a for a, b in _CLOSE_COLOUR_PAIRS if c in (a, b))
    for c in {w for pair in _CLOSE_COLOUR_PAIRS for w in pair}
}
CLOSE_COLOURS |= {"gray": CLOSE_COLOURS["grey"], "golden": CLOSE_COLOURS["gold"], "tan": CLOSE_COLOURS["beige"]}
"""Colours people name one shade by either word ("a red kite" that another calls orange): never a
contrast of each other."""

NON_SUBSECTIVE = frozenset({"stuffed", "fake", "faux", "artificial", "imitation", "toy", "model", "mock", "cartoon",
                            "fictional", "virtual", "former", "plastic", "inflatable", "statue", "wax"})
"""Attributes whose noun without them names another thing: a stuffed bear is no bear, so dropping
the word would make the caption false by itself."""
LIVING_AGES = frozenset({"young", "elderly"})
"""Age words said only of people and animals ("a young clock" is no clock's age)."""
SCALAR_CATEGORIES = frozenset({"size", "age", "state"})
"""Categories whose groups come in opposed pairs: group 2k contrasts only with group 2k+1."""

SPATIAL_CONTRASTS: dict[str, tuple[str, ...]] = {
    "on": ("under", "next to", "behind", "in front of"),
    "on top of": ("under", "underneath", "next to", "behind"),
    "onto": ("under",),
    "under": ("on", "above", "on top of"),
    "underneath": ("on", "on top of", "above"),
    "beneath": ("on", "above", "on top of"),
    "above": ("on", "below", "under"),
    "below": ("above", "on top of"),
    "over": ("under",),
    "in front of": ("behind", "on", "on top of"),
    "behind": ("in front of", "on", "on top of"),
    "inside": ("outside", "on top of"),
    "inside of": ("outside of", "on top of"),
    "outside": ("inside", "in"),
    "outside of": ("inside of", "in"),
    "into": ("out of",),
    "out of": ("into",),
    "with": ("without",),
    "without": ("with",),
    "near": ("far from",),
    "close to": ("far from",),
    "far from": ("next to", "on"),
    "across from": ("next to",),
    "on the side of": ("in the middle of",),
    "in the middle of": ("on the side of",),
    "next to": ("on", "under", "on top of"),
    "beside": ("on", "under", "on top of"),
    "by": ("on", "under", "on top of"),
    "up": ("down",),
    "down": ("up",),
    "toward": ("away from",),
    "towards": ("away from",),
    "away from": ("toward",),
}
"""Prepositions (lower case, multiword ones with single spaces) and the ones that contradict them
for the same two objects: a thing on a table is not under, next to, behind or in front of it. Never
a preposition that may hold at once ("near" and "next to", "above" and "over"), nor a lateral one for
a vertical one ("a bed under a window" is next to it too), nor "on" for "near" (a bus near a curb is
often on it)."""

ALONG = frozenset({"up", "down"})
ALONG_CLASSES = ("way.n.06",)
"""Prepositions that mean only "along" on a way (a road, a street, stairs, tracks): "walking down
the street" is no contrast of "up the street", unlike "skiing down a hill" and "up a hill"."""

SIDE_BY_SIDE = frozenset({"next to", "beside", "by", "behind", "in front of"})
GROUND_LEXNAMES = frozenset({"noun.object", "noun.substance", "noun.location"})
GROUND_CLASSES = ("way.n.06", "floor.n.01", "field.n.01")
NOT_ON_GROUND = SIDE_BY_SIDE | {"on top of", "above", "inside", "inside of"}
BELOW = frozenset({"under", "underneath", "beneath", "below"})
"""One is on the ground, a floor, a road, a field or the water, or near or far from it, never
beside, behind, in front of, on top of, above or inside it; and under it only when it is a
substance ("under the water", never "under the road"). Such objects are those of WordNet's
lexicographer files of landforms, substances and places, and of these classes."""
CONTAINER_CLASSES = ("container.n.01", "vehicle.n.01", "home_appliance.n.01")
OPEN_CARRIERS = ("bicycle.n.01", "motorcycle.n.01", "motor_scooter.n.01", "skateboard.n.01", "sled.n.01",
                 "tray.n.01", "platter.n.01", "plate.n.04")
"""Containers and vehicles (in WordNet) with no inside: one rides on a bike and eats off a plate."""
CLASS_CONTRASTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "in": (CONTAINER_CLASSES, ("next to", "behind", "on top of")),
    "at": (("furniture.n.01",), ("under",)),
    "around": (("furniture.n.01",), ("under",)),
}
"""Prepositions that contrast with others only for some objects (WordNet classes): "in" a thing
that holds things ("flowers in a vase" -> "next to a vase", but not "in a field" or "in a suit");
"at" and "around" furniture ("kids at a table" -> "under a table", but not "at the airport"; never
"on a table": captions say "a teddy bear sitting at a table" of one that sits on it)."""
HOLLOW_CLASSES = (*CONTAINER_CLASSES, "conveyance.n.03", "sink.n.01", "shower.n.01")
"""Things one can be in: containers, sinks, showers and vehicles (buses and trains are "public
transport" in WordNet). Not buildings: a car is never in a motel."""
BULKY_CLASSES = ("conveyance.n.03", "structure.n.01", "plumbing_fixture.n.01", "home_appliance.n.01")
"""Things too big to be in another thing: never "a bus in a plane", "a toilet in a sink"."""
OUTSIDE_OF_IT = frozenset({"on top of", "under", "underneath", "beneath", "next to", "beside", "by", "behind",
                           "in front of", "near", "close to"})
INSIDE = ("in", "inside")
"""Prepositions that place one thing outside another, so that for a thing with an inside (in its
main sense one of the :data:`HOLLOW_CLASSES`, and no :data:`OPEN_CARRIERS`) they contrast with
:data:`INSIDE` as well, unless the thing placed is one of the :data:`BULKY_CLASSES` ("in front of a
bus" -> "in a bus", "on top of a sink" -> "in a sink"; never "inside traffic cones", nor "in a
cat", though "cat" also names a tracked vehicle)."""

SIDE_CONTRASTS: dict[str, str] = {"left": "right", "right": "left"}
"""Side words swapped wherever they name a side ("to the left of", "his left hand")."""

PHYSICAL_LEXNAMES = frozenset(
    {"noun.artifact", "noun.object", "noun.animal", "noun.person", "noun.plant", "noun.food",
     "noun.body", "noun.substance", "noun.location", "noun.shape"}
)
"""WordNet lexicographer files of physical things: the sense of a noun an image shows, and objects
for which "on X" -> "under X" is spatial."""

MULTIWORD_PREPOSITIONS: tuple[tuple[str, ...], ...] = (
    ("in", "front", "of"),
    ("on", "top", "of"),
    ("next", "to"),
    ("close", "to"),
    ("far", "from"),
    ("away", "from"),
    ("out", "of"),
    ("inside", "of"),
    ("outside", "of"),
    ("on", "the", "side", "of"),
    ("in", "the", "middle", "of"),
    ("across", "from"),
)
"""Token sequences read as one preposition, longest first after sorting by the analysis."""

SYMMETRIC_PREPOSITIONS = frozenset(
    {"next to", "beside", "besides", "near", "close to", "with", "by", "alongside", "among",
     "between", "across from", "and", "along with"}
)
"""Relations that hold both ways: swapping their two objects keeps the caption true."""

NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
MAX_COUNT = 12
"""The largest count the count engine writes (number words go up to it)."""

ARTICLES = frozenset({"a", "an"})
OBJECT_DETERMINERS = frozenset({"a", "an", "the", "his", "her", "their", "its", "some"})
"""Words between a verb and its object that the corpus statistics skip ("riding a horse")."""

NON_OBJECT_NOUNS = frozenset(
    {
        # parts of multiword prepositions and places relative to something
        "front", "top", "side", "middle", "edge", "back", "bottom", "center", "centre", "corner",
        "left", "right", "background", "foreground", "distance", "inside", "outside", "end",
        # quantities and collections
        "group", "couple", "bunch", "pair", "lot", "lots", "number", "herd", "flock", "pile",
        "row", "set", "variety", "stack", "assortment", "collection", "line", "dozen",
        "crowd", "team", "fleet", "plenty", "kind", "type", "sort", "piece", "slice", "bit",
        "amount", "array", "selection", "display", "cluster", "handful", "few", "several",
        # the picture itself
        "picture", "photo", "photograph", "image", "view", "shot", "close", "closeup", "scene",
        "camera", "snapshot", "angle", "way", "thing", "things", "something", "someone", "one",
        "day", "night", "time", "while", "air",
    }
)
"""Nouns that head noun phrases but do not name an object that can be replaced or counted."""

SINGULAR_AUX: dict[str, str] = {"is": "are", "was": "were", "has": "have", "does": "do"}
PLURAL_AUX: dict[str, str] = {v: k for k, v in SINGULAR_AUX.items()}
"""Finite auxiliaries and their other-number forms."""

NEGATABLE_AUX = frozenset(
    {"is", "are", "was", "were", "can", "could", "will", "would", "should", "may", "might",
     "must", "has", "have", "had"}
)
DO_SUPPORT: dict[str, str] = {"does": "VBZ", "do": "VBP", "did": "VBD"}
"""Forms of "do" that carry a negation, and the tag the bare verb takes when "do not" goes."""

TRANSITIVE_FRAMES = frozenset({8, 9, 10, 11})
"""WordNet verb frame ids of the pattern "Somebody/Something ----s somebody/something"."""

PERSON_CONTRASTS: dict[str, tuple[str, ...]] = {
    "man": ("woman",), "woman": ("man",), "boy": ("girl",), "girl": ("boy",), "lady": ("man",),
    "gentleman": ("woman",), "guy": ("woman",), "child": ("man", "woman"), "kid": ("man", "woman"),
    "mother": ("father",), "father": ("mother",), "husband": ("wife",), "wife": ("husband",),
    "brother": ("sister",), "sister": ("brother",), "son": ("daughter",), "daughter": ("son",),
    "king": ("queen",), "queen": ("king",), "bride": ("groom",), "groom": ("bride",),
}
"""People nouns: WordNet's sisters of "man" ("old person", "professional") can describe the same
person, and so can an age word of the same sex ("man" -> "boy": a young man), so these contrast
only across sex, at the same age (a man "with graying hair" is no girl)."""

SCENE_LEXNAMES = frozenset({"noun.location", "noun.object", "noun.substance"})
SCENE_CLASSES = ("structure.n.01", "way.n.06")
"""Places, landforms, substances, buildings, rooms and roads: what a photo is *of* rather than a
thing in it. Their names are loose (a field is a park, a beach a shore, concrete tarmac) and one
swapped for another reads oddly ("a bed in a dimly lit toilet"), so the entity engine leaves them;
a photo shows one of them, so the count engine never counts them ("two kitchens")."""

SEXES = (
    frozenset({"man", "men", "boy", "boys", "guy", "guys", "gentleman", "gentlemen", "he", "his", "him", "father",
               "husband", "brother", "son", "king", "groom", "male"}),
    frozenset({"woman", "women", "girl", "girls", "lady", "ladies", "she", "her", "hers", "mother", "wife",
               "sister", "daughter", "queen", "bride", "female"}),
)
"""Words that name a person's sex, by sex."""
CHILDREN = frozenset({"boy", "girl", "child", "kid"})
CHILD_WORDS = frozenset({"little", "young", "small", "baby", "tiny"})
"""People nouns said of children, and the attributes that make a person noun a child's: "a little
boy" contrasts only with another child ("a little girl")."""

GENDERED_PRONOUNS = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
"""Pronouns that would have to follow a person noun changed to the other sex."""

CROSS_CLASSES = ("adult.n.01", "juvenile.n.01", "male.n.02", "female.n.02", "old_person.n.01",
                 "professional.n.01", "worker.n.01", "expert.n.01", "lover.n.01", "relative.n.01")
"""WordNet classes of people that overlap other classes: a sister under one of them may be the
same person, so people nouns never become one."""

JUVENILE_CLASSES = ("juvenile.n.01", "young.n.01")
"""Nouns under these are young by definition ("boy", "puppy"): no age contrasts for them."""

IRREGULAR_PLURALS: dict[str, str] = {"person": "people"}
"""Plurals preferred over lemminflect's first form ("persons")."""
PLURALIA_TANTUM = frozenset(
    {"clothes", "glasses", "goggles", "jeans", "pants", "scissors", "shorts", "stairs", "sunglasses", "trousers",
     "binoculars", "headphones", "pajamas", "tongs", "leftovers", "belongings", "surroundings", "outskirts"}
)
"""Plural nouns with no singular of the same meaning ("glasses" is not several glasses)."""
PLURAL_QUANTIFIERS = frozenset({"some", "several", "many", "multiple", "numerous", "various"})
"""Determiners of an uncounted plural, which "a"/"an" can replace."""

CONSONANT_SOUND_VOWELS = ("uni", "use", "usu", "uti", "ura", "uri", "uro", "ure", "eu", "ewe", "one", "once", "ubi", "uku", "utensil")
VOWEL_SOUND_CONSONANTS = ("hour", "honest", "honor", "honour", "heir", "herb")
"""Word beginnings that take "a" despite a vowel letter, and "an" despite a consonant letter."""

IDIOMATIC_BEFORE_PREPOSITION = frozenset({"talk", "speak", "chat", "talking", "speaking", "chatting"})
"""Words after which "on" is not spatial ("talking on a phone")."""
PLACEMENT_PARTICIPLES = frozenset({"park", "place", "put", "set", "lean", "mount", "hang", "stack", "line", "store",
                                   "leave", "position", "locate", "situate", "seat", "perch", "pile", "arrange"})
"""Verbs whose past participle says where a thing was put ("parked on a street", "placed in front
of a computer"): the preposition after them stays spatial, as after no other participle ("filled
with", "surrounded by", "focused on")."""
DEGREE_ADVERBS = frozenset({"very", "so", "too", "really", "quite", "pretty", "extremely", "fairly", "rather"})
"""Words that grade a preposition ("very close to", "so near"), which no contrast could follow."""

POSTURES = ("sit", "stand")
EXCLUSIVE_ACTIONS: tuple[tuple[bool, tuple[str, ...]], ...] = (
    (False, POSTURES),
    (False, ("skateboard", "ski", "snowboard", "surf", "swim")),  # board sports (and swimming)
    (False, ("eat", "play", "sleep")),  # at rest, at play, at a meal
    (True, ("pull", "push")),
    (True, ("catch", "hit", "kick", "throw")),  # what a player does to the ball at one moment
    (True, ("close", "open")),
)
"""Groups of verbs (transitive or not) no one does at once: with the same subject, and the same
object for transitive ones, each is a contrast of the others in its group ("a man sitting on a
bench" -> "a man standing on a bench", "pulling a cart" -> "pushing a cart"). Intransitive groups
apply to people (and animals, but for postures people only: a bird "sitting" on a branch stands on
it, a horse "sitting" in the grass lies there): "a vase sitting on a table" is "standing" there too."""
ONE_WAY_ACTIONS: dict[tuple[str, bool], tuple[str, ...]] = {("wear", True): ("hold",)}
"""Contrasts that hold one way, keyed by (verb, transitive): a hat one wears is not held in a hand,
but "holding a pizza" has no "wearing" for a contrast."""
ENDING_ACTIONS: dict[str, frozenset[str]] = {
    "carry": frozenset({"ride", "push", "pull"}), "hold": frozenset({"throw", "toss", "kick", "drop"}),
}
"""What one cannot do to a thing while carrying or holding it ("carrying a surfboard" -> "riding a
surfboard", "holding a frisbee" -> "throwing a frisbee"): written only where the corpus attests the
action on the same object, so never "riding a bag"."""
GENERIC_ACTIONS = frozenset({"hold", "carry", "use", "have", "wear", "show", "display", "contain", "feature",
                             "include", "look", "watch", "see", "view", "get", "take", "make", "do", "play"})
"""Verbs that go with most other actions on the same object (one holds what one eats, watches what
one plays): never replaced by, nor a replacement from, the actions the corpus attests, except the
:data:`ENDING_ACTIONS`."""
ANIMATE_LEXNAMES = frozenset({"noun.person", "noun.animal"})
GENERAL_LIVING_NOUNS: dict[str, str] = {
    "person": "noun.person", "people": "noun.person", "someone": "noun.person", "somebody": "noun.person",
    "individual": "noun.person", "folk": "noun.person", "audience": "noun.person",
    "animal": "noun.animal", "creature": "noun.animal", "wildlife": "noun.animal",
}
"""The most general words for people and animals, which WordNet files under noun.Tops or noun.group:
their lexicographer file here is the one of what they name ("a person sitting" is as animate as
"a man sitting")."""

SMALL_CLAUSE_HEADS = frozenset({"get", "have", "want", "need", "keep", "leave", "like", "make"})
"""Verbs whose clausal complement is a participle ("getting his teeth brushed"), which the parser
may tag as a past tense: it takes no "did not"."""

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
SEASONS = ("spring", "summer", "autumn", "winter")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAYPARTS = ("morning", "afternoon", "evening", "night")
"""Times of one kind, in order (the ``answer`` engine's cycles; the answer checks' grains)."""

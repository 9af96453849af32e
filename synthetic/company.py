"""The fictional company "Nimbus": its products, teams and people's names. Pure data, no logic.

Everything the generating story assumes about the company lives here, so that data/sample/README.md
can be checked against one file.
"""

from __future__ import annotations

from core.enums import Channel

PRODUCTS = (
    "Nimbus Router X2",
    "Nimbus Cloud Backup",
    "Nimbus Pay",
    "Nimbus Home App",
    "Nimbus Business Suite",
)

# Which products each category is about (weights follow PRODUCTS).
PRODUCT_WEIGHTS: dict[str, tuple[float, ...]] = {
    "billing_payment": (1, 2, 5, 1, 3),
    "technical_fault": (5, 3, 2, 4, 2),
    "account": (1, 2, 2, 3, 2),
    "shipping_returns": (8, 0, 0, 0, 1),
    "data_migration": (0, 5, 0, 1, 4),
    "feature_request": (1, 2, 1, 4, 3),
}
CATEGORY_WEIGHTS: dict[str, float] = {
    "billing_payment": 0.23,
    "technical_fault": 0.28,
    "account": 0.16,
    "shipping_returns": 0.15,
    "data_migration": 0.07,
    "feature_request": 0.11,
}
# The team a category is routed to first, and the expert team of a functional escalation.
HOME_TEAM = {
    "billing_payment": "billing",
    "technical_fault": "technical_support",
    "account": "customer_accounts",
    "shipping_returns": "logistics",
    "data_migration": "technical_support",
    "feature_request": "technical_support",
}
EXPERT_TEAM = {
    "billing_payment": "engineering_l2",  # payment-provider faults
    "technical_fault": "engineering_l2",
    "account": "engineering_l2",
    "shipping_returns": "logistics",
    "data_migration": "data_services",
    "feature_request": "engineering_l2",
}
TEAM_TZ = {
    "billing": "Europe/Oslo",
    "technical_support": "Europe/Berlin",
    "engineering_l2": "Europe/Berlin",
    "customer_accounts": "Europe/London",
    "logistics": "Europe/Berlin",
    "data_services": "Europe/Oslo",
}
TEAMS = tuple(TEAM_TZ)
EXPERT_TEAMS = ("engineering_l2", "data_services")
TEAM_NAMES: dict[str, dict[str, str]] = {  # {team} placeholder, per language
    "en": {
        "billing": "Billing",
        "technical_support": "Technical Support",
        "engineering_l2": "our engineering team",
        "customer_accounts": "Customer Accounts",
        "logistics": "Logistics",
        "data_services": "Data Services",
    },
    "de": {
        "billing": "Buchhaltung",
        "technical_support": "Technischer Support",
        "engineering_l2": "unser Engineering-Team",
        "customer_accounts": "Kundenkonten",
        "logistics": "Logistik",
        "data_services": "Data Services",
    },
    "no": {
        "billing": "Fakturering",
        "technical_support": "Teknisk support",
        "engineering_l2": "utviklingsteamet",
        "customer_accounts": "Kundekonto",
        "logistics": "Logistikk",
        "data_services": "Data Services",
    },
}

LANGUAGE_WEIGHTS = {"en": 0.5, "de": 0.3, "no": 0.2}
CHANNEL_WEIGHTS: dict[Channel, float] = {
    Channel.EMAIL: 0.36,
    Channel.WEB: 0.22,
    Channel.PHONE: 0.14,
    Channel.CHAT: 0.20,
    Channel.TWITTER: 0.045,
    Channel.FACEBOOK: 0.035,
}
TIERS = ("basic", "business", "enterprise")
TIER_WEIGHTS = (0.68, 0.24, 0.08)
# Annual contract value in EUR: median and log-spread per tier.
TIER_VALUE = {"basic": (240.0, 0.5), "business": (4800.0, 0.7), "enterprise": (60000.0, 0.8)}
REGIONS = {"en": (("uk_ie", 0.75), ("benelux", 0.25)), "de": (("dach", 1.0),), "no": (("nordics", 1.0),)}

# fmt: off
FIRST_NAMES = {
    "en": ("Oliver", "Amelia", "Jack", "Olivia", "Harry", "Isla", "George", "Emily", "Noah", "Grace", "Liam",
           "Sophie", "James", "Chloe", "Thomas", "Ella", "Daniel", "Ruby", "Samuel", "Lucy", "Sean", "Aoife",
           "Priya", "Mohammed", "Fatima", "Jan", "Sanne", "Pieter", "Lotte", "Kevin"),
    "de": ("Lukas", "Anna", "Leon", "Mia", "Felix", "Lena", "Jonas", "Laura", "Paul", "Sarah", "Maximilian",
           "Julia", "Tobias", "Katharina", "Stefan", "Sabine", "Michael", "Petra", "Jürgen", "Ursula", "Ayşe",
           "Mehmet", "Florian", "Nina", "Matthias", "Claudia", "Andreas", "Birgit", "Niklas", "Elif"),
    "no": ("Ola", "Kari", "Lars", "Ingrid", "Jonas", "Nora", "Henrik", "Emma", "Magnus", "Sofie", "Erik",
           "Ida", "Kristian", "Marte", "Sindre", "Hanne", "Øystein", "Silje", "Håkon", "Ragnhild", "Bjørn",
           "Astrid", "Tor", "Solveig", "Ali", "Amina", "Petter", "Tone", "Even", "Maja"),
}
SURNAMES = {
    "en": ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Walsh", "Murphy", "Patel",
           "Khan", "de Vries", "Janssen", "Clarke", "Hughes"),
    "de": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann",
           "Schulz", "Yılmaz", "Keller", "Huber", "Wolf", "Braun"),
    "no": ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Berg",
           "Haugen", "Bakke", "Solberg", "Dahl", "Lie", "Moen"),
}
COMPANY_SUFFIX = {"en": ("Ltd", "Group", "Partners", "B.V."), "de": ("GmbH", "AG", "KG"), "no": ("AS", "ASA")}
COMPANY_STEMS = ("Fjord", "Alpen", "Harbour", "Nordlys", "Brightwater", "Kestrel", "Rhein", "Vika",
                 "Lindqvist", "Oakfield", "Sonnenberg", "Bergen Bygg", "Tidewater", "Edelweiss", "Polar")
AGENT_NAMES = ("Marta", "Jonas", "Eirik", "Sophie", "Ben", "Katrin", "Sven", "Aisha", "Tom", "Lea", "Mikkel",
               "Hannah", "Dominik", "Ingrid", "Ravi", "Clara", "Jakob", "Nadia", "Finn", "Elena", "Oskar",
               "Julia", "Ahmed", "Vilde", "Chris", "Maren", "Lukas", "Rosa", "Emil", "Tuva")
# fmt: on
